"""Catalogue version 2 (the 2026 edition) is published from its seed file as an admin would
publish it: imported as a draft, checked against questionnaire version 2 and published,
retiring version 1, which stays as it was."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.test import Client

from assessment.scoring import definitions as d
from assessment.scoring import definitions_from_seed
from assessment.scoring.seed import questionnaire_from_seed
from models_catalogue import selectors, services
from models_catalogue.documents import (
    DocumentError,
    catalogue_from_document,
    catalogue_to_document,
)
from models_catalogue.models import CatalogueVersion, MethodSettings, OrganisationalForm
from models_catalogue.versioning import VersionStatus, next_version_number

ROOT = Path(__file__).resolve().parents[2]
SEED_FILE = ROOT / "models_catalogue/seed/catalogue-v2.yaml"
SEED = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))
SEED_FORMS = {form["slug"]: form for form in SEED["forms"]}
QUESTIONNAIRE_DATA = yaml.safe_load(
    (ROOT / "assessment/seed/questionnaire-v2.yaml").read_text(encoding="utf-8")
)
# Every key a form of the seed may carry; a key added to the file later fails
# `test_the_seed_forms_carry_no_key_this_test_does_not_compare` until it is compared here.
FORM_KEYS = {
    "slug",
    "name",
    "family",
    "role",
    "integration_level",
    "intensity",
    "coefficients",
    "summary",
    "suits",
    "governance",
    "approvals",
    "months",
    "reversibility",
    "risks",
    "domain_weights",
    "context_weights",
    "requires",
    "examples",
    "sources",
}
ICO = "integrated-care-organisation"
pytestmark = pytest.mark.django_db


@pytest.fixture
def questionnaire_v2() -> d.Questionnaire:
    """Questionnaire version 2 as the engine reads it from its seed file."""
    questionnaire, _ = definitions_from_seed(QUESTIONNAIRE_DATA, SEED)
    return questionnaire


@pytest.fixture
def version_2(questionnaire_v2: d.Questionnaire) -> CatalogueVersion:
    # `manage.py seed` publishes edition 2 through this loader, after version 1; the call
    # loads it here for a database seeded with version 1 only, and changes nothing otherwise.
    services.catalogue_edition_load(number=2, questionnaire=questionnaire_v2)
    return CatalogueVersion.objects.get(number=2)


@pytest.fixture
def next_edition(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> int:
    """The number of the next catalogue version, with the edition 2 seed file as its seed
    file: the loader at work on a database whatever editions it already holds."""
    number = next_version_number(CatalogueVersion)
    text = SEED_FILE.read_text(encoding="utf-8")
    assert "\nversion: 2\n" in text
    (tmp_path / f"catalogue-v{number}.yaml").write_text(
        text.replace("\nversion: 2\n", f"\nversion: {number}\n"), encoding="utf-8"
    )
    monkeypatch.setattr(services, "SEED_DIR", tmp_path)
    return number


def _number(value: Any) -> Decimal:
    return Decimal(str(value))


def _word(value: Any) -> Any:
    # YAML 1.1 reads a bare yes/no as a boolean.
    return ("yes" if value else "no") if isinstance(value, bool) else value


def _normal(value: Any) -> Any:
    """A seed or export value compared by meaning: numbers as decimals, yes/no as words."""
    if isinstance(value, bool):
        return _word(value)
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, list):
        return [_normal(item) for item in value]
    if isinstance(value, dict):
        return {key: _normal(item) for key, item in value.items()}
    return value


def _seed_form(slug: str) -> dict[str, Any]:
    """The seed's form with the lists it may leave out written as empty lists."""
    seed = dict(SEED_FORMS[slug])
    for key in ("requires", "examples", "sources", "context_weights"):
        seed[key] = seed.get(key) or []
    return _normal(seed)


def test_the_seed_file_is_the_shared_catalogue_version_2() -> None:
    assert SEED["version"] == 2
    assert len(SEED_FORMS) == 17
    assert SEED_FORMS[ICO]["coefficients"] == {"need": 0.35, "context": 0.45, "proportion": 0.2}


