"""The system view as one CSV table, for a spreadsheet.

Like the assessment's result export (assessment/reports/exports.py), several parts share
one table, told apart by the first column, "Part": a row per trust, per support pairing, per
peer partnership, per reason a pair or trust is not proposed, and per trust's score in each
area. Every cell passes through that module's `to_csv`, which prefixes with an apostrophe
any text a spreadsheet would run as a formula (a trust named "=..."), and leaves plain
numbers as numbers. Nothing is written that the review does not hold: no member's answers,
notes, names or the board's rationale.
"""

from __future__ import annotations

from assessment.reports.exports import to_csv
from assessment.scoring.decimals import display
from assessment.scoring.system import TrustStanding
from systems.services import HEAT_BANDS, SystemReview

HEADINGS = (
    "Part",
    "Trust code",
    "Trust",
    "Other trust code",
    "Other trust",
    "Status",
    "Verdict",
    "Index",
    "Submitted",
    "Form",
    "Area",
    "Score",
    "Detail",
)
BAND_WORDS = {band: words for _, band, words in HEAT_BANDS}
Row = list[object]


def _row(part: str, **cells: object) -> Row:
    """A row with its cells under their headings, keyed by the heading in snake case."""
    keys = [heading.lower().replace(" ", "_") for heading in HEADINGS[1:]]
    unknown = set(cells) - set(keys)
    if unknown:
        raise KeyError(f"No such column: {sorted(unknown)}")
    return [part, *(cells.get(key, "") for key in keys)]


def _status(trust: TrustStanding) -> str:
    if not trust.shared:
        return "not shared"
    if trust.candidate:
        return "could support others"
    if trust.in_need:
        return "in difficulty"
    return "not yet a candidate"


def trust_rows(review: SystemReview) -> list[Row]:
    return [
        _row(
            "trust",
            trust_code=trust.code,
            trust=trust.name,
            status=_status(trust),
            verdict=trust.verdict_label or "",
            index=display(trust.index) if trust.index is not None else "",
            submitted=trust.submitted_on.isoformat() if trust.submitted_on else "",
            detail="; ".join(trust.misses) if trust.shared and not trust.candidate else "",
        )
        for trust in review.proposals.trusts
    ]


def pairing_rows(review: SystemReview) -> list[Row]:
    return [
        _row(
            "pairing",
            trust_code=pairing.supporter,
            trust=pairing.supporter_name,
            other_trust_code=pairing.in_need,
            other_trust=pairing.in_need_name,
            status=f"proposed, {rank} of {len(review.proposals.pairings)}",
            form=f"{pairing.lead_form_name} with {pairing.supported_form_name}",
            score=display(pairing.score),
            detail=" ".join(pairing.reasons),
        )
        for rank, pairing in enumerate(review.proposals.pairings, start=1)
    ]


def partnership_rows(review: SystemReview) -> list[Row]:
    return [
        _row(
            "partnership",
            trust_code=partnership.trust_a,
            trust=partnership.trust_a_name,
            other_trust_code=partnership.trust_b,
            other_trust=partnership.trust_b_name,
            status=f"proposed, {rank} of {len(review.proposals.partnerships)}",
            form=partnership.form_name,
            score=display(partnership.score),
            detail=" ".join(partnership.reasons),
        )
        for rank, partnership in enumerate(review.proposals.partnerships, start=1)
    ]


def not_proposed_rows(review: SystemReview) -> list[Row]:
    names = {trust.code: trust.name for trust in review.proposals.trusts}
    rows = []
    for item in review.proposals.not_proposed:
        first, *second = item.trusts
        other = second[0] if second else ""
        rows.append(
            _row(
                "not-proposed",
                trust_code=first,
                trust=names.get(first, ""),
                other_trust_code=other,
                other_trust=names.get(other, ""),
                status=item.kind,
                detail=item.reason,
            )
        )
    return rows


def domain_rows(review: SystemReview) -> list[Row]:
    matrix = review.proposals.domain_matrix
    rows = []
    for row, heat in zip(matrix.rows, review.heat_rows, strict=True):
        for column, score, cell in zip(matrix.columns, row.scores, heat.cells, strict=True):
            rows.append(
                _row(
                    "domain-score",
                    trust_code=row.trust_code,
                    trust=row.trust_name,
                    area=column.name,
                    score=display(score) if score is not None else "",
                    detail=BAND_WORDS.get(cell.band, "not scored"),
                )
            )
    return rows


def system_csv(review: SystemReview) -> str:
    """The system view as CSV text, one row per item, the part it belongs to first."""
    rows = [
        *trust_rows(review),
        *pairing_rows(review),
        *partnership_rows(review),
        *not_proposed_rows(review),
        *domain_rows(review),
    ]
    return to_csv(HEADINGS, rows)
