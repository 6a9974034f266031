"""A board member answers privately and never loses an answer."""

from __future__ import annotations

import json

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from assessment.models import Answer, Assessment, Membership, Respondent
from assessment.selectors import pinned_for
from tests.assessment.conftest import client_for
from tests.assessment.journey import answer_everything, section_data
from tests.factories import PASSWORD
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
FRAGILE = load_persona(persona_paths()[1])["answers"]


def _expire_sessions() -> None:
    """Every session ends, as at its expiry."""
    Session.objects.all().delete()


def _section(assessment: Assessment, code: str) -> str:
    return f"/assessments/{assessment.pk}/response/{code}/"


def _answer(member: Membership, code: str) -> Answer | None:
    return Answer.objects.filter(respondent__user=member.user, question__code=code).first()


def test_task_list_shows_every_section_with_its_status(assessment, board) -> None:
    client = client_for(board[0])
    client.post(_section(assessment, "QUAL"), {"q-QUAL-1": "good", "v-QUAL-1": "0"})
    html = client.get(f"/assessments/{assessment.pk}/response/").content.decode()
    assert html.count('<li class="nhsuk-task-list__item') == 8
    assert "Section 1 of 8: 1 of 5 answered" in html
    assert "In progress" in html
    assert "You have answered 1 of 42 questions." in html


def test_section_page_shows_progress_guidance_units_and_dont_know(assessment, board) -> None:
    html = client_for(board[0]).get(_section(assessment, "FIN")).content.decode()
    assert "Section 2 of 8" in html
    assert "Where to find the evidence" in html
    assert 'class="nhsuk-input-wrapper__suffix" aria-hidden="true">% of income</div>' in html
    assert "I don&#x27;t know" in html
    assert "Add an evidence note" in html
    # FIN-1 applies to every trust; PERF-1 (A&E) may be not applicable.
    assert 'name="q-FIN-1" type="radio" value="na"' not in html
    perf = client_for(board[0]).get(_section(assessment, "PERF")).content.decode()
    assert 'name="q-PERF-1" type="radio" value="na"' in perf


