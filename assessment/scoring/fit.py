"""Fit of each organisational form (method section 4): the three terms, prerequisites and
the ranking.

Fit = 100 x (0.55 NeedMatch + 0.25 ContextMatch + 0.20 Proportion), coefficients from the
method settings, or the form's own where the catalogue gives it some. NeedMatch is the
weighted mean match over the form's scored domains with a score (match = p if the form
prefers high, 1 - p if low, with p = score / 100); ContextMatch the same over its context
questions with a level (s = (level - 1) / 3); either is 0.5 when nothing counts.
Proportion = 1 - |intensity - need| with need = 1 - index / 100.

Prerequisites are three-valued. A prerequisite is met or unmet when the evidence it rests
on is there; it is unconfirmed when it is not: its question is unanswered or "don't know",
or, for a prerequisite on the verdict, the verdict itself is provisional. A form with an
unmet prerequisite is ruled out and listed with every unmet reason. A form whose
prerequisites are met or unconfirmed stays in the ranking in its place by fit, marked "to
confirm" with the answers that would confirm it or rule it out (confirm.py): missing
evidence never moves a form, so a board is neither told a form is impossible on missing
evidence nor shown a weaker form above a stronger one because of it. A question answered
"not applicable" is a definite answer: it matches a value list only if the list names
"na", and it never meets a minimum level.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .answers import NA
from .compiled import ANSWERED, MISSING, Compiled, FormPlan, Outcome
from .decimals import HALF, HUNDRED, ONE, ZERO, on_grid
from .definitions import FitCoefficients, Form, MethodSettings, Prerequisite
from .levels import LEVEL_VALUES

MET = "met"
UNMET = "unmet"
UNCONFIRMED = "unconfirmed"

ELIGIBLE = "eligible"
TO_CONFIRM = "to-confirm"
RULED_OUT = "ruled-out"


def check_prerequisites(
    plan: FormPlan, outcomes: tuple[Outcome, ...], verdict: str, provisional: bool
) -> tuple[str, ...]:
    """met / unmet / unconfirmed for each of the form's prerequisites, in order."""
    return tuple(
        prerequisite_status(
            prerequisite, None if position is None else outcomes[position], verdict, provisional
        )
        for prerequisite, position in plan.prerequisites
    )


def prerequisite_status(
    prerequisite: Prerequisite, outcome: Outcome | None, verdict: str, provisional: bool
) -> str:
    if prerequisite.on_verdict:
        if provisional:
            return UNCONFIRMED
        if prerequisite.verdict_in:
            return MET if verdict in prerequisite.verdict_in else UNMET
        return UNMET if verdict in prerequisite.verdict_not_in else MET
    assert outcome is not None
    if outcome.status in MISSING:
        return UNCONFIRMED
    if prerequisite.min_level is not None:
        if outcome.status == ANSWERED and outcome.level is not None:
            return MET if outcome.level >= prerequisite.min_level else UNMET
        return UNMET
    value = outcome.option if outcome.status == ANSWERED else NA
    if prerequisite.answer_in:
        return MET if value in prerequisite.answer_in else UNMET
    return UNMET if value in prerequisite.answer_not_in else MET


def match(value: Decimal, prefers_high: bool) -> Decimal:
    return value if prefers_high else ONE - value


def need_sums_of(plan: FormPlan, values: tuple[Decimal | None, ...]) -> tuple[Decimal, Decimal]:
    """sum(weight * match) and sum(weight) over the form's domains that have a score.
    NeedMatch is their quotient, or 0.5 when no domain counts."""
    total = weights = ZERO
    for position, weight, prefers_high in plan.need_items:
        value = values[position]
        if value is not None:
            total += weight * (value if prefers_high else ONE - value)
            weights += weight
    return total, weights


def context_match_of(plan: FormPlan, outcomes: tuple[Outcome, ...]) -> Decimal:
    """The same over the form's context questions that have a level (0.5 if none)."""
    total = weights = ZERO
    for position, weight, prefers_high in plan.context_items:
        level = outcomes[position].level
        if outcomes[position].status == ANSWERED and level is not None:
            value = LEVEL_VALUES[level]
            total += weight * (value if prefers_high else ONE - value)
            weights += weight
    return on_grid(total / weights) if weights else HALF


def need_match_from(total: Decimal, weights: Decimal) -> Decimal:
    return on_grid(total / weights) if weights else HALF


def proportion_of(intensity: Decimal, need: Decimal | None) -> Decimal:
    """Proportion = 1 - |intensity - need|, where need = 1 - index / 100; a neutral 0.5
    when no scored domain has an answer, so there is no index."""
    return HALF if need is None else ONE - abs(intensity - need)


Coefficients = tuple[Decimal, Decimal, Decimal]


def coefficients_of(form: Form | None, settings: MethodSettings) -> FitCoefficients:
    """The coefficients a form's fit uses: its own when the catalogue gives it some,
    otherwise the method's."""
    if form is not None and form.coefficients is not None:
        return form.coefficients
    return FitCoefficients(
        need=settings.need_coefficient,
        context=settings.context_coefficient,
        proportion=settings.proportion_coefficient,
    )


def fit_coefficients(settings: MethodSettings, form: Form | None = None) -> Coefficients:
    """100 x each coefficient of `form` (the method's when it has none of its own, or when
    no form is given), computed once per scenario."""
    own = coefficients_of(form, settings)
    return (HUNDRED * own.need, HUNDRED * own.context, HUNDRED * own.proportion)


def fit_of(coefficients: Coefficients, nm: Decimal, cm: Decimal, pr: Decimal) -> Decimal:
    """Fit = 100 x (0.55 NeedMatch + 0.25 ContextMatch + 0.20 Proportion), with the
    coefficients `fit_coefficients` gives for the form."""
    need_k, context_k, proportion_k = coefficients
    return on_grid(need_k * nm + context_k * cm + proportion_k * pr)


def standing_of(statuses: tuple[str, ...]) -> str:
    if UNMET in statuses:
        return RULED_OUT
    if UNCONFIRMED in statuses:
        return TO_CONFIRM
    return ELIGIBLE


def rank(
    compiled: Compiled, rounded: Sequence[Decimal], standing: Sequence[str]
) -> tuple[int, ...]:
    """Every form not ruled out, by fit rounded to one decimal, highest first; then
    integration level, lowest first; then slug. Whether a form is to confirm plays no part."""
    keys = compiled.form_keys
    return tuple(
        sorted(
            [f for f, state in enumerate(standing) if state != RULED_OUT],
            key=lambda f: (-rounded[f], keys[f]),
        )
    )
