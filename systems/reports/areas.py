"""Sections 5 to 7 of the system paper: the scores by area as a heat table (a figure in
every cell, the shading only grouping them, with a legend in words), what is shared and
what never is, and how the proposals are made (method section 11, in words).
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, TableStyle

from assessment.reports.pdf import CONTENT_WIDTH
from assessment.reports.pdf.blocks import Cell, RowTable, cell, escaped, heading, markup, para
from assessment.reports.pdf.styles import CELL, GRID_TABLE, SANS, SANS_BOLD
from assessment.scoring.decimals import display, display_against
from assessment.scoring.system_types import (
    CANDIDATE_LEVEL,
    CAPACITY_WEIGHT,
    COMPLEMENT_WEIGHT,
    FAR_FACTOR,
    FAR_KM,
    JOINT_FIT_WEIGHT,
    NEAR_KM,
    PARTNER_TOP,
    WILLINGNESS_WEIGHT,
)
from systems.services import HEAT_BANDS, SystemReview

# The heat table's area names, on its blue header row.
HEAT_HEADER = ParagraphStyle(
    "system-heat-header",
    parent=CELL,
    fontName=SANS_BOLD,
    fontSize=7.5,
    leading=9.5,
    textColor=white,
)
# The heat table's grounds and figures by band, as on the system view (static/css/systems.css).
HEAT_COLOURS: dict[str, tuple[Color | None, Color]] = {
    "strong": (HexColor("#CCE5D8"), HexColor("#00401E")),
    "fair": (HexColor("#E8F1F8"), HexColor("#003087")),
    "weak": (HexColor("#FFDC8E"), HexColor("#5C3500")),
    "low": (HexColor("#F7D4D1"), HexColor("#6B140E")),
    "none": (None, HexColor("#4C6272")),
}
BAND_WORDS = {band: words for _, band, words in HEAT_BANDS}


# ------------------------------------------------------------------ 5. scores by area


def heat_figure(score: Decimal | None) -> str:
    """A score to one decimal place, never rounded up into the band above its own."""
    if score is None:
        return "\u2013"
    uppers = [lower for lower, _, _ in HEAT_BANDS[1:]]
    above = [upper for upper in uppers if score < upper]
    return display_against(score, above[0]) if above else display(score)


def scores_by_area(review: SystemReview) -> list[Flowable]:
    name = "5. Scores by area"
    matrix = review.proposals.domain_matrix
    rows = review.heat_rows
    if not rows or not matrix.columns:
        return heading(name, para("No trust has shared a result, so there are no scores to show."))
    trust_width = 40 * mm
    column_width = (CONTENT_WIDTH - trust_width) / len(matrix.columns)
    header: list[Cell] = [
        "Trust",
        *([markup(escaped(column.name), HEAT_HEADER)] for column in matrix.columns),
    ]
    body = [
        [
            cell(row.trust_name, trust_width),
            *(heat_figure(item.score) for item in row.cells),
        ]
        for row in rows
    ]
    table = RowTable(
        [header, *body],
        colWidths=[trust_width, *([column_width] * len(matrix.columns))],
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(GRID_TABLE)
    commands: list[tuple[object, ...]] = [
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        # Narrow columns: the area names need all the room they can have.
        ("LEFTPADDING", (1, 0), (-1, 0), 3),
        ("RIGHTPADDING", (1, 0), (-1, 0), 3),
    ]
    for y, row in enumerate(rows, start=1):
        for x, item in enumerate(row.cells, start=1):
            ground, figure = HEAT_COLOURS[item.band]
            if ground is not None:
                commands.append(("BACKGROUND", (x, y), (x, y), ground))
            commands.append(("TEXTCOLOR", (x, y), (x, y), figure))
    table.setStyle(TableStyle(commands))
    return heading(
        name,
        para(
            "Each trust's score out of 100 in each area of the assessment, from its shared "
            "result. The numbers are the figures; the shading only groups them."
        ),
        legend(),
        Spacer(1, 6),
        table,
    )


def legend() -> Flowable:
    """The shading in words, each band on its own ground."""
    bands = [band for _, band, _ in reversed(HEAT_BANDS)]
    words = [f"{BAND_WORDS[band]} ({band})" for band in bands] + ["\u2013 not scored"]
    width = CONTENT_WIDTH / len(words)
    table = RowTable([words], colWidths=[width] * len(words), hAlign="LEFT")
    commands: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), SANS, 8.5, 11),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    for x, band in enumerate([*bands, "none"]):
        ground, figure = HEAT_COLOURS[band]
        if ground is not None:
            commands.append(("BACKGROUND", (x, 0), (x, 0), ground))
        commands.append(("TEXTCOLOR", (x, 0), (x, 0), figure))
    table.setStyle(TableStyle(commands))
    return table


# ----------------------------------------------------------------- 6 and 7. the method


def prose(title: str, first: Flowable, *rest: Flowable) -> list[Flowable]:
    """A section of paragraphs, its heading kept with the first of them only, so that a
    long section runs on from the page it starts on."""
    return [*heading(title, first), *rest]


def shared_and_never() -> list[Flowable]:
    return prose(
        "6. What is shared and what never is",
        para(
            "A trust's assessment lead may share the trust's submitted result with a system it "
            "belongs to. Shared: the verdict and the rule that decided it, the sustainability "
            "index and the scores by area, the ranked menu of organisational forms with their "
            "fits, the forms ruled out, and the board's answers to the questions on its local "
            "system and on its appetite and capacity for change."
        ),
        para(
            "Never shared: a board member's answers, notes or name, or the board's rationale. "
            "None of them is in this paper."
        ),
        para(
            "Sharing is explicit, one submitted result at a time, made by the lead, recorded, "
            "and can be revoked at any time: a trust that stops sharing leaves the system view "
            "at once. This paper was made from the results shared at the moment it was made."
        ),
    )


def how_proposals_are_made() -> list[Flowable]:
    def percent(weight: Decimal) -> str:
        return f"{weight * 100:.0f}%"

    return prose(
        "7. How the proposals are made",
        para(
            "A trust could support others when its verdict is that it is sustainable and in a "
            "position to extend its reach, or that it is sustainable and should strengthen "
            "through collaboration with its board's readiness to support other providers at "
            f"level {CANDIDATE_LEVEL} of 4 or more; and when its capacity to manage change is "
            f"at level {CANDIDATE_LEVEL} or more. A trust is in difficulty when its verdict is "
            "at risk or not sustainable."
        ),
        para(
            "Each pairing's score, out of 100, adds four parts. "
            f"{percent(COMPLEMENT_WEIGHT)} is for how much stronger the supporter is where the "
            "trust in difficulty is weak, area by area, weighted as the questionnaire weighs "
            f"the areas. {percent(WILLINGNESS_WEIGHT)} is for the two boards' readiness: the "
            "supporter's readiness to support others and the other board's appetite to "
            f"consider a different form. {percent(CAPACITY_WEIGHT)} is for the supporter's "
            f"capacity to manage change. {percent(JOINT_FIT_WEIGHT)} is for the joint form's "
            "fit: the lower of the two trusts' fits for their halves of it."
        ),
        para(
            "Where both trusts' locations are known, a form that joins up sites or services "
            f"is discounted by distance: not at all up to {NEAR_KM} km, then less and less, "
            f"to {FAR_FACTOR * 100:.0f}% of the score at {FAR_KM} km and beyond. Scores are "
            "rounded to one decimal place; equal scores are ordered by the trusts' ODS codes."
        ),
        para(
            "A pairing is never proposed where either half of the joint form is ruled out for "
            "its trust, nor between two trusts in difficulty: two trusts in difficulty rarely "
            "make one that is sustainable. A peer partnership is a form of partnership both "
            f"trusts rank among their {PARTNER_TOP} best-fitting forms and neither rules out; "
            "it scores the lower of their two fits, discounted by distance where it joins "
            "sites. Results on different versions of the questionnaire or the catalogue of "
            "forms are compared on what they share, and each proposal says which versions it "
            "compares."
        ),
    )
