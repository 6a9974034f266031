"""Emails that tell someone their part has come: the figures a lead asks a member to provide,
and the board's answers ready for the lead once every member has finished."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse

from assessment.models import Assessment, Membership, Respondent
from assessment.services.mail import mail_send_later

FIGURES_REQUESTED_SUBJECT = "You are asked to provide figures for your board's assessment"
READY_FOR_BOARD_SUBJECT = "Every board member has answered your sustainability assessment"


def _site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else ""


def figures_requested_later(
    *, assessment: Assessment, section: str, section_name: str, holder_id: int, named_by: Any
) -> None:
    """Tell a member, once the naming commits, that the lead asked them for a section's
    figures."""
    membership = (
        Membership.objects.select_related("user")
        .filter(organisation_id=assessment.organisation_id, user_id=holder_id)
        .first()
    )
    if membership is None:
        return
    mail_send_later(
        to=membership.user.email,
        subject=FIGURES_REQUESTED_SUBJECT,
        template="assessment/email/figures_requested.txt",
        context={
            "assessment": assessment,
            "holder": membership.user,
            "named_by": named_by,
            "section": section_name,
            "url": _site_url(reverse("assessment:figures_section", args=[assessment.pk, section])),
        },
    )


def board_ready_later(*, assessment_id: int) -> None:
    """Once the current transaction commits: if every member still answering has finished,
    tell the trust's leads that the board's answers are ready to agree."""
    transaction.on_commit(lambda: _board_ready_check(assessment_id))


def _board_ready_check(assessment_id: int) -> None:
    assessment = Assessment.objects.select_related("organisation").filter(pk=assessment_id).first()
    if assessment is None or not assessment.is_open:
        return
    counts = Respondent.objects.filter(
        assessment_id=assessment_id,
        removed_at__isnull=True,
        user__in=Membership.objects.filter(organisation_id=assessment.organisation_id).values(
            "user_id"
        ),
    ).aggregate(active=Count("pk"), finished=Count("pk", filter=Q(completed_at__isnull=False)))
    if not counts["active"] or counts["finished"] < counts["active"]:
        return
    leads = Membership.objects.filter(
        organisation_id=assessment.organisation_id,
        role=Membership.Role.LEAD,
        user__is_active=True,
    ).values_list("user__email", flat=True)
    mail_send_later(
        to=[email for email in leads if email],
        subject=READY_FOR_BOARD_SUBJECT,
        template="assessment/email/ready_for_board.txt",
        context={
            "assessment": assessment,
            "members": counts["active"],
            "url": _site_url(reverse("assessment:overview", args=[assessment.pk])),
        },
    )
