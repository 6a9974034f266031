"""Withdrawn submissions, and where a new assessment took its starting values from.

A submission is never changed or deleted: withdrawing it adds a record beside it saying who
withdrew it, when and why. The withdrawn result stays readable by the board, marked as
withdrawn, and leaves the trust's history and trend.

Imported by `assessment.models`, so Django finds these models in the `assessment` app.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

REASON_MAX = 2000


class Withdrawal(models.Model):
    """The withdrawal of one submission: permanent, like the submission itself."""

    submission = models.OneToOneField(
        "assessment.Submission", on_delete=models.PROTECT, related_name="withdrawal"
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField()
    reason = models.TextField(max_length=REASON_MAX)

    class Meta:
        ordering = ["-withdrawn_at"]

    def __str__(self) -> str:
        return f"Withdrawal of {self.submission}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError("A withdrawal is a permanent record and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError("A withdrawal is a permanent record and cannot be undone.")


class StartingPoint(models.Model):
    """The earlier assessment whose figures, sources and agreed answers a new assessment
    was given as starting values, for the board to confirm."""

    assessment = models.OneToOneField(
        "assessment.Assessment", on_delete=models.CASCADE, related_name="starting_point"
    )
    copied_from = models.ForeignKey(
        "assessment.Assessment", on_delete=models.PROTECT, related_name="+"
    )
    figures = models.PositiveSmallIntegerField(default=0, help_text="Figures copied.")
    agreed = models.PositiveSmallIntegerField(default=0, help_text="Agreed judgements copied.")
    # What could not be carried forward, each {code, text, reason}: a question the new
    # version removed (with the edition's reason), or an answer it no longer accepts.
    dropped = models.JSONField(default=list, blank=True)
    copied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    copied_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-copied_at"]

    def __str__(self) -> str:
        return f"{self.assessment} started from {self.copied_from}"
