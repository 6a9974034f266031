"""The board paper and the lead's exports: right content, right people, safe to open."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from assessment.models import Answer, Assessment, Submission
from assessment.question_forms import value_label
from assessment.reports.exports import neutralise
from assessment.scoring.decimals import display
from assessment.selectors import pinned_for
from assessment.services.published import questionnaire_published_definition
from models_catalogue.models import CatalogueVersion, DomainWeight
from models_catalogue.services import catalogue_new_draft, catalogue_publish
from tests.assessment.conftest import client_for
from tests.assessment.journey import (
    agree_judgements,
    answer_everything,
    enter_figures,
    enter_figures_cited,
    submit_board,
)
from tests.factories import MembershipFactory
from tests.personas import load_persona, persona_paths
from tests.reports.board import paper_body, squashed

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
EVIL = '=HYPERLINK("http://evil.example")'
# A result that main stored before figures were entered once (result format 2).
FORMAT_2 = Path(__file__).resolve().parents[1] / "scoring/snapshots/format-2-fragile-workforce.json"
BEFORE_RATIONALE = "QUAL-5: the weekend rotas were filled from the spring."


def source_of(code: str) -> str:
    """Each figure's own source, so that a figure is seen with its source and no other."""
    return f"Annual report and accounts 2024/25, the table for {code}."


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
    """Three members' judgements, far apart on some; the lead's figures, each with its
    source; every divergent judgement agreed with a rationale; submitted."""
    answer_everything(client_for(board[0]), assessment, MID)
    answer_everything(client_for(board[1]), assessment, FRAGILE)
    answer_everything(client_for(board[2]), assessment, STRONG)
    lead = client_for(trust_lead)
    enter_figures_cited(lead, assessment, MID, source_of)
    agree_judgements(
        lead, assessment, lambda code: f"Rationale for {code}: agreed at the seminar.", "divergent"
    )
    assert submit_board(lead, assessment).status_code == 302
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


def test_the_board_paper_gives_each_figure_with_its_source_in_appendix_a(
    assessment, trust_lead, board
) -> None:
    lead = _submitted(assessment, trust_lead, board)
    body = paper_body(lead.get(f"/assessments/{assessment.pk}/board-paper.pdf").content)
    appendix = body[body.index(squashed("Appendix A.")) : body.index(squashed("Appendix B."))]
    agreed = Assessment.objects.get(pk=assessment.pk).submission.agreed_answers
    figures = [row for row in agreed if row["answered_by"] == "figure"]
    assert [row["code"] for row in figures] == [q.code for q in pinned_for(assessment).figures]
    for row in agreed:
        entry = f"{row['code']} {row['question']}"
        if row["answered_by"] == "figure":
            # Directly under the figure: its value, then its source.
            assert row["source"] == source_of(row["code"])
            shown = f"{entry} Figure: {row['label']} Source: {row['source']}"
        else:
            shown = f"{entry} Agreed answer: {row['label']}"
        assert squashed(shown) in appendix, row["code"]
    assert appendix.count(squashed("Source:")) == len(figures)


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
        {"q-QUAL-5": "3", "v-QUAL-5": "0", "note-QUAL-5": EVIL},
    )
    lead = client_for(trust_lead)
    # The lead's figure, with a source a spreadsheet would run.
    enter_figures(lead, assessment, {"QUAL-1": "good"}, source=EVIL)
    response = lead.get(f"/assessments/{assessment.pk}/exports/answers.csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="rnm-board-assessment-2025-to-2026-draft-answers.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Answered by",
        "Code",
        "Question",
        "Answer",
        "Answer as stored",
        "Note or rationale",
        "Source",
    ]
    mine = next(
        row
        for row in rows
        if row[1] == "QUAL-5" and row[0] != "The board (agreed)" and row[4] == "3"
    )
    assert mine[5] == "'" + EVIL
    assert mine[6] == ""  # a member's answer has a note, not a source
    assert any(row[0] == "The board (agreed)" and row[1] == "QUAL-5" for row in rows)
    # The figure is the trust's, with its source, not an answer the board agreed.
    (figure,) = [row for row in rows if row[1] == "QUAL-1"]
    assert (figure[0], figure[3], figure[4], figure[6]) == (
        "The trust (figure)",
        "Good",
        "good",
        "'" + EVIL,
    )

    book = load_workbook(
        io.BytesIO(lead.get(f"/assessments/{assessment.pk}/exports/answers.xlsx").content)
    )
    sheet = book["Answers"]
    assert [cell.value for cell in sheet[1]] == rows[0]
    notes = [sheet.cell(row=n, column=6).value for n in range(2, sheet.max_row + 1)]
    assert "'" + EVIL in notes
    sources = [sheet.cell(row=n, column=7).value for n in range(2, sheet.max_row + 1)]
    assert "'" + EVIL in sources
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_answers_export_gives_each_figure_its_source_and_each_judgement_its_rationale(
    assessment, trust_lead, board
) -> None:
    lead = _submitted(assessment, trust_lead, board)
    pinned = pinned_for(assessment)
    rows = list(
        csv.reader(
            io.StringIO(
                lead.get(f"/assessments/{assessment.pk}/exports/answers.csv").content.decode()
            )
        )
    )
    book = load_workbook(
        io.BytesIO(lead.get(f"/assessments/{assessment.pk}/exports/answers.xlsx").content)
    )
    sheet_rows = [
        ["" if cell is None else str(cell) for cell in row]
        for row in book["Answers"].iter_rows(values_only=True)
    ]
    for table in (rows, sheet_rows):
        assert table[0][-1] == "Source"
        figures = [row for row in table if row[0] == "The trust (figure)"]
        agreed = [row for row in table if row[0] == "The board (agreed)"]
        assert [row[1] for row in figures] == [q.code for q in pinned.figures]
        assert [row[1] for row in agreed] == [q.code for q in pinned.judgements]
        for row in figures:
            assert (row[5], row[6]) == ("", source_of(row[1]))
        for row in agreed:
            assert row[6] == ""
            assert row[5] in ("", f"Rationale for {row[1]}: agreed at the seminar.")
        assert any(row[5] for row in agreed)


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
    # Each member answers the 16 judgements; the 26 figures are the trust's, entered once.
    assert len(document["member_answers"]) == 3 * 16
    assert {row["code"] for row in document["member_answers"]} == {
        q.code for q in pinned_for(assessment).judgements
    }
    assert len(document["agreed_answers"]) == 42
    assert document["agreed_answers"] == submission.agreed_answers
    for row in document["agreed_answers"]:
        if row["answered_by"] == "figure":
            assert row["source"] == source_of(row["code"])
        else:
            assert "source" not in row


