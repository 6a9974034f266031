"""The board's agreed answers, the submission and its immutable result.

The consensus of the members' answers (method section 7) gives a default agreed answer for
every question; the lead keeps it or records another, with a rationale where the answer
departs from the default or the members diverged. Submitting computes the result from the
agreed answers and stores it whole, once: a second click, a retry or a concurrent request
returns the same submission.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessment import selectors
from assessment.models import AgreedAnswer, Assessment, Respondent, Submission
from assessment.scoring import definitions as d
from assessment.scoring.answers import Problem, answer_label, parse_answer
from assessment.scoring.consensus import consensus
from assessment.scoring.engine import evaluate
from assessment.scoring.result import Result
from assessment.scoring.serialise import result_from_dict, result_to_dict
from assessment.selectors.figures import FigureState, figure_values, figures_of
from assessment.selectors.journey import ConsensusRow, MemberAnswer
from assessment.selectors.questionnaires import PinnedQuestionnaire
from assessment.services.answers import Conflict, StaleAnswers
from assessment.services.readiness import Readiness, readiness_of
from assessment.services.scoring import definitions_for

REASON_MAX = 2000


class SubmissionRefused(ValidationError):
    """The board's answers are not ready to submit; `problems` says what to do."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(problems)


def _label(pinned: PinnedQuestionnaire, code: str, value: str) -> str:
    if not value:
        return "Not answered"
    question = pinned.question(code)
    parsed = parse_answer(question, value)
    return answer_label(question, None if isinstance(parsed, Problem) else parsed)


def consensus_rows(*, assessment: Assessment) -> list[ConsensusRow]:
    """Per judgement question: each member's answer, the median, spread, divergence, the
    default agreed answer and what the lead has recorded. Four queries.

    Figures are not here: they are entered once for the trust and go to the agreed answers
    as they stand, never divergent (method section 9; see `figures_of`)."""
    pinned = selectors.pinned_for(assessment)
    definitions = definitions_for(assessment)
    members = selectors.member_values(assessment=assessment, pinned=pinned)
    responses = {}
    for pk, member in members.items():
        answers, _ = selectors.engine_answers(
            pinned, {code: value for code, (value, _) in member["answers"].items()}
        )
        responses[str(pk)] = answers
    summary = consensus(pinned.definition, definitions.settings, responses)
    agreed = selectors.agreed_rows(assessment=assessment, pinned=pinned)
    sections = {domain.code: domain for domain in pinned.definition.domains}
    rows = []
    for question, item in zip(pinned.definition.questions, summary.questions, strict=True):
        if question.answered_by != d.JUDGEMENT:
            continue
        default = item.agreed.text if item.agreed else ""
        recorded = agreed.get(question.code)
        row = ConsensusRow(
            question=question,
            section=sections[question.domain],
            members=[
                _member_answer(pinned, question.code, member)
                for member in sorted(members.values(), key=lambda m: m["name"])
            ],
            median_label=(
                f"Level {item.median_level}" if item.median_level is not None else "No level given"
            ),
            spread=item.spread,
            divergent=item.divergent,
            default_value=default,
            default_label=_label(pinned, question.code, default),
            agreed_value=recorded.value if recorded else default,
            rationale=recorded.rationale if recorded else "",
            version=recorded.version if recorded else 0,
            recorded=recorded is not None,
            note=item.note,
        )
        rows.append(row)
    return rows


def _member_answer(pinned: PinnedQuestionnaire, code: str, member: dict[str, Any]) -> MemberAnswer:
    value, note = member["answers"].get(code, ("", ""))
    return MemberAnswer(
        name=member["name"],
        value=value,
        label=_label(pinned, code, value),
        note=note,
        board_role=member.get("board_role", ""),
    )


def rationale_needed(row: ConsensusRow, value: str) -> bool:
    return row.divergent or value != row.default_value


@dataclass(frozen=True)
class AgreedChange:
    """One agreed answer as the lead's page submitted it. `version` is the version the
    page was opened with: 0 when nothing was recorded yet."""

    code: str
    value: str
    rationale: str
    version: int


@dataclass(frozen=True)
class AgreedSaved:
    """One agreed answer after a save: its version now, and whether the save changed what
    the board's answer is (the answer or its rationale), as against what the page showed."""

    code: str
    version: int
    changed: bool


