"""Hypothesis fuzzing of every form of the service and of the answers' and figures' autosaves.

Each form is posted to its real URL at least 500 times with what browsers, scripts and
attackers send: any Unicode, NUL bytes (PostgreSQL refuses them in text), very long text,
numbers written every way, spreadsheet formulas and HTML, fields left out, repeated or
added, urlencoded or multipart. Whatever arrives, the service must not fail (no 500).
Input it refuses comes back with the error summary ("There is a problem"), or for the
autosave a JSON error, and leaves the data the form guards unchanged; input it accepts is
stored as it was sent.

Every example runs in a savepoint that is rolled back afterwards, and the client's cookies
are put back, so examples are independent: an accepted example's writes never reach the
next one. That includes django-axes' records of failed sign-ins, so no example is locked
out by the ones before it (each sign-in example checks that it starts with none).
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import json
import operator
import re
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from axes.models import AccessAttempt
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from assessment.models import (
    AgreedAnswer,
    Answer,
    Assessment,
    Figure,
    FigureHolder,
    FigureQuery,
    Invitation,
    Membership,
    Organisation,
    PublishedDataset,
    PublishedValue,
    Respondent,
    Submission,
)
from assessment.models_figures import SOURCE_MAX
from assessment.question_forms import (
    AgreedAnswersForm,
    FiguresForm,
    QuestionsForm,
    WhatIfForm,
    choices_for,
    names,
)
from assessment.scoring import definitions as d
from assessment.selectors import answers_of, pinned_for
from assessment.selectors.figures import figures_of
from assessment.selectors.questionnaires import PinnedQuestionnaire
from assessment.services.assessments import invitation_token
from assessment.services.figures import figure_query_raise
from assessment.services.submissions import consensus_rows, effective_agreed, figures_now
from assessment.services.two_factor import backup_codes_renew
from tests.assessment.conftest import client_for
from tests.assessment.journey import answer_everything, enter_figures
from tests.factories import PASSWORD, MembershipFactory
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db

# How many examples each test tries comes from the profile (tests/conftest.py).
FUZZ = settings(
    deadline=None,
    database=None,  # no example database: the tests write nothing into the project
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
PROBLEM = "There is a problem"
CSRF_TOKEN = "qSlDk0S6c4dEbPGhPq2dD2YTj5DQsMzL8Vd0mJ1FTJvX3u9KbE2wFvzAq7Rn1yHk"
USER = get_user_model()

# --------------------------------------------------------------------------- strategies

SPECIAL = (
    "",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\x00",
    "a\x00",
    "\x00\x00",
    "\x7f",
    "\u200b",
    "\ufeff",
    "\u202e",
    "\u3000",
    "=1+1",
    '=HYPERLINK("http://example.com")',
    "=cmd|' /C calc'!A0",
    "+1",
    "-1",
    "@SUM(A1:A9)",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ request }}",
    "{% debug %}",
    "' OR '1'='1",
    "'); DROP TABLE assessment_answer;--",
    "../../etc/passwd",
    "%00",
    "%s%s%n",
    "NaN",
    "sNaN",
    "-Infinity",
    "inf",
    "1e309",
    "-1e-309",
    "1e50",
    "0x1F",
    "1,000",
    "1,250.5",
    "12,5",
    "0,75",
    "-1,5",
    ",5",
    "1.250,5",
    "1,25,0",
    "1 000",
    "1_000",
    "£1.5",
    "12%",
    "\u0663",
    "²",
    "½",
    "１２",
    "𝟘",
    "İ",
    "ß",
    "ﬀ",
    "Ω",
    "😀",
    "dk",
    "na",
    "DK",
    "figure",
    "yes",
    "no",
    "null",
    "true",
    "[]",
    "{}",
    "0",
    "-0",
    "1.0",
    "4",
    "5",
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.builds("{}e{}".format, st.integers(-999, 999), st.integers(-400, 400)),
    st.builds(
        "{}{}{}".format,
        st.sampled_from(["", "£", "-", "+", " ", "\u2212"]),
        st.decimals(-200, 200, places=3).map(str),
        st.sampled_from(["", "%", " ", ",", "k"]),
    ),
    # Decimal commas, as typed where a comma marks decimals: "12,5" and "0,750" must be
    # refused, while "12,500" is twelve thousand five hundred.
    st.decimals(-200, 200, places=3).map(lambda number: str(number).replace(".", ",")),
)
LONG = st.builds(
    operator.mul,
    st.one_of(
        st.sampled_from(["x", "\x00", "İ", "💥", " ", "9", "é"]), st.text(min_size=1, max_size=4)
    ),
    st.integers(min_value=30, max_value=6000),
)
TEXT = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=30), NUMBERS, LONG)
GOOD_PASSWORDS = ("correct horse battery staple", "plum-orchard-lantern-42", "     twelve spaces ")
PASSWORDS = st.one_of(TEXT, st.sampled_from(GOOD_PASSWORDS), st.text(min_size=12, max_size=40))
GOOD_NAMES = ("Priya Shah", "Ó Súilleabháin", "Mary-Jane", "Zoë")
NAMES = st.one_of(TEXT, st.sampled_from(GOOD_NAMES))


def _long_domain(local: str, letter: str, labels: int) -> str:
    """An address near the 254-character limit, its domain written in one letter."""
    return f"{local}@{'.'.join([letter * 60] * labels)}.nhs.uk"


NEAR_LIMIT = st.builds(
    _long_domain,
    st.sampled_from(["a", "board.member", "x+y"]),
    # "İ" becomes two characters in lower case, "K" (Kelvin) becomes "k".
    st.sampled_from(["İ", "é", "\u212a"]),
    st.sampled_from([4, 3]),
)
EMAILS = st.one_of(
    st.emails(),
    NEAR_LIMIT,
    st.sampled_from(["a@b", "a@b.c", " a@nhs.net ", "a@nhs.net\x00", "a@@nhs.net", "@nhs.net"]),
    st.builds("{}@{}".format, TEXT, TEXT),
    TEXT,
)
EXTRA_NAMES = st.one_of(
    st.sampled_from(["next", "then", "owner", "id", "user", "is_staff", "file"]),
    st.text(
        alphabet=st.characters(exclude_categories=("Cs", "Cc"), exclude_characters='"\\'),
        min_size=1,
        max_size=20,
    ),
)


# Strategies are built once and kept: Hypothesis validates each new strategy object, which
# would otherwise cost more than many of the requests.
cached = functools.cache


@cached
def posted_value(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    """One value, now and then the field repeated."""
    return st.one_of(strategy, strategy, strategy, st.lists(strategy, min_size=0, max_size=3))


@cached
def some_of(names: tuple[str, ...], most: int) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(names), unique=True, max_size=most)


@cached
def one_of_these(values: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from(values)


EXTRA_FIELDS = st.dictionaries(EXTRA_NAMES, posted_value(TEXT), max_size=2)


def draw_form(
    data: st.DataObject,
    fields: Mapping[str, st.SearchStrategy[str]],
    base: Mapping[str, Any] | None = None,
    most: int | None = None,
    filled: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What a browser, or anything else, might post: `base` (the form as the page filled it
    in), half the time with `filled` (the form correctly filled in) over it, then some of
    `fields` set, some fields left out and a few unknown ones added. The CSRF token is
    always there, as in any form a browser posts (the test client does not check it)."""
    posted = dict(base or {})
    if filled is not None and data.draw(st.booleans(), label="filled in"):
        posted.update(filled)
    chosen = data.draw(some_of(tuple(sorted(fields)), most or len(fields)), label="fields set")
    for name in chosen:
        posted[name] = data.draw(posted_value(fields[name]), label=name)
    if posted:
        present = tuple(sorted(posted))
        for name in data.draw(some_of(present, min(2, len(present))), label="left out"):
            del posted[name]
    extra = data.draw(EXTRA_FIELDS, label="extra")
    for name, value in extra.items():
        posted.setdefault(name, value)
    return {**posted, "csrfmiddlewaretoken": CSRF_TOKEN}


