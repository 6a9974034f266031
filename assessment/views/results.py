"""The result: verdict, domains, ranked menu, what would change it; what-if and history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods

from assessment import selectors
from assessment.models import Assessment, Submission
from assessment.question_forms import WhatIfForm
from assessment.reports.charts import Bar, Marker, Series, bar_chart, line_chart
from assessment.scoring.confirm import listed_after_weaker
from assessment.scoring.decimals import display
from assessment.scoring.definitions import VERDICT_LABELS
from assessment.scoring.engine import evaluate
from assessment.scoring.result import Result
from assessment.scoring.summary import since_last_time, summarise
from assessment.selectors.journey import withdrawn_for
from assessment.services.papers import agreed_now
from assessment.services.scoring import definitions_for
from assessment.services.submissions import submitted_result
from assessment.views.common import get_assessment_for_user, get_organisation_for_user
from systems.services import peer_comparison


def _result_for(
    request: HttpRequest, assessment: Assessment
) -> tuple[Result, list[dict[str, Any]]]:
    """The stored result once submitted; before that, a live preview for the lead only.
    Also the agreed answers, for the divergent questions and missing evidence."""
    if not assessment.is_open:
        submission = assessment.submission
        return submitted_result(submission), submission.agreed_answers
    if not selectors.is_lead(assessment):
        raise PermissionDenied(
            "The results are shared with the board once the assessment lead submits."
        )
    return agreed_now(assessment)


def domain_chart(result: Result) -> Any:
    scored = [domain for domain in result.domains if domain.scored]
    description = "; ".join(
        f"{domain.name} {display(domain.score) if domain.score is not None else 'no answers'}"
        for domain in scored
    )
    settings = result.settings
    return bar_chart(
        [Bar(label=domain.name, value=domain.score) for domain in scored],
        title="Domain scores out of 100",
        description=f"Scores by domain: {description}.",
        markers=[
            Marker(settings.domain_cap_floor, f"{display(settings.domain_cap_floor)} floor"),
            Marker(settings.lead_domain_floor, f"{display(settings.lead_domain_floor)}"),
        ],
    )


@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    context: dict[str, Any] = {"assessment": assessment, "is_lead": selectors.is_lead(assessment)}
    previous = selectors.previous_submission(assessment=assessment)
    print_view = request.GET.get("view") == "print"
    context["print_view"] = print_view
    if not assessment.is_open:
        # A submitted result never changes: its HTML is drawn once per process and kept,
        # for the earlier submission it is compared with (a withdrawal changes which).
        # Who may see it has been checked above, on every request.
        submission = selectors.submission_stamp(assessment=assessment)
        # Drawn outside the kept HTML, so a withdrawal shows at once.
        context["withdrawal"] = getattr(submission, "withdrawal", None)
        # Drawn on every request too: a trust that stops sharing leaves the comparison at once.
        context["peers"] = peer_comparison(assessment=assessment)
        key = (
            f"result-html:{submission.pk}:{submission.submitted_at.timestamp()}:"
            f"{previous.pk if previous else 0}:{int(print_view)}"
        )
        context["result_html"] = cache.get(key)
        if context["result_html"] is None:
            context["result_html"] = render_to_string(
                "assessment/includes/result.html",
                _result_context(request, assessment, previous, print_view),
            )
            cache.set(key, context["result_html"], timeout=24 * 3600)
    else:
        context.update(_result_context(request, assessment, previous, print_view))
    return render(request, "assessment/results.html", context)


def _result_context(
    request: HttpRequest,
    assessment: Assessment,
    previous: Submission | None = None,
    print_view: bool = False,
) -> dict[str, Any]:
    result, agreed = _result_for(request, assessment)
    since = None
    if previous is not None:
        since = since_last_time(
            result, submitted_result(previous), previous.assessment.reporting_period
        )
    return {
        "assessment": assessment,
        "result": result,
        "summary": summarise(result),
        "since": since,
        "print_view": print_view,
        "is_preview": assessment.is_open,
        "chart": domain_chart(result),
        "divergent": [row for row in agreed if row["divergent"]],
        # Submissions made before figures were entered once have none: nothing is shown.
        "figures": [row for row in agreed if row.get("answered_by") == "figure"],
        # Every member sees what the board agreed and why, once it is submitted.
        "judgements": [row for row in agreed if row.get("answered_by") != "figure"],
        "scored_domains": [domain for domain in result.domains if domain.scored],
        # Results stored before forms to confirm kept their place by fit are shown as they
        # were stored, with a note saying why the order is not by fit.
        "listed_as_recorded": listed_after_weaker(result.ranking),
    }


@require_http_methods(["GET", "POST"])
def what_if(request: HttpRequest, pk: int) -> HttpResponse:
    """Change answers in a sandbox and compare; nothing is ever written."""
    assessment = get_assessment_for_user(request, pk)
    recorded, agreed = _result_for(request, assessment)
    pinned = selectors.pinned_for(assessment)
    values = {row["code"]: row["value"] for row in agreed if row["value"]}
    form = WhatIfForm(
        request.POST if request.method == "POST" else None,
        questions=pinned.definition.questions,
        values=values,
    )
    sandbox: Result | None = None
    changed: list[dict[str, str]] = []
    if request.method == "POST" and form.is_valid():
        definitions = definitions_for(assessment)
        answers, _ = selectors.engine_answers(pinned, form.values)
        sandbox = evaluate(
            definitions.questionnaire,
            definitions.catalogue,
            definitions.settings,
            answers,
            sensitivity=False,
        )
        labels = {result.code: result.answer_label for result in recorded.questions}
        sandbox_labels = {result.code: result.answer_label for result in sandbox.questions}
        changed = [
            {
                "code": code,
                "text": pinned.question(code).text,
                "from": labels.get(code, ""),
                "to": sandbox_labels.get(code, ""),
            }
            for code in pinned.question_ids
            if form.values.get(code, "") != values.get(code, "")
        ]
    # Facts of the trust's nature are shown with their recorded answer, not offered.
    entries = form.entries()
    sections = [
        (domain, [entry for entry in entries if entry.question.domain == domain.code])
        for domain in pinned.sections
    ]
    context = {
        "assessment": assessment,
        "form": form,
        "sections": sections,
        "recorded": recorded,
        "sandbox": sandbox,
        "changed": changed,
        "comparison": _comparison(recorded, sandbox) if sandbox else [],
    }
    return render(request, "assessment/what_if.html", context)


def _comparison(recorded: Result, sandbox: Result) -> list[dict[str, Any]]:
    """Every form of the what-if, ranked ones first, beside how it stood in the record:
    its place and fit, or that it was ruled out and why."""
    ranked = {form.slug: form for form in recorded.ranking}
    ruled_out = {form.slug: form for form in recorded.ruled_out}
    rows = []
    now = [(form, False) for form in sandbox.ranking] + [(form, True) for form in sandbox.ruled_out]
    for form, is_out in now:
        was = ranked.get(form.slug)
        was_out = ruled_out.get(form.slug)
        rows.append(
            {
                "name": form.name,
                "form": form,
                "ruled_out": is_out,
                "was_rank": was.rank if was else None,
                "was_fit": was.fit if was else None,
                "was_to_confirm": was.conditional if was else False,
                "was_ruled_out": was_out is not None,
                "was_reasons": was_out.reasons if was_out else (),
            }
        )
    return rows


@require_GET
def history(request: HttpRequest, trust: int) -> HttpResponse:
    organisation = get_organisation_for_user(request, trust)
    submissions = list(selectors.submissions_for(organisation=organisation))
    domains: list[tuple[str, str]] = []
    for submission in submissions[-1:]:
        result = submitted_result(submission)
        domains = [(d.code, d.name) for d in result.domains if d.scored]
    points = [s.assessment.reporting_period for s in submissions]
    provisional = [submitted_result(s).verdict.provisional for s in submissions]
    series = [Series("Sustainability index", [s.index for s in submissions])] + [
        Series(
            name,
            [
                Decimal(s.domain_scores[code]) if code in s.domain_scores else None
                for s in submissions
            ],
        )
        for code, name in domains
    ]
    chart = (
        line_chart(
            points,
            series,
            title="The sustainability index and domain scores over time",
            description="; ".join(
                f"{s.assessment.reporting_period}: index {display(s.index)}"
                + (" (provisional)" if flag else "")
                for s, flag in zip(submissions, provisional, strict=True)
            ),
            provisional=provisional,
        )
        if submissions
        else None
    )
    rows = [
        {
            "submission": s,
            "verdict": VERDICT_LABELS.get(s.verdict, s.verdict),
            "provisional": flag,
            "scores": [
                (name, display(Decimal(s.domain_scores[code])) if code in s.domain_scores else "–")
                for code, name in domains
            ],
        }
        for s, flag in reversed(list(zip(submissions, provisional, strict=True)))
    ]
    context = {
        "organisation": organisation,
        "rows": rows,
        "domains": domains,
        "chart": chart,
        "latest": rows[0] if rows else None,
        "provisional_count": sum(provisional),
        "withdrawn": list(withdrawn_for(organisation=organisation)),
    }
    return render(request, "assessment/history.html", context)
