"""The trust's figures (method.md section 9): entered once, each with its source, by the lead
or the member the lead names for a section; seen read-only and queried by every member.

The figures pages save as the answer pages do: each figure as it changes with JavaScript,
the page with "Save and continue" without; a stale tab is refused with both values shown;
what was typed when the session ended is kept and saved on signing in again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from assessment import selectors
from assessment.forms import FigureHoldersForm, FigureQueryForm, QueryReplyForm
from assessment.models import Assessment, FigureQuery
from assessment.question_forms import FiguresForm, figure_conflict_message
from assessment.scoring.definitions import PROFILE
from assessment.selectors.figures import (
    figure_holders,
    figures_of,
    may_provide,
    queries_by,
    value_label,
    waiting_on,
)
from assessment.selectors.journey import starting_point
from assessment.services.answers import StaleAnswers
from assessment.services.figures import (
    figure_holder_name,
    figure_query_raise,
    figure_query_resolve,
    figures_save,
)
from assessment.views import autosaving
from assessment.views.common import get_assessment_for_user, get_lead_assessment
from assessment.views.kept import keep_and_sign_in, owner_token, take_kept


def _figures_form(data: Any, states: list[Any]) -> FiguresForm:
    return FiguresForm(data, states=states)


def _provider_assessment(request: HttpRequest, pk: int, section: str) -> Assessment:
    """The assessment, if the user may enter this section's figures: the lead, or the
    member named for it. Anyone else on the board is refused; other trusts get 404."""
    assessment = get_assessment_for_user(request, pk)
    if not may_provide(assessment=assessment, user=request.user, section=section):
        raise PermissionDenied(
            "Only the assessment lead, or the board member the lead named for this section, "
            "can enter its figures."
        )
    return assessment


@require_http_methods(["GET"])
def figures(request: HttpRequest, pk: int) -> HttpResponse:
    """Every figure with its source, for everyone on the board; who provides each section,
    and (for the lead) the form to name them and the queries to resolve."""
    assessment = get_assessment_for_user(request, pk)
    pinned = selectors.pinned_for(assessment)
    lead = selectors.is_lead(assessment)
    states = figures_of(assessment=assessment, pinned=pinned, with_queries=True)
    holders = figure_holders(assessment=assessment)
    # The questions about the trust itself (its type) come first, under their own heading,
    # not under the section they are entered with.
    about = [s for s in states.values() if s.question.kind == PROFILE]
    listed = [("About the trust", about[0].section, about)] if about else []
    listed += [
        (domain.name, domain, figures)
        for domain in pinned.figure_sections
        if (
            figures := [
                s for s in states.values() if s.section.code == domain.code and s not in about
            ]
        )
    ]
    sections = [
        {
            "name": name,
            "anchor": "about-the-trust" if figures is about else domain.code,
            "domain": domain,
            "holder": holders.get(domain.code),
            "may_enter": assessment.is_open
            and (lead or getattr(holders.get(domain.code), "user_id", None) == request.user.pk),
            "figures": figures,
            "entered": sum(1 for s in figures if s.entered),
        }
        for name, domain, figures in listed
    ]
    mine = queries_by(assessment=assessment, pinned=pinned, user=request.user)
    context: dict[str, Any] = {
        "assessment": assessment,
        "is_lead": lead,
        "sections": sections,
        "mine": mine,
        "waiting": waiting_on(mine),
        "open_queries": [(s, q) for s in states.values() for q in s.open_queries] if lead else [],
    }
    if assessment.is_open:  # figures copied from an earlier assessment, to be confirmed
        context["starting_point"] = starting_point(assessment=assessment)
    if lead and assessment.is_open:
        context["holders_form"] = FigureHoldersForm(
            sections=pinned.figure_sections,
            members=selectors.board_members(assessment=assessment),
            holders=holders,
        )
    return render(request, "assessment/figures.html", context)


@require_POST
def holders(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_lead_assessment(request, pk)
    pinned = selectors.pinned_for(assessment)
    current = figure_holders(assessment=assessment)
    form = FigureHoldersForm(
        request.POST,
        sections=pinned.figure_sections,
        members=selectors.board_members(assessment=assessment),
        holders=current,
    )
    if form.is_valid():
        try:
            for section, user_id in form.chosen().items():
                if user_id != getattr(current.get(section), "user_id", None):
                    figure_holder_name(
                        assessment=assessment,
                        section=section,
                        user_id=user_id,
                        named_by=request.user,
                    )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Saved who provides each section's figures.")
    else:
        messages.error(request, "Choose a board member, or yourself, for each section.")
    return redirect("assessment:figures", pk=pk)


@never_cache
@login_not_required  # an expired session is handled here, so that nothing typed is lost
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return keep_and_sign_in(request)
    assessment = _provider_assessment(request, pk, code)
    if not assessment.is_open:
        return redirect("assessment:figures", pk=pk)
    pinned = selectors.pinned_for(assessment)
    codes = [domain.code for domain in pinned.figure_sections]
    if code not in codes:
        raise Http404("No such section")
    domain = next(domain for domain in pinned.figure_sections if domain.code == code)
    states = [
        s
        for s in figures_of(
            assessment=assessment, pinned=pinned, with_candidates=True, with_queries=True
        ).values()
        if s.section.code == code
    ]
    kept = take_kept(request) if request.method == "GET" else None
    data = request.POST if request.method == "POST" else kept
    form = _figures_form(data, states)
    if data is not None and form.is_valid():
        try:
            figures_save(
                assessment=assessment, user=request.user, pinned=pinned, changes=form.figures()
            )
        except StaleAnswers as stale:
            form.show_conflicts(stale.conflicts)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if kept is not None:
                messages.success(
                    request, "The figures you gave before you were signed out are saved."
                )
                return redirect(request.path)
            messages.success(request, f"Saved the figures for {domain.name}.")
            if not selectors.is_lead(assessment):  # the named member, back to their tasks
                return redirect("assessment:tasks", pk=pk)
            return redirect("assessment:figures", pk=pk)
    context = {
        "assessment": assessment,
        "section": domain,
        "form": form,
        "blocks": form.blocks(),
        "owner": owner_token(request),
        "autosave_url": reverse("assessment:figures_autosave", args=[pk]),
    }
    return render(request, "assessment/figures_section.html", context)


@login_not_required  # answers with 401, not a redirect, when the session has ended
@require_POST
def autosave(request: HttpRequest, pk: int) -> JsonResponse:
    if not request.user.is_authenticated:
        return autosaving.signed_out("The figure")
    assessment = get_assessment_for_user(request, pk)
    pinned = selectors.pinned_for(assessment)
    code = request.POST.get("question", "")
    if code not in pinned.question_ids:
        return autosaving.invalid(f"There is no question {code} in this questionnaire.")
    if pinned.question(code).answered_by != "figure":
        return autosaving.invalid(
            f"{code} is a judgement: each board member answers it on their own pages."
        )
    section = pinned.question(code).domain
    if not may_provide(assessment=assessment, user=request.user, section=section):
        raise PermissionDenied("Only the lead or the member named for this section can.")
    state = figures_of(assessment=assessment, pinned=pinned)[code]
    form = _figures_form(request.POST, [state])
    if not form.is_valid():
        return autosaving.form_invalid(form)
    return autosaving.save_and_answer(
        lambda: figures_save(
            assessment=assessment, user=request.user, pinned=pinned, changes=form.figures()
        ),
        lambda conflict: figure_conflict_message(
            conflict, your_source=(form.cleaned_data.get(f"note-{code}") or "").strip()
        ),
    )


@require_http_methods(["GET", "POST"])
def query(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """A board member queries a figure: what they think is wrong, and why."""
    assessment = get_assessment_for_user(request, pk)
    pinned = selectors.pinned_for(assessment)
    states = figures_of(assessment=assessment, pinned=pinned)
    if code not in states:
        raise Http404("No such figure")
    if not assessment.is_open:
        messages.error(
            request, "The board's answers are submitted, so figures can no longer change."
        )
        return redirect("assessment:figures", pk=pk)
    form = FigureQueryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            figure_query_raise(
                assessment=assessment,
                user=request.user,
                pinned=pinned,
                code=code,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error("comment", error)
        else:
            messages.success(
                request,
                f"Your query on {code} is sent to the assessment lead, who will change the "
                "figure or reply to say why it stands.",
            )
            return redirect(_safe_back(request, pk))
    context = {
        "assessment": assessment,
        "figure": states[code],
        "form": form,
        "back": _safe_back(request, pk),
    }
    return render(request, "assessment/figure_query.html", context)


def _safe_back(request: HttpRequest, pk: int) -> str:
    """Where to return after a query: the member's own page it came from, or the figures."""
    back = request.POST.get("back") or request.GET.get("back") or ""
    prefix = f"/assessments/{pk}/"
    if (
        back.startswith(prefix)
        and back.isprintable()
        and url_has_allowed_host_and_scheme(back, allowed_hosts=None)
    ):
        return back
    return reverse("assessment:figures", args=[pk])


