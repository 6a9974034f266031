"""Starting an assessment and bringing the board in: invitations and respondents."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessment import selectors
from assessment.models import (
    AgreedAnswer,
    Assessment,
    Figure,
    Invitation,
    Membership,
    Organisation,
    Question,
    Respondent,
    Submission,
)
from assessment.models_figures import SOURCE_MAX
from assessment.models_withdrawals import StartingPoint
from assessment.scoring import definitions as d
from assessment.scoring.answers import Problem, parse_answer
from assessment.selectors.editions import edition_changes
from assessment.selectors.questionnaires import PinnedQuestionnaire
from assessment.services.accounts import membership_ensure
from assessment.services.mail import mail_send_later
from models_catalogue import selectors as catalogue_selectors

INVITATION_SALT = "assessment-invitation"
INVITATION_DAYS = 14
# Subjects are fixed text: what a lead types (a title, a name) goes in the body only, so
# that it cannot make an email look as if it came from someone else, or add a header.
INVITATION_SUBJECT = "Invitation to answer your board's sustainability assessment"
ADDED_SUBJECT = "You are asked to answer your board's sustainability assessment"


class InvitationInvalid(Exception):
    """A link that cannot be used; the message says why and what to do."""


@transaction.atomic
def assessment_create(
    *, organisation: Organisation, title: str, reporting_period: str, user: Any
) -> Assessment:
    """A new assessment pinned to the questionnaire and catalogue published now."""
    return Assessment.objects.create(
        organisation=organisation,
        title=title.strip(),
        reporting_period=reporting_period.strip(),
        questionnaire_version=selectors.questionnaire_published(),
        catalogue_version=catalogue_selectors.catalogue_published(),
        created_by=user,
    )


@transaction.atomic
def assessment_create_from(
    *, organisation: Organisation, title: str, reporting_period: str, user: Any, source: Assessment
) -> Assessment:
    """A new assessment, as `assessment_create`, given the figures (with their sources)
    and the agreed judgements of an earlier assessment of the same trust, open, submitted or
    withdrawn, as starting values for the board to confirm.

    Only what fits the new assessment's questionnaire is copied: a question it no longer
    has, or a value it no longer accepts, is left for the board to answer afresh.
    """
    if source.organisation_id != organisation.pk:
        raise ValidationError(
            "Choose an earlier assessment of this trust to start from, or start afresh."
        )
    assessment = assessment_create(
        organisation=organisation, title=title, reporting_period=reporting_period, user=user
    )
    pinned = selectors.pinned_for(assessment)
    dropped: dict[str, str] = {}
    figures = [
        Figure(
            assessment=assessment,
            question_id=pinned.question_ids[code],
            value=value,
            source=source_text,
            updated_by=user,
        )
        for code, value, source_text in _figures_of(source)
        if _fits(pinned, code, value, d.FIGURE, dropped)
        and (source_text.strip() or value in ("dk", "na"))
        and len(source_text) <= SOURCE_MAX
    ]
    Figure.objects.bulk_create(figures)
    agreed = [
        AgreedAnswer(
            assessment=assessment,
            question_id=pinned.question_ids[code],
            value=value,
            rationale=rationale,
            updated_by=user,
        )
        for code, value, rationale in _judgements_of(source)
        if _fits(pinned, code, value, d.JUDGEMENT, dropped)
    ]
    AgreedAnswer.objects.bulk_create(agreed)
    StartingPoint.objects.create(
        assessment=assessment,
        copied_from=source,
        figures=len(figures),
        agreed=len(agreed),
        dropped=_dropped_entries(dropped, source=source, number=pinned.definition.version),
        copied_by=user,
    )
    return assessment


def _fits(
    pinned: PinnedQuestionnaire, code: str, value: str, answered_by: str, dropped: dict[str, str]
) -> bool:
    """Whether an earlier answer carries into the new assessment; if not, `dropped` says why
    (an unanswered question is simply not carried, with nothing to say)."""
    if not value:
        return False
    number = pinned.definition.version
    if code not in pinned.question_ids:
        dropped[code] = f"Version {number} of the questionnaire no longer asks this question."
        return False
    question = pinned.question(code)
    if question.answered_by != answered_by:
        dropped[code] = (
            f"In version {number} this is "
            + (
                "a figure, entered once for the trust"
                if question.answered_by == d.FIGURE
                else "a judgement each member makes"
            )
            + ", so the earlier answer is left for the board to give afresh."
        )
        return False
    if isinstance(parse_answer(question, value), Problem):
        dropped[code] = (
            f"The earlier answer ({value}) is not one version {number} accepts for this "
            "question: answer it afresh."
        )
        return False
    return True


def _dropped_entries(
    dropped: dict[str, str], *, source: Assessment, number: int
) -> list[dict[str, str]]:
    """Each answer not carried forward, with the earlier question's text and the reason:
    the edition's own reason for a question it removed (assessment/seed/changes-v<N>.yaml)."""
    if not dropped:
        return []
    changes = edition_changes(number)
    texts = dict(
        Question.objects.filter(version_id=source.questionnaire_version_id, code__in=dropped)
        .order_by()
        .values_list("code", "text")
    )
    entries = []
    for code, reason in sorted(dropped.items(), key=lambda item: _code_order(item[0])):
        removed = changes.removed_reason(code) if changes is not None else ""
        entries.append(
            {
                "code": code,
                "text": texts.get(code, ""),
                "reason": f"Removed in version {number}: {removed}" if removed else reason,
            }
        )
    return entries


