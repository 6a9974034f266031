"""CSV, XLSX and JSON exports of an assessment's answers and result.

Spreadsheets run a cell that begins with =, +, - or @ (or a tab or carriage return) as a
formula, so a board member's evidence note could otherwise run code on the lead's
machine. Every text cell that could be read that way is prefixed with an apostrophe;
plain numbers are left as numbers.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from assessment.reports.paper import BoardPaper
from assessment.scoring.decimals import display
from assessment.scoring.result import RankedForm, Result, Sensitivity
from assessment.scoring.serialise import result_to_dict

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def neutralise(value: object) -> object:
    """A cell value a spreadsheet will show, never run."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.match(text):
        return "'" + text
    return text


ANSWER_HEADINGS = (
    "Answered by",
    "Code",
    "Question",
    "Answer",
    "Answer as stored",
    "Note or rationale",
    "Source",
)


def answer_rows(
    members: Iterable[dict[str, Any]], agreed: Iterable[dict[str, Any]]
) -> list[list[object]]:
    """Each member's own answers, then the board's: its agreed judgements, with their
    rationales, and the trust's figures, each with its source."""
    rows: list[list[object]] = [
        [m["who"], m["code"], m["question"], m["label"], m["value"], m["note"], ""] for m in members
    ]
    rows += [
        [
            "The trust (figure)" if a.get("answered_by") == "figure" else "The board (agreed)",
            a["code"],
            a["question"],
            a["label"],
            a["value"],
            a.get("rationale", ""),
            a.get("source", ""),
        ]
        for a in agreed
    ]
    return rows


RESULT_HEADINGS = ("Part", "Item", "Value", "Detail")


def result_rows(result: Result) -> list[list[object]]:
    rows: list[list[object]] = [
        ["Verdict", result.verdict.label, result.verdict.code, result.verdict.rule],
        ["Verdict", "Provisional", "yes" if result.verdict.provisional else "no", ""],
        ["Index", "Sustainability index", display(result.index), "out of 100"],
        ["Index", "Evidence covered", display(result.coverage), "per cent"],
    ]
    rows += [
        ["Domain", domain.name, display(domain.score), f"weight {display(domain.weight)}"]
        for domain in result.domains
        if domain.scored
    ]
    for form in result.ranking:
        rows.append(
            [
                "Ranked form",
                f"{form.rank}. {form.name}",
                display(form.fit),
                " ".join(reason.sentence for reason in form.explanation.reasons),
            ]
        )
        rows += to_confirm_rows(form)
    rows += [["Ruled out", form.name, "", " ".join(form.reasons)] for form in result.ruled_out]
    rows += sensitivity_rows(result.sensitivity)
    rows += [["Missing evidence", item.question, item.status, item.text] for item in result.missing]
    return rows


def sensitivity_rows(sensitivity: Sensitivity | None) -> list[list[object]]:
    """What would change the recommendation: each single changed answer, with the code of
    its question and its sentence, which says when it is outside the trust's control."""
    if sensitivity is None:
        return []
    part = "What would change"
    rows: list[list[object]] = [[part, "The top form", sensitivity.stability, sensitivity.summary]]
    rows += [
        [part, "Would change the top form", item.change.question, item.sentence]
        for item in sensitivity.displacing
    ]
    rows += [
        [part, "Would change the verdict", item.change.question, item.sentence]
        for item in sensitivity.verdict_changes
    ]
    for form in sensitivity.forms:
        rows += [
            [part, f"Would raise {form.name}", item.change.question, item.sentence]
            for item in form.lifts
        ]
        rows += [
            [part, f"Would lower {form.name}", item.change.question, item.sentence]
            for item in form.drops
        ]
    return rows


def to_confirm_rows(form: RankedForm) -> list[list[object]]:
    """One row for each condition of a form to confirm: the codes of the missing answers
    that would confirm it or rule it out, and what it awaits in words, with their texts."""
    return [
        [
            "To confirm",
            f"{form.rank}. {form.name}",
            ", ".join(missing.question for missing in item.missing),
            " ".join(
                [
                    item.sentence,
                    *(f"{missing.question}: {missing.text}" for missing in item.missing),
                ]
            ),
        ]
        for item in form.to_confirm
    ]


def to_csv(headings: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def to_xlsx(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[object]]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headings, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(list(headings))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([neutralise(cell) for cell in row])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def assessment_json(
    paper: BoardPaper, members: list[dict[str, Any]], agreed: list[dict[str, Any]]
) -> str:
    """The whole assessment: what it is, every answer, the agreed answers and the result."""
    document = {
        "format": "assess-your-trust-assessment",
        "trust": {"name": paper.trust_name, "ods_code": paper.ods_code},
        "assessment": {
            "title": paper.title,
            "reporting_period": paper.reporting_period,
            "status": paper.status,
            "date": paper.paper_date.isoformat(),
            "respondents": paper.respondents,
            "questionnaire_version": paper.result.questionnaire_version,
            "catalogue_version": paper.result.catalogue_version,
        },
        "member_answers": members,
        "agreed_answers": agreed,
        "result": result_to_dict(paper.result),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
