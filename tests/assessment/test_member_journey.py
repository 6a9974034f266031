"""A board member answers the matters of judgement privately and never loses an answer; the
trust's figures, entered once by the lead with their sources, are never lost either."""

from __future__ import annotations

import json

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessment.models import Answer, Assessment, Figure, Membership, Respondent
from assessment.selectors import pinned_for
from tests.assessment.conftest import client_for
from tests.assessment.journey import SOURCE, answer_everything, section_data
from tests.assessment.state import changed_tables, database_fingerprint
from tests.factories import PASSWORD
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
FRAGILE = load_persona(persona_paths()[1])["answers"]


def _expire_sessions() -> None:
    """Every session ends, as at its expiry."""
    Session.objects.all().delete()


def _section(assessment: Assessment, code: str) -> str:
    return f"/assessments/{assessment.pk}/response/{code}/"


def _figures(assessment: Assessment, code: str) -> str:
    """The page on which the lead enters one section's figures."""
    return f"/assessments/{assessment.pk}/figures/{code}/"


def _figures_autosave(assessment: Assessment) -> str:
    return f"/assessments/{assessment.pk}/figures/autosave/"


def _answer(member: Membership, code: str) -> Answer | None:
    return Answer.objects.filter(respondent__user=member.user, question__code=code).first()


def _figure(assessment: Assessment, code: str) -> Figure | None:
    return Figure.objects.filter(assessment=assessment, question__code=code).first()


def test_task_list_shows_every_judgement_section_with_its_status(assessment, board) -> None:
    client = client_for(board[0])
    assert (
        client.post(_section(assessment, "QUAL"), {"q-QUAL-5": "3", "v-QUAL-5": "0"}).status_code
        == 302
    )
    assert (
        client.post(_section(assessment, "LEAD"), {"q-LEAD-3": "2", "v-LEAD-3": "0"}).status_code
        == 302
    )
    html = client.get(f"/assessments/{assessment.pk}/response/").content.decode()
    # Six sections hold judgements; finance and performance hold only the trust's figures.
    assert html.count('<li class="nhsuk-task-list__item') == 6
    assert "Section 1 of 6: 1 of 1 answered" in html
    assert "Section 3 of 6: 1 of 3 answered" in html
    assert "Completed" in html
    assert "In progress" in html
    assert "You have answered 2 of 16 questions." in html
    assert f'href="{_section(assessment, "FIN")}"' not in html
    assert "The trust's 26 figures are entered once for the trust" in html
    assert f'href="/assessments/{assessment.pk}/figures/"' in html


def test_a_members_section_page_shows_progress_dont_know_and_the_trusts_figures(
    assessment, board, trust_lead
) -> None:
    client_for(trust_lead).post(
        _figures(assessment, "WORK"),
        {"q-WORK-1": "figure", "n-WORK-1": "9.5", "note-WORK-1": SOURCE, "v-WORK-1": "0"},
    )
    html = client_for(board[0]).get(_section(assessment, "WORK")).content.decode()
    assert "Section 2 of 6" in html
    assert "I don&#x27;t know" in html
    assert "Add an evidence note" in html
    assert 'name="q-WORK-3"' in html
    # The section's figures are shown as the lead entered them, with their source, to read
    # and query, not to answer.
    assert 'id="figure-WORK-1"' in html
    assert "9.5%" in html
    assert f"Source: {SOURCE}" in html
    assert 'name="q-WORK-1"' not in html


def test_the_figures_page_shows_guidance_units_dont_know_and_a_source(
    assessment, trust_lead
) -> None:
    lead = client_for(trust_lead)
    html = lead.get(_figures(assessment, "FIN")).content.decode()
    assert "Where to find the evidence" in html
    assert 'class="nhsuk-input-wrapper__suffix" aria-hidden="true">% of income</div>' in html
    assert "I don&#x27;t know" in html
    assert 'name="note-FIN-1"' in html
    assert ">Source</label>" in html
    # FIN-1 applies to every trust; PERF-1 (A&E) may be not applicable.
    assert 'name="q-FIN-1" type="radio" value="na"' not in html
    perf = lead.get(_figures(assessment, "PERF")).content.decode()
    assert 'name="q-PERF-1" type="radio" value="na"' in perf


