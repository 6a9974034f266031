"""What is posted to a section page, or to a figures page, after the session has ended is
kept for the member who had the page open, and for nobody else: an anonymous visitor cannot
fill the session table."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.db.models import Sum
from django.db.models.functions import Length
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessment.models import Answer, Assessment, Figure
from assessment.services.figures import figure_holder_name
from assessment.views.kept import OWNER_SALT
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
MEGABYTE = 1024 * 1024


def _section(assessment: Assessment, code: str) -> str:
    return f"/assessments/{assessment.pk}/response/{code}/"


def _figures(assessment: Assessment, code: str) -> str:
    return f"/assessments/{assessment.pk}/figures/{code}/"


def _session_bytes() -> int:
    return Session.objects.aggregate(size=Sum(Length("session_data")))["size"] or 0


def _owner_from_page(client: Client, path: str) -> str:
    page = client.get(path).content.decode()
    return page.split('name="owner" value="')[1].split('"')[0]


def _megabyte_of_answers(owner: str) -> dict[str, str]:
    fields = {f"note-QUAL-{n}": "x" * 4000 for n in range(1, 263)}  # about 1 MB
    return {"owner": owner, "q-QUAL-5": "3", "v-QUAL-5": "0", **fields}


@pytest.mark.parametrize(
    "owner",
    [
        "",
        "1",
        signing.dumps(1, salt="another-salt"),
        # A token of the old shape (a bare user id) is no longer honoured.
        signing.dumps(1, salt=OWNER_SALT),
    ],
    ids=["no-token", "a-bare-id", "signed-for-something-else", "old-shape-token"],
)
def test_five_anonymous_megabyte_posts_leave_the_session_table_almost_empty(
    assessment, owner: str
) -> None:
    before = _session_bytes()
    visitor = Client()
    paths = (
        _section(assessment, "QUAL"),
        _figures(assessment, "FIN"),
        _figures(assessment, "PERF"),
        _section(assessment, "WORK"),
        _section(assessment, "QUAL"),
    )
    for path in paths:
        response = visitor.post(path, _megabyte_of_answers(owner))
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")
    assert _session_bytes() - before < 64 * 1024
    assert not Answer.objects.exists()
    assert not Figure.objects.exists()


def test_a_members_token_for_one_page_keeps_nothing_on_another(assessment, board) -> None:
    client = Client()
    client.post("/sign-in/", {"username": board[0].user.email, "password": PASSWORD})
    owner = _owner_from_page(client, _section(assessment, "QUAL"))
    Session.objects.all().delete()  # the session ends

    client.post(_section(assessment, "WORK"), {"owner": owner, "note-WORK-3": "kept?"})
    client.post(_figures(assessment, "QUAL"), {"owner": owner, "note-QUAL-1": "kept?"})
    assert not Session.objects.exists()


def test_a_members_token_keeps_no_more_than_a_section_page_can_hold(assessment, board) -> None:
    client = Client()
    client.post("/sign-in/", {"username": board[0].user.email, "password": PASSWORD})
    path = _section(assessment, "QUAL")
    owner = _owner_from_page(client, path)
    Session.objects.all().delete()

    client.post(path, _megabyte_of_answers(owner))
    assert _session_bytes() < 64 * 1024

    client.post("/sign-in/", {"username": board[0].user.email, "password": PASSWORD})
    client.get(path)
    assert not Answer.objects.exists()


def test_a_token_older_than_a_sessions_life_keeps_nothing(assessment, board, settings) -> None:
    client = Client()
    client.post("/sign-in/", {"username": board[0].user.email, "password": PASSWORD})
    path = _section(assessment, "QUAL")
    owner = _owner_from_page(client, path)
    Session.objects.all().delete()
    settings.SESSION_ABSOLUTE_SECONDS = -1  # every token is now older than a session's life

    client.post(path, {"owner": owner, "q-QUAL-5": "3", "v-QUAL-5": "0"})
    assert not Session.objects.exists()


def test_the_page_kept_last_replaces_any_kept_before(assessment, board) -> None:
    client = Client()
    client.post("/sign-in/", {"username": board[0].user.email, "password": PASSWORD})
    qual, work = _section(assessment, "QUAL"), _section(assessment, "WORK")
    owners = {path: _owner_from_page(client, path) for path in (qual, work)}
    Session.objects.all().delete()

    client.post(qual, {"owner": owners[qual], "q-QUAL-5": "3", "v-QUAL-5": "0"})
    client.post(work, {"owner": owners[work], "note-WORK-3": "From the rota review"})
    pending = client.session["pending_answers"]
    assert list(pending) == [work]


def test_a_figures_page_kept_last_replaces_an_answers_page_kept_before(
    assessment, board, trust_lead
) -> None:
    """The member the lead named for finance answers their own questions and enters the
    finance figures; what is kept is one page, whichever kind it is."""
    figure_holder_name(
        assessment=assessment, section="FIN", user_id=board[0].user_id, named_by=trust_lead.user
    )
    client = Client()
    client.post("/sign-in/", {"username": board[0].user.email, "password": PASSWORD})
    qual, fin = _section(assessment, "QUAL"), _figures(assessment, "FIN")
    owners = {path: _owner_from_page(client, path) for path in (qual, fin)}
    Session.objects.all().delete()

    client.post(qual, {"owner": owners[qual], "q-QUAL-5": "3", "v-QUAL-5": "0"})
    figure = {"q-FIN-1": "figure", "n-FIN-1": "-0.5", "note-FIN-1": "Month 9", "v-FIN-1": "0"}
    client.post(fin, {"owner": owners[fin], **figure})
    pending = client.session["pending_answers"]
    assert list(pending) == [fin]

    client.post("/sign-in/", {"username": board[0].user.email, "password": PASSWORD})
    client.get(fin)
    client.get(qual)
    saved = Figure.objects.get(assessment=assessment, question__code="FIN-1")
    assert (saved.value, saved.source, saved.updated_by) == ("-0.5", "Month 9", board[0].user)
    assert not Answer.objects.exists()


def test_kept_figures_are_never_given_to_a_different_person(assessment, board, trust_lead) -> None:
    """Figures kept for the member named for finance are not saved when the lead signs in
    on the same browser and opens that page."""
    figure_holder_name(
        assessment=assessment, section="FIN", user_id=board[0].user_id, named_by=trust_lead.user
    )
    device = TOTPDevice.objects.create(user=trust_lead.user, name="Authenticator app")
    client = Client()
    client.post("/sign-in/", {"username": board[0].user.email, "password": PASSWORD})
    fin = _figures(assessment, "FIN")
    owner = _owner_from_page(client, fin)
    Session.objects.all().delete()
    figure = {"q-FIN-1": "figure", "n-FIN-1": "-0.5", "note-FIN-1": "Month 9", "v-FIN-1": "0"}
    client.post(fin, {"owner": owner, **figure})
    assert list(client.session["pending_answers"]) == [fin]

    client.post("/sign-in/", {"username": trust_lead.user.email, "password": PASSWORD})
    client.post("/account/two-factor/verify/", {"code": f"{totp(device.bin_key):06d}"})
    assert client.get(fin).status_code == 200  # the lead may enter finance figures too
    assert not Figure.objects.exists()
