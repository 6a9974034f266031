"""Views: HTTP only. They fetch through selectors, bind forms and call services."""

from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from assessment import selectors
from systems.selectors import systems_for_reviewer


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    memberships = list(selectors.memberships_for_user(user=request.user))
    context = {
        "memberships": memberships,
        "lead_of": [m.organisation for m in memberships if m.is_lead],
        "assessments": selectors.assessments_for_home(user=request.user),
        "reviewed_systems": list(systems_for_reviewer(user=request.user)),
    }
    return render(request, "assessment/home.html", context)


@require_GET
@never_cache
@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database round trip, for load balancers and uptime checks."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


@require_GET
@login_not_required
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.html")


@login_not_required
def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The admin signs people in through the service's own sign-in page."""
    if request.user.is_authenticated:
        # Signed in but not staff: sending them to sign in again would loop.
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next", "/admin/"))


@login_not_required
@require_POST
def session_extend(request: HttpRequest) -> JsonResponse:
    """Called by the page when the member chooses to stay signed in."""
    if not request.user.is_authenticated:
        return JsonResponse({"status": "signed-out"}, status=401)
    request.session.modified = True
    return JsonResponse({"status": "extended", "expires_in": request.session.get_expiry_age()})


DATABASE_DOWN = (OperationalError, InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page; a 503 when the cause is a database that cannot be reached.

    It runs while the exception is being handled, so it can tell which; it touches no
    database and no session, since those may be what failed."""
    down = isinstance(sys.exc_info()[1], DATABASE_DOWN)
    if request.headers.get("Accept", "").startswith("application/json") or request.path.endswith(
        "/autosave/"
    ):
        message = (
            "The service cannot save just now. Your answer is kept on this page and will be "
            "saved when you try again."
            if down
            else "Something went wrong. Your answer is kept on this page."
        )
        return JsonResponse(
            {"status": "unavailable", "message": message}, status=503 if down else 500
        )
    template = "503.html" if down else "500.html"
    response = HttpResponse(loader.get_template(template).render(), status=503 if down else 500)
    if down:
        response["Retry-After"] = "30"
    return response
