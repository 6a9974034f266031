"""Figures once for the trust, judgements from every member (method.md section 9)."""

from __future__ import annotations

import re

import pytest

from assessment.models import (
    AgreedAnswer,
    Answer,
    Figure,
    FigureHolder,
    FigureQuery,
    Membership,
    Submission,
)
from assessment.selectors import pinned_for
from tests.assessment.conftest import client_for
from tests.assessment.journey import (
    SOURCE,
    answer_everything,
    enter_figures,
    section_data,
    submit_board,
)
from tests.factories import MembershipFactory
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
MID = load_persona(persona_paths()[0])["answers"]
FRAGILE = load_persona(persona_paths()[1])["answers"]
STRONG = load_persona(persona_paths()[2])["answers"]
JUDGEMENTS = {
    *("QUAL-5", "WORK-3", "LEAD-3", "LEAD-4", "LEAD-5", "SCALE-4"),
    *("SYS-1", "SYS-2", "SYS-3", "SYS-4", "SYS-5", "SYS-7"),
    *("CHANGE-1", "CHANGE-2", "CHANGE-3", "CHANGE-4"),
}


def _figures_url(assessment, section: str = "") -> str:
    return f"/assessments/{assessment.pk}/figures/{section + '/' if section else ''}"


def test_a_member_answers_the_sixteen_judgements_and_nothing_else(assessment, board) -> None:
    pinned = pinned_for(assessment)
    assert {q.code for q in pinned.judgements} == JUDGEMENTS
    member = client_for(board[0])
    tasks = member.get(f"/assessments/{assessment.pk}/response/").content.decode()
    assert "You have answered 0 of 16 questions." in tasks
    # Sections with no judgement have no member page at all.
    assert f'href="/assessments/{assessment.pk}/response/FIN/"' not in tasks
    assert member.get(f"/assessments/{assessment.pk}/response/FIN/").status_code == 404
    answer_everything(member, assessment, MID)
    answered = set(
        Answer.objects.filter(respondent__user=board[0].user).values_list(
            "question__code", flat=True
        )
    )
    assert answered == JUDGEMENTS
    complete = member.post(f"/assessments/{assessment.pk}/response/complete/", follow=True)
    assert "Your response is marked as complete" in complete.content.decode()


def test_a_member_cannot_answer_a_figure_by_any_door(assessment, board) -> None:
    member = client_for(board[0])
    url = f"/assessments/{assessment.pk}/response/"
    autosave = member.post(
        url + "autosave/",
        {"question": "FIN-1", "q-FIN-1": "figure", "n-FIN-1": "2", "v-FIN-1": "0"},
    )
    assert autosave.status_code == 400
    assert "one of the trust's figures" in autosave.json()["errors"][0]
    # QUAL-1 is a figure on a page that has a judgement: posted there, the page is refused
    # whole, saying why, and nothing is saved.
    posted = member.post(
        url + "QUAL/", {"q-QUAL-1": "inadequate", "v-QUAL-1": "0", "q-QUAL-5": "3", "v-QUAL-5": "0"}
    )
    assert posted.status_code == 200
    assert "QUAL-1 is one of the trust&#x27;s figures" in posted.content.decode()
    assert not Answer.objects.exists()
    csv = "code,answer,note\nQUAL-5,2,\nFIN-1,-3,from the accounts\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    imported = member.post(
        url + "import/",
        {"file": SimpleUploadedFile("answers.csv", csv.encode(), content_type="text/csv")},
        follow=True,
    ).content.decode()
    left_out = "1 row of the file was one of the trust&#x27;s figures, so it was not imported"
    assert left_out in imported
    assert not Answer.objects.filter(question__code="FIN-1").exists()
    assert Answer.objects.get(question__code="QUAL-5").value == "2"
    assert "Imported 1 answer." in imported