@require_http_methods(["GET", "POST"])
def resolve(request: HttpRequest, pk: int, query_pk: int) -> HttpResponse:
    """The lead resolves a query: changes the figure (with its source) or keeps it, and
    replies to the member who raised it."""
    assessment = get_lead_assessment(request, pk)
    pinned = selectors.pinned_for(assessment)
    try:
        query = FigureQuery.objects.select_related("raised_by", "resolved_by").get(
            pk=query_pk, assessment=assessment
        )
    except FigureQuery.DoesNotExist as missing:
        raise Http404("No such query") from missing
    code = pinned.codes_by_id[query.question_id]
    state = figures_of(assessment=assessment, pinned=pinned, with_candidates=True)[code]
    post = request.POST if request.method == "POST" else None
    form = _figures_form(post, [state])
    reply = QueryReplyForm(post)
    if post is not None and query.is_open and assessment.is_open:
        form_ok, reply_ok = form.is_valid(), reply.is_valid()
        if form_ok and reply_ok:
            try:
                figure_query_resolve(
                    assessment=assessment,
                    user=request.user,
                    pinned=pinned,
                    query=query,
                    change=form.figures()[0],
                    reply=reply.cleaned_data["reply"],
                )
            except StaleAnswers as stale:
                form.show_conflicts(stale.conflicts)
            except ValidationError as error:
                reply.add_error("reply", error)
            else:
                messages.success(request, f"The query on {code} is resolved.")
                return redirect("assessment:figures", pk=pk)
    context = {
        "assessment": assessment,
        "query": query,
        "figure": state,
        "form": form,
        "blocks": form.blocks(),
        "reply": reply,
        "queried_label": value_label(state.question, query.value_queried).lower()
        if query.value_queried
        else "nothing",
        "page_has_errors": bool(form.errors or reply.errors),
    }
    return render(request, "assessment/figure_resolve.html", context)
