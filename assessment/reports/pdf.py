"""The board paper as a PDF, drawn with ReportLab's Platypus.

Everything printed comes from a `BoardPaper`: the stored result and the facts about the
assessment around it, so the paper says what the results page says, in the same order
and with the same figures (every score through `display`). It must stand on its own in
front of a board, its governors, the regulator and commissioners, so it carries a cover
block, an appendix of every agreed answer and a plain-English note on the method.

Text is set in ReportLab's standard Helvetica (no font files, no system libraries) as
Paragraphs, so it can be selected, searched and read aloud. Text that goes into Paragraph
markup is escaped first; plain text is handed to ReportLab as a ready-made fragment and is
never read as markup at all. Styles are built once, at import. The PDF is written in
ReportLab's invariant mode with the paper's date as its creation date, so the same paper
always gives the same bytes.

ReportLab runs here without its optional C accelerator, so a few choices keep a full
paper well under 100 ms (bench/pdf.py): fonts that remember the width of each word they
measure; Paragraphs and tables that remember their last layout; plain text that skips the
markup parser; plain paragraphs, and PDF strings, written in one pass each; and page
streams compressed without the ASCII85 layer. The layout and drawing shortcuts give byte
for byte what ReportLab's own methods give (tests/reports/test_pdf.py checks it), and
anything out of the ordinary goes to ReportLab's own methods.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from functools import cache, partial
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFStream, PDFZCompress
from reportlab.pdfbase.pdfmetrics import (
    Font,
    getFont,
    registerFont,
    registerFontFamily,
    stringWidth,
)
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable
from reportlab.platypus.paraparser import ParaFrag, ParaParser

from assessment.reports.paper import AgreedRow, BoardPaper
from assessment.scoring.decimals import display, plain_number
from assessment.scoring.definitions import (
    AT_RISK,
    SUSTAINABLE_COLLABORATE,
    SUSTAINABLE_LEAD,
    UNSUSTAINABLE,
    VERDICT_LABELS,
)
from assessment.scoring.result import (
    DomainResult,
    RankedForm,
    Result,
    RuledOutForm,
    Sensitivity,
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

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 27 * mm
MARGIN_BOTTOM = 24 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

_SPACES = re.compile(r"[ \t\r\n]+")  # runs of ordinary white space; not no-break spaces

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


class _PaperFont(Font):
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
    registerFont(_PaperFont(_name, _face))
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
DETAIL = _style(
    "detail", fontSize=9.5, leading=13, leftIndent=34 * mm, bulletFontName=SANS_BOLD,
    bulletFontSize=9.5, spaceAfter=3,
)  # fmt: skip
COVER_KICKER = _style(
    "cover-kicker", fontName=SANS_BOLD, fontSize=10.5, leading=14, textColor=white
)
COVER_TITLE = _style(
    "cover-title", fontName=SANS_BOLD, fontSize=21, leading=26, textColor=white, spaceAfter=6
)
COVER_TRUST = _style("cover-trust", fontSize=13, leading=17, textColor=white, spaceAfter=0)
VERDICT_LABEL = _style(
    "verdict-label", fontName=SANS_BOLD, fontSize=15, leading=19, textColor=NHS_DARK_BLUE,
    spaceAfter=4,
)  # fmt: skip
CELL = _style("cell", fontSize=9, leading=12, spaceAfter=0)
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
    DETAIL,
    COVER_KICKER,
    COVER_TITLE,
    COVER_TRUST,
    VERDICT_LABEL,
    CELL,
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
        ("TOPPADDING", (0, 0), (-1, 0), 12),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 14),
    ]
)
VERDICT_TABLE = TableStyle(
    [
        ("BACKGROUND", (0, 0), (-1, -1), PALE_BLUE),
        ("LINEBEFORE", (0, 0), (0, -1), 5, NHS_BLUE),
        ("LEFTPADDING", (0, 0), (-1, -1), 12),
        ("RIGHTPADDING", (0, 0), (-1, -1), 12),
        ("TOPPADDING", (0, 0), (-1, -1), 10),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ]
)
NOTE_TABLE = TableStyle(
    [
        ("BACKGROUND", (0, 0), (-1, -1), NHS_PALE_GREY),
        ("LEFTPADDING", (0, 0), (-1, -1), 10),
        ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 7),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
)


def _plain_fragment(style: ParagraphStyle) -> ParaFrag:
    """What ReportLab's parser makes of unmarked text in a style, to copy for plain text."""
    _, fragments, _ = ParaParser().parse("x", style)
    (fragment,) = fragments
    return fragment


PLAIN_FRAGMENTS = {style.name: _plain_fragment(style) for style in STYLES}


# ----------------------------------------------------------------------------- helpers


Cell = str | Flowable | list[Flowable]  # what a table cell may hold


@cache
def _number(value: float) -> str:
    """A size or leading as the PDF writes it: the same few recur in every paragraph."""
    return str(fp_str(value))


@cache
def _colour(colour: Color) -> str:
    return str(fp_str(colour.red, colour.green, colour.blue))


