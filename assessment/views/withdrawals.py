"""Withdrawing a submitted result: the lead's page (the admin has its own)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from assessment import selectors
from assessment.forms import WithdrawForm
from assessment.services.withdrawals import WithdrawalRefused, submission_withdraw
from assessment.views.common import get_lead_assessment


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_lead_assessment(request, pk)
    # The middleware asks every lead to verify a second factor before any page; withdrawing
    # cannot be undone, so it is checked here too rather than trusted.
    if not request.user.is_verified():  # type: ignore[union-attr]
        raise PermissionDenied("Verify your second factor to withdraw a result.")
    if assessment.is_open:
        messages.error(
            request,
            "This assessment has not been submitted, so there is no result to withdraw. "
            "Carry on with it instead.",
        )
        return redirect("assessment:overview", pk=pk)
    submission = selectors.submission_stamp(assessment=assessment)
    withdrawal = getattr(submission, "withdrawal", None)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and withdrawal is None and form.is_valid():
        try:
            submission_withdraw(
                assessment=assessment,
                user=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except WithdrawalRefused as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, "The result is withdrawn. It stays on record, marked so.")
            return redirect("assessment:results", pk=pk)
    context = {"assessment": assessment, "form": form, "withdrawal": withdrawal}
    return render(request, "assessment/withdraw.html", context)
