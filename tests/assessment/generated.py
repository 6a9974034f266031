"""Assessments drawn by Hypothesis and built through the services, as a board would build
them: members answering the judgements with every kind of answer the seed questionnaire
takes, notes up to the form's limit, the lead entering the figures with their sources and
agreeing the board's answers with rationales where they are needed, then submitting.

Values come from the seed questionnaire itself: its scale levels, its options (yes and no
among them), "don't know", "not applicable" where a question takes it, numbers at and
within their bounds, and questions left unanswered."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import strategies as st

from assessment.forms import AssessmentForm
from assessment.models import Assessment, Membership, Organisation, Submission
from assessment.models_figures import SOURCE_MAX
from assessment.question_forms import NOTE_MAX
from assessment.scoring import definitions as d
from assessment.selectors import pinned_for
from assessment.services.answers import AnswerChange, answers_save, response_complete
from assessment.services.assessments import assessment_create, respondents_add
from assessment.services.figures import FigureChange, figures_save
from assessment.services.submissions import (
    AgreedChange,
    agreed_answers_save,
    assessment_submit,
    consensus_rows,
)
from tests.assessment.journey import REASONS
from tests.scoring.support import seed

QUESTIONNAIRE, _ = seed()
JUDGEMENTS = tuple(q for q in QUESTIONNAIRE.questions if q.answered_by == d.JUDGEMENT)
FIGURES = tuple(q for q in QUESTIONNAIRE.questions if q.answered_by == d.FIGURE)
QUESTIONS = {question.code: question for question in QUESTIONNAIRE.questions}
RATIONALE_MAX = NOTE_MAX  # the agreed answer's rationale has the note's limit
TITLE_MAX = AssessmentForm.base_fields["title"].max_length or 200
PERIOD_MAX = AssessmentForm.base_fields["reporting_period"].max_length or 100

# Pieces long text is made of: words, an unbroken run (a pasted web address), curly
# quotes, accents, a dash, an emoji, line breaks and markup that must be escaped.
PIECES = (
    "The board noted the ward staffing review. ",
    "https://www.example.nhs.uk/board/papers/2025/item-12/appendix-b?version=final&page=",
    "W",
    "“Quoted” ",
    "é",
    "Café naïve – ",
    "\U0001f642",
    "Line one\nLine two\n",
    "<b>&amp;</b> ",
)


def repeated(piece: str, length: int) -> str:
    return (piece * (length // len(piece) + 1))[:length]


def long_text(maximum: int) -> st.SearchStrategy[str]:
    """Text up to `maximum` characters, often exactly that, made of one repeated piece."""
    lengths = st.one_of(st.just(maximum), st.integers(1, maximum))
    return st.builds(repeated, st.sampled_from(PIECES), lengths).filter(str.strip)


def short_text(maximum: int) -> st.SearchStrategy[str]:
    characters = st.characters(blacklist_categories=("C",)) | st.just("\n")
    return st.text(alphabet=characters, min_size=1, max_size=min(maximum, 30)).filter(str.strip)


def some_text(maximum: int) -> st.SearchStrategy[str]:
    """Text that is not blank, up to `maximum` characters."""
    return st.one_of(long_text(maximum), short_text(maximum))


notes = st.one_of(st.just(""), st.just(""), some_text(NOTE_MAX))
rationales = some_text(RATIONALE_MAX)
sources = some_text(SOURCE_MAX)
titles = some_text(TITLE_MAX)
periods = some_text(PERIOD_MAX)


def number(question: d.Question) -> st.SearchStrategy[str]:
    assert question.minimum is not None
    assert question.maximum is not None
    low, high = question.minimum, question.maximum
    return st.one_of(
        st.sampled_from([low, high]),
        st.decimals(low, high, places=2),
        st.integers(math.ceil(low), math.floor(high)),
    ).map(lambda value: f"{Decimal(value):f}")


def given_value(question: d.Question) -> st.SearchStrategy[str]:
    """An answer that gives a value: a level, an option, yes or no, or a number."""
    if question.kind == d.NUMBER:
        return number(question)
    if question.kind == d.SCALE:
        return st.sampled_from(["1", "2", "3", "4"])
    return st.sampled_from([option.value for option in question.options])


def value(question: d.Question) -> st.SearchStrategy[str]:
    """Any answer the question takes, or none ("")."""
    others = [st.just("dk"), st.just("")]
    if question.accepts_na:
        others.append(st.just("na"))
    return st.one_of(given_value(question), given_value(question), *others)


@dataclass(frozen=True)
class Plan:
    """One assessment to build: each member's answers (code -> (value, note)), whether
    members who answered everything mark their response complete, and the figures
    (code -> (value, source))."""

    title: str
    period: str
    answers: tuple[dict[str, tuple[str, str]], ...]
    complete: bool
    figures: dict[str, tuple[str, str]]


@st.composite
def plans(draw: st.DrawFn, members: int, *, texts: bool = True) -> Plan:
    """An assessment of `members` members; without `texts`, with no notes and short
    sources (for earlier assessments, whose own texts the later pages do not show)."""
    member_notes = notes if texts else st.just("")
    figure_sources = sources if texts else st.just("Annual report and accounts")
    answers = tuple(
        draw(
            st.fixed_dictionaries(
                {}, optional={q.code: st.tuples(value(q), member_notes) for q in JUDGEMENTS}
            )
        )
        for _ in range(members)
    )
    figures = draw(
        st.fixed_dictionaries(
            {}, optional={q.code: st.tuples(value(q), figure_sources) for q in FIGURES}
        )
    )
    if not any(entered for entered, _ in figures.values()):
        # A submission needs at least one figure entered, if only "don't know".
        figures[FIGURES[0].code] = ("dk", "")
    return Plan(draw(titles), draw(periods), answers, draw(st.booleans()), figures)


def build(
    *,
    trust: Organisation,
    lead: Membership,
    members: list[Membership],
    plan: Plan,
) -> Assessment:
    """The assessment of `plan`, answered by `members` and with the lead's figures, open."""
    assessment = assessment_create(
        organisation=trust, title=plan.title, reporting_period=plan.period, user=lead.user
    )
    respondents = respondents_add(assessment=assessment, users=[m.user for m in members])
    pinned = pinned_for(assessment)
    for respondent, answers in zip(respondents, plan.answers, strict=True):
        changes = [
            AnswerChange(code=code, value=entered, note=note, version=0)
            for code, (entered, note) in answers.items()
            if entered or note
        ]
        if changes:
            answers_save(respondent=respondent, pinned=pinned, changes=changes)
        if plan.complete and all(answers.get(q.code, ("", ""))[0] for q in JUDGEMENTS):
            response_complete(respondent=respondent, pinned=pinned)
    figures_save(
        assessment=assessment,
        user=lead.user,
        pinned=pinned,
        changes=[
            FigureChange(code=code, value=entered, source=source, version=0)
            for code, (entered, source) in plan.figures.items()
        ],
    )
    return assessment


def agree(assessment: Assessment, lead: Membership, draw: st.DrawFn) -> None:
    """The lead agrees every judgement: the members' default or another answer, with a
    rationale wherever the members diverged or the answer departs from the default, and
    sometimes where it is not needed."""
    changes = []
    for row in consensus_rows(assessment=assessment):
        question = QUESTIONS[row.question.code]
        chosen = draw(st.one_of(st.just(row.default_value), given_value(question)))
        needed = row.divergent or chosen != row.default_value
        rationale = draw(rationales if needed else st.one_of(st.just(""), rationales))
        changes.append(AgreedChange(question.code, chosen, rationale, row.version))
    agreed_answers_save(assessment=assessment, user=lead.user, changes=changes)


def submit(assessment: Assessment, lead: Membership) -> Submission:
    """Submitted through the service, with the board's reason for every warning."""
    return assessment_submit(assessment=assessment, user=lead.user, reasons=REASONS)
