"""What was sent to whom and when, so that no member is reminded twice."""

from __future__ import annotations

from django.db import models


class ReminderSent(models.Model):
    """One reminder to one member, for one deadline. The unique constraint is what makes
    sending idempotent: a task run twice, or two workers, send it once."""

    class Kind(models.TextChoices):
        BEFORE = "before", "Before the deadline"
        ON_THE_DAY = "on_the_day", "On the deadline"

    respondent = models.ForeignKey(
        "assessment.Respondent", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    deadline = models.DateField(help_text="The deadline the reminder was for.")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["respondent", "deadline", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "kind", "deadline"], name="reminder_once_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder for {self.deadline} to {self.respondent}"