def unchanged(posted: Mapping[str, Any], base: Mapping[str, Any]) -> bool:
    """Whether the form was posted just as the page filled it in."""
    return dict(posted) == {**base, "csrfmiddlewaretoken": CSRF_TOKEN}


def last(posted: Mapping[str, Any], name: str) -> str | None:
    """The value a form reads: the last one sent, None when the field is missing."""
    value = posted.get(name)
    if isinstance(value, list):
        return value[-1] if value else None
    return value


def every(posted: Mapping[str, Any], name: str) -> list[str]:
    value = posted.get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text_refused(value: str | None, *, max_length: int, required: bool = True) -> bool:
    """Whether a Django CharField (which strips whitespace) must refuse the value."""
    stripped = (value or "").strip()
    if not stripped:
        return required
    return "\x00" in stripped or len(stripped) > max_length


def post(client: Client, url: str, posted: Mapping[str, Any], urlencoded: bool) -> HttpResponse:
    if urlencoded:
        body = urlencode(posted, doseq=True)
        return client.post(url, body, content_type="application/x-www-form-urlencoded")
    return client.post(url, posted)


@contextmanager
def rolled_back(client: Client) -> Iterator[None]:
    """Run one example in a savepoint that is rolled back, then give the client back the
    cookies it had before, so that the next example starts from the same state."""
    cookies = SimpleCookie()
    cookies.update(client.cookies)
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies


def outcome(response: HttpResponse, *, accepted: int = 302) -> bool:
    """True if the form was accepted; otherwise the page must show the error summary."""
    assert response.status_code < 500
    if response.status_code == accepted:
        event("accepted")
        return True
    event("refused")
    assert response.status_code in (200, 400), response.status_code
    assert PROBLEM in response.content.decode()
    return False


def signed_in_as(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def stays_on_site(response: HttpResponse) -> bool:
    """Whether a redirect stays on this site, whatever `next` asked for."""
    location = response["Location"]
    split = urlsplit(location)
    return (
        split.netloc in ("", "testserver")
        and split.scheme in ("", "http", "https")
        and not location.startswith("//")
    )


# --------------------------------------------------------------------------- sign-in


@cached
def sign_in_fields(email: str) -> dict[str, st.SearchStrategy[str]]:
    return {
        "username": st.one_of(
            EMAILS, st.sampled_from([email, email.upper(), f"  {email}\t", f"{email}\x00"])
        ),
        "password": st.one_of(PASSWORDS, st.sampled_from([PASSWORD, f"{PASSWORD} ", "\x00"])),
        "next": st.one_of(
            TEXT, st.sampled_from(["/account/", "//evil.example", "https://x.test/"])
        ),
    }


@pytest.fixture
def anonymous() -> Client:
    """One client for every example of a test: a new client loads the middleware again."""
    return Client()


@FUZZ
@given(data=st.data())
def test_sign_in_never_fails_and_signs_in_only_with_the_right_password(
    member, anonymous, data
) -> None:
    email, client = member.user.email, anonymous
    posted = draw_form(
        data, sign_in_fields(email), filled={"username": email, "password": PASSWORD}
    )
    urlencoded = data.draw(st.booleans(), label="urlencoded")
    username, password = last(posted, "username"), last(posted, "password")
    right = (username or "").strip().lower() == email and password == PASSWORD
    with rolled_back(client):
        assert not AccessAttempt.objects.exists()
        last_login = USER.objects.get(pk=member.user.pk).last_login
        response = post(client, "/sign-in/", posted, urlencoded)
        if outcome(response):
            assert right
            assert signed_in_as(client) == member.user.pk
            assert stays_on_site(response)
        else:
            assert not right
            assert signed_in_as(client) is None
            assert USER.objects.get(pk=member.user.pk).last_login == last_login


# --------------------------------------------------------------------------- passwords


@cached
def reset_fields(email: str) -> dict[str, st.SearchStrategy[str]]:
    return {"email": st.one_of(EMAILS, st.sampled_from([email, email.upper(), f" {email} "]))}


@FUZZ
@given(data=st.data())
def test_password_reset_request_never_fails_and_emails_only_the_account(
    member, anonymous, data
) -> None:
    email, client = member.user.email, anonymous
    posted = draw_form(data, reset_fields(email), filled={"email": email})
    urlencoded = data.draw(st.booleans(), label="urlencoded")
    sent = (last(posted, "email") or "").strip()

    def folded(text: str) -> str:
        return unicodedata.normalize("NFKC", text).casefold()

    with rolled_back(client):
        before = len(mail.outbox)
        response = post(client, "/password-reset/", posted, urlencoded)
        emails = mail.outbox[before:]
        if outcome(response):
            assert response["Location"] == "/password-reset/sent/"
            assert "@" in sent
            assert "\x00" not in sent
            assert all(message.to == [email] for message in emails)
            if folded(sent) != folded(email):
                assert not emails
            if sent.isascii() and sent.lower() == email:
                assert len(emails) == 1
        else:
            assert not emails


NEW_PASSWORD = {"new_password1": GOOD_PASSWORDS[0], "new_password2": GOOD_PASSWORDS[0]}


NEW_PASSWORD_FIELDS = {"new_password1": PASSWORDS, "new_password2": PASSWORDS}
CHANGE_PASSWORD_FIELDS = {
    **NEW_PASSWORD_FIELDS,
    "old_password": st.one_of(PASSWORDS, st.sampled_from([PASSWORD, PASSWORD.upper()])),
}


def draw_new_passwords(data: st.DataObject, posted: dict[str, Any]) -> None:
    """Most people type the same password twice."""
    if "new_password1" in posted and data.draw(st.booleans(), label="typed twice"):
        posted["new_password2"] = posted["new_password1"]


def new_password_must_be_refused(posted: Mapping[str, Any]) -> bool:
    first, second = last(posted, "new_password1"), last(posted, "new_password2")
    return not first or not second or first != second or len(first) < 12 or "\x00" in first + second


def new_password_must_be_accepted(posted: Mapping[str, Any]) -> bool:
    first, second = last(posted, "new_password1"), last(posted, "new_password2")
    return first == second and first in GOOD_PASSWORDS


@pytest.fixture
def reset_link(member: Membership) -> tuple[Client, str]:
    """A client that has opened the member's reset link, and the page it was sent to."""
    client = Client()
    uid = urlsafe_base64_encode(force_bytes(member.user.pk))
    token = default_token_generator.make_token(member.user)
    opened = client.get(f"/password-reset/{uid}/{token}/")
    assert opened.status_code == 302
    return client, opened["Location"]


@FUZZ
@given(data=st.data())
def test_choosing_a_new_password_from_a_reset_link_never_fails(member, reset_link, data) -> None:
    user = member.user
    client, url = reset_link
    posted = draw_form(data, NEW_PASSWORD_FIELDS, filled=NEW_PASSWORD)
    draw_new_passwords(data, posted)
    urlencoded = data.draw(st.booleans(), label="urlencoded")
    with rolled_back(client):
        response = post(client, url, posted, urlencoded)
        user.refresh_from_db()
        if outcome(response):
            assert response["Location"] == "/password-reset/complete/"
            assert not new_password_must_be_refused(posted)
            assert user.check_password(last(posted, "new_password1"))
        else:
            assert not new_password_must_be_accepted(posted)
            assert user.check_password(PASSWORD)


@FUZZ
@given(data=st.data())
def test_changing_the_password_never_fails(member, member_client, data) -> None:
    user = member.user
    client = member_client
    filled = {"old_password": PASSWORD, **NEW_PASSWORD}
    posted = draw_form(data, CHANGE_PASSWORD_FIELDS, filled=filled)
    draw_new_passwords(data, posted)
    urlencoded = data.draw(st.booleans(), label="urlencoded")
    right_old = last(posted, "old_password") == PASSWORD
    with rolled_back(client):
        response = post(client, "/account/password/", posted, urlencoded)
        user.refresh_from_db()
        if outcome(response):
            assert response["Location"] == "/account/"
            assert right_old
            assert not new_password_must_be_refused(posted)
            assert user.check_password(last(posted, "new_password1"))
        else:
            assert not (right_old and new_password_must_be_accepted(posted))
            assert user.check_password(PASSWORD)


# --------------------------------------------------------------------------- two-factor

APP_CODE = "\ue000app code"
SPACED_APP_CODE = "\ue000app code, spaced"
BACKUP_CODE = "\ue000backup code"
CODES = st.one_of(
    TEXT,
    st.sampled_from([APP_CODE, SPACED_APP_CODE, BACKUP_CODE]),
    st.integers(0, 999_999).map("{:06d}".format),
)
SET_UP_FIELDS = {"code": CODES, "next": TEXT}
VERIFY_FIELDS = {
    "code": CODES,
    "next": st.one_of(TEXT, st.sampled_from(["/account/", "//x.test/"])),
}


def app_code(device: TOTPDevice, shift: int = 0) -> str:
    """The code the app shows now, or `shift` steps away."""
    code = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift + shift,
    )
    return f"{code:0{device.digits}d}"


