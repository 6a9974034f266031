"""Long evidence notes, rationales and figures' sources: the board paper runs them on over as
many pages as they need, rather than failing. A submitted assessment's paper comes from its stored
submission, so a paper that failed once would fail for good."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from django.test import Client
from pypdf import PdfReader

from assessment.models import Assessment, Membership
from assessment.models_figures import SOURCE_MAX
from assessment.reports.paper import AgreedRow, MemberAnswer
from assessment.reports.pdf import board_paper_pdf
from assessment.scoring.result import MissingEvidence
from assessment.selectors import pinned_for
from tests.assessment.journey import (
    agree_judgements,
    enter_figures_cited,
    section_data,
    submit_board,
)
from tests.conftest import verified_client
from tests.personas import load_persona, persona_paths
from tests.reports.board import (
    downloaded_paper,
    member_client,
    paper_body,
    squashed,
)
from tests.reports.layout import outside
from tests.reports.test_pdf import make_paper, persona_result

LONGEST = 4000  # the most the answer and agreed-answer forms take, for a note or a rationale
MID, FRAGILE, STRONG = (load_persona(path)["answers"] for path in persona_paths())


def long_text(last: str, length: int = LONGEST) -> str:
    """Plain prose of exactly `length` characters, by default the longest the forms allow
    for a note or a rationale, ending with `last`."""
    sentence = "The finance committee checked the audited accounts and the recovery plan. "
    body = (sentence * (length // len(sentence) + 1))[: length - len(last) - 1]
    return body[:-1] + ("." if body.endswith(" ") else body[-1]) + " " + last


def longest_source(code: str) -> str:
    """A figure's source as long as the figures page takes it."""
    return long_text(f"Source of {code} ends here.", SOURCE_MAX)


def test_long_text_is_exactly_the_longest_the_forms_allow() -> None:
    text = long_text("End of QUAL-1.")
    assert len(text) == LONGEST
    assert text.endswith(" End of QUAL-1.")
    assert "  " not in text
    source = longest_source("FIN-1")
    assert len(source) == SOURCE_MAX
    assert source.endswith(" Source of FIN-1 ends here.")
    assert "  " not in source


# --------------------------------------------------------------- the paper on its own


def longest_rows(rows: tuple[AgreedRow, ...]) -> tuple[AgreedRow, ...]:
    """Every question with the longest rationale and three members' longest notes."""
    return tuple(
        replace(
            row,
            divergent=True,
            rationale=long_text(f"Rationale for {row.code} ends here."),
            members=tuple(
                MemberAnswer(name, row.label, long_text(f"Note by {name} ends here."))
                for name in ("Ada", "Ben", "Cy")
            ),
        )
        for row in rows
    )


@pytest.mark.parametrize("draft", [False, True])
def test_the_longest_rationale_on_every_question_runs_on_over_the_pages(draft: bool) -> None:
    result = persona_result("collaborative-mid")
    short = make_paper(result)
    rows = tuple(
        AgreedRow(
            code=question.code,
            section="Every question",
            question=question.text,
            label=question.answer_label,
        )
        for question in result.questions
    )
    paper = make_paper(result, agreed=longest_rows(rows), draft=draft)
    pdf = board_paper_pdf(paper)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) > 2 * len(PdfReader(io.BytesIO(board_paper_pdf(short))).pages)
    text = paper_body(pdf)
    for row in paper.agreed:
        # Once where members differed, once in the appendix; all of it, so the text was
        # neither cut short nor dropped where it crosses a page.
        assert text.count(squashed(row.rationale)) == 2
    assert squashed("Note by Ada ends here.") not in text
    assert squashed("Appendix B. About the method") in text
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page.extract_text()


def test_a_table_row_taller_than_a_page_is_split_across_pages() -> None:
    result = persona_result("collaborative-mid")
    # Far longer than the questionnaire's questions, in the missing evidence table.
    text = long_text("Half way.") + " " + long_text("The last words of a very long question.")
    missing = MissingEvidence(question="LONG-1", domain="QUAL", text=text, status="dk", scored=True)
    paper = make_paper(replace(result, missing=(missing,)))
    # The header row repeats on each page the row runs to; the reference and status sit
    # beside its start.
    body = paper_body(board_paper_pdf(paper))
    assert body.count("QuestionRef.Status") >= 3
    rest = body.replace("QuestionRef.Status", "").replace("LONG-1", "").replace("Don'tknow", "")
    assert squashed(text) in rest


# ------------------------------------------------------------ through the real download


def answer_with_longest_notes(client: Client, assessment: Assessment, answers: dict) -> None:
    """Every judgement answered through the member's form, each with the longest note."""
    pinned = pinned_for(assessment)
    for domain in pinned.judgement_sections:
        url = f"/assessments/{assessment.pk}/response/{domain.code}/"
        html = client.get(url).content.decode()
        questions = pinned.judgements_by_section[domain.code]
        data = section_data(questions, answers, html)
        for question in questions:
            data[f"note-{question.code}"] = long_text(f"Note on {question.code} ends here.")
        response = client.post(url, data)
        assert response.status_code == 302, (domain.code, response.content.decode()[:2000])


def within_the_frame(client: Client, assessment: Assessment) -> None:
    """Every line of the downloaded paper lies within its text frame (tests/reports/layout.py)."""
    response = client.get(f"/assessments/{assessment.pk}/board-paper.pdf")
    assert outside(response.content, assessment.organisation.name) == []


def test_the_longest_notes_and_rationales_give_a_board_paper_before_and_after_submission(
    assessment: Assessment, lead: Membership, board: list[Membership]
) -> None:
    for member, answers in zip(board, (MID, FRAGILE, STRONG), strict=True):
        answer_with_longest_notes(member_client(member), assessment, answers)
    lead_client = verified_client(lead.user)
    pinned = pinned_for(assessment)
    enter_figures_cited(lead_client, assessment, MID, longest_source)
    sources = {question.code: longest_source(question.code) for question in pinned.figures}
    rationales = {
        question.code: long_text(f"Rationale for {question.code} ends here.")
        for question in pinned.judgements
    }
    agree_judgements(lead_client, assessment, rationales.__getitem__)

    draft = downloaded_paper(lead_client, assessment)
    within_the_frame(lead_client, assessment)
    assert squashed("Draft: not submitted") in draft
    for rationale in rationales.values():
        assert squashed(rationale) in draft
    for source in sources.values():
        assert squashed(f"Source: {source}") in draft

    assert submit_board(lead_client, assessment).status_code == 302
    submitted = downloaded_paper(member_client(board[0]), assessment)
    within_the_frame(member_client(board[0]), assessment)
    assert squashed("Draft: not submitted") not in submitted
    for code, rationale in rationales.items():
        assert squashed(rationale) in submitted
        assert squashed(f"Note on {code} ends here.") not in submitted
    for source in sources.values():
        assert squashed(f"Source: {source}") in submitted