def test_the_lead_enters_each_figure_once_with_its_source(assessment, trust_lead) -> None:
    lead = client_for(trust_lead)
    url = _figures_url(assessment, "FIN")
    page = lead.get(url).content.decode()
    assert "Source" in page
    assert "Annual accounts 2024/25, note 12" in page
    data = section_data(pinned_for(assessment).figures_by_section["FIN"], {"FIN-1": "-1.5"}, page)
    refused = lead.post(url, data).content.decode()
    assert "Give the source of the figure" in refused
    assert not Figure.objects.exists()
    data["note-FIN-1"] = "Annual accounts 2024/25, note 12"
    assert lead.post(url, data).status_code == 302
    figure = Figure.objects.get()
    assert (figure.question.code, figure.value, figure.source, figure.version) == (
        "FIN-1",
        "-1.5",
        "Annual accounts 2024/25, note 12",
        1,
    )
    listing = lead.get(_figures_url(assessment)).content.decode()
    assert "Source: Annual accounts 2024/25, note 12" in listing
    # "I don't know" needs no source: it says the evidence is missing.
    # The page posts every figure on it, as a browser does: FIN-1 as saved, FIN-2 not known.
    page = lead.get(url).content.decode()
    data = section_data(
        pinned_for(assessment).figures_by_section["FIN"], {"FIN-1": "-1.5", "FIN-2": "dk"}, page
    )
    data["note-FIN-1"] = "Annual accounts 2024/25, note 12"
    assert lead.post(url, data).status_code == 302
    assert Figure.objects.get(question__code="FIN-2").value == "dk"


def test_a_stale_tab_cannot_overwrite_a_figure(assessment, trust_lead) -> None:
    lead = client_for(trust_lead)
    autosave = f"/assessments/{assessment.pk}/figures/autosave/"
    first = {
        "question": "FIN-3",
        "q-FIN-3": "figure",
        "n-FIN-3": "4",
        "note-FIN-3": "Plan 2026/27",
        "v-FIN-3": "0",
    }
    assert lead.post(autosave, first).json()["version"] == 1
    stale = {**first, "n-FIN-3": "7", "note-FIN-3": "Draft plan"}
    refused = lead.post(autosave, stale)
    assert refused.status_code == 409
    assert "Saved figure: 4" in refused.json()["message"]
    assert Figure.objects.get().value == "4"


def test_the_named_member_provides_their_section_and_no_other(
    assessment, trust_lead, board
) -> None:
    lead = client_for(trust_lead)
    finance = board[1]
    lead.post(
        _figures_url(assessment, "holders"),
        {"holder-FIN": str(finance.user_id)},
    )
    assert FigureHolder.objects.get().user == finance.user
    holder = client_for(finance)
    tasks = holder.get(f"/assessments/{assessment.pk}/response/").content.decode()
    assert f'href="/assessments/{assessment.pk}/figures/FIN/"' in tasks
    assert holder.get(_figures_url(assessment, "QUAL")).status_code == 403
    assert client_for(board[0]).get(_figures_url(assessment, "FIN")).status_code == 403
    enter_figures(holder, assessment, {"FIN-1": "-1.5"}, source="Month 7 finance report")
    figure = Figure.objects.get()
    assert (figure.value, figure.updated_by) == ("-1.5", finance.user)
    # A member not named for QUAL cannot save its figures through the autosave either.
    refused = holder.post(
        f"/assessments/{assessment.pk}/figures/autosave/",
        {"question": "QUAL-1", "q-QUAL-1": "good", "note-QUAL-1": "CQC", "v-QUAL-1": "0"},
    )
    assert refused.status_code == 403
    assert Figure.objects.count() == 1
    # Named, then stood down: they can no longer enter the section's figures.
    lead.post(_figures_url(assessment, "holders"), {"holder-FIN": ""})
    assert holder.get(_figures_url(assessment, "FIN")).status_code == 403
    # A name from another trust is refused.
    stranger = MembershipFactory()
    lead.post(_figures_url(assessment, "holders"), {"holder-FIN": str(stranger.user_id)})
    assert not FigureHolder.objects.exists()


def test_members_who_would_have_typed_different_figures_create_no_divergence(
    assessment, trust_lead, board
) -> None:
    # Before, 6.9 against 6.5 on the staff survey was flagged, and a £10m difference on
    # the deficit was not. Now the figures are entered once and only judgements are agreed.
    for member, answers in zip(board, (MID, FRAGILE, STRONG), strict=True):
        answer_everything(client_for(member), assessment, answers)
    lead = client_for(trust_lead)
    enter_figures(lead, assessment, MID)
    html = lead.get(f"/assessments/{assessment.pk}/consensus/").content.decode()
    listed = set(re.findall(r'id="consensus-([A-Z0-9-]+)"', html))
    assert listed == JUDGEMENTS
    for code in ("WORK-4", "FIN-1", "QUAL-1", "PROFILE-TYPE"):
        assert f'id="consensus-{code}"' not in html
    assert "The trust's figures are not agreed here" in html