class _Para(Paragraph):
    """A Paragraph that remembers its last wrap: a table measures each cell once to lay
    out and again to draw, and breaking lines is much of the cost of a paper."""

    _wrapped: tuple[float, float, float] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        wrapped = self._wrapped
        if wrapped is not None and wrapped[0] == availWidth and "blPara" in self.__dict__:
            return wrapped[1], wrapped[2]
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, width, height)
        return width, height

    def draw(self) -> None:
        """Draw a plain left-aligned Paragraph in one font, with or without a bullet or
        label, exactly as ReportLab does but in one string rather than through a text object
        line by line. Anything else (mixed fonts, other alignments, squeezed lines,
        characters from a substitute font) ReportLab draws itself."""
        layout = self.blPara
        style = self.style
        bullet = self.bulletText
        if (
            layout.kind != 0
            or style.alignment != TA_LEFT
            or (bullet and (not isinstance(bullet, str) or style.bulletAnchor != "start"))
            or getattr(style, "bulletOffsetY", 0)
            or style.backColor
            or style.borderWidth
            or style.firstLineIndent
            or getattr(style, "autoLeading", "") not in ("", "off")
            or layout.us_lines
            or layout.link
            or "_offsets" in self.__dict__
            or "autoLeading" in self.__dict__
            or any(spare < -1e-8 for spare, _ in layout.lines)  # squeezed: word spacing
        ):
            super().draw()
            return
        if not layout.lines:
            return
        colour = getattr(style, "bulletColor", style.textColor)
        try:
            encoding = getFont(layout.fontName).encName
            texts = [" ".join(words).encode(encoding) for _, words in layout.lines]
            label = bullet.encode(getFont(style.bulletFontName).encName) if bullet else b""
        except UnicodeEncodeError:  # a character from a substitute font
            label = None
        if label is None or (bullet and (type(colour) is not Color or colour.alpha != 1)):
            super().draw()
            return
        canvas = self.canv
        top = self.height - layout.fontSize
        canvas.saveState()
        shift = 0.0
        if bullet:
            size = style.bulletFontSize
            canvas._code.append(
                f"BT 1 0 0 1 {fp_str(style.bulletIndent, top)} Tm "
                f"{canvas._doc.getInternalFontName(style.bulletFontName)} {_number(size)} Tf "
                f"{_number(size * 1.2)} TL {_colour(colour)} rg ({canvas._escape(label)}) Tj ET"
            )
            width = stringWidth(bullet, style.bulletFontName, size)
            shift = max(0.0, style.bulletIndent + width + size * 0.6 - style.leftIndent)
        canvas.setFillColor(layout.textColor)
        font = canvas._doc.getInternalFontName(layout.fontName)
        origin = fp_str(style.leftIndent, top)
        size, leading = _number(layout.fontSize), _number(style.leading)
        code = [f"BT 1 0 0 1 {origin} Tm {font} {size} Tf {leading} TL"]
        for number, text in enumerate(texts):
            line = f"({canvas._escape(text)}) Tj T*"
            if number == 0 and (shift > 1e-6 or shift < -1e-6):
                line = f"{fp_str(shift, 0)} Td {line} {fp_str(-shift, 0)} Td"
            code.append(line)
        code.append("ET")
        canvas._code.append(" ".join(code))
        canvas.restoreState()


class _Table(Table):
    """A Table that remembers its last layout: keeping content together, and splitting it
    across pages, ask for the same layout more than once.

    Its rows move whole to the next page, unless one of them is taller than half a page
    (a long rationale): then the table breaks inside whichever row meets the foot of a
    page, so that no row is too tall to place and no page is left half empty."""

    _laid_out: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._laid_out != availWidth:
            self._calc(availWidth, availHeight)
            self._laid_out = availWidth
        self.availWidth = availWidth
        return self._width, self._height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        if max(self._rowHeights) > FRAME_HEIGHT / 2:
            # ReportLab then splits inside the row first; the parts it makes inherit this.
            self.splitByRow, self.splitInRow = 0, 1
        return super().split(availWidth, availHeight)


def _text(value: object) -> str:
    """Plain text made safe for Paragraph markup (&, < and >)."""
    return escape(str(value))


def _para(value: object, style: ParagraphStyle = BODY, bullet: str | None = None) -> Paragraph:
    """Plain text as a Paragraph. Nothing in it is read as markup: "<", "&" and quotes
    print as themselves."""
    fragment = PLAIN_FRAGMENTS[style.name].clone(
        text=" ".join(str(value).split()), link=[], us_lines=[]
    )
    return _Para(None, style, bulletText=bullet, frags=[fragment])


def _rich(
    style: ParagraphStyle, *runs: str | tuple[str, str], bullet: str | None = None
) -> Paragraph:
    """A Paragraph of runs of text, built without markup: a string is set in the style's
    font, ("b", text) in bold and ("i", text) in italic."""
    base = PLAIN_FRAGMENTS[style.name]
    family = ps2tt(style.fontName)[0]
    fragments = []
    for run in runs:
        kind, text = ("", run) if isinstance(run, str) else run
        bold = 1 if kind == "b" else base.bold
        italic = 1 if kind == "i" else base.italic
        fragments.append(
            base.clone(
                text=_SPACES.sub(" ", text),
                fontName=tt2ps(family, bold, italic),
                bold=bold,
                italic=italic,
                link=[],
                us_lines=[],
            )
        )
    return _Para(None, style, bulletText=bullet, frags=fragments)


def _labelled(label: str, text: object, style: ParagraphStyle = LABELLED) -> Paragraph:
    """Plain text after a bold label. The label is drawn as the Paragraph's bullet, in the
    style's bold bullet font: before the text, or in the margin of a style with a left
    indent. Cheaper than mixing fonts inside one Paragraph, which is slow to lay out."""
    return _para(text, style, bullet=label)


