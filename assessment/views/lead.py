"""The assessment lead's pages: start an assessment, bring the board in, agree, submit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment import selectors
from assessment.forms import AddMembersForm, AssessmentForm, InviteForm, SubmitForm
from assessment.forms_paper import PaperDetailsForm
from assessment.models import Assessment
from assessment.selectors.figures import held_sections, open_queries
from assessment.selectors.journey import earlier_assessments
from assessment.services.assessments import (
    assessment_create,
    assessment_create_from,
    invitation_create,
    respondents_add,
)
from assessment.services.paper_details import paper_defaults, paper_stored
from assessment.services.submissions import (
    SubmissionRefused,
    assessment_submit,
    readiness_now,
)
from assessment.views.common import (
    get_assessment_for_user,
    get_lead_assessment,
    get_organisation_for_user,
)


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, trust: int) -> HttpResponse:
    organisation = get_organisation_for_user(request, trust)
    if not selectors.is_lead(organisation):
        raise PermissionDenied("Only the trust's assessment lead can start an assessment.")
    earlier = {str(a.pk): a for a in earlier_assessments(organisation=organisation)}
    form = AssessmentForm(
        request.POST or None,
        earlier=[(pk, f"{a} – {_state(a)}") for pk, a in earlier.items()],
    )
    if request.method == "POST" and form.is_valid():
        fields = {
            "organisation": organisation,
            "title": form.cleaned_data["title"],
            "reporting_period": form.cleaned_data["reporting_period"],
            "user": request.user,
        }
        source = earlier.get(form.cleaned_data.get("start_from") or "")
        if source is None:
            assessment = assessment_create(**fields)
            messages.success(request, "The assessment has started. Now invite the board.")
        else:
            assessment = assessment_create_from(**fields, source=source)
            messages.success(
                request,
                f"The assessment has started from {source}. Check the figures copied from it, "
                "then invite the board.",
            )
        return redirect("assessment:overview", pk=assessment.pk)
    return render(request, "assessment/new.html", {"organisation": organisation, "form": form})


def _state(assessment: Assessment) -> str:
    if assessment.is_open:
        return "open"
    return "withdrawn" if hasattr(assessment.submission, "withdrawal") else "submitted"


@require_GET
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    lead = selectors.is_lead(assessment)
    context: dict[str, object] = {
        "assessment": assessment,
        "is_lead": lead,
        "respondent": selectors.respondent_for(assessment=assessment, user=request.user),
    }
    pinned = selectors.pinned_for(assessment)
    held = set(held_sections(assessment=assessment, user=request.user))
    context["held"] = [domain for domain in pinned.figure_sections if domain.code in held]
    if lead:
        progress = selectors.board_progress(assessment=assessment, pinned=pinned)
        context["progress"] = progress
        context["open_queries"] = open_queries(assessment=assessment, pinned=pinned)
        context["add_form"] = AddMembersForm(choices=_addable(progress))
    return render(request, "assessment/overview.html", context)


def _addable(progress: selectors.BoardProgress) -> list[tuple[str, str]]:
    return [
        (str(m.user_id), f"{m.user.get_full_name() or m.user.get_username()} ({m.user.email})")
        for m in progress.addable
    ]


def _refuse_if_submitted(request: HttpRequest, assessment: Assessment) -> HttpResponse | None:
    if assessment.is_open:
        return None
    messages.error(request, "This assessment has been submitted, so it can no longer change.")
    return redirect("assessment:overview", pk=assessment.pk)


@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_lead_assessment(request, pk)
    if (refused := _refuse_if_submitted(request, assessment)) is not None:
        return refused
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation_create(
            assessment=assessment,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            user=request.user,
            accept_url=lambda token: request.build_absolute_uri(
                reverse("invitation", args=[token])
            ),
            assessment_url=request.build_absolute_uri(
                reverse("assessment:overview", args=[assessment.pk])
            ),
        )
        messages.success(request, f"We have emailed {form.cleaned_data['email']}.")
        if request.POST.get("then") == "another":
            return redirect("assessment:invite", pk=pk)
        return redirect("assessment:overview", pk=pk)
    return render(request, "assessment/invite.html", {"assessment": assessment, "form": form})


@require_POST
def add_members(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_lead_assessment(request, pk)
    if (refused := _refuse_if_submitted(request, assessment)) is not None:
        return refused
    progress = selectors.board_progress(
        assessment=assessment, pinned=selectors.pinned_for(assessment)
    )
    form = AddMembersForm(request.POST, choices=_addable(progress))
    if form.is_valid():
        chosen = {int(pk) for pk in form.cleaned_data["users"]}
        added = respondents_add(
            assessment=assessment, users=[m.user for m in progress.addable if m.user_id in chosen]
        )
        messages.success(
            request, f"Added {len(added)} board member{'s' if len(added) != 1 else ''}."
        )
        return redirect("assessment:overview", pk=pk)
    context = {
        "assessment": assessment,
        "is_lead": True,
        "progress": progress,
        "add_form": form,
        "respondent": selectors.respondent_for(assessment=assessment, user=request.user),
    }
    return render(request, "assessment/overview.html", context)


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """A checklist: what blocks submitting, with a link to where to clear it; what the
    lead may submit past with the board's reason; and a plain confirmation."""
    assessment = get_lead_assessment(request, pk)
    if not assessment.is_open:
        if request.method == "POST":
            messages.info(request, "The board's answers were already submitted.")
        return redirect("assessment:results", pk=pk)
    readiness = readiness_now(assessment)
    posted = request.POST if request.method == "POST" else None
    form = SubmitForm(posted, warnings=readiness.warnings)
    assert readiness.result is not None
    defaults = paper_defaults(assessment=assessment, result=readiness.result, user=request.user)
    paper_posted: Any = posted
    if posted is not None and not any(key.startswith("paper-") for key in posted):
        # A post without the cover sheet at all (a script, or a page from before it
        # existed) takes the defaults the page would have shown.
        paper_posted = PaperDetailsForm.as_posted(defaults)
    paper_form = PaperDetailsForm(paper_posted, initial=defaults)
    problems: list[str] = []
    if request.method == "POST":
        if readiness.blocking:
            problems = [item.text for item in readiness.blocking]
        elif all([form.is_valid(), paper_form.is_valid()]):
            try:
                submission = assessment_submit(
                    assessment=assessment,
                    user=request.user,
                    reasons=form.reasons(),
                    paper=paper_stored(paper_form.cleaned_data),
                )
            except SubmissionRefused as refused:
                problems = refused.problems
            else:
                if submission.submitted_by_id == request.user.pk:
                    messages.success(
                        request, "The board's answers are submitted. Here is the result."
                    )
                else:
                    messages.info(request, "The board's answers were already submitted.")
                return redirect("assessment:results", pk=pk)
    context = {
        "assessment": assessment,
        "readiness": readiness,
        "form": form,
        "paper_form": paper_form,
        "problems": problems,
        "page_has_errors": bool(problems or form.errors or paper_form.errors),
    }
    return render(request, "assessment/submit.html", context)
