"""Every line of the board paper lies within its text frame, and no table row is split
across pages: for each persona, and for the longest text every form allows (notes and
rationales of 4,000 characters, unbroken web addresses, titles and names at their longest,
15 members). The positions are read back from the PDF (tests/reports/layout.py)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from assessment.models_figures import SOURCE_MAX
from assessment.models_withdrawals import REASON_MAX
from assessment.reports.paper import (
    AgreedRow,
    BoardPaper,
    CoverSheet,
    MemberAnswer,
    WithdrawnNote,
)
from assessment.reports.pdf import blocks, board_paper_pdf, styles
from assessment.scoring.result import MissingEvidence
from assessment.scoring.summary import since_last_time
from tests.personas import persona_paths
from tests.reports.layout import outside, text_runs
from tests.reports.test_long_text import LONGEST, long_text
from tests.reports.test_pdf import PAPER_DATE, make_paper, persona_result

PERSONAS = [path.stem for path in persona_paths()]
TITLE_OF_PAPER = "Assessment of the trust's sustainability, 2026/27"
MEMBERS = 15
TITLE_MAX = 200  # an assessment's title, and a trust's name
PERIOD_MAX = 100
WEB_ADDRESS = "https://www.example.nhs.uk/board/papers/2026-11/" + "integrated-performance-" * 12
# The cover sheet's fields at the longest the submit page takes (assessment/forms_paper.py).
AGENDA_ITEM_MAX, NAME_MAX, RECOMMENDATION_MAX, LINK_MAX = 20, 200, 1000, 500


def unbroken(length: int, last: str = "") -> str:
    """One word of `length` characters, like a web address pasted without spaces."""
    return (WEB_ADDRESS * (length // len(WEB_ADDRESS) + 1))[: length - len(last)] + last


def overflow(paper: BoardPaper) -> list[str]:
    return outside(board_paper_pdf(paper), paper.trust_name)


def longest_cover() -> CoverSheet:
    """Every field of the cover sheet at its longest: prose in some, one unbroken word (a
    pasted web address) in others."""
    return CoverSheet(
        title=unbroken(TITLE_MAX),
        meeting=long_text("Meeting.", NAME_MAX),
        meeting_date=date(2027, 9, 30),
        agenda_item=unbroken(AGENDA_ITEM_MAX),
        report_of=long_text("Director.", NAME_MAX),
        prepared_by=unbroken(NAME_MAX),
        purpose="For information",
        recommendation=long_text("Recommendation ends here.", RECOMMENDATION_MAX),
        board_asked_to=unbroken(RECOMMENDATION_MAX, "-asked-to-end"),
        strategic_objectives=long_text("Objectives end here.", LINK_MAX),
        assurance_framework=unbroken(LINK_MAX, "-framework-end"),
        risks=long_text("Risks end here.", RECOMMENDATION_MAX),
    )


# -------------------------------------------------------------------------- personas


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("kind", ["submitted", "draft", "withdrawn"])
def test_every_line_of_a_persona_paper_lies_within_the_frame(name: str, kind: str) -> None:
    result = persona_result(name, partial=kind == "draft")
    # A submitted paper compares with an earlier submission (another persona's answers).
    other = PERSONAS[(PERSONAS.index(name) + 1) % len(PERSONAS)]
    paper = make_paper(
        result,
        cover=CoverSheet(title=TITLE_OF_PAPER, agenda_item="8.2", report_of="Chief Executive"),
        since=since_last_time(result, persona_result(other), "2025/26"),
    )
    if kind == "draft":
        paper = replace(paper, draft=True, status="Draft: not submitted")
    if kind == "withdrawn":
        note = WithdrawnNote(date(2026, 12, 1), "Amina Patel", "Answered on the wrong figures.")
        paper = replace(paper, withdrawn=note)
    runs = text_runs(board_paper_pdf(paper))
    assert len(runs) > 300  # the positions were read
    assert overflow(paper) == []


def test_the_check_finds_a_line_past_the_right_edge() -> None:
    # Without breaking long words, an unbroken web address runs off the page: the check
    # must see it.
    paper = make_paper(persona_result(PERSONAS[0]), source_note=unbroken(600))
    changed = {style: style.splitLongWords for style in styles.STYLES}
    blocks.forget_layouts()
    try:
        for style in changed:
            style.splitLongWords = 0
        problems = overflow(paper)
    finally:
        for style, value in changed.items():
            style.splitLongWords = value
        blocks.forget_layouts()
    assert any("runs past the right edge" in problem for problem in problems)


# ---------------------------------------------------------------------- longest text


def longest_rows(paper: BoardPaper) -> tuple[AgreedRow, ...]:
    """Every question, divergent, with the longest rationale (every third one a single
    unbroken word), a figure's longest source on every fourth, and 15 members who each
    gave a different answer with the longest note."""
    rows = []
    for number, question in enumerate(paper.result.questions):
        rationale = (
            unbroken(LONGEST, f"-end-of-{question.code}")
            if number % 3 == 0
            else long_text(f"{WEB_ADDRESS} Rationale for {question.code} ends here.")
        )
        members = tuple(
            MemberAnswer(
                f"Member {count}",
                f"{question.answer_label} ({unbroken(40)}{count})",
                long_text(f"Note {count}."),
            )
            for count in range(MEMBERS)
        )
        rows.append(
            AgreedRow(
                code=question.code,
                section=question.domain,
                question=question.text,
                label=question.answer_label,
                rationale=rationale,
                divergent=True,
                members=members,
                is_figure=number % 4 == 0,
                source=unbroken(SOURCE_MAX) if number % 4 == 0 else "",
            )
        )
    return tuple(rows)


def longest_paper(name: str, **changes: object) -> BoardPaper:
    result = persona_result(name, partial=True)
    paper = make_paper(
        result,
        trust_name=long_text("Trust.", TITLE_MAX),
        title=unbroken(TITLE_MAX),
        reporting_period=long_text("Period.", PERIOD_MAX),
        respondents=MEMBERS,
        source_note=long_text(WEB_ADDRESS + " Source ends here."),
        readiness=tuple(
            (long_text(f"Warning {count}.", 300), unbroken(REASON_MAX, f"-reason-{count}"))
            for count in range(3)
        ),
    )
    other = PERSONAS[(PERSONAS.index(name) + 1) % len(PERSONAS)]
    since = since_last_time(result, persona_result(other), long_text("Period.", PERIOD_MAX))
    paper = replace(
        paper, agreed=longest_rows(paper), cover=longest_cover(), since=since, **changes
    )
    return paper


@pytest.mark.parametrize("draft", [False, True])
def test_the_longest_text_the_forms_allow_stays_within_the_frame(draft: bool) -> None:
    paper = longest_paper(PERSONAS[1], draft=draft)
    pdf = board_paper_pdf(paper)
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 40
    assert outside(pdf, paper.trust_name) == []


def test_a_withdrawn_paper_with_the_longest_reason_stays_within_the_frame() -> None:
    note = WithdrawnNote(PAPER_DATE, long_text("Lead.", 150), unbroken(REASON_MAX))
    assert overflow(longest_paper(PERSONAS[2], withdrawn=note)) == []


# --------------------------------------------------------------------- table rows


def pages_of(pdf: bytes) -> list[str]:
    return ["".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def pages_with(pages: list[str], marker: str) -> list[int]:
    return [number for number, text in enumerate(pages, start=1) if marker in text]


@pytest.mark.parametrize("length", [600, 2500, 3800])
def test_no_row_of_a_table_is_split_across_pages(length: int) -> None:
    # Rows of the missing evidence table, some taller than half a page, each starting and
    # ending with its own marker: both ends of a row are on one page.
    result = persona_result(PERSONAS[0])
    rows = tuple(
        MissingEvidence(
            question=f"LONG-{count}",
            domain="QUAL",
            text=f"ROWSTART{count}X " + long_text(f"ROWEND{count}X", length),
            status="dk",
            scored=True,
        )
        for count in range(12)
    )
    pdf = board_paper_pdf(make_paper(replace(result, missing=rows)))
    pages = pages_of(pdf)
    spread = set()
    for count in range(12):
        start = pages_with(pages, f"ROWSTART{count}X")
        end = pages_with(pages, f"ROWEND{count}X")
        assert len(start) == 1, (count, start)
        assert start == end, (count, start, end)
        spread |= set(start)
    assert len(spread) > 1  # the table did run over pages
    assert outside(pdf, make_paper(result).trust_name) == []


def test_no_paragraph_of_a_box_is_split_across_pages() -> None:
    # The warnings the board submitted past, as many as fill more than a page.
    reasons = tuple(
        (f"BOXWARN{count}X " + long_text(f"WARNEND{count}X", 300),
         f"BOXREASON{count}X " + long_text(f"REASONEND{count}X", REASON_MAX))
        for count in range(6)
    )  # fmt: skip
    pdf = board_paper_pdf(make_paper(persona_result(PERSONAS[0]), readiness=reasons))
    pages = pages_of(pdf)
    for count in range(6):
        for start, end in ((f"BOXWARN{count}X", f"WARNEND{count}X"),
                           (f"BOXREASON{count}X", f"REASONEND{count}X")):  # fmt: skip
            assert pages_with(pages, start) == pages_with(pages, end), (start, end)
            assert len(pages_with(pages, start)) == 1
    assert len(set(pages_with(pages, "BOXREASON0X") + pages_with(pages, "BOXREASON5X"))) > 1


def test_the_longest_paper_gives_the_same_bytes_laid_out_afresh_or_from_memory() -> None:
    # Paragraph layouts are remembered from one paper to the next; long words broken
    # between characters, and paragraphs split across pages, must not change them.
    paper = longest_paper(PERSONAS[0])
    blocks.forget_layouts()
    first = board_paper_pdf(paper)
    assert board_paper_pdf(paper) == first
    blocks.forget_layouts()
    assert board_paper_pdf(paper) == first
