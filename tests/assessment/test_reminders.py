"""Response deadlines and their reminders: queued for the right moments, sent only to
members who have not finished and are still answering, only while the deadline stands, and
never twice to the same member for the same reminder, however often or concurrently the
reminder task runs, and even when the deadline is moved and moved back."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessment.models import Assessment, Respondent
from assessment.models_reminders import ReminderSent
from assessment.services.reminders import (
    REMINDER_SUBJECTS,
    deadline_set,
    reminders_send,
)
from assessment.services.submissions import assessment_submit
from tests.assessment.conftest import client_for
from tests.assessment.journey import REASONS, answer_everything, enter_figures
from tests.personas import load_persona, persona_paths

LONDON = ZoneInfo("Europe/London")
URL = "https://assess.example.nhs.uk/assessments/1/response/"
BEFORE, ON_THE_DAY = ReminderSent.Kind.BEFORE.value, ReminderSent.Kind.ON_THE_DAY.value


def _in(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def _send(assessment: Assessment, kind: str, deadline: date, capture) -> int:
    with capture(execute=True):
        return reminders_send(
            assessment_id=assessment.pk, kind=kind, deadline=deadline.isoformat(), tasks_url=URL
        )


def _set_deadline(assessment: Assessment, deadline: date) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(response_deadline=deadline)


@pytest.fixture
def queued(settings):
    """Tasks go to the database queue, where the test can read them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db
@pytest.mark.usefixtures("queued")
def test_setting_the_deadline_queues_reminders_three_days_before_and_on_the_day_at_nine(
    assessment, django_capture_on_commit_callbacks
) -> None:
    deadline = _in(20)
    with django_capture_on_commit_callbacks(execute=True):
        deadline_set(assessment=assessment, deadline=deadline, tasks_url=URL)

    assessment.refresh_from_db()
    assert assessment.response_deadline == deadline
    queued = {
        row.args_kwargs["kwargs"]["kind"]: row
        for row in DBTaskResult.objects.filter(task_path="assessment.tasks.send_reminders")
    }
    assert set(queued) == {BEFORE, ON_THE_DAY}
    assert queued[BEFORE].run_after == datetime.combine(
        deadline - timedelta(days=3), datetime.min.time().replace(hour=9), tzinfo=LONDON
    )
    assert queued[ON_THE_DAY].run_after == datetime.combine(
        deadline, datetime.min.time().replace(hour=9), tzinfo=LONDON
    )
    assert queued[ON_THE_DAY].args_kwargs["kwargs"] == {
        "assessment_id": assessment.pk,
        "kind": ON_THE_DAY,
        "deadline": deadline.isoformat(),
        "tasks_url": URL,
    }


@pytest.mark.django_db
@pytest.mark.usefixtures("queued")
def test_a_deadline_two_days_away_queues_only_the_reminder_on_the_day(
    assessment, django_capture_on_commit_callbacks, settings
) -> None:
    settings.REMINDER_DAYS_BEFORE = 5
    with django_capture_on_commit_callbacks(execute=True):
        deadline_set(assessment=assessment, deadline=_in(2), tasks_url=URL)
    kinds = [
        row.args_kwargs["kwargs"]["kind"]
        for row in DBTaskResult.objects.filter(task_path="assessment.tasks.send_reminders")
    ]
    assert kinds == [ON_THE_DAY]


