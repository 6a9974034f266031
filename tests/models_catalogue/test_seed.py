"""A fresh database holds the seed catalogue, field by field, as published version 1."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from models_catalogue.models import CatalogueVersion, OrganisationalForm
from models_catalogue.versioning import VersionStatus

SEED = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "models_catalogue/seed/catalogue-v1.yaml").read_text()
)
SEED_FORMS = {form["slug"]: form for form in SEED["forms"]}
pytestmark = pytest.mark.django_db


def _yesno(value: object) -> str:
    # YAML 1.1 reads a bare yes/no as a boolean.
    return ("yes" if value else "no") if isinstance(value, bool) else value


def test_version_1_is_published_with_the_thirteen_seed_forms() -> None:
    version = CatalogueVersion.objects.get(number=1)
    assert version.status == VersionStatus.PUBLISHED
    assert sorted(version.forms.values_list("slug", flat=True)) == sorted(SEED_FORMS)
    assert len(SEED_FORMS) == 13


@pytest.mark.parametrize("slug", sorted(SEED_FORMS))
def test_every_field_weight_prerequisite_and_example_matches_the_seed(slug: str) -> None:
    seed = SEED_FORMS[slug]
    form = OrganisationalForm.objects.get(version__number=1, slug=slug)

    for field in (
        "name",
        "family",
        "role",
        "integration_level",
        "summary",
        "suits",
        "governance",
        "approvals",
        "reversibility",
        "risks",
    ):
        assert getattr(form, field) == seed[field], field
    assert form.intensity == Decimal(str(seed["intensity"]))
    assert [form.months_min, form.months_max] == seed["months"]
    assert form.sources == seed.get("sources", [])

    assert sorted(
        (w.domain, w.weight, w.prefers, w.why) for w in form.domain_weights.all()
    ) == sorted(
        (w["domain"], Decimal(str(w["weight"])), w["prefers"], w["why"])
        for w in seed["domain_weights"]
    )
    assert sorted(
        (w.question, w.weight, w.prefers, w.why) for w in form.context_weights.all()
    ) == sorted(
        (w["question"], Decimal(str(w["weight"])), w["prefers"], w["why"])
        for w in seed["context_weights"]
    )

    stored = []
    for p in form.prerequisites.order_by("position"):
        entry = {"reason": p.reason}
        if p.question:
            entry["question"] = p.question
        key = {
            "answer_in": "in",
            "answer_not_in": "not_in",
            "min_level": "min_level",
            "verdict_in": "verdict_in",
            "verdict_not_in": "verdict_not_in",
        }[p.kind]
        entry[key] = p.min_level if p.kind == "min_level" else p.values
        stored.append(entry)
    expected = [
        {
            key: ([_yesno(v) for v in value] if isinstance(value, list) else value)
            for key, value in requirement.items()
        }
        for requirement in seed["requires"]
    ]
    assert stored == expected

    assert [(e.name, e.year, e.note, e.source) for e in form.examples.order_by("position")] == [
        (e["name"], e.get("year"), e.get("note", ""), e.get("source", "")) for e in seed["examples"]
    ]


def test_method_settings_of_version_1_are_the_defaults_of_the_method() -> None:
    method = CatalogueVersion.objects.get(number=1).method
    assert (method.need_coefficient, method.context_coefficient, method.proportion_coefficient) == (
        Decimal("0.55"),
        Decimal("0.25"),
        Decimal("0.2"),
    )
    assert (method.lead_index, method.collaborate_index, method.at_risk_index) == (70, 55, 40)
    assert (method.lead_domain_floor, method.domain_cap_floor) == (50, 25)
    assert (method.critical_count_cap, method.provisional_coverage, method.divergence_spread) == (
        2,
        60,
        2,
    )


@pytest.mark.parametrize("options", [("--up-to", "1"), ()])
def test_seeding_again_changes_nothing(options: tuple[str, ...]) -> None:
    call_command("seed", *options, verbosity=0)
    before = OrganisationalForm.objects.count(), CatalogueVersion.objects.count()
    call_command("seed", *options, verbosity=0)
    assert (OrganisationalForm.objects.count(), CatalogueVersion.objects.count()) == before
