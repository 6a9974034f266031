"""The result of one evaluation: everything a results page and a board paper need.

Frozen dataclasses only, with Decimals unrounded (round for display with
`decimals.display`). `serialise.result_to_dict` turns a Result into a JSON-safe dict that
`serialise.result_from_dict` turns back into an equal Result, so a stored snapshot can be
rendered again years later exactly as it was on the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .definitions import Example, MethodSettings


@dataclass(frozen=True, slots=True)
class Cap:
    """A rule that limits the verdict. `kind` is critical-answer, critical-count or
    domain-floor; `binding` is true for the cap that decided the verdict."""

    verdict: str
    kind: str
    subject: str
    text: str
    binding: bool


@dataclass(frozen=True, slots=True)
class Verdict:
    code: str
    label: str
    rule: str  # the rule that decided it, in plain English
    decided_by: str  # "index" or "cap"
    band: str  # the verdict the index alone would give
    provisional: bool
    provisional_note: str
    caps: tuple[Cap, ...]


@dataclass(frozen=True, slots=True)
class DomainResult:
    code: str
    name: str
    weight: Decimal
    scored: bool
    score: Decimal | None  # None: no answered question
    coverage: Decimal | None  # percent of applicable weight answered; None: nothing applicable
    answered_weight: Decimal
    applicable_weight: Decimal
    in_index: bool
    missing: tuple[str, ...]  # codes answered "don't know" or not answered
    not_applicable: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuestionResult:
    code: str
    domain: str
    kind: str
    text: str
    weight: Decimal
    status: str  # answered, na, not-applicable, dk, unanswered
    answer: str | None  # as stored: "good", "0.2", "3", "na", "dk"
    answer_label: str
    level: int | None
    score: Decimal | None
    critical: str | None


@dataclass(frozen=True, slots=True)
class Trigger:
    """A critical answer: on its own a tipping-point signal."""

    question: str
    text: str
    answer_label: str
    rule: str
    verdict: str  # the verdict it caps at


@dataclass(frozen=True, slots=True)
class MissingEvidence:
    question: str
    domain: str
    text: str
    status: str  # dk or unanswered
    scored: bool  # whether it counts towards coverage


@dataclass(frozen=True, slots=True)
class PrerequisiteCheck:
    reason: str
    status: str  # met, unmet, unconfirmed
    question: str | None
    detail: str  # what the trust's answer or verdict was


@dataclass(frozen=True, slots=True)
class ToConfirm:
    """A prerequisite of a ranked form that cannot be judged yet, and the missing answers
    that would confirm it or rule the form out. For a prerequisite on the verdict
    (`on_verdict`), the verdict is provisional and `missing` lists the missing answers that
    make it so."""

    reason: str
    on_verdict: bool
    missing: tuple[MissingEvidence, ...]  # in questionnaire order
    sentence: str


@dataclass(frozen=True, slots=True)
class Reason:
    """One item's contribution to a form's fit.

    `points` is the item's share of the fit (coefficient x normalised weight x match x 100).
    `effect` is the same measured from a neutral match of 0.5, so it is positive when the
    item pushed the form up and negative when it pushed it down.
    """

    term: str  # need or context
    subject: str  # domain or question code
    subject_name: str
    answer: str  # the trust's own score ("81.0/100") or answer label
    weight: Decimal
    prefers: str
    match: Decimal
    points: Decimal
    effect: Decimal
    direction: str  # up, down, neutral
    why: str
    sentence: str


@dataclass(frozen=True, slots=True)
class Explanation:
    reasons: tuple[Reason, ...]  # the three largest effects, largest first
    skipped: tuple[str, ...]  # items left out because their value is missing
    need: Decimal | None  # 100 - index
    proportion_note: str
    sentence: str


@dataclass(frozen=True, slots=True)
class FormDetails:
    summary: str
    suits: str
    governance: str
    approvals: str
    months_min: int | None
    months_max: int | None
    reversibility: str
    risk_note: str
    examples: tuple[Example, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RankedForm:
    rank: int
    slug: str
    name: str
    family: str
    role: str
    integration_level: int
    intensity: Decimal
    fit: Decimal
    need_match: Decimal
    context_match: Decimal
    proportion: Decimal
    conditional: bool  # "to confirm": a prerequisite awaits evidence; it never moves the form
    prerequisites: tuple[PrerequisiteCheck, ...]
    to_confirm: tuple[ToConfirm, ...]  # one for each unconfirmed prerequisite
    explanation: Explanation
    details: FormDetails


@dataclass(frozen=True, slots=True)
class RuledOutForm:
    slug: str
    name: str
    family: str
    role: str
    integration_level: int
    fit: Decimal
    reasons: tuple[str, ...]  # every unmet prerequisite
    prerequisites: tuple[PrerequisiteCheck, ...]
    details: FormDetails


# How a change to an external question is labelled wherever it is shown (method section 10).
OUTSIDE_CONTROL = "outside the trust's control"


@dataclass(frozen=True, slots=True)
class AnswerChange:
    """One changed answer that sensitivity tried. A fact of the trust's nature (a `fixed`
    question) is never tried; context outside the trust's control (an `external` question)
    is tried, marked `outside_control`, and its description says so."""

    question: str
    question_text: str
    from_answer: str
    from_label: str
    to_answer: str  # a representative stored answer ("-189.5" for a band of a number)
    to_label: str
    steps: int | None  # levels or bands away; None for not applicable and profile changes
    description: str  # "If QUAL-1 were 'Requires improvement' instead of 'Good'"
    # Results stored before format 3 have no such mark and read as False: shown as on the day.
    outside_control: bool = False


@dataclass(frozen=True, slots=True)
class Displacement:
    change: AnswerChange
    new_top: str | None
    new_top_name: str
    sentence: str


@dataclass(frozen=True, slots=True)
class VerdictChange:
    change: AnswerChange
    verdict: str
    verdict_label: str
    sentence: str


@dataclass(frozen=True, slots=True)
class FitChange:
    change: AnswerChange
    fit_before: Decimal
    fit_after: Decimal
    delta: Decimal
    rank_before: int
    rank_after: int | None  # None: ruled out by the change
    sentence: str


@dataclass(frozen=True, slots=True)
class FormSensitivity:
    slug: str
    name: str
    lifts: tuple[FitChange, ...]
    drops: tuple[FitChange, ...]


@dataclass(frozen=True, slots=True)
class Sensitivity:
    stability: str  # robust or fragile
    top_form: str | None
    summary: str
    scenarios: int  # single-answer changes tried
    displacing: tuple[Displacement, ...]  # nearest first
    verdict_changes: tuple[VerdictChange, ...]  # nearest first
    forms: tuple[FormSensitivity, ...]  # for each of the top three forms


@dataclass(frozen=True, slots=True)
class Result:
    questionnaire_version: int
    catalogue_version: int
    settings: MethodSettings
    title: str
    verdict_question: str
    verdict: Verdict
    index: Decimal | None  # None: no scored domain has an answer
    coverage: Decimal  # percent, over the scored domains
    domains: tuple[DomainResult, ...]
    dropped_domains: tuple[str, ...]  # scored domains left out of the index
    questions: tuple[QuestionResult, ...]
    triggers: tuple[Trigger, ...]
    missing: tuple[MissingEvidence, ...]
    ranking: tuple[RankedForm, ...]
    ruled_out: tuple[RuledOutForm, ...]
    sensitivity: Sensitivity | None