@transaction.atomic
def agreed_answers_save(
    *, assessment: Assessment, user: Any, changes: list[AgreedChange]
) -> list[AgreedSaved]:
    """Record the lead's agreed answers, all or none.

    A save names the version its page showed. If another lead (or another tab) has saved
    a different answer since, it raises StaleAnswers with both answers and writes nothing:
    two tabs never overwrite each other silently. The assessment row is locked first, so
    two saves of the same assessment run one after the other.

    Saving the default answer (the median) with no rationale records it as agreed but
    changes nothing: only a different answer or rationale counts as `changed`."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_open:
        raise ValidationError("This assessment has been submitted; its agreed answers are final.")
    pinned = selectors.pinned_for(assessment)
    problems = []
    for change in changes:
        if change.code not in pinned.question_ids:
            problems.append(f"There is no question {change.code} in this questionnaire.")
        elif pinned.question(change.code).answered_by != d.JUDGEMENT:
            problems.append(
                f"{change.code} is one of the trust's figures: it goes to the agreed answers as "
                "entered, with its source."
            )
        elif change.value:
            parsed = parse_answer(pinned.question(change.code), change.value)
            if isinstance(parsed, Problem):
                problems.append(parsed.message)
    if problems:
        raise ValidationError(problems)
    shown = {row.question.code: row for row in consensus_rows(assessment=assessment)}
    rows = {
        pinned.codes_by_id[row.question_id]: row
        for row in AgreedAnswer.objects.filter(assessment=assessment).order_by()
    }
    conflicts = []
    for change in changes:
        row = rows.get(change.code)
        current = row.version if row else 0
        stored = (row.value, row.rationale) if row else (shown[change.code].default_value, "")
        if change.version != current and stored != (change.value, change.rationale):
            conflicts.append(
                Conflict(
                    code=change.code,
                    saved_value=stored[0],
                    saved_label=_label(pinned, change.code, stored[0]),
                    saved_note=stored[1],
                    your_value=change.value,
                    your_label=_label(pinned, change.code, change.value),
                    current_version=current,
                )
            )
    if conflicts:
        raise StaleAnswers(conflicts)
    saved = []
    for change in changes:
        row = rows.get(change.code)
        if row is None:
            # Until the lead records it, the board's answer is the default, unexplained.
            changed = (change.value, change.rationale) != (shown[change.code].default_value, "")
            row = AgreedAnswer.objects.create(
                assessment=assessment,
                question_id=pinned.question_ids[change.code],
                value=change.value,
                rationale=change.rationale,
                updated_by=user,
            )
        else:
            changed = (row.value, row.rationale) != (change.value, change.rationale)
            if changed:
                row.value, row.rationale = change.value, change.rationale
                row.version += 1
                row.updated_by = user
                row.save(
                    update_fields=["value", "rationale", "version", "updated_by", "updated_at"]
                )
        saved.append(AgreedSaved(code=change.code, version=row.version, changed=changed))
    return saved


def effective_agreed(
    rows: list[ConsensusRow], figures: dict[str, FigureState] | None = None
) -> dict[str, str]:
    """The agreed judgements and the figures as they stand: code -> value."""
    agreed = {row.question.code: row.agreed_value for row in rows if row.agreed_value}
    agreed.update(figure_values(figures or {}))
    return agreed


def figures_now(assessment: Assessment) -> dict[str, FigureState]:
    return figures_of(assessment=assessment, pinned=selectors.pinned_for(assessment))


def live_result(
    *,
    assessment: Assessment,
    rows: list[ConsensusRow] | None = None,
    figures: dict[str, FigureState] | None = None,
) -> Result:
    """The result of the answers agreed so far (defaults where the lead has not recorded
    one) and the figures as they stand: the lead's preview before submission."""
    rows = rows if rows is not None else consensus_rows(assessment=assessment)
    figures = figures if figures is not None else figures_now(assessment)
    definitions = definitions_for(assessment)
    pinned = selectors.pinned_for(assessment)
    answers, _ = selectors.engine_answers(pinned, effective_agreed(rows, figures))
    return evaluate(definitions.questionnaire, definitions.catalogue, definitions.settings, answers)


def agreed_entries(
    pinned: PinnedQuestionnaire, rows: list[ConsensusRow], figures: dict[str, FigureState]
) -> list[dict[str, Any]]:
    """The agreed answers as a submission stores them, in the questionnaire's order: each
    judgement with its rationale and the members' answers, each figure with its source."""
    judgements = {row.question.code: row for row in rows}
    entries = []
    for question in pinned.definition.questions:
        if question.code in figures:
            figure = figures[question.code]
            entries.append(
                {
                    "code": question.code,
                    "question": question.text,
                    "section": figure.section.name,
                    "answered_by": d.FIGURE,
                    "value": figure.value,
                    "label": _label(pinned, question.code, figure.value)
                    if figure.value
                    else "Not entered",
                    "source": figure.provenance if figure.value else "",
                    "rationale": "",
                    "divergent": False,
                    "members": [],
                }
            )
        elif question.code in judgements:
            row = judgements[question.code]
            entries.append(
                {
                    "code": question.code,
                    "question": question.text,
                    "section": row.section.name,
                    "answered_by": d.JUDGEMENT,
                    "value": row.agreed_value,
                    "label": _label(pinned, question.code, row.agreed_value),
                    "rationale": row.rationale,
                    "divergent": row.divergent,
                    "members": [
                        {"name": m.name, "label": m.label, "note": m.note} for m in row.members
                    ],
                }
            )
    return entries


