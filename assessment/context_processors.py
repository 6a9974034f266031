from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    """The service's phase (the phase banner) and the session timings the page warns about."""
    return {
        "service_phase": settings.SERVICE_PHASE,
        # The expiry moves on at most once a minute, so the page counts down from a minute
        # sooner than the configured timeout, never later than the server.
        "session_timeout": settings.SESSION_COOKIE_AGE - settings.SESSION_ACTIVITY_GRANULARITY,
        "session_warning": settings.SESSION_WARNING_SECONDS,
    }
