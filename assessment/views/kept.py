"""What a member typed when their session ended is kept for them, and saved when they
sign in again, on the same page: the answer pages and the figures pages alike.

An expired session's post is kept only with the page's owner token (signed, dated and
bound to the page's path) and only as much as a page can hold, so an anonymous post cannot
fill the session table, and only the same member gets it back.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import HttpRequest, HttpResponse, QueryDict

PENDING_KEY = "pending_answers"
OWNER_SALT = "answers-owner"
KEPT_PREFIXES = ("q-", "n-", "note-", "v-")
# What a section page can hold: a few fields a question, notes of up to 4,000 characters.
# Anything larger is not a member's answers, and is not kept.
KEPT_FIELDS_MAX = 120
KEPT_CHARACTERS_MAX = 48_000


def owner_token(request: HttpRequest) -> str:
    """Names the member and the page, signed and dated, so that what is sent after the
    session has ended is kept only for that member, on that page, for a session's life."""
    return signing.dumps({"user": request.user.pk, "path": request.path}, salt=OWNER_SALT)


def _token_owner(token: str, path: str) -> int | None:
    """The member a page's owner token was made for, if it is genuine, recent and for this
    page; None otherwise."""
    try:
        owner = signing.loads(token, salt=OWNER_SALT, max_age=settings.SESSION_ABSOLUTE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(owner, dict) or owner.get("path") != path:
        return None
    user = owner.get("user")
    return user if isinstance(user, int) else None


def keep_and_sign_in(request: HttpRequest) -> HttpResponse:
    """The session ended while the member was answering: keep what they sent, then ask
    them to sign in again. Only the same member gets it back (see `take_kept`).

    Kept only when the page's owner token shows a member signed in had this page open, and
    only as much as a section page can hold, in place of anything kept before: an anonymous
    post cannot fill the session table."""
    token = request.POST.get("owner", "") if request.method == "POST" else ""
    if token and _token_owner(token, request.path) is not None:
        kept = {
            key: value
            for key, value in request.POST.items()
            if key.startswith(KEPT_PREFIXES) or key == "owner"
        }
        size = sum(len(key) + len(value) for key, value in kept.items())
        if len(kept) <= KEPT_FIELDS_MAX and size <= KEPT_CHARACTERS_MAX:
            request.session[PENDING_KEY] = {request.path: kept}
            messages.info(
                request,
                "You were signed out to keep your answers safe. Sign in again and your answers "
                "on that page will be saved.",
            )
    return redirect_to_login(request.path)


def take_kept(request: HttpRequest) -> QueryDict | None:
    pending = dict(request.session.get(PENDING_KEY) or {})
    kept = pending.pop(request.path, None)
    if kept is None:
        return None
    request.session[PENDING_KEY] = pending
    if _token_owner(kept.get("owner", ""), request.path) != request.user.pk:
        return None
    data = QueryDict(mutable=True)
    data.update(kept)
    return data
