"""Systems of trusts, the people who review them, and the results trusts choose to share.

A system is an integrated care system or a provider collaborative. A trust's lead may share
a submitted result with a system the trust belongs to; the system's reviewers then see what
method section 11 says is shared (the verdict and its rule, the index and domain scores, the
ranked menu, ruled-out forms and the answers to the SYS and CHANGE questions), and never a
member's answers, notes, names or the board's rationale. A share is revoked, never deleted:
the record of who shared and who revoked, and when, stays.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

system_code_validator = RegexValidator(
    regex=r"^[A-Z0-9][A-Z0-9-]{1,19}$",
    message="Use 2 to 20 capital letters, digits and hyphens, like QWO or NENC-PC.",
)


class System(models.Model):
    class Kind(models.TextChoices):
        INTEGRATED_CARE_SYSTEM = "ics", "Integrated care system"
        PROVIDER_COLLABORATIVE = "collaborative", "Provider collaborative"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    code = models.CharField(
        max_length=20,
        unique=True,
        validators=[system_code_validator],
        help_text="The integrated care board's ODS code, or the collaborative's own short code.",
    )
    trusts = models.ManyToManyField(
        "assessment.Organisation",
        related_name="systems",
        blank=True,
        help_text="The trusts that belong to this system. A trust may belong to several.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class SystemReviewer(models.Model):
    """Someone who looks across a system (an integrated care board's director of strategy,
    a collaborative's programme director). They see the system view only: never a trust's
    assessment pages, members, answers, notes or rationale."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="system_reviews"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["system__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["system", "user"], name="one_review_role_per_system")
        ]

    def __str__(self) -> str:
        return f"{self.user} reviews {self.system}"


class Share(models.Model):
    """One submitted result shared with one system, by the trust's lead."""

    submission = models.ForeignKey(
        "assessment.Submission", on_delete=models.PROTECT, related_name="shares"
    )
    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="shares")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    shared_at = models.DateTimeField()
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_because = models.CharField(
        max_length=200, blank=True, help_text="Why it was revoked, where not by the lead's choice."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-shared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "system"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_share_per_system",
            )
        ]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "shared"
        return f"{self.submission} {state} with {self.system}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
