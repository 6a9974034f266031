"""A result survives storage as JSON exactly, and a damaged snapshot fails loudly."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from assessment.scoring import result_from_dict, result_to_dict
from tests.scoring.support import persona_answers, seed_result, small_result


@pytest.mark.parametrize(
    "name", ["collaborative-mid", "fragile-workforce", "strong-teaching-trust"]
)
def test_a_result_round_trips_through_json_exactly(name: str) -> None:
    result = seed_result(persona_answers(name), sensitivity=True)
    stored = json.dumps(result_to_dict(result), sort_keys=True)
    restored = result_from_dict(json.loads(stored))
    assert restored == result
    assert json.dumps(result_to_dict(restored), sort_keys=True) == stored


def test_decimals_are_stored_as_text_and_keep_every_digit() -> None:
    result = seed_result(persona_answers("collaborative-mid"))
    data = result_to_dict(result)
    assert data["format_version"] == 1
    assert data["index"] == "71.07142857142857142857"
    assert data["ranking"][0]["fit"] == str(result.ranking[0].fit)
    assert data["settings"]["need_coefficient"] == "0.55"
    assert result_from_dict(data).index == Decimal("71.07142857142857142857")


def test_a_result_without_an_index_or_sensitivity_round_trips() -> None:
    result = small_result({"C-1": 2})
    assert result.index is None
    restored = result_from_dict(json.loads(json.dumps(result_to_dict(result))))
    assert restored == result


def _snapshot() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(result_to_dict(small_result({"A-1": 3}))))
    return data


def test_a_snapshot_with_a_missing_key_is_refused() -> None:
    data = _snapshot()
    del data["verdict"]["rule"]
    with pytest.raises(ValueError, match=r"result\.verdict: .*missing keys \['rule'\]"):
        result_from_dict(data)


def test_a_snapshot_with_an_unknown_key_is_refused() -> None:
    data = _snapshot()
    data["ranking"][0]["colour"] = "green"
    with pytest.raises(ValueError, match=r"result\.ranking\[0\]: unknown keys \['colour'\]"):
        result_from_dict(data)


def test_a_snapshot_with_a_float_instead_of_decimal_text_is_refused() -> None:
    data = _snapshot()
    data["coverage"] = 45.0
    with pytest.raises(ValueError, match=r"result\.coverage: expected a decimal written as text"):
        result_from_dict(data)


def test_a_snapshot_of_another_format_is_refused() -> None:
    data = _snapshot()
    data["format_version"] = 2
    with pytest.raises(ValueError, match="Unknown result format 2"):
        result_from_dict(data)
