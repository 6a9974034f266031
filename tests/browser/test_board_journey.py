"""The whole board journey in Chromium, with axe-core on every page, with and without errors.

The lead starts an assessment and invites three members by email. One answers with
JavaScript (each answer saved as it changes), one without JavaScript (Save and continue),
and one imports figures from a CSV before answering the rest. The lead agrees the divergent
questions and submits; a second click submits nothing more; everyone sees the result.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Browser, BrowserContext, Page, expect

from assessment.models import Assessment, Submission
from assessment.scoring import definitions as d
from assessment.selectors import pinned_for
from assessment.services.two_factor import backup_codes_renew
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory
from tests.personas import load_persona, persona_paths

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]
PERSONAS = [load_persona(path)["answers"] for path in persona_paths()]
NEW_PASSWORD = "board-member-passphrase"
NUMBER_CODES = {"FIN-1", "FIN-2", "FIN-3", "FIN-4", "FIN-5", "FIN-6"}


def _raw(value: object) -> str:
    if isinstance(value, bool):  # YAML reads a bare yes/no as a boolean
        return "yes" if value else "no"
    return str(value)


def _context(browser: Browser, *, javascript: bool = True) -> BrowserContext:
    context = browser.new_context(
        locale="en-GB", viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
    )
    context.set_default_timeout(10_000)
    context._javascript = javascript  # type: ignore[attr-defined]
    return context


def _sign_in(
    page: Page, base: str, email: str, password: str = PASSWORD, backup_code: str = ""
) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if backup_code:  # leads must verify a second factor before any page
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
        page.get_by_label("Code").fill(backup_code)
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def _accessible(page: Page) -> None:
    """axe-core on the page as it stands. axe needs JavaScript, so a page from a context
    without it is checked as a copy of its HTML in a context with it, at the same address."""
    if page.context.browser is None or _javascript_on(page):
        assert_accessible(page)
        return
    copy_context = page.context.browser.new_context(locale="en-GB")
    copy = copy_context.new_page()
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    copy.goto(f"{origin}/accessibility/")
    copy.set_content(page.content())
    assert_accessible(copy)
    copy_context.close()


def _javascript_on(page: Page) -> bool:
    return getattr(page.context, "_javascript", True)


def _accept(page: Page, link: str, name: str) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your account")
    _accessible(page)
    first, last = name.split(" ")
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Choose a password").fill("short")
    page.get_by_label("Enter the password again").fill("short")
    page.get_by_role("button", name="Create my account and start").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("There is a problem")
    _accessible(page)
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Enter the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my account and start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your response")
    _accessible(page)


def _answer_question(page: Page, question: d.Question, value: str, *, autosave: bool) -> None:
    block = page.locator(f'[data-question="{question.code}"]')
    if question.kind == d.NUMBER and value not in ("dk", "na"):
        block.locator(f'input[name="q-{question.code}"][value="figure"]').check()
        figure = block.locator(f'input[name="n-{question.code}"]')
        figure.fill(value)
        if autosave:
            figure.dispatch_event("change")
    else:
        block.locator(f'input[name="q-{question.code}"][value="{value}"]').check()
    if autosave:
        expect(block.locator("[data-save-status]")).to_contain_text("Saved at")


def _answer_sections(
    page: Page,
    assessment: Assessment,
    answers: dict[str, object],
    *,
    autosave: bool,
    skip: set[str] = frozenset(),  # type: ignore[assignment]
    check_each_page: bool = False,
) -> None:
    pinned = pinned_for(assessment)
    page.get_by_role("link", name=pinned.sections[0].name).click()
    for number, section in enumerate(pinned.sections, start=1):
        expect(page.locator(".nhsuk-caption-l")).to_have_text(
            f"Section {number} of {len(pinned.sections)}"
        )
        if check_each_page:
            _accessible(page)
        for question in pinned.questions_by_section[section.code]:
            if question.code not in skip:
                _answer_question(page, question, _raw(answers[question.code]), autosave=autosave)
        button = (
            "Save and check your answers" if number == len(pinned.sections) else "Save and continue"
        )
        page.get_by_role("button", name=button).click()


def _complete(page: Page) -> None:
    page.get_by_role("button", name="Check your answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    _accessible(page)
    page.get_by_role("button", name="Mark my response as complete").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("marked as complete")


def test_the_board_journey_from_invitation_to_result(
    browser: Browser, live_server, tmp_path: Path
) -> None:
    base = live_server.url
    trust = OrganisationFactory(name="Riverside Community Hospitals NHS Trust", ods_code="RRC")
    lead_membership = MembershipFactory(organisation=trust, role="lead")

    # ------------------------------------------------------------------ the lead starts
    lead_context = _context(browser)
    lead = lead_context.new_page()
    codes = backup_codes_renew(user=lead_membership.user)
    _sign_in(lead, base, lead_membership.user.email, backup_code=codes[0])
    assert_accessible(lead)
    lead.get_by_role("button", name="Start a new assessment").click()
    lead.get_by_role("button", name="Start the assessment").click()
    expect(lead).to_have_title(re.compile(r"^Error: Start a new assessment"))
    assert_accessible(lead)
    lead.get_by_label("Title").fill("Board sustainability assessment 2026")
    lead.get_by_label("Reporting period").fill("April 2025 to March 2026")
    lead.get_by_role("button", name="Start the assessment").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text(
        "Board sustainability assessment 2026"
    )
    assert_accessible(lead)
    assessment = Assessment.objects.get()

    names = ["Ada Okoye", "Ben Rowe", "Cara Singh"]
    for number, name in enumerate(names):
        lead.get_by_role("button", name="Invite a board member by email").click()
        if number == 0:
            lead.get_by_label("Full name").fill(name)
            lead.get_by_label("Email address").fill("not-an-email")
            lead.get_by_role("button", name="Send the invitation", exact=True).click()
            expect(lead.locator(".nhsuk-error-summary")).to_contain_text(
                "Enter an email address in the correct format"
            )
            assert_accessible(lead)
        lead.get_by_label("Full name").fill(name)
        lead.get_by_label("Email address").fill(f"{name.split()[0].lower()}@riverside.nhs.uk")
        lead.get_by_role("button", name="Send the invitation", exact=True).click()
        expect(lead.locator(".nhsuk-notification-banner")).to_contain_text("We have emailed")
    links = {
        message.to[0]: re.search(r"https?://\S+/invitations/\S+/", message.body).group(0)
        for message in mail.outbox
    }
    assert len(links) == 3

    # ------------------------------------------------------------------ member 1, with JavaScript
    ada_context = _context(browser)
    ada = ada_context.new_page()
    _accept(ada, links["ada@riverside.nhs.uk"], "Ada Okoye")
    _answer_sections(ada, assessment, PERSONAS[0], autosave=True, check_each_page=True)
    _complete(ada)

    # ------------------------------------------------------------------ member 2, no JavaScript
    ben_context = _context(browser, javascript=False)
    ben = ben_context.new_page()
    _accept(ben, links["ben@riverside.nhs.uk"], "Ben Rowe")
    # A bad figure first: the error summary and inline message, then the fix.
    ben.get_by_role("link", name="Financial sustainability").click()
    ben.locator('input[name="q-FIN-1"][value="figure"]').check()
    ben.locator('input[name="n-FIN-1"]').fill("-75")
    ben.get_by_role("button", name="Save and continue").click()
    expect(ben.locator(".nhsuk-error-summary")).to_contain_text("Enter a figure from -60 to 60")
    expect(ben).to_have_title(re.compile(r"^Error: Financial sustainability"))
    _accessible(ben)
    ben.get_by_role("link", name="Back").click()
    ben.get_by_role("link", name="Back").click()
    _answer_sections(ben, assessment, PERSONAS[1], autosave=False)
    _complete(ben)

    # ------------------------------------------------------------------ member 3, imports figures
    cara_context = _context(browser)
    cara = cara_context.new_page()
    _accept(cara, links["cara@riverside.nhs.uk"], "Cara Singh")
    cara.get_by_role("link", name="Import figures from a CSV or JSON file").click()
    assert_accessible(cara)
    bad = tmp_path / "bad.csv"
    bad.write_text("code,answer,note\nFIN-1,two,\nFIN-99,1,\n")
    cara.get_by_label("Upload a CSV or JSON file").set_input_files(str(bad))
    cara.get_by_role("button", name="Import").click()
    expect(cara.locator("#import-problems")).to_contain_text("FIN-1")
    expect(cara.locator("#import-problems")).to_contain_text("FIN-99")
    assert_accessible(cara)
    figures = tmp_path / "figures.csv"
    rows = [f"{code},{_raw(PERSONAS[2][code])},Finance report" for code in sorted(NUMBER_CODES)]
    figures.write_text("code,answer,note\n" + "\n".join(rows) + "\n")
    cara.get_by_label("Upload a CSV or JSON file").set_input_files(str(figures))
    cara.get_by_role("button", name="Import").click()
    expect(cara.locator(".nhsuk-notification-banner")).to_contain_text("Imported 6 answers")
    _answer_sections(cara, assessment, PERSONAS[2], autosave=True, skip=NUMBER_CODES)
    _complete(cara)

    # ------------------------------------------------------------------ the lead agrees and submits
    lead.goto(f"{base}/assessments/{assessment.pk}/")
    expect(lead.locator("#board-progress")).to_contain_text("Completed")
    assert_accessible(lead)
    lead.get_by_role("link", name="Submit the board's answers").click()
    expect(lead.locator(".nhsuk-error-summary")).to_contain_text("give a rationale")
    assert_accessible(lead)

    lead.goto(f"{base}/assessments/{assessment.pk}/consensus/?show=divergent")
    assert_accessible(lead)
    divergent = lead.locator(".app-consensus--divergent")
    assert divergent.count() > 0
    lead.get_by_role("button", name="Save the agreed answers").click()
    expect(lead.locator(".nhsuk-error-summary")).to_contain_text("Give the board's rationale")
    assert_accessible(lead)
    for box in lead.locator('textarea[name^="r-"]').all():
        box.fill("Agreed by the board at its seminar on 3 November.")
    lead.get_by_role("button", name="Save the agreed answers").click()
    expect(lead.locator(".nhsuk-notification-banner")).to_contain_text(
        "Saved the board's agreed answers"
    )

    lead.goto(f"{base}/assessments/{assessment.pk}/results/")
    expect(lead.get_by_text("Draft: not yet submitted")).to_be_visible()
    assert_accessible(lead)
    lead.goto(f"{base}/assessments/{assessment.pk}/submit/")
    assert lead.locator(".nhsuk-error-summary").count() == 0
    token = lead.locator('input[name="csrfmiddlewaretoken"]').first.input_value()
    lead.get_by_role("button", name="Submit the board's answers").dblclick()
    expect(lead.get_by_role("heading", level=1)).to_have_text("The board's result")
    retry = lead.request.post(
        f"{base}/assessments/{assessment.pk}/submit/",
        form={"csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/assessments/{assessment.pk}/submit/"},
    )
    assert retry.ok
    assert "already submitted" in retry.text()
    assert Submission.objects.count() == 1
    assert_accessible(lead)

    # ------------------------------------------------------------------ everyone sees the result
    verdict = Submission.objects.get().result["verdict"]["label"]
    for page in (ada, ben, cara, lead):
        page.goto(f"{base}/assessments/{assessment.pk}/results/")
        expect(page.locator("#verdict")).to_contain_text(verdict)
        expect(page.locator(".app-ranked-form").first).to_be_visible()
    assert_accessible(ada)

    lead.get_by_role("link", name="Try other answers in a sandbox").click()
    assert_accessible(lead)
    lead.get_by_role("button", name="Show what would change").click()
    expect(lead.locator("#what-if-verdict")).to_be_visible()
    assert_accessible(lead)
    lead.goto(f"{base}/trusts/{trust.pk}/history/")
    expect(lead.locator("#history-table")).to_contain_text("Board sustainability assessment 2026")
    assert_accessible(lead)

    for context in (lead_context, ada_context, ben_context, cara_context):
        context.close()
