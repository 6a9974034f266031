"""Explanations of the fit of each ranked form (method section 5).

Each weighted item contributes coefficient x normalised weight x match x 100 points of
fit. Those points are never negative, so on their own they cannot say whether an item
pushed a form up or down. An item's effect is therefore measured from a neutral match of
0.5: positive when the trust's score or answer pushed the form up, negative when it
pushed it down. The three items with the largest effects, whichever their sign, explain
the form; the proportionality term is named for the top form. A form that weighs need,
context and proportion with its own coefficients says so, beside the method's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .compiled import ANSWERED, Compiled
from .decimals import HALF, HUNDRED, ZERO, display, on_grid, plain_number, tidy
from .definitions import PREFERS_HIGH, PREFERS_LOW, Form, MethodSettings
from .fit import coefficients_of, match
from .levels import LEVEL_VALUES
from .result import Explanation, Reason
from .scenario import Scenario

# How close intensity and need must be (on 0..1) for a change to "match" the need.
PROPORTION_MATCH = Decimal("0.1")
REASONS_SHOWN = 3


@dataclass(slots=True)
class _Item:
    term: str
    subject: str
    subject_name: str
    answer: str
    phrase: str
    weight: Decimal
    high: bool
    fitted: Decimal  # the match m
    share: Decimal  # coefficient / sum of counted weights
    why: str
    effect: Decimal = field(init=False)  # points of fit measured from a neutral match of 0.5

    def __post_init__(self) -> None:
        self.effect = on_grid(HUNDRED * self.share * self.weight * (self.fitted - HALF))


def explain_form(
    *,
    compiled: Compiled,
    settings: MethodSettings,
    scenario: Scenario,
    form_position: int,
    rank: int,
    answer_labels: list[str],
    with_proportion: bool,
    pending: list[str],
) -> Explanation:
    plan = compiled.forms[form_position]
    form = plan.form
    questionnaire = compiled.questionnaire
    items: list[_Item] = []
    skipped: list[str] = []

    coefficients = coefficients_of(form, settings)
    counted = [w for d, w, _ in plan.need_items if scenario.values[d] is not None]
    share = coefficients.need / sum(counted, ZERO) if sum(counted, ZERO) else ZERO
    for (d, weight, high), item in zip(plan.need_items, form.domain_weights, strict=True):
        value = scenario.values[d]
        score = scenario.domains[d].score
        if value is None or score is None:
            skipped.append(item.domain)
            continue
        name = questionnaire.domains[d].name
        shown = f"{display(score)}/100"
        items.append(
            _Item(
                "need",
                item.domain,
                name,
                shown,
                f"{name} scores {shown}",
                weight,
                high,
                match(value, high),
                share,
                item.why,
            )
        )
    counted = [w for q, w, _ in plan.context_items if _level(scenario, q) is not None]
    share = coefficients.context / sum(counted, ZERO) if sum(counted, ZERO) else ZERO
    for (q, weight, high), context in zip(plan.context_items, form.context_weights, strict=True):
        level = _level(scenario, q)
        if level is None:
            skipped.append(context.question)
            continue
        label = answer_labels[q]
        items.append(
            _Item(
                "context",
                context.question,
                questionnaire.questions[q].text,
                label,
                f"{context.question} is answered '{label}'",
                weight,
                high,
                match(LEVEL_VALUES[level], high),
                share,
                context.why,
            )
        )
    # A stable sort keeps need items before context items, and each in catalogue order,
    # when two effects are equal.
    shown_items = sorted(items, key=lambda item: -abs(item.effect))[:REASONS_SHOWN]
    reasons = tuple(_reason(item) for item in shown_items)

    need = None if scenario.index is None else HUNDRED - scenario.index
    proportion_note = _proportion_note(form.intensity, need)
    parts = [f"{form.name} is ranked {rank} with a fit of {display(scenario.fit[form_position])}."]
    parts += [reason.sentence for reason in reasons]
    weighting = weighting_note(form, settings)
    if weighting:
        parts.append(weighting)
    if with_proportion:
        parts.append(proportion_note)
    if pending:
        parts.append("It depends on evidence not yet given: " + "; ".join(pending) + ".")
    return Explanation(
        reasons=reasons,
        skipped=tuple(skipped),
        need=None if need is None else tidy(need),
        proportion_note=proportion_note,
        sentence=" ".join(parts),
    )


# The three terms of the fit as a board reads them: in the note, then in its brackets.
_TERMS = (
    ("need", "the trust's needs", "need"),
    ("context", "the local context", "context"),
    ("proportion", "the size of change against the need", "size of change"),
)


def weighting_note(form: Form, settings: MethodSettings) -> str:
    """Empty when the form's fit weighs its three terms as the method does; otherwise a
    sentence saying what it weighs more and less, such as: This form weighs the local
    context more than the method's default (context 40% instead of 25%)."""
    own = coefficients_of(form, settings)
    default = coefficients_of(None, settings)
    more: list[tuple[str, str]] = []
    less: list[tuple[str, str]] = []
    for attribute, phrase, short in _TERMS:
        mine, usual = getattr(own, attribute), getattr(default, attribute)
        if mine != usual:
            figure = (
                f"{short} {plain_number(mine * HUNDRED)}% "
                f"instead of {plain_number(usual * HUNDRED)}%"
            )
            (more if mine > usual else less).append((phrase, figure))
    if not more and not less:
        return ""
    weighs = " and ".join(
        " and ".join(phrase for phrase, _ in terms) + f" {word}"
        for terms, word in ((more, "more"), (less, "less"))
        if terms
    )
    figures = "; ".join(figure for _, figure in more + less)
    return f"{WEIGHTING_LEAD}{weighs} than the method's default ({figures})."


