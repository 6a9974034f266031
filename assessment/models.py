"""Trusts, their board memberships, and (in later modules) assessments and answers."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

ods_code_validator = RegexValidator(
    regex=r"^[A-Z0-9]{3,5}$",
    message="Enter the trust's ODS code: 3 to 5 capital letters or digits, like RXX.",
)


class Organisation(models.Model):
    """An NHS trust whose board assesses itself."""

    name = models.CharField(max_length=200, unique=True)
    ods_code = models.CharField(
        "ODS code",
        max_length=5,
        unique=True,
        validators=[ods_code_validator],
        help_text="The organisation code from the NHS Organisation Data Service, like RXX.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "trust"

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"


class Membership(models.Model):
    """A user's seat on a trust's board, and what they may do in its assessments."""

    class Role(models.TextChoices):
        BOARD_MEMBER = "board_member", "Board member"
        LEAD = "lead", "Assessment lead"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.BOARD_MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "user__last_name", "user__first_name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_one_per_user_and_trust"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["board_member", "lead"]),
                name="membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.organisation.name}"

    @property
    def is_lead(self) -> bool:
        return self.role == self.Role.LEAD
