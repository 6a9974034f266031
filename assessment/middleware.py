"""Session timing: an idle timeout without a database write on every request."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

LAST_SEEN = "last_seen"


class SessionActivityMiddleware:
    """Moves a signed-in session's expiry on as the member uses the service.

    Saving the session on every request would keep the idle timeout exact at the cost of a
    database write per page and per saved answer. Instead the expiry moves on at most once
    a minute (SESSION_ACTIVITY_GRANULARITY), so the timeout is exact to within that minute.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated:
            return response
        now = int(time.time())
        if now - int(session.get(LAST_SEEN, 0)) >= settings.SESSION_ACTIVITY_GRANULARITY:
            session[LAST_SEEN] = now  # marks the session modified, so it is saved with a new expiry
        return response
