"""Reads for the trust's figures (method.md section 9): what each figure stands at, where it
came from, what a published dataset offers for it, who provides it, and the queries on it.

Each function runs a fixed number of queries, whatever the number of figures or members.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from assessment.models import (
    AgreedAnswer,
    Answer,
    Assessment,
    Figure,
    FigureHolder,
    FigureQuery,
    Membership,
    PublishedValue,
)
from assessment.scoring import definitions as d
from assessment.scoring.answers import Problem, answer_label, parse_answer
from assessment.selectors.questionnaires import PinnedQuestionnaire

NOT_CONFIRMED = "published data, not yet confirmed by the trust"


def value_label(question: d.Question, value: str) -> str:
    if not value:
        return "Not given"
    parsed = parse_answer(question, value)
    return answer_label(question, None if isinstance(parsed, Problem) else parsed)


def _name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


@dataclass(frozen=True)
class PublishedOffer:
    """The newest published value of a figure for the trust, and where it comes from."""

    published_id: int
    value: str
    label: str
    citation: str
    publisher: str
    link: str

    @property
    def text(self) -> str:
        """As the figures page offers it: “71.3%, NHS Oversight Framework 2025/26 Q2”."""
        return f"{self.label}, {self.citation}"


@dataclass(frozen=True)
class Candidate:
    """A value given for a figure before figures were entered once: by a member, as their
    own answer, or by the lead, as an agreed answer."""

    value: str
    label: str
    who: str


@dataclass
class FigureState:
    """One figure as it stands: the value that goes to the agreed answers and its source.

    A figure entered by its holder stands as entered. Otherwise the newest published value
    for the trust stands, cited as published data not yet confirmed by the trust.
    """

    question: d.Question
    section: d.Domain
    value: str = ""
    source: str = ""
    version: int = 0
    entered: bool = False
    entered_by: str = ""
    offer: PublishedOffer | None = None
    candidates: list[Candidate] = field(default_factory=list)
    queries: list[FigureQuery] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.question.code

    @property
    def label(self) -> str:
        return value_label(self.question, self.value)

    @property
    def from_published(self) -> bool:
        """The value stands only because a dataset offers it: nobody has confirmed it."""
        return not self.entered and self.offer is not None

    @property
    def provenance(self) -> str:
        """Where the value came from, in words, for every page and export that shows it."""
        if self.from_published:
            assert self.offer is not None
            return f"{self.offer.citation} ({NOT_CONFIRMED})"
        if self.entered:
            return self.source or "No source needed: the figure is not known"
        return "Not entered yet"

    @property
    def open_queries(self) -> list[FigureQuery]:
        return [query for query in self.queries if query.is_open]


def _offers(assessment: Assessment, pinned: PinnedQuestionnaire) -> dict[str, PublishedOffer]:
    """The newest published value of each figure for the trust that fits the question as
    this version asks it: one query."""
    figures = {question.code: question for question in pinned.figures}
    offers: dict[str, PublishedOffer] = {}
    rows = (
        PublishedValue.objects.filter(
            organisation_id=assessment.organisation_id, question_code__in=figures
        )
        .select_related("dataset")
        .order_by("-dataset__period_end", "-dataset__loaded_at", "-dataset_id")
    )
    for row in rows:
        if row.question_code in offers:
            continue
        question = figures[row.question_code]
        parsed = parse_answer(question, row.value)
        if isinstance(parsed, Problem):
            continue  # the version asks it with other bounds or options: not offered
        offers[row.question_code] = PublishedOffer(
            published_id=row.pk,
            value=parsed.text,
            label=answer_label(question, parsed),
            citation=row.dataset.citation,
            publisher=row.dataset.publisher,
            link=row.dataset.link,
        )
    return offers


def figures_of(
    *,
    assessment: Assessment,
    pinned: PinnedQuestionnaire,
    with_candidates: bool = False,
    with_queries: bool = False,
) -> dict[str, FigureState]:
    """Every figure of the assessment, in questionnaire order. Two queries, one more with
    queries and two more with the candidate values given before figures were entered once."""
    sections = {domain.code: domain for domain in pinned.sections}
    states = {
        question.code: FigureState(question=question, section=sections[question.domain])
        for question in pinned.figures
    }
    codes = pinned.codes_by_id
    for row in Figure.objects.filter(assessment=assessment).select_related("updated_by").order_by():
        state = states.get(codes.get(row.question_id, ""))
        if state is None:
            continue
        state.value, state.source, state.version = row.value, row.source, row.version
        state.entered = bool(row.value)
        state.entered_by = _name(row.updated_by) if row.updated_by else ""
    for code, offer in _offers(assessment, pinned).items():
        state = states[code]
        state.offer = offer
        if not state.entered:
            state.value = offer.value
    if with_queries:
        for query in (
            FigureQuery.objects.filter(assessment=assessment)
            .select_related("raised_by", "resolved_by")
            .order_by("raised_at", "pk")
        ):
            state = states.get(codes.get(query.question_id, ""))
            if state is not None:
                state.queries.append(query)
    if with_candidates:
        _add_candidates(assessment, pinned, states)
    return states


def _add_candidates(
    assessment: Assessment, pinned: PinnedQuestionnaire, states: dict[str, FigureState]
) -> None:
    """Members' own answers to figure questions, and agreed answers the lead recorded for
    them, from before figures were entered once: two queries."""
    ids = [pinned.question_ids[code] for code in states]
    codes = pinned.codes_by_id
    answers = (
        Answer.objects.filter(respondent__assessment=assessment, question_id__in=ids)
        .exclude(value="")
        .select_related("respondent__user")
        .order_by("respondent__user__last_name", "respondent__user__first_name", "pk")
    )
    for answer in answers:
        state = states[codes[answer.question_id]]
        state.candidates.append(
            Candidate(
                value=answer.value,
                label=value_label(state.question, answer.value),
                who=_name(answer.respondent.user),
            )
        )
    agreed = AgreedAnswer.objects.filter(assessment=assessment, question_id__in=ids).exclude(
        value=""
    )
    for row in agreed.select_related("updated_by").order_by():
        state = states[codes[row.question_id]]
        who = _name(row.updated_by) if row.updated_by else "the lead"
        state.candidates.append(
            Candidate(
                value=row.value,
                label=value_label(state.question, row.value),
                who=f"{who}, as the board's agreed answer",
            )
        )


def figure_values(figures: dict[str, FigureState]) -> dict[str, str]:
    """The figures as they go to the agreed answers: code -> value, blanks left out."""
    return {code: state.value for code, state in figures.items() if state.value}


def figure_holders(*, assessment: Assessment) -> dict[str, FigureHolder]:
    """Who the lead named to provide each section's figures: one query."""
    return {
        holder.section: holder
        for holder in FigureHolder.objects.filter(assessment=assessment)
        .select_related("user")
        .order_by()
    }