def _code_order(code: str) -> tuple[str, int]:
    prefix, _, number = code.rpartition("-")
    return (prefix, int(number)) if number.isdigit() else (code, 0)


def _figures_of(source: Assessment) -> list[tuple[str, str, str]]:
    """The earlier assessment's figures as entered, each with its source."""
    return list(
        Figure.objects.filter(assessment=source)
        .exclude(value="")
        .order_by()
        .values_list("question__code", "value", "source")
    )


def _judgements_of(source: Assessment) -> list[tuple[str, str, str]]:
    """The earlier assessment's agreed judgements: as submitted (the defaults the lead kept
    included) once it was submitted; as recorded so far while it is open."""
    if not source.is_open:
        entries = (
            Submission.objects.filter(assessment=source)
            .values_list("agreed_answers", flat=True)
            .first()
        ) or []
        return [
            (entry["code"], entry.get("value", ""), entry.get("rationale", ""))
            for entry in entries
            if entry.get("answered_by", d.JUDGEMENT) == d.JUDGEMENT
        ]
    return list(
        AgreedAnswer.objects.filter(assessment=source)
        .order_by()
        .values_list("question__code", "value", "rationale")
    )


def _refuse_if_submitted(assessment: Assessment) -> None:
    if not assessment.is_open:
        raise ValidationError("This assessment has been submitted, so it can no longer change.")


def respondents_add(*, assessment: Assessment, users: Iterable[Any]) -> list[Respondent]:
    """Add members of the trust as respondents; those already answering are left alone. A
    member the lead had removed comes back, with the answers they had given."""
    _refuse_if_submitted(assessment)
    added = []
    for user in users:
        respondent, created = Respondent.objects.get_or_create(assessment=assessment, user=user)
        if not created and respondent.removed_at is not None:
            respondent.removed_at = None
            respondent.removed_by = None
            respondent.save(update_fields=["removed_at", "removed_by"])
            created = True
        if created:
            added.append(respondent)
    return added


def invitation_token(invitation: Invitation) -> str:
    # The send count makes each resend a new link, and the links sent before it dead.
    return signing.dumps(
        {"invitation": invitation.pk, "email": invitation.email, "sent": invitation.send_count},
        salt=INVITATION_SALT,
    )


def invitation_from_token(token: str) -> Invitation:
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_DAYS * 24 * 3600)
    except signing.SignatureExpired as expired:
        raise InvitationInvalid(
            f"This invitation has expired: links work for {INVITATION_DAYS} days. Ask your "
            "assessment lead to invite you again."
        ) from expired
    except signing.BadSignature as bad:
        raise InvitationInvalid(
            "This invitation link is not complete. Copy the whole link from the email, or ask "
            "your assessment lead to invite you again."
        ) from bad
    invitation = (
        Invitation.objects.select_related("assessment__organisation")
        .filter(pk=data.get("invitation"), email=data.get("email"))
        .first()
    )
    if invitation is None:
        raise InvitationInvalid(
            "This invitation has been withdrawn. Ask your assessment lead if you should answer."
        )
    if invitation.accepted_at is not None:
        raise InvitationInvalid("This invitation has already been used. Sign in to carry on.")
    if invitation.cancelled_at is not None:
        raise InvitationInvalid(
            "This invitation was cancelled. Ask your assessment lead if you should answer."
        )
    if data.get("sent", 1) != invitation.send_count:
        raise InvitationInvalid(
            "This link was replaced by a newer invitation. Use the link in the latest email "
            "from the service, or ask your assessment lead to send it again."
        )
    return invitation


