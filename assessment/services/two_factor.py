"""Two-factor authentication with an authenticator app (TOTP) and one-time backup codes,
through django-otp. Catalogue admins and assessment leads must use it; a trust can require
it of its whole board; anyone can turn it on. Once a user has a second factor, it guards
itself: seeing or replacing it needs that factor first, and replacing it the password too."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessment.models import Membership

BACKUP_CODES = 10
APP_DEVICE = "Authenticator app"
BACKUP_DEVICE = "Backup codes"


def two_factor_required(user: Any) -> bool:
    """Catalogue admins, assessment leads and system reviewers always; board members when
    their trust requires it. Read from the facts loaded with the signed-in user where there
    are any."""
    from systems.models import SystemReviewer

    if user.is_staff:
        return True
    role = getattr(user, "two_factor_role", None)
    if role is not None:
        return bool(role)
    return (
        Membership.objects.filter(user=user)
        .filter(Q(role=Membership.Role.LEAD) | Q(organisation__require_two_factor=True))
        .exists()
        or SystemReviewer.objects.filter(user=user).exists()
    )


def has_second_factor(user: Any) -> bool:
    known = getattr(user, "has_second_factor", None)
    return bool(known) if known is not None else user_has_device(user)


def two_factor_need(user: Any) -> str:
    """What a signed-in, unverified user must do: "verify", "setup" or nothing ("")."""
    if has_second_factor(user):
        return "verify"
    return "setup" if two_factor_required(user) else ""


def totp_device_pending(user: Any) -> TOTPDevice:
    """The authenticator app being set up: the unconfirmed device, created once and kept,
    so that reloading the page does not change the code the member has already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=APP_DEVICE).first()
    return device or TOTPDevice.objects.create(user=user, confirmed=False, name=APP_DEVICE)


@transaction.atomic
def totp_confirm(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the app with a code it shows. Returns new backup codes, or None if the code
    is wrong. Any older app and backup codes are replaced."""
    if not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return backup_codes_renew(user=device.user)


@transaction.atomic
def backup_codes_renew(*, user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def token_verify(*, user: Any, token: str) -> Any:
    """The device that accepts the code (an app code or a backup code, used up), or None."""
    cleaned = "".join(token.split())
    return match_token(user, cleaned) if cleaned else None


def throttle_seconds(user: Any, *, devices: list[Any] | None = None) -> int:
    """Seconds before django-otp will check another code for this user: after each wrong
    code it waits 1, 2, 4, 8... seconds, and refuses every code, right or wrong, meanwhile.
    `devices`: only these (setting up an app checks the new app's codes alone)."""
    now = timezone.now()
    waits = [0]
    if devices is None:
        devices = [
            device
            for model in (TOTPDevice, StaticDevice)
            for device in model.objects.filter(user=user)
        ]
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            waits.append(math.ceil((data["locked_until"] - now).total_seconds()))
    return max(waits)


@transaction.atomic
def two_factor_remove(*, user: Any) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def two_factor_changed_notify(*, user: Any, change: str) -> None:
    """Tell the user by email that their second factor was replaced or turned off, so that
    a change they did not make is noticed. Sent once the change is saved."""
    if not user.email:
        return
    body = render_to_string(
        "account/email/two_factor_changed.txt",
        {"user": user, "change": change, "when": timezone.localtime()},
    )
    subject = f"Your two-factor authentication was {change}"
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    )
