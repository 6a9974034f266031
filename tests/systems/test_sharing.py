"""Sharing a submitted result with a system: by the lead only, knowingly, recorded,
revocable at once, and undone by a withdrawal."""

from __future__ import annotations

import logging

import pytest

from assessment.services.withdrawals import submission_withdraw
from systems.models import Share
from systems.services import SharingRefused, share_create, share_revoke, system_review
from tests.systems.conftest import make_trust, share

pytestmark = pytest.mark.django_db


def _url(trust) -> str:
    return f"/assessments/{trust.assessment.pk}/sharing/"


def _codes_shared(system) -> set[str]:
    return {trust.code for trust in system_review(system=system).proposals.trusts if trust.shared}


def test_the_page_says_what_is_shared_and_what_never_is(supporter, system) -> None:
    html = supporter.lead_client().get(_url(supporter)).content.decode()
    assert "What is shared" in html
    assert "the verdict and the rule that decided it" in html
    assert "What is never shared" in html
    assert "any member's own answers or evidence notes" in html
    assert "the board's rationale for its agreed answers" in html
    assert system.name in html
    assert "Not shared" in html


def test_the_lead_shares_and_it_is_recorded_who_and_when(supporter, system, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="assessment.security"):
        response = supporter.lead_client().post(
            _url(supporter), {"system": system.pk, "confirm": "on"}
        )
    assert response.status_code == 302
    live = Share.objects.get()
    assert live.system == system
    assert live.shared_by == supporter.lead.user
    assert live.shared_at is not None
    assert live.revoked_at is None
    assert live.history.count() == 1  # audited
    assert any("result-shared" in record.getMessage() for record in caplog.records)
    assert _codes_shared(system) == {"RSA"}
    page = supporter.lead_client().get(_url(supporter)).content.decode()
    assert "Shared on" in page
    assert "Stop sharing" in page


def test_sharing_needs_the_board_agreement_confirmed(supporter, system) -> None:
    response = supporter.lead_client().post(_url(supporter), {"system": system.pk})
    assert response.status_code == 200
    assert "Confirm that the board has agreed to share this result" in response.content.decode()
    assert not Share.objects.exists()


def test_a_system_the_trust_does_not_belong_to_is_refused(supporter, other_system) -> None:
    response = supporter.lead_client().post(
        _url(supporter), {"system": other_system.pk, "confirm": "on"}
    )
    assert response.status_code == 200
    assert "Choose one of the trust" in response.content.decode()
    assert not Share.objects.exists()
    with pytest.raises(SharingRefused, match="does not belong to"):
        share_create(assessment=supporter.assessment, system=other_system, user=supporter.lead.user)


def test_sharing_twice_keeps_one_live_share(supporter, system) -> None:
    first = share(supporter, system)
    again = share(supporter, system)
    assert first.pk == again.pk
    assert Share.objects.count() == 1


def test_members_cannot_share_or_revoke(supporter, system) -> None:
    live = share(supporter, system)
    client = supporter.member_client()
    assert client.get(_url(supporter)).status_code == 403
    assert client.post(_url(supporter), {"system": system.pk, "confirm": "on"}).status_code == 403
    revoke = f"{_url(supporter)}{live.pk}/revoke/"
    assert client.post(revoke).status_code == 403
    live.refresh_from_db()
    assert live.revoked_at is None


def test_another_trusts_lead_cannot_reach_the_sharing_page(supporter, in_need, system) -> None:
    live = share(supporter, system)
    client = in_need.lead_client()
    assert client.get(_url(supporter)).status_code == 404
    assert client.post(f"{_url(supporter)}{live.pk}/revoke/").status_code == 404
    # Nor revoke it through their own assessment's address.
    assert client.post(f"{_url(in_need)}{live.pk}/revoke/").status_code == 404
    live.refresh_from_db()
    assert live.revoked_at is None


def test_a_lead_who_has_not_verified_a_second_factor_cannot_share(supporter, system) -> None:
    from django.test import Client

    client = Client()
    client.force_login(supporter.lead.user)
    response = client.post(_url(supporter), {"system": system.pk, "confirm": "on"})
    assert response.status_code in (401, 403)
    assert not Share.objects.exists()


def test_an_open_assessment_cannot_be_shared(system) -> None:
    from assessment.services.assessments import assessment_create
    from tests.conftest import verified_client

    trust = make_trust(code="RSO", name="Open Hospitals NHS Trust", answers_of="RZC")
    system.trusts.add(trust.organisation)
    open_one = assessment_create(
        organisation=trust.organisation, title="Next", reporting_period="2026", user=trust.lead.user
    )
    client = verified_client(trust.lead.user)
    response = client.post(
        f"/assessments/{open_one.pk}/sharing/", {"system": system.pk, "confirm": "on"}
    )
    assert response.status_code == 302
    assert not Share.objects.filter(submission__assessment=open_one).exists()
    with pytest.raises(SharingRefused, match="Submit the assessment first"):
        share_create(assessment=open_one, system=system, user=trust.lead.user)


def test_revoking_removes_the_trust_from_the_system_view_at_once(supporter, system) -> None:
    live = share(supporter, system)
    assert _codes_shared(system) == {"RSA"}
    response = supporter.lead_client().post(f"{_url(supporter)}{live.pk}/revoke/")
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.revoked_at is not None
    assert live.revoked_by == supporter.lead.user
    assert live.history.count() == 2
    assert _codes_shared(system) == set()
    # Revoking again changes nothing.
    assert share_revoke(share=live, user=supporter.lead.user).revoked_at == live.revoked_at


def test_the_lead_can_share_again_after_revoking(supporter, system) -> None:
    share_revoke(share=share(supporter, system), user=supporter.lead.user)
    again = share(supporter, system)
    assert again.revoked_at is None
    assert Share.objects.count() == 2
    assert _codes_shared(system) == {"RSA"}


def test_withdrawing_a_result_unshares_it_everywhere(supporter, system, other_system) -> None:
    other_system.trusts.add(supporter.organisation)
    share(supporter, system)
    share(supporter, other_system)
    submission_withdraw(
        assessment=supporter.assessment, user=supporter.lead.user, reason="Submitted in error."
    )
    assert not Share.objects.filter(revoked_at__isnull=True).exists()
    assert set(Share.objects.values_list("revoked_because", flat=True)) == {
        "The result was withdrawn."
    }
    assert _codes_shared(system) == set()
    with pytest.raises(SharingRefused, match="withdrawn"):
        share(supporter, system)


def test_a_trust_taken_out_of_the_system_leaves_its_view(supporter, system) -> None:
    share(supporter, system)
    system.trusts.remove(supporter.organisation)
    assert _codes_shared(system) == set()
    assert "Strongbridge" not in {t.name for t in system_review(system=system).proposals.trusts}


def test_the_latest_shared_result_of_a_trust_is_the_one_read(supporter, system) -> None:
    from django.utils import timezone

    from assessment.services.demo import demo_submitted_create
    from tests.systems.conftest import ANSWERS

    share(supporter, system)
    later = demo_submitted_create(
        organisation=supporter.organisation,
        lead=supporter.lead.user,
        member=supporter.member.user,
        period="2026 to 2027",
        answers=ANSWERS["RZC"]["answers"],
        submitted_at=timezone.now(),
    )
    share_create(assessment=later, system=system, user=supporter.lead.user)
    standing = system_review(system=system).proposals.trusts[0]
    assert standing.verdict == "sustainable-collaborate"  # the later result, not the first
