"""Sections 1 to 4 of the system paper: the system's trusts with their verdicts in their
severity's colour and words, the proposed support pairings best first, the peer
partnerships, and what is not proposed and why.
"""

from __future__ import annotations

from reportlab.lib.colors import white
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, TableStyle

from assessment.reports.pdf import CONTENT_WIDTH
from assessment.reports.pdf.blocks import (
    Cell,
    bullets,
    escaped,
    facts,
    grid,
    heading,
    long_date,
    markup,
    para,
    rich,
)
from assessment.reports.pdf.styles import (
    BODY_TIGHT,
    BULLET_SMALL,
    CELL,
    FIT_BOLD,
    FORM_HEADING,
    H2,
    NHS_TEXT,
    SANS_BOLD,
    SMALL,
    severity,
)
from assessment.scoring.decimals import display
from assessment.scoring.summary import whole
from assessment.scoring.system import NOT_SHARED as NOT_SHARED_KIND
from assessment.scoring.system import FormInfo, PeerPartnership, TrustStanding
from assessment.scoring.system_types import NEAR_KM, PARTNER_TOP
from systems.reports.words import counted, lower_first
from systems.services import SystemReview

NOT_SHARED = "Not shared"
# Pairings set out in full, and peer partnerships listed; the rest are counted (and the
# pairings listed in brief), and every one is in the CSV export of the system view.
SHOWN_PAIRINGS = 10
SHOWN_PARTNERSHIPS = 20

# A verdict's label in the trusts table, on its severity's band: white on green or red, the
# NHS text colour on warm yellow. The label is always written: colour is never the only sign.
VERDICT_ON_DARK = ParagraphStyle(
    "system-verdict-on-dark", parent=CELL, fontName=SANS_BOLD, textColor=white
)
VERDICT_ON_LIGHT = ParagraphStyle(
    "system-verdict-on-light", parent=CELL, fontName=SANS_BOLD, textColor=NHS_TEXT
)


# ------------------------------------------------------------------------- 1. the trusts


def verdict_cell(trust: TrustStanding) -> Cell:
    """The verdict's label, in white on green or red and in the NHS text colour on warm
    yellow, as on the board paper's verdict band (the band's colour is the cell's ground)."""
    if trust.verdict is None or trust.verdict_label is None:
        return NOT_SHARED
    on_dark = severity(trust.verdict).label_style.textColor == white
    return [markup(escaped(trust.verdict_label), VERDICT_ON_DARK if on_dark else VERDICT_ON_LIGHT)]


def standing_words(trust: TrustStanding) -> str:
    if not trust.shared:
        return NOT_SHARED
    if trust.candidate:
        return "Yes: a candidate to support others"
    if trust.in_need:
        return "No: in difficulty"
    return ("Not yet: " + "; ".join(trust.misses)) if trust.misses else "Not yet"


def trusts(review: SystemReview) -> list[Flowable]:
    standings = review.proposals.trusts
    fixed = (52 * mm, 40 * mm, 15 * mm, 25 * mm)
    widths = (*fixed, CONTENT_WIDTH - sum(fixed))
    rows: list[list[Cell]] = []
    for trust in standings:
        name: Cell = [para(trust.name, CELL), para(trust.code, SMALL)]
        if trust.shared:
            index = display(trust.index) if trust.index is not None else "\u2013"
            submitted = long_date(trust.submitted_on) if trust.submitted_on else "\u2013"
        else:
            index = submitted = "\u2013"
        rows.append([name, verdict_cell(trust), index, submitted, standing_words(trust)])
    table = grid(
        ("Trust", "Verdict", "Index", "Submitted", "Could support others"),
        rows,
        widths,
        numeric=(2,),
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (1, row), (1, row), severity(trust.verdict).band)
                for row, trust in enumerate(standings, start=1)
                if trust.verdict is not None
            ]
        )
    )
    introduction = para(
        f"Each of the system's {counted(len(standings), 'trust')}, with its latest shared "
        "result: the verdict in its colour and words, the sustainability index out of 100, "
        "the day the board submitted it, and whether it could support others."
    )
    if not standings:
        return heading("1. The system's trusts", para("The system has no trusts yet."))
    return heading("1. The system's trusts", introduction, table)


# ------------------------------------------------------------------------ 2. the pairings


def timing(form: FormInfo | None) -> str:
    if form is None or form.months_min is None:
        return "Not recorded"
    if form.months_max is None or form.months_max == form.months_min:
        return f"About {form.months_min} months ({lower_first(form.name)})"
    return f"{form.months_min} to {form.months_max} months ({lower_first(form.name)})"


def approvals(form: FormInfo | None, form_name: str) -> Cell:
    if form is None:
        return f"{form_name}: not recorded"
    return [rich(CELL, ("b", f"{form.name}: "), form.approvals or "None recorded.")]


