"""The board paper opens with the cover sheet every NHS board paper carries: the meeting, the
purpose with the chosen one marked, an executive summary, the recommendation and what the
board is asked to do, from the fields the lead filled in when submitting (or the defaults,
for a submission made before the cover sheet existed); with what changed since the trust's
previous submission, where it has one. The verdict's box is coloured by its severity."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader
from reportlab.lib.rl_accel import fp_str

from assessment.models import Assessment, Membership, Submission
from assessment.reports.paper import CoverSheet
from assessment.reports.pdf import board_paper_pdf
from assessment.reports.pdf.styles import (
    NHS_GREEN,
    NHS_RED,
    NHS_WARM_YELLOW,
    SEVERITIES,
    severity,
)
from assessment.scoring.definitions import (
    AT_RISK,
    SUSTAINABLE_COLLABORATE,
    SUSTAINABLE_LEAD,
    UNSUSTAINABLE,
    VERDICT_LABELS,
)
from assessment.scoring.result import Result
from assessment.scoring.summary import since_last_time, summarise, whole
from assessment.services.assessments import assessment_create, respondents_add
from assessment.services.paper_details import BOARD_ASKED_TO, recommendation_default
from assessment.services.submissions import submitted_result
from tests.assessment.conftest import client_for
from tests.assessment.journey import (
    agree_judgements,
    answer_everything,
    enter_figures,
    submit_board,
)
from tests.personas import load_persona, persona_paths
from tests.reports.test_pdf import make_paper, persona_result

PERSONAS = {path.stem: load_persona(path)["answers"] for path in persona_paths()}
CODE = re.compile(r"(?<![\w-])[A-Z]+-\d+(?![\w-])")  # a question code, such as QUAL-1
FOOTER = "Assess your trust's sustainability: board paper"


def pages(pdf: bytes) -> list[str]:
    """Each page's text, every run of white space as one space."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def downloaded(client, assessment: Assessment) -> list[str]:
    response = client.get(f"/assessments/{assessment.pk}/board-paper.pdf")
    assert response.status_code == 200
    return pages(response.content)


def submitted(
    assessment: Assessment,
    lead: Membership,
    board: list[Membership],
    persona: str = "collaborative-mid",
    **cover: str,
) -> Submission:
    """The board answers as `persona`, the lead agrees every judgement and submits with the
    cover sheet as the submit page fills it in, changed by `cover`."""
    answers = PERSONAS[persona]
    for member in board:
        answer_everything(client_for(member), assessment, answers)
    client = client_for(lead)
    enter_figures(client, assessment, answers)
    agree_judgements(client, assessment, lambda code: f"Agreed {code} at the board.")
    response = submit_board(client, assessment, **{f"paper-{k}": v for k, v in cover.items()})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Submission.objects.get(assessment=assessment)


# ---------------------------------------------------------------- through the download


@pytest.mark.django_db
def test_page_one_is_the_cover_sheet_the_lead_filled_in(assessment, trust_lead, board) -> None:
    submission = submitted(
        assessment,
        trust_lead,
        board,
        agenda_item="8.2",
        report_of="Dr Ama Mensah, Director of Strategy",
        prepared_by="Jo Lee, Head of Strategy",
        purpose="assurance",
        meeting_date="12/3/2027",
        recommendation="Commission an options appraisal of the three leading forms.",
        board_asked_to="Receive the assessment and approve the options appraisal.",
        strategic_objectives="SO3: sustainable services for our population",
        assurance_framework="BAF 4: clinical workforce",
        risks="Partners may not agree the scope of the appraisal.",
    )
    first = downloaded(client_for(board[0]), assessment)[0]
    for expected in (
        "Meeting Board of directors, meeting in public",
        "Date of meeting 12 March 2027",
        "Agenda item 8.2",
        "Report of Dr Ama Mensah, Director of Strategy",
        "Prepared by Jo Lee, Head of Strategy",
        "Purpose For decision: no · For assurance: yes · For information: no",
        "Executive summary",
        "Recommendation Commission an options appraisal of the three leading forms.",
        "The board is asked to Receive the assessment and approve the options appraisal.",
        "Link to strategic objectives SO3: sustainable services for our population",
        "Link to the board assurance framework BAF 4: clinical workforce",
        "Risks Partners may not agree the scope of the appraisal.",
    ):
        assert expected in first, expected
    # The executive summary: the verdict, the three best-fitting forms with how well each
    # fits and its main risk, what would most change it, and the evidence covered.
    summary = summarise(submitted_result(submission))
    assert f"Verdict: {summary.verdict_label}." in first
    for line in summary.forms:
        assert f"{line.rank}. {line.name}: {line.fit_words.lower()} ({whole(line.fit)} out" in first
        assert f"Main risk: {line.risk}" in first
    assert "What would most change this:" in first
    assert summary.coverage_sentence in first
    # The trust's first submission: nothing to compare with.
    assert "Since the last assessment" not in " ".join(downloaded(client_for(board[0]), assessment))
    # Questions by their text: no bare code on the cover sheet.
    assert not CODE.search(first), CODE.search(first)


