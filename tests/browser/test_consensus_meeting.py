"""The consensus pages in Chromium, as the lead uses them in the board meeting: axe-core on
the summary in both modes and on a question's page with and without an error; "Save"
without JavaScript; the answer saved as it changes with it. Screenshots of each page at
desktop and phone widths go to test-artifacts/consensus/ for a person to look at."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from assessment.models import AgreedAnswer, Assessment, Membership
from assessment.services.assessments import assessment_create, respondents_add
from assessment.services.two_factor import backup_codes_renew
from tests.assessment.conftest import client_for
from tests.assessment.journey import answer_everything, enter_figures
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_board_journey import PERSONAS, accessible, context_for, sign_in
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]
SHOTS = ARTIFACTS / "consensus"
WIDTHS = (1280, 375)
RATIONALE = "The board agreed at its meeting on 3 November: rotas are fragile in winter."
ROLES = (
    Membership.BoardRole.CHAIR,
    Membership.BoardRole.NON_EXECUTIVE,
    Membership.BoardRole.NON_EXECUTIVE,
    Membership.BoardRole.EXECUTIVE,
)


def _meeting() -> tuple[Assessment, Membership, list[Membership]]:
    """A trust whose four members have answered, far apart on some judgements (QUAL-5
    among them); the lead has entered the figures."""
    trust = OrganisationFactory(name="Riverside Community Hospitals NHS Trust", ods_code="RRC")
    lead = MembershipFactory(organisation=trust, role=Membership.Role.LEAD)
    board = [MembershipFactory(organisation=trust, board_role=role) for role in ROLES]
    assessment = assessment_create(
        organisation=trust,
        title="Board sustainability assessment 2026",
        reporting_period="April 2025 to March 2026",
        user=lead.user,
    )
    respondents_add(assessment=assessment, users=[m.user for m in board])
    for member, persona in zip(board, PERSONAS * 2, strict=False):
        answer_everything(client_for(member), assessment, persona)
    enter_figures(client_for(lead), assessment, PERSONAS[0])
    return assessment, lead, board


def _shoot(page: Page, name: str) -> None:
    """The page at each width, whole."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _names(board: list[Membership]) -> list[str]:
    return [member.user.get_full_name() for member in board]


def test_the_summary_and_a_question_are_accessible_in_both_modes(
    browser: Browser, live_server: LiveServer
) -> None:
    assessment, lead, board = _meeting()
    base = f"{live_server.url}/assessments/{assessment.pk}/consensus/"
    context = context_for(browser)
    page = context.new_page()
    sign_in(
        page, live_server.url, lead.user.email, backup_code=backup_codes_renew(user=lead.user)[0]
    )

    page.goto(base)
    expect(page.get_by_role("heading", level=1)).to_have_text("Agree the board's answers")
    expect(page.locator("#consensus-QUAL-5")).to_contain_text("Divergent")
    expect(page.get_by_role("link", name="All (16)")).to_have_attribute("aria-current", "page")
    accessible(page)
    _shoot(page, "summary-desk")

    page.get_by_role("link", name="Present to the board").click()
    expect(page.get_by_text("Presenting:", exact=True)).to_be_visible()
    text = page.locator("main").inner_text()
    for name in _names(board):
        assert name not in text
    accessible(page)
    _shoot(page, "summary-present")

    page.get_by_role("link", name="Split each question's levels by board role").click()
    row = page.locator("#consensus-QUAL-5")
    expect(row).to_contain_text("Non-executive directors:")
    expect(row).to_contain_text("Executive directors:")
    accessible(page)
    _shoot(page, "summary-present-split")

    page.get_by_role("link", name="Divergent").click()
    assert "show=divergent" in page.url
    assert "mode=present" in page.url
    page.locator("#consensus-QUAL-5").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("QUAL-5")
    for name in _names(board):
        assert name not in page.locator("main").inner_text()
    accessible(page)
    _shoot(page, "question-present")

    page.get_by_role("link", name="Stop presenting").click()
    for name in _names(board):
        expect(page.locator("main")).to_contain_text(name)
    accessible(page)
    _shoot(page, "question-desk")
    context.close()


@pytest.mark.parametrize("javascript", [False, True], ids=["without-js", "with-js"])
def test_the_lead_agrees_one_question_with_its_own_save(
    browser: Browser, live_server: LiveServer, javascript: bool
) -> None:
    assessment, lead, _ = _meeting()
    url = f"{live_server.url}/assessments/{assessment.pk}/consensus/QUAL-5/"
    context = context_for(browser, javascript=javascript)
    page = context.new_page()
    sign_in(
        page, live_server.url, lead.user.email, backup_code=backup_codes_renew(user=lead.user)[0]
    )
    page.goto(url)
    question = page.locator("#question-QUAL-5")
    question.locator('input[type=radio][value="1"]').check()
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Give the board's rationale for QUAL-5")
    assert page.title().startswith("Error: ")
    accessible(page)
    _shoot(page, f"question-error-{'js' if javascript else 'nojs'}")
    assert not AgreedAnswer.objects.filter(assessment=assessment).exists()

    page.locator("#question-QUAL-5 textarea").fill(RATIONALE)
    if javascript:
        # Saved as it changes, once typing pauses: no button needed.
        expect(page.locator("#question-QUAL-5 [data-save-status]")).to_contain_text("Saved at")
        agreed = AgreedAnswer.objects.get(assessment=assessment, question__code="QUAL-5")
        assert (agreed.value, agreed.rationale) == ("1", RATIONALE)
    else:
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
            "Saved the board's agreed answer to QUAL-5"
        )
        expect(page.locator(".nhsuk-notification-banner")).to_contain_text("(1 changed)")
        agreed = AgreedAnswer.objects.get(assessment=assessment, question__code="QUAL-5")
        assert (agreed.value, agreed.rationale) == ("1", RATIONALE)
        accessible(page)
    context.close()


def agree_divergent(page: Page, base: str, assessment: Assessment, rationale: str) -> list[str]:
    """The lead agrees every divergent judgement, one page each, keeping the answer shown
    and giving `rationale`, with each question's own "Save". The codes agreed."""
    page.goto(f"{base}/assessments/{assessment.pk}/consensus/?show=divergent")
    rows = page.locator("#consensus-summary tbody tr[id^='consensus-']")
    codes = [str(row.get_attribute("id")).removeprefix("consensus-") for row in rows.all()]
    assert codes, "some judgements should be divergent"
    for code in codes:
        page.goto(f"{base}/assessments/{assessment.pk}/consensus/{code}/?show=divergent")
        page.locator(f"#question-{code} textarea").fill(rationale)
        page.get_by_role("button", name=f"Save the board's answer to {code}").click()
        expect(page.locator(".nhsuk-notification-banner")).to_contain_text(code)
    return codes
