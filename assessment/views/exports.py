"""Downloads: the board paper (PDF) and the lead's exports (CSV, XLSX, JSON).

File names are built here, never taken from the request; every download is an
attachment that is never cached; only members of the trust can fetch one, and the
answers and exports only its assessment lead.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from assessment import selectors
from assessment.models import Assessment
from assessment.reports import exports
from assessment.reports.pdf import board_paper_pdf
from assessment.services.papers import agreed_answers, member_answers, paper_for
from assessment.views.common import get_assessment_for_user, get_lead_assessment

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}


def file_name(assessment: Assessment, kind: str, extension: str) -> str:
    parts = [
        assessment.organisation.ods_code,
        assessment.title,
        assessment.reporting_period,
        "draft" if assessment.is_open else "",
        kind,
    ]
    stem = slugify("-".join(part for part in parts if part))[:120].strip("-")
    return f"{stem}.{extension}"


def download(content: bytes | str, name: str) -> HttpResponse:
    extension = name.rsplit(".", 1)[1]
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_GET
def board_paper(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    if assessment.is_open and not selectors.is_lead(assessment):
        raise PermissionDenied(
            "The board paper is shared with the board once the assessment lead submits."
        )
    pdf = board_paper_pdf(paper_for(assessment))
    return download(pdf, file_name(assessment, "board-paper", "pdf"))


@never_cache
@require_GET
def answers_export(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    assessment = get_lead_assessment(request, pk)
    rows = exports.answer_rows(member_answers(assessment), agreed_answers(assessment))
    name = file_name(assessment, "answers", extension)
    if extension == "csv":
        return download(exports.to_csv(exports.ANSWER_HEADINGS, rows), name)
    return download(exports.to_xlsx([("Answers", exports.ANSWER_HEADINGS, rows)]), name)


@never_cache
@require_GET
def results_export(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    assessment = get_lead_assessment(request, pk)
    paper = paper_for(assessment)
    rows = exports.result_rows(paper.result)
    name = file_name(assessment, "results", extension)
    if extension == "csv":
        return download(exports.to_csv(exports.RESULT_HEADINGS, rows), name)
    return download(exports.to_xlsx([("Results", exports.RESULT_HEADINGS, rows)]), name)


@never_cache
@require_GET
def assessment_export(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_lead_assessment(request, pk)
    document = exports.assessment_json(
        paper_for(assessment), member_answers(assessment), agreed_answers(assessment)
    )
    return download(document, file_name(assessment, "assessment", "json"))