# Every number the seed questionnaire asks for (each a figure the lead enters) left blank: the
# strong trust's verdict is then provisional, and the three forms that need a confirmed
# verdict are to confirm.
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
    enter_figures(lead, assessment, answers)
    assert submit_board(lead, assessment).status_code == 302
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


# ---------------------------------------- an assessment submitted before figures were entered once


def _submitted_before_figures(assessment: Assessment, trust_lead, board) -> Submission:
    """A submission as main stored it before figures were entered once: the fragile trust's
    result, and every question agreed by the board with its members' answers, none of them
    with "answered_by" or "source". QUAL-5 was divergent, and carries the board's rationale."""
    result = json.loads(FORMAT_2.read_text(encoding="utf-8"))
    pinned = pinned_for(assessment)
    sections = {domain["code"]: domain["name"] for domain in result["domains"]}
    names = sorted(member.user.get_full_name() for member in board)
    spread = {"QUAL-5": ("2", "3", "4")}
    agreed = [
        {
            "code": question["code"],
            "question": question["text"],
            "section": sections[question["domain"]],
            "value": question["answer"],
            "label": question["answer_label"],
            "rationale": BEFORE_RATIONALE if question["code"] in spread else "",
            "divergent": question["code"] in spread,
            "members": [
                {"name": name, "label": value_label(pinned.question(question["code"]), value)}
                | {"note": ""}
                for name, value in zip(
                    names, spread.get(question["code"], (question["answer"],) * 3), strict=True
                )
            ],
        }
        for question in result["questions"]
    ]
    now = timezone.now()
    submission = Submission.objects.create(
        assessment=assessment,
        result=result,
        verdict=result["verdict"]["code"],
        index=Decimal(result["index"]).quantize(Decimal("0.0001")),
        domain_scores={
            domain["code"]: domain["score"] for domain in result["domains"] if domain["scored"]
        },
        respondent_count=len(board),
        agreed_answers=agreed,
        submitted_by=trust_lead.user,
        submitted_at=now,
    )
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.SUBMITTED, submitted_by=trust_lead.user, submitted_at=now
    )
    return submission