def test_the_seed_forms_carry_no_key_this_test_does_not_compare() -> None:
    assert set().union(*(form.keys() for form in SEED["forms"])) <= FORM_KEYS


def test_version_2_is_published_and_version_1_retired_and_unchanged(
    version_2: CatalogueVersion,
) -> None:
    assert version_2.status == VersionStatus.PUBLISHED
    assert selectors.catalogue_published() == version_2
    version_1 = CatalogueVersion.objects.get(number=1)
    assert version_1.status == VersionStatus.RETIRED
    # Version 1 still holds the 2014 seed, form by form.
    seed_1 = yaml.safe_load((ROOT / "models_catalogue/seed/catalogue-v1.yaml").read_text())
    document = catalogue_from_document(seed_1, _questionnaire_v1(), version=1)
    expected = catalogue_to_document(document.catalogue, document.method)
    exported = services.catalogue_export(version=version_1)
    assert exported["method"] == expected["method"]
    assert _forms_by_slug(exported) == _forms_by_slug(expected)
    assert len(exported["forms"]) == 13
    assert sorted(version_2.forms.values_list("slug", flat=True)) == sorted(SEED_FORMS)


def _questionnaire_v1() -> d.Questionnaire:
    data = yaml.safe_load((ROOT / "assessment/seed/questionnaire-v1.yaml").read_text())
    return questionnaire_from_seed(data)


def _forms_by_slug(document: dict[str, Any]) -> dict[str, Any]:
    return {form["slug"]: _weights_sorted(_normal(form)) for form in document["forms"]}


def test_publishing_an_edition_retires_the_published_version_and_keeps_it_unchanged(
    next_edition: int, questionnaire_v2: d.Questionnaire
) -> None:
    previous = selectors.catalogue_published()
    before = services.catalogue_export(version=previous)

    loaded = services.catalogue_edition_load(number=next_edition, questionnaire=questionnaire_v2)

    assert loaded is not None
    assert (loaded.number, loaded.status) == (next_edition, VersionStatus.PUBLISHED)
    assert selectors.catalogue_published() == loaded
    previous.refresh_from_db()
    assert previous.status == VersionStatus.RETIRED
    assert services.catalogue_export(version=previous) == {**before, "status": "retired"}
    assert _forms_by_slug(services.catalogue_export(version=loaded)) == {
        slug: _weights_sorted(_seed_form(slug)) for slug in SEED_FORMS
    }


def test_an_edition_is_checked_against_the_questionnaire_it_is_given(next_edition: int) -> None:
    published = selectors.catalogue_published()
    # Version 1 of the questionnaire has no PROFILE-STATUS, which the IHO contract needs.
    with pytest.raises(DocumentError) as refused:
        services.catalogue_edition_load(number=next_edition, questionnaire=_questionnaire_v1())

    assert any("PROFILE-STATUS" in problem for problem in refused.value.problems)
    assert not CatalogueVersion.objects.filter(number=next_edition).exists()
    assert selectors.catalogue_published() == published


