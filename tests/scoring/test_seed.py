"""Building definitions from dicts shaped like the seed files, and refusing broken ones."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from assessment.scoring import DefinitionError, MethodSettings, definitions_from_seed
from tests.scoring.support import ROOT, load_yaml, seed


def seed_dicts() -> tuple[dict[str, Any], dict[str, Any]]:
    return (
        load_yaml(ROOT / "assessment/seed/questionnaire-v1.yaml"),
        load_yaml(ROOT / "models_catalogue/seed/catalogue-v1.yaml"),
    )


def test_the_seed_builds_42_questions_in_8_domains_and_13_forms() -> None:
    questionnaire, catalogue = seed()
    assert (questionnaire.version, catalogue.version) == (1, 1)
    assert len(questionnaire.questions) == 42
    assert [domain.code for domain in questionnaire.domains if domain.scored] == [
        "QUAL",
        "FIN",
        "WORK",
        "LEAD",
        "PERF",
        "SCALE",
    ]
    assert len(catalogue.forms) == 13


def test_seed_values_arrive_as_decimals_and_yes_no_as_options() -> None:
    questionnaire, catalogue = seed()
    fin1 = next(item for item in questionnaire.questions if item.code == "FIN-1")
    assert fin1.weight == 2
    assert fin1.critical is not None
    assert fin1.critical.below == Decimal(-5)
    assert fin1.bands[0].minimum == Decimal(1)
    qual2 = next(item for item in questionnaire.questions if item.code == "QUAL-2")
    assert [(option.value, option.level, option.critical) for option in qual2.options] == [
        ("yes", 1, "cap-unsustainable"),
        ("no", 4, None),
    ]
    lead_group = next(item for item in catalogue.forms if item.slug == "lead-group")
    assert lead_group.intensity == Decimal("0.3")
    assert [item.min_level for item in lead_group.prerequisites] == [None, 3]
    assert (lead_group.months_min, lead_group.months_max) == (12, 24)


def test_bare_yaml_booleans_are_read_as_yes_and_no() -> None:
    questionnaire_data, catalogue_data = seed_dicts()
    qual2 = next(item for item in questionnaire_data["questions"] if item["code"] == "QUAL-2")
    qual2[True] = qual2.pop("yes")
    qual2[False] = qual2.pop("no")
    questionnaire, _ = definitions_from_seed(questionnaire_data, catalogue_data)
    assert questionnaire == seed()[0]


def test_every_problem_in_broken_definitions_is_reported_at_once() -> None:
    questionnaire_data, catalogue_data = seed_dicts()
    questionnaire_data = copy.deepcopy(questionnaire_data)
    questions = {item["code"]: item for item in questionnaire_data["questions"]}
    questions["QUAL-1"]["domain"] = "QUALITY"
    questions["FIN-2"]["bands"] = [{"max": 0, "level": 4}]
    catalogue_data["forms"][0]["domain_weights"][0]["domain"] = "SYS"
    catalogue_data["forms"][1]["intensity"] = 1.5
    with pytest.raises(DefinitionError) as raised:
        definitions_from_seed(questionnaire_data, catalogue_data)
    assert raised.value.problems == (
        "QUAL-1 belongs to unknown domain QUALITY.",
        "FIN-2: the last band must have neither min nor max.",
        "standalone weighs SYS, which is not a scored domain.",
        "buddying has intensity 1.5; it must lie between 0 and 1, with at most 6 decimal places.",
    )


def test_method_settings_refuse_coefficients_that_do_not_add_up_to_one() -> None:
    with pytest.raises(ValueError, match="must add up to 1"):
        MethodSettings(need_coefficient=Decimal("0.6"))


def test_method_settings_refuse_thresholds_out_of_order() -> None:
    with pytest.raises(ValueError, match="must rise from at-risk to collaborate to lead"):
        MethodSettings(collaborate_index=Decimal(80))


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("answered_by", "opinion", "answered_by must be figure or judgement, not 'opinion'."),
        (
            "changeable",
            "sometimes",
            "changeable must be fixed, external or lever, not 'sometimes'.",
        ),
    ],
)
def test_a_questionnaire_with_an_unknown_classification_is_refused(
    field: str, value: str, problem: str
) -> None:
    from dataclasses import replace

    from assessment.scoring.checks import check_questionnaire

    questionnaire, _ = seed()
    first = replace(questionnaire.questions[0], **{field: value})
    broken = replace(questionnaire, questions=(first, *questionnaire.questions[1:]))
    assert f"{first.code}: {problem}" in check_questionnaire(broken)
    assert check_questionnaire(questionnaire) == []