def _markup(markup: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A Paragraph from markup, every text in which has been escaped with `_text`."""
    return _Para(markup, style)


def _bullets(texts: Iterable[str], style: ParagraphStyle = BULLET) -> list[Flowable]:
    return [_para(text, style, bullet="\u2022") for text in texts]


def _title(title: str) -> list[Flowable]:
    """A section's title over a blue rule."""
    rule = HRFlowable(
        width="100%", thickness=1.2, color=NHS_BLUE, spaceBefore=1, spaceAfter=7, lineCap="butt"
    )
    return [_para(title, H1), rule]


def _heading(title: str, *first: Flowable) -> list[Flowable]:
    """A section heading over a blue rule, never left alone at the foot of a page: it
    starts a new page when little room is left, and stays with `first`, the section's
    opening content, when that is given."""
    if first:
        return [CondPageBreak(45 * mm), KeepTogether([*_title(title), *first])]
    return [CondPageBreak(45 * mm), *_title(title)]


def _subheading(title: str) -> list[Flowable]:
    return [CondPageBreak(30 * mm), _para(title, H2)]


def _long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _percent(share: Decimal) -> str:
    """A share from 0 to 1 as a percentage to one decimal place: 0.5489 reads "54.9%"."""
    return f"{display(share * 100)}%"


def _cell(value: Cell, width: float) -> Cell:
    """A table cell: text that fits on one line stays a plain string, which a table draws
    far faster than a Paragraph; longer text becomes a Paragraph that wraps, in a list, as
    ReportLab needs to split it across pages (a bare Flowable it would leave out)."""
    if not isinstance(value, str):
        return value
    value = " ".join(value.split())
    if stringWidth(value, SANS, CELL.fontSize) <= width - 2 * CELL_PADDING:
        return value
    return [_para(value, CELL)]


def _grid(
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    widths: Sequence[float],
    numeric: Sequence[int] = (),
) -> Table:
    """A table with a blue header row, repeated on every page it runs to, and grey rules;
    numeric columns right-aligned."""
    cells = [
        [_cell(value, width) for value, width in zip(row, widths, strict=True)] for row in rows
    ]
    table = _Table([list(header), *cells], colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(GRID_TABLE)
    if numeric:
        table.setStyle(
            TableStyle([("ALIGN", (column, 0), (column, -1), "RIGHT") for column in numeric])
        )
    return table


def _code_width(codes: Iterable[str]) -> float:
    """A column wide enough for the longest question code on one line."""
    widest = max((stringWidth(code, SANS, CELL.fontSize) for code in codes), default=0.0)
    return max(18 * mm, widest + 2 * CELL_PADDING + 1)


def _facts(rows: Iterable[tuple[str, Cell]], key_width: float) -> Table:
    """Label and value pairs between grey rules."""
    value_width = CONTENT_WIDTH - key_width
    table = Table(
        [[key, _cell(value, value_width)] for key, value in rows],
        colWidths=[key_width, value_width],
        hAlign="LEFT",
    )
    table.setStyle(KEY_TABLE)
    return table


def _boxed(content: list[Flowable], style: TableStyle) -> Table:
    box = Table([[content]], colWidths=[CONTENT_WIDTH], hAlign="LEFT")
    box.setStyle(style)
    return box


def _fit_text(text: str, font: str, size: float, width: float) -> str:
    """A line shortened with an ellipsis to fit a width."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "\u2026", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


# --------------------------------------------------------------------- page decoration

# What a PDF string needs escaped: its three delimiters, and every byte outside printable
# ASCII as an octal escape (the table of ReportLab's own escapePDF).
PDF_STRING_ESCAPES = {
    **{code: f"\\{code:03o}" for code in (*range(32), *range(127, 256))},
    **{ord(char): f"\\{char}" for char in "\\()"},
}


class _PaperCanvas(Canvas):
    """A canvas that holds the pages back until the last, to number them "Page N of M"."""

    def __init__(self, *args: Any, paper_date: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []
        stamp = f"D:{paper_date:%Y%m%d}000000+00'00'"
        self.setDateFormatter(lambda *_: stamp)

    def _escape(self, s: bytes | str) -> str:
        """Text escaped for a PDF string, as ReportLab escapes it, but in one pass."""
        if isinstance(s, bytes):
            s = s.decode("latin-1")
        return s.translate(PDF_STRING_ESCAPES)

    def _encoded(
        self, text: object, mode: int | None, charSpace: float, **options: Any
    ) -> bytes | None:
        """A plain string in the current font's own encoding, when ReportLab would write it
        as one run of that font; None when it needs ReportLab's own methods."""
        if mode is not None or charSpace or any(options.values()) or not isinstance(text, str):
            return None
        font = getFont(self._fontname)
        if font._dynamicFont or font._multiByte:
            return None
        try:
            return text.encode(font.encName)
        except UnicodeEncodeError:  # a character from a substitute font
            return None

    def _set_line(self, x: float, y: float, encoded: bytes) -> None:
        """What ReportLab writes for one line of text at (x, y)."""
        self._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm ({self._escape(encoded)}) Tj T* ET")

    def drawString(
        self,
        x: float,
        y: float,
        text: str,
        mode: int | None = None,
        charSpace: float = 0,
        direction: str | None = None,
        wordSpace: float | None = None,
        shaping: bool = False,
    ) -> None:
        options = {"direction": direction, "wordSpace": wordSpace, "shaping": shaping}
        encoded = self._encoded(text, mode, charSpace, **options)
        if encoded is None:
            super().drawString(x, y, text, mode, charSpace, **options)
        else:
            self._set_line(x, y, encoded)

    def drawRightString(
        self,
        x: float,
        y: float,
        text: str,
        mode: int | None = None,
        charSpace: float = 0,
        direction: str | None = None,
        wordSpace: float | None = None,
        shaping: bool = False,
    ) -> None:
        options = {"direction": direction, "wordSpace": wordSpace, "shaping": shaping}
        encoded = self._encoded(text, mode, charSpace, **options)
        if encoded is None:
            super().drawRightString(x, y, text, mode, charSpace, **options)
        else:
            self._set_line(x - stringWidth(text, self._fontname, self._fontsize), y, encoded)

    def drawCentredString(
        self,
        x: float,
        y: float,
        text: str,
        mode: int | None = None,
        charSpace: float = 0,
        direction: str | None = None,
        wordSpace: float | None = None,
        shaping: bool = False,
    ) -> None:
        options = {"direction": direction, "wordSpace": wordSpace, "shaping": shaping}
        encoded = self._encoded(text, mode, charSpace, **options)
        if encoded is None:
            super().drawCentredString(x, y, text, mode, charSpace, **options)
        else:
            width = stringWidth(text, self._fontname, self._fontsize)
            self._set_line(x - 0.5 * width, y, encoded)

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        pages = self._doc.Pages.pages
        for state in self._held:
            self.__dict__.update(state)
            self.setFont(SANS, 8.5)
            self.setFillColor(NHS_DARK_GREY)
            self.drawRightString(
                PAGE_WIDTH - MARGIN_X, 12.5 * mm, f"Page {self._pageNumber} of {total}"
            )
            super().showPage()
            # Compressed, but without the ASCII85 layer, which is slow in pure Python.
            page = pages[-1]
            page.Contents = PDFStream(content=page.stream, filters=[PDFZCompress])
        super().save()


def _decorate(canvas: Canvas, doc: _PaperDoc) -> None:
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
    _withdrawn_mark(canvas, paper)
    canvas.setFillColor(NHS_TEXT)
    canvas.setFont(SANS_BOLD, 9)
    canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 11 * mm, MARKING)
    canvas.drawCentredString(PAGE_WIDTH / 2, 6.5 * mm, MARKING)
    canvas.setStrokeColor(NHS_BLUE)
    canvas.setLineWidth(0.8)
    canvas.setFont(SANS, 8.5)
    canvas.setFillColor(NHS_DARK_GREY)
    if doc.page > 1:
        top = PAGE_HEIGHT - 18 * mm
        dated = doc.date_text + ("  \u00b7  DRAFT" if paper.draft else "")
        room = CONTENT_WIDTH - stringWidth(dated, SANS, 8.5) - 20
        canvas.drawString(MARGIN_X, top, _fit_text(paper.trust_name, SANS, 8.5, room))
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, top, dated)
        canvas.line(MARGIN_X, top - 2 * mm, PAGE_WIDTH - MARGIN_X, top - 2 * mm)
    canvas.line(MARGIN_X, 16.5 * mm, PAGE_WIDTH - MARGIN_X, 16.5 * mm)
    canvas.drawString(MARGIN_X, 12.5 * mm, f"{PRODUCT}: board paper")
    canvas.restoreState()


