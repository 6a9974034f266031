"""A member removed from the trust keeps nothing of it. Their response stays (the board's
record), but every page of it answers 404, as for a stranger, and nothing is written; so do
the trust's figures pages, even for a section the lead had named them to provide."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessment.models import Membership, Respondent
from assessment.services.figures import figure_holder_name
from tests.assessment.conftest import client_for
from tests.assessment.journey import SOURCE
from tests.assessment.state import changed_tables, database_fingerprint
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
ANSWER = {"question": "QUAL-5", "q-QUAL-5": "1", "v-QUAL-5": "1"}
FIGURE = {"q-FIN-1": "figure", "n-FIN-1": "-0.5", "note-FIN-1": SOURCE, "v-FIN-1": "0"}

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
    ("post", "response/import/", {"file": "QUAL-5,1,\n"}),
]
# The trust's figures: the list every member reads, the section the removed member was named
# to provide, its autosave, and a query on a figure.
FIGURE_REQUESTS = [
    ("get", "figures/", {}),
    ("get", "figures/FIN/", {}),
    ("post", "figures/FIN/", FIGURE),
    ("post", "figures/autosave/", {"question": "FIN-1", **FIGURE}),
    ("get", "figures/FIN-1/query/", {}),
    ("post", "figures/FIN-1/query/", {"comment": "The month 9 forecast says -1.5."}),
]


@pytest.fixture
def removed(assessment, board) -> Membership:
    """A board member who started answering, and whom the lead named to provide the finance
    figures, then was removed from the trust."""
    member = board[0]
    _answer_one(member, assessment)
    _name_for_finance(assessment, member)
    member.delete()
    return member


def _name_for_finance(assessment, member: Membership) -> None:
    figure_holder_name(
        assessment=assessment,
        section="FIN",
        user_id=member.user_id,
        named_by=assessment.created_by,
    )


def _answer_one(member: Membership, assessment) -> None:
    saved = client_for(member).post(
        f"/assessments/{assessment.pk}/response/autosave/",
        {"question": "QUAL-5", "q-QUAL-5": "3", "v-QUAL-5": "0"},
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


@pytest.mark.parametrize(
    ("method", "page", "data"), FIGURE_REQUESTS, ids=[f"{m} {p}" for m, p, _ in FIGURE_REQUESTS]
)
def test_a_removed_member_gets_404_for_the_trusts_figures_and_changes_nothing(
    assessment, removed, method: str, page: str, data: dict[str, str]
) -> None:
    """Even for the section the lead had named them to provide."""
    client = client_for(removed)
    url = f"/assessments/{assessment.pk}/{page}"
    before = database_fingerprint()
    response = _send(client, method, url, data)
    assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
    assert changed_tables(before, database_fingerprint()) == []


@pytest.mark.parametrize(
    ("method", "page", "data"), FIGURE_REQUESTS, ids=[f"{m} {p}" for m, p, _ in FIGURE_REQUESTS]
)
def test_another_trusts_lead_gets_404_for_the_trusts_figures_and_changes_nothing(
    assessment, method: str, page: str, data: dict[str, str]
) -> None:
    client = client_for(MembershipFactory(role=Membership.Role.LEAD))
    url = f"/assessments/{assessment.pk}/{page}"
    before = database_fingerprint()
    response = _send(client, method, url, data)
    assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
    assert changed_tables(before, database_fingerprint()) == []


@pytest.mark.parametrize(
    ("method", "page", "data"), FIGURE_REQUESTS, ids=[f"{m} {p}" for m, p, _ in FIGURE_REQUESTS]
)
def test_the_same_figures_requests_from_the_named_member_are_answered(
    assessment, board, method: str, page: str, data: dict[str, str]
) -> None:
    """The contrast: each request above reaches the trust's figures while they belong."""
    _name_for_finance(assessment, board[0])
    response = _send(client_for(board[0]), method, f"/assessments/{assessment.pk}/{page}", data)
    assert response.status_code in (200, 302)
