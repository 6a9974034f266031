"""The response deadline and the reminders before it.

Setting or changing the deadline queues two reminder tasks, to run at REMINDER_HOUR (in
TIME_ZONE) REMINDER_DAYS_BEFORE days before the deadline and on the day. Nothing is
cancelled when the deadline moves: each task checks, when it runs, that the deadline is
still the one it was queued for and that the assessment is still open, and does nothing
otherwise. A member is reminded only if they have not finished and are still on the board,
and only once per reminder and deadline: the reminder is recorded (a `ReminderSent` row,
unique per member, kind and deadline) before its email is queued, in the same transaction.
So a task run twice, two workers running it at once, or a deadline changed and changed
back never send a member the same reminder twice.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessment.models import Assessment, Membership, Respondent
from assessment.models_reminders import ReminderSent
from assessment.services.mail import mail_send_later

logger = logging.getLogger("assessment.mail")
LONGEST_DAYS = 365
EXAMPLE_DAYS = 14  # the example date in messages: a fortnight ahead
REMINDER_SUBJECTS = {
    ReminderSent.Kind.BEFORE: "Reminder: your board's sustainability assessment is due soon",
    ReminderSent.Kind.ON_THE_DAY: "Reminder: your board's sustainability assessment is due today",
}


def _example(day: date) -> str:
    return f"{day.day} {day.month} {day.year}"


def deadline_problem(deadline: date, *, today: date) -> str | None:
    """What is wrong with a deadline, in words that say how to put it right; None if fine."""
    if deadline <= today:
        return (
            "Enter a deadline in the future, for example "
            f"{_example(today + timedelta(days=EXAMPLE_DAYS))}"
        )
    latest = today + timedelta(days=LONGEST_DAYS)
    if deadline > latest:
        return f"Enter a deadline within a year from today, on or before {_example(latest)}"
    return None


def reminder_times(deadline: date) -> dict[str, datetime]:
    """When each reminder for `deadline` is due, as aware datetimes."""
    zone = ZoneInfo(settings.TIME_ZONE)
    at = time(hour=settings.REMINDER_HOUR)
    times = {ReminderSent.Kind.ON_THE_DAY.value: datetime.combine(deadline, at, tzinfo=zone)}
    if settings.REMINDER_DAYS_BEFORE > 0:
        before = deadline - timedelta(days=settings.REMINDER_DAYS_BEFORE)
        times[ReminderSent.Kind.BEFORE.value] = datetime.combine(before, at, tzinfo=zone)
    return times


@transaction.atomic
def deadline_set(*, assessment: Assessment, deadline: date | None, tasks_url: str) -> Assessment:
    """Set (or, with None, clear) the date members are asked to finish by, and queue its
    reminders once the change commits. `tasks_url` is the members' page the reminders link
    to."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_open:
        raise ValidationError("This assessment has been submitted, so it can no longer change.")
    if deadline is not None:
        problem = deadline_problem(deadline, today=timezone.localdate())
        if problem:
            raise ValidationError(problem)
    if locked.response_deadline == deadline:
        return locked
    locked.response_deadline = deadline
    locked.save(update_fields=["response_deadline"])
    if deadline is not None:
        transaction.on_commit(lambda: _schedule(locked.pk, deadline, tasks_url))
    return locked


def _schedule(assessment_id: int, deadline: date, tasks_url: str) -> None:
    from assessment.tasks import send_reminders

    if not send_reminders.get_backend().supports_defer:
        # A backend that runs each task at once (the test suite's) cannot wait for a date.
        logger.warning("Reminders for %s not queued: the task backend cannot defer", deadline)
        return
    now = timezone.now()
    for kind, run_after in reminder_times(deadline).items():
        if run_after <= now:
            continue  # a deadline set closer than the reminder: the day's reminder is enough
        send_reminders.using(run_after=run_after).enqueue(
            assessment_id=assessment_id,
            kind=kind,
            deadline=deadline.isoformat(),
            tasks_url=tasks_url,
        )


@transaction.atomic
def reminders_send(*, assessment_id: int, kind: str, deadline: str, tasks_url: str) -> int:
    """Remind each member who has not finished, once. Returns how many were reminded now."""
    day = date.fromisoformat(deadline)
    kind = ReminderSent.Kind(kind)
    # The lock makes two runs of the same reminder take turns; the unique row below would
    # stop a second reminder even without it.
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("organisation")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None or not assessment.is_open or assessment.response_deadline != day:
        return 0
    due = (
        Respondent.objects.filter(
            assessment=assessment,
            completed_at__isnull=True,
            removed_at__isnull=True,
            locked_at__isnull=True,
            user__is_active=True,
            user__in=Membership.objects.filter(organisation_id=assessment.organisation_id).values(
                "user_id"
            ),
        )
        .select_related("user")
        .order_by("pk")
    )
    reminded = []
    for respondent in due:
        try:
            with transaction.atomic():
                ReminderSent.objects.create(respondent=respondent, kind=kind, deadline=day)
        except IntegrityError:
            continue  # reminded already, by an earlier run
        reminded.append(respondent)
    for respondent in reminded:
        context: dict[str, Any] = {
            "assessment": assessment,
            "respondent": respondent,
            "deadline": day,
            "on_the_day": kind == ReminderSent.Kind.ON_THE_DAY,
            "url": tasks_url,
        }
        mail_send_later(
            to=respondent.user.email,
            subject=REMINDER_SUBJECTS[kind],
            template="assessment/email/reminder.txt",
            context=context,
        )
    return len(reminded)
