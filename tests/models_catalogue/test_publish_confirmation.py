"""Publishing a version asks first, says plainly what publishing does, and only a POST
with its CSRF token publishes: for the catalogue and for the questionnaire alike."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from assessment import services as questionnaire_services
from assessment.models import QuestionnaireVersion
from models_catalogue import services
from models_catalogue.models import CatalogueVersion
from models_catalogue.versioning import Version, VersionStatus
from tests.conftest import verified_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CATALOGUE = "/admin/models_catalogue/catalogueversion/"
QUESTIONNAIRE = "/admin/assessment/questionnaireversion/"


@pytest.fixture
def admin_user():
    return UserFactory(is_staff=True, is_superuser=True, email="admin@region.nhs.uk")


@pytest.fixture
def admin_client(admin_user) -> Client:
    return verified_client(admin_user)


def _catalogue_draft(user) -> Version:
    return services.catalogue_new_draft(source=CatalogueVersion.objects.get(number=1), user=user)


def _questionnaire_draft(user) -> Version:
    return questionnaire_services.questionnaire_new_draft(
        source=QuestionnaireVersion.objects.get(number=1), user=user
    )


DRAFTS = pytest.mark.parametrize(
    ("make_draft", "base"),
    [(_catalogue_draft, CATALOGUE), (_questionnaire_draft, QUESTIONNAIRE)],
    ids=["catalogue", "questionnaire"],
)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@DRAFTS
def test_the_change_page_links_to_the_confirmation_with_an_admin_button(
    admin_client: Client, admin_user, make_draft, base: str
) -> None:
    draft = make_draft(admin_user)
    html = admin_client.get(f"{base}{draft.pk}/change/").content.decode()
    actions = re.search(r'<div class="submit-row version-actions">(.*?)</div>', html, re.S)

    assert actions is not None
    # A link (it leads to a page), drawn as a button by the admin stylesheet: Django's
    # admin styles inputs and links, not a bare <button>, and inline style is refused.
    assert actions.group(1).strip() == (
        f'<a class="version-action" href="{base}{draft.pk}/publish/">Publish version 2</a>'
    )
    assert 'href="/static/css/admin.css"' in html


@DRAFTS
def test_get_shows_what_publishing_does_and_publishes_nothing(
    admin_client: Client, admin_user, make_draft, base: str
) -> None:
    draft = make_draft(admin_user)
    response = admin_client.get(f"{base}{draft.pk}/publish/")

    assert response.status_code == 200
    html = response.content.decode()
    text = _text(html)
    assert "it becomes the version that new assessments use" in text
    assert "version 1, the version it replaces, is retired" in text
    assert "it can never be changed, like every published version" in text
    assert "assessments already started keep the versions they began with" in text
    assert 'type="submit" class="default" value="Publish version 2"' in html
    assert f'<a class="closelink" href="{base}{draft.pk}/change/">Cancel</a>' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'href="/static/css/admin.css"' in html
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    assert type(draft).objects.get(number=1).status == VersionStatus.PUBLISHED


@DRAFTS
def test_post_publishes_and_retires_the_version_it_replaces(
    admin_client: Client, admin_user, make_draft, base: str
) -> None:
    draft = make_draft(admin_user)
    response = admin_client.post(f"{base}{draft.pk}/publish/", follow=True)

    assert response.redirect_chain == [(f"{base}{draft.pk}/change/", 302)]
    assert "Version 2 is published" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.published_by) == (VersionStatus.PUBLISHED, admin_user)
    assert type(draft).objects.get(number=1).status == VersionStatus.RETIRED


@DRAFTS
def test_a_post_without_the_csrf_token_is_refused(admin_user, make_draft, base: str) -> None:
    draft = make_draft(admin_user)
    client = verified_client(admin_user)
    client.handler.enforce_csrf_checks = True

    response = client.post(f"{base}{draft.pk}/publish/")

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


@DRAFTS
def test_other_methods_are_not_allowed(
    admin_client: Client, admin_user, make_draft, base: str
) -> None:
    draft = make_draft(admin_user)
    assert admin_client.put(f"{base}{draft.pk}/publish/").status_code == 405
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_the_publish_action_on_the_list_asks_for_the_same_confirmation(
    admin_client: Client, admin_user
) -> None:
    draft = _catalogue_draft(admin_user)
    response = admin_client.post(
        CATALOGUE, {"action": "publish_selected", "_selected_action": [draft.pk]}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{CATALOGUE}{draft.pk}/publish/"
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_a_published_version_cannot_be_published_again(admin_client: Client) -> None:
    published = CatalogueVersion.objects.get(number=1)
    response = admin_client.get(f"{CATALOGUE}{published.pk}/publish/", follow=True)

    assert response.redirect_chain == [(f"{CATALOGUE}{published.pk}/change/", 302)]
    assert "Version 1 is published, so it cannot be published again" in (response.content.decode())


def test_staff_without_change_permission_cannot_open_the_confirmation(admin_user) -> None:
    draft = _catalogue_draft(admin_user)
    viewer = verified_client(UserFactory(is_staff=True))
    assert viewer.get(f"{CATALOGUE}{draft.pk}/publish/").status_code == 403
    assert viewer.post(f"{CATALOGUE}{draft.pk}/publish/").status_code == 403
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
