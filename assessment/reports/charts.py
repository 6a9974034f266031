"""Charts drawn on the server as SVG: no script, no external library, readable by assistive
technology through a title and description, and always shown beside a table of the same
figures. Presentation attributes only (no style attributes), so the page keeps a strict
Content Security Policy.

Each chart is drawn on a canvas 400 units wide that the page scales to its column: about
0.85 of a unit to the pixel on a 375-pixel phone and 1.5 in a desktop column, so text of 13
to 15 units reads at 11 to 22 pixels. Every label is laid out inside the canvas: text is
measured conservatively (`text_width`), wrapped, and cut short with an ellipsis only where
it would otherwise run out; the full wording is always in the table beside the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from assessment.scoring.decimals import display

NHS_BLUE = "#005eb8"
NHS_DARK_GREY = "#425563"
NHS_MID_GREY = "#768692"
NHS_PALE_GREY = "#e8edee"
NHS_TEXT = "#212b32"
NHS_WHITE = "#ffffff"
SERIES_COLOURS = ("#005eb8", "#330072", "#007f3b", "#8a4b00", "#ae2573", "#006b63", "#7c2855")
# Lines are told apart by their dash as well as their colour.
SERIES_DASHES = ("", "6 3", "2 3", "10 3 2 3", "", "6 3", "2 3")

WIDTH = 400
# The trend sits in half a desktop column, so its canvas is a phone's width.
TREND_WIDTH = 360
FONT = "Frutiger W01, Arial, sans-serif"
LABEL_SIZE = 14
SMALL_SIZE = 13
TINY_SIZE = 12
# Advance widths as a share of the font size, rounded up from Arial's (most letters and
# digits are 0.5 to 0.56; capitals up to 0.72; M, W, m, w and % up to 0.94).
NARROW_EM = 0.62
CAPITAL_EM = 0.75
WIDE_EM = 0.95
WIDE = frozenset("MWmw%@")
ELLIPSIS = "…"


def text_width(text: str, size: float) -> float:
    """A width no real rendering of `text` in Arial or Frutiger exceeds."""
    return size * sum(
        WIDE_EM if char in WIDE else CAPITAL_EM if char.isupper() else NARROW_EM for char in text
    )


def _fit(text: str, width: float, size: float) -> str:
    """`text` cut short with an ellipsis so that it fits `width`."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + ELLIPSIS, size) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def wrap(text: str, width: float, size: float, max_lines: int) -> list[str]:
    """Greedy word wrap into lines no wider than `width`; a word longer than a line is
    broken, and a label that needs more than `max_lines` ends its last line with "…"."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while text_width(word, size) > width:
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut], size) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _fit(lines[-1] + ELLIPSIS, width, size)
    return lines


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: int = LABEL_SIZE,
    anchor: str = "start",
    fill: str = NHS_TEXT,
    bold: bool = False,
) -> str:
    return str(
        format_html(
            '<text x="{}" y="{}" font-size="{}" text-anchor="{}" fill="{}"{}>{}</text>',
            f"{x:.1f}",
            f"{y:.1f}",
            size,
            anchor,
            fill,
            mark_safe(' font-weight="bold"') if bold else "",
            content,
        )
    )


def _svg(
    height: float,
    label_id: str,
    title: str,
    description: str,
    parts: list[str],
    width: int = WIDTH,
) -> str:
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" '
            f'width="100%" role="img" aria-labelledby="{label_id}-title {label_id}-desc" '
            f'class="app-chart" font-family="{FONT}" font-size="{LABEL_SIZE}">',
            str(format_html('<title id="{}-title">{}</title>', label_id, title)),
            str(format_html('<desc id="{}-desc">{}</desc>', label_id, description)),
            *parts,
            "</svg>",
        ]
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None


@dataclass(frozen=True)
class Marker:
    value: Decimal
    label: str


def bar_chart(
    bars: Sequence[Bar], *, title: str, description: str, markers: Sequence[Marker] = ()
) -> SafeString:
    """Horizontal bars on a 0-100 scale, one per domain, each with its name above it, and
    dashed reference lines labelled along the top. Narrow enough to read on a phone."""
    left, right = 14.0, WIDTH - 44.0
    plot = right - left
    line, bar_height, gap = 18, 20, 12
    parts: list[str] = []

    def x_of(value: Decimal) -> float:
        return left + plot * float(value) / 100

    # Marker labels along the top, each on the first row where it does not meet another.
    rows: list[list[tuple[float, float]]] = []
    placed: list[tuple[Marker, int]] = []
    for marker in markers:
        half = text_width(marker.label, SMALL_SIZE) / 2 + 4
        centre = min(max(x_of(marker.value), half), WIDTH - half)
        span = (centre - half, centre + half)
        row = next(
            (
                number
                for number, taken in enumerate(rows)
                if all(span[1] < start or span[0] > end for start, end in taken)
            ),
            len(rows),
        )
        if row == len(rows):
            rows.append([])
        rows[row].append(span)
        placed.append((marker, row))
    top = 4 + len(rows) * 17 + 6

    y = top
    for bar in bars:
        for text_line in wrap(bar.label, WIDTH - left, LABEL_SIZE, 2):
            y += line
            parts.append(_text(left, y - 4, text_line))
        if bar.value is None:
            parts.append(_text(left, y + 15, "No answers", size=SMALL_SIZE, fill=NHS_DARK_GREY))
        else:
            end = x_of(bar.value)
            value = display(bar.value)
            parts.append(
                f'<rect x="{left}" y="{y}" width="{end - left:.1f}" height="{bar_height}" '
                f'fill="{NHS_BLUE}"/>'
            )
            if end + 6 + text_width(value, LABEL_SIZE) <= WIDTH:
                parts.append(_text(end + 6, y + 15, value, bold=True))
            else:  # too near the edge: the figure goes inside the end of its bar
                parts.append(_text(end - 4, y + 15, value, anchor="end", fill=NHS_WHITE, bold=True))
        y += bar_height + gap
    bottom = y - gap + 6
    height = bottom + 22

    grid = [
        f'<line x1="{x_of(Decimal(tick)):.1f}" y1="{top}" x2="{x_of(Decimal(tick)):.1f}" '
        f'y2="{bottom}" stroke="{NHS_PALE_GREY}" stroke-width="1"/>'
        + _text(
            x_of(Decimal(tick)),
            bottom + 16,
            str(tick),
            size=SMALL_SIZE,
            anchor="middle",
            fill=NHS_DARK_GREY,
        )
        for tick in (0, 25, 50, 75, 100)
    ]
    for marker, row in placed:
        x = x_of(marker.value)
        half = text_width(marker.label, SMALL_SIZE) / 2 + 4
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{bottom}" '
            f'stroke="{NHS_DARK_GREY}" stroke-width="2" stroke-dasharray="5 4"/>'
        )
        parts.append(
            _text(
                min(max(x, half), WIDTH - half),
                4 + (row + 1) * 17 - 3,
                marker.label,
                size=SMALL_SIZE,
                anchor="middle",
                fill=NHS_DARK_GREY,
            )
        )
    return mark_safe(_svg(height, "chart", title, description, grid + parts))  # noqa: S308


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Decimal | None]


def line_chart(
    points: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    provisional: Sequence[bool] = (),
) -> SafeString:
    """Lines on a 0-100 scale across assessments, one per series. The period labels share
    the width evenly and wrap; where they would still be too narrow only every second (or
    third...) one is labelled, counting back from the latest. The legend sits below the
    plot, one entry a line. A provisional result is drawn with hollow markers."""
    count = len(points)
    flags = list(provisional) + [False] * (count - len(provisional))
    left, top, plot_height = 31.0, 14.0, 200.0
    points_count = max(count, 1)

    def layout(stride: int) -> tuple[float, float]:
        # The plot narrows so that the latest point's label, centred under it, still fits.
        plot = min(
            TREND_WIDTH - 8 - left, (TREND_WIDTH - left) / (1 + (stride - 1) / (2 * points_count))
        )
        return plot / points_count, plot / points_count * stride - 4

    # A label needs room for "April 2025" or "provisional" on a line, else only every
    # `stride`th point is labelled.
    needed = max(text_width("April 2025", SMALL_SIZE), text_width("provisional", TINY_SIZE))
    stride = 1
    slot, label_width = layout(stride)
    while label_width < needed and stride < count:
        stride += 1
        slot, label_width = layout(stride)
    right = left + slot * points_count

    def x_of(index: int) -> float:
        return left + slot * (index + 0.5)

    def y_of(value: Decimal) -> float:
        return top + plot_height * (1 - float(value) / 100)

    parts: list[str] = []
    for tick in (0, 25, 50, 75, 100):
        y = y_of(Decimal(tick))
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{NHS_PALE_GREY}"/>'
        )
        parts.append(
            _text(left - 6, y + 4, str(tick), size=SMALL_SIZE, anchor="end", fill=NHS_DARK_GREY)
        )

    axis = top + plot_height
    label_bottom = axis
    for index, point in enumerate(points):
        x = x_of(index)
        parts.append(
            f'<line x1="{x:.1f}" y1="{axis}" x2="{x:.1f}" y2="{axis + 5}" stroke="{NHS_MID_GREY}"/>'
        )
        if (count - 1 - index) % stride:
            continue
        room = min(label_width, 2 * (x - 2), 2 * (TREND_WIDTH - 2 - x))
        lines = [(text_line, SMALL_SIZE) for text_line in wrap(point, room, SMALL_SIZE, 3)]
        if flags[index]:
            lines.append((_fit("provisional", room, TINY_SIZE), TINY_SIZE))
        for number, (text_line, size) in enumerate(lines):
            y = axis + 22 + number * 17
            parts.append(_text(x, y, text_line, size=size, anchor="middle", fill=NHS_DARK_GREY))
            label_bottom = max(label_bottom, y + 4)

    legend: list[str] = []
    y = label_bottom + 14
    legend_width = TREND_WIDTH - 36 - 4
    for number, line in enumerate(series):
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        dash = SERIES_DASHES[number % len(SERIES_DASHES)]
        stroke = 4 if number == 0 else 2
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        coordinates = [
            (x_of(index), y_of(value))
            for index, value in enumerate(line.values)
            if value is not None
        ]
        if len(coordinates) > 1:
            path = " ".join(f"{x:.1f},{y_:.1f}" for x, y_ in coordinates)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="{stroke}"{dash_attr}/>'
            )
        radius = 5 if number == 0 else 4
        for index, value in enumerate(line.values):
            if value is None:
                continue
            fill = NHS_WHITE if flags[index] else colour
            parts.append(
                f'<circle cx="{x_of(index):.1f}" cy="{y_of(value):.1f}" r="{radius}" '
                f'fill="{fill}" stroke="{colour}" stroke-width="2"/>'
            )
        entry = wrap(line.label, legend_width, LABEL_SIZE, 2)
        y += 20
        legend.append(
            f'<line x1="4" y1="{y - 5}" x2="28" y2="{y - 5}" stroke="{colour}" '
            f'stroke-width="{stroke}"{dash_attr}/>'
            f'<circle cx="16" cy="{y - 5}" r="{radius}" fill="{colour}"/>'
        )
        for extra, text_line in enumerate(entry):
            legend.append(_text(36, y + extra * 18, text_line, bold=number == 0))
        y += (len(entry) - 1) * 18
    if any(flags):
        y += 20
        legend.append(
            f'<circle cx="16" cy="{y - 5}" r="5" fill="{NHS_WHITE}" stroke="{NHS_TEXT}" '
            f'stroke-width="2"/>'
        )
        entry = wrap("Hollow marker: a provisional result", legend_width, LABEL_SIZE, 2)
        for extra, text_line in enumerate(entry):
            legend.append(_text(36, y + extra * 18, text_line))
        y += (len(entry) - 1) * 18
    height = y + 10
    return mark_safe(  # noqa: S308 - every value escaped
        _svg(height, "trend", title, description, parts + legend, width=TREND_WIDTH)
    )
