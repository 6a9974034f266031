"""The verdict: index bands, caps, the rule that decided it and the provisional flag."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessment.scoring import MethodSettings
from tests.scoring.support import domain, persona_answers, seed_result, small_result

# In the small questionnaire the index is (9 x Alpha + 1 x Beta) / 10. Alpha has A-1 and
# A-2 (A-2 at level 1 is critical, cap-at-risk); Beta has B-1, B-2, B-3 (yes/no; "yes" is
# critical, cap-unsustainable) and B-4 (a number; below -5 is critical, cap-at-risk).
ALPHA_100 = {"A-1": 4, "A-2": 4}
ALPHA_67 = {"A-1": 3, "A-2": 3}
ALPHA_50 = {"A-1": 1, "A-2": 4}
ALPHA_33 = {"A-1": 2, "A-2": 2}
BETA_100 = {"B-1": 4, "B-2": 4, "B-3": "no", "B-4": 2}
BETA_67 = {"B-1": 3, "B-2": 3, "B-4": 0.5}  # B-3 unanswered: a yes/no has no level 3


@pytest.mark.parametrize(
    ("answers", "index", "verdict", "rule"),
    [
        # Everything strong.
        (
            ALPHA_100 | BETA_100,
            "100",
            "sustainable-lead",
            "Index 100.0 is 70 or more, every scored domain scores 50 or more and no critical "
            "answer was given.",
        ),
        # (9 x 66.7 + 100) / 10 is exactly 70: the lead threshold is inclusive.
        (ALPHA_67 | BETA_100, "70", "sustainable-lead", "Index 70.0 is 70 or more"),
        # Just under 70 is collaborate.
        (
            ALPHA_67 | BETA_67,
            "66.66666666666666666667",
            "sustainable-collaborate",
            "Index 66.7 is 55 or more but below 70.",
        ),
        # (9 x 50 + 100) / 10 is exactly 55: inclusive.
        (ALPHA_50 | BETA_100, "55", "sustainable-collaborate", "Index 55.0 is 55 or more"),
        # Just under 55 is at risk.
        (
            ALPHA_50 | BETA_67,
            "51.66666666666666666667",
            "at-risk",
            "Index 51.7 is 40 or more but below 55.",
        ),
        # (9 x 33.3 + 100) / 10 is exactly 40: inclusive.
        (ALPHA_33 | BETA_100, "40", "at-risk", "Index 40.0 is 40 or more but below 55."),
        # Under 40 is unsustainable.
        (ALPHA_33 | BETA_67, "36.66666666666666666667", "unsustainable", "Index 36.7 is below 40."),
    ],
)
def test_the_index_band_decides_when_no_cap_applies(
    answers: dict[str, object], index: str, verdict: str, rule: str
) -> None:
    result = small_result(answers)
    assert result.index == Decimal(index)
    assert result.verdict.code == verdict
    assert result.verdict.band == verdict
    assert result.verdict.decided_by == "index"
    assert result.verdict.rule.startswith(rule)
    assert result.verdict.caps == ()


def test_a_domain_below_the_lead_floor_keeps_a_high_index_at_collaborate() -> None:
    # Index 93.3, but Beta scores 33.3, under the floor of 50 for leading.
    result = small_result(ALPHA_100 | {"B-1": 2, "B-2": 2})
    assert result.verdict.code == "sustainable-collaborate"
    assert "Beta scores 33.3, below 50" in result.verdict.rule
    assert "not in a position to extend its reach" in result.verdict.rule


def test_a_domain_exactly_on_the_lead_floor_may_lead() -> None:
    # Beta at (4 + 1) levels over two questions is exactly 50.
    result = small_result(ALPHA_100 | {"B-1": 4, "B-2": 1})
    assert domain(result, "B").score == 50
    assert result.verdict.code == "sustainable-lead"


def test_a_scored_domain_below_25_caps_the_verdict_at_at_risk() -> None:
    # Index 90, but Beta scores 0.
    result = small_result(ALPHA_100 | {"B-1": 1, "B-2": 1})
    assert result.index == 90
    assert result.verdict.band == "sustainable-collaborate"
    assert result.verdict.code == "at-risk"
    assert result.verdict.decided_by == "cap"
    assert result.verdict.rule == "Capped by Beta scoring 0.0, below the floor of 25."
    (cap,) = result.verdict.caps
    assert (cap.kind, cap.subject, cap.verdict, cap.binding) == (
        "domain-floor",
        "B",
        "at-risk",
        True,
    )


def test_a_critical_answer_caps_at_its_rule() -> None:
    # A-2 at level 1 is critical (cap-at-risk); the index alone would say collaborate.
    result = small_result({"A-1": 4, "A-2": 1} | BETA_100)
    assert result.verdict.band == "sustainable-collaborate"
    assert result.verdict.code == "at-risk"
    assert result.verdict.rule == "Capped by A-2 (answered 'Level 1: one'): A-2?"
    assert [trigger.question for trigger in result.triggers] == ["A-2"]


def test_a_cap_unsustainable_answer_caps_at_unsustainable() -> None:
    result = small_result(ALPHA_100 | {"B-1": 4, "B-2": 4, "B-3": "yes"})
    assert result.verdict.code == "unsustainable"
    assert result.verdict.rule == "Capped by B-3 (answered 'Yes'): Enforcement?"
    # A critical answer also bars leading, whatever the index.
    assert result.verdict.band == "sustainable-collaborate"


def test_two_critical_answers_cap_at_unsustainable() -> None:
    # A-2 and B-4 each cap at at-risk on their own; together they mean unsustainable.
    result = small_result({"A-1": 4, "A-2": 1, "B-1": 4, "B-2": 4, "B-3": "no", "B-4": -6})
    assert result.verdict.code == "unsustainable"
    assert result.verdict.rule.startswith("Capped by 2 critical answers (A-2, B-4)")
    kinds = [(cap.kind, cap.binding) for cap in result.verdict.caps]
    assert kinds == [
        ("critical-answer", False),
        ("critical-answer", False),
        ("critical-count", True),
    ]


def test_a_band_worse_than_every_cap_decides_the_verdict() -> None:
    # Index 36.7 is unsustainable already; the at-risk cap of A-2 is not binding.
    result = small_result({"A-1": 3, "A-2": 1, "B-1": 3, "B-2": 3})
    assert result.verdict.code == "unsustainable"
    assert result.verdict.decided_by == "index"
    assert [cap.binding for cap in result.verdict.caps] == [False]


def test_low_coverage_makes_the_verdict_provisional_and_lists_the_missing_questions() -> None:
    # Only A-1 answered: Alpha coverage 50%, Beta 0%, overall (9 x 50 + 0) / 10 = 45%.
    result = small_result({"A-1": 4, "B-2": "dk"})
    assert result.coverage == 45
    assert result.verdict.provisional
    assert "only 45.0% of the evidence" in result.verdict.provisional_note
    assert [(item.question, item.status) for item in result.missing] == [
        ("P-1", "unanswered"),
        ("A-2", "unanswered"),
        ("B-1", "unanswered"),
        ("B-2", "dk"),
        ("B-3", "unanswered"),
        ("B-4", "unanswered"),
        ("C-1", "unanswered"),
    ]
    assert "B" in result.dropped_domains


def test_coverage_exactly_on_the_threshold_is_not_provisional() -> None:
    settings = MethodSettings(provisional_coverage=Decimal(45))
    result = small_result({"A-1": 4}, settings=settings)
    assert result.coverage == 45
    assert not result.verdict.provisional


def test_with_no_scored_answer_there_is_no_index_and_the_verdict_is_provisionally_at_risk() -> None:
    result = small_result({"C-1": 4})
    assert result.index is None
    assert result.verdict.code == "at-risk"
    assert result.verdict.provisional
    assert "no index" in result.verdict.rule
    assert set(result.dropped_domains) == {"A", "B"}


def test_special_measures_on_the_seed_caps_at_unsustainable_and_says_why() -> None:
    result = seed_result(persona_answers("strong-teaching-trust", {"QUAL-2": "yes"}))
    assert result.verdict.code == "unsustainable"
    assert result.verdict.rule.startswith(
        "Capped by QUAL-2 (answered 'Yes'): Is the trust in special"
    )


def test_two_critical_seed_answers_cap_at_unsustainable() -> None:
    result = seed_result(persona_answers("strong-teaching-trust", {"FIN-1": -6, "WORK-3": 1}))
    assert result.verdict.code == "unsustainable"
    assert result.verdict.rule.startswith("Capped by 2 critical answers (FIN-1, WORK-3)")
    assert [trigger.question for trigger in result.triggers] == ["FIN-1", "WORK-3"]


def test_a_seed_domain_below_25_caps_a_sustainable_index_at_at_risk() -> None:
    # Every workforce answer at level 2 or below except the critical rota question.
    workforce = {"WORK-1": 20, "WORK-2": 20, "WORK-3": 2, "WORK-4": 6, "WORK-5": 20}
    result = seed_result(persona_answers("strong-teaching-trust", workforce))
    assert domain(result, "WORK").score < 25
    assert result.index is not None
    assert result.index >= 55
    assert result.verdict.code == "at-risk"
    assert result.verdict.rule.startswith("Capped by Workforce scoring")
