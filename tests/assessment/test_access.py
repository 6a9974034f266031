"""Every page needs sign-in, except an explicit allow-list."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import resolve

from tests.assessment.url_patterns import walk

# Pages anyone may open: signing in, recovering a password, health checks, and the
# statements a visitor must be able to read before signing in.
ALLOWED_ANONYMOUS = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "accessibility",
    "privacy",
    "invitation",  # the signed, expiring token in the address is the credential
}
# Endpoints the page's script calls: they answer 401, so the script can keep the answer and
# ask the member to sign in, instead of following a redirect to a page of HTML.
SCRIPT_ENDPOINTS = {
    "assessment:autosave",
    "assessment:figures_autosave",
    "assessment:consensus_autosave",
    "session_extend",
}
# The admin's own sign-in page is replaced by ours, at the same address.
SHADOWED = {"admin:login": "admin_sign_in"}
# Where a redirect to sign-in returns the user, when it is not the page they asked for.
NEXT_PAGE = {"admin_sign_in": "/admin/", "admin:login": "/admin/"}

PATTERNS = sorted(walk(), key=lambda route: route.name)
CALLBACKS = {route.name: route.callback for route in PATTERNS}
ALL_URLS = [(route.name, route.path) for route in PATTERNS]


def test_every_url_pattern_was_enumerated() -> None:
    names = {name for name, _ in ALL_URLS}
    assert {"home", "login", "healthz", "admin:index"} <= names
    assert names >= ALLOWED_ANONYMOUS, "an allow-listed name no longer exists"


@pytest.mark.parametrize(("name", "path"), ALL_URLS, ids=[name for name, _ in ALL_URLS])
@pytest.mark.django_db
def test_anonymous_request_is_sent_to_sign_in_unless_allowed(
    client: Client, name: str, path: str
) -> None:
    expected = CALLBACKS[SHADOWED.get(name, name)]
    assert resolve(path).func is expected, f"the sample path {path} does not reach {name}"
    if name in SCRIPT_ENDPOINTS:
        assert client.get(path).status_code == 405
        assert client.post(path).status_code == 401
        return
    response = client.get(path)
    if name in ALLOWED_ANONYMOUS:
        assert response.status_code != 302 or _sign_in_target(client, response) is None
    else:
        assert response.status_code == 302, f"{path} answered {response.status_code}"
        assert _sign_in_target(client, response) == NEXT_PAGE.get(name, path)


def _sign_in_target(client: Client, response) -> str | None:
    """Follow redirects (the admin's own sign-in hands over to ours) to the sign-in page,
    and return the page it will send the user back to, or None if it never gets there."""
    for _ in range(3):
        location = urlsplit(response["Location"])
        if location.path == "/sign-in/":
            return parse_qs(location.query)["next"][0]
        response = client.get(response["Location"])
        if response.status_code != 302:
            return None
    return None
