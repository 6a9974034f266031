"""Someone holding only a password must not get further than the password: not into the
admin, not to the second factor's secret, not able to replace it, and not able to guess the
password from a session left open. Driven through the real sign-in and account pages."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessment.models import Membership
from assessment.services.two_factor import backup_codes_renew
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_otp_throttling(settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _signed_in_with_password_only(user, address: str = "10.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=address)
    response = client.post("/sign-in/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, "the password is right"
    return client


@pytest.fixture
def admin_with_app():
    admin = UserFactory(is_staff=True, is_superuser=True)
    app = TOTPDevice.objects.create(user=admin, name="Authenticator app", confirmed=True)
    codes = backup_codes_renew(user=admin)
    return admin, app, codes


# ---------------------------------------------------------------- the stolen admin password


def test_a_stolen_admin_password_does_not_open_the_admin(admin_with_app) -> None:
    admin, _, _ = admin_with_app
    thief = _signed_in_with_password_only(admin)
    for path in ("/admin/", "/admin/models_catalogue/", "/account/", "/"):
        response = thief.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/account/two-factor/verify/?next="), path


def test_a_stolen_admin_password_does_not_show_the_secret_or_enrol_a_new_app(
    admin_with_app,
) -> None:
    admin, app, _ = admin_with_app
    thief = _signed_in_with_password_only(admin)

    page = thief.get("/account/two-factor/")
    assert page.status_code == 302
    assert page["Location"].startswith("/account/two-factor/verify/?next=")
    # No new secret was made for the thief to scan.
    assert not TOTPDevice.objects.filter(user=admin, confirmed=False).exists()

    # Posting a code for a secret of the thief's own making is refused as well.
    posted = thief.post("/account/two-factor/", {"code": "123456"})
    assert posted.status_code == 401
    assert posted.json() == {"status": "two-factor-needed"}
    assert list(TOTPDevice.objects.filter(user=admin)) == [app]
    assert app.__class__.objects.get(pk=app.pk).confirmed
    assert StaticToken.objects.filter(device__user=admin).count() == 10
    for path in ("/account/two-factor/backup-codes/", "/account/two-factor/remove/"):
        assert thief.post(path).status_code == 401, path
    assert StaticToken.objects.filter(device__user=admin).count() == 10
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).count() == 1
    assert mail.outbox == []


def test_the_owner_replaces_the_app_only_after_verifying_and_with_the_password(
    admin_with_app, django_capture_on_commit_callbacks
) -> None:
    admin, old_app, _ = admin_with_app
    owner = _signed_in_with_password_only(admin)
    verified = owner.post(
        "/account/two-factor/verify/", {"code": _code(old_app), "next": "/account/"}
    )
    assert verified["Location"] == "/account/"

    page = owner.get("/account/two-factor/")
    assert page.status_code == 200
    assert "Replace your authenticator app" in page.content.decode()
    new_app = TOTPDevice.objects.get(user=admin, confirmed=False)

    wrong_password = owner.post(
        "/account/two-factor/", {"password": "not-my-password", "code": _code(new_app)}
    )
    assert "Your password is not right" in wrong_password.content.decode()
    assert TOTPDevice.objects.get(pk=new_app.pk).confirmed is False
    assert TOTPDevice.objects.filter(pk=old_app.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        replaced = owner.post(
            "/account/two-factor/", {"password": PASSWORD, "code": _code(new_app)}
        )
    assert "Your backup codes" in replaced.content.decode()
    assert list(TOTPDevice.objects.filter(user=admin).values_list("pk", flat=True)) == [new_app.pk]
    assert [message.to for message in mail.outbox] == [[admin.email]]
    assert mail.outbox[0].subject == "Your two-factor authentication was replaced"
    assert "If you did not, someone may know your password." in mail.outbox[0].body


def test_replacing_the_app_is_logged(admin_with_app, caplog) -> None:
    admin, old_app, _ = admin_with_app
    owner = _signed_in_with_password_only(admin)
    owner.post("/account/two-factor/verify/", {"code": _code(old_app), "next": "/"})
    owner.get("/account/two-factor/")
    new_app = TOTPDevice.objects.get(user=admin, confirmed=False)
    with caplog.at_level("INFO", logger="assessment.security"):
        owner.post("/account/two-factor/", {"password": PASSWORD, "code": _code(new_app)})
    assert f"two-factor-replaced address=10.0.0.1 user={admin.email!r}" in caplog.text


def test_a_backup_code_verifies_a_session_that_then_may_replace_the_app(admin_with_app) -> None:
    admin, _, codes = admin_with_app
    owner = _signed_in_with_password_only(admin)
    owner.post("/account/two-factor/verify/", {"code": codes[0], "next": "/"})
    assert owner.get("/account/two-factor/").status_code == 200


# ---------------------------------------------------------------- leads must use two-factor


def test_a_lead_must_set_up_two_factor_before_any_page() -> None:
    lead = MembershipFactory(role=Membership.Role.LEAD)
    client = _signed_in_with_password_only(lead.user)
    for path in ("/", f"/trusts/{lead.organisation.pk}/history/", "/account/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/account/two-factor/?next="), path
    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    assert "Your account must use two-factor authentication" in page.content.decode()


def test_a_board_member_of_a_trust_that_does_not_require_it_is_not_asked(member) -> None:
    client = _signed_in_with_password_only(member.user)
    assert client.get("/").status_code == 200


def test_a_member_made_lead_is_asked_for_two_factor_on_the_very_next_request(member) -> None:
    client = _signed_in_with_password_only(member.user)
    assert client.get("/").status_code == 200
    # Whatever an earlier version kept in the session about needing two-factor is ignored.
    session = client.session
    session["mfa_state"] = {"need": "", "at": 9_999_999_999}
    session.save()

    Membership.objects.filter(pk=member.pk).update(role=Membership.Role.LEAD)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/?next=")
    assert client.post("/session/extend/").status_code != 401  # sessions still extend
    assert client.post(f"/trusts/{member.organisation.pk}/assessments/new/").status_code == 401


def test_a_trust_newly_requiring_two_factor_stops_its_members_at_once(member) -> None:
    client = _signed_in_with_password_only(member.user)
    assert client.get("/").status_code == 200
    member.organisation.require_two_factor = True
    member.organisation.save(update_fields=["require_two_factor"])
    assert client.get("/")["Location"].startswith("/account/two-factor/?next=")


def test_a_user_made_staff_is_asked_for_two_factor_at_once(member) -> None:
    client = _signed_in_with_password_only(member.user)
    assert client.get("/").status_code == 200
    type(member.user).objects.filter(pk=member.user.pk).update(is_staff=True)
    assert client.get("/")["Location"].startswith("/account/two-factor/?next=")


def test_a_lead_signed_in_before_getting_a_device_elsewhere_must_verify_it() -> None:
    # A second session (the owner's other browser) adds an app: this one must now verify.
    lead = MembershipFactory(role=Membership.Role.LEAD)
    client = _signed_in_with_password_only(lead.user)
    TOTPDevice.objects.create(user=lead.user, name="Authenticator app", confirmed=True)
    assert client.get("/")["Location"].startswith("/account/two-factor/verify/?next=")
    assert client.get("/account/two-factor/")["Location"].startswith(
        "/account/two-factor/verify/?next="
    )


# ---------------------------------------------------------------- the password from a session


def _change(client: Client, old: str):
    return client.post(
        "/account/password/",
        {
            "old_password": old,
            "new_password1": "a-brand-new-passphrase-42",
            "new_password2": "a-brand-new-passphrase-42",
        },
    )


def test_guessing_the_password_on_the_change_page_locks_as_at_sign_in(member) -> None:
    client = _signed_in_with_password_only(member.user)
    for _ in range(4):
        response = _change(client, "a-wrong-guess-0000")
        assert response.status_code == 200
        assert "Your current password is not right" in response.content.decode()
    locked = _change(client, "a-wrong-guess-0000")
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    # The session that was guessing has ended, and the password did not change.
    assert client.get("/")["Location"].startswith("/sign-in/")
    member.user.refresh_from_db()
    assert member.user.check_password(PASSWORD)
    attempt = AccessAttempt.objects.get(username=member.user.email)
    assert (attempt.ip_address, attempt.failures_since_start) == ("10.0.0.1", 5)
    # The guessed passwords are not stored with the attempt.
    assert "a-wrong-guess" not in attempt.post_data
    assert "a-brand-new-passphrase" not in attempt.post_data
    # Signing in again from the same address is locked too, as after five wrong sign-ins.
    again = Client(REMOTE_ADDR="10.0.0.1").post(
        "/sign-in/", {"username": member.user.email, "password": PASSWORD}
    )
    assert again.status_code == 429


def test_the_right_current_password_still_changes_it(member) -> None:
    client = _signed_in_with_password_only(member.user)
    assert _change(client, PASSWORD)["Location"] == "/account/"
    member.user.refresh_from_db()
    assert member.user.check_password("a-brand-new-passphrase-42")


def test_guessing_the_password_to_replace_two_factor_locks_too(member) -> None:
    app = TOTPDevice.objects.create(user=member.user, name="Authenticator app", confirmed=True)
    client = _signed_in_with_password_only(member.user)
    client.post("/account/two-factor/verify/", {"code": _code(app), "next": "/"})
    client.get("/account/two-factor/")
    guessing = client.session.session_key
    for _ in range(4):
        client.post("/account/two-factor/", {"password": "a-wrong-guess-0000", "code": "1"})
    locked = client.post("/account/two-factor/", {"password": "a-wrong-guess-0000", "code": "1"})
    assert locked.status_code == 429
    assert not Session.objects.filter(session_key=guessing).exists()
    assert client.get("/")["Location"].startswith("/sign-in/")
    assert list(TOTPDevice.objects.filter(user=member.user, confirmed=True)) == [app]


def test_verifying_the_second_factor_gives_the_session_a_new_key(admin_with_app) -> None:
    admin, app, _ = admin_with_app
    client = _signed_in_with_password_only(admin)
    unverified = client.session.session_key
    client.post("/account/two-factor/verify/", {"code": _code(app), "next": "/"})
    assert client.session.session_key != unverified
    assert not Session.objects.filter(session_key=unverified).exists()
    assert client.get("/").status_code == 200


def test_staff_see_no_ones_authenticator_secret_in_the_admin(admin_with_app) -> None:
    from tests.conftest import verified_client

    _, app, _ = admin_with_app
    other = UserFactory(is_staff=True, is_superuser=True)
    page = verified_client(other).get(f"/admin/otp_totp/totpdevice/{app.pk}/change/")
    assert page.status_code == 200
    assert app.key not in page.content.decode()


def test_replacing_the_app_unverifies_every_other_session_verified_with_the_old_one(
    admin_with_app,
) -> None:
    admin, old_app, codes = admin_with_app
    other = _signed_in_with_password_only(admin, address="10.0.0.2")
    other.post("/account/two-factor/verify/", {"code": codes[1], "next": "/"})
    assert other.get("/account/").status_code == 200
    owner = _signed_in_with_password_only(admin)
    owner.post("/account/two-factor/verify/", {"code": _code(old_app), "next": "/"})
    owner.get("/account/two-factor/")
    new_app = TOTPDevice.objects.get(user=admin, confirmed=False)
    owner.post("/account/two-factor/", {"password": PASSWORD, "code": _code(new_app)})

    # The other session was verified with a backup code that no longer exists.
    assert other.get("/account/")["Location"].startswith("/account/two-factor/verify/")
    assert owner.get("/account/").status_code == 200


def test_a_backup_code_just_used_does_not_pause_the_new_apps_code(admin_with_app, settings) -> None:
    # The backup code is tried against the old app first, which counts a failure there;
    # that pause is the old app's, not the new one's.
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    admin, _, codes = admin_with_app
    owner = _signed_in_with_password_only(admin)
    owner.post("/account/two-factor/verify/", {"code": codes[0], "next": "/"})
    owner.get("/account/two-factor/")
    new_app = TOTPDevice.objects.get(user=admin, confirmed=False)
    replaced = owner.post("/account/two-factor/", {"password": PASSWORD, "code": _code(new_app)})
    assert "Your backup codes" in replaced.content.decode()
