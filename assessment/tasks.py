"""Background tasks (django-tasks; `manage.py db_worker` runs them). Each is a thin shell
around a service, so that the queue is the only thing that knows about the queue."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_email(*, to: str, subject: str, body: str, attempt: int = 1) -> bool:
    """Send one rendered message, queueing it again with back-off if SMTP fails."""
    from assessment.services.mail import mail_deliver

    return mail_deliver(to=to, subject=subject, body=body, attempt=attempt)


@task()
def send_reminders(*, assessment_id: int, kind: str, deadline: str, tasks_url: str) -> int:
    """Remind the members who have not finished, if the deadline still stands; the number of
    members reminded by this run."""
    from assessment.services.reminders import reminders_send

    return reminders_send(
        assessment_id=assessment_id, kind=kind, deadline=deadline, tasks_url=tasks_url
    )
