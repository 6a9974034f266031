"""The trust's figures: entered once, with their sources, by the lead or the member the lead
named for the section (method.md section 9); the members' queries on them.

Figures are saved as answers are: each carries a version that rises with every change, and a
save from a page opened before another change, that says something different, is refused
with both values and nothing from it is written. Saves lock the assessment row, as the
submission does, so a figure saved while the lead submits either lands before the result is
computed or is refused after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from assessment import selectors
from assessment.models import Assessment, Figure, FigureHolder, FigureQuery, Membership
from assessment.models_figures import QUERY_MAX, SOURCE_MAX
from assessment.scoring.answers import Problem, parse_answer
from assessment.selectors.figures import figures_of, may_provide, value_label
from assessment.selectors.questionnaires import PinnedQuestionnaire
from assessment.services.answers import Conflict, Saved, StaleAnswers

NO_SOURCE_NEEDED = ("", "dk", "na")


@dataclass(frozen=True)
class FigureChange:
    """One figure as a page submitted it; `version` is the one the page was opened with."""

    code: str
    value: str
    source: str
    version: int


def _locked_open(assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_open:
        raise ValidationError(
            "The board's answers have been submitted, so the figures can no longer change."
        )
    return locked


def _check(pinned: PinnedQuestionnaire, changes: list[FigureChange]) -> None:
    problems = []
    for change in changes:
        if change.code not in pinned.question_ids:
            problems.append(f"There is no question {change.code} in this questionnaire.")
            continue
        question = pinned.question(change.code)
        if question.answered_by != "figure":
            problems.append(
                f"{change.code} is a judgement: each board member answers it on their own pages."
            )
            continue
        if change.value:
            parsed = parse_answer(question, change.value)
            if isinstance(parsed, Problem):
                problems.append(parsed.message)  # it names the question
        if change.value not in NO_SOURCE_NEEDED and not change.source.strip():
            problems.append(
                f"{change.code}: give the source of the figure: the report or dataset, and the "
                "period it covers, like “Annual accounts 2024/25, note 12”."
            )
        if len(change.source) > SOURCE_MAX:
            problems.append(
                f"{change.code}: shorten the source to {SOURCE_MAX} characters or fewer "
                f"(it has {len(change.source)})."
            )
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def figures_save(
    *,
    assessment: Assessment,
    user: Any,
    pinned: PinnedQuestionnaire,
    changes: list[FigureChange],
) -> list[Saved]:
    """Save figures whole, or raise StaleAnswers (or ValidationError) and save none."""
    locked = _locked_open(assessment)
    sections = {pinned.question(c.code).domain for c in changes if c.code in pinned.question_ids}
    for section in sections:
        if not may_provide(assessment=locked, user=user, section=section):
            raise PermissionDenied("Only the lead or the member named for this section can.")
    _check(pinned, changes)
    states = figures_of(assessment=locked, pinned=pinned)
    rows = {
        pinned.codes_by_id[row.question_id]: row
        for row in Figure.objects.filter(
            assessment=locked, question_id__in=[pinned.question_ids[c.code] for c in changes]
        ).order_by()
    }
    conflicts = []
    for change in changes:
        row = rows.get(change.code)
        current = row.version if row else 0
        stored = (row.value, row.source) if row else ("", "")
        if change.version != current and stored != (change.value, change.source.strip()):
            question = pinned.question(change.code)
            conflicts.append(
                Conflict(
                    code=change.code,
                    saved_value=stored[0],
                    saved_label=value_label(question, stored[0]),
                    saved_note=stored[1],
                    your_value=change.value,
                    your_label=value_label(question, change.value),
                    current_version=current,
                )
            )
    if conflicts:
        raise StaleAnswers(conflicts)
    now = timezone.now()
    saved = []
    for change in changes:
        row, source = rows.get(change.code), change.source.strip()
        offer = states[change.code].offer
        # Accepting the offered published value, as offered, keeps the link to it.
        published = (
            offer.published_id
            if offer is not None and (change.value, source) == (offer.value, offer.citation)
            else None
        )
        if row is None:
            if not (change.value or source):
                continue
            row = Figure.objects.create(
                assessment=locked,
                question_id=pinned.question_ids[change.code],
                value=change.value,
                source=source,
                published_id=published,
                updated_by=user,
            )
        elif (row.value, row.source) != (change.value, source):
            row.value, row.source, row.published_id = change.value, source, published
            row.version += 1
            row.updated_by = user
            row.save(
                update_fields=[
                    "value",
                    "source",
                    "published",
                    "version",
                    "updated_by",
                    "updated_at",
                ]
            )
        saved.append(Saved(code=change.code, version=row.version, saved_at=now.isoformat()))
    return saved


@transaction.atomic
def figure_holder_name(
    *, assessment: Assessment, section: str, user_id: int | None, named_by: Any
) -> FigureHolder | None:
    """Name the member who provides a section's figures, or (None) give them back to the
    lead. The member must sit on the trust's board."""
    locked = _locked_open(assessment)
    pinned = selectors.pinned_for(locked)
    if section not in {domain.code for domain in pinned.figure_sections}:
        raise ValidationError("Choose a section that has figures.")
    if user_id is None:
        FigureHolder.objects.filter(assessment=locked, section=section).delete()
        return None
    if not Membership.objects.filter(organisation_id=locked.organisation_id, user_id=user_id):
        raise ValidationError("Choose a member of the trust's board.")
    before = (
        FigureHolder.objects.filter(assessment=locked, section=section)
        .values_list("user_id", flat=True)
        .first()
    )
    holder, _ = FigureHolder.objects.update_or_create(
        assessment=locked, section=section, defaults={"user_id": user_id, "named_by": named_by}
    )
    # The member newly named is told by email; naming the same member again, or the lead
    # naming themselves, sends nothing.
    if before != user_id and user_id != getattr(named_by, "pk", None):
        from assessment.services.notices import figures_requested_later

        figures_requested_later(
            assessment=locked,
            section=section,
            section_name=next(s.name for s in pinned.figure_sections if s.code == section),
            holder_id=user_id,
            named_by=named_by,
        )
    return holder


