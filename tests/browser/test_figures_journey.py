"""The trust's figures in Chromium, with axe-core on every page, with and without errors.

The lead names the finance director to provide the financial figures, who enters one with
JavaScript (saved as it is typed, once its source is given) and one without (Save the
figures). A published value is offered to the lead, who accepts it with the rest of a
section. A board member sees the figures beside their own questions, queries one, and sees
the lead's answer once the lead has changed it; the query blocks submission until then.
The result lists every figure with its source.

With SCREENSHOT_DIR set, each page is also kept as a full-page screenshot at 1280 and 375
pixels wide, named after the page, for a person to look over.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from assessment.models import (
    Assessment,
    Figure,
    FigureHolder,
    FigureQuery,
    Membership,
    Organisation,
    PublishedDataset,
    PublishedValue,
    Submission,
)
from assessment.selectors import pinned_for
from assessment.services.assessments import assessment_create, respondents_add
from assessment.services.two_factor import backup_codes_renew
from tests.assessment.journey import SOURCE, answer_everything, enter_figures_cited
from tests.browser.test_board_journey import PERSONAS, accessible, context_for, sign_in
from tests.conftest import verified_client
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]
SHOTS = os.environ.get("SCREENSHOT_DIR", "")
WIDTHS = (1280, 375)
CITATION = "NHS Oversight Framework 2025/26 Q2"
FIN_1_SOURCE = "Month 9 finance report to the board, 2025/26"
FIN_2_SOURCE = "Medium-term financial plan 2025/26"
PERF_SOURCES = {
    "PERF-1": "A&E attendances and emergency admissions, September 2025",
    "PERF-3": "Cancer waiting times, September 2025",
    "PERF-4": "Diagnostics waiting times and activity (DM01), September 2025",
}
QUERY = "The NHS Staff Survey 2025 gives the trust 6.8 for staff engagement, not 7."
NEW_SOURCE = "NHS Staff Survey 2025, staff engagement theme"
REPLY = "You are right: 7 was last year's score. Changed to the 2025 survey's 6.8."


def _shoot(page: Page, name: str, part: str = "") -> None:
    """Keep the page as it stands, whole, at each width, when SCREENSHOT_DIR asks for it;
    with `part`, that part of the page as well."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
        if part:
            page.locator(part).screenshot(path=str(Path(SHOTS) / f"{name}-{width}-part.png"))
    page.set_viewport_size({"width": 1280, "height": 900})


def _member(trust: Organisation, first: str, last: str) -> Membership:
    user = UserFactory(
        first_name=first, last_name=last, email=f"{first}.{last}@riverside.nhs.uk".lower()
    )
    return MembershipFactory(user=user, organisation=trust)


def _publish_perf_2(trust: Organisation) -> PublishedValue:
    dataset = PublishedDataset.objects.create(
        publisher="NHS England",
        title="NHS Oversight Framework",
        period="2025/26 Q2",
        period_end=date(2025, 9, 30),
        licence="Open Government Licence v3.0",
        link="https://www.england.nhs.uk/nhs-oversight-framework/",
        layout=PublishedDataset.Layout.LONG,
        organisation_column="Organisation code",
        metric_column="Metric ID",
        value_column="Value",
        mappings="OF0011 = PERF-2",
        file_name="nof-segmentation-2025-26-q2.csv",
    )
    return PublishedValue.objects.create(
        dataset=dataset,
        organisation=trust,
        question_code="PERF-2",
        value="71.3",
        metric="OF0011",
        row=2,
        column="Value",
    )


def _the_rest_of_the_figures(lead: Client, assessment: Assessment) -> None:
    """The lead enters every figure not yet entered, through the figures pages; those
    already entered are posted as they stand, with their own sources."""
    entered = {
        row.question.code: row
        for row in Figure.objects.filter(assessment=assessment).select_related("question")
    }
    figures = {question.code for question in pinned_for(assessment).figures}
    answers = {code: PERSONAS[0][code] for code in figures}
    answers.update({code: row.value for code, row in entered.items()})
    enter_figures_cited(
        lead,
        assessment,
        answers,
        lambda code: entered[code].source if code in entered else SOURCE,
    )


