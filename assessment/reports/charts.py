"""Charts drawn on the server as SVG: no script, no external library, readable by assistive
technology through a title and description, and always shown beside a table of the same
figures. Presentation attributes only (no style attributes), so the page keeps a strict
Content Security Policy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from assessment.scoring.decimals import display

NHS_BLUE = "#005eb8"
NHS_DARK_GREY = "#425563"
NHS_MID_GREY = "#768692"
NHS_PALE_GREY = "#e8edee"
NHS_TEXT = "#212b32"
SERIES_COLOURS = ("#005eb8", "#330072", "#007f3b", "#ed8b00", "#ae2573", "#00a499", "#7c2855")


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
    """Horizontal bars on a 0-100 scale, one per domain, with dashed reference lines."""
    label_width, plot_width, row, top = 250, 330, 34, 28
    width = label_width + plot_width + 70
    height = top + row * len(bars) + 26
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="chart-title chart-desc" class="app-chart" '
        f'font-family="Frutiger W01, Arial, sans-serif" font-size="14">',
        format_html('<title id="chart-title">{}</title>', title),
        format_html('<desc id="chart-desc">{}</desc>', description),
    ]
    for tick in (0, 25, 50, 75, 100):
        x = label_width + plot_width * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 24}" '
            f'stroke="{NHS_PALE_GREY}" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" fill="{NHS_DARK_GREY}">'
            f"{tick}</text>"
        )
    for index, bar in enumerate(bars):
        y = top + row * index
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                label_width - 10,
                y + 19,
                NHS_TEXT,
                bar.label,
            )
        )
        if bar.value is None:
            parts.append(
                f'<text x="{label_width + 6}" y="{y + 19}" fill="{NHS_DARK_GREY}">no answers</text>'
            )
            continue
        length = plot_width * float(bar.value) / 100
        parts.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="22" '
            f'fill="{NHS_BLUE}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 19}" fill="{NHS_TEXT}" '
            f'font-weight="bold">{escape(display(bar.value))}</text>'
        )
    for marker in markers:
        x = label_width + plot_width * float(marker.value) / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 24}" '
            f'stroke="{NHS_DARK_GREY}" stroke-width="2" stroke-dasharray="5 4"/>'
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="12">{}</text>',
                f"{x:.1f}",
                top - 10,
                NHS_DARK_GREY,
                marker.label,
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - every value escaped


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Decimal | None]


def line_chart(
    points: Sequence[str], series: Sequence[Series], *, title: str, description: str
) -> SafeString:
    """Lines on a 0-100 scale across assessments, one per series, with a legend."""
    left, right, top, plot_height = 40, 190, 16, 240
    step = 110
    width = left + max(len(points) - 1, 1) * step + right
    height = top + plot_height + 44

    def y_of(value: Decimal) -> float:
        return top + plot_height * (1 - float(value) / 100)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="trend-title trend-desc" class="app-chart" '
        f'font-family="Frutiger W01, Arial, sans-serif" font-size="13">',
        format_html('<title id="trend-title">{}</title>', title),
        format_html('<desc id="trend-desc">{}</desc>', description),
    ]
    for tick in (0, 25, 50, 75, 100):
        y = y_of(Decimal(tick))
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right + 20}" y2="{y:.1f}" '
            f'stroke="{NHS_PALE_GREY}"/><text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" '
            f'fill="{NHS_DARK_GREY}">{tick}</text>'
        )
    for index, point in enumerate(points):
        x = left + index * step
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                x,
                top + plot_height + 24,
                NHS_DARK_GREY,
                point,
            )
        )
    for number, line in enumerate(series):
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        width_attr = 4 if number == 0 else 2
        coordinates = [
            (left + index * step, y_of(value))
            for index, value in enumerate(line.values)
            if value is not None
        ]
        if len(coordinates) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="{width_attr}"/>'
            )
        for x, y in coordinates:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
        legend_y = top + 8 + number * 20
        legend_x = width - right + 34
        parts.append(
            f'<rect x="{legend_x}" y="{legend_y - 9}" width="14" height="4" fill="{colour}"/>'
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" fill="{}">{}</text>',
                legend_x + 20,
                legend_y,
                NHS_TEXT,
                line.label,
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - every value escaped