@transaction.atomic
def invitation_create(
    *,
    assessment: Assessment,
    email: str,
    full_name: str,
    user: Any,
    accept_url: Callable[[str], str],
    assessment_url: str,
) -> Invitation:
    """Invite someone to answer, by email. `accept_url(token)` builds the link to accept.

    Someone who already belongs to the trust is added as a respondent straight away and
    told by email; anyone else gets a signed link, valid for fourteen days, to set a
    password. The email is sent once the transaction has committed.
    """
    _refuse_if_submitted(assessment)
    email = email.strip().lower()
    existing = get_user_model().objects.filter(username=email).first()
    if (
        existing is not None
        and Membership.objects.filter(
            user=existing, organisation_id=assessment.organisation_id
        ).exists()
    ):
        respondents_add(assessment=assessment, users=[existing])
        mail_send_later(
            to=email,
            subject=ADDED_SUBJECT,
            template="assessment/email/added.txt",
            context={"assessment": assessment, "url": assessment_url},
        )
        invitation, _ = Invitation.objects.update_or_create(
            assessment=assessment,
            email=email,
            defaults={
                "full_name": full_name.strip(),
                "created_by": user,
                "sent_at": timezone.now(),
                "accepted_at": timezone.now(),
                "accepted_by": existing,
                "cancelled_at": None,
            },
        )
        return invitation
    invitation = (
        Invitation.objects.select_for_update().filter(assessment=assessment, email=email).first()
    )
    if invitation is None:
        invitation = Invitation.objects.create(
            assessment=assessment,
            email=email,
            full_name=full_name.strip(),
            created_by=user,
            sent_at=timezone.now(),
        )
    else:  # invited again, perhaps after a cancellation: a new link, the old ones dead
        invitation.full_name = full_name.strip()
        invitation.created_by = user
        invitation.cancelled_at = None
        invitation.accepted_at = None
        invitation.accepted_by = None
        invitation.sent_at = timezone.now()
        invitation.send_count += 1
        invitation.save()
    _send_invitation(invitation, accept_url)
    return invitation


def _send_invitation(invitation: Invitation, accept_url: Callable[[str], str]) -> None:
    mail_send_later(
        to=invitation.email,
        subject=INVITATION_SUBJECT,
        template="assessment/email/invitation.txt",
        context={
            "assessment": invitation.assessment,
            "invitation": invitation,
            "url": accept_url(invitation_token(invitation)),
            "days": INVITATION_DAYS,
        },
    )


def _pending_invitation(*, assessment: Assessment, pk: int) -> Invitation:
    """One of the assessment's invitations not yet accepted or cancelled, locked."""
    _refuse_if_submitted(assessment)
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("assessment__organisation")
        .filter(assessment=assessment, pk=pk)
        .first()
    )
    if invitation is None:
        raise Invitation.DoesNotExist(pk)
    if invitation.accepted_at is not None:
        raise ValidationError(f"{invitation.email} has already joined the assessment.")
    if invitation.cancelled_at is not None:
        raise ValidationError(
            f"The invitation to {invitation.email} was cancelled. Invite them again to send a "
            "new one."
        )
    return invitation


@transaction.atomic
def invitation_resend(
    *, assessment: Assessment, pk: int, accept_url: Callable[[str], str]
) -> Invitation:
    """Send a pending invitation again with a new link, valid for another fourteen days; the
    links sent before stop working."""
    invitation = _pending_invitation(assessment=assessment, pk=pk)
    invitation.send_count += 1
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["send_count", "sent_at"])
    _send_invitation(invitation, accept_url)
    return invitation


@transaction.atomic
def invitation_cancel(*, assessment: Assessment, pk: int) -> Invitation:
    """Cancel a pending invitation: its link then says so. Inviting the same address again
    sends a new one."""
    invitation = _pending_invitation(assessment=assessment, pk=pk)
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: Any) -> Respondent:
    """Join the trust's board (if not a member yet) and the assessment. Single use."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None and invitation.accepted_by_id != user.pk:
        raise InvitationInvalid("This invitation has already been used. Sign in to carry on.")
    if invitation.cancelled_at is not None:
        raise InvitationInvalid(
            "This invitation was cancelled. Ask your assessment lead if you should answer."
        )
    assessment = invitation.assessment
    if not Membership.objects.filter(
        user=user, organisation_id=assessment.organisation_id
    ).exists():
        membership_ensure(
            user=user, organisation=assessment.organisation, role=Membership.Role.BOARD_MEMBER
        )
    try:
        respondent, _ = Respondent.objects.get_or_create(assessment=assessment, user=user)
    except IntegrityError:  # a double submit of the acceptance form
        respondent = Respondent.objects.get(assessment=assessment, user=user)
    if respondent.removed_at is not None:  # removed by the lead, then invited again
        respondent.removed_at = None
        respondent.removed_by = None
        respondent.save(update_fields=["removed_at", "removed_by"])
    invitation.accepted_at = invitation.accepted_at or timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return respondent


@transaction.atomic
def invitation_accept_new_user(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
) -> Respondent:
    """Create the invited person's account with the password they chose, then accept."""
    from assessment.services.accounts import user_ensure

    if get_user_model().objects.filter(username=invitation.email).exists():
        raise InvitationInvalid("An account with this email address exists. Sign in to carry on.")
    user = user_ensure(
        email=invitation.email, first_name=first_name, last_name=last_name, password=password
    )
    return invitation_accept(invitation=invitation, user=user)