WEIGHTING_LEAD = "This form weighs "


def weighting_note_in(sentence: str) -> str:
    """The `weighting_note` within an explanation's sentence, for pages that show it on its
    own; empty when there is none, as in every result stored before forms had their own
    coefficients."""
    start = sentence.find(WEIGHTING_LEAD)
    end = sentence.find(").", start)
    return sentence[start : end + 2] if start >= 0 and end >= 0 else ""


def _level(scenario: Scenario, position: int) -> int | None:
    outcome = scenario.outcomes[position]
    return outcome.level if outcome.status == ANSWERED else None


def _reason(item: _Item) -> Reason:
    effect = item.effect
    direction = "up" if effect > 0 else "down" if effect < 0 else "neutral"
    if direction == "neutral":
        pushes = "leaves this option unchanged"
    else:
        pushes = f"pushes this option {direction}"
    return Reason(
        term=item.term,
        subject=item.subject,
        subject_name=item.subject_name,
        answer=item.answer,
        weight=item.weight,
        prefers=PREFERS_HIGH if item.high else PREFERS_LOW,
        match=tidy(item.fitted),
        points=tidy(on_grid(HUNDRED * item.share * item.weight * item.fitted)),
        effect=tidy(effect),
        direction=direction,
        why=item.why,
        sentence=f"{item.phrase}, which {pushes}: {_lead_in(item.why)}",
    )


def _proportion_note(intensity: Decimal, need: Decimal | None) -> str:
    if need is None:
        return (
            "No scored domain has an answer, so the size of change the trust needs is "
            "unknown and proportion counts as neutral."
        )
    size = f"A change of this size ({display(intensity * HUNDRED)}/100)"
    gap = intensity - need.scaleb(-2)
    if abs(gap) <= PROPORTION_MATCH:
        return f"{size} matches a need of {display(need)}/100."
    if gap > 0:
        return f"{size} is larger than the need of {display(need)}/100."
    return f"{size} is smaller than the need of {display(need)}/100."


def _lead_in(why: str) -> str:
    """The item's `why` continuing a sentence: lower-case its first word unless it is an
    acronym, and end it with a full stop."""
    text = why.strip() or "no reason is recorded."
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
