"""Whether the board's answers are ready to submit: what must be cleared first, and what the
lead may submit past only with a reason, which the submission keeps and the paper prints.

Blocking: no figure at all, an open query on a figure, a judgement whose agreed answer needs
a rationale it has not got (members diverged, or the answer departs from their median), no
answer at all. Warnings: a member who has not finished, evidence covering less of the index
than the verdict needs not to be provisional.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse

from assessment import selectors
from assessment.models import Assessment
from assessment.scoring.decimals import display
from assessment.scoring.result import Result
from assessment.selectors.figures import FigureState
from assessment.selectors.journey import BoardMember, ConsensusRow

MEMBERS = "members"
COVERAGE = "coverage"


@dataclass(frozen=True)
class Item:
    """One thing to see to before submitting. `key` is stable across page loads, so that a
    reason given for a warning is matched to the warning it answers."""

    key: str
    text: str
    url: str
    blocking: bool
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Readiness:
    members: list[BoardMember]
    judgements: int
    figures_entered: int
    figures_published: int
    figures_total: int
    coverage: Decimal
    threshold: Decimal
    items: list[Item] = field(default_factory=list)
    # The result as it stands, which the paper's cover sheet defaults are drawn from.
    result: Result | None = None

    @property
    def blocking(self) -> list[Item]:
        return [item for item in self.items if item.blocking]

    @property
    def warnings(self) -> list[Item]:
        return [item for item in self.items if not item.blocking]


def _name(member: BoardMember) -> str:
    user = member.respondent.user
    return user.get_full_name() or user.get_username()


def readiness_of(
    *,
    assessment: Assessment,
    rows: list[ConsensusRow],
    figures: dict[str, FigureState],
    result: Result,
    members: list[BoardMember],
) -> Readiness:
    """What stands between the assessment and its submission; no query of its own."""
    pk = assessment.pk
    items: list[Item] = []
    with_value = [state for state in figures.values() if state.value]
    if figures and not with_value:
        items.append(
            Item(
                key="figures",
                text="No figure of the trust is entered: enter the figures, each with its source.",
                url=reverse("assessment:figures", args=[pk]),
                blocking=True,
            )
        )
    for state in figures.values():
        for query in state.open_queries:
            who = query.raised_by.get_full_name() or query.raised_by.get_username()
            items.append(
                Item(
                    key=f"query-{query.pk}",
                    text=f"{state.code}: resolve the query on this figure raised by {who}: "
                    "change the figure or keep it, with a reply.",
                    url=reverse("assessment:resolve", args=[pk, query.pk]),
                    blocking=True,
                )
            )
    for row in rows:
        needs = row.divergent or row.agreed_value != row.default_value
        if needs and not (row.recorded and row.rationale):
            why = (
                "members' answers diverged"
                if row.divergent
                else "the agreed answer departs from the members' median"
            )
            items.append(
                Item(
                    key=f"rationale-{row.question.code}",
                    text=f"{row.question.code}: give a rationale for the agreed answer, because "
                    f"{why}.",
                    url=reverse("assessment:consensus_question", args=[pk, row.question.code]),
                    blocking=True,
                )
            )
    if not any(row.agreed_value for row in rows) and not with_value:
        items.append(
            Item(
                key="answers",
                text="No question has an answer yet. Ask board members to answer first.",
                url=reverse("assessment:overview", args=[pk]),
                blocking=True,
            )
        )
    unfinished = [member for member in members if member.respondent.completed_at is None]
    if unfinished or not members:
        items.append(
            Item(
                key=MEMBERS,
                text=(
                    f"{len(unfinished)} of {len(members)} board members have not marked their "
                    "response complete. Their answers so far will count; they can add no more."
                    if members
                    else "No board member is answering this assessment."
                ),
                url=reverse("assessment:overview", args=[pk]),
                blocking=False,
                details=tuple(
                    f"{_name(member)}: {member.status.lower()}, {member.answered} of "
                    f"{len(selectors.pinned_for(assessment).judgements)} answered"
                    for member in unfinished
                ),
            )
        )
    threshold = result.settings.provisional_coverage
    if result.coverage < threshold:
        items.append(
            Item(
                key=COVERAGE,
                text=f"The answers cover {display(result.coverage)}% of the index, less than "
                f"the {display(threshold)}% a firm verdict needs: the verdict will be "
                "recorded as provisional, and it cannot be firmed up after submission.",
                url=f"{reverse('assessment:results', args=[pk])}#missing",
                blocking=False,
            )
        )
    return Readiness(
        members=members,
        judgements=len(selectors.pinned_for(assessment).judgements),
        figures_entered=sum(1 for state in figures.values() if state.entered),
        figures_published=sum(1 for state in figures.values() if state.from_published),
        figures_total=len(figures),
        coverage=result.coverage,
        threshold=threshold,
        items=items,
        result=result,
    )
