"""The admin edits drafts, refuses published versions, and runs in a fixed number of queries."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from models_catalogue import services
from models_catalogue.models import CatalogueVersion, DomainWeight, OrganisationalForm
from tests.conftest import verified_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
FORMS = "/admin/models_catalogue/organisationalform/"
VERSIONS = "/admin/models_catalogue/catalogueversion/"


@pytest.fixture
def admin_user():
    return UserFactory(is_staff=True, is_superuser=True, email="admin@region.nhs.uk")


@pytest.fixture
def admin_client(admin_user) -> Client:
    return verified_client(admin_user)


@pytest.fixture
def draft(admin_user) -> CatalogueVersion:
    return services.catalogue_new_draft(
        source=CatalogueVersion.objects.get(number=1), user=admin_user
    )


def _grow_to(version: CatalogueVersion, total: int) -> None:
    template = version.forms.get(slug="federation")
    weights = list(template.domain_weights.all())
    for n in range(version.forms.count(), total):
        form = OrganisationalForm.objects.get(pk=template.pk)
        form.pk = None
        form.slug = f"extra-form-{n}"
        form.save()
        DomainWeight.objects.bulk_create(
            DomainWeight(form=form, domain=w.domain, weight=w.weight, prefers=w.prefers, why=w.why)
            for w in weights
        )


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_form_changelist_and_change_page_queries_do_not_grow_with_the_number_of_forms(
    admin_client: Client, draft: CatalogueVersion
) -> None:
    changelist = f"{FORMS}?version__id__exact={draft.pk}"
    form_page = f"{FORMS}{draft.forms.get(slug='federation').pk}/change/"
    version_page = f"{VERSIONS}{draft.pk}/change/"
    for url in (changelist, form_page, version_page):
        admin_client.get(url)  # warm caches that are filled once per process

    at_13 = [_queries(admin_client, url) for url in (changelist, form_page, version_page)]
    assert draft.forms.count() == 13
    _grow_to(draft, 100)
    assert draft.forms.count() == 100
    at_100 = [_queries(admin_client, url) for url in (changelist, form_page, version_page)]

    assert at_100 == at_13
    assert max(at_13) < 30


def test_changelist_lists_filters_by_family_role_and_version_and_searches(
    admin_client: Client, draft: CatalogueVersion
) -> None:
    html = admin_client.get(FORMS).content.decode()
    for heading in ("By family", "By role", "By version"):
        assert heading in html
    found = admin_client.get(f"{FORMS}?q=merger&version__id__exact={draft.pk}").content.decode()
    assert "Merger with, or acquisition by, another provider" in found
    assert "Buddying with a high-performing trust" not in found


def test_published_forms_are_read_only_in_the_admin(admin_client: Client) -> None:
    form = OrganisationalForm.objects.get(version__number=1, slug="federation")
    page = admin_client.get(f"{FORMS}{form.pk}/change/").content.decode()
    assert "View organisational form" in page
    assert 'name="_save"' not in page
    response = admin_client.post(f"{FORMS}{form.pk}/change/", {"name": "Changed"})
    assert response.status_code == 403
    form.refresh_from_db()
    assert form.name == "Federation, network or provider collaborative"


def _change_post(form: OrganisationalForm, **overrides: object) -> dict[str, object]:
    """The admin change form of `form` as a browser would submit it."""
    data: dict[str, object] = {
        "version": form.version_id,
        "slug": form.slug,
        "name": form.name,
        "family": form.family,
        "role": form.role,
        "integration_level": form.integration_level,
        "intensity": form.intensity,
        "summary": form.summary,
        "suits": form.suits,
        "governance": form.governance,
        "approvals": form.approvals,
        "months_min": form.months_min,
        "months_max": form.months_max,
        "reversibility": form.reversibility,
        "risks": form.risks,
        "sources": "\n".join(form.sources),
    }
    for prefix, rows, fields in (
        ("domain_weights", form.domain_weights.all(), ("domain", "weight", "prefers", "why")),
        ("context_weights", form.context_weights.all(), ("question", "weight", "prefers", "why")),
        (
            "prerequisites",
            form.prerequisites.all(),
            ("position", "kind", "question", "values", "min_level", "reason"),
        ),
        ("examples", form.examples.all(), ("position", "name", "year", "note", "source")),
    ):
        rows = list(rows)
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        for n, row in enumerate(rows):
            data[f"{prefix}-{n}-id"] = row.pk
            data[f"{prefix}-{n}-form"] = form.pk
            for field in fields:
                value = getattr(row, field)
                if field == "values":
                    value = json.dumps(value)
                data[f"{prefix}-{n}-{field}"] = "" if value is None else value
    data.update(overrides)
    return data


def test_editing_a_weight_of_a_draft_saves_it_and_records_who(
    admin_client: Client, admin_user, draft: CatalogueVersion
) -> None:
    form = draft.forms.get(slug="federation")
    response = admin_client.post(
        f"{FORMS}{form.pk}/change/", _change_post(form, **{"domain_weights-0-weight": "0.65"})
    )
    assert response.status_code == 302
    changed = form.domain_weights.get(domain="SCALE")
    assert changed.weight == Decimal("0.65")
    assert changed.history.first().history_user == admin_user


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"domain_weights-0-weight": "1.5"}, "Ensure this value is less than or equal to 1"),
        ({"intensity": "2"}, "Ensure this value is less than or equal to 1"),
        ({"context_weights-0-question": "SYS-99"}, "Select a valid choice. SYS-99 is not one"),
        ({"domain_weights-0-domain": "SYS"}, "Select a valid choice. SYS is not one"),
        ({f"domain_weights-{n}-DELETE": "on" for n in range(4)}, "Add at least one domain weight"),
        ({"months_min": "20", "months_max": "3"}, "The longest time must be at least"),
    ],
)
def test_invalid_edits_are_refused_with_a_clear_message(
    admin_client: Client, draft: CatalogueVersion, overrides: dict, message: str
) -> None:
    form = draft.forms.get(slug="federation")
    before = services.catalogue_export(version=draft)
    response = admin_client.post(f"{FORMS}{form.pk}/change/", _change_post(form, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert services.catalogue_export(version=draft) == before


def test_publish_button_publishes_and_history_shows_the_change(
    admin_client: Client, admin_user, draft: CatalogueVersion
) -> None:
    form = draft.forms.get(slug="federation")
    admin_client.post(
        f"{FORMS}{form.pk}/change/", _change_post(form, **{"domain_weights-0-weight": "0.65"})
    )
    response = admin_client.post(f"{VERSIONS}{draft.pk}/publish/", follow=True)
    assert "Version 2 is published" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "published"

    changes = admin_client.get(f"{VERSIONS}{draft.pk}/changes/").content.decode()
    assert "weight: 0.700 → 0.650" in changes
    assert "admin@region.nhs.uk" in changes
    assert "status: draft → published" in changes
    assert "published by: (empty) → admin@region.nhs.uk" in changes


def test_publishing_a_broken_draft_shows_every_problem_and_keeps_it_a_draft(
    admin_client: Client, draft: CatalogueVersion
) -> None:
    DomainWeight.objects.filter(form__version=draft, form__slug="federation").delete()
    response = admin_client.post(f"{VERSIONS}{draft.pk}/publish/", follow=True)
    html = response.content.decode()
    assert "Version 2 was not published" in html
    assert "needs at least one domain weight" in html
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_new_draft_action_copies_the_published_version(admin_client: Client) -> None:
    published = CatalogueVersion.objects.get(number=1)
    response = admin_client.post(f"{VERSIONS}{published.pk}/new-draft/", follow=True)
    assert "Version 2 is a new draft copied from version 1" in response.content.decode()
    assert CatalogueVersion.objects.get(number=2).forms.count() == 13


def test_export_download_and_import_upload_in_the_admin(admin_client: Client) -> None:
    published = CatalogueVersion.objects.get(number=1)
    download = admin_client.get(f"{VERSIONS}{published.pk}/export/")
    assert download["Content-Disposition"] == 'attachment; filename="catalogue-version-1.json"'
    assert "no-store" in download["Cache-Control"]
    upload = io.BytesIO(download.content)
    upload.name = "catalogue-version-1.json"
    response = admin_client.post(f"{VERSIONS}import/", {"file": upload}, follow=True)
    assert "Imported as version 2, a draft" in response.content.decode()


def test_import_upload_with_problems_lists_them_and_imports_nothing(admin_client: Client) -> None:
    upload = io.BytesIO(json.dumps({"forms": [{"slug": "Bad Slug"}]}).encode())
    upload.name = "bad.json"
    html = admin_client.post(f"{VERSIONS}import/", {"file": upload}).content.decode()
    assert "Nothing was imported" in html
    assert "&#x27;slug&#x27; must be lower-case letters" in html
    assert CatalogueVersion.objects.count() == 1


def test_board_members_cannot_reach_the_admin(member_client: Client) -> None:
    assert member_client.get(FORMS, follow=True).status_code == 403
