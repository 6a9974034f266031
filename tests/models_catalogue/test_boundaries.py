"""The catalogue checks the codes it is given: it never reads the questionnaire through the
assessment app's selectors or models. Its callers pass the questionnaire, as the engine's
plain definition."""

from __future__ import annotations

import ast
import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from assessment.scoring import definitions as d
from models_catalogue import selectors, services
from models_catalogue.models import CatalogueVersion
from models_catalogue.versioning import PublishRefused, VersionStatus

PACKAGE = Path(__file__).resolve().parents[2] / "models_catalogue"
FORBIDDEN = ("assessment.selectors", "assessment.models")


def _reaches_into_assessment(source: str) -> list[str]:
    """Every import (at any depth, lazy ones included) or dotted name in `source` that
    names the assessment app's selectors or models."""
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.append(node.value)  # import_module("...") and import_string("...")
    return [
        name
        for name in names
        if any(name == banned or name.startswith(f"{banned}.") for banned in FORBIDDEN)
    ]


@pytest.mark.parametrize(
    "source",
    [
        "from assessment import selectors as questionnaire_selectors",
        "def labels():\n    from assessment.selectors import questionnaire_published_or_none",
        "import assessment.selectors.questionnaires",
        "from assessment.models import QuestionnaireVersion",
        "import_module('assessment.selectors')",
    ],
)
def test_the_scan_finds_each_way_of_importing_the_selectors(source: str) -> None:
    assert _reaches_into_assessment(source)


def test_the_catalogue_does_not_import_the_assessment_apps_selectors_or_models() -> None:
    files = [path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts]
    assert PACKAGE / "admin.py" in files
    assert PACKAGE / "management/commands/catalogue_import.py" in files
    found = {
        str(path.relative_to(PACKAGE)): names
        for path in files
        if (names := _reaches_into_assessment(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def _without_domain(questionnaire: d.Questionnaire, code: str) -> d.Questionnaire:
    return dataclasses.replace(
        questionnaire,
        domains=tuple(domain for domain in questionnaire.domains if domain.code != code),
    )


@pytest.mark.django_db
def test_publishing_checks_the_codes_against_the_questionnaire_it_is_given(
    questionnaire: d.Questionnaire,
) -> None:
    draft = services.catalogue_new_draft(source=CatalogueVersion.objects.get(number=1), user=None)
    assert services.catalogue_problems(draft, questionnaire=questionnaire) == []

    # The same draft against a questionnaire without a finance domain: the catalogue
    # reads no questionnaire of its own, so it reports exactly what it was given.
    problems = services.catalogue_problems(
        draft, questionnaire=_without_domain(questionnaire, "FIN")
    )
    assert problems
    assert all("FIN, which is not a scored domain" in problem for problem in problems)

    with pytest.raises(PublishRefused) as refused:
        services.catalogue_publish(version=draft, user=None, questionnaire=None)
    assert refused.value.problems == [services.NO_QUESTIONNAIRE]
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_labels_come_from_the_questionnaire_passed_in() -> None:
    questionnaire = d.Questionnaire(
        version=9,
        title="Given",
        verdict_question="",
        domains=(d.Domain(code="FIN", name="Money", weight=Decimal(1), scored=True),),
        questions=(d.Question(code="SYS-1", domain="SYS", kind="yesno", text="Is it given?"),),
    )
    assert selectors.question_labels(questionnaire) == {"FIN": "Money", "SYS-1": "Is it given?"}
    assert selectors.question_labels(None) == {}
