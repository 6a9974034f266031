"""A result survives storage as JSON exactly, and a damaged snapshot fails loudly."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from assessment.scoring import result_from_dict, result_to_dict
from assessment.scoring.confirm import listed_after_weaker
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
    # Format 2 added `to_confirm` to each ranked form and format 3 `outside_control` to each
    # changed answer (formats 1 and 2 are still read, see below).
    assert data["format_version"] == 3
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
    # Formats 1, 2 and 3 are all read now, so the first unknown one is 4.
    data = _snapshot()
    data["format_version"] = 4
    with pytest.raises(ValueError, match="Unknown result format 4"):
        result_from_dict(data)


# Stored by the engine as it was before forms to confirm kept their place by fit: the strong
# teaching trust with every figure left blank, so its verdict is provisional and the three
# forms that need a confirmed verdict were listed after every confirmed form.
FORMAT_1 = Path(__file__).parent / "snapshots" / "format-1-strong-trust-figures-blank.json"


def _format_1() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FORMAT_1.read_text(encoding="utf-8"))
    return data


def test_a_format_1_snapshot_reads_back_with_everything_it_stored_unchanged() -> None:
    stored = _format_1()
    result = result_from_dict(stored)
    # Its ranking stays as stored: a snapshot is never re-ranked.
    assert [form.slug for form in result.ranking][-3:] == [
        "offer-support",
        "extend-service-chain",
        "lead-group",
    ]
    again = result_to_dict(result)
    for form in again["ranking"]:
        del form["to_confirm"]
    # Format 3 added the mark on each changed answer; a format 1 snapshot reads unmarked.
    sensitivity = again["sensitivity"]
    changes = [item["change"] for item in sensitivity["displacing"]]
    changes += [item["change"] for item in sensitivity["verdict_changes"]]
    changes += [
        item["change"] for form in sensitivity["forms"] for item in form["lifts"] + form["drops"]
    ]
    assert changes
    for change in changes:
        assert change.pop("outside_control") is False
    assert {**again, "format_version": 1} == stored


def test_a_format_1_snapshot_gets_its_forms_to_confirm_from_its_own_evidence() -> None:
    result = result_from_dict(_format_1())
    # Every figure of the scored domains was left blank; those make the verdict provisional.
    awaited = [
        "QUAL-4",
        *("FIN-1", "FIN-2", "FIN-3", "FIN-4", "FIN-5", "FIN-6"),
        *("WORK-1", "WORK-2", "WORK-4", "WORK-5"),
        *("PERF-1", "PERF-2", "PERF-3", "PERF-4"),
        *("SCALE-1", "SCALE-2", "SCALE-3"),
    ]
    assert result.verdict.provisional
    for form in result.ranking:
        if form.slug in ("offer-support", "extend-service-chain", "lead-group"):
            assert form.conditional
            (item,) = form.to_confirm
            assert item.on_verdict
            assert [missing.question for missing in item.missing] == awaited
            assert item.sentence.startswith(form.prerequisites[0].reason)
        else:
            assert not form.conditional
            assert form.to_confirm == ()
    # Listed after weaker forms, as the earlier rule did: the page says so.
    assert listed_after_weaker(result.ranking)


@pytest.mark.parametrize(
    "changes",
    [
        {"CHANGE-4": "dk"},  # a question prerequisite, don't know
        {"CHANGE-4": None, "PROFILE-TYPE": None},  # two questions, not answered
        {code: None for code in ("FIN-1", "FIN-2", "PERF-1", "PERF-2", "WORK-1", "WORK-2")},
        {},  # nothing to confirm
    ],
)
def test_a_format_1_snapshot_gets_the_same_forms_to_confirm_as_the_engine_gives(
    changes: dict[str, object],
) -> None:
    result = seed_result(persona_answers("strong-teaching-trust", changes))
    data = json.loads(json.dumps(result_to_dict(result)))
    data["format_version"] = 1
    for form in data["ranking"]:
        del form["to_confirm"]
    assert result_from_dict(data) == result


def test_a_format_1_snapshot_that_already_has_to_confirm_is_refused() -> None:
    data = _format_1()
    data["ranking"][0]["to_confirm"] = []
    with pytest.raises(ValueError, match=r"result\.ranking\[0\]: unknown keys \['to_confirm'\]"):
        result_from_dict(data)
