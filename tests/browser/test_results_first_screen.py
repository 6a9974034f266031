"""The results page in Chromium: at 1280 by 800 the verdict, the three best-fitting forms
and what would most change the recommendation are on the first screen without scrolling;
at 375 pixels nothing scrolls sideways; axe finds nothing serious, on the page and its print
view. The demo trust's second submitted assessment is used: it has one before it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from assessment.models import Assessment
from assessment.services import DEMO_TRUST, demo_setup
from tests.browser.conftest import assert_accessible
from tests.browser.test_board_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]
MEMBER = ("member1@demo.example.nhs.uk", "demo-member-one")


def _results_url(live_server: LiveServer) -> str:
    demo_setup(with_backup_codes=False)
    # The demo trust's own: the demo system's other trusts have submitted results too.
    later = (
        Assessment.objects.filter(status="submitted", organisation__ods_code=DEMO_TRUST["ods_code"])
        .order_by("-submitted_at")
        .first()
    )
    assert later is not None
    return f"{live_server.url}/assessments/{later.pk}/results/"


def test_the_first_screen_answers_the_question(browser: Browser, live_server: LiveServer) -> None:
    url = _results_url(live_server)
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server.url, *MEMBER)
    page.goto(url)
    expect(page.locator("#verdict")).to_be_visible()
    parts = {
        "verdict": page.locator("#verdict"),
        "why": page.locator("#summary .app-verdict p").nth(1),
        **{f"form {n + 1}": page.locator(".app-best-forms li").nth(n) for n in range(3)},
        "what would change": page.locator("#what-would-change-most + p"),
    }
    assert page.locator(".app-best-forms li").count() == 3
    for name, locator in parts.items():
        box = locator.bounding_box()
        assert box is not None, name
        assert box["y"] >= 0, (name, box)
        assert box["y"] + box["height"] <= 800, (name, box)
    assert page.evaluate("window.scrollY") == 0
    assert_accessible(page)
    page.goto(url + "?view=print")
    assert page.locator("details.app-result-details[open]").count() == 8
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator(".nhsuk-header").is_visible()
    context.close()


def test_nothing_scrolls_sideways_on_a_phone(browser: Browser, live_server: LiveServer) -> None:
    url = _results_url(live_server)
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server.url, *MEMBER)
    for address in (url, url + "?view=print"):
        page.goto(address)
        for details in page.locator("details").all():
            details.evaluate("element => { element.open = true; }")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (address, width)
    context.close()
