"""Email from the board journey: rendered in the request, sent by the task queue.

Nothing is sent while a request waits. A message is rendered where the facts are (the
templates are plain text with autoescaping off, so "O'Brien & Sons" arrives as typed) and
queued once the transaction that caused it commits, so nothing goes out for a write that
was rolled back. The worker sends it; when the SMTP server refuses or cannot be reached, it
tries again later, further apart each time (see `mail_deliver`).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger("assessment.mail")


def mail_send_later(
    *, to: str | Iterable[str], subject: str, template: str, context: dict[str, Any]
) -> None:
    """Queue one message per recipient once the current transaction commits."""
    recipients = [to] if isinstance(to, str) else sorted(set(to))
    body = render_to_string(template, context)
    for recipient in recipients:
        transaction.on_commit(_enqueue(recipient, subject, body))


def _enqueue(recipient: str, subject: str, body: str) -> Any:
    def enqueue() -> None:
        from assessment.tasks import deliver_email

        deliver_email.enqueue(to=recipient, subject=subject, body=body, attempt=1)

    return enqueue


def retry_delay(attempt: int) -> timedelta:
    """How long to wait after failed attempt number `attempt`: 1, 2, 4, 8 ... times the first
    delay, never more than the longest."""
    first = settings.MAIL_RETRY_FIRST_SECONDS
    longest = settings.MAIL_RETRY_MAX_MINUTES * 60
    return timedelta(seconds=min(first * 2 ** (attempt - 1), longest))


def mail_deliver(*, to: str, subject: str, body: str, attempt: int) -> bool:
    """Send one message. On an SMTP failure, queue it again after `retry_delay`, until the
    last attempt, which is logged as failed. True when it was sent."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        if attempt >= settings.MAIL_RETRY_ATTEMPTS:
            logger.error(
                "Email %r to %s failed after %d attempts, the last with %s: %s",
                subject,
                to,
                attempt,
                type(error).__name__,
                error,
            )
            return False
        from assessment.tasks import deliver_email

        delay = retry_delay(attempt)
        if not deliver_email.get_backend().supports_defer:
            raise  # a backend that runs tasks at once cannot wait: the failure is reported
        deliver_email.using(run_after=timezone.now() + delay).enqueue(
            to=to, subject=subject, body=body, attempt=attempt + 1
        )
        logger.warning(
            "Email %r to %s not sent (attempt %d, %s: %s); trying again in %d seconds",
            subject,
            to,
            attempt,
            type(error).__name__,
            error,
            delay.total_seconds(),
        )
        return False
    logger.info("Email %r sent to %s (attempt %d)", subject, to, attempt)
    return True