@pytest.mark.parametrize("code", ["FIN", "PERF"])
def test_a_member_has_no_page_for_a_section_of_figures_only(assessment, board, code) -> None:
    client = client_for(board[0])
    before = database_fingerprint()
    assert client.get(_section(assessment, code)).status_code == 404
    data = {f"q-{code}-1": "figure", f"n-{code}-1": "1", f"v-{code}-1": "0"}
    assert client.post(_section(assessment, code), data).status_code == 404
    assert changed_tables(before, database_fingerprint()) == []


def test_save_and_continue_saves_the_page_and_moves_on(assessment, board) -> None:
    pinned = pinned_for(assessment)
    client = client_for(board[0])
    data = section_data(pinned.judgements_by_section["QUAL"], FRAGILE)
    data["note-QUAL-5"] = "Seven-day services audit, March"
    response = client.post(_section(assessment, "QUAL"), data)
    assert response["Location"] == _section(assessment, "WORK")
    saved = _answer(board[0], "QUAL-5")
    assert (saved.value, saved.note, saved.version) == ("2", "Seven-day services audit, March", 1)
    assert Respondent.objects.get(user=board[0].user).started_at is not None


def test_saving_the_figures_page_saves_each_figure_with_its_source(assessment, trust_lead) -> None:
    pinned = pinned_for(assessment)
    lead = client_for(trust_lead)
    data = section_data(pinned.figures_by_section["FIN"], FRAGILE, source=SOURCE)
    data["note-FIN-1"] = "Month 9 forecast, finance committee"
    response = lead.post(_figures(assessment, "FIN"), data)
    assert response["Location"] == f"/assessments/{assessment.pk}/figures/"
    saved = _figure(assessment, "FIN-1")
    assert (saved.value, saved.source, saved.version, saved.updated_by) == (
        "-0.5",
        "Month 9 forecast, finance committee",
        1,
        trust_lead.user,
    )
    assert _figure(assessment, "FIN-7").source == SOURCE
    assert not Answer.objects.exists()  # the figures are the trust's, not anyone's answers


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"q-FIN-1": "figure", "n-FIN-1": "", "note-FIN-1": SOURCE},
            "Enter a figure, or choose “I don&#x27;t know”",
        ),
        (
            {"q-FIN-1": "figure", "n-FIN-1": "lots", "note-FIN-1": SOURCE},
            "Enter the figure as a number, like 2.5 (% of income)",
        ),
        (
            {"q-FIN-1": "figure", "n-FIN-1": "75", "note-FIN-1": SOURCE},
            "Enter a figure from -60 to 60 (% of income)",
        ),
        ({"q-FIN-7": "maybe", "note-FIN-7": SOURCE}, "Select a valid choice"),
        (
            {"q-FIN-1": "figure", "n-FIN-1": "-0.5", "note-FIN-1": ""},
            "Give the source of the figure: the report or dataset, and the period it covers",
        ),
    ],
)
def test_bad_figures_are_explained_and_nothing_on_the_page_is_saved(
    assessment, trust_lead, data: dict[str, str], message: str
) -> None:
    data = {
        **data,
        "q-FIN-2": "figure",
        "n-FIN-2": "1",
        "note-FIN-2": "Annual accounts, three years",
        "v-FIN-1": "0",
        "v-FIN-2": "0",
        "v-FIN-7": "0",
    }
    response = client_for(trust_lead).post(_figures(assessment, "FIN"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Trust figures: Financial sustainability" in html
    assert "There is a problem" in html
    assert message in html
    assert 'value="1"' in html  # what was typed is shown again
    assert 'value="Annual accounts, three years"' in html  # and its source
    assert not Figure.objects.filter(assessment=assessment).exists()


def test_a_bad_answer_is_explained_and_nothing_on_the_page_is_saved(assessment, board) -> None:
    response = client_for(board[0]).post(
        _section(assessment, "SYS"),
        {"q-SYS-1": "perhaps", "q-SYS-2": "3", "v-SYS-1": "0", "v-SYS-2": "0"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Local health system and partners" in html
    assert "There is a problem" in html
    assert "Select a valid choice" in html
    assert 'name="q-SYS-2" type="radio" value="3" checked' in html  # what was chosen is kept
    assert not Answer.objects.filter(respondent__user=board[0].user).exists()


def test_figures_with_commas_spaces_or_a_percent_sign_are_understood(
    assessment, trust_lead
) -> None:
    response = client_for(trust_lead).post(
        _figures(assessment, "SCALE"),
        {"q-SCALE-2": "figure", "n-SCALE-2": "1,200", "note-SCALE-2": SOURCE, "v-SCALE-2": "0"},
    )
    assert response.status_code == 302
    assert _figure(assessment, "SCALE-2").value == "1200"


def test_dont_know_and_not_applicable_are_stored_as_such(assessment, board, trust_lead) -> None:
    # A figure that is not known, or does not apply, needs no source.
    figures = client_for(trust_lead).post(
        _figures(assessment, "PERF"),
        {"q-PERF-1": "na", "q-PERF-2": "dk", "v-PERF-1": "0", "v-PERF-2": "0"},
    )
    assert figures.status_code == 302
    assert (_figure(assessment, "PERF-1").value, _figure(assessment, "PERF-1").source) == (
        "na",
        "",
    )
    assert _figure(assessment, "PERF-2").value == "dk"
    answers = client_for(board[0]).post(
        _section(assessment, "SYS"), {"q-SYS-1": "dk", "v-SYS-1": "0"}
    )
    assert answers.status_code == 302
    assert _answer(board[0], "SYS-1").value == "dk"


def test_members_never_see_each_others_answers(assessment, board) -> None:
    posted = client_for(board[0]).post(
        _section(assessment, "QUAL"),
        {"q-QUAL-5": "1", "v-QUAL-5": "0", "note-QUAL-5": "secret note"},
    )
    assert posted.status_code == 302
    assert _answer(board[0], "QUAL-5").note == "secret note"
    other = client_for(board[1])
    for url in (_section(assessment, "QUAL"), f"/assessments/{assessment.pk}/response/check/"):
        assert "secret note" not in other.get(url).content.decode()
    assert other.get(f"/assessments/{assessment.pk}/consensus/").status_code == 403


def test_autosave_saves_one_answer_and_returns_its_new_version(assessment, board) -> None:
    client = client_for(board[0])
    url = f"/assessments/{assessment.pk}/response/autosave/"
    first = client.post(url, {"question": "QUAL-5", "q-QUAL-5": "3", "v-QUAL-5": "0"})
    assert first.status_code == 200
    assert first.json()["status"] == "saved"
    assert first.json()["version"] == 1
    second = client.post(url, {"question": "QUAL-5", "q-QUAL-5": "4", "v-QUAL-5": "1"})
    assert second.json()["version"] == 2
    assert _answer(board[0], "QUAL-5").value == "4"


def test_the_figures_autosave_saves_one_figure_and_returns_its_new_version(
    assessment, trust_lead
) -> None:
    lead = client_for(trust_lead)
    url = _figures_autosave(assessment)
    figure = {"question": "QUAL-1", "note-QUAL-1": SOURCE}
    first = lead.post(url, {**figure, "q-QUAL-1": "good", "v-QUAL-1": "0"})
    assert first.status_code == 200
    assert first.json()["status"] == "saved"
    assert first.json()["version"] == 1
    second = lead.post(url, {**figure, "q-QUAL-1": "outstanding", "v-QUAL-1": "1"})
    assert second.json()["version"] == 2
    saved = _figure(assessment, "QUAL-1")
    assert (saved.value, saved.source) == ("outstanding", SOURCE)


@pytest.mark.parametrize(
    "data",
    [
        {"question": "FIN-1", "q-FIN-1": "figure", "n-FIN-1": "-0.5", "v-FIN-1": "0"},
        {"question": "QUAL-1", "q-QUAL-1": "good", "note-QUAL-1": SOURCE, "v-QUAL-1": "0"},
    ],
    ids=["FIN-1", "QUAL-1"],
)
def test_a_members_autosave_of_a_figure_is_refused_and_saves_nothing(
    assessment, board, data: dict[str, str]
) -> None:
    client = client_for(board[0])
    before = database_fingerprint()
    response = client.post(
        f"/assessments/{assessment.pk}/response/autosave/", data, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    code = data["question"]
    assert response.json() == {
        "status": "invalid",
        "errors": [f"{code} is one of the trust's figures: query it if it is wrong."],
    }
    assert changed_tables(before, database_fingerprint()) == []


def test_a_members_section_post_of_a_figure_is_refused_and_saves_nothing(assessment, board) -> None:
    """A figure posted with a page of answers (from a page opened before figures were the
    lead's to enter, say) is refused with the reason, and nothing on the page is saved."""
    client = client_for(board[0])
    before = database_fingerprint()
    response = client.post(
        _section(assessment, "QUAL"),
        {"q-QUAL-1": "good", "v-QUAL-1": "0", "q-QUAL-5": "3", "v-QUAL-5": "0"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "QUAL-1 is one of the trust&#x27;s figures" in html
    assert changed_tables(before, database_fingerprint()) == []


@pytest.mark.parametrize(
    ("typed", "source", "message"),
    [
        ("-99", SOURCE, "Enter a figure from -60 to 60"),
        ("-0.5", "", "Give the source of the figure"),
    ],
)
def test_the_figures_autosave_explains_a_bad_figure_and_saves_nothing(
    assessment, trust_lead, typed: str, source: str, message: str
) -> None:
    response = client_for(trust_lead).post(
        _figures_autosave(assessment),
        {
            "question": "FIN-1",
            "q-FIN-1": "figure",
            "n-FIN-1": typed,
            "note-FIN-1": source,
            "v-FIN-1": "0",
        },
    )
    assert response.status_code == 400
    assert message in response.json()["errors"][0]
    assert _figure(assessment, "FIN-1") is None


def test_a_stale_save_from_a_second_tab_is_refused_and_overwrites_nothing(
    assessment, board
) -> None:
    """Two tabs open at version 0; the first saves one answer; the second, still at
    version 0, tries another and is refused with both answers, by autosave and by the page."""
    client = client_for(board[0])
    autosave = f"/assessments/{assessment.pk}/response/autosave/"
    tab_one = client.post(autosave, {"question": "SYS-1", "q-SYS-1": "yes", "v-SYS-1": "0"})
    assert tab_one.status_code == 200

    tab_two = client.post(autosave, {"question": "SYS-1", "q-SYS-1": "maybe", "v-SYS-1": "0"})
    assert tab_two.status_code == 409
    body = tab_two.json()
    assert body["saved_label"] == "Yes, and it has shown willingness"
    assert body["yours_label"] == "Yes, but its willingness is untested"
    assert body["version"] == 1
    assert _answer(board[0], "SYS-1").value == "yes"

    page = client.post(
        _section(assessment, "SYS"),
        {"q-SYS-1": "maybe", "v-SYS-1": "0", "q-SYS-3": "partly", "v-SYS-3": "0"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "changed in another window" in html
    assert (
        "Saved answer: Yes, and it has shown willingness. "
        "Your answer: Yes, but its willingness is untested."
    ) in html
    assert _answer(board[0], "SYS-1").value == "yes"
    assert _answer(board[0], "SYS-3") is None  # the page is saved whole or not at all
    # Saving again from that page is a deliberate choice, and now it keeps the member's answer.
    assert 'name="v-SYS-1" value="1"' in html
    again = client.post(
        _section(assessment, "SYS"),
        {"q-SYS-1": "maybe", "v-SYS-1": "1", "q-SYS-3": "partly", "v-SYS-3": "0"},
    )
    assert again.status_code == 302
    assert _answer(board[0], "SYS-1").value == "maybe"


def test_a_stale_figure_from_a_second_tab_is_refused_and_overwrites_nothing(
    assessment, trust_lead
) -> None:
    """The same for the trust's figures: the lead's second tab, still at version 0, is
    refused with both figures, by the figures autosave and by the figures page."""
    lead = client_for(trust_lead)
    autosave = _figures_autosave(assessment)
    figure = {"question": "QUAL-1", "note-QUAL-1": SOURCE, "v-QUAL-1": "0"}
    tab_one = lead.post(autosave, {**figure, "q-QUAL-1": "good"})
    assert tab_one.status_code == 200

    tab_two = lead.post(autosave, {**figure, "q-QUAL-1": "inadequate"})
    assert tab_two.status_code == 409
    body = tab_two.json()
    assert body["saved_label"] == "Good"
    assert body["yours_label"] == "Inadequate"
    assert body["version"] == 1
    assert _figure(assessment, "QUAL-1").value == "good"

    stale = {
        "q-QUAL-1": "inadequate",
        "note-QUAL-1": SOURCE,
        "v-QUAL-1": "0",
        "q-QUAL-3": "lower",
        "note-QUAL-3": SOURCE,
        "v-QUAL-3": "0",
    }
    page = lead.post(_figures(assessment, "QUAL"), stale)
    html = page.content.decode()
    assert page.status_code == 200
    assert "changed in another window" in html
    assert f"Saved figure: Good, source: {SOURCE}. Yours: Inadequate." in html
    assert _figure(assessment, "QUAL-1").value == "good"
    assert _figure(assessment, "QUAL-3") is None  # the page is saved whole or not at all
    # Saving again from that page is a deliberate choice, and now it keeps the lead's figure.
    assert 'name="v-QUAL-1" value="1"' in html
    again = lead.post(_figures(assessment, "QUAL"), {**stale, "v-QUAL-1": "1"})
    assert again.status_code == 302
    assert (_figure(assessment, "QUAL-1").value, _figure(assessment, "QUAL-1").version) == (
        "inadequate",
        2,
    )


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
        {"owner": owner, "q-QUAL-5": "2", "v-QUAL-5": "0", "note-QUAL-5": "Rota review, March"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")
    assert _answer(member, "QUAL-5") is None

    signed_in = client.post(
        response["Location"],
        {"username": member.user.email, "password": PASSWORD, "next": _section(assessment, "QUAL")},
    )
    assert signed_in["Location"] == _section(assessment, "QUAL")
    back = client.get(_section(assessment, "QUAL"), follow=True)
    assert "The answers you gave before you were signed out are saved." in back.content.decode()
    saved = _answer(member, "QUAL-5")
    assert (saved.value, saved.note) == ("2", "Rota review, March")


def test_figures_typed_just_before_the_session_expires_are_kept_after_signing_in(
    assessment, trust_lead
) -> None:
    """The figures page keeps what the lead typed as the answer pages do; the lead signs in
    again with their password and a code from their authenticator app."""
    url = _figures(assessment, "FIN")
    client = client_for(trust_lead)
    device = TOTPDevice.objects.get(user=trust_lead.user)
    page = client.get(url).content.decode()
    owner = page.split('name="owner" value="')[1].split('"')[0]

    _expire_sessions()  # the session expires while the lead types

    response = client.post(
        url,
        {
            "owner": owner,
            "q-FIN-1": "figure",
            "n-FIN-1": "-0.5",
            "note-FIN-1": "Month 9 forecast",
            "v-FIN-1": "0",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")
    assert _figure(assessment, "FIN-1") is None

    signed_in = client.post(
        response["Location"],
        {"username": trust_lead.user.email, "password": PASSWORD, "next": url},
    )
    assert signed_in.status_code == 302
    verify = client.get(url)
    assert verify["Location"].startswith("/account/two-factor/verify/?next=")
    assert _figure(assessment, "FIN-1") is None  # not before the second factor
    verified = client.post(
        "/account/two-factor/verify/", {"code": f"{totp(device.bin_key):06d}", "next": url}
    )
    assert verified["Location"] == url
    back = client.get(url, follow=True)
    assert "The figures you gave before you were signed out are saved." in back.content.decode()
    saved = _figure(assessment, "FIN-1")
    assert (saved.value, saved.source, saved.updated_by) == (
        "-0.5",
        "Month 9 forecast",
        trust_lead.user,
    )


def test_kept_answers_are_never_given_to_a_different_person(assessment, board) -> None:
    client = Client()
    client.post("/sign-in/", {"username": board[0].user.email, "password": PASSWORD})
    page = client.get(_section(assessment, "QUAL")).content.decode()
    owner = page.split('name="owner" value="')[1].split('"')[0]
    _expire_sessions()
    client.post(_section(assessment, "QUAL"), {"owner": owner, "q-QUAL-5": "1", "v-QUAL-5": "0"})
    client.post("/sign-in/", {"username": board[1].user.email, "password": PASSWORD})
    client.get(_section(assessment, "QUAL"))
    assert not Answer.objects.filter(question__code="QUAL-5").exists()


def test_autosave_after_the_session_expired_answers_401_not_a_redirect(
    assessment, board, trust_lead
) -> None:
    member, lead = client_for(board[0]), client_for(trust_lead)
    _expire_sessions()
    response = member.post(
        f"/assessments/{assessment.pk}/response/autosave/",
        {"question": "QUAL-5", "q-QUAL-5": "3", "v-QUAL-5": "0"},
    )
    assert response.status_code == 401
    assert "sign in again" in response.json()["message"]
    figure = lead.post(
        _figures_autosave(assessment),
        {"question": "QUAL-1", "q-QUAL-1": "good", "note-QUAL-1": SOURCE, "v-QUAL-1": "0"},
    )
    assert figure.status_code == 401
    assert "sign in again" in figure.json()["message"]
    assert not Answer.objects.exists()
    assert not Figure.objects.exists()


def test_check_answers_complete_and_reopen(assessment, board) -> None:
    client = client_for(board[0])
    complete = f"/assessments/{assessment.pk}/response/complete/"
    refused = client.post(complete, follow=True).content.decode()
    assert "QUAL-5: Can the trust meet national clinical standards" in refused
    # Ten of the sixteen judgements are listed, then a count; no figure is asked for.
    assert "and 6 more questions." in refused
    assert "QUAL-1:" not in refused
    assert Respondent.objects.get(user=board[0].user).completed_at is None

    answer_everything(client, assessment, FRAGILE)
    check = client.get(f"/assessments/{assessment.pk}/response/check/").content.decode()
    assert 'Change<span class="nhsuk-u-visually-hidden"> your answer to QUAL-5' in check
    assert "Level 2: Some standards are missed regularly" in check
    assert "your answer to QUAL-1" not in check
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
        "answers.csv",
        b"code,answer,note\nQUAL-5,3,Audit\nWORK-3,seven,\nFIN-99,1,\nSYS-1,superb,\nLEAD-3,2,\n",
        content_type="text/csv",
    )
    html = client.post(url, {"file": bad}).content.decode()
    assert "Nothing was imported" in html
    for code in ("WORK-3", "FIN-99", "SYS-1"):
        assert f"<li>{code}: " in html
    assert not Answer.objects.filter(respondent__user=board[0].user).exists()

    good = SimpleUploadedFile(
        "answers.csv",
        b"code,answer,note\nQUAL-5,3,Seven-day audit\nWORK-3,2,\nSYS-7,no,\n"
        b"FIN-1,-0.5,M9 forecast\nFIN-2,2,\n",
    )
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert _answer(board[0], "QUAL-5").note == "Seven-day audit"
    assert _answer(board[0], "SYS-7").value == "no"
    # The rows for the trust's figures are left out, and the member is told so.
    assert _answer(board[0], "FIN-1") is None
    assert not Figure.objects.exists()
    tasks = client.get(response["Location"]).content.decode()
    assert "Imported 3 answers." in tasks
    assert "2 rows of the file were the trust&#x27;s figures, so they were not imported" in tasks


def test_import_from_json_and_a_file_that_is_not_csv_or_json(assessment, board) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(board[0])
    url = f"/assessments/{assessment.pk}/response/import/"
    data = json.dumps({"FIN-1": -0.5, "WORK-3": {"answer": 2, "note": "Rota review"}}).encode()
    client.post(url, {"file": SimpleUploadedFile("answers.json", data)})
    assert _answer(board[0], "WORK-3").value == "2"
    assert _answer(board[0], "FIN-1") is None  # a figure: not the member's to import
    junk = SimpleUploadedFile("answers.csv", b"\xff\xfe\x00garbage")
    html = client.post(url, {"file": junk}).content.decode()
    assert "The file is not text in UTF-8" in html
    duplicate = SimpleUploadedFile("answers.csv", b"code,answer\nFIN-1,1\nFIN-1,2\n")
    assert "FIN-1 appears more than once" in client.post(url, {"file": duplicate}).content.decode()
