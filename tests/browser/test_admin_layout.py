"""The catalogue admin on a laptop screen: an organisational form's page fits the window,
and publishing a draft asks for confirmation first."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from models_catalogue import services
from models_catalogue.models import CatalogueVersion
from models_catalogue.versioning import VersionStatus
from tests.browser.conftest import assert_accessible
from tests.browser.test_catalogue import set_up_two_factor, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]
LAPTOP = {"width": 1280, "height": 800}


def _admin_with_a_draft(page: Page, base: str) -> CatalogueVersion:
    admin = UserFactory(email="catalogue.admin@region.nhs.uk", is_staff=True, is_superuser=True)
    sign_in(page, base, admin.email)
    page.goto(f"{base}/admin/")
    set_up_two_factor(page)
    return services.catalogue_new_draft(source=CatalogueVersion.objects.get(number=1), user=admin)


def test_every_form_page_of_a_draft_fits_a_1280_pixel_window(page: Page, live_server) -> None:
    draft = _admin_with_a_draft(page, live_server.url)
    page.set_viewport_size(LAPTOP)
    widths = {}
    # Every form: they differ in how many weights, prerequisites and examples they have.
    for form in draft.forms.order_by("slug"):
        page.goto(f"{live_server.url}/admin/models_catalogue/organisationalform/{form.pk}/change/")
        expect(page.locator("#domain_weights-group")).to_be_visible()
        widths[form.slug] = page.evaluate("document.documentElement.scrollWidth")

    assert len(widths) == 13
    assert {slug: width for slug, width in widths.items() if width > LAPTOP["width"]} == {}


def test_publishing_a_draft_asks_first_and_cancel_changes_nothing(page: Page, live_server) -> None:
    draft = _admin_with_a_draft(page, live_server.url)
    change_page = f"{live_server.url}/admin/models_catalogue/catalogueversion/{draft.pk}/change/"
    page.goto(change_page)

    page.get_by_role("link", name="Publish version 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish catalogue version 2?")
    expect(page.locator("#publish-effects")).to_contain_text(
        "version 1, the version it replaces, is retired"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Cancel").click()
    expect(page).to_have_url(change_page)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT

    page.get_by_role("link", name="Publish version 2").click()
    page.get_by_role("button", name="Publish version 2").click()
    expect(page).to_have_url(change_page)
    expect(page.locator(".messagelist")).to_contain_text("Version 2 is published")
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
