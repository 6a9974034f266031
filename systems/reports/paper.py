"""The system paper as a PDF: what the system view shows, for an integrated care board or a
provider collaborative to discuss, in the board paper's look and with its building blocks
(assessment/reports/pdf).

A cover block (the system, when the paper was made and from how many shared results, its
purpose and an executive summary), then the system's trusts (1), the proposed support
pairings, best first (2), peer partnerships (3), what is not proposed and why (4), the
scores by area (5), what is shared and what never is (6) and how the proposals are made
(7). Everything printed comes from the `SystemReview`, which holds only what trusts have
shared: no member's answers, notes, names or the board's rationale reach it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from assessment.reports.pdf.blocks import Cell, boxed, facts, long_date, para, rich
from assessment.reports.pdf.styles import (
    COVER_HEADING,
    COVER_KICKER,
    COVER_TABLE,
    COVER_TITLE,
    PRODUCT,
    SUMMARY,
)
from assessment.scoring.decimals import display
from assessment.scoring.system import TrustStanding
from systems.reports.areas import how_proposals_are_made, scores_by_area, shared_and_never
from systems.reports.furniture import render
from systems.reports.proposals import not_proposed, pairings, partnerships, trusts
from systems.reports.words import counted, listed, lower_first
from systems.services import SystemReview

PURPOSE = "For discussion"
NAMED_IN_SUMMARY = 5  # trusts named in a line of the summary; more are counted


def system_paper_pdf(review: SystemReview) -> bytes:
    """The system paper as PDF bytes. The same review always gives the same bytes."""
    made = made_at(review)
    story: list[Flowable] = [
        *cover(review, made),
        *trusts(review),
        *pairings(review),
        *partnerships(review),
        *not_proposed(review),
        *scores_by_area(review),
        *shared_and_never(),
        *how_proposals_are_made(),
    ]
    return render(story, system_name=review.system.name, title=paper_title(review), day=made)


def paper_title(review: SystemReview) -> str:
    return f"{review.system.name}: who could support whom"


def made_at(review: SystemReview) -> datetime.date:
    """The day the review was made, where the service is used."""
    moment = review.made_at
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.date()


# ---------------------------------------------------------------------------------- cover


def cover(review: SystemReview, made: datetime.date) -> list[Flowable]:
    """The cover block: the system, its kind and code, when and from what the paper was
    made, its purpose and an executive summary. Then a new page."""
    system = review.system
    total = len(review.proposals.trusts)
    band = boxed(
        [para(f"{PRODUCT}: system paper", COVER_KICKER), para(paper_title(review), COVER_TITLE)],
        COVER_TABLE,
    )
    rows: list[tuple[str, Cell]] = [
        ("System", system.name),
        ("Kind", system.get_kind_display()),
        ("Code", system.code),
        (
            "Made",
            f"Made {long_date(made)} from the results {review.shared_count} of its "
            f"{counted(total, 'trust')} have chosen to share",
        ),
        ("Purpose", PURPOSE),
    ]
    return [
        band,
        Spacer(1, 8),
        facts(rows, 34 * mm),
        para("Executive summary", COVER_HEADING),
        *executive_summary(review),
        PageBreak(),
    ]


def _names(standings: Sequence[TrustStanding]) -> str:
    if len(standings) > NAMED_IN_SUMMARY:
        return "listed in section 1"
    return listed([standing.name for standing in standings])


def executive_summary(review: SystemReview) -> list[Flowable]:
    """In plain English: how many trusts could support others and how many are in
    difficulty, the best proposed pairing with its score, and what else the paper holds."""
    proposals = review.proposals
    candidates = [trust for trust in proposals.trusts if trust.candidate]
    in_need = [trust for trust in proposals.trusts if trust.in_need]
    story: list[Flowable] = []
    if candidates:
        story.append(
            rich(
                SUMMARY,
                ("b", f"{counted(len(candidates), 'trust')} could support others"),
                f" on their shared results: {_names(candidates)}.",
            )
        )
    else:
        story.append(
            para("No trust is yet a candidate to support others on its shared result.", SUMMARY)
        )
    if in_need:
        verb = "is" if len(in_need) == 1 else "are"
        story.append(
            rich(
                SUMMARY,
                ("b", f"{counted(len(in_need), 'trust')} {verb} in difficulty"),
                f" (at risk, or not sustainable in its present form): {_names(in_need)}.",
            )
        )
    else:
        story.append(para("No trust that has shared its result is in difficulty.", SUMMARY))
    if proposals.pairings:
        best = proposals.pairings[0]
        story.append(
            rich(
                SUMMARY,
                ("b", "The best proposed pairing:"),
                f" {best.supporter_name} supporting {best.in_need_name}, scoring "
                f"{display(best.score)} out of 100. Joint form: "
                f"{lower_first(best.lead_form_name)}, with "
                f"{lower_first(best.supported_form_name)}.",
            )
        )
        if len(proposals.pairings) > 1:
            story.append(
                para(
                    f"{counted(len(proposals.pairings), 'support pairing')} are proposed in "
                    "all, best first, in section 2.",
                    SUMMARY,
                )
            )
    else:
        story.append(
            para(
                "No support pairing can be proposed from the shared results: it needs a trust "
                "that could support others, a trust in difficulty and a joint form open to "
                "both. Section 4 says why each is not proposed.",
                SUMMARY,
            )
        )
    if proposals.partnerships:
        story.append(
            para(
                f"{counted(len(proposals.partnerships), 'peer partnership')} between trusts "
                "that rank the same form of partnership highly "
                f"{'is' if len(proposals.partnerships) == 1 else 'are'} set out in section 3.",
                SUMMARY,
            )
        )
    unshared = len(proposals.trusts) - review.shared_count
    if unshared:
        story.append(
            para(
                f"{counted(unshared, 'trust')} {'has' if unshared == 1 else 'have'} not shared "
                "a result, and so cannot be proposed for anything.",
                SUMMARY,
            )
        )
    story.append(
        para(
            "The proposals are a starting point for a conversation between boards, never a "
            "decision: each rests on the trusts' own assessments, and leadership, "
            "relationships and culture decide outcomes more than the form does.",
            SUMMARY,
        )
    )
    return story
