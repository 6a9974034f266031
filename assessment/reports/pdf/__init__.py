"""The board paper as a PDF, drawn with ReportLab's Platypus.

Everything printed comes from a `BoardPaper`: the stored result and the facts about the
assessment around it, so the paper says what the results page says, in the same order
and with the same figures (every score through `display`). It must stand on its own in
front of a board, its governors, the regulator and commissioners.

The paper is built in parts, each in its own module, each readable alone:

- `cover`: the cover sheet on the first page (meeting, purpose, executive summary,
  recommendation, what the board is asked to do, links and risks), and the facts of the
  assessment, notes and warnings on the second;
- `verdict`: the verdict in its severity's colour, the scores by domain, the ranked menu in
  plain English, the forms ruled out, what would change the recommendation and, where the
  trust has an earlier submission, what changed since (sections 1 to 6);
- `appendices`: where members differed, missing evidence, every agreed answer and the
  method (the last two sections, appendices A and B);
- `furniture`: marking, running header, footer, page numbers, DRAFT and WITHDRAWN marks
  and the document's metadata;
- `styles`: page geometry, colours, fonts and styles; `blocks`: the paragraphs, headings,
  tables and boxes the parts are made of.

Text is set in ReportLab's standard Helvetica (no font files, no system libraries) as
Paragraphs, so it can be selected, searched and read aloud, and every line lies within
the text frame. ReportLab escapes and draws it all itself, through its C accelerator
(the rl_accel package, which tests/reports/test_pdf_accelerator.py checks is in use).
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from assessment.reports.paper import BoardPaper
from assessment.reports.pdf.appendices import appendix, divergent, method, missing
from assessment.reports.pdf.cover import about, cover, withdrawn_notice
from assessment.reports.pdf.furniture import FOOTER, render
from assessment.reports.pdf.styles import (
    CONTENT_WIDTH,
    FRAME_HEIGHT,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MARKING,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PRODUCT,
    SUBJECT,
)
from assessment.reports.pdf.verdict import (
    domains,
    menu,
    ruled_out,
    since_last_time,
    verdict,
    what_would_change,
)

__all__ = [
    "CONTENT_WIDTH",
    "FOOTER",
    "FRAME_HEIGHT",
    "MARGIN_BOTTOM",
    "MARGIN_TOP",
    "MARGIN_X",
    "MARKING",
    "PAGE_HEIGHT",
    "PAGE_WIDTH",
    "PRODUCT",
    "SUBJECT",
    "board_paper_pdf",
]


def board_paper_pdf(paper: BoardPaper) -> bytes:
    """The board paper as PDF bytes. The same paper always gives the same bytes."""
    result = paper.result
    # "Since the last assessment" is section 6 when there is an earlier submission; the
    # sections after it are numbered on from it.
    since = 6 if paper.since is not None else 5
    missing_section = f"{since + 2}. Missing evidence"
    story: list[Flowable] = [
        *withdrawn_notice(paper),
        *cover(paper),
        *about(paper),
        *verdict(result),
        *domains(result, paper.peers),
        *menu(result, missing_section),
        *ruled_out(result.ruled_out),
        *what_would_change(result),
        *since_last_time(paper.since, since),
        *divergent(paper.agreed, since + 1),
        *missing(result, since + 2),
        *appendix(paper.agreed),
        *method(paper),
    ]
    return render(story, paper)
