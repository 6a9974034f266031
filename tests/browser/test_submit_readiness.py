"""Submitting knowingly, in Chromium: the lead is stopped by what blocks the submission,
each item listed and linked; clears it; gives the board's reason for the warning left;
confirms what submitting does; and the paper prints the reason. axe-core on each page."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Browser, expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from assessment.models import Membership, Submission
from assessment.services.assessments import assessment_create, respondents_add
from assessment.services.two_factor import backup_codes_renew
from tests.assessment.journey import answer_everything, enter_figures
from tests.browser.test_board_journey import accessible, context_for, sign_in
from tests.browser.test_consensus_meeting import agree_divergent
from tests.conftest import verified_client
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.personas import load_persona, persona_paths

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]
FRAGILE = load_persona(persona_paths()[1])["answers"]
STRONG = load_persona(persona_paths()[2])["answers"]
REASON = "The chair was on leave; the board agreed on 3 December to submit without her answers."


def _member(trust, first: str, last: str, role: str = Membership.Role.BOARD_MEMBER):
    user = UserFactory(first_name=first, last_name=last, email=f"{first}@hillside.nhs.uk".lower())
    return MembershipFactory(user=user, organisation=trust, role=role)


def test_the_lead_is_stopped_clears_the_checklist_gives_a_reason_and_the_paper_prints_it(
    browser: Browser, live_server: LiveServer
) -> None:
    base = live_server.url
    trust = OrganisationFactory(name="Hillside Hospitals NHS Trust", ods_code="RHS")
    lead_membership = _member(trust, "Lena", "Hart", Membership.Role.LEAD)
    ada, ben, cleo = (_member(trust, name, "Board") for name in ("Ada", "Ben", "Cleo"))
    assessment = assessment_create(
        organisation=trust,
        title="Board assessment",
        reporting_period="2025/26",
        user=lead_membership.user,
    )
    respondents_add(assessment=assessment, users=[ada.user, ben.user, cleo.user])
    # Ada and Ben answer and finish, far apart on several judgements; Cleo has not started.
    for member, answers in ((ada, FRAGILE), (ben, STRONG)):
        client = verified_client(member.user)
        answer_everything(client, assessment, answers)
        client.post(f"/assessments/{assessment.pk}/response/complete/")
    enter_figures(verified_client(lead_membership.user), assessment, STRONG)

    context = context_for(browser)
    lead = context.new_page()
    sign_in(
        lead,
        base,
        lead_membership.user.email,
        backup_code=backup_codes_renew(user=lead_membership.user)[0],
    )
    lead.goto(f"{base}/assessments/{assessment.pk}/")
    lead.get_by_role("link", name="Submit the board's answers").click()
    blocking = lead.locator("#blocking")
    expect(blocking).to_contain_text("QUAL-5: give a rationale for the agreed answer")
    first = blocking.get_by_role("link").first
    expect(first).to_have_attribute("href", f"/assessments/{assessment.pk}/consensus/QUAL-5/")
    expect(lead.locator("#readiness-members")).to_contain_text("Cleo Board")
    expect(lead.locator("#readiness-members")).to_contain_text("Not started")
    expect(lead.get_by_role("button", name="Submit the board's answers")).to_have_count(0)
    accessible(lead)

    # Each item links to where it is cleared: the divergent judgements, agreed with a rationale.
    first.click()
    expect(lead.get_by_role("heading", level=1)).to_contain_text("QUAL-5")
    agree_divergent(
        lead, base, assessment, "Agreed at the board meeting on 3 December, after discussion."
    )

    lead.goto(f"{base}/assessments/{assessment.pk}/submit/")
    expect(lead.locator("#blocking")).to_contain_text("Ready")
    warning = lead.locator("#warning-members")
    expect(warning).to_contain_text("1 of 3 board members have not marked their response complete")
    expect(warning).to_contain_text("Cleo Board: not started, 0 of 16 answered")
    accessible(lead)
    # Neither a reason nor the confirmation: stopped, each error listed and linked.
    lead.get_by_role("button", name="Submit the board's answers").click()
    summary = lead.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Give the board's reason for submitting although 1 of 3")
    expect(summary).to_contain_text("Confirm that you understand what submitting does")
    expect(lead).to_have_title(re.compile(r"^Error: Submit the board's answers"))
    assert not Submission.objects.exists()
    accessible(lead)
    summary.get_by_role(
        "link", name="Give the board's reason for submitting although 1 of 3"
    ).click()
    expect(lead.locator("#id_reason-members")).to_be_focused()
    lead.locator("#id_reason-members").fill(REASON)
    lead.get_by_label("I understand that submitting locks every answer").check()
    lead.get_by_role("button", name="Submit the board's answers").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("The board's result")
    submission = Submission.objects.get()
    assert [(item["key"], item["reason"]) for item in submission.readiness] == [("members", REASON)]

    paper = lead.request.get(f"{base}/assessments/{assessment.pk}/board-paper.pdf")
    assert paper.ok
    text = " ".join(
        (page.extract_text() or "") for page in PdfReader(io.BytesIO(paper.body())).pages[:2]
    )
    squashed = "".join(text.split())
    assert "".join(f"The board's reason: {REASON}".split()) in squashed
    assert "".join(["Submitted", "with", "warnings."]) in squashed
    context.close()
