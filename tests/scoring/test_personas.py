"""The worked examples in tests/personas meet their `expect` blocks through the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.personas import load_persona, persona_paths, unmet_expectations
from tests.scoring.support import seed_result


@pytest.mark.parametrize("path", persona_paths(), ids=lambda path: path.stem)
def test_persona_meets_its_expect_block(path: Path) -> None:
    data = load_persona(path)
    result = seed_result(data["answers"], sensitivity=True)
    ranked = [item.slug for item in result.ranking]
    assert unmet_expectations(data["expect"], result.verdict.code, ranked) == []
    # A complete answer set is never provisional.
    assert not result.verdict.provisional


def test_an_unmet_expectation_is_reported() -> None:
    # The check itself can fail: a wrong verdict and a wrong leader are both named.
    failures = unmet_expectations(
        {"verdict": "sustainable-lead", "top1_in": ["lead-group"]}, "at-risk", ["merger"]
    )
    assert len(failures) == 2


def test_there_are_three_personas() -> None:
    assert [path.stem for path in persona_paths()] == [
        "collaborative-mid",
        "fragile-workforce",
        "strong-teaching-trust",
    ]
