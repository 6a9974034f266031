"""Withdrawing a submitted assessment.

The submission stays as it was, for the record; a `Withdrawal` beside it says who withdrew
it, when and why. A withdrawn result leaves the trust's history and trend, and its paper is
marked WITHDRAWN on every page. A withdrawal cannot be undone: to record the board's view
again, start a new assessment from this one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from assessment.models import Assessment, Submission, Withdrawal
from assessment.models_withdrawals import REASON_MAX
from assessment.security import log_event


class WithdrawalRefused(ValidationError):
    """The assessment cannot be withdrawn; the message says why and what to do."""


def _name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "someone"


def submission_withdraw(
    *,
    assessment: Assessment,
    user: Any,
    reason: str,
    request: HttpRequest | None = None,
) -> Withdrawal:
    """Withdraw the assessment's submission, with the reason given. A repeated request from
    the same person with the same reason (a second click, a retry) returns the withdrawal
    it made; any other second withdrawal is refused, saying who withdrew it and when."""
    reason = reason.strip()
    if not reason:
        raise WithdrawalRefused("Give the reason for withdrawing the result.")
    if len(reason) > REASON_MAX:
        raise WithdrawalRefused(
            f"Shorten the reason to {REASON_MAX:,} characters or fewer (it has {len(reason):,})."
        )
    try:
        with transaction.atomic():
            locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
            submission = Submission.objects.filter(assessment=locked).only("pk").first()
            if locked.is_open or submission is None:
                raise WithdrawalRefused(
                    "This assessment has not been submitted, so there is no result to "
                    "withdraw. Carry on with it, or start a new assessment instead."
                )
            existing = (
                Withdrawal.objects.select_related("withdrawn_by")
                .filter(submission=submission)
                .first()
            )
            if existing is not None:
                return _repeated(existing, user=user, reason=reason)
            withdrawal = Withdrawal.objects.create(
                submission=submission,
                withdrawn_by=user,
                withdrawn_at=timezone.now(),
                reason=reason,
            )
            # A withdrawn result leaves every system it was shared with, in the same
            # transaction: no system view shows it once the withdrawal is recorded.
            from systems.services import shares_revoke_on_withdrawal

            shares_revoke_on_withdrawal(submission=submission, user=user)
    except IntegrityError:
        # Another request withdrew it between our check and our insert (SQLite has no row
        # locks): the one-to-one constraint kept a single withdrawal.
        existing = Withdrawal.objects.select_related("withdrawn_by").get(
            submission__assessment_id=assessment.pk
        )
        return _repeated(existing, user=user, reason=reason)
    log_event(
        "submission-withdrawn",
        request,
        user=user.get_username(),
        assessment=assessment.pk,
        submission=withdrawal.submission_id,
    )
    return withdrawal


def _repeated(existing: Withdrawal, *, user: Any, reason: str) -> Withdrawal:
    if existing.withdrawn_by_id == getattr(user, "pk", None) and existing.reason == reason:
        return existing
    when = timezone.localtime(existing.withdrawn_at)
    raise WithdrawalRefused(
        f"This result was already withdrawn on {when:%-d %B %Y} by "
        f"{_name(existing.withdrawn_by)}. A withdrawal cannot be changed; to record the "
        "board's view again, start a new assessment from this one."
    )
