"""Signing in through the real page in Chromium, and the accessibility of the shell."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from playwright.sync_api import Page, expect

from assessment.models import Membership
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_member_signs_in_through_the_page_and_lands_on_home(
    page: Page,
    live_server,
    member: Membership,
) -> None:
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/sign-in/?next=/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)

    page.get_by_label("Email address").fill(member.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("strong", has_text=member.organisation.name)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)


def test_sign_in_errors_are_summarised_focused_and_accessible(
    page: Page,
    live_server,
    member: Membership,
) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_title("Error: Sign in – Assess your trust's sustainability – NHS")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Enter your email address").click()
    expect(page.get_by_label("Email address")).to_be_focused()
    assert_accessible(page)


def test_not_found_page_is_accessible(
    page: Page,
    live_server,
    member: Membership,
) -> None:
    page.goto(f"{live_server.url}/no-such-page/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)


@pytest.mark.parametrize(
    ("template", "heading"),
    [
        ("403.html", "You cannot do that"),
        ("403_csrf.html", "The page had expired"),
        ("500.html", "Sorry, there is a problem with the service"),
    ],
)
def test_error_pages_are_accessible(
    page: Page,
    live_server,
    template: str,
    heading: str,
) -> None:
    # These pages cannot be reached on purpose, so their HTML is loaded into a page on the
    # live server, where its stylesheets and scripts resolve as they would in production.
    page.goto(f"{live_server.url}/accessibility/")
    page.set_content(render_to_string(template))
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)
