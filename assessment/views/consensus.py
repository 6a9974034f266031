"""The consensus page the assessment lead projects in the board meeting (method section 7).

A summary first: every judgement in one table, members' levels as a dot plot, the median,
the spread and where the board stands on it. Then one question at a time, each with its
own small form: the agreed answer and its rationale, saved with "Save", or as it changes
where JavaScript runs (`autosave`, the members' autosave protocol). Saves are versioned:
two leads' tabs never overwrite each other silently.

Two modes: at the lead's desk the pages name the members; "present" mode, for a
projector in a meeting that may be held in public, names nobody and shows larger type.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment import selectors
from assessment.models import Assessment
from assessment.question_forms import AgreedAnswersForm, agreed_conflict_message
from assessment.selectors import consensus as shaping
from assessment.selectors.figures import open_queries
from assessment.selectors.journey import ConsensusRow
from assessment.services.answers import Saved, StaleAnswers
from assessment.services.submissions import (
    AgreedChange,
    agreed_answers_save,
    consensus_rows,
    rationale_needed,
)
from assessment.views import autosaving
from assessment.views.common import get_lead_assessment

PRESENT = "present"


class View:
    """What the lead chose to see: the filter, the mode and whether levels are split by
    board role. Every link on the pages keeps it."""

    def __init__(self, request: HttpRequest) -> None:
        self.choice = shaping.filter_of(request.GET.get("show"))
        self.present = request.GET.get("mode") == PRESENT
        self.split = request.GET.get("split") == "role"

    def query(self, **changes: object) -> str:
        values = {"show": self.choice, "present": self.present, "split": self.split, **changes}
        pairs = []
        if values["show"] != shaping.DEFAULT_FILTER:
            pairs.append(("show", values["show"]))
        if values["present"]:
            pairs.append(("mode", PRESENT))
        if values["split"]:
            pairs.append(("split", "role"))
        return f"?{urlencode(pairs)}" if pairs else ""


@require_GET
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_lead_assessment(request, pk)
    view = View(request)
    rows = consensus_rows(assessment=assessment)
    shaped = shaping.summary_of(rows, choice=view.choice, split=view.split)
    base = reverse("assessment:consensus", args=[pk])
    context = {
        "assessment": assessment,
        "summary": shaped,
        "view": view,
        "filters": [
            {
                "value": value,
                "label": label,
                "count": shaped.counts[value],
                "url": f"{base}{view.query(show=value)}",
                "current": value == view.choice,
            }
            for value, label in shaping.FILTERS
        ],
        "mode_url": f"{base}{view.query(present=not view.present)}",
        "split_url": f"{base}{view.query(split=not view.split)}",
        "question_query": view.query(),
        "open_queries": []
        if view.present
        else open_queries(assessment=assessment, pinned=selectors.pinned_for(assessment)),
    }
    return render(request, "assessment/consensus.html", context)


def _row(rows: list[ConsensusRow], code: str) -> ConsensusRow:
    for row in rows:
        if row.question.code == code:
            return row
    raise Http404("No such judgement")


@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = get_lead_assessment(request, pk)
    view = View(request)
    rows = consensus_rows(assessment=assessment)
    row = _row(rows, code)
    here = request.path + view.query()
    form = AgreedAnswersForm(request.POST if request.method == "POST" else None, rows=[row])
    if request.method == "POST":
        if not assessment.is_open:
            messages.error(
                request, "The board's answers are submitted, so they can no longer change."
            )
            return redirect(here)
        if form.is_valid():
            try:
                saved = agreed_answers_save(
                    assessment=assessment,
                    user=request.user,
                    changes=[AgreedChange(*item) for item in form.agreed()],
                )
            except StaleAnswers as stale:
                form.show_conflicts(stale.conflicts)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                changed = sum(1 for item in saved if item.changed)
                messages.success(request, _saved_message(form, row, changed))
                return redirect(here)
    return _question_page(request, assessment, view, rows, form)


def _question_page(
    request: HttpRequest,
    assessment: Assessment,
    view: View,
    rows: list[ConsensusRow],
    form: AgreedAnswersForm,
) -> HttpResponse:
    (row,) = form.rows.values()
    code = row.question.code
    pk = assessment.pk
    block = form.blocks()[0]
    block.extra = {"row": row, "needs_rationale": rationale_needed(row, form.value_of(code))}
    previous, following = shaping.neighbours(rows, code, choice=view.choice)
    base = reverse("assessment:consensus", args=[pk])

    def link(other: ConsensusRow | None) -> str | None:
        if other is None:
            return None
        return (
            reverse("assessment:consensus_question", args=[pk, other.question.code]) + view.query()
        )

    context = {
        "assessment": assessment,
        "row": row,
        "status": shaping.SummaryRow(
            row=row, status=shaping.status_of(row), plot=shaping.plot_of(row, split=view.split)
        ),
        "form": form,
        "question_block": block,
        "view": view,
        "position": [r.question.code for r in rows].index(code) + 1,
        "total": len(rows),
        "previous": previous,
        "previous_url": link(previous),
        "next": following,
        "next_url": link(following),
        "summary_url": f"{base}{view.query()}#consensus-{code}",
        "mode_url": request.path + view.query(present=not view.present),
        "counts": shaping.answer_counts(row),
        "members": [
            {"member": member, "role": shaping.role_name(member.board_role)}
            for member in row.members
        ],
        "autosave_url": reverse("assessment:consensus_autosave", args=[pk]),
        "agreed_label": form.label_of(code),
        "page_has_errors": bool(form.errors),
    }
    return render(request, "assessment/consensus_question.html", context)


def _saved_message(form: AgreedAnswersForm, row: ConsensusRow, changed: int) -> str:
    code = row.question.code
    label = form.label_of(code)
    if changed:
        return f"Saved the board's agreed answer to {code}: {label} ({changed} changed)."
    if row.recorded:
        return f"Nothing changed: the board's agreed answer to {code} was already {label}."
    return f"Recorded as agreed: {code} keeps the default answer, {label} (0 changed)."


@login_not_required  # answers with 401, not a redirect, when the session has ended
@require_POST
def autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """One agreed answer, saved as it changes: the members' autosave protocol."""
    if not request.user.is_authenticated:
        return autosaving.signed_out("The agreed answer")
    assessment = get_lead_assessment(request, pk)
    rows = consensus_rows(assessment=assessment)
    code = request.POST.get("question", "")
    found = [row for row in rows if row.question.code == code]
    if not found:
        return autosaving.invalid("Unknown judgement question.")
    form = AgreedAnswersForm(request.POST, rows=found)
    if not form.is_valid():
        return autosaving.form_invalid(form)

    def save() -> list[Saved]:
        saved = agreed_answers_save(
            assessment=assessment,
            user=request.user,
            changes=[AgreedChange(*item) for item in form.agreed()],
        )
        return [Saved(code=item.code, version=item.version, saved_at="") for item in saved]

    return autosaving.save_and_answer(save, agreed_conflict_message)
