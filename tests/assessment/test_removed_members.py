"""A member removed from the trust keeps nothing of it. Their response stays (the board's
record), but every page of it answers 404, as for a stranger, and nothing is written."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessment.models import Membership, Respondent
from tests.assessment.conftest import client_for
from tests.assessment.state import changed_tables, database_fingerprint

pytestmark = pytest.mark.django_db
ANSWER = {"question": "QUAL-1", "q-QUAL-1": "inadequate", "v-QUAL-1": "1"}

# Every page of a member's own response, with a request that would change it if allowed.
REQUESTS = [
    ("get", "response/", {}),
    ("get", "response/QUAL/", {}),
    ("post", "response/QUAL/", ANSWER),
    ("post", "response/autosave/", ANSWER),
    ("get", "response/check/", {}),
    ("post", "response/complete/", {}),
    ("post", "response/reopen/", {}),
    ("get", "response/import/", {}),
    ("post", "response/import/", {"file": "QUAL-1,inadequate,\n"}),
]


@pytest.fixture
def removed(assessment, board) -> Membership:
    """A board member who started answering, then was removed from the trust."""
    member = board[0]
    _answer_one(member, assessment)
    member.delete()
    return member


def _answer_one(member: Membership, assessment) -> None:
    saved = client_for(member).post(
        f"/assessments/{assessment.pk}/response/autosave/",
        {"question": "QUAL-1", "q-QUAL-1": "good", "v-QUAL-1": "0"},
    )
    assert saved.status_code == 200


def _send(client, method: str, url: str, data: dict[str, str]):
    if "file" in data:
        upload = SimpleUploadedFile("answers.csv", data["file"].encode(), "text/csv")
        return client.post(url, {"file": upload})
    return getattr(client, method)(url, data)


@pytest.mark.parametrize(
    ("method", "page", "data"), REQUESTS, ids=[f"{m} {p}" for m, p, _ in REQUESTS]
)
def test_a_removed_member_gets_404_for_their_response_and_changes_nothing(
    assessment, removed, method: str, page: str, data: dict[str, str]
) -> None:
    assert Respondent.objects.filter(assessment=assessment, user=removed.user).exists()
    client = client_for(removed)
    url = f"/assessments/{assessment.pk}/{page}"
    before = database_fingerprint()
    response = _send(client, method, url, data)
    assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
    assert changed_tables(before, database_fingerprint()) == []


def test_a_removed_member_cannot_reopen_a_completed_response(assessment, removed) -> None:
    """Reopening only writes for a completed response: one is made so, to be sure."""
    Respondent.objects.filter(user=removed.user).update(completed_at=timezone.now())
    client = client_for(removed)
    before = database_fingerprint()
    response = client.post(f"/assessments/{assessment.pk}/response/reopen/")
    assert response.status_code == 404
    assert changed_tables(before, database_fingerprint()) == []


@pytest.mark.parametrize(
    ("method", "page", "data"), REQUESTS, ids=[f"{m} {p}" for m, p, _ in REQUESTS]
)
def test_the_same_requests_from_a_member_are_answered(
    assessment, board, method: str, page: str, data: dict[str, str]
) -> None:
    """The contrast: each request above reaches a member's response while they belong."""
    _answer_one(board[0], assessment)
    response = _send(client_for(board[0]), method, f"/assessments/{assessment.pk}/{page}", data)
    assert response.status_code in (200, 302)
