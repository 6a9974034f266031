"""The core of the method for one set of outcomes: domain scores and coverage, the index,
the verdict code, the three fit terms of every form, prerequisites and the ranking.

`build_scenario` is called once for the trust's own answers and again for every
single-answer change that sensitivity tries. Given the base scenario and the changed
question, it reuses every value the change cannot affect and updates running sums for the
rest. Sums of weights and of weight x value are exact (see decimals.py; checks.py keeps
weights to six decimal places), so an updated sum equals the sum computed afresh, digit
for digit, and each derived value then goes through the same single division: a change
explored by sensitivity and the same answers evaluated afresh always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from .compiled import ANSWERED, MISSING, Compiled, Outcome
from .decimals import CONTEXT, EXACT, HUNDRED, ONE, TENTH, THREE, ZERO, on_grid
from .definitions import MethodSettings
from .fit import (
    check_prerequisites,
    context_match_of,
    fit_coefficients,
    fit_of,
    need_match_from,
    need_sums_of,
    proportion_of,
    rank,
    standing_of,
)
from .verdict import verdict_code


@dataclass(frozen=True, slots=True)
class DomainState:
    answered_weight: Decimal
    applicable_weight: Decimal
    level_sum: Decimal  # sum of weight * (level - 1) over answered questions
    score: Decimal | None  # None: no answered question
    coverage: Decimal | None  # None: no applicable question


@dataclass(frozen=True, slots=True)
class Scenario:
    outcomes: tuple[Outcome, ...]
    domains: tuple[DomainState, ...]
    values: tuple[Decimal | None, ...]  # domain scores on 0..1
    index: Decimal | None
    coverage: Decimal
    provisional: bool
    criticals: tuple[int, ...]  # positions of questions with a critical answer
    verdict: str
    need_sums: tuple[tuple[Decimal, Decimal], ...]  # sum(weight * match), sum(weight)
    need_match: tuple[Decimal, ...]  # by form position in Compiled.forms
    context_match: tuple[Decimal, ...]
    proportion: tuple[Decimal, ...]
    fit: tuple[Decimal, ...]
    rounded: tuple[Decimal, ...]  # fit to one decimal place, as ranked
    prerequisites: tuple[tuple[str, ...], ...]  # met / unmet / unconfirmed, per form
    standing: tuple[str, ...]  # eligible / to-confirm / ruled-out, per form
    ranking: tuple[int, ...]  # form positions, best first


def build_scenario(
    compiled: Compiled,
    settings: MethodSettings,
    outcomes: tuple[Outcome, ...],
    base: Scenario | None = None,
    changed: int | None = None,
) -> Scenario:
    """The scenario for these outcomes. With `base` and `changed` (the position of the one
    question whose outcome differs from base, not a profile question), only what that
    change can affect is recomputed."""
    if base is None or changed is None:
        return _fresh(compiled, settings, outcomes)
    return _changed(compiled, settings, outcomes, base, changed)


def _fresh(compiled: Compiled, settings: MethodSettings, outcomes: tuple[Outcome, ...]) -> Scenario:
    domains = []
    for members in compiled.domain_questions:
        answered = applicable = level_sum = ZERO
        for position in members:
            a, b, c = _contribution(outcomes[position], compiled.weights[position])
            answered, applicable, level_sum = answered + a, applicable + b, level_sum + c
        domains.append(_domain(answered, applicable, level_sum))
    values = tuple(_value(state) for state in domains)
    index, coverage = _index_and_coverage(compiled, domains)
    provisional = coverage < settings.provisional_coverage
    criticals = tuple(position for position, outcome in enumerate(outcomes) if outcome.critical)
    verdict = _verdict(compiled, settings, outcomes, domains, index, criticals)
    need = None if index is None else ONE - index.scaleb(-2)
    need_sums = tuple(need_sums_of(plan, values) for plan in compiled.forms)
    need_match = tuple(need_match_from(total, weights) for total, weights in need_sums)
    context_match = tuple(context_match_of(plan, outcomes) for plan in compiled.forms)
    proportion = tuple(proportion_of(plan.form.intensity, need) for plan in compiled.forms)
    coefficients = tuple(fit_coefficients(settings, plan.form) for plan in compiled.forms)
    fit = tuple(
        fit_of(k, nm, cm, pr)
        for k, nm, cm, pr in zip(coefficients, need_match, context_match, proportion, strict=True)
    )
    rounded = tuple(value.quantize(TENTH, ROUND_HALF_UP) for value in fit)
    prerequisites = tuple(
        check_prerequisites(plan, outcomes, verdict, provisional) for plan in compiled.forms
    )
    standing = tuple(standing_of(statuses) for statuses in prerequisites)
    return Scenario(
        outcomes=outcomes,
        domains=tuple(domains),
        values=values,
        index=index,
        coverage=coverage,
        provisional=provisional,
        criticals=criticals,
        verdict=verdict,
        need_sums=need_sums,
        need_match=need_match,
        context_match=context_match,
        proportion=proportion,
        fit=fit,
        rounded=rounded,
        prerequisites=prerequisites,
        standing=standing,
        ranking=rank(compiled, rounded, standing),
    )


def _changed(
    compiled: Compiled,
    settings: MethodSettings,
    outcomes: tuple[Outcome, ...],
    base: Scenario,
    changed: int,
) -> Scenario:
    d = compiled.question_domain[changed]
    old_state = base.domains[d]
    answered, applicable, level_sum = domain_sums_after(compiled, base, changed, outcomes[changed])
    domain_moved = (answered, applicable, level_sum) != (
        old_state.answered_weight,
        old_state.applicable_weight,
        old_state.level_sum,
    )
    domains, values = base.domains, base.values
    index, coverage = base.index, base.coverage
    if domain_moved:
        state = _domain(answered, applicable, level_sum)
        domains = (*domains[:d], state, *domains[d + 1 :])
        values = (*values[:d], _value(state), *values[d + 1 :])
        if compiled.domain_scored[d]:
            index, coverage = _index_and_coverage(compiled, domains)
    index_moved = index != base.index
    provisional = coverage < settings.provisional_coverage
    criticals = base.criticals
    if (base.outcomes[changed].critical is None) != (outcomes[changed].critical is None):
        criticals = tuple(position for position, outcome in enumerate(outcomes) if outcome.critical)
    verdict = _verdict(compiled, settings, outcomes, domains, index, criticals)
    need = None if index is None else ONE - index.scaleb(-2)

    need_sums = list(base.need_sums)
    need_match = list(base.need_match)
    moved = [index_moved] * len(compiled.forms)
    old_value, new_value = base.values[d], values[d]
    if new_value != old_value:
        for f, item_weight, high in compiled.need_items_by_domain[d]:
            total, weights = need_sums[f]
            if old_value is not None:
                total -= item_weight * (old_value if high else ONE - old_value)
                weights -= item_weight
            if new_value is not None:
                total += item_weight * (new_value if high else ONE - new_value)
                weights += item_weight
            need_sums[f] = (total, weights)
            moved[f] = True
        for f in compiled.forms_by_domain[d]:
            need_match[f] = need_match_from(*need_sums[f])
    context_match = list(base.context_match)
    for f in compiled.forms_by_question[changed]:
        context_match[f] = context_match_of(compiled.forms[f], outcomes)
        moved[f] = True
    proportion = base.proportion
    if index_moved:
        proportion = tuple(proportion_of(plan.form.intensity, need) for plan in compiled.forms)
    fit = list(base.fit)
    rounded = list(base.rounded)
    for f, form_moved in enumerate(moved):
        if form_moved:
            coefficients = fit_coefficients(settings, compiled.forms[f].form)
            value = fit_of(coefficients, need_match[f], context_match[f], proportion[f])
            fit[f] = value
            rounded[f] = value.quantize(TENTH, ROUND_HALF_UP)

    verdict_moved = verdict != base.verdict or provisional != base.provisional
    prerequisites = list(base.prerequisites)
    standing = list(base.standing)
    recheck = compiled.forms_by_prerequisite[changed]
    if verdict_moved:
        recheck = recheck | compiled.forms_on_verdict
    for f in recheck:
        prerequisites[f] = check_prerequisites(compiled.forms[f], outcomes, verdict, provisional)
        standing[f] = standing_of(prerequisites[f])
    return Scenario(
        outcomes=outcomes,
        domains=domains,
        values=values,
        index=index,
        coverage=coverage,
        provisional=provisional,
        criticals=criticals,
        verdict=verdict,
        need_sums=tuple(need_sums),
        need_match=tuple(need_match),
        context_match=tuple(context_match),
        proportion=proportion,
        fit=tuple(fit),
        rounded=tuple(rounded),
        prerequisites=tuple(prerequisites),
        standing=tuple(standing),
        ranking=rank(compiled, rounded, standing),
    )


def domain_sums_after(
    compiled: Compiled, base: Scenario, changed: int, outcome: Outcome
) -> tuple[Decimal, Decimal, Decimal]:
    """The sums of the changed question's domain if its outcome became `outcome`."""
    state = base.domains[compiled.question_domain[changed]]
    weight = compiled.weights[changed]
    old_a, old_b, old_c = _contribution(base.outcomes[changed], weight)
    new_a, new_b, new_c = _contribution(outcome, weight)
    return (
        state.answered_weight - old_a + new_a,
        state.applicable_weight - old_b + new_b,
        state.level_sum - old_c + new_c,
    )


