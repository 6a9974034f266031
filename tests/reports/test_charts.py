"""The charts keep every label inside their canvas, whatever the data: from one to eight
assessments with period labels as long as the form allows, domain names as long as the
catalogue allows, provisional results and missing scores."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.forms import AssessmentForm
from assessment.reports.charts import Bar, Marker, Series, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"
PERIOD_MAX = AssessmentForm.base_fields["reporting_period"].max_length or 100
# A text is taken to be as wide as 0.62 of its font size for each character (Arial's
# letters and digits are 0.5 to 0.56) and to reach a font size above its baseline and a
# quarter of one below (Arial's descent is 0.21).
ADVANCE = 0.62
DOMAINS = (
    "Quality and safety",
    "Financial sustainability",
    "Workforce",
    "Leadership and governance",
    "Operational performance",
    "Scale and clinical service viability",
)


def label_boxes(svg: str) -> list[tuple[str, float, float, float, float]]:
    """Each text of the chart with the box it may take: (text, left, top, right, bottom)."""
    root = ET.fromstring(svg)  # noqa: S314
    default_size = float(root.get("font-size", "16"))
    boxes = []
    for element in root.iter(f"{SVG}text"):
        content = "".join(element.itertext())
        size = float(element.get("font-size", default_size))
        x, y = float(element.get("x", "0")), float(element.get("y", "0"))
        width = len(content) * ADVANCE * size
        anchor = element.get("text-anchor", "start")
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        boxes.append((content, left, y - size, left + width, y + size / 4))
    return boxes


def outside(svg: str) -> list[str]:
    """The labels that reach beyond the chart's viewBox."""
    root = ET.fromstring(svg)  # noqa: S314
    _, _, width, height = (float(part) for part in root.get("viewBox", "").split())
    return [
        f"{text!r} at ({left:.0f}, {top:.0f})-({right:.0f}, {bottom:.0f}) "
        f"in {width:.0f}x{height:.0f}"
        for text, left, top, right, bottom in label_boxes(svg)
        if left < 0 or top < 0 or right > width or bottom > height
    ]


def overlapping(svg: str) -> list[str]:
    """Pairs of labels whose boxes cross."""
    boxes = label_boxes(svg)
    return [
        f"{a[0]!r} and {b[0]!r}"
        for number, a in enumerate(boxes)
        for b in boxes[number + 1 :]
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]


def long_period(number: int) -> str:
    text = f"April {2019 + number} to March {2020 + number}, the board's reporting year "
    return (text * 5)[:PERIOD_MAX].strip()


def history(count: int, provisional: set[int]) -> str:
    points = [long_period(number) for number in range(count)]
    series = [Series("Sustainability index", [Decimal(10 * number) for number in range(count)])]
    series += [
        Series(name * 4, [None if number == 0 else Decimal(99) for number in range(count)])
        for name in DOMAINS
    ]
    return str(
        line_chart(
            points,
            series,
            title="Over time",
            description="The index",
            provisional=[number in provisional for number in range(count)],
        )
    )


@pytest.mark.parametrize("count", range(1, 9))
def test_every_label_of_the_history_chart_lies_inside_it(count: int) -> None:
    svg = history(count, provisional={0, count - 1})
    assert len(label_boxes(svg)) > count  # the labels are there to be checked
    assert outside(svg) == []
    assert overlapping(svg) == []


@pytest.mark.parametrize("count", range(1, 9))
def test_the_latest_period_is_always_labelled_and_provisional_points_are_hollow(
    count: int,
) -> None:
    svg = history(count, provisional={count - 1})
    texts = [text for text, *_ in label_boxes(svg)]
    # Wrapped, the latest period's label begins with its first words.
    assert any(text.startswith(f"April {2019 + count - 1}") for text in texts)
    assert "provisional" in texts
    assert "Hollow marker: a provisional result" in texts
    root = ET.fromstring(svg)  # noqa: S314
    hollow = [
        circle
        for circle in root.iter(f"{SVG}circle")
        if circle.get("fill") == "#ffffff" and float(circle.get("cx", "0")) > 30
    ]
    # The index and every domain but the first (no score for the first assessment).
    assert len(hollow) == 1 + len(DOMAINS) if count > 1 else 1


def test_a_history_without_a_provisional_result_has_no_hollow_marker_or_legend_entry() -> None:
    svg = history(4, provisional=set())
    assert "provisional" not in svg
    assert 'fill="#ffffff"' not in svg


@pytest.mark.parametrize("count", range(1, 9))
def test_every_label_of_the_domain_chart_lies_inside_it(count: int) -> None:
    bars = [
        Bar(f"{DOMAINS[number % len(DOMAINS)]} " * 8, Decimal(number * 100) / max(count - 1, 1))
        for number in range(count)
    ] + [Bar("A domain with no answers", None)]
    svg = str(
        bar_chart(
            bars,
            title="Domains",
            description="Scores",
            markers=[Marker(Decimal(40), "40 floor"), Marker(Decimal(45), "45 to lead")],
        )
    )
    assert outside(svg) == []
    assert overlapping(svg) == []


def test_the_domain_chart_is_drawn_for_a_phone_and_puts_names_above_the_bars() -> None:
    svg = str(bar_chart([Bar("Quality and safety", Decimal(50))], title="D", description="S"))
    root = ET.fromstring(svg)  # noqa: S314
    assert root.get("viewBox", "").split()[2] == "400"
    name = next(
        element for element in root.iter(f"{SVG}text") if element.text == "Quality and safety"
    )
    bar = next(root.iter(f"{SVG}rect"))
    assert float(name.get("y", "0")) < float(bar.get("y", "0"))
    assert float(name.get("font-size", "0")) >= 14


scores = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2))
labels = st.text(
    alphabet=st.characters(blacklist_categories=("C",)), min_size=1, max_size=PERIOD_MAX
)


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[str], list[Series], list[bool]]:
    count = draw(st.integers(min_value=1, max_value=8))
    points = draw(st.lists(labels, min_size=count, max_size=count))
    series = [
        Series(
            draw(st.text(alphabet=st.characters(blacklist_categories=("C",)), max_size=200))
            or "Index",
            draw(st.lists(scores, min_size=count, max_size=count)),
        )
        for _ in range(draw(st.integers(min_value=1, max_value=7)))
    ]
    provisional = draw(st.lists(st.booleans(), min_size=count, max_size=count))
    return points, series, provisional


@settings(max_examples=150, deadline=None)
@given(histories())
def test_any_history_renders_with_every_label_inside_the_chart(
    drawn: tuple[list[str], list[Series], list[bool]],
) -> None:
    points, series, provisional = drawn
    svg = str(line_chart(points, series, title="T", description="D", provisional=provisional))
    assert outside(svg) == []
    assert overlapping(svg) == []
    if any(provisional):
        assert "Hollow marker: a provisional result" in svg
