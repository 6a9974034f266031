"""Sensitivity: which single changed answers would displace the top form, change the
verdict, or lift or drop each of the top three forms."""

from __future__ import annotations

import pytest

from assessment.scoring import Result
from assessment.scoring.levels import number_regions
from tests.scoring.support import (
    form,
    persona_answers,
    plain_form,
    seed,
    seed_result,
    small_catalogue,
    small_result,
)

PERSONAS = ["collaborative-mid", "fragile-workforce", "strong-teaching-trust"]


@pytest.fixture(scope="module", params=PERSONAS)
def persona_result(request: pytest.FixtureRequest) -> tuple[str, Result]:
    name: str = request.param
    return name, seed_result(persona_answers(name), sensitivity=True)


def test_every_reported_change_agrees_with_evaluating_that_change_afresh(
    persona_result: tuple[str, Result],
) -> None:
    name, result = persona_result
    sensitivity = result.sensitivity
    assert sensitivity is not None
    for displacement in sensitivity.displacing:
        change = displacement.change
        fresh = seed_result(persona_answers(name, {change.question: change.to_answer}))
        assert fresh.ranking[0].slug == displacement.new_top
    for verdict_change in sensitivity.verdict_changes:
        change = verdict_change.change
        fresh = seed_result(persona_answers(name, {change.question: change.to_answer}))
        assert fresh.verdict.code == verdict_change.verdict
    for impact in sensitivity.forms:
        for fit_change in impact.lifts + impact.drops:
            change = fit_change.change
            fresh = seed_result(persona_answers(name, {change.question: change.to_answer}))
            moved = form(fresh, impact.slug)
            assert moved.fit == fit_change.fit_after
            assert getattr(moved, "rank", None) == fit_change.rank_after


def test_every_other_answer_of_every_answered_question_is_tried(
    persona_result: tuple[str, Result],
) -> None:
    _, result = persona_result
    questionnaire, _ = seed()
    expected = 0
    for question in questionnaire.questions:
        if question.changeable == "fixed":
            # A fact of the trust's nature is never tried (method section 10); before that
            # rule, PROFILE-TYPE, SCALE-1 and SYS-6 were tried like every other question.
            continue
        na = 1 if question.accepts_na else 0
        if question.kind == "number":
            outcomes = {(region.level, region.critical) for region in number_regions(question)}
            expected += len(outcomes) - 1 + na
        elif question.kind == "scale":
            expected += 3 + na
        elif question.kind == "profile":
            expected += len(question.options) - 1
        else:
            expected += sum(1 for option in question.options if option.level is not None) - 1 + na
    assert result.sensitivity is not None
    assert result.sensitivity.scenarios == expected


def test_displacing_changes_are_listed_nearest_first(persona_result: tuple[str, Result]) -> None:
    _, result = persona_result
    assert result.sensitivity is not None
    steps = [item.change.steps for item in result.sensitivity.displacing]
    numbered = [step for step in steps if step is not None]
    assert numbered == sorted(numbered)
    assert steps[: len(numbered)] == numbered  # changes without a distance come last
    assert result.sensitivity.stability == ("fragile" if steps else "robust")


def test_a_fragile_recommendation_names_the_change_that_would_displace_it() -> None:
    result = seed_result(persona_answers("fragile-workforce"), sensitivity=True)
    assert result.sensitivity is not None
    assert result.sensitivity.stability == "fragile"
    first = result.sensitivity.displacing[0]
    assert first.change.description == "If QUAL-1 were 'Requires improvement' instead of 'Good'"
    assert first.change.steps == 1
    assert first.sentence == (
        "If QUAL-1 were 'Requires improvement' instead of 'Good', Host a specialist provider's "
        "service-level chain would rank first instead of Joint venture for a defined service."
    )
    assert result.sensitivity.summary.startswith("Fragile: ")


def test_a_number_change_is_described_by_the_band_it_moves_into() -> None:
    result = seed_result(persona_answers("strong-teaching-trust"), sensitivity=True)
    assert result.sensitivity is not None
    descriptions = [item.change.description for item in result.sensitivity.displacing]
    assert "If FIN-1 were from 0 to under 1% of income instead of 2% of income" in descriptions
    verdicts = {
        item.change.description: item.verdict for item in result.sensitivity.verdict_changes
    }
    assert verdicts["If FIN-1 were under -5% of income instead of 2% of income"] == "at-risk"
    assert verdicts["If QUAL-2 were 'Yes' instead of 'No'"] == "unsustainable"


def test_lifts_and_drops_of_each_top_form_are_ordered_by_size() -> None:
    result = seed_result(persona_answers("strong-teaching-trust"), sensitivity=True)
    assert result.sensitivity is not None
    assert [item.slug for item in result.sensitivity.forms] == [
        item.slug for item in result.ranking[:3]
    ]
    for impact in result.sensitivity.forms:
        lifts = [item.delta for item in impact.lifts]
        assert all(delta > 0 for delta in lifts)
        assert lifts == sorted(lifts, reverse=True)
        ruled_out = [item for item in impact.drops if item.rank_after is None]
        assert impact.drops[: len(ruled_out)] == tuple(ruled_out)  # leaving the menu first
    offer = result.sensitivity.forms[0]
    assert offer.slug == "offer-support"
    assert offer.drops[0].sentence == (
        "If CHANGE-4 were level 1 instead of level 4, it would be ruled out: "
        "The trust must be ready to support others."
    )


def test_a_top_form_no_single_change_can_displace_is_robust() -> None:
    result = small_result({"A-1": 3, "A-2": 3}, small_catalogue(plain_form("only", 0, "0.5")))
    assert result.sensitivity is not None
    assert result.sensitivity.stability == "robust"
    assert result.sensitivity.displacing == ()
    assert result.sensitivity.summary.startswith("Robust: none of ")


def test_sensitivity_can_be_skipped() -> None:
    assert seed_result(persona_answers("collaborative-mid")).sensitivity is None
