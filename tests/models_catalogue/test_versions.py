"""Published versions are immutable in the model layer; drafts are copied, edited, published."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessment.scoring import definitions as d
from models_catalogue import services
from models_catalogue.models import (
    CatalogueVersion,
    ContextWeight,
    DomainWeight,
    Example,
    MethodSettings,
    OrganisationalForm,
    Prerequisite,
)
from models_catalogue.versioning import PublishRefused, VersionLocked, VersionStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published() -> CatalogueVersion:
    return CatalogueVersion.objects.get(number=1)


@pytest.fixture
def draft(published: CatalogueVersion) -> CatalogueVersion:
    return services.catalogue_new_draft(source=published, user=UserFactory())


def _first_weight(version: CatalogueVersion) -> DomainWeight:
    return DomainWeight.objects.filter(form__version=version).order_by("pk").first()


def test_saving_a_form_of_a_published_version_is_refused(published: CatalogueVersion) -> None:
    form = published.forms.get(slug="federation")
    form.name = "Renamed"
    with pytest.raises(VersionLocked, match="Version 1 is published and cannot be changed"):
        form.save()
    assert published.forms.get(slug="federation").name != "Renamed"


@pytest.mark.parametrize("model", [DomainWeight, ContextWeight, Prerequisite, Example])
def test_saving_or_deleting_a_row_of_a_published_version_is_refused(
    published: CatalogueVersion, model: type
) -> None:
    row = model.objects.filter(form__version=published).first()
    with pytest.raises(VersionLocked):
        row.save()
    with pytest.raises(VersionLocked):
        row.delete()
    assert model.objects.filter(pk=row.pk).exists()


def test_queryset_update_delete_and_bulk_writes_are_refused_too(
    published: CatalogueVersion,
) -> None:
    weights = DomainWeight.objects.filter(form__version=published)
    with pytest.raises(VersionLocked):
        weights.update(weight=Decimal("0.1"))
    with pytest.raises(VersionLocked):
        weights.delete()
    form = published.forms.first()
    with pytest.raises(VersionLocked):
        DomainWeight.objects.bulk_create(
            [DomainWeight(form=form, domain="PERF", weight=1, prefers="low", why="x")]
        )
    row = weights.first()
    row.weight = Decimal("0.1")
    with pytest.raises(VersionLocked):
        DomainWeight.objects.bulk_update([row], ["weight"])
    assert not weights.filter(weight=Decimal("0.1")).exists()


def test_method_settings_and_the_version_itself_are_locked(published: CatalogueVersion) -> None:
    method = published.method
    method.lead_index = Decimal(80)
    with pytest.raises(VersionLocked):
        method.save()
    published.note = "Changed"
    with pytest.raises(VersionLocked):
        published.save()
    with pytest.raises(VersionLocked):
        published.delete()
    with pytest.raises(VersionLocked):
        CatalogueVersion.objects.filter(pk=published.pk).update(number=99)


def test_a_row_cannot_be_moved_into_a_published_version(
    published: CatalogueVersion, draft: CatalogueVersion
) -> None:
    form = draft.forms.get(slug="federation")
    form.version = published
    with pytest.raises(VersionLocked):
        form.save()


def test_new_draft_copies_everything_and_can_be_edited(
    published: CatalogueVersion, draft: CatalogueVersion
) -> None:
    assert (draft.number, draft.status) == (2, VersionStatus.DRAFT)
    original = services.catalogue_export(version=published)
    copy = services.catalogue_export(version=draft)
    assert copy["forms"] == original["forms"]
    assert copy["method"] == original["method"]

    weight = _first_weight(draft)
    weight.weight = Decimal("0.35")
    weight.save()
    assert _first_weight(draft).weight == Decimal("0.35")
    assert _first_weight(published).weight != Decimal("0.35")


def test_only_one_draft_at_a_time(published: CatalogueVersion, draft: CatalogueVersion) -> None:
    with pytest.raises(ValidationError, match="Version 2 is already a draft"):
        services.catalogue_new_draft(source=published, user=None)


def test_publishing_a_draft_retires_the_published_version(
    published: CatalogueVersion, draft: CatalogueVersion, questionnaire: d.Questionnaire
) -> None:
    user = UserFactory()
    services.catalogue_publish(version=draft, user=user, questionnaire=questionnaire)
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert draft.published_by == user
    assert draft.published_at is not None
    assert published.status == VersionStatus.RETIRED
    assert CatalogueVersion.objects.published().get() == draft
    with pytest.raises(VersionLocked):
        _first_weight(draft).save()


def test_publishing_checks_the_whole_draft_and_lists_every_problem(
    draft: CatalogueVersion, questionnaire: d.Questionnaire
) -> None:
    federation = draft.forms.get(slug="federation")
    federation.domain_weights.all().delete()
    ContextWeight.objects.filter(form__version=draft, question="SYS-4").update(question="SYS-99")
    Example.objects.filter(form__version=draft, form__slug="merger-acquisition").update(year=1800)
    Prerequisite.objects.filter(form__version=draft, question="SYS-1").update(question="NOPE-1")

    with pytest.raises(PublishRefused) as refused:
        services.catalogue_publish(version=draft, user=None, questionnaire=questionnaire)

    problems = " | ".join(refused.value.problems)
    assert "Federation, network or provider collaborative needs at least one domain weight" in (
        problems
    )
    assert "SYS-99" in problems
    assert "Ensure this value is greater than or equal to 1948" in problems
    assert "NOPE-1" in problems
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    assert CatalogueVersion.objects.get(number=1).status == VersionStatus.PUBLISHED


def test_model_validation_explains_out_of_range_values(draft: CatalogueVersion) -> None:
    weight = _first_weight(draft)
    weight.weight = Decimal("1.5")
    with pytest.raises(ValidationError) as error:
        weight.full_clean()
    assert "weight" in error.value.message_dict

    form = draft.forms.first()
    form.intensity = Decimal("-0.1")
    form.months_min, form.months_max = 12, 3
    with pytest.raises(ValidationError) as error:
        form.full_clean()
    assert set(error.value.message_dict) >= {"intensity", "months_max"}


def test_prerequisite_validation_says_which_fields_go_with_which_kind(
    draft: CatalogueVersion,
) -> None:
    prerequisite = Prerequisite(
        form=draft.forms.first(),
        kind=Prerequisite.Kind.MIN_LEVEL,
        question="",
        values=["x"],
        reason="r",
    )
    with pytest.raises(ValidationError) as error:
        prerequisite.full_clean()
    messages = error.value.message_dict
    assert "Enter the question code" in messages["question"][0]
    assert "Enter the lowest level" in messages["min_level"][0]
    assert "takes no list of values" in messages["values"][0]


def test_the_database_refuses_a_second_published_version(published: CatalogueVersion) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CatalogueVersion.objects.create(number=5, status=VersionStatus.PUBLISHED)


def test_the_database_refuses_coefficients_that_do_not_add_up(draft: CatalogueVersion) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MethodSettings.objects.filter(version=draft).update(need_coefficient=Decimal("0.9"))


def test_forms_are_never_created_in_a_published_version(published: CatalogueVersion) -> None:
    with pytest.raises(VersionLocked):
        OrganisationalForm.objects.create(
            version=published,
            slug="new",
            name="New",
            family="support",
            role="self",
            integration_level=1,
            intensity=Decimal("0.1"),
            summary="s",
            suits="s",
            governance="g",
            approvals="a",
            months_min=1,
            months_max=2,
            reversibility="high",
        )
