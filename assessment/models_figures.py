"""The trust's figures: entered once for an assessment, with their sources (method.md
section 9), the members' queries on them, and the published datasets that pre-fill them.

Imported by `assessment.models`, so Django finds these models in the `assessment` app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

SOURCE_MAX = 500
QUERY_MAX = 2000


class FigureHolder(models.Model):
    """The board member the lead named to provide one section's figures (a finance
    director for finance, say). Without one, the lead provides them."""

    assessment = models.ForeignKey(
        "assessment.Assessment", on_delete=models.CASCADE, related_name="figure_holders"
    )
    section = models.CharField(max_length=20, help_text="The code of the questionnaire section.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="figure_sections"
    )
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    named_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "section"], name="figure_holder_once_per_section"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} provides {self.section} figures for {self.assessment}"


class Figure(models.Model):
    """One figure of the trust for one assessment, as its holder entered it.

    `value` is as the engine reads it (a number, an option value, "dk" or "na"); `source`
    names the report or dataset and the period, and is required with a value. `published`
    links the published value it was accepted from, if any. `version` rises with every
    change, so that a save from a page opened before another change is refused.
    """

    assessment = models.ForeignKey(
        "assessment.Assessment", on_delete=models.CASCADE, related_name="figures"
    )
    question = models.ForeignKey("assessment.Question", on_delete=models.PROTECT, related_name="+")
    value = models.CharField(max_length=50, blank=True)
    source = models.TextField(blank=True, max_length=SOURCE_MAX)
    published = models.ForeignKey(
        "assessment.PublishedValue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["assessment", "question__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="figure_once_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code} = {self.value or '(blank)'}"


class FigureQuery(models.Model):
    """A member's query on a figure ("I think this is wrong, because…") and how the lead
    resolved it: the figure changed or kept, with a reply."""

    class Outcome(models.TextChoices):
        CHANGED = "changed", "Figure changed"
        KEPT = "kept", "Figure kept"

    assessment = models.ForeignKey(
        "assessment.Assessment", on_delete=models.CASCADE, related_name="figure_queries"
    )
    question = models.ForeignKey("assessment.Question", on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(max_length=QUERY_MAX)
    value_queried = models.CharField(
        max_length=50, blank=True, help_text="The figure's value when the query was raised."
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    reply = models.TextField(blank=True, max_length=QUERY_MAX)

    class Meta:
        ordering = ["assessment", "raised_at", "pk"]
        verbose_name_plural = "figure queries"
        constraints = [
            models.CheckConstraint(
                condition=(Q(resolved_at__isnull=True) & Q(outcome=""))
                | (Q(resolved_at__isnull=False) & Q(outcome__in=["changed", "kept"])),
                name="figure_query_resolved_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Query on {self.question.code} by {self.raised_by}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class PublishedDataset(models.Model):
    """A dataset a national body publishes per organisation (by ODS code), as an admin
    loaded it, with what it maps to. Its values pre-fill trusts' figures."""

    class Layout(models.TextChoices):
        LONG = "long", "Long: one row per organisation and metric"
        WIDE = "wide", "Wide: one row per organisation, one column per metric"

    publisher = models.CharField(max_length=200, help_text="Like “NHS England” or “CQC”.")
    title = models.CharField(
        max_length=200, help_text="As the publisher names it, like “NHS Oversight Framework”."
    )
    period = models.CharField(
        max_length=100, help_text="The period the figures cover, as boards cite it: “2025/26 Q2”."
    )
    period_end = models.DateField(
        help_text="The last day of that period. Where datasets give the same figure, the one "
        "with the latest period is offered."
    )
    licence = models.CharField(max_length=200, default="Open Government Licence v3.0")
    link = models.URLField(max_length=500, help_text="Where the publisher publishes the file.")
    layout = models.CharField(max_length=10, choices=Layout.choices)
    organisation_column = models.CharField(max_length=100)
    metric_column = models.CharField(max_length=100, blank=True)
    value_column = models.CharField(max_length=100, blank=True)
    filter_column = models.CharField(
        "read only rows where column",
        max_length=100,
        blank=True,
        help_text="Optional: for a file holding several periods, the heading of the column "
        "that names the period, like Reporting_date.",
    )
    filter_value = models.CharField(
        "holds",
        max_length=100,
        blank=True,
        help_text="The value that column holds on the rows to read, like 2025-09-30.",
    )
    mappings = models.TextField(help_text="One line per metric: “OF0084 = WORK-4”.")
    file_name = models.CharField(max_length=255)
    rows_read = models.PositiveIntegerField(default=0)
    blanks = models.PositiveIntegerField(default=0)
    unknown_organisations = models.JSONField(default=list, blank=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "-loaded_at", "-pk"]
        verbose_name = "published dataset"

    def __str__(self) -> str:
        return self.citation

    @property
    def citation(self) -> str:
        """How a figure from it is cited: “NHS Oversight Framework 2025/26 Q2”."""
        return f"{self.title} {self.period}"


class PublishedValue(models.Model):
    """One figure of one trust in a published dataset, keyed by question code so that it
    serves every questionnaire version that asks the same question."""

    dataset = models.ForeignKey(PublishedDataset, on_delete=models.CASCADE, related_name="values")
    organisation = models.ForeignKey(
        "assessment.Organisation", on_delete=models.CASCADE, related_name="published_values"
    )
    question_code = models.CharField(max_length=30)
    value = models.CharField(max_length=50)
    metric = models.CharField(max_length=200)
    row = models.PositiveIntegerField()
    column = models.CharField(max_length=200)

    class Meta:
        ordering = ["dataset", "row"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "organisation", "question_code"],
                name="published_value_once_per_figure",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "question_code"])]

    def __str__(self) -> str:
        return f"{self.question_code} = {self.value} ({self.dataset.citation})"
