"""The withdraw page in Chromium, with axe-core with and without errors: the lead is told
plainly what withdrawing does, is stopped without a reason and the confirmation, withdraws,
and sees the result marked withdrawn."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from assessment.models import Membership, Withdrawal
from assessment.services.assessments import assessment_create, respondents_add
from assessment.services.two_factor import backup_codes_renew
from tests.assessment.conftest import client_for
from tests.assessment.journey import answer_everything, enter_figures, submit_board
from tests.browser.test_board_journey import PERSONAS, accessible, context_for, sign_in
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]
REASON = "Submitted before two members had answered; the board will reassess in May."


def test_the_withdraw_page_is_accessible_with_and_without_errors(
    browser: Browser, live_server: LiveServer
) -> None:
    base = live_server.url
    trust = OrganisationFactory(name="Riverside Community Hospitals NHS Trust", ods_code="RRC")
    lead_membership = MembershipFactory(organisation=trust, role=Membership.Role.LEAD)
    board = [MembershipFactory(organisation=trust) for _ in range(2)]
    assessment = assessment_create(
        organisation=trust,
        title="Board sustainability assessment 2026",
        reporting_period="April 2025 to March 2026",
        user=lead_membership.user,
    )
    respondents_add(assessment=assessment, users=[m.user for m in board])
    for member in board:
        answer_everything(client_for(member), assessment, PERSONAS[0])
    lead_client = client_for(lead_membership)
    enter_figures(lead_client, assessment, PERSONAS[0])
    assert submit_board(lead_client, assessment).status_code == 302

    context = context_for(browser)
    page = context.new_page()
    codes = backup_codes_renew(user=lead_membership.user)
    sign_in(page, base, lead_membership.user.email, backup_code=codes[0])
    page.goto(f"{base}/assessments/{assessment.pk}/results/")
    page.get_by_role("link", name="withdraw it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw the result")
    expect(page.get_by_text("Its board paper says WITHDRAWN on every page")).to_be_visible()
    accessible(page)

    page.get_by_role("button", name="Withdraw the result").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Give the reason for withdrawing the result")
    expect(summary).to_contain_text("Confirm that you understand what withdrawing does")
    assert page.title().startswith("Error: ")
    accessible(page)
    assert not Withdrawal.objects.exists()

    page.get_by_label("Why is the result being withdrawn?").fill(REASON)
    page.get_by_label("I understand that withdrawing cannot be undone").check()
    page.get_by_role("button", name="Withdraw the result").click()
    banner = page.locator("#withdrawn")
    expect(banner).to_contain_text("This result has been withdrawn")
    expect(banner).to_contain_text(REASON)
    accessible(page)
    assert Withdrawal.objects.get().reason == REASON
    context.close()