# A withdrawn result: WITHDRAWN across every page and above its footer, with the reason on
# the first page. Drawn under the page's text, like the DRAFT mark.
WITHDRAWN_RED = HexColor("#D5281B")


def _withdrawn_mark(canvas: Canvas, paper: BoardPaper) -> None:
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
    stamp = f"WITHDRAWN on {_long_date(note.withdrawn_on)}: no longer the board's result"
    canvas.drawCentredString(
        PAGE_WIDTH / 2, 19.5 * mm, _fit_text(stamp, SANS_BOLD, 9, CONTENT_WIDTH)
    )
    canvas.restoreState()


def _withdrawn_notice(paper: BoardPaper) -> list[Flowable]:
    """Who withdrew the result, when and why, boxed at the head of the first page."""
    note = paper.withdrawn
    if note is None:
        return []
    heading = _markup(
        f'<font name="{SANS_BOLD}" color="#D5281B">WITHDRAWN on '
        f"{_text(_long_date(note.withdrawn_on))} by {_text(note.withdrawn_by)}.</font> "
        "This result was withdrawn after it was submitted. It is kept for the record, "
        "is not part of the trust's history or trend, and should not be relied on.",
        BODY_TIGHT,
    )
    reason = _labelled("Reason:", note.reason, LABELLED_TIGHT)
    return [_boxed([heading, reason], NOTE_TABLE), Spacer(1, 8)]


class _PaperDoc(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, paper: BoardPaper) -> None:
        self.paper = paper
        self.date_text = _long_date(paper.paper_date)
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=f"{paper.title} \u2013 {paper.trust_name}",
            author=paper.trust_name,
            subject=SUBJECT,
            creator=PRODUCT,
            keywords="Dalton review; organisational forms; board paper",
            invariant=1,
            lang="en-GB",
            displayDocTitle=1,
        )
        frame = Frame(
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
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_decorate)])


# ---------------------------------------------------------------------------- sections


def _readiness(reasons: Sequence[tuple[str, str]]) -> list[Flowable]:
    """The warnings the board submitted past, each with its reason, boxed on the cover."""
    if not reasons:
        return []
    lines: list[Flowable] = [
        _labelled(
            "Submitted with warnings.",
            "The lead submitted the board's answers past these warnings, for these reasons.",
        )
    ]
    for warning, reason in reasons:
        lines += [
            _labelled("Warning:", warning, ENTRY_LABELLED),
            _labelled("The board's reason:", reason, ENTRY_LABELLED),
        ]
    return [_boxed(lines, NOTE_TABLE), Spacer(1, 8)]


def _cover(paper: BoardPaper) -> list[Flowable]:
    result = paper.result
    band = Table(
        [
            [_para(PRODUCT, COVER_KICKER)],
            [_para(paper.title, COVER_TITLE)],
            [_para(paper.trust_name, COVER_TRUST)],
        ],
        colWidths=[CONTENT_WIDTH],
        hAlign="LEFT",
    )
    band.setStyle(COVER_TABLE)
    status: str | Flowable = paper.status
    if paper.draft:
        status = _markup(
            f'{_text(paper.status)}<br/><font name="{SANS_BOLD}" color="#D5281B">DRAFT: '
            "this is not the board's submitted result, and it will change if the answers "
            "do.</font>",
            CELL,
        )
    if paper.respondents is None:
        respondents = "Not recorded"
    else:
        respondents = f"{paper.respondents} board member" + ("" if paper.respondents == 1 else "s")
    story: list[Flowable] = [
        band,
        Spacer(1, 10),
        _facts(
            [
                ("Trust", paper.trust_name),
                ("ODS code", paper.ods_code),
                ("Reporting period", paper.reporting_period),
                ("Date", _long_date(paper.paper_date)),
                ("Status", status),
                (
                    "Questionnaire",
                    f"Version {result.questionnaire_version}: {result.title}",
                ),
                ("Catalogue of forms", f"Version {result.catalogue_version}"),
                ("Method settings", f"Version {result.settings.version}"),
                ("Respondents", respondents),
            ],
            42 * mm,
        ),
        Spacer(1, 8),
    ]
    if paper.source_note:
        note = _labelled("Source of the answers.", paper.source_note)
        story += [_boxed([note], NOTE_TABLE), Spacer(1, 8)]
    story += _readiness(paper.readiness)
    story.append(
        _para(
            "This paper reports the board's self-assessment of whether the trust's present way "
            "of working is sustainable, the question the Dalton review (2014) put to every "
            "trust board, and sets out a ranked menu of organisational forms for the board to "
            "consider, with the risks of each. Scores are out of 100. How the answers become "
            "the verdict and the menu is explained at the end of the paper."
        )
    )
    return story


