"""Reads for the board journey. Every function runs a fixed number of queries, whatever the
number of questions, forms or members; pages pin those numbers in their tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from assessment.models import (
    AgreedAnswer,
    Answer,
    AnsweredBy,
    Assessment,
    Invitation,
    Membership,
    Organisation,
    Respondent,
    Submission,
)
from assessment.models_withdrawals import StartingPoint
from assessment.scoring import definitions as d
from assessment.scoring.answers import Answer as EngineAnswer
from assessment.scoring.answers import Problem, parse_answer
from assessment.selectors.questionnaires import PinnedQuestionnaire, questionnaire_pinned

User = AbstractBaseUser | AnonymousUser


def assessment_for_user(*, user: User, pk: int) -> Assessment:
    """An assessment of one of the user's trusts, with the user's role there (`role`).

    Raises Assessment.DoesNotExist for any other assessment, so that views answer 404 and
    never reveal that another trust's assessment exists. One query: the join that limits
    the assessment to the user's trusts also brings the user's role.
    """
    return (
        Assessment.objects.select_related(
            "organisation", "questionnaire_version", "catalogue_version"
        )
        # The pinned versions are only needed to find their cached definitions.
        .defer(*_VERSION_DETAIL)
        .filter(organisation__memberships__user_id=user.pk)
        .annotate(role=F("organisation__memberships__role"))
        .get(pk=pk)
    )


_VERSION_DETAIL = [
    f"{version}__{field}"
    for version in ("questionnaire_version", "catalogue_version")
    for field in ("note", "created_at", "created_by", "published_by")
] + ["questionnaire_version__verdict_question"]


def organisation_for_user(*, user: User, pk: int) -> Organisation:
    """One of the user's trusts, with the user's role there (`role`); one query."""
    return (
        Organisation.objects.filter(memberships__user_id=user.pk)
        .annotate(role=F("memberships__role"))
        .get(pk=pk)
    )


def is_lead(assessment_or_trust: Any) -> bool:
    return getattr(assessment_or_trust, "role", None) == Membership.Role.LEAD


def respondent_for(*, assessment: Assessment, user: User) -> Respondent | None:
    # No ordering: there is at most one, and the default ordering would join the users.
    found = list(
        Respondent.objects.filter(
            assessment=assessment, user_id=user.pk, removed_at__isnull=True
        ).order_by()[:1]
    )
    return found[0] if found else None


def own_respondent(*, user: User, pk: int) -> Respondent | None:
    """The user's own response to an assessment of one of their trusts, with the assessment,
    its trust, its pinned questionnaire and the user's `role` there; None if there is no
    such response. One query, whatever the trust's size."""
    found = list(
        # The member's pages show the trust and need the pinned questionnaire, not the
        # catalogue: the results pages load the assessment with `assessment_for_user`.
        Respondent.objects.select_related(
            "assessment__organisation", "assessment__questionnaire_version"
        )
        .filter(
            assessment_id=pk,
            user_id=user.pk,
            removed_at__isnull=True,
            assessment__organisation__memberships__user_id=user.pk,
        )
        .annotate(role=F("assessment__organisation__memberships__role"))
        # No ordering: there is at most one, and the default ordering would join the users.
        .order_by()[:1]
    )
    if not found:
        return None
    respondent = found[0]
    respondent.assessment.role = respondent.role  # type: ignore[attr-defined]
    return respondent


@dataclass(frozen=True)
class HomeAssessment:
    assessment: Assessment
    is_lead: bool
    respondent: Respondent | None


def assessments_for_home(*, user: User) -> list[HomeAssessment]:
    """The user's trusts' assessments, newest first, with their part in each: two queries."""
    assessments = list(
        Assessment.objects.select_related("organisation")
        .filter(organisation__memberships__user_id=user.pk)
        .annotate(role=F("organisation__memberships__role"))
    )
    respondents = {
        r.assessment_id: r
        for r in Respondent.objects.filter(
            user_id=user.pk, assessment__in=assessments, removed_at__isnull=True
        )
    }
    return [
        HomeAssessment(assessment=a, is_lead=is_lead(a), respondent=respondents.get(a.pk))
        for a in assessments
    ]


# --------------------------------------------------------------------------- one member


@dataclass(frozen=True)
class StoredAnswer:
    code: str
    value: str
    note: str
    version: int


def answers_of(*, respondent: Respondent, pinned: PinnedQuestionnaire) -> dict[str, StoredAnswer]:
    """A member's stored answers by question code: one query."""
    codes = pinned.codes_by_id
    return {
        codes[row["question_id"]]: StoredAnswer(
            code=codes[row["question_id"]],
            value=row["value"],
            note=row["note"],
            version=row["version"],
        )
        for row in respondent.answers.order_by().values("question_id", "value", "note", "version")
        if row["question_id"] in codes
    }


