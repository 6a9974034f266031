"""Fixes from a walk-through, in Chromium: choosing again after a stale tab saves, what is
typed is saved without leaving the field, leaving the page asks while a save has not
succeeded, and a long note is counted, not cut."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect
from pytest_django.live_server_helper import LiveServer

from assessment.models import Answer, Assessment, Figure, Membership
from assessment.services.assessments import assessment_create, respondents_add
from assessment.services.two_factor import backup_codes_renew
from tests.assessment.journey import SOURCE
from tests.browser.test_board_journey import context_for, sign_in
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]


def _board() -> tuple[Assessment, Membership, Membership]:
    trust = OrganisationFactory(name="Riverside Community Hospitals NHS Trust", ods_code="RRC")
    lead = MembershipFactory(organisation=trust, role=Membership.Role.LEAD)
    member = MembershipFactory(organisation=trust)
    assessment = assessment_create(
        organisation=trust,
        title="Board sustainability assessment 2026",
        reporting_period="April 2025 to March 2026",
        user=lead.user,
    )
    respondents_add(assessment=assessment, users=[member.user])
    return assessment, lead, member


def _member_page(browser: Browser, base: str, member: Membership) -> Page:
    page = context_for(browser).new_page()
    sign_in(page, base, member.user.email)
    return page


def _lead_page(browser: Browser, base: str, lead: Membership) -> Page:
    page = context_for(browser).new_page()
    sign_in(page, base, lead.user.email, backup_code=backup_codes_renew(user=lead.user)[0])
    return page


def _answer(member: Membership, code: str) -> Answer | None:
    return Answer.objects.filter(respondent__user=member.user, question__code=code).first()


def test_after_a_stale_answer_is_refused_choosing_yours_again_saves_it(
    browser: Browser, live_server: LiveServer
) -> None:
    assessment, _, member = _board()
    url = f"{live_server.url}/assessments/{assessment.pk}/response/SYS/"
    stale = _member_page(browser, live_server.url, member)
    stale.goto(url)
    other = stale.context.new_page()
    other.goto(url)
    other.locator('input[name="q-SYS-1"][value="yes"]').check()
    expect(other.locator('[data-question="SYS-1"] [data-save-status]')).to_contain_text("Saved at")

    block = stale.locator('[data-question="SYS-1"]')
    status = block.locator("[data-save-status]")
    # A click, not check(): the page puts the saved answer back as soon as the save is
    # refused, which may be before check() looks at the radio's state.
    block.locator('input[name="q-SYS-1"][value="maybe"]').click()
    expect(status).to_contain_text("changed in another window")
    expect(status).to_contain_text("Your answer: Yes, but its willingness is untested.")
    assert ".." not in status.text_content()
    # The saved answer is shown chosen, so that choosing one's own again is a change.
    expect(block.locator('input[name="q-SYS-1"][value="yes"]')).to_be_checked()
    expect(block.locator('input[name="q-SYS-1"][value="maybe"]')).not_to_be_checked()
    assert _answer(member, "SYS-1").value == "yes"
    block.locator('input[name="q-SYS-1"][value="maybe"]').check()
    expect(status).to_contain_text("Saved at")
    assert _answer(member, "SYS-1").value == "maybe"
    stale.context.close()


def test_after_a_stale_figure_is_refused_typing_yours_again_saves_it(
    browser: Browser, live_server: LiveServer
) -> None:
    assessment, lead, _ = _board()
    url = f"{live_server.url}/assessments/{assessment.pk}/figures/FIN/"
    stale = _lead_page(browser, live_server.url, lead)
    stale.goto(url)
    other = stale.context.new_page()
    other.goto(url)
    other.locator('input[name="note-FIN-2"]').fill(SOURCE)
    other.locator('input[name="n-FIN-2"]').fill("1")
    expect(other.locator('[data-question="FIN-2"] [data-save-status]')).to_contain_text("Saved at")

    block = stale.locator('[data-question="FIN-2"]')
    status = block.locator("[data-save-status]")
    block.locator('input[name="note-FIN-2"]').fill(SOURCE)
    block.locator('input[name="n-FIN-2"]').fill("2.5")
    expect(status).to_contain_text("changed in another window")
    expect(block.locator('input[name="n-FIN-2"]')).to_have_value("1")
    assert Figure.objects.get(question__code="FIN-2").value == "1"
    block.locator('input[name="n-FIN-2"]').fill("2.5")
    expect(status).to_contain_text("Saved at")
    assert Figure.objects.get(question__code="FIN-2").value == "2.5"
    stale.context.close()


def test_a_figure_and_a_note_typed_but_not_left_are_saved(
    browser: Browser, live_server: LiveServer
) -> None:
    assessment, lead, member = _board()
    page = _lead_page(browser, live_server.url, lead)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/figures/FIN/")
    block = page.locator('[data-question="FIN-2"]')
    block.locator('input[name="n-FIN-2"]').press_sequentially("1.5")  # no change event
    status = block.locator("[data-save-status]")
    expect(status).to_contain_text("Not saved yet: give the figure's source")
    block.locator('input[name="note-FIN-2"]').press_sequentially("Plan 2025/26")
    expect(status).to_contain_text("Saved at")
    page.reload()
    expect(page.locator('input[name="n-FIN-2"]')).to_have_value("1.5")
    figure = Figure.objects.get(question__code="FIN-2")
    assert (figure.value, figure.source) == ("1.5", "Plan 2025/26")
    page.context.close()

    page = _member_page(browser, live_server.url, member)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/response/SYS/")
    block = page.locator('[data-question="SYS-1"]')
    block.get_by_text("Add an evidence note").click()
    block.locator('textarea[name="note-SYS-1"]').press_sequentially("Board minutes, May")
    expect(block.locator("[data-save-status]")).to_contain_text("Saved at")
    page.reload()
    expect(page.locator('textarea[name="note-SYS-1"]')).to_have_value("Board minutes, May")
    assert _answer(member, "SYS-1").note == "Board minutes, May"
    page.context.close()


def test_leaving_the_page_asks_first_while_a_save_has_failed(
    browser: Browser, live_server: LiveServer
) -> None:
    assessment, lead, _ = _board()
    page = _lead_page(browser, live_server.url, lead)
    section = f"{live_server.url}/assessments/{assessment.pk}/figures/FIN/"
    page.goto(section)
    block = page.locator('[data-question="FIN-2"]')
    block.locator('input[name="note-FIN-2"]').fill(SOURCE)
    block.locator('input[name="n-FIN-2"]').fill("lots")
    expect(block.locator("[data-save-status]")).to_contain_text("Not saved")
    asked: list[str] = []

    def stay(dialog: Dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    back = page.get_by_role("link", name="The trust's figures")
    with page.expect_event("dialog"):
        back.click()
    assert asked == ["beforeunload"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Financial sustainability")
    # Once the figure is put right and saved, the page is left without a question.
    block.locator('input[name="n-FIN-2"]').fill("2")
    expect(block.locator("[data-save-status]")).to_contain_text("Saved at")
    back.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The trust's figures")
    assert asked == ["beforeunload"]
    page.context.close()


def test_a_long_pasted_note_is_counted_not_cut_and_refused_with_its_length(
    browser: Browser, live_server: LiveServer
) -> None:
    assessment, _, member = _board()
    page = _member_page(browser, live_server.url, member)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/response/SYS/")
    block = page.locator('[data-question="SYS-1"]')
    block.locator('input[name="q-SYS-1"][value="yes"]').check()
    expect(block.locator("[data-save-status]")).to_contain_text("Saved at")
    block.get_by_text("Add an evidence note").click()
    note = block.locator('textarea[name="note-SYS-1"]')
    note.fill("x" * 4213)  # as a paste: one input event
    assert len(note.input_value()) == 4213
    expect(block.locator(".nhsuk-character-count__status")).to_contain_text(
        "You have 213 characters too many"
    )
    expect(block.locator("[data-save-status]")).to_contain_text(
        "Not saved: Shorten the note to 4,000 characters or fewer (it has 4,213)"
    )
    assert _answer(member, "SYS-1").note == ""
    page.context.close()


def test_an_answer_chosen_before_the_page_script_arrives_is_saved(
    browser: Browser, live_server: LiveServer
) -> None:
    """On a slow connection the page can be used before its script has run: what was chosen
    in the meantime is saved when it runs, not lost on leaving."""
    assessment, _, member = _board()
    page = _member_page(browser, live_server.url, member)
    held = []
    page.route("**/autosave*.js", lambda route: held.append(route))
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/response/SYS/", wait_until="commit")
    block = page.locator('[data-question="SYS-1"]')
    block.locator('input[name="q-SYS-1"][value="maybe"]').check()
    assert _answer(member, "SYS-1") is None
    for _ in range(100):  # the route is answered while Playwright waits
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1, "the page asked for its autosave script once"
    held[0].continue_()
    expect(block.locator("[data-save-status]")).to_contain_text("Saved at")
    assert _answer(member, "SYS-1").value == "maybe"
    page.context.close()
