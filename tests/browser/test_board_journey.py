"""The whole board journey in Chromium, with axe-core on every page, with and without errors.

The lead starts an assessment and invites three members by email. Members answer the matters
of judgement only: one with JavaScript (each answer saved as it changes), one without
JavaScript (Save and continue), and one imports their answers from a CSV before answering
the rest. The lead enters the trust's figures once, each with its source, without JavaScript
(a bad figure first), agrees the divergent questions and submits; a second click submits
nothing more; everyone sees the result, with the figures and their sources.

The helpers here (`context_for`, `sign_in`, `accessible`) serve the figures journey too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Browser, BrowserContext, Page, expect

from assessment.models import Assessment, Submission
from assessment.scoring import definitions as d
from assessment.selectors import pinned_for
from assessment.services.two_factor import backup_codes_renew
from tests.assessment.journey import SOURCE, raw
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory
from tests.personas import load_persona, persona_paths

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]
PERSONAS = [load_persona(path)["answers"] for path in persona_paths()]
NEW_PASSWORD = "board-member-passphrase"
# The local health system's judgements, imported from a file. SYS-6 and FIN-1 are figures:
# the file gives them too, and the import leaves them out.
IMPORTED_CODES = {"SYS-1", "SYS-2", "SYS-3", "SYS-4", "SYS-5", "SYS-7"}
FIGURE_ROWS = ("FIN-1", "SYS-6")


def context_for(browser: Browser, *, javascript: bool = True) -> BrowserContext:
    context = browser.new_context(
        locale="en-GB", viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
    )
    context.set_default_timeout(10_000)
    context._javascript = javascript  # type: ignore[attr-defined]
    return context


def sign_in(
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


def accessible(page: Page) -> None:
    """axe-core on the page as it stands. axe needs JavaScript, so a page from a context
    without it is checked as a copy of its HTML in a context with it, at the same address."""
    if page.context.browser is None or _javascript_on(page):
        assert_accessible(page)
        return
    copy = getattr(page.context, "_axe_copy", None)
    if copy is None:  # one page with JavaScript beside each context without, reused
        copy = page.context.browser.new_context(locale="en-GB").new_page()
        origin = re.match(r"https?://[^/]+", page.url).group(0)
        copy.goto(f"{origin}/accessibility/")
        page.context._axe_copy = copy  # type: ignore[attr-defined]
        page.context.on("close", lambda _: copy.context.close())
    copy.set_content(page.content())
    assert_accessible(copy)


def _javascript_on(page: Page) -> bool:
    return getattr(page.context, "_javascript", True)


def _accept(page: Page, link: str, name: str) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your account")
    accessible(page)
    first, last = name.split(" ")
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Choose a password").fill("short")
    page.get_by_label("Enter the password again").fill("short")
    page.get_by_role("button", name="Create my account and start").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("There is a problem")
    accessible(page)
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Enter the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my account and start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your response")
    accessible(page)


def _answer_question(page: Page, question: d.Question, value: str, *, autosave: bool) -> None:
    block = page.locator(f'[data-question="{question.code}"]')
    block.locator(f'input[name="q-{question.code}"][value="{value}"]').check()
    if autosave:
        expect(block.locator("[data-save-status]")).to_contain_text("Saved at")


def _answer_sections(
    page: Page,
    assessment: Assessment,
    answers: Mapping[str, object],
    *,
    autosave: bool,
    skip: set[str] = frozenset(),  # type: ignore[assignment]
    check_each_page: bool = False,
) -> None:
    """A member answers their judgements, section by section; the figures are not theirs."""
    pinned = pinned_for(assessment)
    sections = pinned.judgement_sections
    page.get_by_role("link", name=sections[0].name).click()
    for number, section in enumerate(sections, start=1):
        expect(page.locator(".nhsuk-caption-l")).to_have_text(
            f"Section {number} of {len(sections)}"
        )
        if check_each_page:
            accessible(page)
        for question in pinned.judgements_by_section[section.code]:
            if question.code not in skip:
                _answer_question(page, question, raw(answers[question.code]), autosave=autosave)
        button = "Save and check your answers" if number == len(sections) else "Save and continue"
        page.get_by_role("button", name=button).click()


def _enter_figures(
    page: Page, base: str, assessment: Assessment, answers: Mapping[str, object]
) -> None:
    """The lead enters every figure, each with its source, section by section, posting each
    page with "Save the figures"."""
    pinned = pinned_for(assessment)
    for section in pinned.figure_sections:
        page.goto(f"{base}/assessments/{assessment.pk}/figures/{section.code}/")
        for question in pinned.figures_by_section[section.code]:
            block = page.locator(f'[data-question="{question.code}"]')
            value = raw(answers[question.code])
            if question.kind == d.NUMBER and value not in ("dk", "na"):
                block.locator(f'input[name="q-{question.code}"][value="figure"]').check()
                block.locator(f'input[name="n-{question.code}"]').fill(value)
            else:
                block.locator(f'input[name="q-{question.code}"][value="{value}"]').check()
            block.locator(f'input[name="note-{question.code}"]').fill(SOURCE)
        page.get_by_role("button", name="Save the figures").click()
        expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
            f"Saved the figures for {section.name}"
        )


def _complete(page: Page) -> None:
    # "Save and check your answers" on the last section has gone on to the check page.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    accessible(page)
    page.get_by_role("button", name="Mark my response as complete").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("marked as complete")


def test_the_board_journey_from_invitation_to_result(
    browser: Browser, live_server, tmp_path: Path
) -> None:
    base = live_server.url
    trust = OrganisationFactory(name="Riverside Community Hospitals NHS Trust", ods_code="RRC")
    lead_membership = MembershipFactory(organisation=trust, role="lead")

    # ------------------------------------------------------------------ the lead starts
    lead_context = context_for(browser)
    lead = lead_context.new_page()
    codes = backup_codes_renew(user=lead_membership.user)
    sign_in(lead, base, lead_membership.user.email, backup_code=codes[0])
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
    ada_context = context_for(browser)
    ada = ada_context.new_page()
    _accept(ada, links["ada@riverside.nhs.uk"], "Ada Okoye")
    _answer_sections(ada, assessment, PERSONAS[0], autosave=True, check_each_page=True)
    _complete(ada)

    # ------------------------------------------------------------------ member 2, no JavaScript
    ben_context = context_for(browser, javascript=False)
    ben = ben_context.new_page()
    _accept(ben, links["ben@riverside.nhs.uk"], "Ben Rowe")
    _answer_sections(ben, assessment, PERSONAS[1], autosave=False, check_each_page=True)
    _complete(ben)

    # ------------------------------------------------------------------ member 3, imports answers
    cara_context = context_for(browser)
    cara = cara_context.new_page()
    _accept(cara, links["cara@riverside.nhs.uk"], "Cara Singh")
    cara.get_by_role("link", name="Import your answers from a CSV or JSON file").click()
    expect(cara.get_by_role("heading", level=1)).to_have_text("Import your answers from a file")
    assert_accessible(cara)
    bad = tmp_path / "bad.csv"
    bad.write_text("code,answer,note\nQUAL-5,seven,\nSYS-99,1,\n")
    cara.get_by_label("Upload a CSV or JSON file").set_input_files(str(bad))
    cara.get_by_role("button", name="Import").click()
    expect(cara.locator("#import-problems")).to_contain_text("QUAL-5")
    expect(cara.locator("#import-problems")).to_contain_text("SYS-99")
    assert_accessible(cara)
    answers = tmp_path / "answers.csv"
    rows = [
        f"{code},{raw(PERSONAS[2][code])},Integrated care board strategy 2025"
        for code in sorted(IMPORTED_CODES) + list(FIGURE_ROWS)
    ]
    answers.write_text("code,answer,note\n" + "\n".join(rows) + "\n")
    cara.get_by_label("Upload a CSV or JSON file").set_input_files(str(answers))
    cara.get_by_role("button", name="Import").click()
    banners = cara.locator(".nhsuk-notification-banner")
    expect(banners.first).to_contain_text("Imported 6 answers")
    expect(banners.nth(1)).to_contain_text(
        "2 rows of the file were the trust's figures, so they were not imported"
    )
    assert_accessible(cara)
    _answer_sections(cara, assessment, PERSONAS[2], autosave=True, skip=IMPORTED_CODES)
    _complete(cara)

    # ------------------------------------------------------------------ the lead enters the figures
    # Without JavaScript, in a second window: a bad figure first, then every figure.
    figures_context = context_for(browser, javascript=False)
    figures_page = figures_context.new_page()
    sign_in(figures_page, base, lead_membership.user.email, backup_code=codes[1])
    figures_page.goto(f"{base}/assessments/{assessment.pk}/figures/FIN/")
    accessible(figures_page)
    figures_page.locator('input[name="q-FIN-1"][value="figure"]').check()
    figures_page.locator('input[name="n-FIN-1"]').fill("-75")
    figures_page.locator('input[name="note-FIN-1"]').fill(SOURCE)
    figures_page.get_by_role("button", name="Save the figures").click()
    expect(figures_page.locator(".nhsuk-error-summary")).to_contain_text(
        "Enter a figure from -60 to 60"
    )
    expect(figures_page.locator('[data-question="FIN-1"] .nhsuk-error-message')).to_contain_text(
        "Enter a figure from -60 to 60"
    )
    expect(figures_page).to_have_title(re.compile(r"^Error: Trust figures: Financial"))
    accessible(figures_page)
    _enter_figures(figures_page, base, assessment, PERSONAS[0])
    accessible(figures_page)
    figures_context.close()

    # ------------------------------------------------------------------ the lead agrees and submits
    lead.goto(f"{base}/assessments/{assessment.pk}/")
    expect(lead.locator("#board-progress")).to_contain_text("Completed")
    assert_accessible(lead)
    lead.get_by_role("link", name="Submit the board's answers").click()
    expect(lead.locator("#blocking")).to_contain_text("give a rationale")
    expect(lead.get_by_role("button", name="Submit the board's answers")).to_have_count(0)
    assert_accessible(lead)

    lead.goto(f"{base}/assessments/{assessment.pk}/consensus/?show=divergent")
    assert_accessible(lead)
    rows = lead.locator("#consensus-summary tbody tr[id^='consensus-']")
    divergent = [str(row.get_attribute("id")).removeprefix("consensus-") for row in rows.all()]
    assert divergent
    for code in divergent:
        lead.goto(f"{base}/assessments/{assessment.pk}/consensus/{code}/?show=divergent")
        save = lead.get_by_role("button", name=f"Save the board's answer to {code}")
        if code == divergent[0]:
            save.click()
            expect(lead.locator(".nhsuk-error-summary")).to_contain_text(
                "Give the board's rationale"
            )
            assert_accessible(lead)
        lead.locator(f"#question-{code} textarea").fill(
            "Agreed by the board at its seminar on 3 November."
        )
        save.click()
        expect(lead.locator(".nhsuk-notification-banner")).to_contain_text(code)

    lead.goto(f"{base}/assessments/{assessment.pk}/results/")
    expect(lead.get_by_text("Draft: not yet submitted")).to_be_visible()
    assert_accessible(lead)
    lead.goto(f"{base}/assessments/{assessment.pk}/submit/")
    assert lead.locator(".nhsuk-error-summary").count() == 0
    token = lead.locator('input[name="csrfmiddlewaretoken"]').first.input_value()
    for reason in lead.locator('textarea[name^="reason-"]').all():
        reason.fill("Agreed at the board meeting on 3 December.")
    lead.get_by_label("I understand that submitting locks every answer").check()
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
        expect(page.locator(".app-best-forms li")).to_have_count(3)
        # The detail is in sections the reader opens: the full menu and the figures.
        expect(page.locator(".app-ranked-form").first).to_be_hidden()
        page.get_by_text("Every form that fits, with its reasons").click()
        expect(page.locator(".app-ranked-form").first).to_be_visible()
        page.get_by_text("The trust's figures and their sources").click()
        expect(page.locator(".app-figures-table")).to_contain_text(SOURCE)
    assert_accessible(ada)

    lead.get_by_text("What would change the recommendation, in full").click()
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
