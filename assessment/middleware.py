"""Request-wide rules: session timing, two-factor authentication, no caching of private
pages, and a friendly page when the database cannot be reached."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from assessment.security import SIGNED_IN_AT, log_event

LAST_SEEN = "last_seen"

# Pages a signed-in user may reach before verifying their second factor.
MFA_EXEMPT = {
    "logout",
    "two_factor_verify",
    "healthz",
    "accessibility",
    "privacy",
    "session_extend",
}
# ...and, only while they have no second factor yet, the page that sets one up. A user who
# has one must verify it before they can see or replace it: otherwise the password alone
# would be enough to enrol a new authenticator in place of the owner's.
MFA_SETUP = "two_factor_setup"


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


class SessionTimingMiddleware:
    """The session's two limits: an idle timeout and an absolute lifetime.

    Idle: the expiry moves on as the member uses the service, at most once a minute
    (SESSION_ACTIVITY_GRANULARITY), instead of a database write on every request.
    Absolute: whatever the activity, a session ends SESSION_ABSOLUTE_SECONDS after sign-in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            signed_in = int(request.session.get(SIGNED_IN_AT, 0) or 0)
            if signed_in and time.time() - signed_in > settings.SESSION_ABSOLUTE_SECONDS:
                log_event("session-ended", request, user=user.get_username(), reason="lifetime")
                logout(request)
                if wants_json(request) or request.method != "GET":
                    return JsonResponse({"status": "signed-out"}, status=401)
                messages.info(request, "For your security you were signed out. Sign in again.")
                return redirect_to_login(request.get_full_path())
        response = self.get_response(request)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = int(request.session.get(LAST_SEEN, 0) or 0)
            if now - last >= settings.SESSION_ACTIVITY_GRANULARITY:
                request.session[LAST_SEEN] = now  # saved, with a new expiry, on the way out
        return response


class TwoFactorMiddleware:
    """Two-factor authentication: a user with a second factor must verify it after signing
    in; catalogue admins, assessment leads and members of trusts that require it must set
    one up first.

    What a user needs is decided afresh on every request from facts loaded with the user
    (see assessment.backends), never from a value kept in the session: a user made a lead a
    moment ago is asked for a second factor on their next request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        from assessment.services.two_factor import two_factor_need

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is None or match.view_name in MFA_EXEMPT:
            return None
        need = two_factor_need(user)
        if not need or (need == "setup" and match.view_name == MFA_SETUP):
            return None
        if wants_json(request) or request.method != "GET":
            return JsonResponse({"status": "two-factor-needed"}, status=401)
        target = "two_factor_verify" if need == "verify" else MFA_SETUP
        return redirect_to_login(request.get_full_path(), login_url=target)


class PrivatePagesMiddleware:
    """Nothing a signed-in user sees is kept by the browser or a proxy: the pages show
    answers and results (Cache-Control: no-store)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response
