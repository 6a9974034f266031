"""Sharing across a system, in Chromium, with axe-core on each page: the lead shares a
submitted result, the system's reviewer sees it with a proposed pairing and its reasons,
the lead stops sharing and it is gone; a trust's board sees how it compares with five
others."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from assessment.services.two_factor import backup_codes_renew
from systems.models import Share, System, SystemReviewer
from systems.services import share_create
from tests.browser.test_board_journey import PASSWORD, accessible, context_for, sign_in
from tests.factories import UserFactory
from tests.systems.conftest import make_trust

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]


def _system() -> System:
    return System.objects.create(
        name="Moorland Integrated Care System", code="QMO", kind=System.Kind.INTEGRATED_CARE_SYSTEM
    )


def test_the_lead_shares_the_reviewer_sees_a_pairing_and_the_lead_revokes(
    browser: Browser, live_server: LiveServer
) -> None:
    base = live_server.url
    system = _system()
    supporter = make_trust(code="RSA", name="Strongbridge Hospitals NHS Trust", answers_of="RZA")
    in_need = make_trust(code="RSB", name="Weakmoor Hospitals NHS Trust", answers_of="RZD")
    system.trusts.add(supporter.organisation, in_need.organisation)
    share_create(assessment=supporter.assessment, system=system, user=supporter.lead.user)
    reviewer = UserFactory(first_name="Riley", last_name="Shaw")
    reviewer.set_password(PASSWORD)
    reviewer.save()
    SystemReviewer.objects.create(system=system, user=reviewer)

    lead = context_for(browser).new_page()
    sign_in(
        lead,
        base,
        in_need.lead.user.email,
        backup_code=backup_codes_renew(user=in_need.lead.user)[0],
    )
    lead.goto(f"{base}/assessments/{in_need.assessment.pk}/results/")
    lead.get_by_role("link", name="share this result with an integrated care system").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Share the result with your system")
    expect(lead.get_by_role("heading", name="What is never shared")).to_be_visible()
    accessible(lead)
    lead.get_by_role("button", name="Share the result").click()
    expect(lead.locator(".nhsuk-error-summary")).to_contain_text(
        "Confirm that the board has agreed to share this result"
    )
    accessible(lead)
    assert not Share.objects.filter(submission__assessment=in_need.assessment).exists()
    lead.get_by_label("Moorland Integrated Care System").check()
    lead.get_by_label("The board has agreed to share this result").check()
    lead.get_by_role("button", name="Share the result").click()
    expect(
        lead.get_by_text("The result is shared with Moorland Integrated Care System.")
    ).to_be_visible()
    accessible(lead)

    review = context_for(browser).new_page()
    sign_in(review, base, reviewer.email, backup_code=backup_codes_renew(user=reviewer)[0])
    review.get_by_role("link", name="Moorland Integrated Care System").click()
    pairing = review.locator(".app-pairing").first
    expect(pairing).to_contain_text(
        "Strongbridge Hospitals NHS Trust supporting Weakmoor Hospitals NHS Trust"
    )
    expect(pairing).to_contain_text("is strongest where Weakmoor Hospitals NHS Trust is weakest")
    accessible(review)
    # The reviewer reaches none of the trust's own pages.
    response = review.goto(f"{base}/assessments/{in_need.assessment.pk}/results/")
    assert response is not None
    assert response.status == 404

    lead.get_by_role("button", name="Stop sharing with Moorland Integrated Care System").click()
    expect(
        lead.get_by_text("is no longer shared with Moorland Integrated Care System")
    ).to_be_visible()
    review.goto(f"{base}/systems/{system.pk}/")
    expect(review.locator(".app-pairing")).to_have_count(0)
    row = review.locator("tr", has_text="Weakmoor Hospitals NHS Trust").first
    expect(row).to_contain_text("Not shared")
    accessible(review)
    lead.context.close()
    review.context.close()


def test_the_comparison_with_five_other_trusts_is_accessible(
    browser: Browser, live_server: LiveServer
) -> None:
    base = live_server.url
    system = _system()
    own = make_trust(code="ROW", name="Ownbury Hospitals NHS Trust", answers_of="RZC")
    system.trusts.add(own.organisation)
    for number, answers in enumerate(("RZA", "RZB", "RZC", "RZD", "RZE")):
        other = make_trust(code=f"RP{number}", name=f"Peer {number} NHS Trust", answers_of=answers)
        system.trusts.add(other.organisation)
        share_create(assessment=other.assessment, system=system, user=other.lead.user)
    member = own.member.user
    member.set_password(PASSWORD)
    member.save()
    for width in (1280, 375):
        context = browser.new_context(locale="en-GB", viewport={"width": width, "height": 900})
        page = context.new_page()
        sign_in(page, base, member.email)
        page.goto(f"{base}/assessments/{own.assessment.pk}/results/")
        table = page.locator("#peers + p + table")
        expect(table).to_contain_text("Financial sustainability")
        expect(table).to_contain_text("of 5 trusts' scores")
        assert "Peer 0 NHS Trust" not in page.content()
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"the page scrolls sideways at {width} px"
        accessible(page)
        context.close()