def _contribution(outcome: Outcome, weight: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """(answered weight, applicable weight, weight * (level - 1)) of one question."""
    if outcome.status == ANSWERED and outcome.level is not None:
        return weight, weight, weight * (outcome.level - 1)
    if outcome.status in MISSING:
        return ZERO, weight, ZERO
    return ZERO, ZERO, ZERO  # not applicable: out of every denominator


def _domain(answered: Decimal, applicable: Decimal, level_sum: Decimal) -> DomainState:
    # score = 100 * sum(w * (level - 1)) / (3 * sum(w)): one division, from exact sums.
    score = on_grid(HUNDRED * level_sum / (THREE * answered)) if answered else None
    coverage = on_grid(HUNDRED * answered / applicable) if applicable else None
    return DomainState(answered, applicable, level_sum, score, coverage)


def _value(state: DomainState) -> Decimal | None:
    return None if state.score is None else state.score.scaleb(-2)


def _index_and_coverage(
    compiled: Compiled, domains: Sequence[DomainState]
) -> tuple[Decimal | None, Decimal]:
    """The index and the overall coverage, each computed exactly and rounded once.

    Index = sum(W_d * score_d) / sum(W_d) over the scored domains with a score, where
    score_d = 100 * level_sum_d / (3 * answered_d). Adding the fractions
    level_sum_d / answered_d over a common denominator keeps the sum exact, so an index
    that is exactly on a threshold (70, 55, 40) is exactly on it, never a hair below.
    Coverage is the same weighted mean of 100 * answered_d / applicable_d over the scored
    domains with an applicable question.
    """
    definitions = compiled.questionnaire.domains
    index_top, index_bottom, index_weight = ZERO, ONE, ZERO
    cover_top, cover_bottom, cover_weight = ZERO, ONE, ZERO
    with localcontext(EXACT):
        for d in compiled.scored_domains:
            state, weight = domains[d], definitions[d].weight
            answered, applicable = state.answered_weight, state.applicable_weight
            if answered:
                index_top = index_top * answered + weight * state.level_sum * index_bottom
                index_bottom *= answered
                index_weight += weight
            if applicable:
                cover_top = cover_top * applicable + weight * answered * cover_bottom
                cover_bottom *= applicable
                cover_weight += weight
        index_bottom *= THREE * index_weight
        cover_bottom *= cover_weight
    index = on_grid(CONTEXT.divide(HUNDRED * index_top, index_bottom)) if index_weight else None
    coverage = on_grid(CONTEXT.divide(HUNDRED * cover_top, cover_bottom)) if cover_weight else ZERO
    return index, coverage


def _verdict(
    compiled: Compiled,
    settings: MethodSettings,
    outcomes: tuple[Outcome, ...],
    domains: Sequence[DomainState],
    index: Decimal | None,
    criticals: tuple[int, ...],
) -> str:
    scores = [score for d in compiled.scored_domains if (score := domains[d].score) is not None]
    rules = [outcomes[position].critical or "" for position in criticals]
    return verdict_code(index, scores, rules, settings)
