"""A board member's own answers: saved as they change, never overwritten silently.

Every answer carries a version that rises with each change. A save names the version the
member's page was showing; if the stored answer has moved on since (another tab, another
window) and says something different, the save is refused with both answers, and nothing
from that save is written. Saves of one member are serialised by locking their respondent
row, so two tabs cannot both win a race. Members do not wait for each other: the
assessment row is not locked. A submission locks every response instead (it sets
`locked_at` on each, before it reads the answers), so a save either commits before the
submission reads, or waits for it and then finds its response locked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessment.models import Answer, Respondent
from assessment.scoring.answers import Problem, answer_label, parse_answer, validate_answers
from assessment.scoring.definitions import JUDGEMENT
from assessment.selectors.questionnaires import PinnedQuestionnaire


@dataclass(frozen=True)
class AnswerChange:
    """One answer as a page submitted it. `version` is the version the page was opened
    with: 0 when there was no answer yet."""

    code: str
    value: str
    note: str
    version: int


@dataclass(frozen=True)
class Conflict:
    code: str
    saved_value: str
    saved_label: str
    saved_note: str
    your_value: str
    your_label: str
    current_version: int


class StaleAnswers(Exception):
    """Answers changed elsewhere since the page was opened; nothing was saved."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        super().__init__(", ".join(conflict.code for conflict in conflicts))


class ImportRefused(Exception):
    """An import with problems; `problems` lists every one, and nothing was saved."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Saved:
    code: str
    version: int
    saved_at: str


def _label(pinned: PinnedQuestionnaire, code: str, value: str) -> str:
    question = pinned.question(code)
    parsed = parse_answer(question, value) if value else None
    return answer_label(question, None if isinstance(parsed, Problem) else parsed)


def _lock(respondent: Respondent) -> None:
    """Lock the member's response until the transaction ends, reading afresh what may have
    changed since their page read it: started, completed, or locked by a submission."""
    respondent.refresh_from_db(
        from_queryset=Respondent.objects.select_for_update(),
        fields=["started_at", "completed_at", "locked_at", "removed_at"],
    )


def _submitted(respondent: Respondent) -> bool:
    # The response's own lock, read afresh under its row lock, decides a change that raced
    # the submission; the assessment's status covers everything else.
    return respondent.locked_at is not None or not respondent.assessment.is_open


def _refuse_unless_editable(respondent: Respondent) -> None:
    if respondent.removed_at is not None:
        raise ValidationError(
            "Your assessment lead has removed you from this assessment, so your answers can no "
            "longer change. Ask them if you should still answer."
        )
    if _submitted(respondent):
        raise ValidationError(
            "The board's answers have been submitted, so answers can no longer change."
        )
    if respondent.completed_at is not None:
        raise ValidationError(
            "You marked your response as complete. Reopen it to change your answers."
        )


def _check_values(pinned: PinnedQuestionnaire, changes: Iterable[AnswerChange]) -> None:
    problems = []
    for change in changes:
        if change.code not in pinned.question_ids:
            problems.append(f"There is no question {change.code} in this questionnaire.")
        elif pinned.question(change.code).answered_by != JUDGEMENT:
            problems.append(
                f"{change.code} is one of the trust's figures: it is entered once for the trust, "
                "with its source. If you think it is wrong, query it."
            )
        elif change.value:
            parsed = parse_answer(pinned.question(change.code), change.value)
            if isinstance(parsed, Problem):
                problems.append(parsed.message)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def answers_save(
    *, respondent: Respondent, pinned: PinnedQuestionnaire, changes: list[AnswerChange]
) -> list[Saved]:
    """Save a page of answers whole, or raise StaleAnswers and save none of them."""
    _lock(respondent)
    _refuse_unless_editable(respondent)
    _check_values(pinned, changes)
    ids = {change.code: pinned.question_ids[change.code] for change in changes}
    rows = {
        pinned.codes_by_id[row.question_id]: row
        # No ordering: the default one would join the questions and respondents.
        for row in Answer.objects.filter(
            respondent=respondent, question_id__in=ids.values()
        ).order_by()
    }
    conflicts = []
    for change in changes:
        row = rows.get(change.code)
        current = row.version if row else 0
        unchanged = (row.value, row.note) if row else ("", "")
        if change.version != current and unchanged != (change.value, change.note):
            conflicts.append(
                Conflict(
                    code=change.code,
                    saved_value=unchanged[0],
                    saved_label=_label(pinned, change.code, unchanged[0]),
                    saved_note=unchanged[1],
                    your_value=change.value,
                    your_label=_label(pinned, change.code, change.value),
                    current_version=current,
                )
            )
    if conflicts:
        raise StaleAnswers(conflicts)
    now = timezone.now()
    saved = []
    for change in changes:
        row = rows.get(change.code)
        if row is None:
            if not (change.value or change.note):
                continue
            row = Answer(
                respondent=respondent,
                question_id=ids[change.code],
                value=change.value,
                note=change.note,
            )
            row.save()
        elif (row.value, row.note) != (change.value, change.note):
            row.value, row.note, row.version = change.value, change.note, row.version + 1
            row.save(update_fields=["value", "note", "version", "updated_at"])
        saved.append(Saved(code=change.code, version=row.version, saved_at=now.isoformat()))
    if respondent.started_at is None and saved:
        respondent.started_at = now
        respondent.save(update_fields=["started_at"])
    return saved


@transaction.atomic
def answers_import(
    *, respondent: Respondent, pinned: PinnedQuestionnaire, rows: Mapping[str, tuple[str, str]]
) -> int:
    """Import answers (code -> (value, note)) over the member's own; all or nothing. Rows
    for the trust's figures are left out: figures are entered once for the trust."""
    _lock(respondent)
    _refuse_unless_editable(respondent)
    figures = {question.code for question in pinned.figures}
    rows = {code: row for code, row in rows.items() if code not in figures}
    validation = validate_answers(
        pinned.definition, {code: value for code, (value, _) in rows.items()}
    )
    problems = [f"{p.question}: {p.message}" for p in validation.problems]
    if problems:
        raise ImportRefused(problems)
    normalised = {answer.question: answer.text for answer in validation.answers}
    current = {
        pinned.codes_by_id[row.question_id]: row.version
        for row in Answer.objects.filter(respondent=respondent)
    }
    changes = [
        AnswerChange(
            code=code,
            value=normalised.get(code, ""),
            note=note,
            version=current.get(code, 0),
        )
        for code, (_, note) in rows.items()
    ]
    return len(answers_save(respondent=respondent, pinned=pinned, changes=changes))


