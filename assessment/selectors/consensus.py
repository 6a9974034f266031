"""The consensus summary the lead projects in the board meeting (method section 7).

One row per judgement: the members' levels as a dot plot, the median, the spread and where
the board stands on it (agreed, to agree, divergent), optionally split by where members
sit on the board. Shaped from the rows `consensus_rows` reads: no query of its own.

The plot's geometry is worked out here, in plain numbers, so that the template only
draws it: an inline SVG, with the same counts in words for screen readers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from math import ceil

from assessment.models import Membership
from assessment.scoring import definitions as d
from assessment.scoring.answers import DK, NA, Problem, parse_answer
from assessment.scoring.levels import resolve
from assessment.selectors.journey import ConsensusRow, MemberAnswer

LEVELS = (1, 2, 3, 4)

AGREED = "agreed"
TO_AGREE = "to-agree"
DIVERGENT = "divergent"
STATUS_LABELS = {AGREED: "Agreed", TO_AGREE: "To agree", DIVERGENT: "Divergent"}
STATUS_TAGS = {
    AGREED: "nhsuk-tag--green",
    TO_AGREE: "nhsuk-tag--grey",
    DIVERGENT: "nhsuk-tag--orange",
}

# The filters, in the order the page offers them. "To agree" is everything not yet
# agreed, divergent questions included: what is left for the meeting.
FILTERS = (
    (TO_AGREE, "To agree"),
    (DIVERGENT, "Divergent"),
    ("all", "All"),
)
DEFAULT_FILTER = "all"

# Board role groups, in the order the plot draws them; "" is a role not recorded.
ROLE_GROUPS = (
    (Membership.BoardRole.CHAIR.value, "Chair"),
    (Membership.BoardRole.NON_EXECUTIVE.value, "Non-executive directors"),
    (Membership.BoardRole.EXECUTIVE.value, "Executive directors"),
    (Membership.BoardRole.ATTENDEE.value, "Other attendees"),
    ("", "Role not recorded"),
)
ROLE_NAMES = dict(ROLE_GROUPS)

# Plot geometry, in SVG user units (pixels at 100%).
LABEL_WIDTH = 176  # room for a role group's name, left of its dots, when split
COLUMN = 44  # width of one level's column
DOT = 5  # dot radius
STEP = 12  # distance between dot centres
PER_ROW = 3  # dots side by side in a level's column before the next row starts
PAD = 8
AXIS = 18  # height of the level numbers under the dots


@dataclass(frozen=True)
class Dot:
    x: int
    y: int


@dataclass(frozen=True)
class PlotLine:
    """One line of the plot: everyone, or one board role group."""

    label: str
    label_y: int
    counts: dict[int, int]  # level -> members at that level
    dont_know: int
    not_applicable: int
    unanswered: int
    dots: tuple[Dot, ...]
    top: int  # where the line starts, in the plot
    height: int

    @property
    def text(self) -> str:
        """The line in words, for screen readers and for anyone who cannot see the dots."""
        given = [f"level {level}: {count}" for level, count in self.counts.items() if count] or [
            "no level given"
        ]
        others = [
            f"{count} {what}"
            for count, what in (
                (self.dont_know, "don't know"),
                (self.not_applicable, "not applicable"),
                (self.unanswered, "not answered"),
            )
            if count
        ]
        return ", ".join(given + others)


@dataclass(frozen=True)
class Plot:
    lines: tuple[PlotLine, ...]
    width: int
    height: int
    axis_y: int
    ticks: tuple[tuple[int, int], ...]  # (level, x) for the axis numbers
    median_x: int | None
    split: bool = False


@dataclass(frozen=True)
class SummaryRow:
    row: ConsensusRow
    status: str
    plot: Plot

    @property
    def code(self) -> str:
        return self.row.question.code

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def status_tag(self) -> str:
        return STATUS_TAGS[self.status]


@dataclass(frozen=True)
class Summary:
    rows: tuple[SummaryRow, ...]  # every judgement, in the questionnaire's order
    shown: tuple[SummaryRow, ...]  # those the filter keeps
    counts: dict[str, int]  # filter -> how many rows it keeps
    member_count: int
    split: bool


def status_of(row: ConsensusRow) -> str:
    """Agreed once the lead has recorded it, with the rationale it needs; until then,
    divergent where members' levels are two or more apart, otherwise to agree. The same
    rule as the submission's readiness check."""
    needs_rationale = row.divergent or row.agreed_value != row.default_value
    if row.recorded and not (needs_rationale and not row.rationale):
        return AGREED
    return DIVERGENT if row.divergent else TO_AGREE


def keeps(choice: str, row: SummaryRow) -> bool:
    if choice == TO_AGREE:
        return row.status != AGREED
    if choice == DIVERGENT:
        return row.row.divergent
    return True


def filter_of(value: str | None) -> str:
    return value if value in dict(FILTERS) else DEFAULT_FILTER


