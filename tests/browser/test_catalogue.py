"""Catalogue admins edit a draft in the admin and publish it; boards read the menu."""

from __future__ import annotations

import re
from base64 import b32decode
from decimal import Decimal

import pytest
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from models_catalogue.models import CatalogueVersion, DomainWeight
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def set_up_two_factor(page: Page) -> None:
    """An admin must turn on two-factor authentication before the admin opens: read the key
    from the page as someone typing it into an app would, and answer with the app's code."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    assert_accessible(page)
    typed = page.locator("#secret-key").inner_text().replace(" ", "")
    key = b32decode(typed + "=" * (-len(typed) % 8))
    page.get_by_label("Code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    expect(page.locator("#backup-codes li")).to_have_count(10)
    page.get_by_role("button", name="I have kept my backup codes").click()


def test_admin_edits_a_weight_in_a_draft_publishes_and_sees_it_in_the_history(
    page: Page, live_server
) -> None:
    admin = UserFactory(email="catalogue.admin@region.nhs.uk", is_staff=True, is_superuser=True)
    sign_in(page, live_server.url, admin.email)
    version_1 = CatalogueVersion.objects.get(number=1)
    page.goto(f"{live_server.url}/admin/")
    set_up_two_factor(page)
    expect(page).to_have_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/models_catalogue/catalogueversion/{version_1.pk}/change/")
    page.get_by_role("button", name="Make a new draft from version 1").click()
    expect(page.locator(".messagelist")).to_contain_text("Version 2 is a new draft")

    page.get_by_role("link", name="Forms in this version").click()
    page.get_by_role("link", name="Federation, network or provider collaborative").click()
    weight = page.locator("#id_domain_weights-0-weight")
    expect(weight).to_have_value("0.700")
    weight.fill("0.65")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    draft = CatalogueVersion.objects.get(number=2)
    page.goto(f"{live_server.url}/admin/models_catalogue/catalogueversion/{draft.pk}/change/")
    page.get_by_role("link", name="Publish version 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish catalogue version 2?")
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.locator(".messagelist")).to_contain_text("Version 2 is published")
    assert DomainWeight.objects.get(
        form__version=draft, form__slug="federation", domain="SCALE"
    ).weight == Decimal("0.65")

    page.get_by_role("link", name="Changes in this version").click()
    row = page.locator("#version-changes tr", has_text="weight: 0.700 → 0.650")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("catalogue.admin@region.nhs.uk")
    today = timezone.localtime().strftime("%-d %b %Y")
    expect(row).to_contain_text(re.compile(rf"{today}, \d\d:\d\d:\d\d"))
    published_row = page.locator("#version-changes tr", has_text="status: draft → published")
    expect(published_row).to_contain_text("catalogue.admin@region.nhs.uk")


def test_board_catalogue_pages_are_accessible_and_grouped_along_the_spectrum(
    page: Page, live_server, member
) -> None:
    sign_in(page, live_server.url, member.user.email)
    page.get_by_role("link", name="Organisational forms").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisational forms")
    families = page.locator("main h2").all_inner_texts()
    assert families == [
        "No change of form",
        "Support",
        "Collaboration",
        "Contractual",
        "Consolidation",
    ]
    assert_accessible(page)

    page.get_by_role("link", name="Merger with, or acquisition by, another provider").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Merger with, or acquisition by, another provider"
    )
    expect(page.get_by_text("Risks the board should weigh")).to_be_visible()
    expect(page.get_by_text("Typically 12 to 60 months")).to_be_visible()
    expect(page.get_by_text("Frimley Park's acquisition of Heatherwood")).to_be_visible()
    assert_accessible(page)