def held_sections(*, assessment: Assessment, user: Any) -> list[str]:
    """The sections whose figures the user was named to provide: one query."""
    return list(
        FigureHolder.objects.filter(assessment=assessment, user_id=user.pk)
        .order_by("section")
        .values_list("section", flat=True)
    )


def may_provide(*, assessment: Assessment, user: Any, section: str) -> bool:
    """Whether the user may enter a section's figures: the lead of the trust, or the member
    the lead named for that section while they sit on the trust's board. One query."""
    return (
        Membership.objects.filter(organisation_id=assessment.organisation_id, user_id=user.pk)
        .filter(
            Q(role=Membership.Role.LEAD)
            | Q(
                user__figure_sections__assessment=assessment,
                user__figure_sections__section=section,
            )
        )
        .exists()
    )


def open_queries(*, assessment: Assessment, pinned: PinnedQuestionnaire) -> list[FigureQuery]:
    """The queries the lead has still to resolve, oldest first, each with its question
    (`code`, `text`): one query."""
    codes = pinned.codes_by_id
    found = list(
        FigureQuery.objects.filter(assessment=assessment, resolved_at__isnull=True)
        .select_related("raised_by")
        .order_by("raised_at", "pk")
    )
    for query in found:
        question = pinned.question(codes[query.question_id])
        query.code = question.code  # type: ignore[attr-defined]
        query.text = question.text  # type: ignore[attr-defined]
    return found


def queries_by(
    *, assessment: Assessment, pinned: PinnedQuestionnaire, user: Any
) -> dict[str, list[FigureQuery]]:
    """A member's own queries, by question code, with who resolved each: one query."""
    codes = pinned.codes_by_id
    found: dict[str, list[FigureQuery]] = defaultdict(list)
    for query in (
        FigureQuery.objects.filter(assessment=assessment, raised_by_id=user.pk)
        .select_related("resolved_by")
        .order_by("raised_at", "pk")
    ):
        found[codes[query.question_id]].append(query)
    return dict(found)


def waiting_on(queries: dict[str, list[FigureQuery]]) -> set[str]:
    """The figures on which the member has a query still open: not offered to query again."""
    return {code for code, found in queries.items() if any(q.is_open for q in found)}
