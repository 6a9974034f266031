"""The first page of the board paper: the withdrawn notice where the result was withdrawn,
the blue band with the paper's title and trust, the facts of the assessment (trust, period,
date, status, versions, respondents), where the answers came from, the warnings the board
submitted past, and what the paper is for."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from assessment.reports.paper import BoardPaper
from assessment.reports.pdf.blocks import (
    boxed,
    escaped,
    facts,
    labelled,
    long_date,
    markup,
    para,
)
from assessment.reports.pdf.styles import (
    BODY,
    BODY_TIGHT,
    CELL,
    COVER_KICKER,
    COVER_TABLE,
    COVER_TITLE,
    COVER_TRUST,
    ENTRY_LABELLED,
    LABELLED,
    LABELLED_TIGHT,
    NOTE_TABLE,
    PRODUCT,
    SANS_BOLD,
)


def withdrawn_notice(paper: BoardPaper) -> list[Flowable]:
    """Who withdrew the result, when and why, boxed at the head of the first page."""
    note = paper.withdrawn
    if note is None:
        return []
    heading = markup(
        f'<font name="{SANS_BOLD}" color="#D5281B">WITHDRAWN on '
        f"{escaped(long_date(note.withdrawn_on))} by {escaped(note.withdrawn_by)}.</font> "
        "This result was withdrawn after it was submitted. It is kept for the record, "
        "is not part of the trust's history or trend, and should not be relied on.",
        BODY_TIGHT,
    )
    reason = labelled("Reason:", note.reason, LABELLED_TIGHT)
    return [boxed([heading, reason], NOTE_TABLE), Spacer(1, 8)]


def readiness(reasons: Sequence[tuple[str, str]]) -> list[Flowable]:
    """The warnings the board submitted past, each with its reason, boxed on the cover."""
    if not reasons:
        return []
    lines: list[Flowable] = [
        labelled(
            "Submitted with warnings.",
            "The lead submitted the board's answers past these warnings, for these reasons.",
            LABELLED,
        )
    ]
    for warning, reason in reasons:
        lines += [
            labelled("Warning:", warning, ENTRY_LABELLED),
            labelled("The board's reason:", reason, ENTRY_LABELLED),
        ]
    return [boxed(lines, NOTE_TABLE), Spacer(1, 8)]


def cover(paper: BoardPaper) -> list[Flowable]:
    result = paper.result
    band = boxed(
        [
            para(PRODUCT, COVER_KICKER),
            para(paper.title, COVER_TITLE),
            para(paper.trust_name, COVER_TRUST),
        ],
        COVER_TABLE,
    )
    status: str | Flowable = paper.status
    if paper.draft:
        status = markup(
            f'{escaped(paper.status)}<br/><font name="{SANS_BOLD}" color="#D5281B">DRAFT: '
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
        facts(
            [
                ("Trust", paper.trust_name),
                ("ODS code", paper.ods_code),
                ("Reporting period", paper.reporting_period),
                ("Date", long_date(paper.paper_date)),
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
        note = labelled("Source of the answers.", paper.source_note, LABELLED)
        story += [boxed([note], NOTE_TABLE), Spacer(1, 8)]
    story += readiness(paper.readiness)
    story.append(
        para(
            "This paper reports the board's self-assessment of whether the trust's present way "
            "of working is sustainable, the question the Dalton review (2014) put to every "
            "trust board, and sets out a ranked menu of organisational forms for the board to "
            "consider, with the risks of each. Scores are out of 100. How the answers become "
            "the verdict and the menu is explained at the end of the paper.",
            BODY,
        )
    )
    return story
