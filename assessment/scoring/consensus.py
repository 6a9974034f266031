"""Several board members (method section 7): what they said, where they differ, and the
default agreed answer the assessment lead starts from.

For a scored question the members' definite answers are put in order from worst to
best: by level, then a critical answer before a non-critical one at the same level, then
by option order or by value. The default agreed answer is the middle one, and for an even
count the lower middle one, the cautious choice. Because it is one of the answers given,
the agreed answer to a number question is always a figure a member actually gave, and it
sits in the median band. Spread is the highest level given minus the lowest; a spread of
`divergence_spread` or more makes the question divergent.

"Don't know" adds no evidence, so it is left out of the median and counted; when every
member who answered said don't know, the agreed answer is don't know. "Not applicable"
is a statement of fact about the trust, not a level: the agreed answer is not applicable
only when most members with a definite answer said so, and a question on which some
members said not applicable and others gave a level is divergent, because the lead must
settle whether it applies. A profile question has no levels: the agreed answer is the
value most members gave (the earlier option on a tie), and any disagreement about what
kind of trust this is makes it divergent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext

from .answers import DK, GIVEN, NA, Answer
from .decimals import CONTEXT
from .definitions import NUMBER, PROFILE, SCALE, MethodSettings, Question, Questionnaire
from .levels import resolve


@dataclass(frozen=True, slots=True)
class QuestionConsensus:
    question: str
    answered: int  # members who gave any answer, don't know and not applicable included
    levels: tuple[int, ...]  # levels given, lowest first
    values: tuple[str, ...]  # definite answers given, worst first ("good", "0.2", "3")
    median_level: int | None
    spread: int | None
    divergent: bool
    dk: int
    na: int
    agreed: Answer | None  # None: nobody answered
    note: str  # why the default agreed answer is what it is


@dataclass(frozen=True, slots=True)
class Consensus:
    questions: tuple[QuestionConsensus, ...]  # in questionnaire order
    agreed: tuple[Answer, ...]  # the default agreed answers, ready for `evaluate`
    divergent: tuple[str, ...]  # codes of divergent questions


def consensus(
    questionnaire: Questionnaire,
    settings: MethodSettings,
    responses: Mapping[str, Iterable[Answer]],
) -> Consensus:
    """Per question: what members said, median, spread, divergence, default agreed answer.

    responses maps each member (any stable identifier) to that member's answers; the
    order of members and of their answers does not matter.
    """
    by_question: dict[str, list[Answer]] = {
        question.code: [] for question in questionnaire.questions
    }
    for member in sorted(responses):
        for answer in responses[member]:
            if answer.question not in by_question:
                raise ValueError(f"{member} answered unknown question {answer.question!r}.")
            by_question[answer.question].append(answer)
    with localcontext(CONTEXT):
        results = tuple(
            _question_consensus(question, by_question[question.code], settings)
            for question in questionnaire.questions
        )
    return Consensus(
        questions=results,
        agreed=tuple(result.agreed for result in results if result.agreed is not None),
        divergent=tuple(result.question for result in results if result.divergent),
    )


def _question_consensus(
    question: Question, answers: list[Answer], settings: MethodSettings
) -> QuestionConsensus:
    code = question.code
    dk = sum(1 for answer in answers if answer.status == DK)
    na = sum(1 for answer in answers if answer.status == NA)
    given = [answer for answer in answers if answer.status == GIVEN]
    if question.kind == PROFILE:
        return _profile_consensus(question, answers, given, dk, na)

    ordered = sorted(given, key=lambda answer: _caution(question, answer))
    levels = tuple(sorted(level for answer in ordered if (level := resolve(question, answer)[0])))
    spread = levels[-1] - levels[0] if levels else None
    divergent = spread is not None and spread >= settings.divergence_spread
    notes: list[str] = []
    if divergent:
        notes.append(f"Members' levels differ by {spread}: agree and record a rationale.")
    if na and given:
        divergent = True
        notes.append("Some members said not applicable and others gave an answer.")

    agreed: Answer | None
    median: int | None = None
    if ordered:
        middle = ordered[(len(ordered) - 1) // 2]
        median = resolve(question, middle)[0]
    if na > len(given):
        agreed = Answer(code, NA)
        notes.append("Most members with a definite answer said not applicable.")
    elif ordered:
        agreed = ordered[(len(ordered) - 1) // 2]
        if len(ordered) % 2 == 0:
            notes.append("Even number of answers: the lower middle one, the cautious choice.")
        else:
            notes.append("The median answer.")
    elif na:
        agreed = Answer(code, NA)
        notes.append("Every member with a definite answer said not applicable.")
    elif dk:
        agreed = Answer(code, DK)
        notes.append("Every member who answered said don't know.")
    else:
        agreed = None
        notes.append("No member answered.")
    return QuestionConsensus(
        question=code,
        answered=len(answers),
        levels=levels,
        values=tuple(answer.text for answer in ordered),
        median_level=median,
        spread=spread,
        divergent=divergent,
        dk=dk,
        na=na,
        agreed=agreed,
        note=" ".join(notes),
    )


def _profile_consensus(
    question: Question, answers: list[Answer], given: list[Answer], dk: int, na: int
) -> QuestionConsensus:
    counts = Counter(answer.option for answer in given)
    order = {option.value: position for position, option in enumerate(question.options)}
    agreed: Answer | None = None
    if counts:
        value = min(counts, key=lambda option: (-counts[option], order.get(option or "", 0)))
        agreed = Answer(question.code, GIVEN, option=value)
        note = "The value most members gave."
    elif na:
        agreed = Answer(question.code, NA)
        note = "Every member with a definite answer said not applicable."
    elif dk:
        agreed = Answer(question.code, DK)
        note = "Every member who answered said don't know."
    else:
        note = "No member answered."
    divergent = len(counts) > 1 or bool(counts and na)
    if divergent:
        note += " Members described the trust differently: agree and record a rationale."
    return QuestionConsensus(
        question=question.code,
        answered=len(answers),
        levels=(),
        values=tuple(sorted((answer.text for answer in given), key=lambda v: order.get(v, 0))),
        median_level=None,
        spread=None,
        divergent=divergent,
        dk=dk,
        na=na,
        agreed=agreed,
        note=note,
    )


def _caution(question: Question, answer: Answer) -> tuple[int, bool, Decimal]:
    """Worst first: lower level, then critical, then option order or value."""
    level, critical = resolve(question, answer)
    if question.kind == NUMBER:
        tie = answer.number if answer.number is not None else Decimal(0)
    elif question.kind == SCALE:
        tie = Decimal(answer.level or 0)
    else:
        positions = [option.value for option in question.options]
        tie = Decimal(positions.index(answer.option) if answer.option in positions else 0)
    return (level or 0, critical is None, tie)