def app_codes(device: TOTPDevice) -> set[str]:
    """The codes the device accepts now: this step's and one either side."""
    return {app_code(device, shift) for shift in (-1, 0, 1)}


def with_codes(posted: dict[str, Any], device: TOTPDevice, backup: str) -> dict[str, Any]:
    """The posted form with the placeholders replaced by codes that work now."""
    code = app_code(device)
    known = {APP_CODE: code, SPACED_APP_CODE: f" {code[:3]} {code[3:]} ", BACKUP_CODE: backup}

    def resolve(value: Any) -> Any:
        if isinstance(value, list):
            return [resolve(item) for item in value]
        return known.get(value, value)

    return {name: resolve(value) for name, value in posted.items()}


def verified(client: Client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


@pytest.fixture
def pending_device(member: Membership, member_client: Client) -> TOTPDevice:
    """The member has opened the set-up page, which made the app's device."""
    assert member_client.get("/account/two-factor/").status_code == 200
    return TOTPDevice.objects.get(user=member.user, confirmed=False)


@FUZZ
@given(data=st.data())
def test_setting_up_two_factor_never_fails_and_needs_the_app_code(
    member, member_client, pending_device, data
) -> None:
    client, device = member_client, pending_device
    posted = draw_form(data, SET_UP_FIELDS, filled={"code": APP_CODE})
    urlencoded = data.draw(st.booleans(), label="urlencoded")
    with rolled_back(client):
        sent = with_codes(posted, device, backup="")
        valid = app_codes(device)
        response = post(client, "/account/two-factor/", sent, urlencoded)
        device.refresh_from_db()
        html = response.content.decode()
        assert response.status_code == 200
        event("refused" if PROBLEM in html else "accepted")
        if PROBLEM not in html:
            assert "Your backup codes" in html
            assert (last(sent, "code") or "").strip() in valid
            assert device.confirmed
            assert verified(client)
        else:
            assert last(posted, "code") != APP_CODE
            assert not device.confirmed
            assert not StaticToken.objects.filter(device__user=member.user).exists()
            assert not verified(client)


@pytest.fixture
def app_and_backup(member: Membership) -> tuple[TOTPDevice, str]:
    """The member uses an authenticator app and has backup codes; one of them."""
    device = TOTPDevice.objects.create(user=member.user, name="Authenticator app", confirmed=True)
    return device, backup_codes_renew(user=member.user)[0]


@FUZZ
@given(data=st.data())
def test_verifying_two_factor_never_fails_and_needs_a_working_code(
    member, member_client, app_and_backup, data
) -> None:
    user, client = member.user, member_client
    device, backup = app_and_backup
    code = data.draw(one_of_these((APP_CODE, BACKUP_CODE)), label="code")
    posted = draw_form(data, VERIFY_FIELDS, filled={"code": code})
    urlencoded = data.draw(st.booleans(), label="urlencoded")
    with rolled_back(client):
        sent = with_codes(posted, device, backup=backup)
        valid = app_codes(device) | {backup}
        tokens = StaticToken.objects.filter(device__user=user).count()
        response = post(client, "/account/two-factor/verify/", sent, urlencoded)
        if outcome(response):
            assert "".join((last(sent, "code") or "").split()) in valid
            assert verified(client)
            assert stays_on_site(response)
        else:
            assert last(posted, "code") not in (APP_CODE, SPACED_APP_CODE, BACKUP_CODE)
            assert not verified(client)
            assert StaticToken.objects.filter(device__user=user).count() == tokens


# --------------------------------------------------------------------------- the lead's forms


@pytest.fixture
def lead_client(trust_lead: Membership) -> Client:
    return client_for(trust_lead)


NEW_ASSESSMENT_FIELDS = {
    "title": st.one_of(TEXT, st.just("Board assessment 2026")),
    "reporting_period": st.one_of(TEXT, st.just("April 2025 to March 2026")),
}


@FUZZ
@given(data=st.data())
def test_starting_an_assessment_never_fails(trust: Organisation, lead_client, data) -> None:
    client = lead_client
    posted = draw_form(
        data,
        NEW_ASSESSMENT_FIELDS,
        filled={"title": "Board assessment 2026", "reporting_period": "2025 to 2026"},
    )
    urlencoded = data.draw(st.booleans(), label="urlencoded")
    title, period = last(posted, "title"), last(posted, "reporting_period")
    refuse = text_refused(title, max_length=200) or text_refused(period, max_length=100)
    with rolled_back(client):
        before = set(Assessment.objects.values_list("pk", flat=True))
        response = post(client, f"/trusts/{trust.pk}/assessments/new/", posted, urlencoded)
        created = Assessment.objects.exclude(pk__in=before)
        if outcome(response):
            assert not refuse
            (assessment,) = created
            assert assessment.organisation_id == trust.pk
            assert (assessment.title, assessment.reporting_period) == (
                (title or "").strip(),
                (period or "").strip(),
            )
        else:
            assert refuse
            assert not created.exists()


def board_state(assessment: Assessment) -> tuple[Any, ...]:
    return (
        sorted(Invitation.objects.values_list("assessment_id", "email", "full_name")),
        sorted(Respondent.objects.values_list("assessment_id", "user_id")),
        sorted(Membership.objects.values_list("organisation_id", "user_id", "role")),
        USER.objects.count(),
    )


@pytest.fixture
def outsider() -> Membership:
    """On another trust's board."""
    return MembershipFactory()


@cached
def invite_fields(
    emails: tuple[str, ...],
) -> tuple[dict[str, st.SearchStrategy[str]], st.SearchStrategy[str]]:
    """The invite form's fields, and addresses a browser would let through."""
    fields = {
        "full_name": NAMES,
        "email": st.one_of(
            EMAILS, NEAR_LIMIT, st.sampled_from(emails), st.just(" NEW.Member@nhs.net ")
        ),
        "then": st.one_of(TEXT, st.just("another")),
    }
    return fields, st.one_of(st.sampled_from(emails), NEAR_LIMIT, st.emails())


@FUZZ
@given(data=st.data())
def test_inviting_a_board_member_never_fails(assessment, lead_client, board, outsider, data):
    client = lead_client
    emails = (*[m.user.email for m in board], outsider.user.email, "new.member@nhs.net")
    fields, well_formed = invite_fields(emails)
    filled = {"full_name": "Priya Shah", "email": data.draw(well_formed, label="email")}
    posted = draw_form(data, fields, filled=filled)
    urlencoded = data.draw(st.booleans(), label="urlencoded")
    name, email = last(posted, "full_name"), last(posted, "email")
    address = (email or "").strip()
    refuse = (
        text_refused(name, max_length=150)
        or text_refused(email, max_length=254)
        or "@" not in address
    )
    with rolled_back(client):
        before = board_state(assessment)
        response = post(client, f"/assessments/{assessment.pk}/invite/", posted, urlencoded)
        if outcome(response):
            assert not refuse
            invitation = Invitation.objects.get(assessment=assessment, email=address.lower())
            assert invitation.full_name == (name or "").strip()
        else:
            assert not (name in GOOD_NAMES and address.lower() in emails)
            assert board_state(assessment) == before


@pytest.fixture
def not_answering(trust: Organisation, trust_lead: Membership) -> list[str]:
    """Members of the trust's board who are not answering the assessment yet, the lead
    among them (user ids)."""
    others = [MembershipFactory(organisation=trust) for _ in range(3)]
    return [str(membership.user_id) for membership in [trust_lead, *others]]


@cached
def member_choices(
    addable: tuple[str, ...], elsewhere: tuple[str, ...]
) -> tuple[dict[str, st.SearchStrategy[str]], st.SearchStrategy[list[str]]]:
    choices = st.one_of(st.sampled_from(addable), st.sampled_from(elsewhere), TEXT)
    return {"users": choices}, st.lists(choices, max_size=5)


@FUZZ
@given(data=st.data())
def test_adding_board_members_never_fails(
    assessment, lead_client, board, outsider, not_answering, data
):
    client, addable = lead_client, not_answering
    elsewhere = tuple(str(m.user_id) for m in [*board, outsider])
    fields, several = member_choices(tuple(addable), elsewhere)
    posted = draw_form(data, fields, filled={"users": addable[1:3]})
    if data.draw(st.booleans(), label="several ticked"):
        posted["users"] = data.draw(several, label="users")
    urlencoded = data.draw(st.booleans(), label="urlencoded")
    ticked = every(posted, "users")
    valid = bool(ticked) and set(ticked) <= set(addable)
    with rolled_back(client):
        before = Respondent.objects.filter(assessment=assessment).count()
        response = post(client, f"/assessments/{assessment.pk}/members/", posted, urlencoded)
        after = Respondent.objects.filter(assessment=assessment).count()
        if outcome(response):
            assert valid
            assert after == before + len(set(ticked))
        else:
            assert not valid
            assert after == before


# --------------------------------------------------------------------------- invitations


INVITED = "invited.member@trust.example.nhs.uk"
ACCEPT_FIELDS = {
    "first_name": NAMES,
    "last_name": NAMES,
    "password1": PASSWORDS,
    "password2": PASSWORDS,
}


@pytest.fixture
def invitation(assessment: Assessment) -> Invitation:
    return Invitation.objects.create(
        assessment=assessment, email=INVITED, full_name="Invited Member"
    )


@FUZZ
@given(data=st.data())
def test_accepting_an_invitation_never_fails(assessment, invitation, anonymous, data) -> None:
    email, client = INVITED, anonymous
    url = f"/invitations/{invitation_token(invitation)}/"
    filled = {"first_name": "Zoë", "last_name": "Ó Súilleabháin"}
    filled |= {"password1": GOOD_PASSWORDS[1], "password2": GOOD_PASSWORDS[1]}
    posted = draw_form(data, ACCEPT_FIELDS, filled=filled)
    if "password1" in posted and data.draw(st.booleans(), label="typed twice"):
        posted["password2"] = posted["password1"]
    urlencoded = data.draw(st.booleans(), label="urlencoded")
    first, second = last(posted, "password1"), last(posted, "password2")
    refuse = (
        text_refused(last(posted, "first_name"), max_length=150)
        or text_refused(last(posted, "last_name"), max_length=150)
        or not first
        or not second
        or first != second
        or len(first) < 12
        or "\x00" in first + second
    )
    must_accept = (
        last(posted, "first_name") in GOOD_NAMES
        and last(posted, "last_name") in GOOD_NAMES
        and first == second
        and first in GOOD_PASSWORDS
    )
    with rolled_back(client):
        users = USER.objects.count()
        response = post(client, url, posted, urlencoded)
        if outcome(response):
            assert not refuse
            user = USER.objects.get(username=email)
            assert user.check_password(first)
            assert user.first_name == (last(posted, "first_name") or "").strip()
            assert Respondent.objects.filter(assessment=assessment, user=user).exists()
            assert signed_in_as(client) == user.pk
        else:
            assert not must_accept
            assert USER.objects.count() == users
            invitation.refresh_from_db()
            assert invitation.accepted_at is None


# --------------------------------------------------------------------------- answers


def figures(question: d.Question) -> st.SearchStrategy[str]:
    within = (
        [st.decimals(question.minimum, question.maximum, places=2).map(str)]
        if question.minimum is not None and question.maximum is not None
        else []
    )
    return st.one_of(*within, NUMBERS, TEXT)


@cached
def question_fields(
    questions: tuple[d.Question, ...],
    *,
    notes: bool = True,
    versions: bool = True,
    rationales: bool = False,
) -> dict[str, st.SearchStrategy[str]]:
    """Strategies for the fields of these questions: mostly real choices, figures in and
    out of range, and anything at all."""
    fields: dict[str, st.SearchStrategy[str]] = {}
    for question in questions:
        field = names(question.code)
        real = [value for value, _ in choices_for(question)]
        fields[field["choice"]] = st.one_of(st.sampled_from(real), st.sampled_from(real), TEXT)
        if question.kind == d.NUMBER:
            fields[field["figure"]] = figures(question)
        if notes:
            fields[field["note"]] = TEXT
        if versions:
            fields[field["version"]] = st.one_of(st.sampled_from(["0", "1", "2"]), TEXT)
        if rationales:
            fields[field["rationale"]] = st.one_of(TEXT, st.just("Agreed at the board seminar"))
    return fields


def as_posted(form: forms.Form) -> dict[str, str]:
    """The form as a browser posts it unchanged: each field as the page filled it in, a
    radio only when one of its buttons is chosen."""
    posted = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, forms.RadioSelect) and value in (None, ""):
            continue
        posted[name] = "" if value is None else str(value)
    return posted