def test_an_assessment_submitted_before_figures_shows_its_results_page_as_it_did(
    assessment, trust_lead, board
) -> None:
    result = _submitted_before_figures(assessment, trust_lead, board).result
    page = client_for(board[0]).get(f"/assessments/{assessment.pk}/results/").content.decode()
    text = html.unescape(page)
    assert result["verdict"]["label"] in text
    assert result["verdict"]["rule"] in text
    ranked = re.findall(r'<li class="nhsuk-card app-ranked-form" id="form-([a-z-]+)"', page)
    assert ranked == [form["slug"] for form in result["ranking"]]
    for domain in result["domains"]:
        if domain["scored"]:
            score = display(Decimal(domain["score"]))
            assert re.search(
                rf">{re.escape(domain['name'])}</th>\s*<td[^>]*>{re.escape(score)}</td>", text
            ), domain["code"]
    for form in result["ruled_out"]:
        for reason in form["reasons"]:
            assert reason in text
    assert BEFORE_RATIONALE in text
    # Nothing of figures: every answer was the board's, agreed, and none had a source.
    assert 'id="figures"' not in page
    assert "Source" not in text


def test_an_assessment_submitted_before_figures_gives_its_board_paper_as_it_did(
    assessment, trust_lead, board
) -> None:
    submission = _submitted_before_figures(assessment, trust_lead, board)
    result = submission.result
    response = client_for(board[0]).get(f"/assessments/{assessment.pk}/board-paper.pdf")
    assert response.status_code == 200
    text = _text(response)
    assert result["verdict"]["label"] in text
    positions = [text.index(" ".join(form["name"].split())) for form in result["ranking"]]
    assert positions == sorted(positions), "forms appear in rank order"
    for domain in result["domains"]:
        if domain["scored"]:
            shown = (display(Decimal(domain["score"])), display(Decimal(domain["weight"])))
            assert f"{domain['name']} {shown[0]} {shown[1]}" in text, domain["code"]
    for form in result["ruled_out"]:
        for reason in form["reasons"]:
            assert reason in text
    body = paper_body(response.content)
    appendix = body[body.index(squashed("Appendix A.")) : body.index(squashed("Appendix B."))]
    # Every question as the board agreed it, with its members' answers; none as a figure.
    for row in submission.agreed_answers:
        assert squashed(f"{row['code']} {row['question']} Agreed answer: {row['label']}") in (
            appendix
        ), row["code"]
    assert appendix.count(squashed("Agreed answer:")) == len(submission.agreed_answers)
    assert squashed("Figure:") not in appendix
    assert squashed("Source:") not in appendix
    assert squashed(f"Rationale: {BEFORE_RATIONALE}") in appendix
    assert squashed("Members' answers: Acute (general hospital services) (3 members)") in appendix


def test_an_assessment_submitted_before_figures_exports_every_answer_as_the_boards(
    assessment, trust_lead, board
) -> None:
    submission = _submitted_before_figures(assessment, trust_lead, board)
    csv_text = client_for(trust_lead).get(f"/assessments/{assessment.pk}/exports/answers.csv")
    rows = list(csv.reader(io.StringIO(csv_text.content.decode())))
    assert rows[0][-1] == "Source"
    # Every agreed answer is the board's, as it was, with no source; none is the trust's.
    assert not any(row[0] == "The trust (figure)" for row in rows)
    agreed = [row for row in rows if row[0] == "The board (agreed)"]
    assert agreed == [
        [
            "The board (agreed)",
            *(
                str(neutralise(value))
                for value in (row["code"], row["question"], row["label"], row["value"])
            ),
            row["rationale"],
            "",
        ]
        for row in submission.agreed_answers
    ]


def test_the_paper_of_an_assessment_submitted_before_figures_says_nothing_of_sources(
    assessment, trust_lead, board
) -> None:
    _submitted_before_figures(assessment, trust_lead, board)
    response = client_for(board[0]).get(f"/assessments/{assessment.pk}/board-paper.pdf")
    body = paper_body(response.content)
    appendix = body[body.index(squashed("Appendix A.")) : body.index(squashed("Appendix B."))]
    assert squashed("Source:") not in appendix
    # Its figures were agreed by the board like every other answer, and have no source.
    assert squashed("The trust's figures were entered once") not in appendix
