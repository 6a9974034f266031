"""Where the board paper's text lies on its pages, read back from the PDF with pypdf.

Each run of text pypdf reports is placed through its text and page matrices, and its width
is measured with the metrics of the standard font it names, so a line that runs past the
edge of its frame, or text set above or below the frame, can be found without a renderer.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth

from assessment.reports.pdf import (
    CONTENT_WIDTH,
    FRAME_HEIGHT,
    MARGIN_BOTTOM,
    MARGIN_X,
    MARKING,
)
from assessment.reports.pdf.furniture import (
    FOOTER,
    FOOTER_Y,
    HEADER_Y,
    MARKING_FOOT_Y,
    MARKING_TOP_Y,
    WITHDRAWN_STAMP_Y,
)

# Half a point: what rounding in the PDF's numbers, and in pypdf's reading of them, allows.
TOLERANCE = 0.5
FRAME_LEFT, FRAME_RIGHT = MARGIN_X, MARGIN_X + CONTENT_WIDTH
FRAME_BOTTOM, FRAME_TOP = MARGIN_BOTTOM, MARGIN_BOTTOM + FRAME_HEIGHT
PAGE_NUMBER = re.compile(r"Page \d+ of \d+")
DATED = re.compile(r"\d{1,2} [A-Z][a-z]+ \d{4}( +\u00b7 +DRAFT)?")  # the running header's date
STANDARD_FONTS = {
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Helvetica-BoldOblique",
    "Symbol",
    "ZapfDingbats",
}


@dataclass(frozen=True)
class Run:
    """One run of text as drawn: its page, baseline origin, size, font and measured width."""

    page: int
    text: str
    x: float
    y: float
    size: float
    font: str
    width: float
    rotated: bool

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def top(self) -> float:
        return self.y + getAscentDescent(self.font, self.size)[0]

    @property
    def bottom(self) -> float:
        return self.y + getAscentDescent(self.font, self.size)[1]

    def __str__(self) -> str:
        return (
            f"page {self.page}, x {self.x:.1f} to {self.right:.1f}, y {self.y:.1f}, "
            f"{self.font} {self.size:g}: {self.text[:70]!r}"
        )


def _multiply(a: list[float], b: list[float]) -> list[float]:
    """The product of two PDF matrices [a b c d e f]."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def text_runs(pdf: bytes) -> list[Run]:
    """Every run of text in the paper, page by page."""
    runs: list[Run] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):

        def visit(
            text: str, cm: list[float], tm: list[float], font: Any, size: float, page: int = number
        ) -> None:
            # pypdf starts a run after a gap on the line with a space it does not draw.
            text = text.strip()
            if not text or font is None:
                return
            name = str(font["/BaseFont"]).lstrip("/")
            assert name in STANDARD_FONTS, f"a font the paper does not use: {name}"
            matrix = _multiply([float(value) for value in tm], [float(value) for value in cm])
            scale = (matrix[0] ** 2 + matrix[1] ** 2) ** 0.5
            rotated = abs(matrix[1]) > 1e-6 or abs(matrix[2]) > 1e-6
            actual = float(size) * scale
            runs.append(
                Run(
                    page=page,
                    text=text,
                    x=matrix[4],
                    y=matrix[5],
                    size=actual,
                    font=name,
                    width=stringWidth(text, name, actual),
                    rotated=rotated,
                )
            )

        page.extract_text(visitor_text=visit)
    return runs


def is_furniture(run: Run, trust_name: str) -> bool:
    """Text every page carries outside the frame, each on its own line: the marking, the
    running header (trust and date), the footer and page number, and the withdrawn stamp
    above the footer."""
    text = run.text

    def on(y: float) -> bool:
        return abs(run.y - y) <= TOLERANCE

    return (
        (text == MARKING and (on(MARKING_TOP_Y) or on(MARKING_FOOT_Y)))
        or (on(HEADER_Y) and (bool(DATED.fullmatch(text)) or is_trust(text, trust_name)))
        or (on(FOOTER_Y) and (text == FOOTER or bool(PAGE_NUMBER.fullmatch(text))))
        or (on(WITHDRAWN_STAMP_Y) and text.startswith("WITHDRAWN on "))
    )


def is_trust(text: str, trust_name: str) -> bool:
    """The trust's name, or as much of it as fits beside the date, ending in an ellipsis."""
    return text == trust_name or (
        text.endswith("\u2026") and trust_name.startswith(text[:-1].rstrip())
    )


def outside(pdf: bytes, trust_name: str) -> list[str]:
    """Every run of text that is not wholly within the frame, but for the page furniture,
    which must lie within the page's side margins; and the diagonal DRAFT or WITHDRAWN
    mark, which must be one of those words."""
    problems = []
    for run in text_runs(pdf):
        if run.rotated:
            if run.text.strip() not in ("DRAFT", "WITHDRAWN"):
                problems.append(f"rotated text: {run}")
            continue
        if FRAME_BOTTOM - TOLERANCE <= run.y <= FRAME_TOP + TOLERANCE:
            if run.top > FRAME_TOP + TOLERANCE or run.bottom < FRAME_BOTTOM - TOLERANCE:
                problems.append(f"crosses the top or foot of the frame: {run}")
        elif not is_furniture(run, trust_name):
            problems.append(f"above or below the frame: {run}")
            continue
        if run.x < FRAME_LEFT - TOLERANCE:
            problems.append(f"starts left of the frame: {run}")
        if run.right > FRAME_RIGHT + TOLERANCE:
            problems.append(f"runs past the right edge by {run.right - FRAME_RIGHT:.1f} pt: {run}")
    return problems
