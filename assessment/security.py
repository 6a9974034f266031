"""Security events, logged for the trust's security team without any answer text, and the
session facts the middleware needs (when the member signed in).

Logged: sign-in, sign-in failure, sign-out, lockout (by django-axes, which logs its own),
two-factor verification and its failures, and access refused to an assessment. Each line
names the user (or the username tried) and the client address, never an answer.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

logger = logging.getLogger("assessment.security")
SIGNED_IN_AT = "signed_in_at"


def client_ip(request: HttpRequest | None) -> str | None:
    """The address of the person making the request, as django-axes counts it for lockout
    (AXES_CLIENT_IP_CALLABLE); None when there is no address to count.

    Behind DJANGO_PROXY_COUNT trusted proxies, each of which appends the address it received
    the request from to X-Forwarded-For, the client is that many entries from the right:
    anything further left was written by the client and may be forged. Without a trusted
    proxy the header is ignored and the address is the connection's own (REMOTE_ADDR). A
    header shorter than the proxy count did not come through every proxy, so it is ignored.
    Whatever is not an address is never returned as one: axes stores it in an address field.
    """
    if request is None:
        return None
    connection = _address(request.META.get("REMOTE_ADDR"))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return connection
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [entry.strip() for entry in header.split(",") if entry.strip()]
    if len(forwarded) < proxies:
        return connection
    # Not an address: the proxy in front is not the one configured.
    return _address(forwarded[-proxies]) or connection


def _address(value: object) -> str | None:
    try:
        return str(ipaddress.ip_address(str(value or "").strip()))
    except ValueError:  # none at all (a session made in code), or not an address
        return None


def client_address(request: HttpRequest | None) -> str:
    """The client's address for the security log, or "-" when there is none."""
    return client_ip(request) or "-"


class PasswordLocked(Exception):
    """Too many wrong passwords for this user from this address: the check is paused."""


def current_password_check(request: HttpRequest, password: str) -> bool:
    """Whether `password` is the signed-in user's, counted by django-axes exactly as a
    sign-in is: wrong answers here and at sign-in add up, and after AXES_FAILURE_LIMIT of
    them the user is locked out from this address (PasswordLocked), so a session left open
    cannot be used to guess the password that would take over the account."""
    from axes.handlers.proxy import AxesProxyHandler

    user = request.user
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        raise PasswordLocked
    if user.check_password(password):
        return True
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if AxesProxyHandler.is_locked(request, credentials):
        raise PasswordLocked
    return False


def log_event(event: str, request: HttpRequest | None, **details: Any) -> None:
    fields = " ".join(f"{key}={value!r}" for key, value in sorted(details.items()))
    logger.info("%s address=%s %s", event, client_address(request), fields)


def _signed_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    # The absolute session lifetime runs from here (see SessionLifetimeMiddleware).
    request.session[SIGNED_IN_AT] = int(time.time())
    log_event("sign-in", request, user=user.get_username())


def _failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # A wrong current password (changing the password, replacing two-factor) counts as a
    # failed sign-in for lockout, and is logged as what it was.
    event = "password-check-failed" if sender == __name__ else "sign-in-failed"
    log_event(event, request, username=credentials.get("username", ""))


def _signed_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    log_event("sign-out", request, user=user.get_username() if user else "")


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="assessment-signed-in")
    user_login_failed.connect(_failed, dispatch_uid="assessment-sign-in-failed")
    user_logged_out.connect(_signed_out, dispatch_uid="assessment-signed-out")