def _verdict(result: Result) -> list[Flowable]:
    verdict = result.verdict
    story = _heading("1. The verdict")
    story.append(_para("The Dalton review asked every trust board:", BODY_TIGHT))
    story.append(_para(result.verdict_question, LEDE))
    label = verdict.label + (" (provisional)" if verdict.provisional else "")
    inner: list[Flowable] = [
        _para(label, VERDICT_LABEL),
        _labelled("Decided by:", verdict.rule),
    ]
    if verdict.provisional:
        inner.append(_para(verdict.provisional_note))
    inner.append(
        _rich(
            BODY_TIGHT,
            ("b", "Sustainability index:"),
            f" {display(result.index)} out of 100\u00a0\u00a0\u00a0\u00a0 ",
            ("b", "Evidence covered:"),
            f" {display(result.coverage)}% of the weighted questions",
        )
    )
    story += [_boxed(inner, VERDICT_TABLE), Spacer(1, 6)]
    other_caps = [cap.text for cap in verdict.caps if not cap.binding]
    if other_caps:
        story.append(_para("Other limits on the verdict, which did not decide it:", BODY_TIGHT))
        story += _bullets(other_caps)
    if result.triggers:
        story += _subheading("Critical answers")
        story.append(
            _para(
                "Each of these answers is on its own a tipping-point signal, and limits the "
                "verdict whatever the index."
            )
        )
        for trigger in result.triggers:
            limit = VERDICT_LABELS.get(trigger.verdict, trigger.verdict)
            story.append(
                _rich(
                    BULLET,
                    ("b", trigger.question),
                    f": {trigger.answer_label}. {trigger.text} ",
                    ("i", f"Limits the verdict to: {limit}."),
                    bullet="\u2022",
                )
            )
    return story


def _chart_label(text: str, width: float, size: float) -> list[str]:
    """A domain name over at most two lines of a chart."""
    if stringWidth(text, SANS, size) <= width:
        return [text]
    words = text.split()
    first: list[str] = []
    for count in range(1, len(words)):
        if stringWidth(" ".join(words[:count]), SANS, size) > width:
            break
        first = words[:count]
    if not first:
        return [_fit_text(text, SANS, size, width)]
    return [" ".join(first), _fit_text(" ".join(words[len(first) :]), SANS, size, width)]


def _domain_chart(domains: Sequence[DomainResult], result: Result) -> Drawing:
    """Horizontal bars from 0 to 100, one per scored domain, with the method's floors as
    dashed lines: the chart of the results page."""
    size = 8.5
    label_width, value_width = 160.0, 30.0
    plot_width = CONTENT_WIDTH - label_width - value_width
    row, top, bottom = 22.0, 20.0, 16.0
    height = top + row * len(domains) + bottom
    plot_top = height - top + 4
    drawing = Drawing(CONTENT_WIDTH, height)

    def x_of(value: Decimal | int) -> float:
        return label_width + plot_width * min(max(float(value), 0.0), 100.0) / 100

    for tick in (0, 25, 50, 75, 100):
        x = x_of(tick)
        drawing.add(Line(x, bottom, x, plot_top, strokeColor=NHS_PALE_GREY, strokeWidth=1))
        drawing.add(
            String(x, 4, str(tick), fontName=SANS, fontSize=8, fillColor=NHS_DARK_GREY,
                   textAnchor="middle")
        )  # fmt: skip
    values: list[tuple[float, float, str]] = []
    for position, domain in enumerate(domains):
        y = height - top - row * (position + 1)
        middle = y + row / 2 - 3
        lines = _chart_label(domain.name, label_width - 10, size)
        first = middle + (size + 1) / 2 * (len(lines) - 1)
        for number, line in enumerate(lines):
            drawing.add(
                String(label_width - 8, first - number * (size + 1), line, fontName=SANS,
                       fontSize=size, fillColor=NHS_TEXT, textAnchor="end")
            )  # fmt: skip
        if domain.score is None:
            values.append((label_width + 5, middle, "no answers"))
            continue
        end = x_of(domain.score)
        drawing.add(
            Rect(label_width, y + 4, end - label_width, row - 8, fillColor=NHS_BLUE,
                 strokeColor=None)
        )  # fmt: skip
        values.append((end + 4, middle, display(domain.score)))
    settings = result.settings
    for value, label in (
        (settings.domain_cap_floor, f"{display(settings.domain_cap_floor)} floor"),
        (settings.lead_domain_floor, f"{display(settings.lead_domain_floor)} lead floor"),
    ):
        x = x_of(value)
        drawing.add(
            Line(x, bottom, x, plot_top, strokeColor=NHS_DARK_GREY, strokeWidth=1.2,
                 strokeDashArray=[4, 3])
        )  # fmt: skip
        drawing.add(
            String(x, plot_top + 4, label, fontName=SANS, fontSize=7.5,
                   fillColor=NHS_DARK_GREY, textAnchor="middle")
        )  # fmt: skip
    # The figures go on last, on a white ground, so a dashed line never runs through one.
    for x, y, text in values:
        width = stringWidth(text, SANS_BOLD, size)
        drawing.add(Rect(x - 1.5, y - 2.5, width + 3, size + 3, fillColor=white, strokeColor=None))
        drawing.add(String(x, y, text, fontName=SANS_BOLD, fontSize=size, fillColor=NHS_TEXT))
    return drawing