def readiness_now(assessment: Assessment) -> Readiness:
    """What stands between an open assessment and its submission, as it is now."""
    pinned = selectors.pinned_for(assessment)
    rows = consensus_rows(assessment=assessment)
    figures = figures_of(assessment=assessment, pinned=pinned, with_queries=True)
    return readiness_of(
        assessment=assessment,
        rows=rows,
        figures=figures,
        result=live_result(assessment=assessment, rows=rows, figures=figures),
        members=selectors.board_progress(assessment=assessment, pinned=pinned).members,
    )


def _reasons_problems(readiness: Readiness, reasons: Mapping[str, str]) -> list[str]:
    problems = [item.text for item in readiness.blocking]
    for item in readiness.warnings:
        reason = reasons.get(item.key, "").strip()
        if not reason:
            problems.append(
                f"Give the board's reason for submitting although: {item.text[0].lower()}"
                f"{item.text[1:]}"
            )
        elif len(reason) > REASON_MAX:
            problems.append(f"Shorten the reason to {REASON_MAX:,} characters or fewer.")
    return problems


def assessment_submit(
    *,
    assessment: Assessment,
    user: Any,
    reasons: Mapping[str, str] | None = None,
    paper: Mapping[str, str] | None = None,
) -> Submission:
    """Submit once. Concurrent or repeated calls all return the one submission.

    Refused while anything blocks it (see `readiness_of`), or while a warning has no reason
    in `reasons` (by the warning's key): the reasons are stored with the submission, with
    the board paper's cover sheet (`paper`, see services/paper_details.py)."""
    try:
        with transaction.atomic():
            locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
            existing = Submission.objects.filter(assessment=locked).first()
            if existing is not None:
                return existing
            now = timezone.now()
            # Lock every response first: this waits for saves under way to commit (so the
            # answers read next include them), and any save still waiting then finds its
            # response locked. Refused below, the transaction undoes it.
            Respondent.objects.filter(assessment=locked).update(locked_at=now)
            # Members the lead removed are kept in the record, not counted.
            respondents = Respondent.objects.filter(
                assessment=locked, removed_at__isnull=True
            ).count()
            rows = consensus_rows(assessment=locked)
            pinned = selectors.pinned_for(locked)
            figures = figures_of(assessment=locked, pinned=pinned, with_queries=True)
            result = live_result(assessment=locked, rows=rows, figures=figures)
            readiness = readiness_of(
                assessment=locked,
                rows=rows,
                figures=figures,
                result=result,
                members=selectors.board_progress(assessment=locked, pinned=pinned).members,
            )
            given = reasons or {}
            problems = _reasons_problems(readiness, given)
            if problems:
                raise SubmissionRefused(problems)
            submission = Submission.objects.create(
                assessment=locked,
                result=result_to_dict(result),
                verdict=result.verdict.code,
                index=result.index,
                domain_scores={
                    domain.code: str(domain.score)
                    for domain in result.domains
                    if domain.scored and domain.score is not None
                },
                respondent_count=respondents,
                agreed_answers=agreed_entries(pinned, rows, figures),
                paper_details=dict(paper or {}),
                readiness=[
                    {
                        "key": item.key,
                        "warning": item.text,
                        "details": list(item.details),
                        "reason": given[item.key].strip(),
                    }
                    for item in readiness.warnings
                ],
                submitted_by=user,
                submitted_at=now,
            )
            locked.status = Assessment.Status.SUBMITTED
            locked.submitted_at = now
            locked.submitted_by = user
            locked.save(update_fields=["status", "submitted_at", "submitted_by"])
            return submission
    except IntegrityError:
        # Another request submitted between our check and our insert (SQLite has no row
        # locks): the one-to-one constraint kept a single submission; return it.
        return Submission.objects.get(assessment_id=assessment.pk)


_RESULTS: dict[tuple[int, str], Result] = {}
_RESULTS_KEPT = 64


def submitted_result(submission: Submission) -> Result:
    """The stored result, exactly as it was on the day. A submission never changes, so
    each process decodes it once and keeps the last few."""
    key = (submission.pk, submission.submitted_at.isoformat())
    result = _RESULTS.get(key)
    if result is None:
        result = result_from_dict(submission.result)
        if len(_RESULTS) >= _RESULTS_KEPT:
            _RESULTS.pop(next(iter(_RESULTS)))
        _RESULTS[key] = result
    return result
