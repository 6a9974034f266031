"""Export then import gives an equal version; an invalid import changes nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessment.scoring import definitions as d
from models_catalogue import services
from models_catalogue.documents import DocumentError
from models_catalogue.models import CatalogueVersion, DomainWeight, OrganisationalForm

pytestmark = pytest.mark.django_db


def _content(document: dict) -> dict:
    return {
        key: value for key, value in document.items() if key not in {"version", "status", "note"}
    }


@pytest.fixture
def exported() -> dict:
    return services.catalogue_export(version=CatalogueVersion.objects.get(number=1))


def test_export_then_import_of_version_1_gives_an_equal_version(
    exported: dict, questionnaire: d.Questionnaire
) -> None:
    imported = services.catalogue_import(
        data=json.loads(json.dumps(exported)), questionnaire=questionnaire
    )
    assert imported.number == 2
    assert imported.status == "draft"
    assert _content(services.catalogue_export(version=imported)) == _content(exported)


def test_the_export_is_json_shaped_like_the_seed(exported: dict) -> None:
    merger = next(form for form in exported["forms"] if form["slug"] == "merger-acquisition")
    assert merger["months"] == [12, 60]
    assert merger["intensity"] == 1
    assert {
        "question": "SYS-1",
        "not_in": ["no"],
        "reason": "A merger or acquisition needs a capable provider within reach.",
    } in (merger["requires"])
    assert exported["method"]["need_coefficient"] == 0.55


def _broken(exported: dict) -> dict:
    data = copy.deepcopy(exported)
    forms = {form["slug"]: form for form in data["forms"]}
    forms["standalone"]["intensity"] = 1.5
    forms["buddying"]["domain_weights"][0]["weight"] = "heavy"
    forms["federation"]["context_weights"][0]["question"] = "SYS-99"
    forms["joint-venture"]["domain_weights"][0]["domain"] = "MOOD"
    forms["shared-leadership"]["requires"][0]["question"] = "NOPE-1"
    forms["lead-group"]["requires"][0]["verdict_in"] = ["thriving"]
    del forms["offer-support"]["name"]
    forms["extend-service-chain"]["domain_weights"] = []
    forms["merger-acquisition"]["months"] = [60, 12]
    forms["buddying"]["slug"] = "standalone"
    data["method"]["need_coefficient"] = 0.9
    return data


EXPECTED_PROBLEMS = (
    "Form 1 (standalone): 'intensity' must be from 0 to 1, not 1.5.",
    "'weight' must be a number, not 'heavy'.",
    "federation weighs SYS-99, which is not a scored question.",
    "joint-venture weighs MOOD, which is not a scored domain.",
    "NOPE-1",
    "'thriving' is not a verdict",
    "'name' is missing. Add it as text.",
    "extend-service-chain): needs at least one domain weight.",
    "'months' must be [shortest, longest], shortest first",
    "Duplicate form slug 'standalone'",
    "The fit coefficients must add up to 1",
)


def test_an_invalid_import_changes_nothing_and_lists_every_problem(
    exported: dict, questionnaire: d.Questionnaire
) -> None:
    before = (
        CatalogueVersion.objects.count(),
        OrganisationalForm.objects.count(),
        DomainWeight.objects.count(),
    )
    with pytest.raises(DocumentError) as error:
        services.catalogue_import(data=_broken(exported), questionnaire=questionnaire)
    listed = "\n".join(error.value.problems)
    for expected in EXPECTED_PROBLEMS:
        assert expected in listed, expected
    after = (
        CatalogueVersion.objects.count(),
        OrganisationalForm.objects.count(),
        DomainWeight.objects.count(),
    )
    assert after == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "The file must hold one object"),
        ({"forms": "all of them"}, "'forms' must be a list of at least one form"),
        ({"forms": [{"slug": "x", "colour": "blue"}]}, "unknown field 'colour'"),
    ],
)
def test_documents_of_the_wrong_shape_are_refused_with_a_reason(
    data: object, message: str, questionnaire: d.Questionnaire
) -> None:
    with pytest.raises(DocumentError) as error:
        services.catalogue_import(data=data, questionnaire=questionnaire)
    assert message in "\n".join(error.value.problems)
    assert CatalogueVersion.objects.count() == 1


def test_export_and_import_commands_round_trip(tmp_path: Path, capsys) -> None:
    target = tmp_path / "catalogue.json"
    call_command("catalogue_export", "1", "--output", str(target))
    call_command("catalogue_import", str(target))
    assert "Imported" in capsys.readouterr().out
    assert _content(services.catalogue_export(version=CatalogueVersion.objects.get(number=2))) == (
        _content(json.loads(target.read_text()))
    )


def test_import_command_lists_problems_and_exits_with_status_2(
    tmp_path: Path, exported: dict
) -> None:
    target = tmp_path / "broken.json"
    target.write_text(json.dumps(_broken(exported)))
    with pytest.raises(CommandError) as error:
        call_command("catalogue_import", str(target))
    assert error.value.returncode == 2
    assert "Nothing was imported" in str(error.value)
    assert "SYS-99" in str(error.value)
    assert CatalogueVersion.objects.count() == 1


def test_import_command_refuses_a_file_that_is_not_json(tmp_path: Path) -> None:
    target = tmp_path / "notes.json"
    target.write_text("forms: yes")
    with pytest.raises(CommandError, match="is not valid JSON"):
        call_command("catalogue_import", str(target))


def test_export_command_names_the_versions_there_are() -> None:
    with pytest.raises(CommandError, match=r"There is no catalogue version 7\. Versions: 1\."):
        call_command("catalogue_export", "7")