def member_level(question: d.Question, member: MemberAnswer) -> int | str | None:
    """A member's level (1-4), "dk", "na", or None when they did not answer."""
    if not member.value:
        return None
    parsed = parse_answer(question, member.value)
    if isinstance(parsed, Problem):
        return None
    if parsed.status in (DK, NA):
        return parsed.status
    return resolve(question, parsed)[0]


def _line(label: str, levels: Sequence[int | str | None], top: int, offset: int) -> PlotLine:
    counts = {level: sum(1 for given in levels if given == level) for level in LEVELS}
    rows = max(1, max(ceil(count / PER_ROW) for count in counts.values()))
    height = (rows - 1) * STEP + 2 * DOT + PAD
    dots = []
    for level, count in counts.items():
        centre = offset + PAD + (level - 1) * COLUMN + COLUMN // 2
        for index in range(count):
            row, column = divmod(index, PER_ROW)
            in_row = min(PER_ROW, count - row * PER_ROW)  # dots on this row, centred
            x = centre + column * STEP - (in_row - 1) * STEP // 2
            dots.append(Dot(x=x, y=top + PAD // 2 + DOT + row * STEP))
    return PlotLine(
        label=label,
        label_y=top + height // 2 + 5,
        counts=counts,
        dont_know=sum(1 for given in levels if given == DK),
        not_applicable=sum(1 for given in levels if given == NA),
        unanswered=sum(1 for given in levels if given is None),
        dots=tuple(dots),
        top=top,
        height=height,
    )


def plot_of(row: ConsensusRow, *, split: bool) -> Plot:
    """The members' levels on one question: one line for the board, or one per role group
    that has members."""
    question = row.question
    if split:
        groups = [
            (name, [member_level(question, m) for m in row.members if m.board_role == role])
            for role, name in ROLE_GROUPS
        ]
        groups = [(name, levels) for name, levels in groups if levels]
    else:
        groups = [("All members", [member_level(question, m) for m in row.members])]
    offset = LABEL_WIDTH if split else 0
    lines = []
    top = 0
    for name, levels in groups:
        line = _line(name, levels, top, offset)
        lines.append(line)
        top += line.height
    median = _median_level(row)
    return Plot(
        lines=tuple(lines),
        width=offset + PAD * 2 + COLUMN * len(LEVELS),
        height=top + AXIS,
        axis_y=top + AXIS - 3,
        ticks=tuple((level, offset + PAD + (level - 1) * COLUMN + COLUMN // 2) for level in LEVELS),
        median_x=offset + PAD + (median - 1) * COLUMN + COLUMN // 2 if median else None,
        split=split,
    )


def _median_level(row: ConsensusRow) -> int | None:
    label = row.median_label
    return int(label.removeprefix("Level ")) if label.startswith("Level ") else None


def summary_of(rows: Iterable[ConsensusRow], *, choice: str, split: bool) -> Summary:
    rows = list(rows)
    shaped = tuple(
        SummaryRow(row=row, status=status_of(row), plot=plot_of(row, split=split)) for row in rows
    )
    return Summary(
        rows=shaped,
        shown=tuple(row for row in shaped if keeps(choice, row)),
        counts={value: sum(1 for row in shaped if keeps(value, row)) for value, _ in FILTERS},
        member_count=len(rows[0].members) if rows else 0,
        split=split,
    )


def neighbours(
    rows: Sequence[ConsensusRow], code: str, *, choice: str
) -> tuple[ConsensusRow | None, ConsensusRow | None]:
    """The questions before and after `code` among those the filter keeps, in the
    questionnaire's order; the question itself need not be kept (it may just have been
    agreed)."""
    codes = [row.question.code for row in rows]
    here = codes.index(code)
    kept = [
        (index, row)
        for index, row in enumerate(rows)
        if keeps(choice, SummaryRow(row=row, status=status_of(row), plot=_NO_PLOT))
    ]
    before = [row for index, row in kept if index < here]
    after = [row for index, row in kept if index > here]
    return (before[-1] if before else None, after[0] if after else None)


_NO_PLOT = Plot(lines=(), width=0, height=0, axis_y=0, ticks=(), median_x=None)


@dataclass(frozen=True)
class AnswerCount:
    """How many members gave one answer, for the question page in present mode."""

    label: str
    count: int


def answer_counts(row: ConsensusRow) -> list[AnswerCount]:
    """The members' answers counted, without names: each answer given, in the order the
    question offers them, then those who did not answer."""
    counted: dict[str, int] = {}
    order: dict[str, tuple[int, str]] = {}
    for member in row.members:
        level = member_level(row.question, member)
        label = member.label if member.value else "Not answered"
        counted[label] = counted.get(label, 0) + 1
        rank = level if isinstance(level, int) else {DK: 5, NA: 6}.get(str(level), 7)
        order[label] = (rank, label)
    return [AnswerCount(label, counted[label]) for label in sorted(counted, key=order.__getitem__)]


def role_name(role: str) -> str:
    """One member's place on the board, in words."""
    if role in Membership.BoardRole.values:
        return str(Membership.BoardRole(role).label)
    return ROLE_NAMES[""]
