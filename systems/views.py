"""Sharing a result (the lead's pages) and the system view (the reviewers' pages).

A reviewer reaches only the systems they review: any other system is a 404. A reviewer who
is not a member of a trust reaches none of its assessment pages, which answer 404 through
the assessment app's own checks.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment import selectors as assessment_selectors
from assessment.models import Assessment
from assessment.security import log_event
from assessment.views.common import get_lead_assessment
from systems import selectors, services
from systems.forms import ShareForm
from systems.models import Share, System
from systems.reports import system_csv as render_csv
from systems.reports import system_paper_pdf


def _lead_submitted(request: HttpRequest, pk: int) -> Assessment:
    assessment = get_lead_assessment(request, pk)
    # Sharing sends the result beyond the trust: the second factor is checked here too.
    if not request.user.is_verified():  # type: ignore[union-attr]
        raise PermissionDenied("Verify your second factor to share a result.")
    return assessment


@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _lead_submitted(request, pk)
    if assessment.is_open:
        messages.error(request, "Only a submitted result can be shared. Submit it first.")
        return redirect("assessment:overview", pk=pk)
    submission = assessment_selectors.submission_stamp(assessment=assessment)
    withdrawal = getattr(submission, "withdrawal", None)
    rows = selectors.sharing_for_assessment(assessment=assessment)
    open_systems = System.objects.filter(
        pk__in=[row.system.pk for row in rows if row.share is None]
    ).order_by("name")
    form = ShareForm(request.POST if request.method == "POST" else None, systems=open_systems)
    if request.method == "POST" and withdrawal is None and form.is_valid():
        system = form.cleaned_data["system"]
        try:
            services.share_create(
                assessment=assessment, system=system, user=request.user, request=request
            )
        except services.SharingRefused as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, f"The result is shared with {system.name}.")
            return redirect("systems:sharing", pk=pk)
    context = {
        "assessment": assessment,
        "withdrawal": withdrawal,
        "rows": rows,
        "form": form,
        "can_share": withdrawal is None and open_systems.exists(),
    }
    return render(request, "systems/sharing.html", context)


@require_POST
def revoke(request: HttpRequest, pk: int, share: int) -> HttpResponse:
    assessment = _lead_submitted(request, pk)
    found = get_object_or_404(
        Share.objects.select_related("system"), pk=share, submission__assessment=assessment
    )
    services.share_revoke(share=found, user=request.user, request=request)
    messages.success(
        request,
        f"The result is no longer shared with {found.system.name}. It has left the "
        "system's view and every other trust's comparison.",
    )
    return redirect("systems:sharing", pk=pk)


def _get_system_for_reviewer(request: HttpRequest, pk: int) -> System:
    try:
        return selectors.system_for_reviewer(user=request.user, pk=pk)
    except System.DoesNotExist as missing:
        log_event("access-refused", request, user=request.user.get_username(), system=pk)
        raise Http404("No such system") from missing


@require_GET
def systems(request: HttpRequest) -> HttpResponse:
    reviewed = list(selectors.systems_for_reviewer(user=request.user))
    if not reviewed:
        raise Http404("You do not review any system")
    if len(reviewed) == 1:
        return redirect("systems:system", pk=reviewed[0].pk)
    return render(request, "systems/list.html", {"systems": reviewed})


@require_GET
def system(request: HttpRequest, pk: int) -> HttpResponse:
    found = _get_system_for_reviewer(request, pk)
    review = services.system_review(system=found)
    return render(request, "systems/system.html", {"system": found, "review": review})


@require_GET
def system_paper(request: HttpRequest, pk: int) -> HttpResponse:
    found = _get_system_for_reviewer(request, pk)
    review = services.system_review(system=found)
    response = HttpResponse(system_paper_pdf(review), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="system-paper-{found.code}.pdf"'
    return response


@require_GET
def system_csv(request: HttpRequest, pk: int) -> HttpResponse:
    found = _get_system_for_reviewer(request, pk)
    review = services.system_review(system=found)
    response = HttpResponse(render_csv(review), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="system-{found.code}.csv"'
    return response
