"""With only a catalogue admin's password, a new browser gets no further than the page that
asks for the second factor: not the admin, not the authenticator's secret, not a new app.
The owner, once verified, replaces the app with the password as well."""

from __future__ import annotations

from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from assessment.services.two_factor import backup_codes_renew
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]
VERIFY_HEADING = "Enter your security code"


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_password_alone_reaches_neither_the_admin_nor_the_second_factor(
    page: Page, live_server
) -> None:
    admin = UserFactory(email="catalogue.admin@region.nhs.uk", is_staff=True, is_superuser=True)
    app = TOTPDevice.objects.create(user=admin, name="Authenticator app", confirmed=True)
    codes = backup_codes_renew(user=admin)
    base = live_server.url

    _sign_in(page, base, admin.email)
    expect(page.get_by_role("heading", level=1)).to_have_text(VERIFY_HEADING)
    assert_accessible(page)
    for path in ("/admin/", "/account/two-factor/", "/account/", "/"):
        page.goto(f"{base}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(VERIFY_HEADING)
        expect(page.locator("#secret-key")).to_have_count(0)
    assert list(TOTPDevice.objects.filter(user=admin)) == [app]

    # The owner verifies with a backup code and replaces the app, giving the password too.
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.goto(f"{base}/account/")
    page.get_by_role("link", name="Replace your authenticator app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Replace your authenticator app")
    assert_accessible(page)
    typed = page.locator("#secret-key").inner_text().replace(" ", "")
    key = b32decode(typed + "=" * (-len(typed) % 8))
    page.get_by_label("Code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Replace my authenticator app").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter your password")
    assert_accessible(page)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Replace my authenticator app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    assert not TOTPDevice.objects.filter(pk=app.pk).exists()
    assert TOTPDevice.objects.get(user=admin).confirmed
