"""Explanations: the three largest contributions, their direction, and proportionality."""

from __future__ import annotations

from decimal import Decimal

from assessment.scoring import ContextWeight, DomainWeight
from tests.scoring.support import (
    form,
    persona_answers,
    plain_form,
    seed_result,
    small_catalogue,
    small_result,
)


def test_each_ranked_form_is_explained_by_its_three_largest_effects_largest_first() -> None:
    result = seed_result(persona_answers("collaborative-mid"))
    for ranked in result.ranking:
        reasons = ranked.explanation.reasons
        assert 1 <= len(reasons) <= 3
        sizes = [abs(reason.effect) for reason in reasons]
        assert sizes == sorted(sizes, reverse=True)
        for reason in reasons:
            expected = "up" if reason.effect > 0 else "down" if reason.effect < 0 else "neutral"
            assert reason.direction == expected
            assert reason.sentence in ranked.explanation.sentence


def test_a_reason_gives_the_trusts_own_score_its_direction_and_the_items_why() -> None:
    result = seed_result(persona_answers("strong-teaching-trust"))
    merger = form(result, "merger-acquisition")
    assert merger.rank > 3
    finance = next(reason for reason in merger.explanation.reasons if reason.subject == "FIN")
    assert finance.answer == "95.8/100"
    assert finance.direction == "down"
    assert finance.sentence == (
        "Financial sustainability scores 95.8/100, which pushes this option down: "
        "structural deficits may need the scale of a larger organisation."
    )


def test_a_context_reason_quotes_the_answer_given() -> None:
    result = seed_result(persona_answers("collaborative-mid"))
    top = result.ranking[0]
    assert top.slug == "extend-service-chain"
    sys7 = next(reason for reason in top.explanation.reasons if reason.subject == "SYS-7")
    assert sys7.sentence == (
        "SYS-7 is answered 'No', which pushes this option down: "
        "other providers must need the service."
    )


def test_only_the_top_forms_explanation_names_the_proportionality_term() -> None:
    result = seed_result(persona_answers("collaborative-mid"))
    top, second = result.ranking[0], result.ranking[1]
    assert (
        top.explanation.proportion_note
        == "A change of this size (20.0/100) matches a need of 28.9/100."
    )
    assert top.explanation.proportion_note in top.explanation.sentence
    assert second.explanation.proportion_note not in second.explanation.sentence
    assert result.index is not None
    assert top.explanation.need == Decimal(100) - result.index


def test_a_form_much_larger_than_the_need_says_so() -> None:
    result = seed_result(persona_answers("strong-teaching-trust"))
    merger = form(result, "merger-acquisition")
    assert merger.explanation.proportion_note == (
        "A change of this size (100.0/100) is larger than the need of 4.0/100."
    )


def test_points_of_all_items_add_up_to_the_need_and_context_parts_of_the_fit() -> None:
    two_items = plain_form(
        "two-items",
        0,
        "0",
        domain_weights=(DomainWeight("A", Decimal("0.6"), "low", "Answers weakness in Alpha."),),
        context_weights=(
            ContextWeight("C-1", Decimal("0.4"), "high", "ICO partners must be willing."),
        ),
    )
    result = small_result({"A-1": 2, "A-2": 3, "C-1": 4}, small_catalogue(two_items))
    ranked = form(result, "two-items")
    # The larger effect comes first: C-1 pushes the form up, Alpha is neutral.
    context, need = ranked.explanation.reasons
    # Alpha scores 50, so m = 0.5 for a form that prefers low: neutral. C-1 at level 4: m = 1.
    assert (context.subject, context.direction, context.points) == ("C-1", "up", Decimal(25))
    assert (need.subject, need.direction, need.points) == ("A", "neutral", Decimal("27.5"))
    assert need.points + context.points == 100 * (
        Decimal("0.55") * ranked.need_match + Decimal("0.25") * ranked.context_match
    )
    # An acronym at the start of a `why` keeps its capitals in the sentence.
    assert context.sentence.endswith(": ICO partners must be willing.")
    assert (
        need.sentence
        == "Alpha scores 50.0/100, which leaves this option unchanged: answers weakness in Alpha."
    )