def _domains(result: Result) -> list[Flowable]:
    scored = [domain for domain in result.domains if domain.scored]
    settings = result.settings
    if not scored:
        return [
            *_heading("2. Scores by domain"),
            _para("The questionnaire has no scored domain."),
        ]
    story = _heading(
        "2. Scores by domain",
        _domain_chart(scored, result),
        Spacer(1, 4),
        _para(
            "Domain scores out of 100. The dashed lines mark the floors of the method: a "
            f"domain below {display(settings.domain_cap_floor)} caps the verdict at "
            f"\u201cat risk\u201d; every domain must reach {display(settings.lead_domain_floor)} "
            "for the trust to extend its reach.",
            SMALL,
        ),
    )
    story.append(Spacer(1, 2))
    rows = [
        [
            domain.name,
            display(domain.score) if domain.score is not None else "No answers",
            display(domain.weight),
            f"{display(domain.coverage)}%" if domain.coverage is not None else "\u2013",
        ]
        for domain in scored
    ]
    number = 30 * mm
    story.append(
        _grid(
            ("Domain", "Score", "Weight", "Evidence covered"),
            rows,
            (CONTENT_WIDTH - 3 * number, number, number, number),
            numeric=(1, 2, 3),
        )
    )
    if result.dropped_domains:
        names = {domain.code: domain.name for domain in result.domains}
        dropped = ", ".join(names.get(code, code) for code in result.dropped_domains)
        story += [
            Spacer(1, 4),
            _para(f"Left out of the index because nothing in them was answered: {dropped}."),
        ]
    return story


def _timing(form: RankedForm) -> str:
    low, high = form.details.months_min, form.details.months_max
    if low is None:
        return "Not recorded"
    if high is None or high == low:
        return f"About {low} months"
    return f"{low} to {high} months"


def _form_entry(form: RankedForm) -> list[Flowable]:
    """One form of the menu: its name, fit and reasons kept together, and its risks,
    approvals and timing kept together, so a page can only break between the two."""
    story: list[Flowable] = [_para(f"{form.rank}. {form.name}", FORM_HEADING)]
    terms = (
        f"need match {_percent(form.need_match)}, context match "
        f"{_percent(form.context_match)}, proportion {_percent(form.proportion)}"
    )
    if form.conditional:
        story.append(
            _markup(
                f"<b>Fit {display(form.fit)}</b> out of 100&nbsp;&nbsp;\u00b7&nbsp;&nbsp;{terms}"
                f'&nbsp;&nbsp;<font name="{SANS_BOLD}" backColor="#FFB81C">&nbsp;To '
                "confirm&nbsp;</font>",
                FIT_LINE,
            )
        )
        for item in form.to_confirm:
            story.append(_labelled("To confirm:", item.sentence, LABELLED_TIGHT))
            if item.on_verdict and item.missing:
                # The verdict's missing answers can be many: their codes here, their
                # questions in section 7.
                codes = ", ".join(missing.question for missing in item.missing)
                story += _bullets(
                    (f"Missing answers: {codes} (see 7. Missing evidence).",), BULLET_SMALL
                )
            else:
                story += _bullets(
                    (f"{missing.question}: {missing.text}" for missing in item.missing),
                    BULLET_SMALL,
                )
    else:
        story.append(
            _labelled(
                f"Fit {display(form.fit)}",
                f"out of 100\u00a0\u00a0\u00b7\u00a0\u00a0{terms}",
                FIT_LINE,
            )
        )
    explanation = form.explanation
    story += _bullets((reason.sentence for reason in explanation.reasons), BULLET_SMALL)
    if explanation.proportion_note:
        story += _bullets((explanation.proportion_note,), BULLET_SMALL)
    details = form.details
    reversibility = details.reversibility or "not recorded"
    facts = [
        Spacer(1, 2),
        _labelled("Risks", details.risk_note or "None recorded.", DETAIL),
        _labelled("Approvals", details.approvals or "None recorded.", DETAIL),
        _labelled("Time to implement", _timing(form), DETAIL),
        _labelled("Reversibility", reversibility.capitalize(), DETAIL),
    ]
    return [KeepTogether(story), KeepTogether(facts)]


def _menu(result: Result) -> list[Flowable]:
    title = "3. The ranked menu of organisational forms"
    introduction = _para(
        "Each form's fit (out of 100) weighs how well it answers the trust's needs, how well "
        "the local context suits it, and whether its size of change matches the need. "
        "Leadership, relationships and culture decide outcomes more than the form does: read "
        "the risks beside each. A form marked \u201cTo confirm\u201d keeps its place by fit, "
        "but a condition it needs cannot be judged until the board gives the missing answers "
        "listed with it."
    )
    if not result.ranking:
        return [
            *_heading(title),
            introduction,
            _para("No form could be ranked: every form is ruled out."),
        ]
    rows = [
        [
            str(form.rank),
            form.name + (" (to confirm)" if form.conditional else ""),
            display(form.fit),
            _percent(form.need_match),
            _percent(form.context_match),
            _percent(form.proportion),
        ]
        for form in result.ranking
    ]
    column = 20 * mm
    summary = _grid(
        ("Rank", "Form", "Fit", "Need", "Context", "Proportion"),
        rows,
        (12 * mm, CONTENT_WIDTH - 12 * mm - 4 * column, column, column, column, column),
        numeric=(0, 2, 3, 4, 5),
    )
    story = _heading(title, introduction, summary)
    for form in result.ranking:
        story += _form_entry(form)
    return story


