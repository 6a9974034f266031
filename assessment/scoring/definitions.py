"""What the engine reads: the questionnaire, the catalogue of forms and the method settings.

These are plain frozen dataclasses so that the seed loader (`seed.py`) and the Django side
(from its published database rows) build exactly the same objects. Numbers are `Decimal`;
question codes, domain codes and form slugs are the stable natural keys that answers,
imports, exports and fit rules refer to. `checks.check_definitions` lists everything that
would make a set of definitions unusable; `evaluate` refuses definitions that fail it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .decimals import MAX_PLACES, too_precise

# Question kinds (see the comment header of the seed questionnaire).
CHOICE = "choice"
NUMBER = "number"
SCALE = "scale"
YESNO = "yesno"
PROFILE = "profile"
KINDS = (CHOICE, NUMBER, SCALE, YESNO, PROFILE)
SCORED_KINDS = frozenset({CHOICE, NUMBER, SCALE, YESNO})
OPTION_KINDS = frozenset({CHOICE, YESNO, PROFILE})
LEVELS = (1, 2, 3, 4)

# Who answers a question (method.md section 9): a figure once for the trust, with its
# source; a judgement by each board member, privately.
FIGURE = "figure"
JUDGEMENT = "judgement"
ANSWERED_BY = (FIGURE, JUDGEMENT)

# What the board can change (method.md section 10): a fixed fact of the trust's nature is
# never proposed; an external one is proposed as outside the trust's control.
FIXED = "fixed"
EXTERNAL = "external"
LEVER = "lever"
CHANGEABLE = (FIXED, EXTERNAL, LEVER)

# Verdicts, best first.
SUSTAINABLE_LEAD = "sustainable-lead"
SUSTAINABLE_COLLABORATE = "sustainable-collaborate"
AT_RISK = "at-risk"
UNSUSTAINABLE = "unsustainable"
VERDICTS: tuple[tuple[str, str], ...] = (
    (SUSTAINABLE_LEAD, "Sustainable, and in a position to extend its reach"),
    (SUSTAINABLE_COLLABORATE, "Sustainable; strengthen through collaboration"),
    (AT_RISK, "At risk: start appraising alternative forms now"),
    (UNSUSTAINABLE, "Not sustainable in its present form"),
)
VERDICT_LABELS = dict(VERDICTS)
VERDICT_SEVERITY = {code: position for position, (code, _) in enumerate(VERDICTS)}

# What a critical answer does to the verdict.
CAP_AT_RISK = "cap-at-risk"
CAP_UNSUSTAINABLE = "cap-unsustainable"
CAP_RULES = {CAP_AT_RISK: AT_RISK, CAP_UNSUSTAINABLE: UNSUSTAINABLE}

PREFERS_LOW = "low"
PREFERS_HIGH = "high"


@dataclass(frozen=True, slots=True)
class Domain:
    """A group of questions. Scored domains make up the index; the others are context."""

    code: str
    name: str
    weight: Decimal
    scored: bool


@dataclass(frozen=True, slots=True)
class Option:
    """One answer to a choice, yes/no or profile question.

    `level` is None for an option that means "not applicable" (and for every profile
    option, which describes the trust rather than scoring it). `critical` names the cap
    rule (`cap-at-risk` or `cap-unsustainable`) when choosing the option is on its own a
    tipping-point signal.
    """

    value: str
    label: str
    level: int | None = None
    critical: str | None = None


@dataclass(frozen=True, slots=True)
class Band:
    """One band of a number question: `minimum` needs value >= minimum, `maximum` needs
    value <= maximum, a band with neither catches the rest. Bands are checked in order and
    the first match wins."""

    level: int
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    def matches(self, value: Decimal) -> bool:
        if self.minimum is not None and value < self.minimum:
            return False
        return self.maximum is None or value <= self.maximum


@dataclass(frozen=True, slots=True)
class CriticalTrigger:
    """The critical rule of a number (strictly `below` or `above` a value) or of a scale
    (`level` chosen). Choice and yes/no questions carry theirs on the option instead."""

    rule: str
    below: Decimal | None = None
    above: Decimal | None = None
    level: int | None = None


@dataclass(frozen=True, slots=True)
class Question:
    """One question.

    kind is one of choice, number, scale, yesno, profile. A yes/no question carries
    exactly two options, valued "yes" and "no", each with its level (and critical rule).
    A scale carries four `anchors`, the texts of levels 1 to 4. A number carries `unit`,
    the bounds `minimum`/`maximum` that may be entered, and its `bands`. `applies_to`
    lists profile values (answers to a profile question): when that profile question is
    answered with a value not in the list, the question counts as not applicable.
    `answered_by` says who answers it (a figure or a judgement) and `changeable` whether
    the board can change it (fixed, external or a lever); see the constants above.
    """

    code: str
    domain: str
    kind: str
    text: str
    weight: Decimal = Decimal(1)
    options: tuple[Option, ...] = ()
    unit: str = ""
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    bands: tuple[Band, ...] = ()
    anchors: tuple[str, ...] = ()
    critical: CriticalTrigger | None = None
    allow_na: bool = False
    applies_to: tuple[str, ...] = ()
    guidance: str = ""
    basis: str = ""
    answered_by: str = JUDGEMENT
    changeable: str = LEVER

    @property
    def scored(self) -> bool:
        return self.kind in SCORED_KINDS

    @property
    def accepts_na(self) -> bool:
        """Whether "na" is a valid answer: allowed outright, or offered as an option."""
        if self.allow_na:
            return True
        return self.kind != PROFILE and any(option.level is None for option in self.options)

    def option(self, value: str) -> Option | None:
        for option in self.options:
            if option.value == value:
                return option
        return None


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """A published version of the questionnaire. Question order is the display order."""

    version: int
    title: str
    verdict_question: str
    domains: tuple[Domain, ...]
    questions: tuple[Question, ...]


@dataclass(frozen=True, slots=True)
class DomainWeight:
    """How a form relates to a scored domain: `prefers` low (the form answers a weakness
    there) or high (the form needs strength there)."""

    domain: str
    weight: Decimal
    prefers: str
    why: str


@dataclass(frozen=True, slots=True)
class ContextWeight:
    """The same as DomainWeight for one context question, by question code."""

    question: str
    weight: Decimal
    prefers: str
    why: str


@dataclass(frozen=True, slots=True)
class Prerequisite:
    """A hard condition of a form, with the reason shown to boards when it is not met.

    Exactly one condition is set: on a question's answer (`answer_in`, `answer_not_in`
    for option values, `min_level` for a level), or on the verdict (`verdict_in`,
    `verdict_not_in`).
    """

    reason: str
    question: str | None = None
    answer_in: tuple[str, ...] = ()
    answer_not_in: tuple[str, ...] = ()
    min_level: int | None = None
    verdict_in: tuple[str, ...] = ()
    verdict_not_in: tuple[str, ...] = ()

    @property
    def on_verdict(self) -> bool:
        return bool(self.verdict_in or self.verdict_not_in)


@dataclass(frozen=True, slots=True)
class Example:
    """A real NHS case of the form."""

    name: str
    year: int | None = None
    note: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class FitCoefficients:
    """A form's own weights of need, context and proportion in its fit, in place of the
    method's (method section 4): for a form whose case rests more on the place than on the
    trust's scores. They must add up to 1, like the method's."""

    need: Decimal
    context: Decimal
    proportion: Decimal


@dataclass(frozen=True, slots=True)
class Form:
    """One organisational form, seen from the assessing trust's side. `coefficients` is
    None when the form's fit uses the method's coefficients."""

    slug: str
    name: str
    family: str
    role: str
    integration_level: int
    intensity: Decimal
    summary: str = ""
    suits: str = ""
    governance: str = ""
    approvals: str = ""
    months_min: int | None = None
    months_max: int | None = None
    reversibility: str = ""
    domain_weights: tuple[DomainWeight, ...] = ()
    context_weights: tuple[ContextWeight, ...] = ()
    prerequisites: tuple[Prerequisite, ...] = ()
    examples: tuple[Example, ...] = ()
    sources: tuple[str, ...] = ()
    risk_note: str = ""
    coefficients: FitCoefficients | None = None


@dataclass(frozen=True, slots=True)
class Catalogue:
    """A published version of the catalogue of forms. Form order carries no meaning."""

    version: int
    forms: tuple[Form, ...]


@dataclass(frozen=True, slots=True)
class MethodSettings:
    """The admin-editable numbers of a published method version (defaults: method.md)."""

    version: int = 1
    need_coefficient: Decimal = Decimal("0.55")
    context_coefficient: Decimal = Decimal("0.25")
    proportion_coefficient: Decimal = Decimal("0.20")
    lead_index: Decimal = Decimal(70)
    lead_domain_floor: Decimal = Decimal(50)
    collaborate_index: Decimal = Decimal(55)
    at_risk_index: Decimal = Decimal(40)
    domain_cap_floor: Decimal = Decimal(25)
    critical_count_cap: Decimal = Decimal(2)
    provisional_coverage: Decimal = Decimal(60)
    divergence_spread: Decimal = Decimal(2)

    def __post_init__(self) -> None:
        problems = settings_problems(self)
        if problems:
            raise ValueError("Method settings are not usable: " + " ".join(problems))


def form_coefficient_problems(form: Form) -> list[str]:
    """Everything wrong with a form's own fit coefficients, in plain English; none when the
    form uses the method's."""
    own = form.coefficients
    if own is None:
        return []
    where = f"{form.name or form.slug} ({form.slug})"
    problems: list[str] = []
    values = (own.need, own.context, own.proportion)
    if any(value < 0 for value in values):
        problems.append(f"{where}: its own fit coefficients must not be negative.")
    if any(too_precise(value) for value in values):
        problems.append(
            f"{where}: give its own fit coefficients to at most {MAX_PLACES} decimal places."
        )
    if sum(values) != 1:
        problems.append(f"{where}: {coefficients_sum_message(*values)}")
    return problems


