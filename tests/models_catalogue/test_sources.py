"""A form's sources are edited one to a line and read as a list; notes meant for editors
never reach boards."""

from __future__ import annotations

import importlib
import re
from html import unescape
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client

from models_catalogue import services
from models_catalogue.models import CatalogueVersion, OrganisationalForm
from models_catalogue.versioning import VersionStatus
from tests.conftest import verified_client
from tests.factories import UserFactory
from tests.models_catalogue.test_admin import _change_post

pytestmark = pytest.mark.django_db
FORMS = "/admin/models_catalogue/organisationalform/"
ROOT = Path(__file__).resolve().parents[2]
MERGER_SOURCE = "Evidence reviews find most mergers fail to improve productivity or finances"
EDITORS_NOTE = "show this risk to boards"
fix = importlib.import_module("models_catalogue.migrations.0002_sources_without_editors_note")


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


def _sources_box(html: str) -> str:
    found = re.search(r'<textarea name="sources"[^>]*>(.*?)</textarea>', html, re.S)
    assert found is not None, "no sources textarea"
    return unescape(found.group(1)).strip()


def test_the_sources_are_edited_one_to_a_line_not_as_json(
    admin_client: Client, draft: CatalogueVersion
) -> None:
    merger = draft.forms.get(slug="merger-acquisition")
    merger.sources = [MERGER_SOURCE, "The Dalton review (2014)"]
    merger.save()
    federation = draft.forms.get(slug="federation")

    merger_page = admin_client.get(f"{FORMS}{merger.pk}/change/").content.decode()
    federation_page = admin_client.get(f"{FORMS}{federation.pk}/change/").content.decode()

    assert _sources_box(merger_page) == f"{MERGER_SOURCE}\nThe Dalton review (2014)"
    assert _sources_box(federation_page) == ""
    assert "one source to a line" in merger_page


def test_saved_lines_become_the_list_without_blank_lines_or_spaces(
    admin_client: Client, draft: CatalogueVersion
) -> None:
    form = draft.forms.get(slug="federation")
    typed = "  The Dalton review (2014)  \r\n\r\nNHS Providers, provider collaboratives\r\n"

    response = admin_client.post(f"{FORMS}{form.pk}/change/", _change_post(form, sources=typed))

    assert response.status_code == 302
    form.refresh_from_db()
    assert form.sources == ["The Dalton review (2014)", "NHS Providers, provider collaboratives"]


def test_an_empty_box_saves_no_sources(admin_client: Client, draft: CatalogueVersion) -> None:
    form = draft.forms.get(slug="merger-acquisition")
    assert form.sources

    response = admin_client.post(f"{FORMS}{form.pk}/change/", _change_post(form, sources=""))

    assert response.status_code == 302
    form.refresh_from_db()
    assert form.sources == []


def test_a_published_form_shows_its_sources_as_a_list(admin_client: Client) -> None:
    form = OrganisationalForm.objects.get(version__number=1, slug="merger-acquisition")
    html = admin_client.get(f"{FORMS}{form.pk}/change/").content.decode()
    assert f'<ul class="source-list"><li>{MERGER_SOURCE}</li></ul>' in html
    assert f"[&quot;{MERGER_SOURCE}" not in html


def test_the_public_page_lists_sources_and_leaves_out_the_heading_when_there_are_none(
    member_client: Client,
) -> None:
    merger = member_client.get("/organisational-forms/merger-acquisition/").content.decode()
    federation = member_client.get("/organisational-forms/federation/").content.decode()

    assert re.search(rf"<h2[^>]*>Sources</h2>\s*<ul><li>{MERGER_SOURCE}</li></ul>", merger)
    assert ">Sources</h2>" not in federation
    assert "[]" not in federation


def test_no_public_form_page_shows_the_editors_note(member_client: Client) -> None:
    for slug in OrganisationalForm.objects.filter(version__number=1).values_list("slug", flat=True):
        html = member_client.get(f"/organisational-forms/{slug}/").content.decode()
        assert EDITORS_NOTE not in html, slug
    seed = (ROOT / "models_catalogue/seed/catalogue-v1.yaml").read_text(encoding="utf-8")
    assert EDITORS_NOTE not in seed


def test_the_migration_takes_the_note_out_of_stored_versions_and_records_why() -> None:
    version_1 = CatalogueVersion.objects.get(number=1)
    merger = version_1.forms.get(slug="merger-acquisition")
    # As databases seeded before the fix hold it. The base manager goes round the lock on
    # published versions, as the migration itself does.
    OrganisationalForm._base_manager.filter(pk=merger.pk).update(
        sources=[fix.WITH_NOTE, "The Dalton review (2014)"]
    )
    untouched = {
        form.pk: form.sources for form in version_1.forms.exclude(pk=merger.pk).order_by("pk")
    }
    history = OrganisationalForm.history.count()
    apps = (
        MigrationLoader(connection)
        .project_state(("models_catalogue", "0001_catalogue_versions"))
        .apps
    )

    fix.remove_the_note(apps, None)
    fix.remove_the_note(apps, None)  # a second run finds nothing to change

    merger.refresh_from_db()
    assert merger.sources == [MERGER_SOURCE, "The Dalton review (2014)"]
    assert {
        form.pk: form.sources for form in version_1.forms.exclude(pk=merger.pk).order_by("pk")
    } == untouched
    assert OrganisationalForm.history.count() == history + 1
    record = OrganisationalForm.history.filter(id=merger.pk).first()
    assert (record.history_type, record.history_change_reason) == ("~", fix.REASON)
    assert record.sources == merger.sources
    version_1.refresh_from_db()
    assert version_1.status == VersionStatus.PUBLISHED