def _ruled_out(forms: Sequence[RuledOutForm]) -> list[Flowable]:
    story = _heading("4. Ruled out")
    if not forms:
        story.append(_para("No form is ruled out."))
        return story
    story.append(_para("These forms are not ranked, because a condition they need is not met."))
    story += [
        KeepTogether([_para(form.name, BODY_BOLD), *_bullets(form.reasons), Spacer(1, 3)])
        for form in forms
    ]
    return story


def _capped(sentences: Sequence[str]) -> list[Flowable]:
    story = _bullets(sentences[:SHOWN_CHANGES], BULLET_SMALL)
    if len(sentences) > SHOWN_CHANGES:
        story.append(_para(f"And {len(sentences) - SHOWN_CHANGES} more.", SMALL))
    return story


def _what_would_change(sensitivity: Sensitivity | None) -> list[Flowable]:
    story = _heading("5. What would change our recommendation")
    if sensitivity is None:
        story.append(_para("This analysis was not run for this result."))
        return story
    story += [
        _labelled(f"The top form is {sensitivity.stability}.", sensitivity.summary),
        _para(
            f"Each of {sensitivity.scenarios} single changed answers was tried on its own.", SMALL
        ),
    ]
    if sensitivity.displacing:
        story += _subheading("Single answers that would change the top form, nearest first")
        story += _capped([item.sentence for item in sensitivity.displacing])
    story += _subheading("Single answers that would change the verdict, nearest first")
    if sensitivity.verdict_changes:
        story += _capped([item.sentence for item in sensitivity.verdict_changes])
    else:
        story.append(_para("No single changed answer would change the verdict."))
    for form in sensitivity.forms:
        part: list[Flowable] = [_para(f"What would lift or drop {form.name}", H2)]
        if form.lifts:
            part.append(_para("Would raise its fit:", BODY_TIGHT))
            part += _bullets((change.sentence for change in form.lifts), BULLET_SMALL)
        if form.drops:
            part.append(_para("Would lower its fit, or rule it out:", BODY_TIGHT))
            part += _bullets((change.sentence for change in form.drops), BULLET_SMALL)
        if not form.lifts and not form.drops:
            part.append(_para("No single changed answer moves its fit."))
        story.append(KeepTogether(part))
    return story


def _divergent(agreed: Sequence[AgreedRow]) -> list[Flowable]:
    title = "6. Where board members differed"
    rows = [row for row in agreed if row.divergent]
    if not rows:
        if agreed:
            empty = "No question was marked divergent: members' answers were close on every one."
        else:
            empty = "No agreed answers are recorded with this paper."
        return [*_heading(title), _para(empty)]
    introduction = _para(
        "On these questions board members' answers were far apart. The answer the board "
        "agreed, how many members gave each answer, and the reason given for the agreed "
        "answer are shown."
    )
    # The heading goes with the first question, which may start a new page.
    story = _agreed_entry(rows[0], marked=False, above=[*_title(title), introduction])
    for row in rows[1:]:
        story += _agreed_entry(row, marked=False)
    return story


def _missing(result: Result) -> list[Flowable]:
    story = _heading("7. Missing evidence")
    if not result.missing:
        story.append(_para("Every question has an answer."))
        return story
    if result.verdict.provisional:
        standing = "provisional, because too much evidence is missing"
    else:
        standing = "based on the evidence given, and is not provisional"
    story.append(
        _para(
            "The board did not know, or did not answer, these questions. The verdict is "
            f"{standing}."
        )
    )
    code, status = _code_width(item.question for item in result.missing), 26 * mm
    story.append(
        _grid(
            ("Code", "Question", "Status"),
            [
                [
                    item.question,
                    item.text + ("" if item.scored else " (context: not in the coverage)"),
                    "Don't know" if item.status == "dk" else "Not answered",
                ]
                for item in result.missing
            ],
            (code, CONTENT_WIDTH - code - status, status),
        )
    )
    return story


def _answer_counts(row: AgreedRow) -> str:
    """How many members gave each answer: never who gave which, nor a member's note, which
    are private to the member and the assessment lead."""
    return "; ".join(
        f"{label} ({count} member{'' if count == 1 else 's'})" for label, count in row.answer_counts
    )


def _height(flowable: Flowable) -> float:
    """The height a flowable takes across the page, with the space around it."""
    _, height = flowable.wrap(CONTENT_WIDTH, FRAME_HEIGHT)
    return float(height + flowable.getSpaceBefore() + flowable.getSpaceAfter())


def _agreed_entry(
    row: AgreedRow, *, marked: bool = True, above: Sequence[Flowable] = ()
) -> list[Flowable]:
    """One agreed answer beside its code, under any heading `above` it: the answer, how many
    members gave each answer and the board's rationale (or that none was given, where
    members diverged), in paragraphs across the page. `marked` adds "(divergent)" to the
    answer where it applies.

    A short entry is kept on one page. A long rationale runs on over as many pages as it
    needs, starting on the page of its question with at least its first three lines."""
    answer = row.label + (" (divergent)" if marked and row.divergent else "")
    head = [
        *above,
        _labelled(row.code, row.question, ENTRY),
        _labelled("Figure:" if row.is_figure else "Agreed answer:", answer, ENTRY_LABELLED),
    ]
    if row.is_figure and row.source:
        head.append(_labelled("Source:", row.source, ENTRY_LABELLED))
    counts = _answer_counts(row)
    if counts:
        head.append(_labelled("Members' answers:", counts, ENTRY_LABELLED))
    rationale: list[Flowable] = []
    if row.rationale.strip() or row.divergent:
        rationale.append(_labelled("Rationale:", row.rationale or "None given.", ENTRY_LABELLED))
    rule = HRFlowable(
        width="100%", thickness=0.5, color=RULE_GREY, spaceBefore=3, spaceAfter=6, lineCap="butt"
    )
    opening = sum(map(_height, [*head, *rationale, rule]))
    if opening > FRAME_HEIGHT / 4:
        opening = sum(map(_height, head)) + 3 * ENTRY_LABELLED.leading
    # Never more than half a page, so a page break can always make room.
    return [CondPageBreak(min(opening, FRAME_HEIGHT / 2)), *head, *rationale, rule]