def test_figures_are_entered_once_with_sources_queried_and_resolved(
    browser: Browser, live_server: LiveServer
) -> None:
    base = live_server.url
    trust = OrganisationFactory(name="Riverside Community Hospitals NHS Trust", ods_code="RRC")
    lead_membership = _member(trust, "Lena", "Hart")
    lead_membership.role = Membership.Role.LEAD
    lead_membership.save()
    dev = _member(trust, "Dev", "Patel")
    eve = _member(trust, "Eve", "Lewis")
    assessment = assessment_create(
        organisation=trust,
        title="Board sustainability assessment 2026",
        reporting_period="April 2025 to March 2026",
        user=lead_membership.user,
    )
    respondents_add(assessment=assessment, users=[dev.user, eve.user])
    overview = f"{base}/assessments/{assessment.pk}/"
    figures = f"{overview}figures/"

    # ------------------------------------------------------------------ the lead names a holder
    lead_context = context_for(browser)
    lead = lead_context.new_page()
    codes = backup_codes_renew(user=lead_membership.user)
    sign_in(lead, base, lead_membership.user.email, backup_code=codes[0])
    lead.goto(overview)
    expect(lead.get_by_role("heading", level=1)).to_have_text(assessment.title)
    accessible(lead)
    lead.get_by_role(
        "link", name="Enter the trust's figures, and choose who provides each section"
    ).click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("The trust's figures")
    accessible(lead)
    lead.get_by_text("Choose who provides each section's figures").click()
    lead.get_by_label("Financial sustainability").select_option(
        label=f"Dev Patel ({dev.user.email})"
    )
    lead.get_by_role("button", name="Save who provides the figures").click()
    expect(lead.locator(".nhsuk-notification-banner")).to_contain_text(
        "Saved who provides each section's figures"
    )
    expect(lead.locator("#section-FIN + p")).to_contain_text("Provided by Dev Patel")
    expect(lead.locator("#section-PERF + p")).to_contain_text("Provided by the assessment lead")
    assert FigureHolder.objects.get(assessment=assessment, section="FIN").user == dev.user
    accessible(lead)
    _shoot(lead, "01-figures-list-holder-named")

    # ------------------------------------------------------------------ the holder, with JavaScript
    dev_context = context_for(browser)
    holder = dev_context.new_page()
    sign_in(holder, base, dev.user.email)
    holder.goto(f"{overview}response/")
    expect(holder.get_by_role("heading", name="Figures you provide")).to_be_visible()
    accessible(holder)
    _shoot(holder, "02-response-figures-you-provide")
    holder.get_by_role("link", name="Trust figures: Financial sustainability").click()
    expect(holder.get_by_role("heading", level=1)).to_have_text("Financial sustainability")
    expect(holder.locator(".nhsuk-caption-l")).to_have_text("Trust figures")
    accessible(holder)
    fin_1 = holder.locator('[data-question="FIN-1"]')
    fin_1.locator('input[name="n-FIN-1"]').fill("0.2")
    fin_1.locator('input[name="n-FIN-1"]').dispatch_event("change")
    status = fin_1.locator("[data-save-status]")
    expect(status).to_contain_text("Not saved: Give the source of the figure")
    expect(status).to_have_class(re.compile("app-save-status--problem"))
    assert not Figure.objects.filter(assessment=assessment).exists()
    accessible(holder)
    _shoot(holder, "03-figures-section-autosave-needs-source")
    fin_1.locator('input[name="note-FIN-1"]').fill(FIN_1_SOURCE)
    fin_1.locator('input[name="note-FIN-1"]').dispatch_event("change")
    expect(status).to_contain_text("Saved at")
    saved = Figure.objects.get(assessment=assessment)
    assert (saved.value, saved.source, saved.updated_by) == ("0.2", FIN_1_SOURCE, dev.user)

    # ------------------------------------------------------------------ the holder, no JavaScript
    plain_context = context_for(browser, javascript=False)
    plain = plain_context.new_page()
    sign_in(plain, base, dev.user.email)
    plain.goto(f"{overview}response/")
    plain.get_by_role("link", name="Trust figures: Financial sustainability").click()
    fin_2 = plain.locator('[data-question="FIN-2"]')
    fin_2.locator('input[name="q-FIN-2"][value="figure"]').check()
    fin_2.locator('input[name="n-FIN-2"]').fill("1")
    plain.get_by_role("button", name="Save the figures").click()
    expect(plain.locator(".nhsuk-error-summary")).to_contain_text(
        "Give the source of the figure: the report or dataset, and the period it covers"
    )
    expect(fin_2.locator(".nhsuk-error-message")).to_contain_text("Give the source of the figure")
    source_id = fin_2.locator('input[name="note-FIN-2"]').get_attribute("id")
    expect(plain.locator(".nhsuk-error-summary a")).to_have_attribute("href", f"#{source_id}")
    expect(plain).to_have_title(re.compile(r"^Error: Trust figures: Financial sustainability"))
    assert Figure.objects.filter(assessment=assessment).count() == 1
    accessible(plain)
    _shoot(plain, "04-figures-section-no-source-error")
    fin_2.locator('input[name="note-FIN-2"]').fill(FIN_2_SOURCE)
    plain.get_by_role("button", name="Save the figures").click()
    expect(plain.locator(".nhsuk-notification-banner")).to_contain_text(
        "Saved the figures for Financial sustainability"
    )
    # The named member is back on their response, their task showing what is entered.
    expect(plain.get_by_role("heading", level=1)).to_have_text("Your response")
    expect(plain.locator("#figures-FIN-hint")).to_have_text("2 of 7 entered")
    plain.get_by_role("link", name="see the trust's figures").click()
    expect(plain.locator("#figure-FIN-1")).to_contain_text(f"Source: {FIN_1_SOURCE}")
    expect(plain.locator("#figure-FIN-2")).to_contain_text(f"Source: {FIN_2_SOURCE}")
    # The holder may enter the financial figures, and no others.
    expect(plain.get_by_role("link", name=re.compile(r"^Enter or change the"))).to_have_count(1)
    accessible(plain)
    plain_context.close()

    # ------------------------------------------------------------------ a published value offered
    published = _publish_perf_2(trust)
    lead.goto(figures)
    expect(lead.locator("#figure-PERF-2")).to_contain_text(
        f"{CITATION} (published data, not yet confirmed by the trust)"
    )
    lead.get_by_role("link", name="Enter or change the operational performance figures").click()
    perf_2 = lead.locator('[data-question="PERF-2"]')
    expect(perf_2.locator(".app-figure-context")).to_contain_text(
        f"Published: 71.3% within 18 weeks, {CITATION}"
    )
    expect(perf_2.locator('input[name="n-PERF-2"]')).to_have_value("71.3")
    expect(perf_2.locator('input[name="note-PERF-2"]')).to_have_value(CITATION)
    accessible(lead)
    _shoot(lead, "05-figures-section-published-offer")

    # The lead enters the rest of the section, each figure saved as it is given, and saves the
    # page: the published value is accepted as offered.
    for code, source in PERF_SOURCES.items():
        block = lead.locator(f'[data-question="{code}"]')
        block.locator(f'input[name="n-{code}"]').fill(str(PERSONAS[0][code]))
        block.locator(f'input[name="note-{code}"]').fill(source)
        block.locator(f'input[name="note-{code}"]').dispatch_event("change")
        expect(block.locator("[data-save-status]")).to_contain_text("Saved at")
    lead.get_by_role("button", name="Save the figures").click()
    expect(lead.locator(".nhsuk-notification-banner")).to_contain_text(
        "Saved the figures for Operational performance"
    )
    expect(lead.locator("#figure-PERF-2")).to_contain_text(f"Source: {CITATION}")
    expect(lead.locator("#figure-PERF-2")).not_to_contain_text("not yet confirmed")
    for code, source in PERF_SOURCES.items():
        expect(lead.locator(f"#figure-{code}")).to_contain_text(f"Source: {source}")
    accepted = Figure.objects.get(assessment=assessment, question__code="PERF-2")
    assert (accepted.value, accepted.source, accepted.published) == ("71.3", CITATION, published)

    _the_rest_of_the_figures(verified_client(lead_membership.user), assessment)
    assert Figure.objects.filter(assessment=assessment).exclude(value="").count() == len(
        pinned_for(assessment).figures
    )
    lead.reload()
    expect(lead.locator("main")).not_to_contain_text("Not entered yet")
    expect(lead.locator("#figure-FIN-1")).to_contain_text(f"Source: {FIN_1_SOURCE}")
    accessible(lead)
    _shoot(lead, "06-figures-list-entered")

    # ------------------------------------------------------------------ a member queries a figure
    for membership in (dev, eve):
        client = Client()
        client.force_login(membership.user)
        answer_everything(client, assessment, PERSONAS[0])
    eve_context = context_for(browser)
    member = eve_context.new_page()
    sign_in(member, base, eve.user.email)
    member.goto(f"{overview}response/")
    expect(member.get_by_text("You have answered 16 of 16 questions.")).to_be_visible()
    expect(member.get_by_role("heading", name="Figures you provide")).to_have_count(0)
    member.get_by_role("link", name="Workforce").click()
    panel = member.locator(".app-section-figures")
    expect(panel).to_contain_text("The trust's figures for workforce")
    work_4 = member.locator("#figure-WORK-4")
    expect(work_4).to_contain_text("7 score out of 10")
    expect(work_4).to_contain_text(f"Source: {SOURCE}")
    expect(member.locator('[name="n-WORK-4"]')).to_have_count(0)  # read-only: not hers to give
    expect(member.locator('[data-question="WORK-3"]')).to_be_visible()
    accessible(member)
    _shoot(member, "07-member-section-figures-panel")
    work_4.get_by_role("link", name="Query WORK-4").click()
    expect(member.locator(".nhsuk-caption-l")).to_have_text("Query a figure · WORK-4")
    accessible(member)
    _shoot(member, "08-figure-query")
    member.get_by_role("button", name="Send the query to the lead").click()
    expect(member.locator(".nhsuk-error-summary")).to_contain_text(
        "Say what you think is wrong with the figure, and why"
    )
    expect(member).to_have_title(re.compile(r"^Error: Query WORK-4"))
    assert not FigureQuery.objects.exists()
    accessible(member)
    _shoot(member, "09-figure-query-error")
    member.get_by_label("What do you think is wrong with this figure, and why?").fill(QUERY)
    member.get_by_role("button", name="Send the query to the lead").click()
    expect(member).to_have_url(re.compile(r"/response/WORK/$"))
    expect(member.locator(".nhsuk-notification-banner")).to_contain_text(
        "Your query on WORK-4 is sent to the assessment lead"
    )
    expect(work_4).to_contain_text(QUERY)
    expect(work_4).to_contain_text("Waiting for the lead")
    accessible(member)
    _shoot(member, "10-member-section-query-waiting")

    # ------------------------------------------------------------------ the lead resolves it
    lead.goto(overview)
    expect(lead.locator("#open-queries")).to_contain_text("1 query on figures to resolve")
    expect(lead.locator("#open-queries")).to_contain_text("WORK-4")
    expect(lead.locator("#open-queries")).to_contain_text("queried by Eve Lewis")
    accessible(lead)
    _shoot(lead, "11-overview-open-queries")
    lead.goto(f"{overview}consensus/")
    expect(lead.locator("#open-queries")).to_contain_text("queried by Eve Lewis")
    accessible(lead)
    lead.goto(f"{overview}submit/")
    refusal = "WORK-4: resolve the query on this figure raised by Eve Lewis"
    expect(lead.locator("#blocking")).to_contain_text(refusal)
    expect(
        lead.locator("#blocking").get_by_role("link", name=re.compile("^WORK-4"))
    ).to_have_attribute("href", re.compile(r"/figures/queries/\d+/$"))
    # No way to submit while it is open, and a crafted post is refused with the same item.
    expect(lead.get_by_role("button", name="Submit the board's answers")).to_have_count(0)
    token = lead.locator('input[name="csrfmiddlewaretoken"]').first.input_value()
    crafted = lead.request.post(
        f"{overview}submit/",
        form={"csrfmiddlewaretoken": token, "confirm": "on"},
        headers={"Referer": f"{overview}submit/"},
    )
    assert refusal in crafted.text()
    assert "Nothing was submitted." in crafted.text()
    assert not Submission.objects.exists()
    accessible(lead)
    _shoot(lead, "12-submit-refused-open-query")

    lead.goto(overview)
    lead.locator("#open-queries").get_by_role("link", name=re.compile("^WORK-4")).click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Eve Lewis queried this figure")
    expect(lead.locator(".nhsuk-inset-text").first).to_contain_text(QUERY)
    accessible(lead)
    _shoot(lead, "13-resolve")
    lead.get_by_role("button", name="Resolve the query").click()
    expect(lead.locator(".nhsuk-error-message")).to_contain_text(
        "Write a reply: say why the figure changed or why it stands"
    )
    expect(lead).to_have_title(re.compile(r"^Error: Resolve the query on WORK-4"))
    accessible(lead)
    _shoot(lead, "14-resolve-error")
    lead.locator('input[name="n-WORK-4"]').fill("6.8")
    lead.locator('input[name="note-WORK-4"]').fill(NEW_SOURCE)
    lead.get_by_label("Your reply to the board member").fill(REPLY)
    lead.get_by_role("button", name="Resolve the query").click()
    expect(lead.locator(".nhsuk-notification-banner")).to_contain_text(
        "The query on WORK-4 is resolved"
    )
    expect(lead.locator("#figure-WORK-4")).to_contain_text("6.8 score out of 10")
    expect(lead.locator("#figure-WORK-4")).to_contain_text(f"Source: {NEW_SOURCE}")
    expect(lead.locator("#open-queries")).to_have_count(0)
    assert FigureQuery.objects.get().outcome == FigureQuery.Outcome.CHANGED

    member.reload()
    expect(work_4).to_contain_text("6.8 score out of 10")
    expect(work_4).to_contain_text("Figure changed")
    expect(work_4).to_contain_text(f": {REPLY}")
    expect(work_4).to_contain_text(f"Reply from {lead_membership.user.get_full_name()} on ")
    accessible(member)
    _shoot(member, "15-member-section-figure-changed")

    # ------------------------------------------------------------------ the lead submits
    lead.goto(f"{overview}submit/")
    expect(lead.locator(".nhsuk-error-summary")).to_have_count(0)
    for reason in lead.locator('textarea[name^="reason-"]').all():
        reason.fill("Agreed at the board meeting on 3 December.")
    lead.get_by_label("I understand that submitting locks every answer").check()
    lead.get_by_role("button", name="Submit the board's answers").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("The board's result")
    figures = lead.locator("#figures summary")
    expect(figures).to_have_text("The trust's figures and their sources")
    figures.click()
    table = lead.locator(".app-figures-table")
    for code, text in (
        ("WORK-4", NEW_SOURCE),
        ("PERF-2", CITATION),
        ("FIN-1", FIN_1_SOURCE),
        ("FIN-2", FIN_2_SOURCE),
        ("QUAL-1", SOURCE),
    ):
        expect(table.locator("tr", has_text=code)).to_contain_text(text)
    expect(table.locator("tr", has_text="WORK-4")).to_contain_text("6.8 score out of 10")
    accessible(lead)
    _shoot(lead, "16-results-figures-and-sources", part=".app-figures-table")
    agreed = {entry["code"]: entry for entry in Submission.objects.get().agreed_answers}
    assert (agreed["WORK-4"]["answered_by"], agreed["WORK-4"]["source"]) == ("figure", NEW_SOURCE)

    member.goto(f"{overview}results/")
    expect(member.locator(".app-figures-table")).to_contain_text(NEW_SOURCE)
    accessible(member)

    for context in (lead_context, dev_context, eve_context):
        context.close()
