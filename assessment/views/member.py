"""A board member's own response: task list, one page per section, check and complete.

Answers are never lost. With JavaScript each answer is saved as it changes (`autosave`);
without it "Save and continue" saves the page. If the session has expired when a page is
posted, what was typed is kept in the new session and saved as soon as the same member
signs in again, on the same page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from assessment import selectors
from assessment.forms import IMPORT_MAX_BYTES, IMPORT_TOO_LARGE, ImportAnswersForm
from assessment.models import Respondent
from assessment.question_forms import QuestionsForm, conflict_message, value_label
from assessment.scoring.definitions import JUDGEMENT
from assessment.selectors.figures import figures_of, held_sections, queries_by, waiting_on
from assessment.services.answers import (
    ImportRefused,
    StaleAnswers,
    answers_import,
    answers_save,
    response_complete,
    response_reopen,
)
from assessment.uploads import CappedUploadHandler, body_too_large, problems_listed
from assessment.views import autosaving
from assessment.views.common import get_respondent
from assessment.views.kept import keep_and_sign_in, owner_token, take_kept


def _section_form(data: Any, questions: Any, stored: dict[str, Any]) -> QuestionsForm:
    return QuestionsForm(
        data,
        questions=questions,
        values={code: answer.value for code, answer in stored.items()},
        notes={code: answer.note for code, answer in stored.items()},
        versions={code: answer.version for code, answer in stored.items()},
    )


def _held_progress(assessment: Any, pinned: Any, held: set[str]) -> list[dict[str, Any]]:
    """The sections whose figures the member was named to provide, each with how many of
    its figures are entered: two more queries, only for such a member."""
    if not held:
        return []
    states = figures_of(assessment=assessment, pinned=pinned)
    return [
        {
            "domain": domain,
            "entered": sum(
                1 for q in pinned.figures_by_section[domain.code] if states[q.code].entered
            ),
            "total": len(pinned.figures_by_section[domain.code]),
        }
        for domain in pinned.figure_sections
        if domain.code in held
    ]


def _refuse_figures(form: QuestionsForm, data: Any, pinned: Any) -> None:
    """A page opened before figures were entered once may still post one: refuse the page
    whole, saying why, rather than drop the figure without a word."""
    figures = {question.code for question in pinned.figures}
    posted = sorted({key.split("-", 1)[1] for key in data if key[:2] in ("q-", "n-")} & figures)
    for code in posted:
        form.add_error(
            None,
            f"{code} is one of the trust's figures: it is entered once for the trust, with its "
            "source, so your answer to it cannot be saved here. Save the page again without it, "
            "or query the figure if you think it is wrong.",
        )


@require_http_methods(["GET"])
def tasks(request: HttpRequest, pk: int) -> HttpResponse:
    respondent = get_respondent(request, pk)
    assessment = respondent.assessment
    pinned = selectors.pinned_for(assessment)
    stored = selectors.answers_of(respondent=respondent, pinned=pinned)
    statuses = selectors.section_statuses(pinned, stored)
    held = set(held_sections(assessment=assessment, user=request.user))
    context = {
        "assessment": assessment,
        "respondent": respondent,
        "statuses": statuses,
        "figure_sections": _held_progress(assessment, pinned, held),
        "figure_count": len(pinned.figures),
        "answered": sum(status.answered for status in statuses),
        "total": sum(status.total for status in statuses),
    }
    return render(request, "assessment/tasks.html", context)


@never_cache
@login_not_required  # an expired session is handled here, so that nothing typed is lost
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return keep_and_sign_in(request)
    respondent = get_respondent(request, pk)
    assessment = respondent.assessment
    if respondent.completed_at or not assessment.is_open:
        return redirect("assessment:check", pk=pk)
    pinned = selectors.pinned_for(assessment)
    codes = [domain.code for domain in pinned.judgement_sections]
    if code not in codes:
        raise Http404("No such section")
    number = codes.index(code) + 1
    questions = pinned.judgements_by_section[code]
    stored = selectors.answers_of(respondent=respondent, pinned=pinned)
    kept = take_kept(request) if request.method == "GET" else None
    data = request.POST if request.method == "POST" else kept
    form = _section_form(data, questions, stored)
    if data is not None:
        _refuse_figures(form, data, pinned)
    if data is not None and form.is_valid():
        try:
            answers_save(respondent=respondent, pinned=pinned, changes=form.changes())
        except StaleAnswers as stale:
            form.show_conflicts(stale.conflicts)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if kept is not None:
                messages.success(
                    request, "The answers you gave before you were signed out are saved."
                )
                return redirect(request.path)
            if request.POST.get("then") == "tasks":
                return redirect("assessment:tasks", pk=pk)
            if number == len(codes):
                return redirect("assessment:check", pk=pk)
            return redirect("assessment:section", pk=pk, code=codes[number])
    mine = queries_by(assessment=assessment, pinned=pinned, user=request.user)
    context = {
        "assessment": assessment,
        "section": pinned.judgement_sections[number - 1],
        "figures": [
            state
            for state in figures_of(assessment=assessment, pinned=pinned).values()
            if state.section.code == code
        ],
        "mine": mine,
        "waiting": waiting_on(mine),
        "number": number,
        "total": len(codes),
        "form": form,
        "blocks": form.blocks(),
        "owner": owner_token(request),
        "previous": codes[number - 2] if number > 1 else None,
        "is_last": number == len(codes),
        "autosave_url": reverse("assessment:autosave", args=[pk]),
    }
    return render(request, "assessment/section.html", context)


@login_not_required  # answers with 401, not a redirect, when the session has ended
@require_POST
def autosave(request: HttpRequest, pk: int) -> JsonResponse:
    if not request.user.is_authenticated:
        return autosaving.signed_out("Your answer")
    respondent = get_respondent(request, pk)
    pinned = selectors.pinned_for(respondent.assessment)
    code = request.POST.get("question", "")
    if code not in pinned.question_ids:
        return autosaving.invalid("Unknown question.")
    if pinned.question(code).answered_by != JUDGEMENT:
        return autosaving.invalid(f"{code} is one of the trust's figures: query it if it is wrong.")
    form = _section_form(request.POST, [pinned.question(code)], {})
    if not form.is_valid():
        return autosaving.form_invalid(form)
    return autosaving.save_and_answer(
        lambda: answers_save(respondent=respondent, pinned=pinned, changes=form.changes()),
        conflict_message,
    )


@require_http_methods(["GET"])
def check(request: HttpRequest, pk: int) -> HttpResponse:
    respondent = get_respondent(request, pk)
    assessment = respondent.assessment
    pinned = selectors.pinned_for(assessment)
    stored = selectors.answers_of(respondent=respondent, pinned=pinned)
    sections = [
        {
            "domain": domain,
            "rows": [
                {
                    "question": question,
                    "label": value_label(question, stored[question.code].value)
                    if question.code in stored
                    else "Not answered",
                    "note": stored[question.code].note if question.code in stored else "",
                    "answered": question.code in stored and bool(stored[question.code].value),
                }
                for question in pinned.judgements_by_section[domain.code]
            ],
        }
        for domain in pinned.judgement_sections
    ]
    context = {"assessment": assessment, "respondent": respondent, "sections": sections}
    return render(request, "assessment/check.html", context)


@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    respondent = get_respondent(request, pk)
    assessment = respondent.assessment
    try:
        response_complete(respondent=respondent, pinned=selectors.pinned_for(assessment))
    except ValidationError as error:
        for message in error.messages[:10]:
            messages.error(request, message)
        if len(error.messages) > 10:
            messages.error(request, f"and {len(error.messages) - 10} more questions.")
        return redirect("assessment:check", pk=pk)
    messages.success(
        request,
        "Your response is marked as complete. You can reopen it until the lead submits the "
        "board's answers.",
    )
    return redirect("assessment:tasks", pk=pk)


@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    respondent = get_respondent(request, pk)
    try:
        response_reopen(respondent=respondent)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, "Your response is open again. Change your answers, then mark it complete."
        )
    return redirect("assessment:tasks", pk=pk)


@login_not_required  # sign-in is checked below, after CSRF, in the middleware's order
@csrf_exempt  # CSRF is checked below, once the upload is known to be small
@require_http_methods(["GET", "POST"])
def import_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """An upload over the limit is refused before its body is read. The CSRF check reads
    the body, so it comes after, with an upload handler that stops at the limit."""
    if request.method == "POST" and body_too_large(request, limit=IMPORT_MAX_BYTES):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        respondent = get_respondent(request, pk)
        return _import_page(request, respondent, ImportAnswersForm(), [IMPORT_TOO_LARGE], 413)
    handler = CappedUploadHandler(request, limit=IMPORT_MAX_BYTES)
    request.upload_handlers = [handler]
    return _import_answers(request, pk, handler)


@csrf_protect
@login_required
def _import_answers(request: HttpRequest, pk: int, handler: CappedUploadHandler) -> HttpResponse:
    respondent = get_respondent(request, pk)
    form = ImportAnswersForm(request.POST or None, request.FILES or None)
    if handler.stopped:
        return _import_page(request, respondent, ImportAnswersForm(), [IMPORT_TOO_LARGE], 413)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        pinned = selectors.pinned_for(respondent.assessment)
        figures = {question.code for question in pinned.figures}
        left_out = sum(1 for code in form.cleaned_data["file"] if code in figures)
        try:
            count = answers_import(
                respondent=respondent, pinned=pinned, rows=form.cleaned_data["file"]
            )
        except ImportRefused as refused:
            problems = refused.problems
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                f"Imported {count} answer{'' if count == 1 else 's'}. Check them before you "
                "complete your response.",
            )
            if left_out:
                rows = (
                    "1 row of the file was one of the trust's figures, so it was"
                    if left_out == 1
                    else f"{left_out} rows of the file were the trust's figures, so they were"
                )
                messages.info(
                    request,
                    f"{rows} not imported: figures are entered once for the trust, with their "
                    "sources.",
                )
            return redirect("assessment:tasks", pk=pk)
    return _import_page(request, respondent, form, problems_listed(problems))


def _import_page(
    request: HttpRequest,
    respondent: Respondent,
    form: ImportAnswersForm,
    problems: list[str],
    status: int = 200,
) -> HttpResponse:
    context = {
        "assessment": respondent.assessment,
        "form": form,
        "problems": problems,
        "page_has_errors": bool(problems),
    }
    return render(request, "assessment/import.html", context, status=status)
