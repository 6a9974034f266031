"""The lead's changes to who answers: a member's place on the board, and removing a member.

A removed member's answers stay in the record (the response row and its answers are kept)
but no longer count: the journey's selectors leave them out of the board's progress, the
consensus, the readiness check and the result. Adding or inviting them again brings them
back with those answers (see `respondents_add` and `invitation_accept`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessment.models import Assessment, Membership, Respondent

SUBMITTED = "This assessment has been submitted, so who answers it can no longer change."


def _locked_open(assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_open:
        raise ValidationError(SUBMITTED)
    return locked


@transaction.atomic
def board_role_set(*, assessment: Assessment, respondent: Respondent, board_role: str) -> None:
    """Record where a member sits on the trust's board (blank: not said)."""
    _locked_open(assessment)
    if board_role not in {"", *Membership.BoardRole.values}:
        raise ValidationError("Choose the member's role on the board.")
    Membership.objects.filter(
        organisation_id=assessment.organisation_id, user_id=respondent.user_id
    ).update(board_role=board_role)


@transaction.atomic
def respondent_remove(*, assessment: Assessment, respondent: Respondent, user: Any) -> Respondent:
    """Remove a member from this assessment; their answers are kept but no longer count."""
    _locked_open(assessment)
    locked = Respondent.objects.select_for_update().get(pk=respondent.pk, assessment=assessment)
    if locked.removed_at is None:
        locked.removed_at = timezone.now()
        locked.removed_by = user
        locked.save(update_fields=["removed_at", "removed_by"])
    return locked
