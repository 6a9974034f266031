"""The verdict placed exactly on its thresholds, with the whole text of the rule the board
reads, straight from the verdict functions: domain scores and critical answers are given
as they are, so that a case can sit exactly on a floor. The short form that sensitivity
uses (`verdict_code`) must agree with the full one in every case."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessment.scoring.definitions import VERDICT_LABELS, MethodSettings
from assessment.scoring.verdict import describe_verdict, verdict_code

SETTINGS = MethodSettings()  # lead 70 with every domain 50 or more, collaborate 55,
# at risk 40, a domain below 25 caps at at risk, two critical answers cap at unsustainable
COLLABORATE_BY_FLOOR = (
    "so the trust is not in a position to extend its reach; at 55 or more it is sustainable "
    "with collaboration."
)
TURNOVER = ("A-2", "Turnover?", "Level 1: one", "cap-at-risk")
SURPLUS = ("B-4", "Surplus?", "-6", "cap-at-risk")


def scored(*scores: str) -> tuple[tuple[str, str, Decimal], ...]:
    names = ("Alpha", "Beta", "Gamma")
    return tuple(
        (name[0], name, Decimal(score)) for name, score in zip(names, scores, strict=False)
    )


@pytest.mark.parametrize(
    ("index", "domains", "criticals", "verdict", "decided_by", "rule"),
    [
        # No scored answer: no index, and without evidence the verdict is at risk.
        (
            None,
            (),
            (),
            "at-risk",
            "index",
            "No scored domain has an answer, so there is no index. Without evidence the trust "
            "cannot be judged sustainable, so the verdict is at risk until the questions are "
            "answered.",
        ),
        # Exactly on the lead index, but one domain below the lead floor: collaborate.
        (
            "70",
            scored("80", "40"),
            (),
            "sustainable-collaborate",
            "index",
            f"Index 70.0 is 70 or more, but Beta scores 40.0, below 50, {COLLABORATE_BY_FLOOR}",
        ),
        # Two domains below the lead floor are both named; one exactly on it is not.
        (
            "75",
            scored("50", "40", "45.5"),
            (),
            "sustainable-collaborate",
            "index",
            "Index 75.0 is 70 or more, but Beta scores 40.0, below 50; Gamma scores 45.5, "
            f"below 50, {COLLABORATE_BY_FLOOR}",
        ),
        # A domain exactly on the cap floor of 25 does not cap the verdict.
        (
            "60",
            scored("80", "25"),
            (),
            "sustainable-collaborate",
            "index",
            "Index 60.0 is 55 or more but below 70.",
        ),
        # Just below it does.
        (
            "60",
            scored("80", "24.9"),
            (),
            "at-risk",
            "cap",
            "Capped by Beta scoring 24.9, below the floor of 25.",
        ),
        # Two critical answers together cap at unsustainable, however high the index.
        (
            "90",
            scored("90", "90"),
            (TURNOVER, SURPLUS),
            "unsustainable",
            "cap",
            "Capped by 2 critical answers (A-2, B-4): 2 or more tipping-point signals together "
            "mean the trust is not sustainable in its present form.",
        ),
        # One critical answer caps at its own rule.
        (
            "90",
            scored("90", "90"),
            (TURNOVER,),
            "at-risk",
            "cap",
            "Capped by A-2 (answered 'Level 1: one'): Turnover?",
        ),
    ],
)
def test_the_verdict_and_its_rule_on_each_threshold(
    index: str | None,
    domains: tuple[tuple[str, str, Decimal], ...],
    criticals: tuple[tuple[str, str, str, str], ...],
    verdict: str,
    decided_by: str,
    rule: str,
) -> None:
    value = None if index is None else Decimal(index)
    described = describe_verdict(
        index=value,
        coverage=Decimal(100),
        scored_domains=domains,
        criticals=criticals,
        settings=SETTINGS,
    )
    assert (described.code, described.decided_by, described.rule) == (verdict, decided_by, rule)
    assert described.label == VERDICT_LABELS[verdict]
    short = verdict_code(
        value, [score for _, _, score in domains], [c[3] for c in criticals], SETTINGS
    )
    assert short == verdict


def test_full_coverage_is_not_provisional_and_has_no_note() -> None:
    verdict = describe_verdict(
        index=Decimal(90),
        coverage=Decimal(60),  # exactly what is needed
        scored_domains=scored("90", "90"),
        criticals=(),
        settings=SETTINGS,
    )
    assert (verdict.provisional, verdict.provisional_note) == (False, "")


def test_low_coverage_says_how_much_evidence_is_missing() -> None:
    verdict = describe_verdict(
        index=Decimal(90),
        coverage=Decimal(45),
        scored_domains=scored("90", "90"),
        criticals=(),
        settings=SETTINGS,
    )
    assert verdict.provisional
    assert verdict.provisional_note == (
        "Provisional: only 45.0% of the evidence for the scored domains was given (60% is "
        "needed). Answer the missing questions to confirm the verdict."
    )
    assert verdict.code == "sustainable-lead"  # provisional does not change the verdict
