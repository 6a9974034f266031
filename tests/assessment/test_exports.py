"""The board paper and the lead's exports: right content, right people, safe to open."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from assessment.models import Answer, Assessment
from assessment.reports.exports import neutralise
from assessment.services.published import questionnaire_published_definition
from models_catalogue.models import CatalogueVersion, DomainWeight
from models_catalogue.services import catalogue_new_draft, catalogue_publish
from tests.assessment.conftest import client_for
from tests.assessment.journey import answer_everything
from tests.factories import MembershipFactory
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
MID, FRAGILE, STRONG = (load_persona(path)["answers"] for path in persona_paths())
EXPORTS = (
    "board-paper.pdf",
    "exports/answers.csv",
    "exports/answers.xlsx",
    "exports/results.csv",
    "exports/results.xlsx",
    "exports/assessment.json",
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+2", "'+1+2"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tsneaky", "'\tsneaky"),
        ("-0.5", "-0.5"),  # a plain negative number is a number, not a formula
        ("Good", "Good"),
        (Decimal("2.5"), Decimal("2.5")),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_neutralised(value: object, shown: object) -> None:
    assert neutralise(value) == shown


def _submitted(assessment: Assessment, trust_lead, board) -> Client:
    answer_everything(client_for(board[0]), assessment, MID)
    answer_everything(client_for(board[1]), assessment, FRAGILE)
    answer_everything(client_for(board[2]), assessment, STRONG)
    lead = client_for(trust_lead)
    page = lead.get(f"/assessments/{assessment.pk}/consensus/?show=divergent").content.decode()
    data = {}
    for code in re.findall(r'id="consensus-([A-Z0-9-]+)"', page):
        chosen = re.search(rf'name="q-{code}" type="radio" value="([^"]+)" checked', page)
        figure = re.search(rf'name="n-{code}"[^>]*value="([^"]*)"', page)
        data[f"q-{code}"] = chosen.group(1) if chosen else ""
        if figure:
            data[f"n-{code}"] = figure.group(1)
        data[f"v-{code}"] = "0"
        data[f"r-{code}"] = f"Rationale for {code}: agreed at the seminar."
    assert (
        lead.post(f"/assessments/{assessment.pk}/consensus/?show=divergent", data).status_code
        == 302
    )
    assert lead.post(f"/assessments/{assessment.pk}/submit/").status_code == 302
    return lead


def _text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_the_board_paper_names_trust_verdict_menu_ruled_out_and_divergent_questions(
    assessment, trust_lead, board
) -> None:
    lead = _submitted(assessment, trust_lead, board)
    response = lead.get(f"/assessments/{assessment.pk}/board-paper.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = _text(response)
    result = Assessment.objects.get(pk=assessment.pk).submission.result
    assert "North Moor Hospitals NHS Foundation Trust" in text
    assert result["verdict"]["label"] in text
    positions = [text.index(" ".join(form["name"].split())) for form in result["ranking"]]
    assert positions == sorted(positions), "forms appear in rank order"
    for form in result["ruled_out"]:
        for reason in form["reasons"]:
            assert reason in text
    divergent = [
        row
        for row in Assessment.objects.get(pk=assessment.pk).submission.agreed_answers
        if row["divergent"]
    ]
    assert divergent
    for row in divergent:
        assert f"Rationale for {row['code']}: agreed at the seminar." in text
    assert "OFFICIAL-SENSITIVE" in text


def test_the_paper_is_built_from_the_stored_result_not_from_todays_catalogue(
    assessment, trust_lead, board
) -> None:
    lead = _submitted(assessment, trust_lead, board)
    before = _text(lead.get(f"/assessments/{assessment.pk}/board-paper.pdf"))

    draft = catalogue_new_draft(source=CatalogueVersion.objects.get(number=1), user=None)
    DomainWeight.objects.filter(form__version=draft, form__slug="merger-acquisition").update(
        weight=Decimal(1), prefers="high"
    )
    DomainWeight.objects.filter(form__version=draft).exclude(
        form__slug="merger-acquisition"
    ).update(weight=Decimal("0.1"))
    catalogue_publish(version=draft, user=None, questionnaire=questionnaire_published_definition())
    with mock.patch("assessment.services.submissions.evaluate", side_effect=AssertionError):
        after = _text(lead.get(f"/assessments/{assessment.pk}/board-paper.pdf"))
    assert after == before


def test_answers_export_holds_each_members_answers_and_the_agreed_ones(
    assessment, trust_lead, board
) -> None:
    Answer.objects.all().delete()
    client_for(board[0]).post(
        f"/assessments/{assessment.pk}/response/QUAL/",
        {"q-QUAL-1": "good", "v-QUAL-1": "0", "note-QUAL-1": '=HYPERLINK("http://evil.example")'},
    )
    lead = client_for(trust_lead)
    response = lead.get(f"/assessments/{assessment.pk}/exports/answers.csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="rnm-board-assessment-2025-to-2026-draft-answers.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Answered by", "Code", "Question", "Answer", "Answer as stored", "Note"]
    mine = next(
        row
        for row in rows
        if row[1] == "QUAL-1" and row[0] != "The board (agreed)" and row[4] == "good"
    )
    assert mine[5] == '\'=HYPERLINK("http://evil.example")'
    assert any(row[0] == "The board (agreed)" and row[1] == "QUAL-1" for row in rows)

    book = load_workbook(
        io.BytesIO(lead.get(f"/assessments/{assessment.pk}/exports/answers.xlsx").content)
    )
    sheet = book["Answers"]
    notes = [sheet.cell(row=n, column=6).value for n in range(2, sheet.max_row + 1)]
    assert '\'=HYPERLINK("http://evil.example")' in notes
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_results_exports_and_json_hold_the_result(assessment, trust_lead, board) -> None:
    lead = _submitted(assessment, trust_lead, board)
    submission = Assessment.objects.get(pk=assessment.pk).submission
    results = lead.get(f"/assessments/{assessment.pk}/exports/results.csv").content.decode()
    assert submission.result["verdict"]["label"] in results
    assert submission.result["ranking"][0]["name"] in results
    book = load_workbook(
        io.BytesIO(lead.get(f"/assessments/{assessment.pk}/exports/results.xlsx").content)
    )
    assert book["Results"].cell(row=2, column=2).value == submission.result["verdict"]["label"]
    document = json.loads(lead.get(f"/assessments/{assessment.pk}/exports/assessment.json").content)
    assert document["trust"]["ods_code"] == "RNM"
    assert document["result"] == submission.result
    assert len(document["member_answers"]) == 3 * 42
    assert len(document["agreed_answers"]) == 42


# Every figure of the seed questionnaire left blank: the strong trust's verdict is then
# provisional, and the three forms that need a confirmed verdict are to confirm.
FIGURES = (
    "QUAL-4",
    *("FIN-1", "FIN-2", "FIN-3", "FIN-4", "FIN-5", "FIN-6"),
    *("WORK-1", "WORK-2", "WORK-4", "WORK-5"),
    *("PERF-1", "PERF-2", "PERF-3", "PERF-4"),
    *("SCALE-1", "SCALE-2", "SCALE-3"),
)


def test_results_exports_mark_forms_to_confirm_with_codes_and_questions(
    assessment, trust_lead, board
) -> None:
    answers = {code: value for code, value in STRONG.items() if code not in FIGURES}
    for member in board:
        answer_everything(client_for(member), assessment, answers)
    lead = client_for(trust_lead)
    assert lead.post(f"/assessments/{assessment.pk}/submit/").status_code == 302
    stored = Assessment.objects.get(pk=assessment.pk).submission.result
    fin_1 = next(m["text"] for m in stored["missing"] if m["question"] == "FIN-1")
    csv_text = lead.get(f"/assessments/{assessment.pk}/exports/results.csv").content.decode()
    rows = list(csv.reader(io.StringIO(csv_text)))
    book = load_workbook(
        io.BytesIO(lead.get(f"/assessments/{assessment.pk}/exports/results.xlsx").content)
    )
    sheet_rows = [
        ["" if cell is None else str(cell) for cell in row]
        for row in book["Results"].iter_rows(values_only=True)
    ]
    for table in (rows, sheet_rows):
        menu = [row for row in table if row[0] in ("Ranked form", "To confirm")]
        # Ranked by fit, the forms to confirm first, each followed by what it awaits.
        assert [(row[0], row[1].split(". ", 1)[0]) for row in menu[:7]] == [
            ("Ranked form", "1"),
            ("To confirm", "1"),
            ("Ranked form", "2"),
            ("To confirm", "2"),
            ("Ranked form", "3"),
            ("To confirm", "3"),
            ("Ranked form", "4"),
        ]
        first = menu[1]
        assert first[1] == "1. Support another provider (buddying or a management contract)"
        assert first[2] == ", ".join(FIGURES)
        assert first[3].startswith("A trust must itself be sustainable before it supports")
        assert f"FIN-1: {fin_1}" in first[3]
        assert not any(row[0] == "To confirm" and row[1].startswith("4. ") for row in table)
    document = json.loads(lead.get(f"/assessments/{assessment.pk}/exports/assessment.json").content)
    ranking = document["result"]["ranking"]
    assert [form["conditional"] for form in ranking[:4]] == [True, True, True, False]
    assert [m["question"] for m in ranking[0]["to_confirm"][0]["missing"]] == list(FIGURES)


@pytest.mark.parametrize("export", EXPORTS)
def test_a_user_of_another_trust_gets_404_for_every_export(assessment, export: str) -> None:
    stranger = MembershipFactory(role="lead")  # a lead, but of another trust
    response = client_for(stranger).get(f"/assessments/{assessment.pk}/{export}")
    assert response.status_code == 404


@pytest.mark.parametrize("export", EXPORTS[1:])
def test_board_members_cannot_download_everyones_answers(assessment, board, export: str) -> None:
    assert client_for(board[0]).get(f"/assessments/{assessment.pk}/{export}").status_code == 403


def test_members_get_the_board_paper_only_once_submitted(assessment, trust_lead, board) -> None:
    member = client_for(board[0])
    assert member.get(f"/assessments/{assessment.pk}/board-paper.pdf").status_code == 403
    _submitted(assessment, trust_lead, board)
    response = member.get(f"/assessments/{assessment.pk}/board-paper.pdf")
    assert response.status_code == 200
    assert "DRAFT" not in _text(response)


def test_the_leads_paper_before_submission_is_marked_draft(assessment, trust_lead, board) -> None:
    answer_everything(client_for(board[0]), assessment, MID)
    response = client_for(trust_lead).get(f"/assessments/{assessment.pk}/board-paper.pdf")
    assert (
        'filename="rnm-board-assessment-2025-to-2026-draft-board-paper.pdf"'
        in (response["Content-Disposition"])
    )
    assert "DRAFT" in _text(response)
