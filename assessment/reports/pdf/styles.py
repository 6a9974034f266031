"""The board paper's look: page size and margins, NHS colours, the Helvetica faces under the
paper's own names, and the paragraph and table styles every part of the paper is set in.
Built once, at import."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import Font, registerFont, registerFontFamily
from reportlab.platypus import TableStyle
from reportlab.platypus.paraparser import ParaFrag, ParaParser

from assessment.scoring.definitions import (
    AT_RISK,
    SUSTAINABLE_COLLABORATE,
    SUSTAINABLE_LEAD,
    UNSUSTAINABLE,
)

PRODUCT = "Assess your trust's sustainability"
SUBJECT = "Sustainability assessment board paper"
MARKING = "OFFICIAL-SENSITIVE"
SHOWN_CHANGES = 8  # single-answer changes listed before "And N more."

# NHS identity colours.
NHS_BLUE = HexColor("#005EB8")
NHS_DARK_BLUE = HexColor("#003087")
NHS_TEXT = HexColor("#212B32")
NHS_DARK_GREY = HexColor("#425563")
NHS_PALE_GREY = HexColor("#E8EDEE")
RULE_GREY = HexColor("#D8DDE0")
PALE_BLUE = HexColor("#E6EFF8")
WATERMARK = Color(0.835, 0.157, 0.106, alpha=0.13)  # NHS red, faint
WITHDRAWN_RED = HexColor("#D5281B")
NHS_GREEN = HexColor("#007F3B")
NHS_ORANGE = HexColor("#ED8B00")
NHS_WARM_YELLOW = HexColor("#FFB81C")
NHS_RED = HexColor("#D5281B")

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 27 * mm
MARGIN_BOTTOM = 24 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# ------------------------------------------------------------------------------- fonts


class PaperFont(Font):
    """One of ReportLab's standard Helvetica faces under the paper's own name, remembering
    the width of each word it measures: breaking lines measures every word of every
    paragraph, and the same words recur through a paper and from one paper to the next."""

    LIMIT = 50_000  # widths kept before the memory starts again

    def __init__(self, name: str, face: str) -> None:
        super().__init__(name, face, "WinAnsiEncoding")
        self._widths: dict[tuple[str, float, str], float] = {}

    def stringWidth(self, text: str, size: float, encoding: str = "utf8") -> float:
        key = (text, size, encoding)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) >= self.LIMIT:
                self._widths.clear()
            width = self._widths[key] = super().stringWidth(text, size, encoding)
        return width


SANS = "PaperSans"
SANS_BOLD = "PaperSans-Bold"
SANS_ITALIC = "PaperSans-Oblique"
SANS_BOLD_ITALIC = "PaperSans-BoldOblique"
for _name, _face in (
    (SANS, "Helvetica"),
    (SANS_BOLD, "Helvetica-Bold"),
    (SANS_ITALIC, "Helvetica-Oblique"),
    (SANS_BOLD_ITALIC, "Helvetica-BoldOblique"),
):
    registerFont(PaperFont(_name, _face))
registerFontFamily(
    SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC, boldItalic=SANS_BOLD_ITALIC
)


# ------------------------------------------------------------------------------ styles


def _style(name: str, **options: Any) -> ParagraphStyle:
    base: dict[str, Any] = {
        "fontName": SANS,
        "bulletFontName": SANS,
        "bulletColor": NHS_TEXT,
        "fontSize": 10,
        "leading": 14,
        "textColor": NHS_TEXT,
        "spaceAfter": 5,
        # A line never runs past its width, by squeezing its spaces or otherwise; a word
        # too long for a line (a web address) is broken between its characters.
        "spaceShrinkage": 0,
        "splitLongWords": 1,
    }
    base.update(options)
    return ParagraphStyle(name, **base)


BODY = _style("body")
BODY_TIGHT = _style("body-tight", spaceAfter=2)
BODY_BOLD = _style("body-bold", fontName=SANS_BOLD, spaceAfter=2)
# Labelled styles print a bold label before the text (see `_labelled`).
LABELLED = _style("labelled", bulletFontName=SANS_BOLD)
LABELLED_TIGHT = _style("labelled-tight", bulletFontName=SANS_BOLD, spaceAfter=2)
SMALL = _style("small", fontSize=8.5, leading=11.5, textColor=NHS_DARK_GREY)
LEDE = _style("lede", fontName=SANS_ITALIC, fontSize=12, leading=16.5, spaceAfter=10)
BULLET = _style("bullet", leftIndent=13, bulletIndent=3, spaceAfter=3)
BULLET_SMALL = _style(
    "bullet-small", fontSize=9.5, leading=13, leftIndent=13, bulletIndent=3, spaceAfter=2
)
H1 = _style(
    "h1", fontName=SANS_BOLD, fontSize=15, leading=19, textColor=NHS_BLUE, spaceBefore=14,
    spaceAfter=2,
)  # fmt: skip
H2 = _style(
    "h2", fontName=SANS_BOLD, fontSize=11.5, leading=15, textColor=NHS_BLUE, spaceBefore=9,
    spaceAfter=4,
)  # fmt: skip
FORM_HEADING = _style(
    "form-heading", fontName=SANS_BOLD, fontSize=11.5, leading=15, textColor=NHS_DARK_BLUE,
    spaceBefore=12, spaceAfter=2,
)  # fmt: skip
FIT_LINE = _style("fit-line", bulletFontName=SANS_BOLD, spaceAfter=4)
FIT_BOLD = _style("fit-bold", fontName=SANS_BOLD, spaceAfter=4)
DETAIL = _style(
    "detail", fontSize=9.5, leading=13, leftIndent=34 * mm, bulletFontName=SANS_BOLD,
    bulletFontSize=9.5, spaceAfter=3,
)  # fmt: skip
COVER_KICKER = _style(
    "cover-kicker", fontName=SANS_BOLD, fontSize=10.5, leading=14, textColor=white
)
COVER_TITLE = _style(
    "cover-title", fontName=SANS_BOLD, fontSize=16, leading=20, textColor=white, spaceAfter=0
)
# The verdict's label on its band: white on green or red, NHS text colour on warm yellow.
VERDICT_ON_DARK = _style(
    "verdict-on-dark", fontName=SANS_BOLD, fontSize=15, leading=19, textColor=white,
    spaceAfter=0,
)  # fmt: skip
VERDICT_ON_LIGHT = _style(
    "verdict-on-light", fontName=SANS_BOLD, fontSize=15, leading=19, textColor=NHS_TEXT,
    spaceAfter=0,
)  # fmt: skip
CELL = _style("cell", fontSize=9, leading=12, spaceAfter=0)
# The cover sheet's executive summary and its sections: a little smaller than the body, so
# the summary takes about half a page.
SUMMARY = _style("summary", fontSize=9.5, leading=13, spaceAfter=4)
SUMMARY_BULLET = _style(
    "summary-bullet", fontSize=9.5, leading=13, leftIndent=13, bulletIndent=3, spaceAfter=3
)
COVER_HEADING = _style(
    "cover-heading", fontName=SANS_BOLD, fontSize=11, leading=14, textColor=NHS_DARK_BLUE,
    spaceBefore=6, spaceAfter=2,
)  # fmt: skip
# An agreed answer: its code in the margin, then the question, the answer and the rationale.
ENTRY_INDENT = 28 * mm  # room for a code as long as PROFILE-TYPE; a longer one pushes text on
ENTRY = _style(
    "entry", fontSize=9.5, leading=13, leftIndent=ENTRY_INDENT, bulletFontName=SANS_BOLD,
    bulletFontSize=9.5, spaceAfter=2,
)  # fmt: skip
ENTRY_LABELLED = _style(
    "entry-labelled", fontSize=9.5, leading=13, leftIndent=ENTRY_INDENT,
    bulletIndent=ENTRY_INDENT, bulletFontName=SANS_BOLD, bulletFontSize=9.5, spaceAfter=2,
)  # fmt: skip
STYLES = (
    BODY,
    BODY_TIGHT,
    BODY_BOLD,
    LABELLED,
    LABELLED_TIGHT,
    SMALL,
    LEDE,
    BULLET,
    BULLET_SMALL,
    H1,
    H2,
    FORM_HEADING,
    FIT_LINE,
    FIT_BOLD,
    DETAIL,
    COVER_KICKER,
    COVER_TITLE,
    VERDICT_ON_DARK,
    VERDICT_ON_LIGHT,
    CELL,
    SUMMARY,
    SUMMARY_BULLET,
    COVER_HEADING,
    ENTRY,
    ENTRY_LABELLED,
)

CELL_PADDING = 5
_CELL_PADDING = [
    ("TOPPADDING", (0, 0), (-1, -1), 3.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
]


# Grey rules between rows under a blue header row.
GRID_TABLE = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), SANS, 9, 12),
        ("TEXTCOLOR", (0, 0), (-1, -1), NHS_TEXT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), NHS_BLUE),
        ("FONT", (0, 0), (-1, 0), SANS_BOLD, 9, 12),
        ("TEXTCOLOR", (0, 0), (-1, 0), white),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE_GREY),
        *_CELL_PADDING,
    ]
)
KEY_TABLE = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), SANS, 9, 12),
        ("FONT", (0, 0), (0, -1), SANS_BOLD, 9, 12),
        ("TEXTCOLOR", (0, 0), (-1, -1), NHS_TEXT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEABOVE", (0, 0), (-1, 0), 0.5, RULE_GREY),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE_GREY),
        *_CELL_PADDING,
    ]
)
COVER_TABLE = TableStyle(
    [
        ("BACKGROUND", (0, 0), (-1, -1), NHS_BLUE),
        ("LEFTPADDING", (0, 0), (-1, -1), 12),
        ("RIGHTPADDING", (0, 0), (-1, -1), 12),
        ("TOPPADDING", (0, 0), (-1, 0), 10),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 11),
    ]
)
# The boxes (cover band, verdict, notes) hold one paragraph a row, so that a box too long
# for what is left of a page moves on between its paragraphs: padded above the first row
# and below the last.


@dataclass(frozen=True)
class Severity:
    """How a verdict is coloured: the band that carries its label (`band`, with the label
    in `label_style`), and the ground and rule of the box below it. The label is always
    written on the band: colour is never the only sign of the verdict."""

    band: Color
    ground: Color
    label_style: ParagraphStyle


SEVERITIES = {
    SUSTAINABLE_LEAD: Severity(NHS_GREEN, HexColor("#E6F2EB"), VERDICT_ON_DARK),
    SUSTAINABLE_COLLABORATE: Severity(NHS_GREEN, HexColor("#E6F2EB"), VERDICT_ON_DARK),
    AT_RISK: Severity(NHS_WARM_YELLOW, HexColor("#FFF6E0"), VERDICT_ON_LIGHT),
    UNSUSTAINABLE: Severity(NHS_RED, HexColor("#FBEAE8"), VERDICT_ON_DARK),
}
# A verdict the method does not know (none should reach a paper) is boxed in NHS blue.
UNKNOWN_SEVERITY = Severity(NHS_BLUE, PALE_BLUE, VERDICT_ON_DARK)


def severity(verdict_code: str) -> Severity:
    return SEVERITIES.get(verdict_code, UNKNOWN_SEVERITY)


def verdict_box_style(verdict_code: str) -> TableStyle:
    """The verdict's box: its first row (the label) on a band of the verdict's colour, the
    rest on a pale ground of the same colour with a rule of it down the left side."""
    colours = severity(verdict_code)
    rule_colour = NHS_ORANGE if verdict_code == AT_RISK else colours.band
    return TableStyle(
        [
            ("BACKGROUND", (0, 0), (-1, -1), colours.ground),
            ("BACKGROUND", (0, 0), (-1, 0), colours.band),
            ("LINEBEFORE", (0, 0), (0, -1), 5, rule_colour),
            ("LEFTPADDING", (0, 0), (-1, -1), 12),
            ("RIGHTPADDING", (0, 0), (-1, -1), 12),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, 0), 7),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 7),
            ("TOPPADDING", (0, 1), (-1, 1), 8),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
        ]
    )


NOTE_TABLE = TableStyle(
    [
        ("BACKGROUND", (0, 0), (-1, -1), NHS_PALE_GREY),
        ("LEFTPADDING", (0, 0), (-1, -1), 10),
        ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, 0), 7),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 3),
    ]
)


def _plain_fragment(style: ParagraphStyle) -> ParaFrag:
    """What ReportLab's parser makes of unmarked text in a style, to copy for plain text."""
    _, fragments, _ = ParaParser().parse("x", style)
    (fragment,) = fragments
    return fragment


PLAIN_FRAGMENTS = {style.name: _plain_fragment(style) for style in STYLES}