@dataclass(frozen=True)
class SectionStatus:
    domain: d.Domain
    number: int
    answered: int
    total: int

    @property
    def label(self) -> str:
        if self.answered == 0:
            return "Not started"
        return "Completed" if self.answered >= self.total else "In progress"


def section_statuses(
    pinned: PinnedQuestionnaire, answers: dict[str, StoredAnswer]
) -> list[SectionStatus]:
    """Each section's progress on the member's own questions, the judgements; no query."""
    return [
        SectionStatus(
            domain=domain,
            number=number,
            answered=sum(
                1
                for question in pinned.judgements_by_section[domain.code]
                if answers.get(question.code) and answers[question.code].value
            ),
            total=len(pinned.judgements_by_section[domain.code]),
        )
        for number, domain in enumerate(pinned.judgement_sections, start=1)
    ]


def engine_answers(
    pinned: PinnedQuestionnaire, values: dict[str, str]
) -> tuple[list[EngineAnswer], list[Problem]]:
    """Stored values as the engine's answers. A stored value that no longer fits (it cannot
    happen through the service, which checks every write) is reported, not guessed."""
    answers: list[EngineAnswer] = []
    problems: list[Problem] = []
    for code, value in values.items():
        if not value:
            continue
        parsed = parse_answer(pinned.question(code), value)
        (problems if isinstance(parsed, Problem) else answers).append(parsed)  # type: ignore[arg-type]
    return answers, problems


# --------------------------------------------------------------------------- the board


@dataclass(frozen=True)
class BoardMember:
    respondent: Respondent
    answered: int

    @property
    def status(self) -> str:
        return self.respondent.status_label


@dataclass(frozen=True)
class BoardProgress:
    members: list[BoardMember]
    invitations: list[Invitation]
    addable: list[Membership]
    total_questions: int
    # Members the lead removed: their answers are kept in the record, not counted.
    removed: list[Respondent] = field(default_factory=list)