@pytest.mark.django_db
def test_a_second_submission_says_what_changed_since_the_first(
    assessment, trust, trust_lead, board
) -> None:
    earlier = submitted(assessment, trust_lead, board, "strong-teaching-trust")
    later_assessment = assessment_create(
        organisation=trust,
        title="Board reassessment",
        reporting_period="2026 to 2027",
        user=trust_lead.user,
    )
    respondents_add(assessment=later_assessment, users=[m.user for m in board])
    later = submitted(later_assessment, trust_lead, board, "fragile-workforce")
    before, after = submitted_result(earlier), submitted_result(later)
    assert before.index != after.index  # the test needs a change to find
    since = since_last_time(after, before, assessment.reporting_period)

    paper = downloaded(client_for(board[2]), later_assessment)
    first = paper[0]
    assert f"Since the last assessment ({assessment.reporting_period}):" in first
    assert since.verdict_sentence in first
    assert (
        f"Sustainability index: {'up' if after.index > before.index else 'down'} "
        f"{whole(abs(after.index - before.index))}, from {whole(before.index)} to "
        f"{whole(after.index)}." in first
    )
    # The section of its own: verdict, index, each domain and the forms that moved.
    text = " ".join(paper)
    part = text[text.index("6. Since the last assessment") : text.index("7. Where board")]
    assert since.index_sentence in part
    for move in (*since.domains, *since.forms):
        assert move.sentence in part
    assert since.forms  # a different trust's answers move the ranking

    # The first submission's paper has nothing before it to compare with.
    first_paper = " ".join(downloaded(client_for(board[2]), assessment))
    assert "Since the last assessment" not in first_paper
    assert not re.search(r"Sustainability index: (up|down|unchanged)", first_paper)


@pytest.mark.django_db
def test_a_submission_from_before_the_cover_sheet_gets_the_defaults(
    assessment, trust_lead, board
) -> None:
    submission = submitted(assessment, trust_lead, board)
    # As a submission made before the cover sheet existed was stored.
    Submission.objects.filter(pk=submission.pk).update(paper_details={})
    result = submitted_result(submission)
    first = downloaded(client_for(board[0]), assessment)[0]
    for expected in (
        "Meeting Not recorded",
        "Date of meeting Not recorded",
        "Agenda item Not recorded",
        f"Title {assessment.title}",
        "Report of Not recorded",
        "Purpose For decision: yes · For assurance: no · For information: no",
        "Executive summary",
        f"Recommendation {' '.join(recommendation_default(result).split())}",
        f"The board is asked to {BOARD_ASKED_TO}",
        "Link to strategic objectives None recorded.",
        "Risks The leading option's main risk:",
    ):
        assert expected in first, expected
    assert not CODE.search(first)


@pytest.mark.django_db
def test_the_leads_draft_names_its_creator_and_is_marked_draft(
    assessment, trust_lead, board
) -> None:
    for member in board:
        answer_everything(client_for(member), assessment, PERSONAS["collaborative-mid"])
    first = downloaded(client_for(trust_lead), assessment)[0]
    name = trust_lead.user.get_full_name()
    assert f"Report of {name}" in first
    assert f"Prepared by {name}" in first
    assert "Status Draft: not submitted DRAFT: this is not the board's submitted result" in first
    assert "Executive summary" in first


# ------------------------------------------------------------------------ the verdict


def with_verdict(result: Result, code: str) -> Result:
    return replace(result, verdict=replace(result.verdict, code=code, label=VERDICT_LABELS[code]))


def fill(colour) -> str:
    """How ReportLab sets a fill colour in a page's content stream."""
    return f"{fp_str(colour.red, colour.green, colour.blue)} rg"


def content(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    streams = [page.get_contents() for page in reader.pages]
    return "\n".join(
        stream.get_data().decode("latin-1") for stream in streams if stream is not None
    )


def test_the_verdict_box_is_coloured_by_severity_with_its_label_written() -> None:
    result = persona_result("collaborative-mid")
    assert not any(form.conditional for form in result.ranking)  # no yellow "To confirm"
    at_risk = board_paper_pdf(make_paper(with_verdict(result, AT_RISK)))
    unsustainable = board_paper_pdf(make_paper(with_verdict(result, UNSUSTAINABLE)))
    sustainable = board_paper_pdf(make_paper(with_verdict(result, SUSTAINABLE_COLLABORATE)))
    assert fill(NHS_WARM_YELLOW) in content(at_risk)
    assert fill(NHS_RED) not in content(at_risk)
    assert fill(NHS_RED) in content(unsustainable)
    assert fill(NHS_WARM_YELLOW) not in content(unsustainable)
    assert fill(NHS_GREEN) in content(sustainable)
    assert fill(NHS_GREEN) not in content(at_risk)
    # Never colour alone: the label is written on the band.
    assert f"Verdict: {VERDICT_LABELS[AT_RISK]}" in " ".join(pages(at_risk))
    assert f"Verdict: {VERDICT_LABELS[UNSUSTAINABLE]}" in " ".join(pages(unsustainable))


def test_each_verdict_has_its_colour_and_the_two_sustainable_ones_share_green() -> None:
    assert set(SEVERITIES) == set(VERDICT_LABELS)
    assert severity(SUSTAINABLE_LEAD).band == severity(SUSTAINABLE_COLLABORATE).band == NHS_GREEN
    assert severity(AT_RISK).band == NHS_WARM_YELLOW
    assert severity(UNSUSTAINABLE).band == NHS_RED
    assert severity(AT_RISK).ground != severity(UNSUSTAINABLE).ground


# ------------------------------------------------------------------- without a database


def test_page_one_of_a_persona_paper_holds_the_cover_sheet_and_no_bare_code() -> None:
    result = persona_result("fragile-workforce")
    cover = CoverSheet(title="Sustainability 2026/27", agenda_item="11", report_of="Chief Exec")
    since = since_last_time(result, persona_result("strong-teaching-trust"), "2025/26")
    first = pages(board_paper_pdf(make_paper(result, cover=cover, since=since)))[0]
    for expected in (
        "Purpose",
        "Executive summary",
        "Recommendation",
        "The board is asked to",
        "Agenda item 11",
        "Report of Chief Exec",
        since.verdict_sentence,
        since.index_sentence,
    ):
        assert expected in first, expected
    assert not CODE.search(first), CODE.search(first)
    # The facts of the assessment follow, on the second page.
    assert "ODS code" not in first
