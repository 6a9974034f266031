"""The assessment lead's pages: start an assessment, bring the board in, agree, submit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment import selectors
from assessment.forms import AddMembersForm, AssessmentForm, InviteForm
from assessment.models import Assessment
from assessment.question_forms import AgreedAnswersForm
from assessment.selectors.figures import figures_of, held_sections, open_queries
from assessment.services.assessments import assessment_create, invitation_create, respondents_add
from assessment.services.submissions import (
    AgreedChange,
    SubmissionRefused,
    agreed_answers_save,
    assessment_submit,
    consensus_rows,
    rationale_needed,
    submission_problems,
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
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assessment = assessment_create(
            organisation=organisation,
            title=form.cleaned_data["title"],
            reporting_period=form.cleaned_data["reporting_period"],
            user=request.user,
        )
        messages.success(request, "The assessment has started. Now invite the board.")
        return redirect("assessment:overview", pk=assessment.pk)
    return render(request, "assessment/new.html", {"organisation": organisation, "form": form})


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
def consensus(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_lead_assessment(request, pk)
    rows = consensus_rows(assessment=assessment)
    only_divergent = request.GET.get("show") == "divergent"
    shown = [row for row in rows if row.divergent] if only_divergent else rows
    form = AgreedAnswersForm(request.POST if request.method == "POST" else None, rows=shown)
    if request.method == "POST" and assessment.is_open and form.is_valid():
        try:
            saved = agreed_answers_save(
                assessment=assessment,
                user=request.user,
                changes=[AgreedChange(*item) for item in form.agreed()],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved the board's agreed answers ({saved} changed).")
            return redirect(request.get_full_path())
    blocks = form.blocks()
    by_code = {row.question.code: row for row in shown}
    for block in blocks:
        row = by_code[block.code]
        block.extra = {"row": row, "needs_rationale": rationale_needed(row, row.agreed_value)}
    context = {
        "assessment": assessment,
        "open_queries": open_queries(
            assessment=assessment, pinned=selectors.pinned_for(assessment)
        ),
        "form": form,
        "blocks": blocks,
        "only_divergent": only_divergent,
        "divergent_count": sum(1 for row in rows if row.divergent),
        "member_count": len(rows[0].members) if rows else 0,
    }
    return render(request, "assessment/consensus.html", context)


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_lead_assessment(request, pk)
    if request.method == "POST":
        try:
            submission = assessment_submit(assessment=assessment, user=request.user)
        except SubmissionRefused as refused:
            problems = refused.problems
        else:
            if submission.submitted_by_id == request.user.pk and assessment.is_open:
                messages.success(request, "The board's answers are submitted. Here is the result.")
            else:
                messages.info(request, "The board's answers were already submitted.")
            return redirect("assessment:results", pk=pk)
    elif not assessment.is_open:
        return redirect("assessment:results", pk=pk)
    else:
        problems = submission_problems(
            consensus_rows(assessment=assessment),
            figures_of(
                assessment=assessment, pinned=selectors.pinned_for(assessment), with_queries=True
            ),
        )
    context = {"assessment": assessment, "problems": problems, "page_has_errors": bool(problems)}
    return render(request, "assessment/submit.html", context)