def board_progress(*, assessment: Assessment, pinned: PinnedQuestionnaire) -> BoardProgress:
    """Who answers, how far each has got, who is invited, who could be added, and who was
    removed: three queries."""
    respondents = (
        assessment.respondents.select_related("user")
        .annotate(
            answered=Count(
                "answers",
                filter=~Q(answers__value="")
                & Q(answers__question__answered_by=AnsweredBy.JUDGEMENT),
            )
        )
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    everyone = list(respondents)
    members = [
        BoardMember(respondent=r, answered=r.answered) for r in everyone if r.removed_at is None
    ]
    removed = [r for r in everyone if r.removed_at is not None]
    # A removed member can be added back: they are not taken.
    taken = {member.respondent.user_id for member in members}
    invitations = list(
        assessment.invitations.filter(accepted_at__isnull=True, cancelled_at__isnull=True)
    )
    addable = [
        membership
        for membership in Membership.objects.filter(
            organisation_id=assessment.organisation_id
        ).select_related("user")
        if membership.user_id not in taken
    ]
    return BoardProgress(
        members=members,
        invitations=invitations,
        addable=addable,
        total_questions=len(pinned.judgements),
        removed=removed,
    )


def board_members(*, assessment: Assessment) -> list[tuple[int, str]]:
    """The trust's board, as (user id, name) to choose from: one query."""
    return [
        (m.user_id, f"{m.user.get_full_name() or m.user.get_username()} ({m.user.email})")
        for m in Membership.objects.filter(organisation_id=assessment.organisation_id)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    ]


@dataclass(frozen=True)
class MemberAnswer:
    name: str
    value: str
    label: str
    note: str
    # Where the member sits on the board (Membership.BoardRole), or "" if not recorded.
    board_role: str = ""


@dataclass
class ConsensusRow:
    question: d.Question
    section: d.Domain
    members: list[MemberAnswer] = field(default_factory=list)
    median_label: str = ""
    spread: int | None = None
    divergent: bool = False
    default_value: str = ""
    default_label: str = ""
    agreed_value: str = ""
    rationale: str = ""
    version: int = 0
    recorded: bool = False
    note: str = ""


def member_values(
    *, assessment: Assessment, pinned: PinnedQuestionnaire
) -> dict[int, dict[str, Any]]:
    """Every counted member's answers: {respondent id: {"name", "board_role", "answers":
    {code: (value, note)}}}. Members the lead removed are left out. Two queries, whatever
    the number of members or questions."""
    board_role = Membership.objects.filter(
        user_id=OuterRef("user_id"), organisation_id=assessment.organisation_id
    ).values("board_role")[:1]
    respondents = {
        r.pk: {
            "name": r.user.get_full_name() or r.user.get_username(),
            "board_role": r.board_role or "",
            "answers": {},
        }
        for r in assessment.respondents.filter(removed_at__isnull=True)
        .select_related("user")
        .annotate(board_role=Subquery(board_role))
    }
    codes = pinned.codes_by_id
    for row in Answer.objects.filter(respondent__assessment=assessment).values(
        "respondent_id", "question_id", "value", "note"
    ):
        if row["value"] and row["question_id"] in codes and row["respondent_id"] in respondents:
            respondents[row["respondent_id"]]["answers"][codes[row["question_id"]]] = (
                row["value"],
                row["note"],
            )
    return respondents


def agreed_rows(*, assessment: Assessment, pinned: PinnedQuestionnaire) -> dict[str, AgreedAnswer]:
    codes = pinned.codes_by_id
    return {
        codes[row.question_id]: row
        for row in AgreedAnswer.objects.filter(assessment=assessment)
        if row.question_id in codes
    }


def submissions_for(*, organisation: Organisation) -> QuerySet[Submission]:
    """The trust's submissions that stand, oldest first: a withdrawn one is no longer part
    of its history or trend (see `withdrawn_for`)."""
    return (
        Submission.objects.filter(assessment__organisation=organisation, withdrawal__isnull=True)
        .select_related("assessment")
        .order_by("submitted_at")
    )


def previous_submission(*, assessment: Assessment) -> Submission | None:
    """The trust's latest submission that stands from before this assessment's (before now,
    while it is open), to compare with: one query, without the stored result."""
    earlier = (
        Submission.objects.filter(
            assessment__organisation_id=assessment.organisation_id, withdrawal__isnull=True
        )
        .exclude(assessment_id=assessment.pk)
        .select_related("assessment")
        .order_by("-submitted_at", "-pk")
    )
    if assessment.submitted_at is not None:
        earlier = earlier.filter(submitted_at__lt=assessment.submitted_at)
    return earlier.first()


def withdrawn_for(*, organisation: Organisation) -> QuerySet[Submission]:
    """The trust's withdrawn submissions, newest withdrawal first, without their results."""
    return (
        Submission.objects.filter(assessment__organisation=organisation, withdrawal__isnull=False)
        .select_related("assessment", "withdrawal__withdrawn_by")
        .only(
            "pk",
            "submitted_at",
            "assessment__id",
            "assessment__title",
            "assessment__reporting_period",
            "withdrawal__withdrawn_at",
            "withdrawal__reason",
            "withdrawal__withdrawn_by",
            "withdrawal__withdrawn_by__first_name",
            "withdrawal__withdrawn_by__last_name",
            "withdrawal__withdrawn_by__username",
        )
        .order_by("-withdrawal__withdrawn_at")
    )


def earlier_assessments(*, organisation: Organisation) -> QuerySet[Assessment]:
    """The trust's assessments a new one can start from: open, submitted or withdrawn."""
    return (
        Assessment.objects.filter(organisation=organisation)
        .select_related("submission__withdrawal")
        .only(
            "pk",
            "title",
            "reporting_period",
            "status",
            "created_at",
            "organisation_id",
            "submission__id",
            "submission__withdrawal__id",
        )
        .order_by("-created_at", "-pk")
    )


def starting_point(*, assessment: Assessment) -> StartingPoint | None:
    """The earlier assessment this one was given its starting values from, if any."""
    return (
        StartingPoint.objects.select_related("copied_from")
        .filter(assessment=assessment)
        .order_by()
        .first()
    )


def pinned_for(assessment: Assessment) -> PinnedQuestionnaire:
    return questionnaire_pinned(assessment.questionnaire_version)


def submission_stamp(*, assessment: Assessment) -> Submission:
    """The submission's identity, time and withdrawal only, without its large stored result."""
    # The withdrawal, if any, comes in the same query: the page shows it at once.
    return (
        Submission.objects.select_related("withdrawal__withdrawn_by")
        .only(
            "pk",
            "assessment_id",
            "submitted_at",
            "withdrawal__withdrawn_at",
            "withdrawal__reason",
            "withdrawal__withdrawn_by",
            "withdrawal__withdrawn_by__first_name",
            "withdrawal__withdrawn_by__last_name",
            "withdrawal__withdrawn_by__username",
        )
        .get(assessment=assessment)
    )
