"""The building blocks every part of the board paper is made of: paragraphs of plain text,
labelled lines, headings, tables and boxes.

Plain text never goes through Paragraph markup: it is handed to ReportLab as a ready-made
fragment of its style, so "<", "&" and quotes print as themselves. Text that does go into
markup is escaped first with `escaped`. ReportLab draws and escapes everything itself, with
its C accelerator (rl_accel); the only help given it is memory: fonts remember the width of
each word they measure, and paragraphs and tables their last layout, because a table
measures each cell to lay out and again to draw, and keeping content together or splitting
it across pages asks for the same layout more than once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from assessment.reports.pdf.styles import (
    BODY,
    BULLET,
    CELL,
    CELL_PADDING,
    CONTENT_WIDTH,
    FRAME_HEIGHT,
    GRID_TABLE,
    H1,
    H2,
    KEY_TABLE,
    LABELLED,
    MONTHS,
    NHS_BLUE,
    PLAIN_FRAGMENTS,
    RULE_GREY,
    SANS,
)
from assessment.scoring.decimals import display
from assessment.scoring.result import Result

Cell = str | Flowable | list[Flowable]  # what a table cell may hold

_SPACES = re.compile(r"[ \t\r\n]+")  # runs of ordinary white space; not no-break spaces


LayoutKey = tuple[object, ...]
_LAYOUTS: dict[LayoutKey, tuple[list[float], Any, float]] = {}
# The text of the layouts kept before the memory starts again: a few megabytes at most.
LAYOUT_CHARACTERS = 1_000_000
_kept = [0]


def forget_layouts() -> None:
    """Forget every paragraph layout remembered from earlier papers."""
    _LAYOUTS.clear()
    _kept[0] = 0


class Para(Paragraph):
    """A Paragraph that remembers how its lines break, by its text, style and width: a
    table measures each cell once to lay out and again to draw, and the same questions,
    labels, headings and notes on the method recur through a paper and from one paper to
    the next. Breaking lines is much of the cost of a paper. ReportLab copies a layout
    when it splits a paragraph of one font, never changes its layout, so one layout serves
    every copy; paragraphs in several fonts, and from markup, are laid out each time."""

    _key: LayoutKey | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        key = self._key
        if key is None:
            return super().wrap(availWidth, availHeight)
        found = _LAYOUTS.get((*key, availWidth))
        if found is None:
            width, height = super().wrap(availWidth, availHeight)
            size = sum(len(part) for part in key if isinstance(part, str))
            if _kept[0] + size > LAYOUT_CHARACTERS:
                forget_layouts()
            _kept[0] += size
            _LAYOUTS[(*key, availWidth)] = (self._wrapWidths, self.blPara, height)
            return width, height
        self.width = availWidth
        self._wrapWidths, self.blPara, self.height = found
        return availWidth, self.height


class RowTable(Table):
    """A Table that remembers its last layout, and that moves its rows whole to the next
    page: a row is split across pages only when it is taller than a whole page, which no
    text the forms take makes, and which could not be printed otherwise."""

    _laid_out: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._laid_out != availWidth:
            self._calc(availWidth, availHeight)
            self._laid_out = availWidth
        self.availWidth = availWidth
        return self._width, self._height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        # ReportLab splits inside a row first when asked to; the parts it makes inherit this.
        self.splitByRow = 1
        self.splitInRow = 1 if max(self._rowHeights) > FRAME_HEIGHT else 0
        return super().split(availWidth, availHeight)


def escaped(value: object) -> str:
    """Plain text made safe for Paragraph markup (&, < and >)."""
    return escape(str(value))


def para(value: object, style: ParagraphStyle = BODY, bullet: str | None = None) -> Paragraph:
    """Plain text as a Paragraph. Nothing in it is read as markup: "<", "&" and quotes
    print as themselves."""
    text = " ".join(str(value).split())
    fragment = PLAIN_FRAGMENTS[style.name].clone(text=text, link=[], us_lines=[])
    paragraph = Para(None, style, bulletText=bullet, frags=[fragment])
    paragraph._key = (style.name, bullet, text)
    return paragraph


def rich(
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
    # Not remembered by its text: ReportLab may change the words of a paragraph in several
    # fonts when it splits one across pages.
    return Para(None, style, bulletText=bullet, frags=fragments)


def labelled(label: str, text: object, style: ParagraphStyle = LABELLED) -> Paragraph:
    """Plain text after a bold label. The label is drawn as the Paragraph's bullet, in the
    style's bold bullet font: before the text, or in the margin of a style with a left
    indent. Cheaper than mixing fonts inside one Paragraph, which is slow to lay out."""
    return para(text, style, bullet=label)


def markup(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A Paragraph from markup, every text in which has been escaped with `escaped`."""
    return Para(text, style)


def bullets(texts: Iterable[str], style: ParagraphStyle = BULLET) -> list[Flowable]:
    return [para(text, style, bullet="\u2022") for text in texts]


