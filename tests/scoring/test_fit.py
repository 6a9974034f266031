"""Fit of each form: the three terms, prerequisites and the ranking."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from assessment.scoring import ContextWeight, DomainWeight, Prerequisite, display
from tests.scoring.support import (
    form,
    persona_answers,
    plain_form,
    seed_result,
    small_catalogue,
    small_result,
)

ALL_STRONG = {"P-1": "acute", "A-1": 4, "A-2": 4, "B-1": 4, "B-2": 4, "B-3": "no", "B-4": 2}


def test_federation_fit_for_the_collaborative_persona_matches_the_hand_worked_figure() -> None:
    result = seed_result(persona_answers("collaborative-mid"))
    federation = form(result, "federation")

    # Domain scores, as fractions of 1 (level - 1 over 3, weighted by question weight):
    #   QUAL: QUAL-1 good 2/3 (w2), QUAL-2 no 1 (w2), QUAL-3 2/3, QUAL-4 0 -> 1, QUAL-5 2/3
    #         = (2*2 + 2*3 + 2 + 3 + 2) / (3 * 7) = 17/21
    #   FIN:  FIN-1 0.2 -> 2 (w2), FIN-2..4 -> 2, FIN-5..7 -> 3: (4 + 6 + 9) / 24 = 19/24
    #   WORK and SCALE: every answer at level 3 = 2/3
    qual, fin, work, scale = Fraction(17, 21), Fraction(19, 24), Fraction(2, 3), Fraction(2, 3)
    # Federation prefers low scores everywhere: m = 1 - p.
    need_match = (
        Fraction("0.7") * (1 - scale)
        + Fraction("0.5") * (1 - work)
        + Fraction("0.5") * (1 - fin)
        + Fraction("0.2") * (1 - qual)
    ) / Fraction("1.9")
    # Context: SYS-4 extensive = 1, SYS-2 level 4 = 1, CHANGE-1 level 3 = 2/3, all prefer high.
    context_match = (
        Fraction("0.5") + Fraction("0.5") + Fraction("0.2") * Fraction(2, 3)
    ) / Fraction("1.2")
    assert context_match == Fraction(17, 18)
    # Index: (25 QUAL + 20 FIN + 20 WORK + 15 LEAD + 10 PERF + 10 SCALE) / 100, with LEAD 2/3
    # and PERF 1/2 (PERF-1 and PERF-2 at level 2, PERF-3 and PERF-4 at level 3).
    index = (
        25 * qual + 20 * fin + 20 * work + 15 * Fraction(2, 3) + 10 * Fraction(1, 2) + 10 * scale
    ) / 100
    assert index * 100 == Fraction(149250, 2100)  # 71.07...
    proportion = 1 - abs(Fraction("0.29") - (1 - index))
    assert proportion == Fraction(1399, 1400)
    fit = 100 * (
        Fraction("0.55") * need_match
        + Fraction("0.25") * context_match
        + Fraction("0.20") * proportion
    )

    assert abs(Fraction(federation.fit) - fit) < Fraction(1, 10**18)
    assert abs(Fraction(federation.need_match) - need_match) < Fraction(1, 10**18)
    # Each term is held to twenty decimal places.
    assert federation.context_match == Decimal("0.94444444444444444444")
    assert abs(Fraction(federation.proportion) - proportion) < Fraction(1, 10**18)
    assert display(federation.fit) == "59.3"
    assert round(float(fit), 4) == 59.2939


def test_ties_are_broken_by_integration_level_then_slug() -> None:
    # With no weights, both matches are 0.5 and fit = 100 * (0.4 + 0.2 * (1 - intensity))
    # when the index is 100: 59.98, 59.98, 59.96 and 59.94.
    catalogue = small_catalogue(
        plain_form("x-higher", 2, "0.001"),  # 59.98 -> 60.0
        plain_form("a-same", 2, "0.001"),  # 59.98 -> 60.0, same level: slug decides
        plain_form("y-lower", 1, "0.002"),  # 59.96 -> 60.0, lower level wins the tie
        plain_form("z-lowest-level", 0, "0.003"),  # 59.94 -> 59.9: rounding sets it apart
    )
    result = small_result(ALL_STRONG, catalogue)
    assert [(item.slug, display(item.fit)) for item in result.ranking] == [
        ("y-lower", "60.0"),
        ("a-same", "60.0"),
        ("x-higher", "60.0"),
        ("z-lowest-level", "59.9"),
    ]
    assert [item.rank for item in result.ranking] == [1, 2, 3, 4]


def test_a_form_with_unmet_prerequisites_is_ruled_out_with_every_reason() -> None:
    blocked = plain_form(
        "blocked",
        0,
        "0",
        prerequisites=(
            Prerequisite("The board must be ready.", question="C-1", min_level=3),
            Prerequisite("Only for leaders.", verdict_in=("sustainable-lead",)),
            Prerequisite("Only for community trusts.", question="P-1", answer_in=("community",)),
            Prerequisite("Not while under enforcement.", question="B-3", answer_not_in=("yes",)),
        ),
    )
    result = small_result(
        ALL_STRONG | {"A-1": 3, "A-2": 3, "C-1": 2},
        small_catalogue(blocked, plain_form("open", 0, "0")),
    )
    assert result.verdict.code == "sustainable-lead"
    assert [item.slug for item in result.ranking] == ["open"]
    (ruled,) = result.ruled_out
    assert ruled.slug == "blocked"
    assert ruled.reasons == ("The board must be ready.", "Only for community trusts.")
    assert [(check.status, check.detail) for check in ruled.prerequisites] == [
        ("unmet", "C-1 is answered 'Level 2: two', level 2; level 3 or more is needed"),
        ("met", "the verdict is 'Sustainable, and in a position to extend its reach'"),
        ("unmet", "P-1 is answered 'Acute'"),
        ("met", "B-3 is answered 'No'"),
    ]


def test_a_prerequisite_on_missing_evidence_neither_rules_out_nor_moves_the_form() -> None:
    waiting = plain_form(
        "waiting",
        0,
        "0.5",
        prerequisites=(Prerequisite("The board must be ready.", question="C-1", min_level=3),),
    )
    # "waiting" fits better than "modest" (intensity 0.5 is further from a need of 0, so
    # give "modest" the worse intensity) but its prerequisite rests on an unanswered question.
    modest = plain_form("modest", 0, "0.9")
    result = small_result(ALL_STRONG, small_catalogue(waiting, modest))
    assert form(result, "waiting").fit > form(result, "modest").fit
    # Method section 4: missing evidence does not move a form. "waiting" keeps its place by
    # fit, first, marked to confirm (it used to be listed after every confirmed form).
    assert [item.slug for item in result.ranking] == ["waiting", "modest"]
    ranked = form(result, "waiting")
    assert ranked.conditional
    assert not form(result, "modest").conditional
    assert [(check.status, check.detail) for check in ranked.prerequisites] == [
        ("unconfirmed", "C-1 is not answered")
    ]
    assert [(item.reason, [m.question for m in item.missing]) for item in ranked.to_confirm] == [
        ("The board must be ready.", ["C-1"])
    ]
    assert "depends on evidence not yet given: The board must be ready. (C-1 is not answered)" in (
        ranked.explanation.sentence
    )
    assert result.ruled_out == ()

    dont_know = small_result(ALL_STRONG | {"C-1": "dk"}, small_catalogue(waiting, modest))
    assert form(dont_know, "waiting").prerequisites[0].detail == "C-1 is answered don't know"


def test_a_verdict_prerequisite_is_unconfirmed_while_the_verdict_is_provisional() -> None:
    leader = plain_form(
        "leader",
        0,
        "0",
        prerequisites=(Prerequisite("Leaders only.", verdict_not_in=("unsustainable",)),),
    )
    result = small_result({"A-1": 4}, small_catalogue(leader))
    assert result.verdict.provisional
    ranked = form(result, "leader")
    assert ranked.conditional
    assert ranked.prerequisites[0].status == "unconfirmed"
    assert ranked.prerequisites[0].detail.endswith("(provisional)")


def test_not_applicable_never_meets_a_minimum_level() -> None:
    needs_margin = plain_form(
        "needs-margin",
        0,
        "0",
        prerequisites=(Prerequisite("A margin is needed.", question="B-4", min_level=3),),
    )
    result = small_result(ALL_STRONG | {"B-4": "na"}, small_catalogue(needs_margin))
    assert result.ruled_out[0].prerequisites[0].detail == "B-4 does not apply to this trust"


def test_need_and_context_terms_skip_items_without_a_value_and_default_to_a_half() -> None:
    weighted = plain_form(
        "weighted",
        0,
        "0",
        domain_weights=(DomainWeight("B", Decimal("1"), "high", "Needs Beta."),),
        context_weights=(ContextWeight("C-1", Decimal("1"), "high", "Needs readiness."),),
    )
    result = small_result({"A-1": 4}, small_catalogue(weighted))
    ranked = form(result, "weighted")
    assert ranked.need_match == Decimal("0.5")
    assert ranked.context_match == Decimal("0.5")
    assert ranked.explanation.skipped == ("B", "C-1")


def test_seed_forms_are_ruled_out_with_every_reason_that_applies() -> None:
    result = seed_result(persona_answers("fragile-workforce"))
    ruled = {item.slug: item.reasons for item in result.ruled_out}
    assert ruled["lead-group"] == (
        "Only a trust judged sustainable and able to extend its reach should lead a group.",
        "The trust must be ready to take responsibility for others.",
    )
    assert ruled["offer-support"] == ("The trust must be ready to support others.",)
    assert not {item.slug for item in result.ranking} & set(ruled)
    assert len(result.ranking) + len(result.ruled_out) == 13


def test_every_fit_and_term_is_bounded() -> None:
    result = seed_result(persona_answers("strong-teaching-trust"))
    for item in result.ranking:
        assert 0 <= item.fit <= 100
        for term in (item.need_match, item.context_match, item.proportion):
            assert 0 <= term <= 1
