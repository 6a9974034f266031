"""The results page, summary first: the verdict and why, the three best-fitting forms with
why they fit and their main risk, what would most change it, and since last time; in the
board's words, with the detail in sections a reader opens (all open in the print view)."""

from __future__ import annotations

import html
import re

import pytest

from assessment.models import Assessment, Membership, Submission
from assessment.services.assessments import assessment_create_from, respondents_add
from assessment.services.withdrawals import submission_withdraw
from tests.assessment.conftest import client_for
from tests.assessment.journey import (
    agree_judgements,
    answer_everything,
    enter_figures,
    submit_board,
)
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
MID = load_persona(persona_paths()[0])["answers"]
CODE = re.compile(r"\b[A-Z]+-\d+\b")
ENGINE_TERMS = ("need match", "context match", "proportion", "Index ", "/100", "fit of", "Capped")


def _submitted(
    assessment: Assessment, lead: Membership, board: list[Membership], copied: bool = False
) -> Assessment:
    for member in board:
        answer_everything(client_for(member), assessment, MID)
    client = client_for(lead)
    if not copied:
        enter_figures(client, assessment, MID)
        agree_judgements(client, assessment, lambda code: f"Agreed {code} in March.")
    response = submit_board(client, assessment)
    assert response.status_code == 302, response.content.decode()[:2000]
    assessment.refresh_from_db()
    return assessment


def _summary(page: str) -> str:
    return html.unescape(page[page.index('id="summary"') : page.index('id="detail"')])


def _page(client, assessment: Assessment, query: str = "") -> str:
    return client.get(f"/assessments/{assessment.pk}/results/{query}").content.decode()


def test_the_summary_answers_the_question_in_the_boards_words(
    assessment, trust_lead, board
) -> None:
    _submitted(assessment, trust_lead, board)
    result = Submission.objects.get(assessment=assessment).result
    summary = _summary(_page(client_for(board[0]), assessment))
    assert result["verdict"]["label"] in summary
    for form in result["ranking"][:3]:
        assert form["name"] in summary
    assert result["ranking"][3]["name"] not in summary
    assert "What would most change this" in summary
    assert "would come first" in summary
    assert "The board gave evidence for 100% of the weighted questions." in summary
    text = re.sub(r"<[^>]+>", " ", summary)
    assert not CODE.search(text), CODE.search(text)
    for term in ENGINE_TERMS:
        assert term not in text, term
    assert "Since the last assessment" not in summary  # the trust's first


def test_the_detail_is_in_sections_to_open_and_all_open_to_print(
    assessment, trust_lead, board
) -> None:
    _submitted(assessment, trust_lead, board)
    client = client_for(board[0])
    page = _page(client, assessment)
    sections = re.findall(r"<details [^>]*app-result-details[^>]*>", page)
    assert len(sections) == 8
    assert not any(" open" in tag for tag in sections)
    printed = _page(client, assessment, "?view=print")
    sections = re.findall(r"<details [^>]*app-result-details[^>]*>", printed)
    assert len(sections) == 8
    assert all(tag.endswith(" open>") for tag in sections)
    assert "show every section, to print" in page
    assert "show every section, to print" not in printed


def test_since_last_time_compares_with_the_earlier_result_until_it_is_withdrawn(
    assessment, trust, trust_lead, board
) -> None:
    earlier = _submitted(assessment, trust_lead, board)
    later = assessment_create_from(
        organisation=trust,
        title="Board reassessment",
        reporting_period="Spring 2026",
        user=trust_lead.user,
        source=earlier,
    )
    respondents_add(assessment=later, users=[m.user for m in board])
    _submitted(later, trust_lead, board, copied=True)
    client = client_for(board[1])
    summary = _summary(_page(client, later))
    assert f"Since the last assessment ({earlier.reporting_period})" in summary
    label = Submission.objects.get(assessment=later).result["verdict"]["label"]
    assert f"The verdict is unchanged: {label}." in summary
    assert "Sustainability index: unchanged at" in summary
    # The earlier one's own page has nothing before it to compare with.
    assert "Since the last assessment" not in _summary(_page(client, earlier))

    submission_withdraw(assessment=earlier, user=trust_lead.user, reason="Figures were wrong.")
    assert "Since the last assessment" not in _summary(_page(client, later))
