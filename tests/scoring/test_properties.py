"""The properties method.md requires, checked on answer sets drawn from the seed
questionnaire's own options, levels and number bounds."""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.scoring import (
    VERDICTS,
    Answer,
    Catalogue,
    Question,
    Result,
    evaluate,
    parse_answers,
    result_from_dict,
    result_to_dict,
)
from assessment.scoring.levels import number_regions, resolve
from tests.scoring.support import SETTINGS, domain, persona_answers, seed

SEVERITY = {code: position for position, (code, _) in enumerate(VERDICTS)}
QUESTIONNAIRE, CATALOGUE = seed()
QUESTIONS = {question.code: question for question in QUESTIONNAIRE.questions}
# No example database: the tests write nothing into the project directory.
# How many examples each test tries comes from the profile (tests/conftest.py), except
# where a test sets fewer because each example is slow.
COMMON = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)


def edges(question: Question) -> list[Decimal]:
    """Band edges, critical limits and bounds, and the values a hundredth either side."""
    points = {region.low for region in number_regions(question) if region.low is not None}
    points |= {region.high for region in number_regions(question) if region.high is not None}
    near = {point + delta for point in points for delta in (Decimal("-0.01"), 0, Decimal("0.01"))}
    low, high = question.minimum, question.maximum
    return sorted(
        value for value in near if (low is None or value >= low) and (high is None or value <= high)
    )


def given_value(question: Question) -> st.SearchStrategy[object]:
    if question.kind == "number":
        assert question.minimum is not None
        assert question.maximum is not None
        return st.one_of(
            st.sampled_from(edges(question)),
            st.decimals(question.minimum, question.maximum, places=2),
        )
    if question.kind == "scale":
        return st.integers(1, 4)
    return st.sampled_from([option.value for option in question.options])


def raw_value(question: Question) -> st.SearchStrategy[object]:
    # Mostly real answers, sometimes "don't know" or "not applicable".
    others: list[st.SearchStrategy[object]] = [st.just("dk")]
    if question.accepts_na:
        others.append(st.just("na"))
    return st.one_of(given_value(question), given_value(question), given_value(question), *others)


answer_sets = st.fixed_dictionaries(
    {}, optional={code: raw_value(question) for code, question in QUESTIONS.items()}
)


def run(
    raw: dict[str, Any], catalogue: Catalogue = CATALOGUE, *, sensitivity: bool = False
) -> Result:
    answers = parse_answers(QUESTIONNAIRE, raw)
    return evaluate(QUESTIONNAIRE, catalogue, SETTINGS, answers, sensitivity=sensitivity)


def scores(result: Result) -> dict[str, Decimal | None]:
    return {item.code: item.score for item in result.domains} | {"index": result.index}


@settings(COMMON, max_examples=20)
@given(raw=answer_sets, seed_value=st.integers(0, 2**32 - 1))
def test_the_same_answers_give_the_same_result_whatever_the_order(
    raw: dict[str, Any], seed_value: int
) -> None:
    shuffler = random.Random(seed_value)
    answers = list(parse_answers(QUESTIONNAIRE, raw))
    forms = list(CATALOGUE.forms)
    shuffler.shuffle(answers)
    shuffler.shuffle(forms)
    first = evaluate(QUESTIONNAIRE, CATALOGUE, SETTINGS, parse_answers(QUESTIONNAIRE, raw))
    second = evaluate(QUESTIONNAIRE, Catalogue(CATALOGUE.version, tuple(forms)), SETTINGS, answers)
    assert first == second
    assert result_to_dict(first) == result_to_dict(second)


@COMMON
@given(raw=answer_sets)
def test_every_score_index_coverage_and_fit_lies_between_0_and_100(raw: dict[str, Any]) -> None:
    result = run(raw)
    values = [result.coverage, result.index]
    values += [item.score for item in result.questions]
    values += [item.score for item in result.domains] + [item.coverage for item in result.domains]
    values += [item.fit for item in result.ranking] + [item.fit for item in result.ruled_out]
    for value in values:
        assert value is None or 0 <= value <= 100
    for item in result.ranking:
        assert 0 <= item.need_match <= 1
        assert 0 <= item.context_match <= 1
        assert 0 <= item.proportion <= 1


@COMMON
@given(data=st.data(), raw=answer_sets)
def test_improving_one_answer_never_lowers_its_domain_or_the_index_or_worsens_the_verdict(
    data: st.DataObject, raw: dict[str, Any]
) -> None:
    before = run(raw)
    improvable = [
        item
        for item in before.questions
        if item.status == "answered" and item.level is not None and item.level < 4
    ]
    if not improvable:
        return
    chosen = data.draw(st.sampled_from(improvable))
    question = QUESTIONS[chosen.code]
    better = data.draw(
        given_value(question).filter(lambda value: _better(question, value, chosen.level or 0))
    )
    after = run({**raw, chosen.code: better})
    assert domain(after, chosen.domain).score >= domain(before, chosen.domain).score
    # A context answer alone gives no index, before or after.
    assert (after.index is None) == (before.index is None)
    if after.index is not None and before.index is not None:
        assert after.index >= before.index
    assert SEVERITY[after.verdict.code] <= SEVERITY[before.verdict.code]


