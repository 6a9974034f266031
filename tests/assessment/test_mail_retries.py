"""When the SMTP server refuses or cannot be reached, an email is queued again further
ahead each time (1, 2, 4 ... minutes, at most an hour apart), and after the last attempt it
is logged as failed rather than tried for ever."""

from __future__ import annotations

import logging
import socket
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessment.services.mail import mail_deliver, retry_delay

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_down(settings) -> None:
    """The database queue, and an SMTP address where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5


@pytest.mark.parametrize(
    ("attempt", "minutes"),
    [(1, 1), (2, 2), (3, 4), (4, 8), (6, 32), (7, 60), (13, 60)],
)
def test_the_wait_doubles_after_each_failure_up_to_an_hour(attempt: int, minutes: int) -> None:
    assert retry_delay(attempt) == timedelta(minutes=minutes)


@pytest.mark.usefixtures("smtp_down")
def test_a_refused_connection_queues_the_email_again_after_the_wait() -> None:
    before = timezone.now()
    assert mail_deliver(to="a@trust.nhs.uk", subject="Subject", body="Body", attempt=3) is False
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "assessment.tasks.deliver_email"
    assert queued.args_kwargs["kwargs"] == {
        "to": "a@trust.nhs.uk",
        "subject": "Subject",
        "body": "Body",
        "attempt": 4,
    }
    assert before + timedelta(minutes=4) <= queued.run_after
    assert queued.run_after <= timezone.now() + timedelta(minutes=4)


@pytest.mark.usefixtures("smtp_down")
def test_the_last_attempt_is_logged_as_failed_and_not_queued_again(settings, caplog) -> None:
    with caplog.at_level(logging.ERROR, logger="assessment.mail"):
        sent = mail_deliver(
            to="a@trust.nhs.uk",
            subject="Subject",
            body="Body",
            attempt=settings.MAIL_RETRY_ATTEMPTS,
        )
    assert sent is False
    assert not DBTaskResult.objects.exists()
    [record] = caplog.records
    assert f"failed after {settings.MAIL_RETRY_ATTEMPTS} attempts" in record.getMessage()
    assert "Body" not in record.getMessage()