@transaction.atomic
def figure_query_raise(
    *, assessment: Assessment, user: Any, pinned: PinnedQuestionnaire, code: str, comment: str
) -> FigureQuery:
    """A member queries a figure: “I think this is wrong, because…”."""
    locked = _locked_open(assessment)
    comment = comment.strip()
    if code not in pinned.question_ids or pinned.question(code).answered_by != "figure":
        raise ValidationError("Choose one of the trust's figures to query.")
    if not comment:
        raise ValidationError(
            "Say what you think is wrong with the figure, and why, so the lead can check it."
        )
    if len(comment) > QUERY_MAX:
        raise ValidationError(
            f"Shorten your query to {QUERY_MAX} characters or fewer (it has {len(comment)})."
        )
    state = figures_of(assessment=locked, pinned=pinned)[code]
    return FigureQuery.objects.create(
        assessment=locked,
        question_id=pinned.question_ids[code],
        raised_by=user,
        comment=comment,
        value_queried=state.value,
    )


@transaction.atomic
def figure_query_resolve(
    *,
    assessment: Assessment,
    user: Any,
    pinned: PinnedQuestionnaire,
    query: FigureQuery,
    change: FigureChange,
    reply: str,
) -> FigureQuery:
    """The lead resolves a query: the figure changed (when the value or source given differs
    from the figure as it stands) or kept, with a reply the member sees."""
    locked = _locked_open(assessment)
    query = FigureQuery.objects.select_for_update().get(pk=query.pk, assessment=locked)
    if not query.is_open:
        raise ValidationError("This query has been resolved already.")
    reply = reply.strip()
    if not reply:
        raise ValidationError("Write a reply: say why the figure changed or why it stands.")
    if len(reply) > QUERY_MAX:
        raise ValidationError(f"Shorten the reply to {QUERY_MAX} characters or fewer.")
    state = figures_of(assessment=locked, pinned=pinned)[change.code]
    changed = (change.value, change.source.strip()) != (state.value, state.source)
    if changed:
        figures_save(assessment=locked, user=user, pinned=pinned, changes=[change])
    query.outcome = FigureQuery.Outcome.CHANGED if changed else FigureQuery.Outcome.KEPT
    query.reply, query.resolved_by, query.resolved_at = reply, user, timezone.now()
    query.save(update_fields=["outcome", "reply", "resolved_by", "resolved_at"])
    return query