def _better(question: Question, raw: object, level: int) -> bool:
    """A higher level that raises no new critical signal."""
    answer = parse_answers(QUESTIONNAIRE, {question.code: raw})[0]
    new_level, critical = resolve(question, answer)
    return new_level is not None and new_level > level and critical is None


@COMMON
@given(raw=answer_sets)
def test_a_ruled_out_form_never_appears_in_the_ranking(raw: dict[str, Any]) -> None:
    result = run(raw)
    ranked = {item.slug for item in result.ranking}
    ruled = {item.slug for item in result.ruled_out}
    assert not ranked & ruled
    assert ranked | ruled == {form.slug for form in CATALOGUE.forms}
    for item in result.ruled_out:
        unmet = [check.reason for check in item.prerequisites if check.status == "unmet"]
        assert unmet
        assert item.reasons == tuple(unmet)


@COMMON
@given(data=st.data(), raw=answer_sets)
def test_not_applicable_never_lowers_a_score(data: st.DataObject, raw: dict[str, Any]) -> None:
    code = data.draw(st.sampled_from([code for code, q in QUESTIONS.items() if q.accepts_na]))
    as_na = run({**raw, code: "na"})
    left_out = run({key: value for key, value in raw.items() if key != code})
    # Not applicable is left out of every score, exactly as if it were never asked...
    assert scores(as_na) == scores(left_out)
    # ...so it scores no lower than the worst answer the question could take.
    worst = run({**raw, code: data.draw(given_value(QUESTIONS[code]).filter(_level_one(code)))})
    worst_scores = scores(worst)
    for key, value in scores(as_na).items():
        lowest = worst_scores[key]
        if value is not None and lowest is not None:
            assert value >= lowest


def _level_one(code: str) -> Callable[[object], bool]:
    question = QUESTIONS[code]

    def check(raw: object) -> bool:
        answer = parse_answers(QUESTIONNAIRE, {code: raw})[0]
        return resolve(question, answer)[0] == 1

    return check


@COMMON
@given(data=st.data(), raw=answer_sets)
def test_dont_know_never_changes_a_score_but_always_lowers_coverage(
    data: st.DataObject, raw: dict[str, Any]
) -> None:
    scored = [code for code, question in QUESTIONS.items() if question.scored]
    code = data.draw(st.sampled_from(scored))
    as_dk = run({**raw, code: "dk"})
    left_out = run({key: value for key, value in raw.items() if key != code})
    assert scores(as_dk) == scores(left_out)
    answered = run({**raw, code: data.draw(given_value(QUESTIONS[code]))})
    home = QUESTIONS[code].domain
    if domain(answered, home).applicable_weight == domain(as_dk, home).applicable_weight:
        # (Unless the profile has made the question not applicable in both.)
        assert domain(as_dk, home).coverage < domain(answered, home).coverage
        if domain(as_dk, home).scored:
            assert as_dk.coverage < answered.coverage
    assert code in [item.question for item in as_dk.missing]


@settings(COMMON, max_examples=15)
@given(raw=answer_sets)
def test_any_result_round_trips_through_its_stored_form(raw: dict[str, Any]) -> None:
    result = run(raw, sensitivity=True)
    assert result_from_dict(result_to_dict(result)) == result


@settings(COMMON, max_examples=10)
@given(data=st.data())
def test_sensitivity_agrees_with_evaluating_each_reported_change_afresh(
    data: st.DataObject,
) -> None:
    # Start from a persona so that most questions are answered, then vary a few answers.
    name = data.draw(
        st.sampled_from(["collaborative-mid", "fragile-workforce", "strong-teaching-trust"])
    )
    raw = persona_answers(name)
    for code in data.draw(st.lists(st.sampled_from(sorted(QUESTIONS)), max_size=4, unique=True)):
        raw[code] = data.draw(given_value(QUESTIONS[code]))
    result = run(raw, sensitivity=True)
    assert result.sensitivity is not None
    for item in result.sensitivity.displacing[:5]:
        fresh = run({**raw, item.change.question: item.change.to_answer})
        assert (fresh.ranking[0].slug if fresh.ranking else None) == item.new_top
    for verdict_change in result.sensitivity.verdict_changes[:5]:
        fresh = run({**raw, verdict_change.change.question: verdict_change.change.to_answer})
        assert fresh.verdict.code == verdict_change.verdict


def test_answers_generated_here_are_all_valid() -> None:
    # The strategies draw only from the seed's own options, levels and bounds.
    for question in QUESTIONNAIRE.questions:
        if question.kind == "number":
            for value in edges(question):
                assert isinstance(parse_answers(QUESTIONNAIRE, {question.code: value})[0], Answer)
