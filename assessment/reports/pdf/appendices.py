"""The back of the board paper: where board members differed (section 6), the missing
evidence (section 7), every agreed answer with how many members gave each answer and the
board's rationale (appendix A), and a plain-English note on the method (appendix B)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable

from assessment.reports.paper import AgreedRow, BoardPaper
from assessment.reports.pdf.blocks import (
    code_width,
    grid,
    heading,
    height,
    labelled,
    long_date,
    para,
    rule,
    title,
)
from assessment.reports.pdf.styles import (
    CONTENT_WIDTH,
    ENTRY,
    ENTRY_LABELLED,
    FRAME_HEIGHT,
    H2,
)
from assessment.scoring.decimals import plain_number
from assessment.scoring.definitions import (
    AT_RISK,
    SUSTAINABLE_COLLABORATE,
    SUSTAINABLE_LEAD,
    UNSUSTAINABLE,
    VERDICT_LABELS,
)
from assessment.scoring.explain import weighting_note_in
from assessment.scoring.result import Result


def divergent(agreed: Sequence[AgreedRow], number: int = 6) -> list[Flowable]:
    name = f"{number}. Where board members differed"
    rows = [row for row in agreed if row.divergent]
    if not rows:
        if agreed:
            empty = "No question was marked divergent: members' answers were close on every one."
        else:
            empty = "No agreed answers are recorded with this paper."
        return [*heading(name), para(empty)]
    introduction = para(
        "On these questions board members' answers were far apart. The answer the board "
        "agreed, how many members gave each answer, and the reason given for the agreed "
        "answer are shown."
    )
    # The heading goes with the first question, which may start a new page.
    story = agreed_entry(rows[0], marked=False, above=[*title(name), introduction])
    for row in rows[1:]:
        story += agreed_entry(row, marked=False)
    return story


def missing(result: Result, number: int = 7) -> list[Flowable]:
    story = heading(f"{number}. Missing evidence")
    if not result.missing:
        story.append(para("Every question has an answer."))
        return story
    if result.verdict.provisional:
        standing = "provisional, because too much evidence is missing"
    else:
        standing = "based on the evidence given, and is not provisional"
    story.append(
        para(
            "The board did not know, or did not answer, these questions. The verdict is "
            f"{standing}."
        )
    )
    # Each question by its text, with its code beside it as a reference.
    code, status = code_width(item.question for item in result.missing), 26 * mm
    story.append(
        grid(
            ("Question", "Ref.", "Status"),
            [
                [
                    item.text + ("" if item.scored else " (context: not in the coverage)"),
                    item.question,
                    "Don't know" if item.status == "dk" else "Not answered",
                ]
                for item in result.missing
            ],
            (CONTENT_WIDTH - code - status, code, status),
        )
    )
    return story


def answer_counts(row: AgreedRow) -> str:
    """How many members gave each answer: never who gave which, nor a member's note, which
    are private to the member and the assessment lead."""
    return "; ".join(
        f"{label} ({count} member{'' if count == 1 else 's'})" for label, count in row.answer_counts
    )


def agreed_entry(
    row: AgreedRow, *, marked: bool = True, above: Sequence[Flowable] = ()
) -> list[Flowable]:
    """One agreed answer beside its code, under any heading `above` it: the answer, how many
    members gave each answer and the board's rationale (or that none was given, where
    members diverged), in paragraphs across the page. `marked` adds "(divergent)" to the
    answer where it applies.

    A short entry is kept on one page. A long rationale runs on over as many pages as it
    needs, starting on the page of its question with at least its first three lines."""
    answer = row.label + (" (divergent)" if marked and row.divergent else "")
    head = [
        *above,
        labelled(row.code, row.question, ENTRY),
        labelled("Figure:" if row.is_figure else "Agreed answer:", answer, ENTRY_LABELLED),
    ]
    if row.is_figure and row.source:
        head.append(labelled("Source:", row.source, ENTRY_LABELLED))
    counts = answer_counts(row)
    if counts:
        head.append(labelled("Members' answers:", counts, ENTRY_LABELLED))
    rationale: list[Flowable] = []
    if row.rationale.strip() or row.divergent:
        rationale.append(labelled("Rationale:", row.rationale or "None given.", ENTRY_LABELLED))
    below = rule()
    opening = sum(map(height, [*head, *rationale, below]))
    if opening > FRAME_HEIGHT / 4:
        opening = sum(map(height, head)) + 3 * ENTRY_LABELLED.leading
    # Never more than half a page, so a page break can always make room.
    return [CondPageBreak(min(opening, FRAME_HEIGHT / 2)), *head, *rationale, below]


def appendix(agreed: Sequence[AgreedRow]) -> list[Flowable]:
    story: list[Flowable] = [
        CondPageBreak(110 * mm),  # a new page, unless most of this one is still free
        *heading("Appendix A. The board's agreed answers"),
    ]
    if not agreed:
        story.append(para("No agreed answers are recorded with this paper."))
        return story
    # Papers of submissions made before figures were entered once have no figure rows, and
    # read as they did on the day.
    figures = (
        "The trust's figures were entered once, each with its source, and are shown with it. "
        if any(row.is_figure for row in agreed)
        else ""
    )
    story.append(
        para(
            "Every question as the board agreed it, by section, with how many members gave "
            f"each answer and the rationale for the agreed answer. {figures}Questions marked "
            "divergent are those on which members' answers were far apart. Each member's own "
            "answers and evidence notes are private to them and the assessment lead, so they "
            "are not shown."
        )
    )
    sections: dict[str, list[AgreedRow]] = {}
    for row in agreed:
        sections.setdefault(row.section, []).append(row)
    for section, rows in sections.items():
        # Each section's title goes with its first question.
        story += agreed_entry(rows[0], above=[para(section or "Other questions", H2)])
        for row in rows[1:]:
            story += agreed_entry(row)
    return story


def method(paper: BoardPaper) -> list[Flowable]:
    result = paper.result
    settings = result.settings
    number = plain_number
    labels = VERDICT_LABELS
    paragraphs = [
        "Every scored answer becomes a level from 1 (serious concern) to 4 (strong): through "
        "the option chosen, the point on a four-point scale, a yes or no, or, for a figure, "
        "the band it falls in. A level scores (level - 1) \u00f7 3 \u00d7 100, so 0, 33.3, "
        "66.7 or 100. A domain's score is the weighted average of its answered questions. "
        "\u201cDon't know\u201d and unanswered questions are left out of the score but lower "
        "the evidence covered; questions that do not apply are left out of both. The "
        "sustainability index is the average of the domain scores, weighted by the domain "
        "weights in section 2.",
        f"An index of {number(settings.lead_index)} or more, with every scored domain at "
        f"{number(settings.lead_domain_floor)} or more and no critical answer, gives "
        f"\u201c{labels[SUSTAINABLE_LEAD]}\u201d; {number(settings.collaborate_index)} or more "
        f"gives \u201c{labels[SUSTAINABLE_COLLABORATE]}\u201d; "
        f"{number(settings.at_risk_index)} or more gives \u201c{labels[AT_RISK]}\u201d; below "
        f"{number(settings.at_risk_index)}, \u201c{labels[UNSUSTAINABLE]}\u201d. Caps can only "
        "make the verdict worse: a scored domain below "
        f"{number(settings.domain_cap_floor)} limits it to at risk, each critical answer "
        "limits it to the verdict set for that answer, and "
        f"{number(settings.critical_count_cap)} or more critical answers together make it "
        "not sustainable. The paper names the rule that decided the verdict. With less than "
        f"{number(settings.provisional_coverage)}% of the evidence given, the verdict is "
        "provisional.",
        "Each organisational form in the catalogue gets a fit out of 100: 100 \u00d7 "
        f"({number(settings.need_coefficient)} \u00d7 need match + "
        f"{number(settings.context_coefficient)} \u00d7 context match + "
        f"{number(settings.proportion_coefficient)} \u00d7 proportion). The need match is how "
        "well the form answers the trust's weaker domains, or suits its stronger ones; the "
        "context match is how well the local system and the board's appetite and capacity "
        "for change suit it; the proportion is how closely the size of change the form "
        "involves matches the trust's need (100 minus the index). A form with a prerequisite "
        "that is not met is ruled out and listed with every reason. A form with a "
        "prerequisite that depends on a missing answer stays on the menu, marked as needing "
        "evidence, below every form whose prerequisites are confirmed. Forms are ranked by "
        "fit rounded to one decimal place; equal fits are ordered smaller change of form "
        "first, then by the catalogue's identifier. The reasons shown for a form are the "
        "three answers that moved its fit most. The analysis of what would change the "
        "recommendation tries every other answer to each answered question, one at a time."
        + _own_weightings(result),
        "When the board submits its answers the result is calculated once and stored with "
        f"the versions it used: questionnaire version {result.questionnaire_version}, "
        f"catalogue version {result.catalogue_version} and method settings version "
        f"{settings.version}. A paper for a submitted assessment is drawn from that stored "
        "result, so producing it again later gives the same content, even after the "
        "questionnaire, the catalogue or the method have changed. Figures are shown to one "
        "decimal place, rounded half up.",
    ]
    if paper.draft:
        paragraphs.append(
            "This paper is not from a submitted assessment: it was calculated from the "
            f"answers as they stood on {long_date(paper.paper_date)}, and will change if "
            "they do."
        )
    return [
        CondPageBreak(70 * mm),
        *heading("Appendix B. About the method"),
        *(para(text) for text in paragraphs),
    ]


def _own_weightings(result: Result) -> str:
    """The forms of the menu whose fit weighs its three terms in its own way (method
    section 4), named after the method's formula; empty when there are none."""
    names = [form.name for form in result.ranking if weighting_note_in(form.explanation.sentence)]
    if not names:
        return ""
    return (
        " Some forms carry their own coefficients in place of these, as their entries in the "
        "menu say: " + "; ".join(names) + "."
    )