def answers_must_be_refused(
    posted: Mapping[str, Any], questions: tuple[d.Question, ...], *, note: str | None = "note"
) -> bool:
    """A choice that is not offered, or a figure or text (`note`: the evidence note or the
    rationale) with a NUL byte or too long."""
    for question in questions:
        field = names(question.code)
        choice = last(posted, field["choice"])
        if choice not in (None, "") and choice not in [v for v, _ in choices_for(question)]:
            return True
        if question.kind == d.NUMBER and text_refused(
            last(posted, field["figure"]), max_length=40, required=False
        ):
            return True
        if note is not None and text_refused(
            last(posted, field[note]), max_length=4000, required=False
        ):
            return True
    return False


# A comma is read only between groups of three digits after a first group without a
# leading 0; any other comma (12,5 or 1.250,5) means the figure must be refused.
THOUSANDS = re.compile(r"[+-]?[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]*)?")


def figure(text: str) -> Decimal | None:
    plain = text.strip().translate(str.maketrans("", "", " %£\u00a0"))
    if "," in plain and not THOUSANDS.fullmatch(plain):
        return None
    try:
        return Decimal(plain.replace(",", ""))
    except InvalidOperation:
        return None


def expected_value(posted: Mapping[str, Any], question: d.Question) -> str | Decimal:
    """The answer a saved form holds: the choice, or for a number the figure."""
    field = names(question.code)
    choice = last(posted, field["choice"]) or ""
    typed = (last(posted, field["figure"]) or "").strip()
    if question.kind == d.NUMBER and (choice == "figure" or (not choice and typed)):
        number = figure(typed)
        return Decimal("NaN") if number is None else number
    return choice