@transaction.atomic
def response_complete(*, respondent: Respondent, pinned: PinnedQuestionnaire) -> None:
    """Mark a member's response complete once every judgement question has an answer
    ("don't know" counts: it says the evidence is missing). Figures are not theirs to give."""
    _lock(respondent)
    if _submitted(respondent):
        raise ValidationError("The board's answers have been submitted already.")
    answered = set(
        pinned.codes_by_id[question_id]
        for question_id in Answer.objects.filter(respondent=respondent)
        .exclude(value="")
        .values_list("question_id", flat=True)
    )
    missing = [q for q in pinned.judgements if q.code not in answered]
    if missing:
        raise ValidationError(
            [f"{q.code}: {q.text} Answer it, or choose “I don't know”." for q in missing]
        )
    if respondent.completed_at is None:
        respondent.completed_at = timezone.now()
        respondent.save(update_fields=["completed_at"])
        # The last member to finish tells the leads the board's answers are ready.
        from assessment.services.notices import board_ready_later

        board_ready_later(assessment_id=respondent.assessment_id)


@transaction.atomic
def response_reopen(*, respondent: Respondent) -> None:
    _lock(respondent)
    if _submitted(respondent):
        raise ValidationError("The board's answers have been submitted, so they cannot reopen.")
    if respondent.completed_at is not None:
        respondent.completed_at = None
        respondent.save(update_fields=["completed_at"])
