"""What the board can change (method section 10): sensitivity never proposes changing a
fact of the trust's nature, and marks every change outside the trust's control."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.scoring import Result, result_from_dict, result_to_dict
from assessment.scoring.result import AnswerChange
from tests.scoring.support import persona_answers, seed, seed_result

QUESTIONNAIRE, _ = seed()
QUESTIONS = {question.code: question for question in QUESTIONNAIRE.questions}
FIXED = {code for code, question in QUESTIONS.items() if question.changeable == "fixed"}
EXTERNAL = {code for code, question in QUESTIONS.items() if question.changeable == "external"}
PERSONAS = ["collaborative-mid", "fragile-workforce", "strong-teaching-trust"]
LABEL = "(outside the trust's control)"
SNAPSHOTS = Path(__file__).parent / "snapshots"


def test_version_1_classifies_the_questions_as_method_md_does() -> None:
    assert {"PROFILE-TYPE", "SCALE-1", "SYS-6"} == FIXED
    assert {"SCALE-2", "SYS-1", "SYS-5", "SYS-7"} == EXTERNAL


def proposals(result: Result) -> list[tuple[AnswerChange, str]]:
    """Every change the sensitivity report proposes, with the sentence that shows it."""
    sensitivity = result.sensitivity
    assert sensitivity is not None
    found = [(item.change, item.sentence) for item in sensitivity.displacing]
    found += [(item.change, item.sentence) for item in sensitivity.verdict_changes]
    for form in sensitivity.forms:
        found += [(item.change, item.sentence) for item in (*form.lifts, *form.drops)]
    return found


def answer_for(code: str) -> st.SearchStrategy[object]:
    """Any answer the seed question accepts: an option, a level, a figure in bounds, "dk"
    or, where allowed, "na"."""
    question = QUESTIONS[code]
    others: list[st.SearchStrategy[object]] = [st.just("dk")]
    if question.accepts_na:
        others.append(st.just("na"))
    if question.kind == "number":
        assert question.minimum is not None
        assert question.maximum is not None
        given_value: st.SearchStrategy[object] = st.decimals(
            question.minimum, question.maximum, places=2
        )
    elif question.kind == "scale":
        given_value = st.integers(1, 4)
    else:
        given_value = st.sampled_from([option.value for option in question.options])
    return st.one_of(given_value, given_value, *others)


# The fixed and external questions are drawn more often than the rest, so that the trust's
# type, size and isolation vary as often as the answers around them.
CODES = st.one_of(st.sampled_from(sorted(FIXED | EXTERNAL)), st.sampled_from(sorted(QUESTIONS)))


@settings(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_report_proposes_a_fixed_question_and_every_external_change_is_marked(
    data: st.DataObject,
) -> None:
    name = data.draw(st.sampled_from(PERSONAS), label="persona")
    raw = persona_answers(name)
    for code in data.draw(st.lists(CODES, max_size=5, unique=True), label="varied"):
        raw[code] = data.draw(answer_for(code), label=code)
    result = seed_result(raw, sensitivity=True)
    found = proposals(result)
    assert found, "every persona's report proposes some change"
    for change, sentence in found:
        assert change.question not in FIXED
        outside = change.question in EXTERNAL
        assert change.outside_control is outside
        assert change.description.endswith(LABEL) is outside
        assert (LABEL in sentence) is outside
        assert sentence.startswith(change.description)


# The fragile persona as the engine stored it before this rule: its report proposed a
# bigger population served (SCALE-1) as a way to displace the top form, and another type of
# trust (PROFILE-TYPE) as the way to rule out the service-level chain.
BEFORE = SNAPSHOTS / "format-2-fragile-workforce.json"


def _before() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(BEFORE.read_text(encoding="utf-8"))
    return data


def test_the_fragile_trust_is_no_longer_told_to_change_its_population_or_its_type() -> None:
    before = result_from_dict(_before())
    after = seed_result(persona_answers("fragile-workforce"), sensitivity=True)
    assert before.sensitivity is not None
    assert after.sensitivity is not None

    def displacing(result: Result) -> list[str]:
        assert result.sensitivity is not None
        return [item.change.question for item in result.sensitivity.displacing]

    def chain_drops(result: Result) -> list[str]:
        assert result.sensitivity is not None
        (chain,) = [f for f in result.sensitivity.forms if f.slug == "service-level-chain"]
        return [item.change.description for item in chain.drops]

    assert displacing(before).count("SCALE-1") == 3
    assert chain_drops(before) == [
        "If PROFILE-TYPE were 'Mental health' instead of 'Acute (general hospital services)'",
        "If PROFILE-TYPE were 'Community services' instead of 'Acute (general hospital services)'",
        "If PROFILE-TYPE were 'Ambulance' instead of 'Acute (general hospital services)'",
    ]
    # The same persona now: the three SCALE-1 changes are gone and nothing else moved.
    assert displacing(after) == [code for code in displacing(before) if code != "SCALE-1"]
    assert chain_drops(after) == [
        "If SCALE-3 were 0 services instead of 4 services",
        "If WORK-3 were level 4 instead of level 2",
        "If CHANGE-3 were level 1 instead of level 2",
    ]
    # No longer tried: PROFILE-TYPE's 5 other types, SCALE-1's 3 other levels and "not
    # applicable", SYS-6's other answer.
    assert before.sensitivity.scenarios - after.sensitivity.scenarios == 5 + 4 + 1
    assert after.sensitivity.summary.startswith(
        "Fragile: 38 of 113 single changed answers would displace Joint venture for a "
        "defined service from first place."
    )


def test_a_change_outside_the_trusts_control_says_so_in_every_sentence_built_on_it() -> None:
    result = seed_result(persona_answers("fragile-workforce"), sensitivity=True)
    assert result.sensitivity is not None
    income = next(
        item for item in result.sensitivity.displacing if item.change.question == "SCALE-2"
    )
    assert income.change.outside_control
    assert income.sentence == (
        "If SCALE-2 were from £350 to under £600 million a year instead of £220 million a "
        "year (outside the trust's control), Host a specialist provider's service-level chain "
        "would rank first instead of Joint venture for a defined service."
    )
    (joint_venture, *_) = result.sensitivity.forms
    assert joint_venture.lifts[2].sentence == (
        "If SYS-1 were 'Yes, and it has shown willingness' instead of 'Yes, but its "
        "willingness is untested' (outside the trust's control), its fit would rise from "
        "66.7 to 69.9 and it would rank 1."
    )
    # A lever carries no mark.
    first = result.sensitivity.displacing[0]
    assert first.change.question == "QUAL-1"
    assert not first.change.outside_control
    assert LABEL not in first.sentence


# Storage: format 3 added the mark. An older snapshot reads unmarked, exactly as stored.


def test_a_format_2_snapshot_reads_as_it_was_stored_with_no_change_marked() -> None:
    stored = _before()
    result = result_from_dict(stored)
    changes = proposals(result)
    assert [change for change, _ in changes if change.question in EXTERNAL]
    assert not any(change.outside_control for change, _ in changes)
    # Nothing is recomputed: the fixed questions it proposed on the day are still there,
    # and no sentence gains a label it did not have.
    assert {change.question for change, _ in changes} & FIXED == {"SCALE-1", "PROFILE-TYPE"}
    assert not any(LABEL in sentence for _, sentence in changes)
    again = result_to_dict(result)
    assert again["format_version"] == 3
    for change in _stored_changes(again):
        assert change.pop("outside_control") is False
    assert {**again, "format_version": 2} == stored


def test_a_format_2_snapshot_that_already_marks_a_change_is_refused() -> None:
    stored = _before()
    stored["sensitivity"]["displacing"][0]["change"]["outside_control"] = False
    with pytest.raises(
        ValueError,
        match=r"result\.sensitivity\.displacing\[0\]\.change: unknown keys \['outside_control'\]",
    ):
        result_from_dict(stored)


def test_a_format_3_snapshot_without_the_mark_is_refused() -> None:
    data = result_to_dict(seed_result(persona_answers("fragile-workforce"), sensitivity=True))
    data = json.loads(json.dumps(data))
    del data["sensitivity"]["forms"][0]["lifts"][2]["change"]["outside_control"]
    with pytest.raises(ValueError, match=r"missing keys \['outside_control'\]"):
        result_from_dict(data)


def test_the_mark_survives_storage() -> None:
    result = seed_result(persona_answers("fragile-workforce"), sensitivity=True)
    data = json.loads(json.dumps(result_to_dict(result)))
    marked = [change for change in _stored_changes(data) if change["outside_control"]]
    assert {change["question"] for change in marked} == {"SCALE-2", "SYS-1"}
    assert result_from_dict(data) == result


def _stored_changes(data: dict[str, Any]) -> list[dict[str, Any]]:
    sensitivity = data["sensitivity"]
    found = [item["change"] for item in sensitivity["displacing"]]
    found += [item["change"] for item in sensitivity["verdict_changes"]]
    for form in sensitivity["forms"]:
        found += [item["change"] for item in (*form["lifts"], *form["drops"])]
    return found
