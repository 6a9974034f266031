"""A member reaches only their own response. Someone of the same trust who is not answering
an assessment, the lead included, gets 404 on its response pages, never another member's
response; and each member's pages show and save their own answers only."""

from __future__ import annotations

import re

import pytest

from assessment.models import Answer
from tests.assessment.conftest import client_for
from tests.assessment.state import changed_tables, database_fingerprint
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _autosave(client, assessment, value: str, version: str = "0"):
    return client.post(
        f"/assessments/{assessment.pk}/response/autosave/",
        {"question": "QUAL-1", "q-QUAL-1": value, "v-QUAL-1": version},
    )


@pytest.mark.parametrize(
    ("method", "page"),
    [("get", "response/"), ("get", "response/QUAL/"), ("post", "response/autosave/")],
)
def test_a_trust_member_not_answering_gets_404_not_someone_elses_response(
    assessment, board, trust, method: str, page: str
) -> None:
    assert _autosave(client_for(board[0]), assessment, "good").status_code == 200
    outsider = client_for(MembershipFactory(organisation=trust))  # of the trust, not answering
    before = database_fingerprint()
    url = f"/assessments/{assessment.pk}/{page}"
    data = {"question": "QUAL-1", "q-QUAL-1": "inadequate", "v-QUAL-1": "1"}
    response = getattr(outsider, method)(url, data if method == "post" else None)
    assert response.status_code == 404
    assert changed_tables(before, database_fingerprint()) == []


def test_the_lead_who_is_not_answering_gets_404_for_the_response_pages(
    assessment, board, trust_lead
) -> None:
    assert _autosave(client_for(board[0]), assessment, "good").status_code == 200
    response = client_for(trust_lead).get(f"/assessments/{assessment.pk}/response/QUAL/")
    assert response.status_code == 404


def test_each_member_sees_and_saves_only_their_own_answers(assessment, board) -> None:
    first, second = client_for(board[0]), client_for(board[1])
    assert _autosave(first, assessment, "good").status_code == 200
    assert _autosave(second, assessment, "inadequate").status_code == 200
    for client, value in ((first, "good"), (second, "inadequate")):
        page = client.get(f"/assessments/{assessment.pk}/response/QUAL/").content.decode()
        assert re.findall(r'name="q-QUAL-1" type="radio" value="([\w-]+)" checked', page) == [value]
    saved = dict(
        Answer.objects.filter(question__code="QUAL-1").values_list("respondent__user", "value")
    )
    assert saved == {board[0].user_id: "good", board[1].user_id: "inadequate"}
