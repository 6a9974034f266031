"""A user who has two-factor authentication but has given only their password is refused:
a page asks for the code, while a form's post and a script's request are answered 401
`two-factor-needed` (a redirect would lose what was sent), and nothing is written. Each
refused request is also sent from a verified session, to show that it would have written."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessment.models import (
    AgreedAnswer,
    Answer,
    Assessment,
    Figure,
    Invitation,
    Membership,
    Submission,
)
from assessment.selectors import pinned_for
from assessment.services.figures import FigureChange, figures_save
from tests.assessment.journey import SOURCE
from tests.assessment.state import changed_tables, database_fingerprint
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db

ANSWER = {"question": "QUAL-5", "q-QUAL-5": "3", "v-QUAL-5": "0"}
FIGURE = {"q-FIN-1": "figure", "n-FIN-1": "-0.5", "note-FIN-1": SOURCE, "v-FIN-1": "0"}


def _password_only(membership: Membership) -> Client:
    """Signed in with the password, by a user with a confirmed authenticator app, who has
    not entered a code yet."""
    TOTPDevice.objects.create(user=membership.user, name="Authenticator app", confirmed=True)
    client = Client()
    client.force_login(membership.user)
    return client


def _assert_refused(response, before: dict[str, str]) -> None:
    assert response.status_code == 401, response.status_code
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "two-factor-needed"}
    assert changed_tables(before, database_fingerprint()) == []


def test_an_autosave_before_the_code_is_refused_and_saves_nothing(assessment, board) -> None:
    client = _password_only(board[0])
    url = f"/assessments/{assessment.pk}/response/autosave/"
    before = database_fingerprint()
    _assert_refused(client.post(url, ANSWER, HTTP_ACCEPT="application/json"), before)
    _assert_refused(client.post(url, ANSWER), before)  # a script that does not ask for JSON

    saved = verified_client(board[0].user).post(url, ANSWER, HTTP_ACCEPT="application/json")
    assert saved.status_code == 200
    assert Answer.objects.filter(respondent__user=board[0].user, value="3").count() == 1


def test_a_figures_autosave_before_the_code_is_refused_and_saves_nothing(
    assessment, trust_lead
) -> None:
    client = _password_only(trust_lead)
    url = f"/assessments/{assessment.pk}/figures/autosave/"
    figure = {"question": "FIN-1", **FIGURE}
    before = database_fingerprint()
    _assert_refused(client.post(url, figure, HTTP_ACCEPT="application/json"), before)
    _assert_refused(client.post(url, figure), before)  # a script that does not ask for JSON

    saved = verified_client(trust_lead.user).post(url, figure, HTTP_ACCEPT="application/json")
    assert saved.status_code == 200
    assert Figure.objects.filter(assessment=assessment, value="-0.5").count() == 1


def test_a_section_post_before_the_code_is_refused_and_saves_nothing(assessment, board) -> None:
    client = _password_only(board[0])
    url = f"/assessments/{assessment.pk}/response/QUAL/"
    before = database_fingerprint()
    _assert_refused(client.post(url, ANSWER), before)

    assert verified_client(board[0].user).post(url, ANSWER).status_code == 302
    assert Answer.objects.filter(respondent__user=board[0].user, value="3").count() == 1


@pytest.mark.parametrize(
    ("page", "data", "written"),
    [
        (
            "invite/",
            {"full_name": "Ada Lovelace", "email": "ada@trust.example.nhs.uk"},
            lambda: Invitation.objects.count(),
        ),
        (
            "consensus/QUAL-5/",
            {"q-QUAL-5": "3", "r-QUAL-5": "The latest rota review.", "v-QUAL-5": "0"},
            lambda: AgreedAnswer.objects.count(),
        ),
        ("figures/FIN/", FIGURE, lambda: Figure.objects.count()),
        (
            "submit/",
            {"confirm": "on", "reason-members": "Agreed at the meeting.", "reason-coverage": "x"},
            lambda: Submission.objects.count(),
        ),
    ],
    ids=["invite", "agree", "figures", "submit"],
)
def test_a_lead_post_before_the_code_is_refused_and_writes_nothing(
    assessment, trust_lead, board, page: str, data: dict[str, str], written
) -> None:
    verified_client(board[0].user).post(
        f"/assessments/{assessment.pk}/response/autosave/", ANSWER
    )  # an answer, so that there is something to agree and submit
    if page == "submit/":  # and a figure, without which nothing can be submitted
        figures_save(
            assessment=assessment,
            user=trust_lead.user,
            pinned=pinned_for(assessment),
            changes=[FigureChange("FIN-1", "-1", "Annual accounts 2024/25", 0)],
        )
    client = _password_only(trust_lead)
    url = f"/assessments/{assessment.pk}/{page}"
    before = database_fingerprint()
    _assert_refused(client.post(url, data), before)
    assert written() == 0

    lead = verified_client(trust_lead.user)
    assert lead.post(url, data).status_code == 302
    assert written() > 0


def test_a_new_assessment_before_the_code_is_refused(trust, trust_lead) -> None:
    client = _password_only(trust_lead)
    before = database_fingerprint()
    data = {"title": "Started without a code", "reporting_period": "2026 to 2027"}
    _assert_refused(client.post(f"/trusts/{trust.pk}/assessments/new/", data), before)
    assert not Assessment.objects.filter(title="Started without a code").exists()


@pytest.mark.parametrize(
    "page",
    [
        "response/",
        "response/QUAL/",
        "response/check/",
        "figures/",
        "results/",
        "exports/answers.csv",
    ],
)
def test_a_script_asking_for_json_before_the_code_gets_401(assessment, board, page: str) -> None:
    client = _password_only(board[0])
    before = database_fingerprint()
    url = f"/assessments/{assessment.pk}/{page}"
    _assert_refused(client.get(url, HTTP_ACCEPT="application/json"), before)


def test_a_page_before_the_code_is_sent_to_enter_it(assessment, board) -> None:
    """The contrast: a browser asking for a page is sent to enter the code, not given 401."""
    client = _password_only(board[0])
    response = client.get(f"/assessments/{assessment.pk}/response/?from=email")
    assert response.status_code == 302
    assert response["Location"] == (
        f"/account/two-factor/verify/?next=/assessments/{assessment.pk}/response/%3Ffrom%3Demail"
    )


def test_the_password_alone_cannot_enrol_a_new_authenticator(board) -> None:
    """Replacing the authenticator app needs the code from the current one first; otherwise
    whoever knows the password could put their own app in place of the owner's."""
    client = _password_only(board[0])
    owners = set(TOTPDevice.objects.filter(user=board[0].user).values_list("pk", flat=True))
    before = database_fingerprint()
    response = client.get("/account/two-factor/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/verify/?next=")
    posted = client.post("/account/two-factor/", {"code": "123456"})
    assert posted.status_code in (302, 401)
    assert changed_tables(before, database_fingerprint()) == []
    assert set(TOTPDevice.objects.filter(user=board[0].user).values_list("pk", flat=True)) == owners
