"""What every page of the board paper carries around its text: the OFFICIAL-SENSITIVE
marking above and below, the running header (trust and date) from the second page, the
footer, "Page N of M", the DRAFT or WITHDRAWN mark across a page, and the document's
metadata. All of it lies outside the text frame, in the margins.

The PDF is written in ReportLab's invariant mode with the paper's date as its creation
date, so the same paper always gives the same bytes.
"""

from __future__ import annotations

import io
from datetime import date
from functools import partial
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from assessment.reports.paper import BoardPaper
from assessment.reports.pdf.blocks import fit_text, long_date
from assessment.reports.pdf.styles import (
    CONTENT_WIDTH,
    FRAME_HEIGHT,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MARKING,
    NHS_BLUE,
    NHS_DARK_GREY,
    NHS_TEXT,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PRODUCT,
    SANS,
    SANS_BOLD,
    SUBJECT,
    WATERMARK,
    WITHDRAWN_RED,
)

FOOTER = f"{PRODUCT}: board paper"
MARKING_TOP_Y, MARKING_FOOT_Y = PAGE_HEIGHT - 11 * mm, 6.5 * mm
HEADER_Y = PAGE_HEIGHT - 18 * mm
FOOTER_Y = 12.5 * mm
FOOTER_RULE_Y = 16.5 * mm
WITHDRAWN_STAMP_Y = 19.5 * mm


class PaperCanvas(Canvas):
    """A canvas that holds the pages back until the last, to number them "Page N of M"."""

    def __init__(self, *args: Any, paper_date: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []
        stamp = f"D:{paper_date:%Y%m%d}000000+00'00'"
        self.setDateFormatter(lambda *_: stamp)

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self.setFont(SANS, 8.5)
            self.setFillColor(NHS_DARK_GREY)
            self.drawRightString(
                PAGE_WIDTH - MARGIN_X, FOOTER_Y, f"Page {self._pageNumber} of {total}"
            )
            super().showPage()
        super().save()


def decorate(canvas: Canvas, doc: PaperDoc) -> None:
    """Marking, running header, footer and draft mark, drawn under the page's text."""
    paper = doc.paper
    canvas.saveState()
    if paper.draft:
        canvas.saveState()
        canvas.setFillColor(WATERMARK)
        canvas.setFont(SANS_BOLD, 120)
        canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canvas.rotate(52)
        canvas.drawCentredString(0, -40, "DRAFT")
        canvas.restoreState()
    withdrawn_mark(canvas, paper)
    canvas.setFillColor(NHS_TEXT)
    canvas.setFont(SANS_BOLD, 9)
    canvas.drawCentredString(PAGE_WIDTH / 2, MARKING_TOP_Y, MARKING)
    canvas.drawCentredString(PAGE_WIDTH / 2, MARKING_FOOT_Y, MARKING)
    canvas.setStrokeColor(NHS_BLUE)
    canvas.setLineWidth(0.8)
    canvas.setFont(SANS, 8.5)
    canvas.setFillColor(NHS_DARK_GREY)
    if doc.page > 1:
        dated = doc.date_text + ("  \u00b7  DRAFT" if paper.draft else "")
        room = CONTENT_WIDTH - stringWidth(dated, SANS, 8.5) - 20
        canvas.drawString(MARGIN_X, HEADER_Y, fit_text(paper.trust_name, SANS, 8.5, room))
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, HEADER_Y, dated)
        canvas.line(MARGIN_X, HEADER_Y - 2 * mm, PAGE_WIDTH - MARGIN_X, HEADER_Y - 2 * mm)
    canvas.line(MARGIN_X, FOOTER_RULE_Y, PAGE_WIDTH - MARGIN_X, FOOTER_RULE_Y)
    canvas.drawString(MARGIN_X, FOOTER_Y, FOOTER)
    canvas.restoreState()


def withdrawn_mark(canvas: Canvas, paper: BoardPaper) -> None:
    """A withdrawn result: WITHDRAWN across every page and above its footer, drawn under the
    page's text like the DRAFT mark. The reason is given on the first page."""
    note = paper.withdrawn
    if note is None:
        return
    canvas.saveState()
    canvas.setFillColor(WATERMARK)
    canvas.setFont(SANS_BOLD, 78)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(52)
    canvas.drawCentredString(0, -26, "WITHDRAWN")
    canvas.restoreState()
    canvas.saveState()
    canvas.setFillColor(WITHDRAWN_RED)
    canvas.setFont(SANS_BOLD, 9)
    stamp = f"WITHDRAWN on {long_date(note.withdrawn_on)}: no longer the board's result"
    canvas.drawCentredString(
        PAGE_WIDTH / 2, WITHDRAWN_STAMP_Y, fit_text(stamp, SANS_BOLD, 9, CONTENT_WIDTH)
    )
    canvas.restoreState()


def a4_settings(
    *, title: str, author: str, keywords: str, subject: str = SUBJECT
) -> dict[str, object]:
    """What every paper of the service passes to its document: A4 with the paper's margins,
    its metadata, and ReportLab's invariant mode (the same story gives the same bytes)."""
    return {
        "pagesize": A4,
        "leftMargin": MARGIN_X,
        "rightMargin": MARGIN_X,
        "topMargin": MARGIN_TOP,
        "bottomMargin": MARGIN_BOTTOM,
        "title": title,
        "author": author,
        "subject": subject,
        "creator": PRODUCT,
        "keywords": keywords,
        "invariant": 1,
        "lang": "en-GB",
        "displayDocTitle": 1,
    }


def body_frame() -> Frame:
    """The one text frame of every page, within which every line must lie."""
    return Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        CONTENT_WIDTH,
        FRAME_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )


class PaperDoc(BaseDocTemplate):
    """A4 pages of one frame, with the paper's title, trust and subject in the metadata."""

    def __init__(self, buffer: io.BytesIO, paper: BoardPaper) -> None:
        self.paper = paper
        self.date_text = long_date(paper.paper_date)
        super().__init__(
            buffer,
            **a4_settings(
                title=f"{paper.title} \u2013 {paper.trust_name}",
                author=paper.trust_name,
                keywords="Dalton review; organisational forms; board paper",
            ),
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[body_frame()], onPage=decorate)])


def render(story: list[Flowable], paper: BoardPaper) -> bytes:
    """The story laid out on the paper's pages, as PDF bytes."""
    buffer = io.BytesIO()
    document = PaperDoc(buffer, paper)
    document.build(story, canvasmaker=partial(PaperCanvas, paper_date=paper.paper_date))
    return buffer.getvalue()
