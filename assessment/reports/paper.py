"""What a board paper is made of: the stored (or freshly computed) result, and the facts
about the assessment that the paper reports around it. The PDF, the page and the exports
are all built from this, so they cannot disagree."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from assessment.scoring.result import Result
from assessment.scoring.summary import SinceLastTime
from assessment.scoring.system_types import PeerPosition

NOT_RECORDED = "Not recorded"
# The purposes an NHS board paper may serve, as its cover sheet lists them (the submit
# page's choices, assessment/services/paper_details.py PURPOSES).
PURPOSE_LABELS = ("For decision", "For assurance", "For information")


@dataclass(frozen=True)
class MemberAnswer:
    """One member's answer to a question. Members are told their answers are private to
    them and the assessment lead, and the whole board reads the paper: it prints only how
    many members gave each answer, never who gave which, nor a name or a note (the
    services that build a paper leave both empty)."""

    name: str
    label: str
    note: str = ""


@dataclass(frozen=True)
class AgreedRow:
    """The board's agreed answer to one question, as submitted."""

    code: str
    section: str
    question: str
    label: str
    rationale: str = ""
    divergent: bool = False
    members: tuple[MemberAnswer, ...] = ()
    # A figure is entered once for the trust, with its source (method section 9); papers
    # of submissions made before figures existed have none.
    is_figure: bool = False
    source: str = ""

    @property
    def answer_counts(self) -> tuple[tuple[str, int], ...]:
        """How many members gave each answer, the most given first and ties by label: an
        order that says nothing about which member gave which."""
        counts = Counter(member.label for member in self.members if member.label)
        return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


@dataclass(frozen=True)
class WithdrawnNote:
    """A submitted result the board has withdrawn: who withdrew it, when and why. Its paper
    is marked WITHDRAWN on every page, with the reason on the first."""

    withdrawn_on: date
    withdrawn_by: str
    reason: str


@dataclass(frozen=True)
class CoverSheet:
    """What an NHS board paper carries on its first page, before its content: as the lead
    filled it in when submitting, or the defaults for a draft and for a submission made
    before the cover sheet existed. `purpose` is the chosen purpose's label ("For
    decision"); `purposes` every label, to list them all with the chosen one marked."""

    title: str
    meeting: str = NOT_RECORDED
    meeting_date: date | None = None  # None: not recorded
    agenda_item: str = NOT_RECORDED
    report_of: str = NOT_RECORDED
    prepared_by: str = NOT_RECORDED
    purpose: str = PURPOSE_LABELS[0]
    recommendation: str = NOT_RECORDED
    board_asked_to: str = NOT_RECORDED
    strategic_objectives: str = ""
    assurance_framework: str = ""
    risks: str = ""
    purposes: tuple[str, ...] = PURPOSE_LABELS


@dataclass(frozen=True)
class BoardPaper:
    trust_name: str
    ods_code: str
    title: str
    reporting_period: str
    paper_date: date  # the day it was submitted, or the day a draft or file was scored
    status: str  # "Submitted", "Draft: not submitted", "Not from a recorded assessment"
    draft: bool  # a draft or unrecorded paper carries a DRAFT mark on every page
    respondents: int | None
    result: Result
    agreed: tuple[AgreedRow, ...] = field(default=())
    source_note: str = ""  # where the answers came from, when not a recorded assessment
    withdrawn: WithdrawnNote | None = None  # set once a submitted result is withdrawn
    # The warnings the lead submitted past, each with the board's reason: (warning, reason).
    readiness: tuple[tuple[str, str], ...] = ()
    # The cover sheet; a paper built without one (a benchmark, a test) gets the title and
    # "Not recorded" for the rest (see `cover_sheet`).
    cover: CoverSheet | None = None
    # What changed since the trust's previous submission that stands, when there is one.
    since: SinceLastTime | None = None
    # Where each domain score falls among other trusts' shared results (method section 11);
    # None when fewer than five other trusts have shared.
    peers: tuple[PeerPosition, ...] | None = None

    @property
    def cover_sheet(self) -> CoverSheet:
        return self.cover or CoverSheet(title=self.title)
