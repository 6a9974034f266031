"""Email goes through the real queue: the request stores a task, a database worker (here on
a thread of the test, with its own connection) sends it to a real SMTP server on loopback
(aiosmtpd). Invitations and reminders arrive once each; mail queued while the SMTP server
is down arrives once it is back; a reminder queued twice is still sent once."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django.db import connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from assessment.models import Respondent
from assessment.models_reminders import ReminderSent
from assessment.services.assessments import INVITATION_SUBJECT
from assessment.services.reminders import REMINDER_SUBJECTS
from assessment.tasks import send_reminders
from tests.assessment.conftest import client_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]
WAIT_SECONDS = 30


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"

    def to(self, subject: str) -> list[str]:
        return sorted(m["To"] for m in self.messages if m["Subject"] == subject)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _queue_drained() -> bool:
    return not DBTaskResult.objects.filter(
        status__in=["READY", "RUNNING"], run_after__lte=timezone.now()
    ).exists()


@pytest.fixture
def port() -> int:
    return _free_port()


@pytest.fixture
def smtp_settings(settings, port: int) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    # Retries after 1, 2, 4 ... seconds here, rather than minutes.
    settings.MAIL_RETRY_FIRST_SECONDS = 1
    settings.MAIL_RETRY_ATTEMPTS = 8


@pytest.fixture
def smtp_server(smtp_settings, port: int) -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    yield controller, inbox
    # Stopping one that never started (the test kept it down) is refused: no matter.
    with contextlib.suppress(AssertionError):
        controller.stop()


@pytest.fixture
def worker(smtp_settings) -> Iterator[Worker]:
    """`manage.py db_worker`'s worker, polling every 50 ms on a thread of its own."""
    running = Worker(
        queue_names=["default"],
        interval=0.05,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )

    def run() -> None:
        try:
            running.run()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield running
    running.running = False
    thread.join(timeout=WAIT_SECONDS)
    assert not thread.is_alive(), "the worker did not stop"


def _invite(lead, assessment, *emails: str) -> None:
    client = client_for(lead)
    for number, email in enumerate(emails):
        response = client.post(
            f"/assessments/{assessment.pk}/invite/",
            {"full_name": f"Invited Member {number}", "email": email},
        )
        assert response.status_code == 302


def test_invitations_and_reminders_arrive_once_each(
    smtp_server, worker, assessment, board, trust_lead
) -> None:
    controller, inbox = smtp_server
    controller.start()
    invited = ["a.one@trust.nhs.uk", "b.two@trust.nhs.uk"]
    _invite(trust_lead, assessment, *invited)
    _wait_for(lambda: len(inbox.messages) >= 2, "the invitations")

    # The lead sets a deadline: its two reminders wait in the queue for their day.
    finished, waiting = board[0], board[1:]
    Respondent.objects.filter(assessment=assessment, user=finished.user).update(
        completed_at=timezone.now()
    )
    deadline = timezone.localdate() + timedelta(days=10)
    response = client_for(trust_lead).post(
        f"/assessments/{assessment.pk}/deadline/",
        {"day": deadline.day, "month": deadline.month, "year": deadline.year},
    )
    assert response.status_code == 302
    reminders = DBTaskResult.objects.filter(task_path="assessment.tasks.send_reminders")
    assert reminders.count() == 2
    assert all(row.run_after > timezone.now() for row in reminders)
    time.sleep(0.3)
    assert len(inbox.messages) == 2, "a reminder went before its time"

    # Their day comes; and the same reminders are queued a second time, as a deadline moved
    # away and back would queue them.
    for row in list(reminders):
        send_reminders.enqueue(**row.args_kwargs["kwargs"])
    reminders.update(run_after=timezone.now())
    _wait_for(lambda: len(inbox.messages) >= 2 + 2 * len(waiting), "the reminders")
    _wait_for(_queue_drained, "the queue to empty")
    time.sleep(0.3)

    assert inbox.to(INVITATION_SUBJECT) == invited
    expected = sorted(member.user.email for member in waiting)
    for subject in REMINDER_SUBJECTS.values():
        assert inbox.to(subject) == expected
    assert len(inbox.messages) == 2 + 2 * len(waiting)
    assert ReminderSent.objects.count() == 2 * len(waiting)
    assert not DBTaskResult.objects.filter(status="FAILED").exists()


def test_mail_sent_while_the_smtp_server_is_down_arrives_when_it_is_back(
    smtp_server, worker, assessment, trust_lead
) -> None:
    controller, inbox = smtp_server
    _invite(trust_lead, assessment, "late.arrival@trust.nhs.uk")
    deliveries = DBTaskResult.objects.filter(task_path="assessment.tasks.deliver_email")
    # Refused twice at least (connection refused), each retry queued further ahead.
    _wait_for(lambda: deliveries.count() >= 3, "two failed attempts")
    attempts = sorted(row.args_kwargs["kwargs"]["attempt"] for row in deliveries)
    assert attempts[:3] == [1, 2, 3]
    assert not inbox.messages

    controller.start()
    _wait_for(lambda: inbox.messages, "the invitation once the server is back")
    _wait_for(_queue_drained, "the queue to empty")
    time.sleep(0.3)

    assert inbox.to(INVITATION_SUBJECT) == ["late.arrival@trust.nhs.uk"]
    assert deliveries.filter(return_value=True).count() == 1
    assert not DBTaskResult.objects.filter(status="FAILED").exists()
