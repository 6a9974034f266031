"""The front of the board paper. The first page is its cover sheet, as NHS trust board
papers lay it out (meeting, date, agenda item, title, report of, prepared by, purpose,
executive summary, recommendation, what the board is asked to do, links to strategic
objectives and the board assurance framework, risks), under the withdrawn notice where the
result was withdrawn. The second gives the facts of the assessment (trust, period, date,
status, versions, respondents), where the answers came from, the warnings the board
submitted past, and what the paper is for."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer

from assessment.reports.paper import NOT_RECORDED, BoardPaper, CoverSheet
from assessment.reports.pdf.blocks import (
    Cell,
    boxed,
    escaped,
    facts,
    height,
    labelled,
    long_date,
    markup,
    para,
    rich,
    title,
)
from assessment.reports.pdf.styles import (
    BODY,
    BODY_TIGHT,
    CELL,
    COVER_HEADING,
    COVER_KICKER,
    COVER_TABLE,
    COVER_TITLE,
    ENTRY_LABELLED,
    LABELLED,
    LABELLED_TIGHT,
    NOTE_TABLE,
    PRODUCT,
    SANS_BOLD,
    SUMMARY,
    SUMMARY_BULLET,
)
from assessment.scoring.summary import summarise, whole


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


def status_cell(paper: BoardPaper) -> Cell:
    """The paper's status; a draft's with what a draft means, in NHS red."""
    if not paper.draft:
        return paper.status
    return markup(
        f'{escaped(paper.status)}<br/><font name="{SANS_BOLD}" color="#D5281B">DRAFT: '
        "this is not the board's submitted result, and it will change if the answers "
        "do.</font>",
        CELL,
    )


def purposes(sheet: CoverSheet) -> Flowable:
    """Every purpose a board paper may serve, the chosen one marked "yes" in bold: in
    words, never by colour or a tick alone."""
    runs: list[str | tuple[str, str]] = []
    for number, purpose in enumerate(sheet.purposes):
        if number:
            runs.append("\u00a0\u00a0\u00b7\u00a0\u00a0 ")
        runs.append(("b", f"{purpose}: yes") if purpose == sheet.purpose else f"{purpose}: no")
    return rich(CELL, *runs)


def executive_summary(paper: BoardPaper) -> list[Flowable]:
    """About half a page, from the result in the board's words: the verdict and why, the
    three best-fitting forms with how well each fits and its main risk, what would most
    change the recommendation, since last time, and the evidence covered."""
    result = paper.result
    summary = summarise(result)
    label = summary.verdict_label + (" (provisional)" if summary.provisional else "")
    story: list[Flowable] = [
        rich(SUMMARY, ("b", f"Verdict: {label}."), f" {summary.why}"),
    ]
    if summary.forms:
        story.append(para("The organisational forms that fit the trust best:", SUMMARY))
        for line in summary.forms:
            confirm = ", to confirm" if line.to_confirm else ""
            story.append(
                rich(
                    SUMMARY_BULLET,
                    ("b", f"{line.rank}. {line.name}"),
                    f": {line.fit_words.lower()} ({whole(line.fit)} out of 100{confirm}). "
                    f"{line.why} Main risk: {line.risk}",
                    bullet="\u2022",
                )
            )
    else:
        story.append(
            para("No organisational form could be ranked: every one is ruled out.", SUMMARY)
        )
    if summary.change:
        story.append(rich(SUMMARY, ("b", "What would most change this:"), f" {summary.change}"))
    since = paper.since
    if since is not None:
        story.append(
            rich(
                SUMMARY,
                ("b", f"Since the last assessment ({since.period}):"),
                f" {since.verdict_sentence} {since.index_sentence}",
            )
        )
    story.append(para(summary.coverage_sentence, SUMMARY))
    return story


def cover_section(title: str, text: str) -> list[Flowable]:
    """One part of the cover sheet under its heading, which never ends a page alone: it
    starts a new page unless there is room for it and the first three lines of its text
    (all of it, when shorter)."""
    head, body = para(title, COVER_HEADING), para(text, SUMMARY)
    first_lines = 3 * SUMMARY.leading + SUMMARY.spaceAfter
    return [CondPageBreak(height(head) + min(height(body), first_lines)), head, body]


def cover(paper: BoardPaper) -> list[Flowable]:
    """The cover sheet, as NHS trust board papers lay it out: the meeting, date, agenda
    item, title, who the report is of and by, and its purpose; then the executive summary,
    the recommendation, what the board is asked to do, the links to the trust's strategic
    objectives and board assurance framework, and the risks. Then a new page."""
    sheet = paper.cover_sheet
    band = boxed(
        [para(f"{PRODUCT}: board paper", COVER_KICKER), para(paper.trust_name, COVER_TITLE)],
        COVER_TABLE,
    )
    meeting_date = long_date(sheet.meeting_date) if sheet.meeting_date else NOT_RECORDED
    rows: list[tuple[str, Cell]] = [
        ("Meeting", sheet.meeting),
        ("Date of meeting", meeting_date),
        ("Agenda item", sheet.agenda_item),
        ("Title", sheet.title),
        ("Report of", sheet.report_of),
        ("Prepared by", sheet.prepared_by),
        ("Purpose", purposes(sheet)),
    ]
    # A paper that is not the board's standing result says so on its cover sheet too.
    if paper.draft or paper.withdrawn:
        rows.append(("Status", status_cell(paper)))
    story: list[Flowable] = [band, Spacer(1, 8), facts(rows, 34 * mm)]
    story += [
        para("Executive summary", COVER_HEADING),
        *executive_summary(paper),
        *cover_section("Recommendation", sheet.recommendation),
        *cover_section("The board is asked to", sheet.board_asked_to),
        *cover_section(
            "Link to strategic objectives", sheet.strategic_objectives or "None recorded."
        ),
        *cover_section(
            "Link to the board assurance framework", sheet.assurance_framework or "None recorded."
        ),
        *cover_section("Risks", sheet.risks or "None recorded."),
        PageBreak(),
    ]
    return story


def about(paper: BoardPaper) -> list[Flowable]:
    """The second page: the facts of the assessment (trust, period, date, status, versions,
    respondents), where the answers came from, the warnings the board submitted past, and
    what the paper is for."""
    result = paper.result
    status = status_cell(paper)
    if paper.respondents is None:
        respondents = "Not recorded"
    else:
        respondents = f"{paper.respondents} board member" + ("" if paper.respondents == 1 else "s")
    story: list[Flowable] = [
        *title("About this assessment"),
        facts(
            [
                ("Trust", paper.trust_name),
                ("ODS code", paper.ods_code),
                ("Assessment", paper.title),
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
