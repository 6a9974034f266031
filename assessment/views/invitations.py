"""Invitations: accepting one (a signed, expiring, single-use link), and the lead's resending
or cancelling one that has not been accepted."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from assessment.forms import AcceptInvitationForm
from assessment.models import Invitation
from assessment.services.assessments import (
    InvitationInvalid,
    invitation_accept,
    invitation_accept_new_user,
    invitation_cancel,
    invitation_from_token,
    invitation_resend,
)
from assessment.views.common import get_lead_assessment


@never_cache
@login_not_required
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invite = invitation_from_token(token)
    except InvitationInvalid as invalid:
        return render(
            request, "assessment/invitation_invalid.html", {"message": str(invalid)}, status=400
        )
    account = get_user_model().objects.filter(username=invite.email).first()
    if account is not None:
        if request.user.is_authenticated and request.user.pk == account.pk:
            invitation_accept(invitation=invite, user=request.user)
            messages.success(request, f"You have joined {invite.assessment.title}.")
            return redirect("assessment:tasks", pk=invite.assessment_id)
        if not request.user.is_authenticated:
            messages.info(request, "You already have an account. Sign in to join the assessment.")
            return redirect_to_login(request.path)
    if request.user.is_authenticated:
        context = {"invite": invite}
        return render(request, "assessment/invitation_other_user.html", context, status=403)
    first, _, last = invite.full_name.partition(" ")
    form = AcceptInvitationForm(
        request.POST or None, email=invite.email, initial={"first_name": first, "last_name": last}
    )
    if request.method == "POST" and form.is_valid():
        try:
            respondent = invitation_accept_new_user(
                invitation=invite,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except InvitationInvalid as invalid:
            return render(
                request, "assessment/invitation_invalid.html", {"message": str(invalid)}, status=400
            )
        login(request, respondent.user, backend="assessment.backends.UserBackend")
        messages.success(request, f"Welcome. You are answering {invite.assessment.title}.")
        return redirect("assessment:tasks", pk=respondent.assessment_id)
    return render(request, "assessment/invitation.html", {"invite": invite, "form": form})


@require_POST
def resend(request: HttpRequest, pk: int, invitation: int) -> HttpResponse:
    assessment = get_lead_assessment(request, pk)
    try:
        sent = invitation_resend(
            assessment=assessment,
            pk=invitation,
            accept_url=lambda token: request.build_absolute_uri(
                reverse("invitation", args=[token])
            ),
        )
    except Invitation.DoesNotExist as missing:
        raise Http404("No such invitation") from missing
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            f"We have emailed {sent.email} a new link. The link sent before no longer works.",
        )
    return redirect("assessment:overview", pk=pk)


@require_POST
def cancel(request: HttpRequest, pk: int, invitation: int) -> HttpResponse:
    assessment = get_lead_assessment(request, pk)
    try:
        cancelled = invitation_cancel(assessment=assessment, pk=invitation)
    except Invitation.DoesNotExist as missing:
        raise Http404("No such invitation") from missing
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            f"The invitation to {cancelled.email} is cancelled: its link no longer works.",
        )
    return redirect("assessment:overview", pk=pk)