def assert_saved_as_sent(
    posted: Mapping[str, Any], questions: tuple[d.Question, ...], stored: Mapping[str, Any]
) -> None:
    for question in questions:
        field = names(question.code)
        value = expected_value(posted, question)
        note = (last(posted, field["note"]) or "").strip()
        row = stored.get(question.code)
        if row is None:
            assert (value, note) == ("", ""), question.code
            continue
        if isinstance(value, Decimal):
            assert Decimal(row.value) == value, question.code
        else:
            assert row.value == value, question.code
        assert row.note == note, question.code


@dataclass(repr=False)
class Answering:
    """A board member part way through answering, signed in, and each section's page as
    it is filled in for them."""

    assessment: Assessment
    respondent: Respondent
    pinned: PinnedQuestionnaire
    client: Client
    pages: dict[str, dict[str, str]]

    def __repr__(self) -> str:
        return f"Answering({self.respondent})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def stored(self) -> dict[str, Any]:
        return answers_of(respondent=self.respondent, pinned=self.pinned)

    def state(self) -> tuple[Any, ...]:
        self.respondent.refresh_from_db()
        return (
            sorted(
                Answer.objects.filter(respondent=self.respondent).values_list(
                    "question_id", "value", "note", "version"
                )
            ),
            self.respondent.started_at,
        )


def figures_state(assessment: Assessment) -> list[tuple[Any, ...]]:
    """The trust's figures, as entered: members' pages never change them."""
    return sorted(
        Figure.objects.filter(assessment=assessment).values_list(
            "question_id", "value", "source", "version", "published_id", "updated_by_id"
        )
    )


def judgements_state(assessment: Assessment) -> list[tuple[Any, ...]]:
    """Every member's answers and the agreed answers: the figures pages never change them."""
    return sorted(
        Answer.objects.filter(respondent__assessment=assessment).values_list(
            "respondent_id", "question_id", "value", "note", "version"
        )
    ) + sorted(
        AgreedAnswer.objects.filter(assessment=assessment).values_list(
            "question_id", "value", "rationale", "version"
        )
    )


PERSONAS = [load_persona(path)["answers"] for path in persona_paths()]
# Every other answer of a persona: a board part way through.
HALF = {code: value for number, (code, value) in enumerate(PERSONAS[1].items()) if number % 2}


@pytest.fixture
def answering(assessment: Assessment, board: list[Membership], trust_lead) -> Answering:
    """A member has answered half their judgements; the lead has entered half the figures."""
    member = board[0]
    client = client_for(member)
    answer_everything(client, assessment, HALF)
    enter_figures(client_for(trust_lead), assessment, HALF)
    respondent = Respondent.objects.get(assessment=assessment, user=member.user)
    pinned = pinned_for(assessment)
    stored = answers_of(respondent=respondent, pinned=pinned)
    pages = {
        section.code: as_posted(
            QuestionsForm(
                None,
                questions=pinned.judgements_by_section[section.code],
                values={code: answer.value for code, answer in stored.items()},
                notes={code: answer.note for code, answer in stored.items()},
                versions={code: answer.version for code, answer in stored.items()},
            )
        )
        for section in pinned.judgement_sections
    }
    return Answering(assessment, respondent, pinned, client, pages)


@cached
def section_fields(
    questions: tuple[d.Question, ...], beside: tuple[d.Question, ...] = ()
) -> dict[str, st.SearchStrategy[str]]:
    """The section's fields, and those of `beside` (questions that are not on the page)."""
    return {
        **question_fields(questions),
        **question_fields(beside),
        "then": st.one_of(TEXT, st.just("tasks")),
    }


@FUZZ
@given(data=st.data())
def test_saving_a_section_never_fails_and_saves_all_or_nothing(answering: Answering, data):
    """A member's section holds their judgements; the section's figures, posted beside them
    as a tampered page might, are never saved as the member's, nor change the trust's."""
    pinned = answering.pinned
    section = data.draw(one_of_these(tuple(answering.pages)), label="section")
    questions = pinned.judgements_by_section[section]
    beside = pinned.figures_by_section[section]
    base = answering.pages[section]
    posted = draw_form(data, section_fields(questions, beside), base=base, most=6)
    urlencoded = data.draw(st.booleans(), label="urlencoded")
    url = f"/assessments/{answering.assessment.pk}/response/{section}/"
    with rolled_back(answering.client):
        before = answering.state()
        trusts = figures_state(answering.assessment)
        response = post(answering.client, url, posted, urlencoded)
        assert figures_state(answering.assessment) == trusts
        if outcome(response):
            assert not answers_must_be_refused(posted, questions)
            stored = answering.stored()
            assert_saved_as_sent(posted, questions, stored)
            assert not {figure.code for figure in beside} & set(stored)
        else:
            assert not unchanged(posted, base)
            assert answering.state() == before


@cached
def autosave_fields(
    codes: tuple[str, ...], question: d.Question, other: d.Question
) -> dict[str, st.SearchStrategy[str]]:
    """The question saved, and the fields of another question posted beside it."""
    return {
        **question_fields((question,)),
        **question_fields((other,)),
        "question": st.one_of(st.sampled_from(codes), TEXT),
    }


@FUZZ
@given(data=st.data())
def test_autosave_never_fails_and_refuses_with_a_json_error(answering: Answering, data) -> None:
    """The member's page saves one of their judgements; any other code, a figure's among
    them, is refused, and the trust's figures never change."""
    pinned = answering.pinned
    codes = tuple(sorted(pinned.question_ids))
    code = data.draw(one_of_these(tuple(q.code for q in pinned.judgements)), label="question")
    question = pinned.question(code)
    page = answering.pages[question.domain]
    base = {"question": code} | {name: page[name] for name in names(code).values() if name in page}
    other = pinned.question(data.draw(one_of_these(codes), label="other question"))
    posted = draw_form(data, autosave_fields(codes, question, other), base=base, most=4)
    urlencoded = data.draw(st.booleans(), label="urlencoded")
    url = f"/assessments/{answering.assessment.pk}/response/autosave/"
    with rolled_back(answering.client):
        before = answering.state()
        trusts = figures_state(answering.assessment)
        response = post(answering.client, url, posted, urlencoded)
        assert response.status_code < 500
        assert figures_state(answering.assessment) == trusts
        body = response.json()
        asked = last(posted, "question")
        event(f"answered {response.status_code}")
        if response.status_code == 200:
            assert body["status"] == "saved"
            assert asked in pinned.question_ids
            asked_question = pinned.question(asked)
            assert asked_question.answered_by == d.JUDGEMENT
            assert not answers_must_be_refused(posted, (asked_question,))
            stored = answering.stored()
            assert_saved_as_sent(posted, (asked_question,), stored)
            if asked in stored:
                assert body["version"] == stored[asked].version
        else:
            assert response.status_code in (400, 409), response.status_code
            assert body["status"] in ("invalid", "conflict", "refused")
            assert body.get("errors") or body.get("message")
            assert not unchanged(posted, base)
            assert answering.state() == before