def coefficients_sum_message(need: Decimal, context: Decimal, proportion: Decimal) -> str:
    """The refusal of a form's own coefficients that do not add up to 1, showing the sum."""
    total = need + context + proportion
    return (
        "The form's own coefficients must add up to 1: "
        f"need {_plain(need)} + context {_plain(context)} + proportion {_plain(proportion)} "
        f"= {_plain(total)}. Change them, or leave all three empty to use the method's."
    )


def _plain(value: Decimal) -> str:
    """A decimal as people write it: 0.5, not 0.500 or 5E-1."""
    normalised = value.normalize()
    return f"{normalised:f}" if normalised != normalised.to_integral() else f"{normalised:.0f}"


def settings_problems(settings: MethodSettings) -> list[str]:
    """Everything wrong with a set of method settings, in plain English."""
    problems: list[str] = []
    coefficients = (
        settings.need_coefficient,
        settings.context_coefficient,
        settings.proportion_coefficient,
    )
    if any(coefficient < 0 for coefficient in coefficients):
        problems.append("The fit coefficients must not be negative.")
    if any(too_precise(coefficient) for coefficient in coefficients):
        # More places would make the fit's sums inexact (see decimals.py).
        problems.append(f"The fit coefficients need at most {MAX_PLACES} decimal places.")
    if sum(coefficients) != 1:
        # Coefficients summing to one keep every fit between 0 and 100.
        problems.append(f"The fit coefficients must add up to 1, not {sum(coefficients)}.")
    thresholds = (
        settings.at_risk_index,
        settings.collaborate_index,
        settings.lead_index,
    )
    if list(thresholds) != sorted(thresholds):
        problems.append("The index thresholds must rise from at-risk to collaborate to lead.")
    for name in (
        "lead_index",
        "lead_domain_floor",
        "collaborate_index",
        "at_risk_index",
        "domain_cap_floor",
        "provisional_coverage",
    ):
        value: Decimal = getattr(settings, name)
        if not 0 <= value <= 100:
            problems.append(f"{name} must lie between 0 and 100, not {value}.")
    if settings.critical_count_cap < 1:
        problems.append("critical_count_cap must be at least 1.")
    if settings.divergence_spread < 1:
        problems.append("divergence_spread must be at least 1.")
    return problems