def test_a_member_queries_a_figure_and_the_lead_resolves_it(assessment, trust_lead, board) -> None:
    lead = client_for(trust_lead)
    enter_figures(lead, assessment, {"WORK-4": "6.9"}, source="NHS Staff Survey 2025")
    member = client_for(board[0])
    section = member.get(f"/assessments/{assessment.pk}/response/WORK/").content.decode()
    assert "6.9" in section
    assert "Source: NHS Staff Survey 2025" in section
    query_url = _figures_url(assessment, "WORK-4") + "query/"
    empty = member.post(query_url, {"comment": ""}).content.decode()
    assert "Say what you think is wrong with the figure" in empty
    member.post(query_url, {"comment": "The 2025 survey report says 6.5, page 4."})
    query = FigureQuery.objects.get()
    assert (query.value_queried, query.is_open) == ("6.9", True)
    for page in ("", "consensus/"):
        html = lead.get(f"/assessments/{assessment.pk}/{page}").content.decode()
        assert f"/figures/queries/{query.pk}/" in html, page
    refused = lead.post(f"/assessments/{assessment.pk}/submit/").content.decode()
    assert "WORK-4: resolve the query on this figure" in refused
    assert not Submission.objects.exists()

    resolve = f"/assessments/{assessment.pk}/figures/queries/{query.pk}/"
    page = lead.get(resolve).content.decode()
    assert "The 2025 survey report says 6.5" in page
    data = {
        "q-WORK-4": "figure",
        "n-WORK-4": "6.5",
        "note-WORK-4": "NHS Staff Survey 2025, page 4",
        "v-WORK-4": "1",
    }
    no_reply = lead.post(resolve, data).content.decode()
    assert "Write a reply" in no_reply
    assert Figure.objects.get().value == "6.9"
    lead.post(resolve, {**data, "reply": "Agreed: the benchmark report was for last year."})
    query.refresh_from_db()
    assert (query.outcome, query.is_open) == (FigureQuery.Outcome.CHANGED, False)
    figure = Figure.objects.get()
    assert (figure.value, figure.source, figure.version) == (
        "6.5",
        "NHS Staff Survey 2025, page 4",
        2,
    )
    seen = member.get(_figures_url(assessment)).content.decode()
    assert "Figure changed" in seen
    assert "Agreed: the benchmark report was for last year." in seen

    # A second query, kept: the figure stays as it stands.
    member.post(query_url, {"comment": "Is this the engagement score or the theme score?"})
    second = FigureQuery.objects.latest("pk")
    kept = {**data, "v-WORK-4": "2", "reply": "The engagement theme score, as the survey reports."}
    lead.post(f"/assessments/{assessment.pk}/figures/queries/{second.pk}/", kept)
    second.refresh_from_db()
    assert second.outcome == FigureQuery.Outcome.KEPT
    assert Figure.objects.get().version == 2


def test_a_member_cannot_resolve_a_query_or_name_a_holder(assessment, trust_lead, board) -> None:
    member = client_for(board[0])
    member.post(_figures_url(assessment, "FIN-1") + "query/", {"comment": "Check this."})
    query = FigureQuery.objects.get()
    resolve = f"/assessments/{assessment.pk}/figures/queries/{query.pk}/"
    assert member.get(resolve).status_code == 403
    assert (
        member.post(resolve, {"reply": "Fine", "q-FIN-1": "dk", "v-FIN-1": "0"}).status_code == 403
    )
    assert (
        member.post(
            _figures_url(assessment, "holders"), {"holder-FIN": str(board[0].user_id)}
        ).status_code
        == 403
    )
    query.refresh_from_db()
    assert query.is_open
    assert not FigureHolder.objects.exists()
    assert not Figure.objects.exists()


def test_members_earlier_answers_to_figures_are_offered_to_the_lead(
    assessment, trust_lead, board
) -> None:
    """An assessment begun before figures were entered once: members had typed them."""
    pinned = pinned_for(assessment)
    for member, value in zip(board, ("6.9", "6.5", "7.1"), strict=True):
        Answer.objects.create(
            respondent=assessment.respondents.get(user=member.user),
            question_id=pinned.question_ids["WORK-4"],
            value=value,
        )
    AgreedAnswer.objects.create(
        assessment=assessment,
        question_id=pinned.question_ids["WORK-4"],
        value="6.8",
        updated_by=trust_lead.user,
    )
    page = client_for(trust_lead).get(_figures_url(assessment, "WORK")).content.decode()
    for member, value in zip(board, ("6.9", "6.5", "7.1"), strict=True):
        assert f"{value} score out of 10, from {member.user.get_full_name()}" in page
    assert "6.8 score out of 10, from" in page
    assert "as the board&#x27;s agreed answer" in page