def title(text: str) -> list[Flowable]:
    """A section's title over a blue rule."""
    rule = HRFlowable(
        width="100%", thickness=1.2, color=NHS_BLUE, spaceBefore=1, spaceAfter=7, lineCap="butt"
    )
    return [para(text, H1), rule]


def heading(text: str, *first: Flowable) -> list[Flowable]:
    """A section heading over a blue rule, never left alone at the foot of a page: it
    starts a new page when little room is left, and stays with `first`, the section's
    opening content, when that is given."""
    if first:
        return [CondPageBreak(45 * mm), KeepTogether([*title(text), *first])]
    return [CondPageBreak(45 * mm), *title(text)]


def subheading(text: str) -> list[Flowable]:
    return [CondPageBreak(30 * mm), para(text, H2)]


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def percent(share: Decimal) -> str:
    """A share from 0 to 1 as a percentage to one decimal place: 0.5489 reads "54.9%"."""
    return f"{display(share * 100)}%"


def cell(value: Cell, width: float) -> Cell:
    """A table cell: text that fits on one line stays a plain string, which a table draws
    far faster than a Paragraph; longer text becomes a Paragraph that wraps, in a list, as
    ReportLab needs to split it across pages (a bare Flowable it would leave out)."""
    if not isinstance(value, str):
        return value
    value = " ".join(value.split())
    if stringWidth(value, SANS, CELL.fontSize) <= width - 2 * CELL_PADDING:
        return value
    return [para(value, CELL)]


def grid(
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    widths: Sequence[float],
    numeric: Sequence[int] = (),
) -> Table:
    """A table with a blue header row, repeated on every page it runs to, and grey rules;
    numeric columns right-aligned."""
    cells = [[cell(value, width) for value, width in zip(row, widths, strict=True)] for row in rows]
    table = RowTable([list(header), *cells], colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(GRID_TABLE)
    if numeric:
        table.setStyle(
            TableStyle([("ALIGN", (column, 0), (column, -1), "RIGHT") for column in numeric])
        )
    return table


def code_width(codes: Iterable[str]) -> float:
    """A column wide enough for the longest question code on one line."""
    widest = max((stringWidth(code, SANS, CELL.fontSize) for code in codes), default=0.0)
    return max(18 * mm, widest + 2 * CELL_PADDING + 1)


def facts(rows: Iterable[tuple[str, Cell]], key_width: float) -> Table:
    """Label and value pairs between grey rules."""
    value_width = CONTENT_WIDTH - key_width
    table = RowTable(
        [[key, cell(value, value_width)] for key, value in rows],
        colWidths=[key_width, value_width],
        hAlign="LEFT",
    )
    table.setStyle(KEY_TABLE)
    return table


def boxed(content: Sequence[Flowable], style: TableStyle, keep: bool = True) -> Flowable:
    """Paragraphs on a coloured ground, kept on one page: a box that does not fit in what
    is left of a page moves whole to the next. A box longer than a whole page (the longest
    warnings and reasons) runs on over pages between two of its paragraphs, never inside
    one, as it holds one paragraph a row."""
    # A row keeps the space after its paragraph (a table drops the last space in a cell).
    rows = [[[item, Spacer(1, 0)]] for item in content[:-1]] + [[[content[-1]]]]
    box = RowTable(rows, colWidths=[CONTENT_WIDTH], hAlign="LEFT")
    box.setStyle(style)
    # Inside a KeepTogether already (`keep=False`), a box needs no other: ReportLab's
    # KeepTogether asks for a split when measured, which would push the outer one to a
    # new page whatever room is left.
    return KeepTogether([box]) if keep else box


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """A line shortened with an ellipsis to fit a width."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "\u2026", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


def height(flowable: Flowable) -> float:
    """The height a flowable takes across the page, with the space around it."""
    _, tall = flowable.wrap(CONTENT_WIDTH, FRAME_HEIGHT)
    return float(tall + flowable.getSpaceBefore() + flowable.getSpaceAfter())


def rule() -> HRFlowable:
    """A thin grey rule between entries."""
    return HRFlowable(
        width="100%", thickness=0.5, color=RULE_GREY, spaceBefore=3, spaceAfter=6, lineCap="butt"
    )


def question_texts(result: Result) -> dict[str, str]:
    return {question.code: " ".join(question.text.split()) for question in result.questions}


@lru_cache(maxsize=8)
def _codes_pattern(codes: tuple[str, ...]) -> re.Pattern[str]:
    longest_first = sorted(codes, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, longest_first)) + r")(?![\w-])")


def named(text: str, result: Result) -> str:
    """An engine sentence with each question's code replaced by its text, in quotes: the
    paper names questions by what they ask, never by a bare code."""
    texts = question_texts(result)
    if not texts:
        return text
    pattern = _codes_pattern(tuple(texts))
    return pattern.sub(lambda match: f"\u201c{texts[match.group(1)]}\u201d", text)
