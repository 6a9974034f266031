"""The security log names who was refused what, and from where: a refused page, a lead's
page opened by a member, a session ended at its absolute lifetime. Each line is checked
whole, so that a line missing the user or the assessment does not pass."""

from __future__ import annotations

import time

import pytest

from assessment.models import Membership
from assessment.security import SIGNED_IN_AT
from tests.assessment.conftest import client_for
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
ADDRESS = "127.0.0.1"  # the test client's


def _security_lines(caplog) -> list[str]:
    """The security log's lines; each test clears it once its client is signed in, since
    signing in is logged too."""
    return [r.getMessage() for r in caplog.records if r.name == "assessment.security"]


def test_another_trusts_assessment_is_refused_and_logged(assessment, caplog) -> None:
    stranger = MembershipFactory(role=Membership.Role.LEAD)
    client = client_for(stranger)
    caplog.clear()
    with caplog.at_level("INFO", logger="assessment.security"):
        assert client.get(f"/assessments/{assessment.pk}/").status_code == 404
    user = stranger.user.get_username()
    assert _security_lines(caplog) == [
        f"access-refused address={ADDRESS} assessment={assessment.pk} user={user!r}"
    ]


def test_a_removed_members_response_is_refused_and_logged(assessment, board, caplog) -> None:
    removed = board[0]
    removed.delete()
    client = client_for(removed)
    caplog.clear()
    with caplog.at_level("INFO", logger="assessment.security"):
        assert client.get(f"/assessments/{assessment.pk}/response/").status_code == 404
    user = removed.user.get_username()
    assert _security_lines(caplog) == [
        f"access-refused address={ADDRESS} assessment={assessment.pk} user={user!r}"
    ]


def test_a_leads_page_opened_by_a_member_is_refused_and_logged(assessment, board, caplog) -> None:
    client = client_for(board[0])
    caplog.clear()
    with caplog.at_level("INFO", logger="assessment.security"):
        assert client.get(f"/assessments/{assessment.pk}/consensus/").status_code == 403
    user = board[0].user.get_username()
    assert _security_lines(caplog) == [
        f"access-refused address={ADDRESS} lead_only={assessment.pk} user={user!r}"
    ]


def test_a_session_ended_at_its_lifetime_is_logged(member, settings, caplog) -> None:
    client = client_for(member)
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    caplog.clear()
    with caplog.at_level("INFO", logger="assessment.security"):
        response = client.get("/")
    assert response.status_code == 302
    user = member.user.get_username()
    assert _security_lines(caplog)[0] == (
        f"session-ended address={ADDRESS} reason='lifetime' user={user!r}"
    )