def test_the_figures_go_to_the_agreed_answers_with_their_sources(
    assessment, trust_lead, board
) -> None:
    for member in board:
        answer_everything(client_for(member), assessment, STRONG)
    lead = client_for(trust_lead)
    enter_figures(lead, assessment, STRONG)
    assert submit_board(lead, assessment).status_code == 302
    stored = {row["code"]: row for row in Submission.objects.get().agreed_answers}
    assert stored["FIN-1"]["answered_by"] == "figure"
    assert stored["FIN-1"]["source"] == SOURCE
    assert stored["FIN-1"]["members"] == []
    assert not stored["FIN-1"]["divergent"]
    assert stored["QUAL-5"]["answered_by"] == "judgement"
    results = client_for(board[0]).get(f"/assessments/{assessment.pk}/results/").content.decode()
    assert "The trust's figures and their sources" in results
    assert SOURCE in results
    # Every board member sees the figures, read-only, once submitted.
    listing = client_for(board[0]).get(_figures_url(assessment)).content.decode()
    assert "Query<" not in listing


def test_figures_cannot_change_once_submitted(assessment, trust_lead, board) -> None:
    lead = client_for(trust_lead)
    answer_everything(client_for(board[0]), assessment, STRONG)
    enter_figures(lead, assessment, STRONG)
    submit_board(lead, assessment)
    before = list(Figure.objects.values_list("value", "version"))
    refused = lead.post(
        f"/assessments/{assessment.pk}/figures/autosave/",
        {
            "question": "FIN-1",
            "q-FIN-1": "figure",
            "n-FIN-1": "-9",
            "note-FIN-1": "x",
            "v-FIN-1": "1",
        },
    )
    assert refused.status_code == 409
    assert list(Figure.objects.values_list("value", "version")) == before
    query = client_for(board[0]).post(
        _figures_url(assessment, "FIN-1") + "query/", {"comment": "x"}
    )
    assert query.status_code == 302
    assert not FigureQuery.objects.exists()


def test_only_the_trusts_lead_or_holder_reaches_the_figures_pages(assessment) -> None:
    other_lead = MembershipFactory(role=Membership.Role.LEAD)
    outsider = client_for(other_lead)
    for url in ("", "FIN/", "FIN-1/query/"):
        assert outsider.get(_figures_url(assessment) + url).status_code == 404, url
    posted = outsider.post(
        f"/assessments/{assessment.pk}/figures/autosave/",
        {"question": "FIN-1", "q-FIN-1": "dk", "v-FIN-1": "0"},
    )
    assert posted.status_code == 404
    assert not Figure.objects.exists()


def test_the_import_page_asks_for_judgements_not_figures(assessment, board) -> None:
    page = client_for(board[0]).get(f"/assessments/{assessment.pk}/response/import/")
    html = page.content.decode()
    assert "Import your answers from a file" in html
    assert "rows for them are left out" in html
    assert "FIN-1" not in html


@pytest.mark.parametrize(
    "back", ["https://evil.example/phish", "//evil.example/phish", "tasks", " ", "/elsewhere/"]
)
def test_a_query_returns_only_to_a_page_of_the_same_assessment(assessment, board, back) -> None:
    member = client_for(board[0])
    response = member.post(
        _figures_url(assessment, "FIN-1") + "query/", {"comment": "Wrong", "back": back}
    )
    assert response.status_code == 302
    assert response["Location"] == _figures_url(assessment)
    own = f"/assessments/{assessment.pk}/response/QUAL/"
    again = member.post(
        _figures_url(assessment, "FIN-1") + "query/", {"comment": "Wrong", "back": own}
    )
    assert again["Location"] == own


def test_a_source_with_a_nul_byte_is_refused_and_nothing_is_saved(assessment, trust_lead) -> None:
    response = client_for(trust_lead).post(
        f"/assessments/{assessment.pk}/figures/autosave/",
        {"question": "LEAD-1", "q-LEAD-1": "good", "note-LEAD-1": "CQC\x00", "v-LEAD-1": "0"},
    )
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.json()["errors"]
    assert not Figure.objects.exists()
