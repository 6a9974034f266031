"""The board paper and the data exports, built from one BoardPaper.

A submitted assessment's paper comes from its stored submission alone: the engine is not
run again, so a later change to the catalogue or the questionnaire cannot change it. Before
submission the lead gets a preview from the answers agreed so far, marked as a draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from assessment import selectors
from assessment.models import Assessment, Submission
from assessment.question_forms import value_label
from assessment.reports.paper import (
    NOT_RECORDED,
    AgreedRow,
    BoardPaper,
    CoverSheet,
    MemberAnswer,
    WithdrawnNote,
)
from assessment.scoring.result import Result
from assessment.scoring.summary import SinceLastTime, first_sentence, since_last_time
from assessment.scoring.system_types import PeerPosition
from assessment.services.paper_details import (
    BOARD_ASKED_TO,
    PURPOSES,
    paper_defaults,
    recommendation_default,
)
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
        result = submitted_result(submission)
        return BoardPaper(
            **common,
            cover=_cover(submission.paper_details, assessment=assessment, result=result),
            since=_since(assessment, result),
            peers=None if withdrawn else _peers(assessment, result),
            paper_date=timezone.localtime(submission.submitted_at).date(),
            status="Submitted, then withdrawn" if withdrawn else "Submitted",
            draft=False,
            withdrawn=withdrawn,
            respondents=submission.respondent_count,
            result=result,
            agreed=_agreed_rows(submission.agreed_answers),
            readiness=tuple(
                (item.get("warning", ""), item.get("reason", "")) for item in submission.readiness
            ),
        )
    result, agreed = agreed_now(assessment)
    lead = assessment.created_by or _Unnamed()
    defaults = paper_defaults(assessment=assessment, result=result, user=lead)
    return BoardPaper(
        **common,
        cover=_cover(defaults, assessment=assessment, result=result),
        since=_since(assessment, result),
        paper_date=timezone.localdate(),
        status="Draft: not submitted",
        draft=True,
        respondents=assessment.respondents.filter(removed_at__isnull=True).count(),
        result=result,
        agreed=_agreed_rows(agreed),
    )


@dataclass(frozen=True)
class _Unnamed:
    """Who a draft's cover sheet names as its author when no one is recorded."""

    def get_full_name(self) -> str:
        return "The assessment lead"

    def get_username(self) -> str:
        return self.get_full_name()


def _text(details: dict[str, Any], key: str) -> str:
    return " ".join(str(details.get(key) or "").split())


def _meeting_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _cover(details: dict[str, Any], *, assessment: Assessment, result: Result) -> CoverSheet:
    """The cover sheet from the fields the lead filled in (or the submit page's defaults, for
    a draft). A submission made before the cover sheet existed stored none: its paper gets
    the assessment's title, "Not recorded" for what only the lead could say, the purpose
    for decision, the default recommendation and request of the board, and the leading
    option's main risk."""
    risks = _text(details, "risks")
    if not details and result.ranking:
        risk = first_sentence(result.ranking[0].details.risk_note)
        if risk:
            risks = f"The leading option's main risk: {risk[:1].lower()}{risk[1:]}"
    return CoverSheet(
        title=_text(details, "title") or assessment.title,
        meeting=_text(details, "meeting") or NOT_RECORDED,
        meeting_date=_meeting_date(details.get("meeting_date")),
        agenda_item=_text(details, "agenda_item") or NOT_RECORDED,
        report_of=_text(details, "report_of") or NOT_RECORDED,
        prepared_by=_text(details, "prepared_by") or NOT_RECORDED,
        purpose=PURPOSES.get(_text(details, "purpose"), PURPOSES["decision"]),
        recommendation=_text(details, "recommendation") or recommendation_default(result),
        board_asked_to=_text(details, "board_asked_to") or BOARD_ASKED_TO,
        strategic_objectives=_text(details, "strategic_objectives"),
        assurance_framework=_text(details, "assurance_framework"),
        risks=risks,
        purposes=tuple(PURPOSES.values()),
    )


def _since(assessment: Assessment, result: Result) -> SinceLastTime | None:
    """What changed since the trust's latest earlier submission that stands (for a draft,
    its latest submission that stands), if it has one."""
    previous = selectors.previous_submission(assessment=assessment)
    if previous is None:
        return None
    return since_last_time(result, submitted_result(previous), previous.assessment.reporting_period)


def _peers(assessment: Assessment, result: Result) -> tuple[PeerPosition, ...] | None:
    # The systems app reads the assessment app's models: imported here, not at the top.
    from systems.services import peer_comparison

    return peer_comparison(assessment=assessment, result=result)


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
        cover=CoverSheet(title=name),
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