# --------------------------------------------------------------------------- figures


def figures_must_be_refused(posted: Mapping[str, Any], questions: tuple[d.Question, ...]) -> bool:
    """As for answers, with the source in the note's place: a NUL byte, more than 500
    characters, or none given with a value other than "I don't know" or "Not applicable"."""
    for question in questions:
        if answers_must_be_refused(posted, (question,), note=None):
            return True
        source = last(posted, names(question.code)["note"])
        if text_refused(source, max_length=SOURCE_MAX, required=False):
            return True
        value = expected_value(posted, question)
        if value not in ("", "dk", "na") and not (source or "").strip():
            return True
    return False


def assert_figures_saved_as_sent(
    posted: Mapping[str, Any], questions: tuple[d.Question, ...], stored: Mapping[str, Figure]
) -> None:
    for question in questions:
        value = expected_value(posted, question)
        source = (last(posted, names(question.code)["note"]) or "").strip()
        row = stored.get(question.code)
        if row is None:
            assert (value, source) == ("", ""), question.code
            continue
        if isinstance(value, Decimal):
            assert Decimal(row.value) == value, question.code
        else:
            assert row.value == value, question.code
        assert row.source == source, question.code


@dataclass(repr=False)
class Entering:
    """The lead part way through entering the trust's figures, signed in, and each section's
    figures page as it is filled in for them."""

    assessment: Assessment
    pinned: PinnedQuestionnaire
    client: Client
    pages: dict[str, dict[str, str]]

    def __repr__(self) -> str:
        return f"Entering({self.assessment})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def stored(self) -> dict[str, Figure]:
        codes = self.pinned.codes_by_id
        return {
            codes[row.question_id]: row for row in Figure.objects.filter(assessment=self.assessment)
        }

    def state(self) -> tuple[Any, ...]:
        return (figures_state(self.assessment), judgements_state(self.assessment))


@pytest.fixture
def entering(
    assessment: Assessment, trust: Organisation, trust_lead: Membership, board: list[Membership]
) -> Entering:
    """The lead has entered half the figures and a member half their judgements; a published
    dataset offers one of the figures not entered yet."""
    client = client_for(trust_lead)
    answer_everything(client_for(board[0]), assessment, HALF)
    enter_figures(client, assessment, HALF)
    pinned = pinned_for(assessment)
    offered = next(q.code for q in pinned.figures if q.code not in HALF and q.kind == d.NUMBER)
    dataset = PublishedDataset.objects.create(
        publisher="NHS England",
        title="NHS Oversight Framework",
        period="2025/26 Q2",
        period_end=datetime.date(2025, 9, 30),
        link="https://www.england.nhs.uk/",
        layout=PublishedDataset.Layout.LONG,
        organisation_column="Trust_code",
        mappings="",
        file_name="nof.csv",
    )
    PublishedValue.objects.create(
        dataset=dataset,
        organisation=trust,
        question_code=offered,
        value=str(PERSONAS[1][offered]),
        metric="OF0000",
        row=2,
        column="Value",
    )
    states = list(figures_of(assessment=assessment, pinned=pinned).values())
    assert any(state.from_published for state in states)
    pages = {
        section.code: as_posted(
            FiguresForm(None, states=[s for s in states if s.section.code == section.code])
        )
        for section in pinned.figure_sections
    }
    return Entering(assessment, pinned, client, pages)


@FUZZ
@given(data=st.data())
def test_saving_figures_never_fails_and_saves_all_or_nothing(entering: Entering, data):
    """The lead's figures page saves the section's figures, each with its source; the
    section's judgements, posted beside them as a tampered page might, change nothing."""
    pinned = entering.pinned
    section = data.draw(one_of_these(tuple(entering.pages)), label="section")
    questions = pinned.figures_by_section[section]
    judgements = pinned.judgements_by_section[section]
    base = entering.pages[section]
    posted = draw_form(data, section_fields(questions, judgements), base=base, most=6)
    urlencoded = data.draw(st.booleans(), label="urlencoded")
    url = f"/assessments/{entering.assessment.pk}/figures/{section}/"
    with rolled_back(entering.client):
        before = entering.state()
        response = post(entering.client, url, posted, urlencoded)
        assert judgements_state(entering.assessment) == before[1]
        if outcome(response):
            assert not figures_must_be_refused(posted, questions)
            assert_figures_saved_as_sent(posted, questions, entering.stored())
        else:
            assert not unchanged(posted, base)
            assert entering.state() == before


@FUZZ
@given(data=st.data())
def test_figures_autosave_never_fails_and_refuses_with_a_json_error(
    entering: Entering, data
) -> None:
    """The figures page saves one figure with its source; any other code, a judgement's
    among them, is refused, and no member's answer changes."""
    pinned = entering.pinned
    codes = tuple(sorted(pinned.question_ids))
    code = data.draw(one_of_these(tuple(q.code for q in pinned.figures)), label="figure")
    question = pinned.question(code)
    page = entering.pages[question.domain]
    base = {"question": code} | {name: page[name] for name in names(code).values() if name in page}
    other = pinned.question(data.draw(one_of_these(codes), label="other question"))
    posted = draw_form(data, autosave_fields(codes, question, other), base=base, most=4)
    urlencoded = data.draw(st.booleans(), label="urlencoded")
    url = f"/assessments/{entering.assessment.pk}/figures/autosave/"
    with rolled_back(entering.client):
        before = entering.state()
        response = post(entering.client, url, posted, urlencoded)
        assert response.status_code < 500
        assert judgements_state(entering.assessment) == before[1]
        body = response.json()
        asked = last(posted, "question")
        event(f"answered {response.status_code}")
        if response.status_code == 200:
            assert body["status"] == "saved"
            assert asked in pinned.question_ids
            asked_question = pinned.question(asked)
            assert asked_question.answered_by == d.FIGURE
            assert not figures_must_be_refused(posted, (asked_question,))
            stored = entering.stored()
            assert_figures_saved_as_sent(posted, (asked_question,), stored)
            if asked in stored:
                assert body["version"] == stored[asked].version
        else:
            assert response.status_code in (400, 409), response.status_code
            assert body["status"] in ("invalid", "conflict", "refused")
            assert body.get("errors") or body.get("message")
            assert not unchanged(posted, base)
            assert entering.state() == before


QUERY = "The annual accounts give 2.5%, not this."
REPLY = "It stands: it is the audited figure."
QUERY_FIELDS = {
    "comment": st.one_of(TEXT, st.just(QUERY)),
    "back": st.one_of(TEXT, st.sampled_from(["//evil.example/", "https://x.test/", "/account/"])),
}


def queries_state(assessment: Assessment) -> list[tuple[Any, ...]]:
    return sorted(
        FigureQuery.objects.filter(assessment=assessment).values_list(
            "pk", "question_id", "raised_by_id", "comment", "outcome", "reply", "resolved_at"
        )
    )


@FUZZ
@given(data=st.data())
def test_querying_a_figure_never_fails(entering: Entering, board: list[Membership], data) -> None:
    """A member's query on a figure: saved as written, on that figure, from them."""
    client = client_for(board[1])
    pinned = entering.pinned
    code = data.draw(one_of_these(tuple(q.code for q in pinned.figures)), label="figure")
    posted = draw_form(data, QUERY_FIELDS, filled={"comment": QUERY})
    urlencoded = data.draw(st.booleans(), label="urlencoded")
    comment = last(posted, "comment")
    url = f"/assessments/{entering.assessment.pk}/figures/{code}/query/"
    with rolled_back(client):
        before = entering.state(), queries_state(entering.assessment)
        response = post(client, url, posted, urlencoded)
        if outcome(response):
            assert not text_refused(comment, max_length=2000)
            assert stays_on_site(response)
            (query,) = FigureQuery.objects.filter(assessment=entering.assessment)
            assert (query.question_id, query.raised_by_id) == (
                pinned.question_ids[code],
                board[1].user_id,
            )
            assert (query.comment, query.is_open) == ((comment or "").strip(), True)
            assert entering.state() == before[0]
        else:
            assert comment != QUERY
            assert (entering.state(), queries_state(entering.assessment)) == before


