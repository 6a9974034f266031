"""The lead's pages for the board's response deadline and for each member: where they sit
on the board, and removing them from the assessment."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from assessment.forms_members import BoardRoleForm, DeadlineForm, RemoveMemberForm
from assessment.models import Assessment, Respondent
from assessment.selectors.members import respondent_of
from assessment.services.members import board_role_set, respondent_remove
from assessment.services.reminders import EXAMPLE_DAYS, deadline_set
from assessment.views.common import get_lead_assessment


def _refused_if_submitted(request: HttpRequest, assessment: Assessment) -> HttpResponse | None:
    if assessment.is_open:
        return None
    messages.error(request, "This assessment has been submitted, so it can no longer change.")
    return redirect("assessment:overview", pk=assessment.pk)


def _respondent(assessment: Assessment, pk: int) -> Respondent:
    try:
        return respondent_of(assessment=assessment, pk=pk)
    except Respondent.DoesNotExist as missing:
        raise Http404("No such member of this assessment") from missing


@require_http_methods(["GET", "POST"])
def deadline(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_lead_assessment(request, pk)
    if (refused := _refused_if_submitted(request, assessment)) is not None:
        return refused
    current = assessment.response_deadline
    initial = {"day": current.day, "month": current.month, "year": current.year} if current else {}
    form = DeadlineForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            deadline_set(
                assessment=assessment,
                deadline=form.cleaned_data["deadline"],
                tasks_url=request.build_absolute_uri(reverse("assessment:tasks", args=[pk])),
            )
        except ValidationError as error:
            form.add_error("day", error)
            form.error_parts = {"day", "month", "year"}
        else:
            messages.success(
                request,
                f"The deadline is {form.cleaned_data['deadline']:%-d %B %Y}. Members who have "
                "not finished will be reminded before it and on the day.",
            )
            return redirect("assessment:overview", pk=pk)
    context = {
        "assessment": assessment,
        "form": form,
        "example": timezone.localdate() + timedelta(days=EXAMPLE_DAYS),
        "days_before": settings.REMINDER_DAYS_BEFORE,
        "hour": settings.REMINDER_HOUR,
    }
    return render(request, "assessment/deadline.html", context)


@require_http_methods(["GET", "POST"])
def member(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    assessment = get_lead_assessment(request, pk)
    respondent = _respondent(assessment, member)
    if (refused := _refused_if_submitted(request, assessment)) is not None:
        return refused
    form = BoardRoleForm(
        request.POST if request.method == "POST" else None,
        initial={"board_role": respondent.board_role},  # type: ignore[attr-defined]
    )
    if request.method == "POST" and form.is_valid():
        board_role_set(
            assessment=assessment,
            respondent=respondent,
            board_role=form.cleaned_data["board_role"],
        )
        messages.success(request, f"Saved where {_name(respondent)} sits on the board.")
        return redirect("assessment:overview", pk=pk)
    context = {"assessment": assessment, "respondent": respondent, "form": form}
    return render(request, "assessment/member.html", context)


@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    assessment = get_lead_assessment(request, pk)
    respondent = _respondent(assessment, member)
    if (refused := _refused_if_submitted(request, assessment)) is not None:
        return refused
    if respondent.removed_at is not None:
        messages.info(request, f"{_name(respondent)} was already removed from this assessment.")
        return redirect("assessment:overview", pk=pk)
    form = RemoveMemberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            respondent_remove(assessment=assessment, respondent=respondent, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"{_name(respondent)} is removed from this assessment. Their answers are kept "
                "in the record but no longer count.",
            )
            return redirect("assessment:overview", pk=pk)
    context = {"assessment": assessment, "respondent": respondent, "form": form}
    return render(request, "assessment/member_remove.html", context)


def _name(respondent: Respondent) -> str:
    return respondent.user.get_full_name() or respondent.user.get_username()