def pairings(review: SystemReview) -> list[Flowable]:
    name = "2. Proposed support pairings, best first"
    introduction = para(
        "Each trust that could support others is paired with each trust in difficulty, "
        "through the joint form open to both that fits best. Each score is out of 100; how "
        "it is made is set out in section 7."
    )
    views = review.pairings
    if not views:
        return heading(
            name,
            introduction,
            para(
                "No support pairing can be proposed from the shared results: it needs a trust "
                "that is a candidate to support others and a trust in difficulty, with a joint "
                "form open to both. The reasons are in section 4."
            ),
        )
    story: list[Flowable] = []
    for number, view in enumerate(views[:SHOWN_PAIRINGS], start=1):
        pairing = view.pairing
        first, *rest = bullets(pairing.reasons, BULLET_SMALL) or [Spacer(1, 0)]
        # The heading, score, joint form and first reason stay together; a page may break
        # between the other reasons, never inside one, nor inside a row of the table.
        entry: list[Flowable] = [
            para(
                f"{number}. {pairing.supporter_name} supporting {pairing.in_need_name}",
                FORM_HEADING,
            ),
            para(f"Score {display(pairing.score)} out of 100", FIT_BOLD),
            para(
                f"Joint form: {pairing.lead_form_name} with "
                f"{lower_first(pairing.supported_form_name)}."
            ),
            first,
        ]
        details = facts(
            [
                ("Approvals, supporter", approvals(view.lead, pairing.lead_form_name)),
                ("Approvals, supported", approvals(view.supported, pairing.supported_form_name)),
                ("Typical time", timing(view.supported)),
            ],
            38 * mm,
        )
        if number == 1:
            story += heading(name, introduction, *entry)
        else:
            story.append(KeepTogether(entry))
        story += [*rest, Spacer(1, 3), details]
    return story + other_pairings(review)


def other_pairings(review: SystemReview) -> list[Flowable]:
    """The pairings after the first few, in brief: set out in full, a large system's
    pairings would fill the paper."""
    others = review.proposals.pairings[SHOWN_PAIRINGS:]
    if not others:
        return []
    rank, trust, score = 12 * mm, 50 * mm, 16 * mm
    widths = (rank, trust, trust, CONTENT_WIDTH - rank - 2 * trust - score, score)
    rows: list[list[Cell]] = [
        [
            str(number),
            pairing.supporter_name,
            pairing.in_need_name,
            f"{pairing.lead_form_name} with {lower_first(pairing.supported_form_name)}",
            display(pairing.score),
        ]
        for number, pairing in enumerate(others, start=SHOWN_PAIRINGS + 1)
    ]
    return [
        *subheading_with(
            f"The other {counted(len(others), 'pairing')}, in brief",
            para(
                "Each is explained in full, with its reasons, in the CSV export of the "
                "system view.",
                SMALL,
            ),
        ),
        grid(
            ("No.", "Supporter", "Trust in difficulty", "Joint form", "Score"),
            rows,
            widths,
            numeric=(0, 4),
        ),
    ]


def subheading_with(text: str, first: Flowable) -> list[Flowable]:
    return [CondPageBreak(30 * mm), KeepTogether([para(text, H2), first])]


# -------------------------------------------------------------------- 3. the partnerships


def partnerships(review: SystemReview) -> list[Flowable]:
    name = "3. Peer partnerships"
    everyone = review.partnerships
    views = everyone[:SHOWN_PARTNERSHIPS]
    if not views:
        return heading(
            name,
            para(
                "No peer partnership: no two sharing trusts both rank the same form of "
                f"partnership among their {PARTNER_TOP} best-fitting forms."
            ),
        )
    fixed = (48 * mm, 38 * mm, 14 * mm, 25 * mm)
    widths = (*fixed, CONTENT_WIDTH - sum(fixed))
    rows: list[list[Cell]] = [
        [
            f"{view.partnership.trust_a_name} and {view.partnership.trust_b_name}",
            view.partnership.form_name,
            display(view.partnership.score),
            f"{display(view.partnership.fit_a)} and {display(view.partnership.fit_b)}",
            distance_words(view.partnership),
        ]
        for view in views
    ]
    story = heading(
        name,
        para(
            "Forms of partnership that both trusts rank among their "
            f"{PARTNER_TOP} best-fitting forms and neither rules out, best first. Each scores "
            "the lower of the two trusts' fits for it, out of 100, discounted by distance "
            "where the form joins up sites or services."
        ),
        grid(("Trusts", "Form", "Score", "Fits", "Distance"), rows, widths, numeric=(2, 3)),
    )
    # The risk of each form, and the versions compared, once rather than on every row.
    risks: dict[str, str] = {}
    for view in views:
        if view.form is not None and view.form.risk_note:
            risks.setdefault(view.form.name, view.form.risk_note)
    if risks:
        story += [Spacer(1, 6), para("The main risk of each form of partnership:", BODY_TIGHT)]
        story += [
            rich(BULLET_SMALL, ("b", f"{form}: "), risk, bullet="\u2022")
            for form, risk in risks.items()
        ]
    versions = list(dict.fromkeys(view.partnership.versions for view in views))
    story += [para(" ".join(versions), SMALL)]
    more = len(everyone) - len(views)
    if more:
        story.append(
            para(
                f"And {more} more peer partnership{'' if more == 1 else 's'}, scoring "
                f"{display(everyone[len(views)].partnership.score)} or less: every one is in "
                "the CSV export of the system view.",
                BODY_TIGHT,
            )
        )
    return story


def distance_words(partnership: PeerPartnership) -> str:
    if partnership.distance_km is None:
        return "A location is not recorded: no discount"
    apart = f"{display(partnership.distance_km)} km"
    if not partnership.joins_sites:
        return f"{apart}; does not join sites: no discount"
    if partnership.distance_factor < 1:
        return f"{apart}: the score is {whole(partnership.distance_factor * 100)}% of the fit"
    return f"{apart}: within {NEAR_KM} km, no discount"


# -------------------------------------------------------------------- 4. not proposed


def not_proposed(review: SystemReview) -> list[Flowable]:
    names = {trust.code: trust.name for trust in review.proposals.trusts}
    reasons = [
        # The engine says only "not shared" of such a trust: the paper names it.
        f"{names.get(item.trusts[0], item.trusts[0])}: not shared."
        if item.kind == NOT_SHARED_KIND
        else item.reason
        for item in review.proposals.not_proposed
    ] or ["Every pair that could be proposed is proposed above."]
    first, *rest = bullets(reasons)
    return [*heading("4. Not proposed, and why", first), *rest]