@dataclass(repr=False)
class Resolving:
    """The lead on the page resolving a member's query on one figure, as it is filled in."""

    entering: Entering
    query: FigureQuery
    question: d.Question
    page: dict[str, str]

    def __repr__(self) -> str:
        return f"Resolving({self.query})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


@pytest.fixture(params=["entered", "offered"])
def resolving(request, entering: Entering, board: list[Membership]) -> Resolving:
    """A member's query on a figure the lead entered, or on one a dataset offers."""
    pinned = entering.pinned
    states = figures_of(assessment=entering.assessment, pinned=pinned)
    state = next(
        s
        for s in states.values()
        if (s.entered if request.param == "entered" else s.from_published)
        and s.question.kind == d.NUMBER
    )
    query = figure_query_raise(
        assessment=entering.assessment,
        user=board[1].user,
        pinned=pinned,
        code=state.code,
        comment=QUERY,
    )
    return Resolving(entering, query, state.question, as_posted(FiguresForm(None, states=[state])))


@cached
def resolve_fields(question: d.Question) -> dict[str, st.SearchStrategy[str]]:
    return {**question_fields((question,)), "reply": st.one_of(TEXT, st.just(REPLY))}


@FUZZ
@given(data=st.data())
def test_resolving_a_query_never_fails_and_resolves_all_or_nothing(
    resolving: Resolving, data
) -> None:
    """The figure as posted, with its source, and the reply, or nothing at all."""
    entering, question = resolving.entering, resolving.question
    posted = draw_form(
        data, resolve_fields(question), base=resolving.page, most=4, filled={"reply": REPLY}
    )
    urlencoded = data.draw(st.booleans(), label="urlencoded")
    reply = last(posted, "reply")
    url = f"/assessments/{entering.assessment.pk}/figures/queries/{resolving.query.pk}/"
    with rolled_back(entering.client):
        before = entering.state(), queries_state(entering.assessment)
        stood = figures_of(assessment=entering.assessment, pinned=entering.pinned)[question.code]
        response = post(entering.client, url, posted, urlencoded)
        if outcome(response):
            assert not figures_must_be_refused(posted, (question,))
            assert not text_refused(reply, max_length=2000)
            query = FigureQuery.objects.get(pk=resolving.query.pk)
            assert (query.reply, query.is_open) == ((reply or "").strip(), False)
            stored = entering.stored()
            assert_figures_saved_as_sent(posted, (question,), stored)
            figure = stored.get(question.code)
            now = (figure.value, figure.source) if figure else ("", "")
            kept = now == (stood.value, stood.source)
            assert query.outcome == (FigureQuery.Outcome.KEPT if kept else "changed")
            assert judgements_state(entering.assessment) == before[0][1]
        else:
            assert not (unchanged(posted, resolving.page | {"reply": REPLY}))
            assert (entering.state(), queries_state(entering.assessment)) == before


def holders_state(assessment: Assessment) -> dict[str, int]:
    return dict(FigureHolder.objects.filter(assessment=assessment).values_list("section", "user"))


@cached
def holder_fields(
    sections: tuple[str, ...], trust: tuple[str, ...], elsewhere: tuple[str, ...]
) -> dict[str, st.SearchStrategy[str]]:
    choice = st.one_of(st.just(""), st.sampled_from(trust), st.sampled_from(elsewhere), TEXT)
    return {f"holder-{section}": choice for section in sections}


@FUZZ
@given(data=st.data())
def test_naming_who_provides_the_figures_never_fails(
    entering: Entering, trust_lead: Membership, board: list[Membership], outsider, data
) -> None:
    """Each section's figures go to a member of the trust's board, or back to the lead;
    anything else changes nothing."""
    assessment = entering.assessment
    sections = tuple(section.code for section in entering.pinned.figure_sections)
    trust = tuple(str(m.user_id) for m in [trust_lead, *board])
    fields = holder_fields(sections, trust, (str(outsider.user_id),))
    filled = {f"holder-{section}": trust[1] for section in sections[:2]}
    posted = draw_form(data, fields, filled=filled)
    urlencoded = data.draw(st.booleans(), label="urlencoded")
    chosen = {section: last(posted, f"holder-{section}") or "" for section in sections}
    valid = all(value in ("", *trust) for value in chosen.values())
    with rolled_back(entering.client):
        before = holders_state(assessment)
        response = post(
            entering.client, f"/assessments/{assessment.pk}/figures/holders/", posted, urlencoded
        )
        assert response.status_code == 302
        assert response["Location"] == f"/assessments/{assessment.pk}/figures/"
        event("accepted" if valid else "refused")
        if valid:
            assert holders_state(assessment) == {
                section: int(user) for section, user in chosen.items() if user
            }
        else:
            assert holders_state(assessment) == before


# --------------------------------------------------------------------------- import


@dataclass(frozen=True)
class Upload:
    """A file to import, and what it says when it is a well-formed CSV or JSON file."""

    name: str
    content: bytes
    rows: tuple[tuple[str, str, str], ...] | None = None

    def __repr__(self) -> str:
        return (
            f"Upload({self.name!r}, {self.content[:300]!r}{'…' if len(self.content) > 300 else ''})"
        )


def csv_upload(header: tuple[str, ...], rows: list[tuple[str, str, str]], name: str, bom: bool):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    standard = [cell.strip().lower() for cell in header] == ["code", "answer", "note"]
    encoded = text.getvalue().encode("utf-8-sig" if bom else "utf-8")
    return Upload(name, encoded, tuple(rows) if standard else None)


def json_upload(rows: list[tuple[str, str, str]], name: str, nested: bool) -> Upload:
    entries = {
        code: {"answer": answer, "note": note} if nested else answer for code, answer, note in rows
    }
    unique = {code.strip(): (code, answer, note if nested else "") for code, answer, note in rows}
    return Upload(name, json.dumps(entries).encode(), tuple(unique.values()))


@cached
def uploads(codes: tuple[str, ...]) -> st.SearchStrategy[Upload]:
    code = st.one_of(st.sampled_from(codes), st.sampled_from(codes), TEXT)
    answer = st.one_of(
        st.sampled_from(["dk", "na", "yes", "no", "good", "1", "2", "3", "4"]), NUMBERS, TEXT
    )
    sizes = st.one_of(st.sampled_from([4000, 4001, 131_073]), st.integers(3990, 140_000))
    note = st.one_of(TEXT, st.builds(operator.mul, st.just("n"), sizes))
    plain = st.one_of(st.sampled_from(["", "Month 9 forecast", "=1+1", "<b>x</b>"]), st.text())
    valid = st.lists(
        st.tuples(st.sampled_from(codes), st.sampled_from(["dk", "DK", " dk ", ""]), plain),
        min_size=1,
        max_size=6,
        unique_by=lambda row: row[0],
    )
    rows = st.one_of(valid, st.lists(st.tuples(code, answer, note), max_size=6))
    csv_name = st.sampled_from(["answers.csv", "ANSWERS.CSV", "answers.txt", "answers"])
    json_name = st.sampled_from(["answers.json", "Answers.JSON"])
    header = st.one_of(
        st.sampled_from([("code", "answer", "note"), (" Code ", "ANSWER", "Note")]),
        st.tuples(TEXT, TEXT, TEXT),
    )
    deep = st.integers(1, 200_000).map(lambda depth: b"[" * depth + b"]" * depth)
    huge = st.integers(4000, 6000).map(lambda digits: b'{"FIN-1": ' + b"7" * digits + b"}")
    return st.one_of(
        st.builds(csv_upload, header, rows, csv_name, st.booleans()),
        st.builds(json_upload, rows, json_name, st.booleans()),
        st.builds(Upload, json_name, st.one_of(deep, huge)),
        st.builds(Upload, st.one_of(csv_name, json_name), st.binary(max_size=300)),
        st.builds(Upload, st.one_of(csv_name, json_name), TEXT.map(str.encode)),
    )


