"""The NHS typeface in Chromium: every journey page, for the role that sees it, sets its
body, headings, paragraphs and form fields in the sans-serif NHS stack, never the
browser's serif default, and Chromium draws it in a real sans-serif font. The history and
what-if pages at 1280 and 375 pixels: nothing scrolls sideways and axe-core finds no
serious or critical violation."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page
from pytest_django.live_server_helper import LiveServer

from assessment.models import Assessment, Membership
from assessment.selectors import pinned_for
from assessment.services.assessments import assessment_create, respondents_add
from tests.assessment.conftest import client_for
from tests.assessment.journey import answer_everything, enter_figures
from tests.assessment.test_history_page import submit_history
from tests.browser.conftest import assert_accessible
from tests.browser.test_board_journey import PERSONAS
from tests.conftest import verified_client
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]
SERIF = {"serif", "times new roman", "times", "georgia", "dejavu serif", "liberation serif"}
SANS = {"liberation sans", "arial", "frutiger w01", "frutiger", "dejavu sans"}
# Set SCREENSHOTS to a folder to keep what the history and what-if pages look like.
SCREENSHOTS = os.environ.get("SCREENSHOTS", "")

FONTS = """() => {
  const family = (element) => element ? getComputedStyle(element).fontFamily : null;
  const field = document.querySelector(
    'main input:not([type=hidden]), main select, main textarea, main button');
  return {
    body: family(document.body),
    h1: family(document.querySelector('h1')),
    paragraph: family(document.querySelector('main p, #content p, p')),
    field: family(field),
  };
}"""


def families(value: str) -> list[str]:
    return [part.strip().strip("\"'").lower() for part in value.split(",")]


def serif_problems(url: str, fonts: dict[str, str | None]) -> list[str]:
    """Each element whose font is serif first, or whose stack has no sans-serif to fall to."""
    problems = []
    for element, value in fonts.items():
        if value is None:
            continue
        stack = families(value)
        if stack[0] in SERIF or "sans-serif" not in stack:
            problems.append(f"{url} {element}: {value}")
    return problems


def _signed_in(browser: Browser, base: str, client: Client | None) -> BrowserContext:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    if client is not None:
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": base}])
    return context


def _an_assessment_under_way() -> tuple[Assessment, Membership, Membership]:
    """Two members have answered everything and the lead has entered the figures."""
    trust = OrganisationFactory(name="Riverside Community Hospitals NHS Trust", ods_code="RRC")
    lead = MembershipFactory(organisation=trust, role=Membership.Role.LEAD)
    board = [MembershipFactory(organisation=trust) for _ in range(2)]
    assessment = assessment_create(
        organisation=trust,
        title="Board sustainability assessment 2026",
        reporting_period="April 2025 to March 2026",
        user=lead.user,
    )
    respondents_add(assessment=assessment, users=[member.user for member in board])
    for member in board:
        answer_everything(client_for(member), assessment, PERSONAS[0])
    enter_figures(client_for(lead), assessment, PERSONAS[0])
    return assessment, lead, board[0]


def test_every_journey_page_is_set_in_the_nhs_sans_serif_stack(
    browser: Browser, live_server: LiveServer
) -> None:
    base = live_server.url
    assessment, lead, member = _an_assessment_under_way()
    pk, trust = assessment.pk, assessment.organisation_id
    section = pinned_for(assessment).judgement_sections[0].code
    member_client = Client()
    member_client.force_login(member.user)
    admin = UserFactory(email="catalogue.admin@region.nhs.uk", is_staff=True, is_superuser=True)
    pages: dict[str, tuple[Client | None, list[str]]] = {
        "anyone": (None, [reverse("login")]),
        "member": (
            member_client,
            [
                reverse("home"),
                reverse("assessment:tasks", kwargs={"pk": pk}),
                reverse("assessment:section", kwargs={"pk": pk, "code": section}),
                reverse("assessment:check", kwargs={"pk": pk}),
                reverse("questionnaire"),
                reverse("catalogue:menu"),
                reverse("account"),
            ],
        ),
        "lead": (
            client_for(lead),
            [
                reverse("assessment:overview", kwargs={"pk": pk}),
                reverse("assessment:figures", kwargs={"pk": pk}),
                reverse("assessment:consensus", kwargs={"pk": pk}),
                reverse("assessment:submit", kwargs={"pk": pk}),
                reverse("assessment:results", kwargs={"pk": pk}),
                reverse("assessment:what_if", kwargs={"pk": pk}),
                reverse("assessment:history", kwargs={"trust": trust}),
            ],
        ),
        "catalogue admin": (verified_client(admin), [reverse("admin:index")]),
    }
    problems: list[str] = []
    seen: dict[str, dict[str, str | None]] = {}
    for client, urls in pages.values():
        context = _signed_in(browser, base, client)
        page = context.new_page()
        for url in urls:
            response = page.goto(f"{base}{url}")
            assert response is not None
            assert response.status == 200, url
            assert page.url == f"{base}{url}", f"{url} went to {page.url}"
            fonts = page.evaluate(FONTS)
            seen[url] = fonts
            problems += serif_problems(url, fonts)
        context.close()
    assert problems == []
    # Every page had a heading and a paragraph to check; the pages with forms, a field.
    assert all(fonts["h1"] and fonts["paragraph"] for fonts in seen.values()), seen
    forms = [
        reverse("login"),
        reverse("assessment:section", kwargs={"pk": pk, "code": section}),
        reverse("assessment:what_if", kwargs={"pk": pk}),
        reverse("assessment:figures", kwargs={"pk": pk}),
    ]
    assert [url for url in forms if not seen[url]["field"]] == []
    # The stack is nhsuk-frontend's own: Frutiger, then Arial, then any sans-serif.
    assert families(seen[reverse("login")]["body"] or "") == ["frutiger w01", "arial", "sans-serif"]


def test_chromium_draws_the_text_in_a_sans_serif_font(
    browser: Browser, live_server: LiveServer
) -> None:
    context = _signed_in(browser, live_server.url, None)
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    session = context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    used = {}
    for selector in ("h1", "main p", "label", "button[type=submit]"):
        node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})
        fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})
        used[selector] = [font["familyName"].lower() for font in fonts["fonts"]]
    context.close()
    # Debian's fonts-liberation stands in for Arial; no text falls to a serif face.
    assert all(names and set(names) <= SANS for names in used.values()), used
    assert any("liberation sans" in names for names in used.values()), used


def _shoot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 375])
def test_history_results_and_what_if_fit_the_screen_and_pass_axe(
    browser: Browser, live_server: LiveServer, width: int
) -> None:
    base = live_server.url
    assessment, lead, _ = _an_assessment_under_way()
    periods = [f"April {year} to March {year + 1}" for year in range(2019, 2025)]
    submit_history(assessment.organisation, lead, periods, provisional={5}, withdrawn={3})
    context = _signed_in(browser, base, client_for(lead))
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    urls = {
        "history": reverse("assessment:history", kwargs={"trust": assessment.organisation_id}),
        "results": reverse("assessment:results", kwargs={"pk": assessment.pk}),
        "what-if": reverse("assessment:what_if", kwargs={"pk": assessment.pk}),
    }
    for name, url in urls.items():
        page.goto(f"{base}{url}")
        if name == "results":  # the domain chart is in a section the reader opens
            page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        if name == "what-if":
            page.get_by_role("button", name="Show what would change").click()
            page.locator("#what-if-ranking").wait_for()
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name} is {scroll} pixels wide at {width}"
        if name != "results":
            assert_accessible(page)
        _shoot(page, f"{name}-{width}")
    # The history chart's text is drawn at a readable size on the screen.
    page.goto(f"{base}{urls['history']}")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('#history-chart svg text')].map(
             (text) => text.getBoundingClientRect().height)"""
    )
    assert sizes
    assert min(sizes) >= 11, sizes
    context.close()
