"""What every page of the system paper carries around its text, as the board paper does: the
OFFICIAL-SENSITIVE marking above and below, the running header (system and date) from the
second page, the footer, "Page N of M", and the document's metadata. All of it lies outside
the text frame, in the margins, at the board paper's positions.

The board paper's own template reads a `BoardPaper`; this one reads the system's name and
the day the review was made. Both number their pages with the board paper's `PaperCanvas`,
which writes in ReportLab's invariant mode with the paper's day as the creation date, so
the same review always gives the same bytes.
"""

from __future__ import annotations

import io
from datetime import date
from functools import partial

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, PageTemplate

from assessment.reports.pdf import (
    CONTENT_WIDTH,
    MARGIN_X,
    MARKING,
    PAGE_WIDTH,
    PRODUCT,
)
from assessment.reports.pdf.blocks import fit_text, long_date
from assessment.reports.pdf.furniture import (
    FOOTER_RULE_Y,
    FOOTER_Y,
    HEADER_Y,
    MARKING_FOOT_Y,
    MARKING_TOP_Y,
    PaperCanvas,
    a4_settings,
    body_frame,
)
from assessment.reports.pdf.styles import NHS_BLUE, NHS_DARK_GREY, NHS_TEXT, SANS, SANS_BOLD

FOOTER = f"{PRODUCT}: system paper"
SUBJECT = "System paper: who could support whom"


class SystemDoc(BaseDocTemplate):
    """A4 pages of one frame, with the paper's title, system and subject in the metadata."""

    def __init__(self, buffer: io.BytesIO, *, system_name: str, title: str, day: date) -> None:
        self.system_name = system_name
        self.date_text = long_date(day)
        super().__init__(
            buffer,
            **a4_settings(
                title=title,
                author=system_name,
                keywords="Dalton review; integrated care system; support between trusts",
                subject=SUBJECT,
            ),
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[body_frame()], onPage=decorate)])


def decorate(canvas: Canvas, doc: SystemDoc) -> None:
    """Marking, running header and footer, drawn under the page's text."""
    canvas.saveState()
    canvas.setFillColor(NHS_TEXT)
    canvas.setFont(SANS_BOLD, 9)
    canvas.drawCentredString(PAGE_WIDTH / 2, MARKING_TOP_Y, MARKING)
    canvas.drawCentredString(PAGE_WIDTH / 2, MARKING_FOOT_Y, MARKING)
    canvas.setStrokeColor(NHS_BLUE)
    canvas.setLineWidth(0.8)
    canvas.setFont(SANS, 8.5)
    canvas.setFillColor(NHS_DARK_GREY)
    if doc.page > 1:
        room = CONTENT_WIDTH - stringWidth(doc.date_text, SANS, 8.5) - 20
        canvas.drawString(MARGIN_X, HEADER_Y, fit_text(doc.system_name, SANS, 8.5, room))
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, HEADER_Y, doc.date_text)
        canvas.line(MARGIN_X, HEADER_Y - 2 * mm, PAGE_WIDTH - MARGIN_X, HEADER_Y - 2 * mm)
    canvas.line(MARGIN_X, FOOTER_RULE_Y, PAGE_WIDTH - MARGIN_X, FOOTER_RULE_Y)
    canvas.drawString(MARGIN_X, FOOTER_Y, FOOTER)
    canvas.restoreState()


def render(story: list[Flowable], *, system_name: str, title: str, day: date) -> bytes:
    """The story laid out on the paper's pages, as PDF bytes."""
    buffer = io.BytesIO()
    document = SystemDoc(buffer, system_name=system_name, title=title, day=day)
    document.build(story, canvasmaker=partial(PaperCanvas, paper_date=day))
    return buffer.getvalue()