def import_must_be_refused(upload: Upload, codes: tuple[str, ...]) -> bool:
    """Rows the service cannot take whole: an unknown or repeated code, or a note that a
    page would refuse (a NUL byte, more than 4,000 characters)."""
    if upload.rows is None:
        return False
    seen = [code.strip() for code, _, _ in upload.rows]
    return (
        any(code not in codes for code in seen)
        or len(seen) != len(set(seen))
        or any(text_refused(note, max_length=4000, required=False) for _, _, note in upload.rows)
    )


@FUZZ
@given(data=st.data())
def test_importing_answers_never_fails_and_imports_all_or_nothing(answering: Answering, data):
    """Rows for the trust's figures are left out: the member's import never gives a figure."""
    codes = tuple(sorted(answering.pinned.question_ids))
    trust_figures = {question.code for question in answering.pinned.figures}
    upload = data.draw(uploads(codes), label="upload")
    extra = data.draw(EXTRA_FIELDS, label="extra")
    url = f"/assessments/{answering.assessment.pk}/response/import/"
    with rolled_back(answering.client):
        before = answering.state()
        file = SimpleUploadedFile(upload.name, upload.content)
        posted = {**extra, "file": file, "csrfmiddlewaretoken": CSRF_TOKEN}
        trusts = figures_state(answering.assessment)
        response = answering.client.post(url, posted)
        assert figures_state(answering.assessment) == trusts
        if outcome(response):
            assert not import_must_be_refused(upload, codes)
            stored = answering.stored()
            for code, _, note in upload.rows or ():
                saved = stored.get(code.strip())
                if code.strip() in trust_figures:
                    assert saved is None, code  # left out: the trust's figures are not theirs
                else:
                    assert (saved.note if saved else "") == note.strip()
        else:
            assert answering.state() == before


# --------------------------------------------------------------------------- consensus


@pytest.fixture
def answered(assessment: Assessment, board: list[Membership], trust_lead) -> Assessment:
    """Two members have answered every judgement, differently enough that some diverge; the
    lead has entered the figures."""
    for member, persona in zip(board, PERSONAS[1:], strict=False):
        answer_everything(client_for(member), assessment, persona)
    enter_figures(client_for(trust_lead), assessment, PERSONAS[1])
    return assessment


def agreed_state(assessment: Assessment) -> list[tuple[Any, ...]]:
    return sorted(
        AgreedAnswer.objects.filter(assessment=assessment).values_list(
            "question_id", "value", "rationale", "version"
        )
    )


@dataclass(repr=False)
class Agreeing:
    """The lead on the consensus pages: the judgements, and each question's own form as it
    is filled in."""

    assessment: Assessment
    client: Client
    rows: list[Any]
    pages: dict[str, dict[str, str]]

    def __repr__(self) -> str:
        return f"Agreeing({self.assessment})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


@pytest.fixture
def agreeing(answered: Assessment, lead_client: Client) -> Agreeing:
    rows = consensus_rows(assessment=answered)
    assert any(row.divergent for row in rows), "the members' answers should diverge on some"
    pages = {row.question.code: as_posted(AgreedAnswersForm(None, rows=[row])) for row in rows}
    return Agreeing(answered, lead_client, rows, pages)


# Fields of figures posted on the consensus page as a tampered page might: the consensus is
# for judgements; figures are entered on their own pages.
BESIDE_CONSENSUS = ("FIN-1", "QUAL-1", "SYS-6")


@FUZZ
@given(data=st.data())
def test_agreeing_answers_never_fails_and_saves_all_or_nothing(agreeing: Agreeing, data):
    assessment, client = agreeing.assessment, agreeing.client
    row = data.draw(st.sampled_from(agreeing.rows), label="question")
    questions = (row.question,)
    pinned = pinned_for(assessment)
    beside = tuple(pinned.question(code) for code in BESIDE_CONSENSUS)
    base = agreeing.pages[row.question.code]
    fields = {
        **question_fields(questions, notes=False, rationales=True),
        **question_fields(beside, notes=False, rationales=True),
    }
    reasons = {names(question.code)["rationale"]: "Agreed at the board" for question in questions}
    posted = draw_form(data, fields, base=base, most=8, filled=reasons)
    urlencoded = data.draw(st.booleans(), label="urlencoded")
    url = f"/assessments/{assessment.pk}/consensus/{row.question.code}/"
    with rolled_back(client):
        before = agreed_state(assessment)
        trusts = figures_state(assessment)
        response = post(client, url, posted, urlencoded)
        assert figures_state(assessment) == trusts
        figure_ids = [pinned.question_ids[question.code] for question in pinned.figures]
        assert not AgreedAnswer.objects.filter(question_id__in=figure_ids).exists()
        if outcome(response):
            assert not answers_must_be_refused(posted, questions, note="rationale")
            ids = pinned.question_ids
            agreed = {
                answer.question_id: answer
                for answer in AgreedAnswer.objects.filter(assessment=assessment)
            }
            for question in questions:
                saved = agreed[ids[question.code]]
                rationale = last(posted, names(question.code)["rationale"]) or ""
                assert saved.rationale == rationale.strip()
                value = expected_value(posted, question)
                if isinstance(value, Decimal):
                    assert Decimal(saved.value) == value
                else:
                    assert saved.value == value
        else:
            assert agreed_state(assessment) == before


@pytest.fixture
def what_if_page(answered: Assessment) -> dict[str, str]:
    """The what-if form as it is filled in: the answers agreed so far and the figures."""
    values = effective_agreed(consensus_rows(assessment=answered), figures_now(answered))
    questions = pinned_for(answered).definition.questions
    return as_posted(WhatIfForm(None, questions=questions, values=values))


@FUZZ
@given(data=st.data())
def test_what_if_never_fails_and_never_writes(answered, lead_client, what_if_page, data) -> None:
    client, base = lead_client, what_if_page
    questions = pinned_for(answered).definition.questions
    fields = question_fields(questions, notes=False, versions=False)
    posted = draw_form(data, fields, base=base, most=8)
    urlencoded = data.draw(st.booleans(), label="urlencoded")

    def everything() -> tuple[Any, ...]:
        return (
            agreed_state(answered),
            sorted(Answer.objects.values_list("respondent_id", "question_id", "value", "version")),
            Submission.objects.count(),
            Assessment.objects.get(pk=answered.pk).status,
        )

    with rolled_back(client):
        before = everything()
        response = post(client, f"/assessments/{answered.pk}/what-if/", posted, urlencoded)
        assert response.status_code == 200
        html = response.content.decode()
        event("refused" if PROBLEM in html else "accepted")
        if PROBLEM in html:
            assert 'id="comparison"' not in html
            assert not unchanged(posted, base)
        else:
            assert 'id="comparison"' in html
            assert not answers_must_be_refused(posted, questions, note=None)
        assert everything() == before
