"""A member reaches only their own response. Someone of the same trust who is not answering
an assessment, the lead included, gets 404 on its response pages, never another member's
response; and each member's pages show and save their own answers only. The trust's figures
are entered by the lead, or by the member the lead named for a section: anyone else on the
board is refused (403) on that section's figures pages."""

from __future__ import annotations

import re

import pytest

from assessment.models import Answer, Figure
from assessment.services.figures import figure_holder_name
from tests.assessment.conftest import client_for
from tests.assessment.journey import SOURCE
from tests.assessment.state import changed_tables, database_fingerprint
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _autosave(client, assessment, value: str, version: str = "0"):
    return client.post(
        f"/assessments/{assessment.pk}/response/autosave/",
        {"question": "QUAL-5", "q-QUAL-5": value, "v-QUAL-5": version},
    )


@pytest.mark.parametrize(
    ("method", "page"),
    [("get", "response/"), ("get", "response/QUAL/"), ("post", "response/autosave/")],
)
def test_a_trust_member_not_answering_gets_404_not_someone_elses_response(
    assessment, board, trust, method: str, page: str
) -> None:
    assert _autosave(client_for(board[0]), assessment, "3").status_code == 200
    outsider = client_for(MembershipFactory(organisation=trust))  # of the trust, not answering
    before = database_fingerprint()
    url = f"/assessments/{assessment.pk}/{page}"
    data = {"question": "QUAL-5", "q-QUAL-5": "1", "v-QUAL-5": "1"}
    response = getattr(outsider, method)(url, data if method == "post" else None)
    assert response.status_code == 404
    assert changed_tables(before, database_fingerprint()) == []


def test_the_lead_who_is_not_answering_gets_404_for_the_response_pages(
    assessment, board, trust_lead
) -> None:
    assert _autosave(client_for(board[0]), assessment, "3").status_code == 200
    response = client_for(trust_lead).get(f"/assessments/{assessment.pk}/response/QUAL/")
    assert response.status_code == 404


def test_each_member_sees_and_saves_only_their_own_answers(assessment, board) -> None:
    first, second = client_for(board[0]), client_for(board[1])
    assert _autosave(first, assessment, "3").status_code == 200
    assert _autosave(second, assessment, "1").status_code == 200
    for client, value in ((first, "3"), (second, "1")):
        page = client.get(f"/assessments/{assessment.pk}/response/QUAL/").content.decode()
        assert re.findall(r'name="q-QUAL-5" type="radio" value="([\w-]+)" checked', page) == [value]
    saved = dict(
        Answer.objects.filter(question__code="QUAL-5").values_list("respondent__user", "value")
    )
    assert saved == {board[0].user_id: "3", board[1].user_id: "1"}


# ------------------------------------------------------------------------ the trust's figures

FIGURE = {"q-FIN-1": "figure", "n-FIN-1": "-0.5", "note-FIN-1": SOURCE, "v-FIN-1": "0"}
# The pages on which a section's figures are entered, with a request that would write.
FIGURE_REQUESTS = [
    ("get", "figures/FIN/", {}),
    ("post", "figures/FIN/", FIGURE),
    ("post", "figures/autosave/", {"question": "FIN-1", **FIGURE}),
]


def _name_for_finance(assessment, trust_lead, member) -> None:
    figure_holder_name(
        assessment=assessment, section="FIN", user_id=member.user_id, named_by=trust_lead.user
    )


@pytest.mark.parametrize(
    ("method", "page", "data"), FIGURE_REQUESTS, ids=[f"{m} {p}" for m, p, _ in FIGURE_REQUESTS]
)
def test_a_member_not_named_for_a_section_gets_403_on_its_figures_and_writes_nothing(
    assessment, board, trust_lead, method: str, page: str, data: dict[str, str]
) -> None:
    _name_for_finance(assessment, trust_lead, board[1])  # another member provides finance
    client = client_for(board[0])
    before = database_fingerprint()
    response = getattr(client, method)(f"/assessments/{assessment.pk}/{page}", data)
    assert response.status_code == 403
    assert changed_tables(before, database_fingerprint()) == []


@pytest.mark.parametrize(
    ("method", "page", "data"), FIGURE_REQUESTS, ids=[f"{m} {p}" for m, p, _ in FIGURE_REQUESTS]
)
def test_the_member_named_for_a_section_enters_its_figures(
    assessment, board, trust_lead, method: str, page: str, data: dict[str, str]
) -> None:
    """The contrast: the same requests from the member the lead named for finance."""
    _name_for_finance(assessment, trust_lead, board[0])
    client = client_for(board[0])
    response = getattr(client, method)(f"/assessments/{assessment.pk}/{page}", data)
    assert response.status_code in (200, 302)
    if method == "post":
        saved = Figure.objects.get(assessment=assessment, question__code="FIN-1")
        assert (saved.value, saved.source, saved.updated_by) == ("-0.5", SOURCE, board[0].user)


def test_the_member_named_for_one_section_gets_403_on_another(
    assessment, board, trust_lead
) -> None:
    _name_for_finance(assessment, trust_lead, board[0])
    client = client_for(board[0])
    before = database_fingerprint()
    assert client.get(f"/assessments/{assessment.pk}/figures/QUAL/").status_code == 403
    figure = {"q-QUAL-1": "good", "note-QUAL-1": SOURCE, "v-QUAL-1": "0"}
    autosave = client.post(
        f"/assessments/{assessment.pk}/figures/autosave/", {"question": "QUAL-1", **figure}
    )
    assert autosave.status_code == 403
    assert client.post(f"/assessments/{assessment.pk}/figures/QUAL/", figure).status_code == 403
    assert changed_tables(before, database_fingerprint()) == []
