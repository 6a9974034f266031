"""The 2026 edition's pages in Chromium, at 1280 and 375 pixels, with axe-core: the
questionnaire of version 2, what changed in it, the menu and a form's page with its
sources and examples, and a new assessment's figures page listing the answers it did not
carry forward from a version 1 assessment, and a member's section of version 2."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from assessment.services.assessments import assessment_create_from, respondents_add
from assessment.services.two_factor import backup_codes_renew
from tests.browser.test_board_journey import accessible, sign_in
from tests.systems.conftest import make_trust

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]


def test_the_edition_2_pages_read_at_both_widths_and_pass_axe(
    browser: Browser, live_server: LiveServer
) -> None:
    base = live_server.url
    earlier = make_trust(code="RED", name="Edgeworth Hospitals NHS Trust", answers_of="RZC")
    call_command("seed", verbosity=0)  # the 2026 edition, on top of edition 1
    new = assessment_create_from(
        organisation=earlier.organisation,
        title="Board self-assessment",
        reporting_period="2026 to 2027",
        user=earlier.lead.user,
        source=earlier.assessment,
    )
    respondents_add(assessment=new, users=[earlier.member.user])
    codes = backup_codes_renew(user=earlier.lead.user)
    pages = {
        "/questionnaire/": "Operational performance and oversight",
        "/questionnaire/version-2/what-changed/": "Questions removed",
        "/organisational-forms/": "Take decisions jointly",
        "/organisational-forms/integrated-care-organisation/": "weighs the local context more",
        f"/assessments/{new.pk}/figures/": "not carried forward",
    }
    for number, width in enumerate((1280, 375)):
        context = browser.new_context(locale="en-GB", viewport={"width": width, "height": 900})
        context.set_default_timeout(10_000)
        page = context.new_page()
        sign_in(page, base, earlier.lead.user.email, backup_code=codes[number])
        for path, text in pages.items():
            page.goto(f"{base}{path}")
            expect(page.locator("main")).to_contain_text(text)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{path} scrolls sideways at {width} px"
            accessible(page)
        context.close()
    # A member's section of version 2: its new judgement (CHANGE-5) beside the new profile
    # figure (PROFILE-STATUS).
    for width in (1280, 375):
        context = browser.new_context(locale="en-GB", viewport={"width": width, "height": 900})
        context.set_default_timeout(10_000)
        page = context.new_page()
        sign_in(page, base, earlier.member.user.email)
        page.goto(f"{base}/assessments/{new.pk}/response/CHANGE/")
        expect(page.locator("main")).to_contain_text("CHANGE-5")
        expect(page.locator("main")).to_contain_text("PROFILE-STATUS")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        accessible(page)
        context.close()