def test_save_and_continue_saves_the_page_and_moves_on(assessment, board) -> None:
    pinned = pinned_for(assessment)
    client = client_for(board[0])
    data = section_data(pinned.questions_by_section["FIN"], FRAGILE)
    data["note-FIN-1"] = "Month 9 forecast, finance committee"
    response = client.post(_section(assessment, "FIN"), data)
    assert response["Location"] == _section(assessment, "WORK")
    saved = _answer(board[0], "FIN-1")
    assert (saved.value, saved.note, saved.version) == (
        "-0.5",
        "Month 9 forecast, finance committee",
        1,
    )
    assert Respondent.objects.get(user=board[0].user).started_at is not None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"q-FIN-1": "figure", "n-FIN-1": ""}, "Enter a figure, or choose “I don&#x27;t know”"),
        (
            {"q-FIN-1": "figure", "n-FIN-1": "lots"},
            "Enter the figure as a number, like 2.5 (% of income)",
        ),
        ({"q-FIN-1": "figure", "n-FIN-1": "75"}, "Enter a figure from -60 to 60 (% of income)"),
        ({"q-FIN-7": "maybe"}, "Select a valid choice"),
    ],
)
def test_bad_answers_are_explained_and_nothing_on_the_page_is_saved(
    assessment, board, data: dict[str, str], message: str
) -> None:
    client = client_for(board[0])
    data = {
        **data,
        "q-FIN-2": "figure",
        "n-FIN-2": "1",
        "v-FIN-1": "0",
        "v-FIN-2": "0",
        "v-FIN-7": "0",
    }
    response = client.post(_section(assessment, "FIN"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Financial sustainability" in html
    assert "There is a problem" in html
    assert message in html
    assert 'value="1"' in html  # what was typed is shown again
    assert not Answer.objects.filter(respondent__user=board[0].user).exists()


def test_figures_with_commas_spaces_or_a_percent_sign_are_understood(assessment, board) -> None:
    client = client_for(board[0])
    client.post(
        _section(assessment, "SCALE"),
        {"q-SCALE-2": "figure", "n-SCALE-2": "1,200", "v-SCALE-2": "0"},
    )
    assert _answer(board[0], "SCALE-2").value == "1200"


def test_dont_know_and_not_applicable_are_stored_as_such(assessment, board) -> None:
    client = client_for(board[0])
    client.post(
        _section(assessment, "PERF"),
        {"q-PERF-1": "na", "q-PERF-2": "dk", "v-PERF-1": "0", "v-PERF-2": "0"},
    )
    assert _answer(board[0], "PERF-1").value == "na"
    assert _answer(board[0], "PERF-2").value == "dk"


def test_members_never_see_each_others_answers(assessment, board) -> None:
    client_for(board[0]).post(
        _section(assessment, "QUAL"),
        {"q-QUAL-1": "inadequate", "v-QUAL-1": "0", "note-QUAL-1": "secret note"},
    )
    other = client_for(board[1])
    for url in (_section(assessment, "QUAL"), f"/assessments/{assessment.pk}/response/check/"):
        assert "secret note" not in other.get(url).content.decode()
    assert other.get(f"/assessments/{assessment.pk}/consensus/").status_code == 403


def test_autosave_saves_one_answer_and_returns_its_new_version(assessment, board) -> None:
    client = client_for(board[0])
    url = f"/assessments/{assessment.pk}/response/autosave/"
    first = client.post(url, {"question": "QUAL-1", "q-QUAL-1": "good", "v-QUAL-1": "0"})
    assert first.status_code == 200
    assert first.json()["status"] == "saved"
    assert first.json()["version"] == 1
    second = client.post(url, {"question": "QUAL-1", "q-QUAL-1": "outstanding", "v-QUAL-1": "1"})
    assert second.json()["version"] == 2
    assert _answer(board[0], "QUAL-1").value == "outstanding"


def test_autosave_explains_a_bad_figure_and_saves_nothing(assessment, board) -> None:
    response = client_for(board[0]).post(
        f"/assessments/{assessment.pk}/response/autosave/",
        {"question": "FIN-1", "q-FIN-1": "figure", "n-FIN-1": "-99", "v-FIN-1": "0"},
    )
    assert response.status_code == 400
    assert "Enter a figure from -60 to 60" in response.json()["errors"][0]
    assert _answer(board[0], "FIN-1") is None


def test_a_stale_save_from_a_second_tab_is_refused_and_overwrites_nothing(
    assessment, board
) -> None:
    """Two tabs open at version 0; the first saves "good"; the second, still at version 0,
    tries "inadequate" and is refused with both answers, by autosave and by the page."""
    client = client_for(board[0])
    autosave = f"/assessments/{assessment.pk}/response/autosave/"
    tab_one = client.post(autosave, {"question": "QUAL-1", "q-QUAL-1": "good", "v-QUAL-1": "0"})
    assert tab_one.status_code == 200

    tab_two = client.post(
        autosave, {"question": "QUAL-1", "q-QUAL-1": "inadequate", "v-QUAL-1": "0"}
    )
    assert tab_two.status_code == 409
    body = tab_two.json()
    assert body["saved_label"] == "Good"
    assert body["yours_label"] == "Inadequate"
    assert body["version"] == 1
    assert _answer(board[0], "QUAL-1").value == "good"

    page = client.post(
        _section(assessment, "QUAL"),
        {"q-QUAL-1": "inadequate", "v-QUAL-1": "0", "q-QUAL-3": "lower", "v-QUAL-3": "0"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "changed in another window" in html
    assert "Saved answer: Good. Your answer: Inadequate." in html
    assert _answer(board[0], "QUAL-1").value == "good"
    assert _answer(board[0], "QUAL-3") is None  # the page is saved whole or not at all
    # Saving again from that page is a deliberate choice, and now it keeps the member's answer.
    assert 'name="v-QUAL-1" value="1"' in html
    again = client.post(
        _section(assessment, "QUAL"),
        {"q-QUAL-1": "inadequate", "v-QUAL-1": "1", "q-QUAL-3": "lower", "v-QUAL-3": "0"},
    )
    assert again.status_code == 302
    assert _answer(board[0], "QUAL-1").value == "inadequate"


def test_an_answer_typed_just_before_the_session_expires_is_kept_after_signing_in(
    assessment, board
) -> None:
    member = board[0]
    client = Client()
    client.post("/sign-in/", {"username": member.user.email, "password": PASSWORD})
    page = client.get(_section(assessment, "QUAL")).content.decode()
    owner = page.split('name="owner" value="')[1].split('"')[0]

    _expire_sessions()  # the session expires while the member types

    response = client.post(
        _section(assessment, "QUAL"),
        {
            "owner": owner,
            "q-QUAL-1": "requires-improvement",
            "v-QUAL-1": "0",
            "note-QUAL-1": "CQC report, March",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")
    assert _answer(member, "QUAL-1") is None

    signed_in = client.post(
        response["Location"],
        {"username": member.user.email, "password": PASSWORD, "next": _section(assessment, "QUAL")},
    )
    assert signed_in["Location"] == _section(assessment, "QUAL")
    back = client.get(_section(assessment, "QUAL"), follow=True)
    assert "The answers you gave before you were signed out are saved." in back.content.decode()
    saved = _answer(member, "QUAL-1")
    assert (saved.value, saved.note) == ("requires-improvement", "CQC report, March")


def test_kept_answers_are_never_given_to_a_different_person(assessment, board) -> None:
    client = Client()
    client.post("/sign-in/", {"username": board[0].user.email, "password": PASSWORD})
    page = client.get(_section(assessment, "QUAL")).content.decode()
    owner = page.split('name="owner" value="')[1].split('"')[0]
    _expire_sessions()
    client.post(
        _section(assessment, "QUAL"), {"owner": owner, "q-QUAL-1": "inadequate", "v-QUAL-1": "0"}
    )
    client.post("/sign-in/", {"username": board[1].user.email, "password": PASSWORD})
    client.get(_section(assessment, "QUAL"))
    assert not Answer.objects.filter(question__code="QUAL-1").exists()


def test_autosave_after_the_session_expired_answers_401_not_a_redirect(assessment, board) -> None:
    client = client_for(board[0])
    _expire_sessions()
    response = client.post(
        f"/assessments/{assessment.pk}/response/autosave/",
        {"question": "QUAL-1", "q-QUAL-1": "good", "v-QUAL-1": "0"},
    )
    assert response.status_code == 401
    assert "sign in again" in response.json()["message"]


def test_check_answers_complete_and_reopen(assessment, board) -> None:
    client = client_for(board[0])
    complete = f"/assessments/{assessment.pk}/response/complete/"
    refused = client.post(complete, follow=True).content.decode()
    assert "QUAL-1: What is the trust&#x27;s current overall CQC rating?" in refused
    assert Respondent.objects.get(user=board[0].user).completed_at is None

    answer_everything(client, assessment, FRAGILE)
    check = client.get(f"/assessments/{assessment.pk}/response/check/").content.decode()
    assert 'Change<span class="nhsuk-u-visually-hidden"> your answer to QUAL-1' in check
    assert "-0.5% of income" in check
    client.post(complete)
    assert Respondent.objects.get(user=board[0].user).completed_at is not None
    # A completed response is read-only until reopened.
    assert client.get(_section(assessment, "QUAL"))["Location"].endswith("/response/check/")
    client.post(f"/assessments/{assessment.pk}/response/reopen/")
    assert Respondent.objects.get(user=board[0].user).completed_at is None


def test_import_from_csv_saves_every_row_or_none(assessment, board) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(board[0])
    url = f"/assessments/{assessment.pk}/response/import/"
    bad = SimpleUploadedFile(
        "figures.csv",
        b"code,answer,note\nFIN-1,-0.5,M9\nFIN-2,seven,\nFIN-99,1,\nQUAL-1,superb,\nFIN-3,4.5,\n",
        content_type="text/csv",
    )
    html = client.post(url, {"file": bad}).content.decode()
    assert "Nothing was imported" in html
    for code in ("FIN-2", "FIN-99", "QUAL-1"):
        assert f"<li>{code}: " in html
    assert not Answer.objects.filter(respondent__user=board[0].user).exists()

    good = SimpleUploadedFile(
        "figures.csv", b"code,answer,note\nFIN-1,-0.5,M9 forecast\nFIN-2,2,\nFIN-7,no,\n"
    )
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert _answer(board[0], "FIN-1").note == "M9 forecast"
    assert _answer(board[0], "FIN-7").value == "no"


def test_import_from_json_and_a_file_that_is_not_csv_or_json(assessment, board) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(board[0])
    url = f"/assessments/{assessment.pk}/response/import/"
    data = json.dumps({"FIN-1": -0.5, "WORK-3": {"answer": 2, "note": "Rota review"}}).encode()
    client.post(url, {"file": SimpleUploadedFile("answers.json", data)})
    assert _answer(board[0], "WORK-3").value == "2"
    junk = SimpleUploadedFile("answers.csv", b"\xff\xfe\x00garbage")
    html = client.post(url, {"file": junk}).content.decode()
    assert "The file is not text in UTF-8" in html
    duplicate = SimpleUploadedFile("answers.csv", b"code,answer\nFIN-1,1\nFIN-1,2\n")
    assert "FIN-1 appears more than once" in client.post(url, {"file": duplicate}).content.decode()
