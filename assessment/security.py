"""Security events, logged for the trust's security team without any answer text, and the
session facts the middleware needs (when the member signed in).

Logged: sign-in, sign-in failure, sign-out, lockout (by django-axes, which logs its own),
two-factor verification and its failures, and access refused to an assessment. Each line
names the user (or the username tried) and the client address, never an answer.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

logger = logging.getLogger("assessment.security")
SIGNED_IN_AT = "signed_in_at"


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return "-"
    return str(request.META.get("REMOTE_ADDR", "-"))


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
    log_event("sign-in-failed", request, username=credentials.get("username", ""))


def _signed_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    log_event("sign-out", request, user=user.get_username() if user else "")


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="assessment-signed-in")
    user_login_failed.connect(_failed, dispatch_uid="assessment-sign-in-failed")
    user_logged_out.connect(_signed_out, dispatch_uid="assessment-signed-out")
