"""The lead's deadline page, and the manage-member and remove-member pages, in Chromium,
checked with axe-core with and without errors; the deadline page is captured at desktop
and phone widths (test-artifacts/deadline-*.png) for a person to look at."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from assessment.models import Assessment, Membership, Respondent
from assessment.services.assessments import assessment_create, respondents_add
from assessment.services.two_factor import backup_codes_renew
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_board_journey import accessible, context_for, sign_in
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]


def _capture(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_deadline_and_member_pages_are_accessible_with_and_without_errors(
    browser: Browser, live_server: LiveServer
) -> None:
    base = live_server.url
    trust = OrganisationFactory(name="Riverside Community Hospitals NHS Trust", ods_code="RRC")
    lead = MembershipFactory(organisation=trust, role=Membership.Role.LEAD)
    board = [MembershipFactory(organisation=trust) for _ in range(2)]
    assessment = assessment_create(
        organisation=trust,
        title="Board sustainability assessment 2026",
        reporting_period="April 2025 to March 2026",
        user=lead.user,
    )
    respondents_add(assessment=assessment, users=[m.user for m in board])
    context = context_for(browser)
    page = context.new_page()
    sign_in(page, base, lead.user.email, backup_code=backup_codes_renew(user=lead.user)[0])

    # The deadline: empty, in the past, then a good date.
    page.goto(f"{base}/assessments/{assessment.pk}/")
    page.get_by_role("link", name="Set a deadline for answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "When should the board finish answering?"
    )
    accessible(page)
    _capture(page, "deadline")

    page.get_by_role("button", name="Save the deadline").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter the date members should finish by")
    assert page.title().startswith("Error: ")
    accessible(page)

    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2020")
    page.get_by_role("button", name="Save the deadline").click()
    expect(summary).to_contain_text("Enter a deadline in the future, for example")
    expect(page.locator("#deadline-error")).to_contain_text("Enter a deadline in the future")
    accessible(page)
    _capture(page, "deadline-error")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Day")).to_be_focused()

    deadline = timezone.localdate() + timedelta(days=14)
    page.get_by_label("Day").fill(str(deadline.day))
    page.get_by_label("Month").fill(str(deadline.month))
    page.get_by_label("Year").fill(str(deadline.year))
    page.get_by_role("button", name="Save the deadline").click()
    expect(page.locator("#deadline")).to_contain_text(f"{deadline.day} {deadline:%B %Y}")
    accessible(page)
    assert Assessment.objects.get(pk=assessment.pk).response_deadline == deadline

    # A member: their role on the board, then removing them.
    name = board[0].user.get_full_name()
    page.get_by_role("link", name=f"Manage {name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    accessible(page)
    page.get_by_role("button", name="Save their role").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Choose where they sit on the board"
    )
    accessible(page)
    page.get_by_label("Non-executive director").check()
    page.get_by_role("button", name="Save their role").click()
    expect(page.get_by_text(f"Saved where {name} sits on the board.")).to_be_visible()
    assert Membership.objects.get(pk=board[0].pk).board_role == "non_executive"

    page.get_by_role("link", name=f"Manage {name}").click()
    page.get_by_role("link", name=f"Remove {name} from this assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Remove {name} from this assessment?"
    )
    accessible(page)
    page.get_by_role("button", name="Remove them from this assessment").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Confirm that you want to remove them from this assessment"
    )
    accessible(page)
    page.get_by_label("I understand that their answers will no longer count").check()
    page.get_by_role("button", name="Remove them from this assessment").click()
    expect(page.locator("#removed-members")).to_contain_text(name)
    accessible(page)
    assert Respondent.objects.get(assessment=assessment, user=board[0].user).removed_at
    context.close()
