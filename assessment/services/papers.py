"""The board paper and the data exports, built from one BoardPaper.

A submitted assessment's paper comes from its stored submission alone: the engine is not
run again, so a later change to the catalogue or the questionnaire cannot change it. Before
submission the lead gets a preview from the answers agreed so far, marked as a draft.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from assessment import selectors
from assessment.models import Assessment, Submission
from assessment.question_forms import value_label
from assessment.reports.paper import AgreedRow, BoardPaper, MemberAnswer, WithdrawnNote
from assessment.scoring.result import Result
from assessment.services.submissions import (
    agreed_entries,
    consensus_rows,
    figures_now,
    live_result,
    submitted_result,
)


def _agreed_rows(rows: list[dict[str, Any]]) -> tuple[AgreedRow, ...]:
    return tuple(
        AgreedRow(
            code=row["code"],
            section=row["section"],
            question=row["question"],
            label=row["label"],
            rationale=row.get("rationale", ""),
            divergent=bool(row.get("divergent")),
            is_figure=row.get("answered_by") == "figure",
            source=row.get("source", ""),
            # The whole board reads the paper, so it holds only each member's answer: not
            # who gave it, nor their note. A submission stored without members' answers
            # gives a paper without the counts.
            members=tuple(
                MemberAnswer(name="", label=member.get("label", ""))
                for member in row.get("members", ())
            ),
        )
        for row in rows
    )


def agreed_now(assessment: Assessment) -> tuple[Result, list[dict[str, Any]]]:
    """The live result of an open assessment and its agreed answers, shaped as a
    submission stores them: the lead's preview on the results page and in the paper."""
    rows = consensus_rows(assessment=assessment)
    figures = figures_now(assessment)
    agreed = agreed_entries(selectors.pinned_for(assessment), rows, figures)
    return live_result(assessment=assessment, rows=rows, figures=figures), agreed


def paper_for(assessment: Assessment) -> BoardPaper:
    """The paper of a submitted assessment, from its stored submission; otherwise a draft
    from the answers agreed so far (for the lead, who alone may see it)."""
    organisation = assessment.organisation
    common = {
        "trust_name": organisation.name,
        "ods_code": organisation.ods_code,
        "title": assessment.title,
        "reporting_period": assessment.reporting_period,
    }
    if not assessment.is_open:
        submission = Submission.objects.select_related("withdrawal__withdrawn_by").get(
            assessment=assessment
        )
        withdrawn = _withdrawn_note(submission)
        return BoardPaper(
            **common,
            paper_date=timezone.localtime(submission.submitted_at).date(),
            status="Submitted, then withdrawn" if withdrawn else "Submitted",
            draft=False,
            withdrawn=withdrawn,
            respondents=submission.respondent_count,
            result=submitted_result(submission),
            agreed=_agreed_rows(submission.agreed_answers),
            readiness=tuple(
                (item.get("warning", ""), item.get("reason", "")) for item in submission.readiness
            ),
        )
    result, agreed = agreed_now(assessment)
    return BoardPaper(
        **common,
        paper_date=timezone.localdate(),
        status="Draft: not submitted",
        draft=True,
        respondents=assessment.respondents.filter(removed_at__isnull=True).count(),
        result=result,
        agreed=_agreed_rows(agreed),
    )


def _withdrawn_note(submission: Submission) -> WithdrawnNote | None:
    withdrawal = getattr(submission, "withdrawal", None)
    if withdrawal is None:
        return None
    who = withdrawal.withdrawn_by
    return WithdrawnNote(
        withdrawn_on=timezone.localtime(withdrawal.withdrawn_at).date(),
        withdrawn_by=(who.get_full_name() or who.get_username()) if who else "someone",
        reason=withdrawal.reason,
    )


def paper_for_file(*, result: Result, name: str, today: date) -> BoardPaper:
    """A paper for answers scored from a file by the `assess` command: not a record."""
    return BoardPaper(
        trust_name="Answers file",
        ods_code="",
        title=name,
        reporting_period="Not recorded",
        paper_date=today,
        status="Not from a recorded assessment",
        draft=True,
        respondents=None,
        result=result,
        source_note=f"Scored from the answers file {name} against the published questionnaire "
        "and catalogue. It is not a recorded assessment of any trust.",
    )


def member_answers(assessment: Assessment) -> list[dict[str, Any]]:
    """Every member's own answers, for the lead's exports: one row per member and judgement
    question, and any answer a member gave to a figure before figures were entered once."""
    pinned = selectors.pinned_for(assessment)
    members = selectors.member_values(assessment=assessment, pinned=pinned)
    rows = []
    for member in sorted(members.values(), key=lambda m: m["name"]):
        for question in pinned.definition.questions:
            value, note = member["answers"].get(question.code, ("", ""))
            if question.answered_by != "judgement" and not value:
                continue  # a figure: entered once for the trust, not by each member
            rows.append(
                {
                    "who": member["name"],
                    "code": question.code,
                    "question": question.text,
                    "value": value,
                    "label": value_label(question, value),
                    "note": note,
                }
            )
    return rows


def agreed_answers(assessment: Assessment) -> list[dict[str, Any]]:
    if not assessment.is_open:
        return list(Submission.objects.get(assessment=assessment).agreed_answers)
    return agreed_now(assessment)[1]
