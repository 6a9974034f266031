"""What is posted to a section page after the session has ended is kept for the member who
had the page open, and for nobody else: an anonymous visitor cannot fill the session table."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.db.models import Sum
from django.db.models.functions import Length
from django.test import Client

from assessment.models import Answer, Assessment
from assessment.views.member import OWNER_SALT
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
MEGABYTE = 1024 * 1024


def _section(assessment: Assessment, code: str) -> str:
    return f"/assessments/{assessment.pk}/response/{code}/"


def _session_bytes() -> int:
    return Session.objects.aggregate(size=Sum(Length("session_data")))["size"] or 0


def _owner_from_page(client: Client, path: str) -> str:
    page = client.get(path).content.decode()
    return page.split('name="owner" value="')[1].split('"')[0]


def _megabyte_of_answers(owner: str) -> dict[str, str]:
    fields = {f"note-QUAL-{n}": "x" * 4000 for n in range(1, 263)}  # about 1 MB
    return {"owner": owner, "q-QUAL-1": "good", "v-QUAL-1": "0", **fields}


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
    for code in ("QUAL", "FIN", "PERF", "WORK", "QUAL"):
        response = visitor.post(_section(assessment, code), _megabyte_of_answers(owner))
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")
    assert _session_bytes() - before < 64 * 1024
    assert not Answer.objects.exists()


def test_a_members_token_for_one_page_keeps_nothing_on_another(assessment, board) -> None:
    client = Client()
    client.post("/sign-in/", {"username": board[0].user.email, "password": PASSWORD})
    owner = _owner_from_page(client, _section(assessment, "QUAL"))
    Session.objects.all().delete()  # the session ends

    client.post(_section(assessment, "FIN"), {"owner": owner, "note-FIN-1": "kept?"})
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

    client.post(path, {"owner": owner, "q-QUAL-1": "good", "v-QUAL-1": "0"})
    assert not Session.objects.exists()


def test_the_page_kept_last_replaces_any_kept_before(assessment, board) -> None:
    client = Client()
    client.post("/sign-in/", {"username": board[0].user.email, "password": PASSWORD})
    qual, fin = _section(assessment, "QUAL"), _section(assessment, "FIN")
    owners = {path: _owner_from_page(client, path) for path in (qual, fin)}
    Session.objects.all().delete()

    client.post(qual, {"owner": owners[qual], "q-QUAL-1": "good", "v-QUAL-1": "0"})
    client.post(fin, {"owner": owners[fin], "note-FIN-1": "From the annual accounts"})
    pending = client.session["pending_answers"]
    assert list(pending) == [fin]