@pytest.mark.django_db
@pytest.mark.usefixtures("queued")
def test_nothing_is_queued_when_the_deadline_is_rolled_back(assessment) -> None:
    from django.db import transaction

    def failed_request() -> None:
        with transaction.atomic():
            deadline_set(assessment=assessment, deadline=_in(20), tasks_url=URL)
            raise RuntimeError("the request failed after the deadline was set")

    with pytest.raises(RuntimeError, match="the request failed"):
        failed_request()
    assessment.refresh_from_db()
    assert assessment.response_deadline is None
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days", "message"),
    [
        (0, "Enter a deadline in the future"),
        (-3, "Enter a deadline in the future"),
        (366, "Enter a deadline within a year from today"),
    ],
)
def test_the_service_refuses_a_deadline_today_past_or_over_a_year_away(
    assessment, days: int, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        deadline_set(assessment=assessment, deadline=_in(days), tasks_url=URL)
    assessment.refresh_from_db()
    assert assessment.response_deadline is None


@pytest.mark.django_db
def test_reminders_go_only_to_members_who_have_not_finished_and_were_not_removed(
    assessment, board, trust_lead, django_capture_on_commit_callbacks
) -> None:
    deadline = _in(3)
    _set_deadline(assessment, deadline)
    finished, removed, waiting = (
        Respondent.objects.get(assessment=assessment, user=member.user) for member in board
    )
    Respondent.objects.filter(pk=finished.pk).update(completed_at=timezone.now())
    Respondent.objects.filter(pk=removed.pk).update(
        removed_at=timezone.now(), removed_by=trust_lead.user
    )

    assert _send(assessment, BEFORE, deadline, django_capture_on_commit_callbacks) == 1

    [sent] = mail.outbox
    assert sent.to == [waiting.user.email]
    assert sent.subject == REMINDER_SUBJECTS[BEFORE]
    assert URL in sent.body
    assert f"{deadline:%A} {deadline.day} {deadline:%B %Y}" in sent.body
    assert list(ReminderSent.objects.values_list("respondent", "kind", "deadline")) == [
        (waiting.pk, BEFORE, deadline)
    ]


@pytest.mark.django_db
def test_running_a_reminder_twice_sends_it_once(
    assessment, board, django_capture_on_commit_callbacks
) -> None:
    deadline = _in(1)
    _set_deadline(assessment, deadline)
    assert _send(assessment, ON_THE_DAY, deadline, django_capture_on_commit_callbacks) == 3
    assert _send(assessment, ON_THE_DAY, deadline, django_capture_on_commit_callbacks) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.user.email for m in board)
    assert ReminderSent.objects.count() == 3
    # The other reminder for the same deadline is its own, sent once too.
    assert _send(assessment, BEFORE, deadline, django_capture_on_commit_callbacks) == 3
    assert len(mail.outbox) == 6


@pytest.mark.django_db
def test_a_moved_deadline_silences_the_old_reminders_and_moving_it_back_sends_nothing_twice(
    assessment, board, django_capture_on_commit_callbacks
) -> None:
    first, second = _in(10), _in(20)
    _set_deadline(assessment, first)
    assert _send(assessment, BEFORE, first, django_capture_on_commit_callbacks) == 3

    _set_deadline(assessment, second)
    assert _send(assessment, BEFORE, first, django_capture_on_commit_callbacks) == 0
    assert _send(assessment, ON_THE_DAY, first, django_capture_on_commit_callbacks) == 0

    _set_deadline(assessment, first)  # and back: the reminder queued again finds it sent
    assert _send(assessment, BEFORE, first, django_capture_on_commit_callbacks) == 0
    assert _send(assessment, BEFORE, second, django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 3
    assert _send(assessment, ON_THE_DAY, first, django_capture_on_commit_callbacks) == 3
    assert len(mail.outbox) == 6


@pytest.mark.django_db
def test_a_submitted_assessment_sends_no_reminders(
    assessment, board, trust_lead, django_capture_on_commit_callbacks
) -> None:
    answers = load_persona(persona_paths()[0])["answers"]
    answer_everything(client_for(board[0]), assessment, answers)
    enter_figures(client_for(trust_lead), assessment, answers)
    deadline = _in(5)
    _set_deadline(assessment, deadline)
    assessment.refresh_from_db()
    assessment_submit(assessment=assessment, user=trust_lead.user, reasons=REASONS)
    mail.outbox.clear()
    assert _send(assessment, BEFORE, deadline, django_capture_on_commit_callbacks) == 0
    assert not mail.outbox
    assert not ReminderSent.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
def test_two_overlapping_runs_of_a_reminder_send_each_member_one_email(assessment, board) -> None:
    """Two workers pick up the same reminder at the same moment (a task queued twice: the
    deadline moved and moved back). Each runs in its own thread and connection."""
    deadline = _in(4)
    _set_deadline(assessment, deadline)
    runs = 2
    barrier = threading.Barrier(runs)
    counts: list[int] = []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            counts.append(
                reminders_send(
                    assessment_id=assessment.pk,
                    kind=BEFORE,
                    deadline=deadline.isoformat(),
                    tasks_url=URL,
                )
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(counts) == [0, len(board)]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.user.email for m in board)
    assert ReminderSent.objects.filter(kind=BEFORE, deadline=deadline).count() == len(board)