def _appendix(agreed: Sequence[AgreedRow]) -> list[Flowable]:
    story: list[Flowable] = [
        CondPageBreak(110 * mm),  # a new page, unless most of this one is still free
        *_heading("Appendix A. The board's agreed answers"),
    ]
    if not agreed:
        story.append(_para("No agreed answers are recorded with this paper."))
        return story
    # Papers of submissions made before figures were entered once have no figure rows, and
    # read as they did on the day.
    figures = (
        "The trust's figures were entered once, each with its source, and are shown with it. "
        if any(row.is_figure for row in agreed)
        else ""
    )
    story.append(
        _para(
            "Every question as the board agreed it, by section, with how many members gave "
            f"each answer and the rationale for the agreed answer. {figures}Questions marked "
            "divergent are those on which members' answers were far apart. Each member's own "
            "answers and evidence notes are private to them and the assessment lead, so they "
            "are not shown."
        )
    )
    sections: dict[str, list[AgreedRow]] = {}
    for row in agreed:
        sections.setdefault(row.section, []).append(row)
    for section, rows in sections.items():
        # Each section's title goes with its first question.
        story += _agreed_entry(rows[0], above=[_para(section or "Other questions", H2)])
        for row in rows[1:]:
            story += _agreed_entry(row)
    return story


def _method(paper: BoardPaper) -> list[Flowable]:
    result = paper.result
    settings = result.settings
    number = plain_number
    labels = VERDICT_LABELS
    paragraphs = [
        "Every scored answer becomes a level from 1 (serious concern) to 4 (strong): through "
        "the option chosen, the point on a four-point scale, a yes or no, or, for a figure, "
        "the band it falls in. A level scores (level - 1) \u00f7 3 \u00d7 100, so 0, 33.3, "
        "66.7 or 100. A domain's score is the weighted average of its answered questions. "
        "\u201cDon't know\u201d and unanswered questions are left out of the score but lower "
        "the evidence covered; questions that do not apply are left out of both. The "
        "sustainability index is the average of the domain scores, weighted by the domain "
        "weights in section 2.",
        f"An index of {number(settings.lead_index)} or more, with every scored domain at "
        f"{number(settings.lead_domain_floor)} or more and no critical answer, gives "
        f"\u201c{labels[SUSTAINABLE_LEAD]}\u201d; {number(settings.collaborate_index)} or more "
        f"gives \u201c{labels[SUSTAINABLE_COLLABORATE]}\u201d; "
        f"{number(settings.at_risk_index)} or more gives \u201c{labels[AT_RISK]}\u201d; below "
        f"{number(settings.at_risk_index)}, \u201c{labels[UNSUSTAINABLE]}\u201d. Caps can only "
        "make the verdict worse: a scored domain below "
        f"{number(settings.domain_cap_floor)} limits it to at risk, each critical answer "
        "limits it to the verdict set for that answer, and "
        f"{number(settings.critical_count_cap)} or more critical answers together make it "
        "not sustainable. The paper names the rule that decided the verdict. With less than "
        f"{number(settings.provisional_coverage)}% of the evidence given, the verdict is "
        "provisional.",
        "Each organisational form in the catalogue gets a fit out of 100: 100 \u00d7 "
        f"({number(settings.need_coefficient)} \u00d7 need match + "
        f"{number(settings.context_coefficient)} \u00d7 context match + "
        f"{number(settings.proportion_coefficient)} \u00d7 proportion). The need match is how "
        "well the form answers the trust's weaker domains, or suits its stronger ones; the "
        "context match is how well the local system and the board's appetite and capacity "
        "for change suit it; the proportion is how closely the size of change the form "
        "involves matches the trust's need (100 minus the index). A form with a prerequisite "
        "that is not met is ruled out and listed with every reason. A form with a "
        "prerequisite that depends on a missing answer stays on the menu, marked as needing "
        "evidence, below every form whose prerequisites are confirmed. Forms are ranked by "
        "fit rounded to one decimal place; equal fits are ordered smaller change of form "
        "first, then by the catalogue's identifier. The reasons shown for a form are the "
        "three answers that moved its fit most. The analysis of what would change the "
        "recommendation tries every other answer to each answered question, one at a time.",
        "When the board submits its answers the result is calculated once and stored with "
        f"the versions it used: questionnaire version {result.questionnaire_version}, "
        f"catalogue version {result.catalogue_version} and method settings version "
        f"{settings.version}. A paper for a submitted assessment is drawn from that stored "
        "result, so producing it again later gives the same content, even after the "
        "questionnaire, the catalogue or the method have changed. Figures are shown to one "
        "decimal place, rounded half up.",
    ]
    if paper.draft:
        paragraphs.append(
            "This paper is not from a submitted assessment: it was calculated from the "
            f"answers as they stood on {_long_date(paper.paper_date)}, and will change if "
            "they do."
        )
    return [
        CondPageBreak(70 * mm),
        *_heading("Appendix B. About the method"),
        *(_para(text) for text in paragraphs),
    ]


# ------------------------------------------------------------------------------ public


def board_paper_pdf(paper: BoardPaper) -> bytes:
    """The board paper as PDF bytes. The same paper always gives the same bytes."""
    result = paper.result
    story: list[Flowable] = [
        *_withdrawn_notice(paper),
        *_cover(paper),
        *_verdict(result),
        *_domains(result),
        *_menu(result),
        *_ruled_out(result.ruled_out),
        *_what_would_change(result.sensitivity),
        *_divergent(paper.agreed),
        *_missing(result),
        *_appendix(paper.agreed),
        *_method(paper),
    ]
    buffer = io.BytesIO()
    document = _PaperDoc(buffer, paper)
    document.build(story, canvasmaker=partial(_PaperCanvas, paper_date=paper.paper_date))
    return buffer.getvalue()
