"""Lockout, two-factor authentication, session limits, headers and the database-down page."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessment.middleware import LAST_SEEN
from assessment.models import Answer, Membership
from assessment.security import SIGNED_IN_AT
from tests.assessment.conftest import client_for
from tests.assessment.journey import SOURCE
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_otp_throttling(settings) -> None:
    # django-otp slows down guesses after a wrong code; the tests enter codes back to back.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _sign_in(client: Client, email: str, password: str = PASSWORD, address: str = "10.0.0.1"):
    return client.post("/sign-in/", {"username": email, "password": password}, REMOTE_ADDR=address)


# --------------------------------------------------------------------------- lockout


def test_five_wrong_passwords_lock_that_username_from_that_address_only(member) -> None:
    attacker = Client()
    email = member.user.email
    for _ in range(4):
        assert _sign_in(attacker, email, "wrong-password-123").status_code == 200
    assert _sign_in(attacker, email, "wrong-password-123").status_code == 429  # the fifth
    locked = _sign_in(attacker, email)  # even the right password is refused now
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()

    # The same user from another address, and another user from the same address, are fine.
    assert _sign_in(Client(), email, address="10.9.9.9").status_code == 302
    other = MembershipFactory()
    assert _sign_in(Client(), other.user.email, address="10.0.0.1").status_code == 302


# --------------------------------------------------------------------------- two-factor


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_catalogue_admin_must_set_up_two_factor_before_the_admin_opens() -> None:
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    assert _sign_in(client, admin.email).status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/?next=")

    setup = client.get("/account/two-factor/")
    html = setup.content.decode()
    assert "Set up two-factor authentication" in html
    assert "<svg" in html  # the QR code, drawn inline
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    wrong = client.post("/account/two-factor/", {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    done = client.post("/account/two-factor/", {"code": _code(device), "next": "/admin/"})
    assert "Your backup codes" in done.content.decode()
    assert StaticToken.objects.filter(device__user=admin).count() == 10
    assert client.get("/admin/").status_code == 200


def test_a_user_with_two_factor_must_enter_a_code_after_the_password(member) -> None:
    device = TOTPDevice.objects.create(user=member.user, name="app", confirmed=True)
    client = Client()
    _sign_in(client, member.user.email)
    redirected = client.get("/")
    assert redirected["Location"].startswith("/account/two-factor/verify/?next=")
    refused = client.post("/account/two-factor/verify/", {"code": "123456", "next": "/"})
    assert "That code is not right" in refused.content.decode()
    accepted = client.post("/account/two-factor/verify/", {"code": _code(device), "next": "/"})
    assert accepted["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_backup_code_works_once(member) -> None:
    TOTPDevice.objects.create(user=member.user, name="app", confirmed=True)
    from assessment.services.two_factor import backup_codes_renew

    codes = backup_codes_renew(user=member.user)
    first = Client()
    _sign_in(first, member.user.email)
    assert first.post("/account/two-factor/verify/", {"code": codes[0]})["Location"] == "/"
    second = Client()
    _sign_in(second, member.user.email, address="10.0.0.2")
    again = second.post("/account/two-factor/verify/", {"code": codes[0]})
    assert again.status_code == 200
    assert "That code is not right" in again.content.decode()


def test_a_trust_can_require_two_factor_of_its_board(member) -> None:
    client = client_for(member)
    assert client.get("/").status_code == 200
    member.organisation.require_two_factor = True
    member.organisation.save()
    fresh = client_for(member)  # a new sign-in sees the requirement at once
    assert fresh.get("/")["Location"].startswith("/account/two-factor/?next=")


def test_two_factor_cannot_be_turned_off_when_required() -> None:
    admin = UserFactory(is_staff=True)
    from tests.conftest import verified_client

    client = verified_client(admin)
    response = client.post("/account/two-factor/remove/", follow=True)
    assert "cannot be turned off" in response.content.decode()
    assert TOTPDevice.objects.filter(user=admin).exists()


# --------------------------------------------------------------------------- sessions


def test_signing_in_gives_a_new_session_key(member) -> None:
    client = Client()
    client.get("/sign-in/")
    client.session.save()
    before = client.session.session_key
    _sign_in(client, member.user.email)
    assert client.session.session_key != before


def _signed_in_long_ago(client: Client, seconds: int) -> None:
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - seconds
    session.save()


def test_sessions_end_after_the_absolute_lifetime_whatever_the_activity(member, settings) -> None:
    client = client_for(member)
    _signed_in_long_ago(client, settings.SESSION_ABSOLUTE_SECONDS + 1)
    response = client.get("/account/?from=email")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/account/%3Ffrom%3Demail"
    assert client.get("/").status_code == 302


def test_a_session_is_open_at_exactly_its_lifetime_and_ends_a_second_later(
    member, settings
) -> None:
    client = client_for(member)
    signed_in = client.session[SIGNED_IN_AT]
    lifetime = signed_in + settings.SESSION_ABSOLUTE_SECONDS
    with mock.patch("assessment.middleware.time.time", return_value=lifetime):
        assert client.get("/").status_code == 200
    with mock.patch("assessment.middleware.time.time", return_value=lifetime + 1):
        assert client.get("/").status_code == 302


def test_a_post_or_a_script_after_the_lifetime_gets_401_and_saves_nothing(
    assessment, board, settings
) -> None:
    url = f"/assessments/{assessment.pk}/response/autosave/"
    answer = {"question": "QUAL-5", "q-QUAL-5": "3", "v-QUAL-5": "0"}
    for headers in ({}, {"HTTP_ACCEPT": "application/json"}):
        client = client_for(board[0])
        _signed_in_long_ago(client, settings.SESSION_ABSOLUTE_SECONDS + 1)
        response = client.post(url, answer, **headers)
        assert response.status_code == 401
        assert response.json() == {"status": "signed-out"}
    client = client_for(board[0])
    _signed_in_long_ago(client, settings.SESSION_ABSOLUTE_SECONDS + 1)
    page = client.get(f"/assessments/{assessment.pk}/response/", HTTP_ACCEPT="application/json")
    assert (page.status_code, page.json()) == (401, {"status": "signed-out"})
    assert not Answer.objects.filter(respondent__user=board[0].user).exists()


def test_an_anonymous_visit_stores_no_session() -> None:
    assert Client().get("/accessibility/").status_code == 200
    assert Client().get("/sign-in/").status_code == 200
    assert not Session.objects.exists()


def _session_row(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def _expires_soon(client: Client) -> datetime:
    """Make the stored session about to expire, as if its last save was long ago."""
    soon = timezone.now() + timedelta(seconds=30)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=soon)
    return soon


def test_activity_after_a_minute_moves_the_session_expiry_on(member, settings) -> None:
    client = client_for(member)
    assert client.get("/").status_code == 200
    session = client.session  # the last activity recorded, set back just over a minute
    session[LAST_SEEN] = int(time.time()) - settings.SESSION_ACTIVITY_GRANULARITY - 1
    session.save()
    _expires_soon(client)

    assert client.get("/").status_code == 200
    row = _session_row(client)
    assert row.expire_date >= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    assert row.get_decoded()[LAST_SEEN] >= int(time.time()) - 5
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_activity_within_a_minute_does_not_write_the_session(member) -> None:
    client = client_for(member)
    assert client.get("/").status_code == 200  # records the activity
    soon = _expires_soon(client)
    assert client.get("/").status_code == 200
    assert _session_row(client).expire_date == soon


def test_activity_exactly_a_minute_later_moves_the_expiry_on(member, settings) -> None:
    client = client_for(member)
    assert client.get("/").status_code == 200
    last = client.session[LAST_SEEN]
    soon = _expires_soon(client)
    moment = last + settings.SESSION_ACTIVITY_GRANULARITY
    with mock.patch("assessment.middleware.time.time", return_value=moment):
        assert client.get("/").status_code == 200
    assert _session_row(client).expire_date > soon
    assert _session_row(client).get_decoded()[LAST_SEEN] == moment


def test_a_session_without_activity_for_the_idle_time_ends(member, settings) -> None:
    client = client_for(member)
    assert client.get("/").status_code == 200
    last_save = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=last_save + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_signing_out_ends_the_session(member_client) -> None:
    key = member_client.session.session_key
    member_client.post("/sign-out/")
    assert not Session.objects.filter(session_key=key).exists()
    assert member_client.get("/").status_code == 302


def test_changing_the_password_ends_every_other_session(member) -> None:
    laptop, phone = client_for(member), client_for(member)
    new = "another-long-passphrase"
    response = laptop.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == "/account/"
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302


def test_passwords_need_twelve_characters_and_not_a_common_one(member) -> None:
    client = client_for(member)
    for weak, message in (("short-pw", "at least 12 characters"), ("password1234", "too common")):
        html = client.post(
            "/account/password/",
            {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
        ).content.decode()
        assert message in html
    # No composition rules: a long passphrase of lower-case words is accepted.
    ok = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "plain words in a row",
            "new_password2": "plain words in a row",
        },
    )
    assert ok.status_code == 302


# --------------------------------------------------------------------------- headers


def test_every_page_has_a_strict_content_security_policy(member_client) -> None:
    for url in ("/sign-in/", "/", "/organisational-forms/"):
        policy = member_client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["base-uri"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in policy


def test_templates_hold_no_inline_script_or_style(member_client) -> None:
    import re

    for url in ("/sign-in/", "/", "/organisational-forms/", "/organisational-forms/federation/"):
        html = member_client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\sstyle=", html), url
        assert "<style" not in html, url


def test_pages_for_signed_in_users_are_never_stored(member_client) -> None:
    response = member_client.get("/")
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert directives == {"max-age=0", "no-cache", "no-store", "must-revalidate", "private"}


def test_public_pages_for_anonymous_visitors_may_be_stored() -> None:
    # Only what a signed-in user sees is private; the statements anyone may read are not.
    response = Client().get("/accessibility/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_security_events_are_logged_without_answers(member, caplog) -> None:
    with caplog.at_level("INFO", logger="assessment.security"):
        _sign_in(Client(), member.user.email, "wrong-password-123")
        _sign_in(Client(), member.user.email)
    messages = [record.getMessage() for record in caplog.records]
    assert any(m.startswith("sign-in-failed") and member.user.email in m for m in messages)
    assert any(m.startswith("sign-in ") and member.user.email in m for m in messages)


def test_refused_access_to_another_trusts_assessment_is_logged(assessment, caplog) -> None:
    stranger = MembershipFactory(role=Membership.Role.LEAD)
    with caplog.at_level("INFO", logger="assessment.security"):
        assert client_for(stranger).get(f"/assessments/{assessment.pk}/").status_code == 404
    assert any("access-refused" in record.getMessage() for record in caplog.records)


# --------------------------------------------------------------------------- database down


def test_a_database_that_cannot_be_reached_gets_a_friendly_503(member_client) -> None:
    member_client.raise_request_exception = False
    with mock.patch(
        "assessment.views.pages.selectors.memberships_for_user",
        side_effect=OperationalError("connection refused"),
    ):
        response = member_client.get("/")
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.content.decode()
    assert response["Retry-After"] == "30"


def test_an_autosave_during_a_database_outage_says_it_will_be_retried(assessment, board) -> None:
    client = client_for(board[0])
    client.raise_request_exception = False
    with mock.patch(
        "assessment.views.member.answers_save", side_effect=OperationalError("server closed")
    ):
        response = client.post(
            f"/assessments/{assessment.pk}/response/autosave/",
            {"question": "QUAL-5", "q-QUAL-5": "3", "v-QUAL-5": "0"},
            HTTP_ACCEPT="application/json",
        )
    assert response.status_code == 503
    assert "will be saved when you try again" in response.json()["message"]


def test_a_figures_autosave_during_a_database_outage_says_it_will_be_retried(
    assessment, trust_lead
) -> None:
    client = client_for(trust_lead)
    client.raise_request_exception = False
    with mock.patch(
        "assessment.views.figures.figures_save", side_effect=OperationalError("server closed")
    ):
        response = client.post(
            f"/assessments/{assessment.pk}/figures/autosave/",
            {"question": "QUAL-1", "q-QUAL-1": "good", "note-QUAL-1": SOURCE, "v-QUAL-1": "0"},
            HTTP_ACCEPT="application/json",
        )
    assert response.status_code == 503
    assert "will be saved when you try again" in response.json()["message"]


# --------------------------------------------------------------------------- audit


def test_the_history_says_who_changed_an_answer_and_an_agreed_answer_and_when(
    assessment, trust_lead, board
) -> None:
    from assessment.models import AgreedAnswer, Answer

    member = client_for(board[0])
    saved = member.post(
        f"/assessments/{assessment.pk}/response/autosave/",
        {"question": "QUAL-5", "q-QUAL-5": "3", "v-QUAL-5": "0"},
        HTTP_ACCEPT="application/json",
    )
    assert saved.status_code == 200
    answer = Answer.objects.get(respondent__user=board[0].user, question__code="QUAL-5")
    change = answer.history.latest()
    assert change.history_user == board[0].user
    assert change.value == "3"
    assert change.history_date is not None

    lead = client_for(trust_lead)
    agreed = lead.post(
        f"/assessments/{assessment.pk}/consensus/QUAL-5/",
        {"q-QUAL-5": "2", "r-QUAL-5": "The latest rota review.", "v-QUAL-5": "0"},
    )
    assert agreed.status_code == 302
    row = AgreedAnswer.objects.get(assessment=assessment, question__code="QUAL-5")
    change = row.history.latest()
    assert change.history_user == trust_lead.user
    assert (change.value, change.rationale) == ("2", "The latest rota review.")


def test_the_history_says_who_entered_and_who_changed_a_figure_and_when(
    assessment, trust_lead, board
) -> None:
    from assessment.models import Figure
    from assessment.services.figures import figure_holder_name

    url = f"/assessments/{assessment.pk}/figures/autosave/"
    entered = client_for(trust_lead).post(
        url,
        {
            "question": "FIN-1",
            "q-FIN-1": "figure",
            "n-FIN-1": "-0.5",
            "note-FIN-1": SOURCE,
            "v-FIN-1": "0",
        },
        HTTP_ACCEPT="application/json",
    )
    assert entered.status_code == 200
    # The lead names the finance director on the board, who corrects the figure.
    figure_holder_name(
        assessment=assessment, section="FIN", user_id=board[0].user_id, named_by=trust_lead.user
    )
    changed = client_for(board[0]).post(
        url,
        {
            "question": "FIN-1",
            "q-FIN-1": "figure",
            "n-FIN-1": "-1.5",
            "note-FIN-1": "Month 10 forecast",
            "v-FIN-1": "1",
        },
        HTTP_ACCEPT="application/json",
    )
    assert changed.status_code == 200
    figure = Figure.objects.get(assessment=assessment, question__code="FIN-1")
    history = list(figure.history.order_by("history_date", "history_id"))
    assert [(h.history_user, h.value, h.source, h.version) for h in history] == [
        (trust_lead.user, "-0.5", SOURCE, 1),
        (board[0].user, "-1.5", "Month 10 forecast", 2),
    ]
    assert all(h.history_date is not None for h in history)


def test_a_right_code_entered_during_the_pause_after_a_wrong_one_is_explained(
    member, settings
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = TOTPDevice.objects.create(user=member.user, name="Authenticator app")
    client = client_for(member)
    wrong = client.post("/account/two-factor/verify/", {"code": "000000"}).content.decode()
    assert "That code is not right" in wrong
    right = client.post("/account/two-factor/verify/", {"code": f"{totp(device.bin_key):06d}"})
    assert right.status_code == 200
    html = right.content.decode()
    assert "There is a problem" in html
    assert "codes are paused for 60 seconds" in html or "codes are paused for 59 seconds" in html
