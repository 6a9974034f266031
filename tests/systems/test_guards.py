"""The guards of the system view and of sharing, each tested for the way round it: the
withdrawn result whose share was left live, the trust taken out of the system, the share
of another system or another assessment, the peer on another questionnaire version, and
the security log's lines, each checked whole."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessment.models import QuestionnaireVersion, Submission, Withdrawal
from assessment.services.demo import demo_submitted_create
from systems.models import Share
from systems.selectors import peer_submissions, system_members
from systems.services import (
    WITHDRAWN,
    SharingRefused,
    peer_comparison,
    share_create,
    share_revoke,
    shares_revoke_on_withdrawal,
)
from tests.conftest import verified_client
from tests.factories import UserFactory
from tests.systems.conftest import ANSWERS, make_trust, share

pytestmark = pytest.mark.django_db
ADDRESS = "127.0.0.1"


def _security_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "assessment.security"]


def _peers(system, count: int, *, first: int = 0):
    trusts = []
    for number in range(first, first + count):
        trust = make_trust(code=f"RG{number}", name=f"Peer {number} NHS Trust", answers_of="RZC")
        system.trusts.add(trust.organisation)
        share(trust, system)
        trusts.append(trust)
    return trusts


@pytest.fixture
def own(system):
    trust = make_trust(code="ROW", name="Ownbury Hospitals NHS Trust", answers_of="RZC")
    system.trusts.add(trust.organisation)
    return trust


def test_a_withdrawn_result_is_never_read_even_with_its_share_left_live(supporter, system) -> None:
    share(supporter, system)
    submission = Submission.objects.get(assessment=supporter.assessment)
    # Recorded without the service, as a data fix might: the share stays live.
    Withdrawal.objects.create(
        submission=submission,
        withdrawn_by=supporter.lead.user,
        withdrawn_at=timezone.now(),
        reason="Recorded directly.",
    )
    assert Share.objects.filter(revoked_at__isnull=True).count() == 1
    assert system_members(system=system)[0].submission is None


def test_a_trust_taken_out_of_the_system_leaves_every_peer_comparison(own, system) -> None:
    peers = _peers(system, 5)
    assert peer_comparison(assessment=own.assessment) is not None
    system.trusts.remove(peers[0].organisation)  # its share stays live, in a system it left
    assert Share.objects.filter(revoked_at__isnull=True).count() == 5
    assert peer_comparison(assessment=own.assessment) is None


def test_the_trusts_own_earlier_shared_result_is_not_its_own_peer(own, system) -> None:
    _peers(system, 4)
    earlier = demo_submitted_create(
        organisation=own.organisation,
        lead=own.lead.user,
        member=own.member.user,
        period="2024 to 2025",
        answers=ANSWERS["RZA"]["answers"],
        submitted_at=timezone.now() - datetime.timedelta(days=400),
    )
    share_create(assessment=earlier, system=system, user=own.lead.user)
    assert len(peer_submissions(assessment=own.assessment)) == 4
    assert peer_comparison(assessment=own.assessment) is None


def test_a_peer_on_another_questionnaire_version_is_not_read(own, system) -> None:
    peers = _peers(system, 5)
    other = QuestionnaireVersion.objects.create(number=99, title="Another", status="retired")
    peers[0].assessment.questionnaire_version = other
    peers[0].assessment.save(update_fields=["questionnaire_version"])
    assert {s.assessment_id for s in peer_submissions(assessment=own.assessment)} == {
        peer.assessment.pk for peer in peers[1:]
    }


def test_the_latest_shared_result_of_each_trust_is_read(own, system) -> None:
    [peer] = _peers(system, 1)
    later = demo_submitted_create(
        organisation=peer.organisation,
        lead=peer.lead.user,
        member=peer.member.user,
        period="2026 to 2027",
        answers=ANSWERS["RZA"]["answers"],
        submitted_at=timezone.now(),
    )
    share_create(assessment=later, system=system, user=peer.lead.user)
    [read] = peer_submissions(assessment=own.assessment)
    assert read.assessment_id == later.pk
    members = {m.organisation.pk: m.submission for m in system_members(system=system)}
    assert members[peer.organisation.pk].assessment_id == later.pk
    # Two results submitted at the same moment: the one recorded last is read.
    same = Submission.objects.get(assessment=peer.assessment).submitted_at
    Submission.objects.filter(assessment=later).update(submitted_at=same)
    assert peer_submissions(assessment=own.assessment)[0].assessment_id == later.pk
    members = {m.organisation.pk: m.submission for m in system_members(system=system)}
    assert members[peer.organisation.pk].assessment_id == later.pk


def test_the_system_lists_its_trusts_by_name(system) -> None:
    for code, name in (("RN1", "Zeta NHS Trust"), ("RN2", "Alpha NHS Trust")):
        system.trusts.add(make_trust(code=code, name=name, answers_of="RZC").organisation)
    assert [m.organisation.name for m in system_members(system=system)] == [
        "Alpha NHS Trust",
        "Zeta NHS Trust",
    ]


def test_peer_comparison_takes_a_fixed_number_of_queries(own, system) -> None:
    _peers(system, 6)
    peer_comparison(assessment=own.assessment)  # the stored results decoded once
    with CaptureQueriesContext(connection) as queries:
        assert peer_comparison(assessment=own.assessment) is not None
    # The trust's systems; the live shares with their submissions and trusts; its own
    # submission with any withdrawal.
    assert len(queries) == 3


def test_sharing_with_two_systems_makes_two_shares(supporter, system, other_system) -> None:
    other_system.trusts.add(supporter.organisation)
    first = share(supporter, system)
    second = share(supporter, other_system)
    assert first.pk != second.pk
    assert {s.system_id for s in Share.objects.filter(revoked_at__isnull=True)} == {
        system.pk,
        other_system.pk,
    }


def test_a_withdrawal_unshares_only_that_result(supporter, in_need, system, other_system) -> None:
    other_system.trusts.add(supporter.organisation)
    share(supporter, system)
    share(supporter, other_system)
    kept = share(in_need, system)
    submission = Submission.objects.get(assessment=supporter.assessment)
    assert shares_revoke_on_withdrawal(submission=submission, user=supporter.lead.user) == 2
    kept.refresh_from_db()
    assert kept.revoked_at is None
    revoked = Share.objects.filter(submission=submission)
    assert {(s.revoked_by, s.revoked_because) for s in revoked} == {
        (supporter.lead.user, WITHDRAWN)
    }
    assert all(s.revoked_at is not None for s in revoked)


def test_the_refusals_say_exactly_why(supporter, system, other_system) -> None:
    from assessment.services.assessments import assessment_create

    open_one = assessment_create(
        organisation=supporter.organisation, title="Next", reporting_period="2026", user=None
    )
    with pytest.raises(SharingRefused) as refused:
        share_create(assessment=open_one, system=system, user=supporter.lead.user)
    assert refused.value.messages == [
        "Only a submitted result can be shared. Submit the assessment first."
    ]
    with pytest.raises(SharingRefused) as refused:
        share_create(assessment=supporter.assessment, system=other_system, user=None)
    assert refused.value.messages == [
        f"{supporter.organisation.name} does not belong to {other_system.name}. Ask a "
        "catalogue admin to add it to the system first."
    ]
    from assessment.services.withdrawals import submission_withdraw

    submission_withdraw(
        assessment=supporter.assessment, user=supporter.lead.user, reason="In error."
    )
    with pytest.raises(SharingRefused) as refused:
        share_create(assessment=supporter.assessment, system=system, user=None)
    assert refused.value.messages == [
        "This result has been withdrawn, so it cannot be shared. Share a later submitted "
        "result instead."
    ]


def test_sharing_and_revoking_are_logged_whole(supporter, system, caplog) -> None:
    client = supporter.lead_client()
    url = f"/assessments/{supporter.assessment.pk}/sharing/"
    caplog.clear()
    with caplog.at_level("INFO", logger="assessment.security"):
        client.post(url, {"system": system.pk, "confirm": "on"})
        live = Share.objects.get()
        client.post(f"{url}{live.pk}/revoke/")
    user = supporter.lead.user.get_username()
    assert _security_lines(caplog) == [
        f"result-shared address={ADDRESS} assessment={supporter.assessment.pk} "
        f"system={system.code!r} user={user!r}",
        f"result-unshared address={ADDRESS} share={live.pk} system={system.pk} user={user!r}",
    ]
    live.refresh_from_db()
    assert live.revoked_by == supporter.lead.user
    assert share_revoke(share=live, user=UserFactory()).revoked_by == supporter.lead.user


def test_a_refused_system_is_logged_whole(system, other_system, reviewer, caplog) -> None:
    client = verified_client(reviewer)
    caplog.clear()
    with caplog.at_level("INFO", logger="assessment.security"):
        assert client.get(f"/systems/{other_system.pk}/").status_code == 404
    assert _security_lines(caplog) == [
        f"access-refused address={ADDRESS} system={other_system.pk} "
        f"user={reviewer.get_username()!r}"
    ]


def test_the_sharing_page_shows_this_results_live_shares_only(supporter, system) -> None:
    later = demo_submitted_create(
        organisation=supporter.organisation,
        lead=supporter.lead.user,
        member=supporter.member.user,
        period="2026 to 2027",
        answers=ANSWERS["RZC"]["answers"],
        submitted_at=timezone.now(),
    )
    share(supporter, system)  # the earlier result
    client = supporter.lead_client()
    page = client.get(f"/assessments/{later.pk}/sharing/").content.decode()
    assert "Not shared" in page
    assert "Stop sharing" not in page
    live = Share.objects.get()
    share_revoke(share=live, user=supporter.lead.user)
    page = client.get(f"/assessments/{supporter.assessment.pk}/sharing/").content.decode()
    assert "Not shared" in page
    assert "Stop sharing" not in page
    share(supporter, system)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/assessments/{supporter.assessment.pk}/sharing/").content.decode()
    assert "Stop sharing" in page
    # Who shared it comes with the share: the page's queries do not grow with the shares.
    shares = [q["sql"] for q in queries if "systems_share" in q["sql"]]
    assert len(shares) == 1
    assert "auth_user" in shares[0]


def test_a_withdrawal_leaves_an_earlier_revocation_as_it_was(supporter, system) -> None:
    earlier = share(supporter, system)
    share_revoke(share=earlier, user=supporter.lead.user)
    earlier.refresh_from_db()
    live = share(supporter, system)
    submission = Submission.objects.get(assessment=supporter.assessment)
    assert shares_revoke_on_withdrawal(submission=submission, user=UserFactory()) == 1
    again = Share.objects.get(pk=earlier.pk)
    assert (again.revoked_at, again.revoked_by, again.revoked_because) == (
        earlier.revoked_at,
        supporter.lead.user,
        "",
    )
    live.refresh_from_db()
    assert live.revoked_because == WITHDRAWN


def test_a_result_submitted_earlier_but_recorded_later_is_not_the_latest(own, system) -> None:
    [peer] = _peers(system, 1)
    # An older assessment entered afterwards: recorded later, submitted earlier.
    older = demo_submitted_create(
        organisation=peer.organisation,
        lead=peer.lead.user,
        member=peer.member.user,
        period="2023 to 2024",
        answers=ANSWERS["RZA"]["answers"],
        submitted_at=timezone.now() - datetime.timedelta(days=800),
    )
    share_create(assessment=older, system=system, user=peer.lead.user)
    [read] = peer_submissions(assessment=own.assessment)
    assert read.assessment_id == peer.assessment.pk
    members = {m.organisation.pk: m.submission for m in system_members(system=system)}
    assert members[peer.organisation.pk].assessment_id == peer.assessment.pk


def test_peers_read_from_their_stored_scores_place_the_trust_as_their_whole_results_do(
    own, system
) -> None:
    from assessment.scoring.system import peer_positions, shared_from_result
    from assessment.services.submissions import submitted_result

    peers = _peers(system, 3) + [
        make_trust(code=f"RH{n}", name=f"Other {n} NHS Trust", answers_of=code)
        for n, code in enumerate(("RZA", "RZD", "RZE"))
    ]
    for peer in peers[3:]:
        system.trusts.add(peer.organisation)
        share(peer, system)

    def whole(trust) -> object:
        submission = Submission.objects.get(assessment=trust.assessment)
        return shared_from_result(
            submitted_result(submission),
            trust_code=trust.organisation.ods_code,
            trust_name=trust.organisation.name,
            submitted_on=submission.submitted_at.date(),
        )

    expected = peer_positions(whole(own), [whole(peer) for peer in peers])
    assert expected is not None
    assert {p.position for p in expected} - {None}  # placed, not only counted
    assert peer_comparison(assessment=own.assessment) == expected
