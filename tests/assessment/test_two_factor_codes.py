"""Codes and secrets of two-factor authentication: a code is accepted as people type it,
each person setting up an app gets a secret of their own, and the email about a change
says what changed and when."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.assessment.conftest import client_for
from tests.conftest import verified_client
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_otp_throttling(settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _secret(page: str) -> str:
    found = re.search(r'id="secret-key">([A-Z2-7 ]+)<', page)
    assert found, "the page shows the key to type into the app"
    return found.group(1)


def test_a_code_typed_with_spaces_is_accepted(member) -> None:
    device = TOTPDevice.objects.create(user=member.user, name="Authenticator app", confirmed=True)
    code = _code(device)
    client = client_for(member)
    response = client.post("/account/two-factor/verify/", {"code": f" {code[:3]} {code[3:]} "})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_two_people_setting_up_at_once_each_get_their_own_secret() -> None:
    first, second = MembershipFactory(), MembershipFactory()
    first_page = client_for(first).get("/account/two-factor/").content.decode()
    second_page = client_for(second).get("/account/two-factor/").content.decode()
    assert _secret(first_page) != _secret(second_page)
    pending = TOTPDevice.objects.filter(confirmed=False)
    assert sorted(pending.values_list("user_id", flat=True)) == sorted(
        [first.user_id, second.user_id]
    )

    # Reloading the page keeps the secret already scanned.
    assert _secret(client_for(first).get("/account/two-factor/").content.decode()) == _secret(
        first_page
    )


def test_the_email_about_a_change_says_what_changed_and_when(
    member, django_capture_on_commit_callbacks
) -> None:
    client = verified_client(member.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/two-factor/remove/")
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [member.user.email]
    today = timezone.localtime()
    assert re.search(rf"was turned off on {today:%-d %B %Y} at \d\d:\d\d\.", message.body)