def test_a_seed_file_holding_another_version_is_refused(
    next_edition: int, questionnaire_v2: d.Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / f"catalogue-v{next_edition}.yaml"
    text = SEED_FILE.read_text(encoding="utf-8").replace("\nversion: 2\n", "\nversion: 99\n")
    path.write_text(text, encoding="utf-8")

    with pytest.raises(ValidationError, match=f"holds catalogue version 99, not {next_edition}"):
        services.catalogue_edition_load(number=next_edition, questionnaire=questionnaire_v2)

    assert not CatalogueVersion.objects.filter(number=next_edition).exists()


def test_editions_are_loaded_in_order(next_edition: int, questionnaire_v2: d.Questionnaire) -> None:
    with pytest.raises(ValidationError, match=f"the next version is {next_edition}"):
        services.catalogue_edition_load(number=next_edition + 1, questionnaire=questionnaire_v2)

    assert not CatalogueVersion.objects.filter(number__gte=next_edition).exists()


def test_loading_again_changes_nothing(
    version_2: CatalogueVersion, questionnaire_v2: d.Questionnaire
) -> None:
    exported = services.catalogue_export(version=version_2)
    rows = (CatalogueVersion.objects.count(), OrganisationalForm.objects.count())

    again = services.catalogue_edition_load(number=2, questionnaire=questionnaire_v2)

    assert again is None
    assert (CatalogueVersion.objects.count(), OrganisationalForm.objects.count()) == rows
    version_2.refresh_from_db()
    assert version_2.status == VersionStatus.PUBLISHED
    assert services.catalogue_export(version=version_2) == exported
    assert CatalogueVersion.objects.get(number=1).status == VersionStatus.RETIRED


def test_version_2_keeps_the_method_settings_of_version_1(version_2: CatalogueVersion) -> None:
    fields = [
        f.name for f in MethodSettings._meta.concrete_fields if f.name not in ("id", "version")
    ]
    method_1 = MethodSettings.objects.filter(version__number=1).values(*fields).get()
    assert MethodSettings.objects.filter(version=version_2).values(*fields).get() == method_1


@pytest.mark.parametrize("slug", sorted(SEED_FORMS))
def test_every_field_of_every_form_in_the_database_matches_the_seed(
    version_2: CatalogueVersion, slug: str
) -> None:
    seed = _seed_form(slug)
    form = OrganisationalForm.objects.get(version=version_2, slug=slug)

    for field in ("slug", "name", "family", "role", "summary", "suits", "governance"):
        assert getattr(form, field) == seed[field], field
    for field in ("approvals", "reversibility", "risks"):
        assert getattr(form, field) == seed[field], field
    assert form.integration_level == seed["integration_level"]
    assert form.intensity == seed["intensity"]
    assert [form.months_min, form.months_max] == seed["months"]
    assert form.sources == seed["sources"]
    own = seed.get("coefficients")
    assert (form.need_coefficient, form.context_coefficient, form.proportion_coefficient) == (
        (own["need"], own["context"], own["proportion"]) if own else (None, None, None)
    )
    # Weights are stored in the seed's order, and listed heaviest first.
    assert [
        {"domain": w.domain, "weight": w.weight, "prefers": w.prefers, "why": w.why}
        for w in form.domain_weights.order_by("pk")
    ] == seed["domain_weights"]
    assert [
        {"question": w.question, "weight": w.weight, "prefers": w.prefers, "why": w.why}
        for w in form.context_weights.order_by("pk")
    ] == seed["context_weights"]
    assert [_prerequisite_as_seed(p) for p in form.prerequisites.order_by("position")] == seed[
        "requires"
    ]
    assert [
        {
            key: value
            for key, value in (
                ("name", e.name),
                ("year", None if e.year is None else Decimal(e.year)),
                ("note", e.note),
                ("source", e.source),
            )
            if value not in (None, "")
        }
        for e in form.examples.order_by("position")
    ] == seed["examples"]


def _prerequisite_as_seed(row: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"reason": row.reason}
    if row.question:
        entry["question"] = row.question
    key = {
        "answer_in": "in",
        "answer_not_in": "not_in",
        "verdict_in": "verdict_in",
        "verdict_not_in": "verdict_not_in",
    }.get(row.kind)
    if key is None:
        entry["min_level"] = Decimal(row.min_level)
    else:
        entry[key] = row.values
    return entry


def test_the_seed_has_examples_with_and_without_a_source_and_one_form_with_coefficients() -> None:
    # The comparisons above would prove little if the seed held none of what v2 adds.
    examples = [e for form in SEED["forms"] for e in form.get("examples") or []]
    assert any("source" in e for e in examples)
    assert any("source" not in e for e in examples)
    assert [slug for slug, form in SEED_FORMS.items() if "coefficients" in form] == [ICO]
    assert all(form.get("risks") for form in SEED["forms"])


def test_the_json_export_of_version_2_matches_the_seed_form_by_form(
    version_2: CatalogueVersion,
) -> None:
    exported = services.catalogue_export(version=version_2)

    assert (exported["version"], exported["status"]) == (2, "published")
    by_slug = {form["slug"]: _weights_sorted(_normal(form)) for form in exported["forms"]}
    assert sorted(by_slug) == sorted(SEED_FORMS)
    for slug in SEED_FORMS:
        assert by_slug[slug] == _weights_sorted(_seed_form(slug)), slug


def _weights_sorted(form: dict[str, Any]) -> dict[str, Any]:
    # The catalogue lists a form's weights heaviest first; the seed in the order written.
    return {
        **form,
        "domain_weights": sorted(form["domain_weights"], key=lambda w: w["domain"]),
        "context_weights": sorted(form["context_weights"], key=lambda w: w["question"]),
    }


def test_the_engine_definitions_from_the_database_equal_those_from_the_seed(
    version_2: CatalogueVersion,
) -> None:
    _, from_seed = definitions_from_seed(QUESTIONNAIRE_DATA, SEED)

    catalogue, method = selectors.catalogue_definition(version_2)

    assert catalogue.version == from_seed.version == 2
    assert sorted(map(_canonical, catalogue.forms), key=lambda f: f.slug) == sorted(
        map(_canonical, from_seed.forms), key=lambda f: f.slug
    )
    ico = next(form for form in catalogue.forms if form.slug == ICO)
    assert ico.coefficients == d.FitCoefficients(
        need=Decimal("0.35"), context=Decimal("0.45"), proportion=Decimal("0.2")
    )
    assert method.version == 2


def _canonical(form: d.Form) -> d.Form:
    # The database lists a form's weights heaviest first (OrganisationalForm's rows are
    # ordered so); the seed in the order written. Everything else must be equal as it is.
    return dataclasses.replace(
        form,
        domain_weights=tuple(sorted(form.domain_weights, key=lambda w: w.domain)),
        context_weights=tuple(sorted(form.context_weights, key=lambda w: w.question)),
    )


def test_a_version_made_by_an_admin_with_that_number_is_left_alone(
    next_edition: int, questionnaire_v2: d.Questionnaire
) -> None:
    published = selectors.catalogue_published()
    draft = services.catalogue_new_draft(source=published, user=None)
    assert draft.number == next_edition
    forms = draft.forms.count()

    assert (
        services.catalogue_edition_load(number=next_edition, questionnaire=questionnaire_v2) is None
    )

    draft.refresh_from_db()
    assert (draft.status, draft.forms.count()) == (VersionStatus.DRAFT, forms)
    assert selectors.catalogue_published() == published


# --------------------------------------------------------------------------- the board's page


def test_each_form_page_lists_its_risks_sources_and_examples_with_their_source(
    version_2: CatalogueVersion, member_client: Client
) -> None:
    for slug, seed in SEED_FORMS.items():
        html = _text(member_client.get(f"/organisational-forms/{slug}/").content.decode())
        assert "Catalogue version 2." in html, slug
        assert seed["risks"] in html, slug
        for source in seed.get("sources") or []:
            assert f"<li>{source}</li>" in html, (slug, source)
        for example in seed.get("examples") or []:
            assert example["name"] in html, (slug, example["name"])
            if "source" in example:
                assert f"Source: {example['source']}" in html, (slug, example["name"])


def test_the_page_of_a_form_with_its_own_coefficients_says_how_it_weighs_things(
    version_2: CatalogueVersion, member_client: Client
) -> None:
    ico = _text(member_client.get(f"/organisational-forms/{ICO}/").content.decode())
    federation = _text(member_client.get("/organisational-forms/federation/").content.decode())

    assert (
        "This form weighs the local context more and the trust's needs less than the "
        "method's default (context 45% instead of 25%; need 35% instead of 55%)." in ico
    )
    assert "method's default" not in federation


def test_a_form_page_takes_a_fixed_number_of_queries(
    version_2: CatalogueVersion, member_client: Client, django_assert_num_queries: Any
) -> None:
    member_client.get("/organisational-forms/")
    # Session and user (2), the version (1), the form with its weights, prerequisites and
    # examples (5), the published questionnaire's version (1); and the method settings (1)
    # for a form with its own coefficients.
    for slug, queries in (("federation", 9), ("merger-acquisition", 9), (ICO, 10)):
        with django_assert_num_queries(queries):
            response = member_client.get(f"/organisational-forms/{slug}/")
        assert response.status_code == 200


def _text(html: str) -> str:
    return unescape(html)
