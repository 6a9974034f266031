"""The default mappings from a published framework's metric identifiers to the questions of
a questionnaire version: "OF0084 answers WORK-4 in version 2". A dataset loaded while that
version is published starts from them; each one records whether its identifier was checked
against the publisher's own metadata, and where.

Imported by `assessment.models`, so Django finds this model in the `assessment` app.
"""

from __future__ import annotations

from django.db import models

from assessment.datasets import AS_IS, CONVERSIONS, LAYOUTS, LONG

NOF = "NHS Oversight Framework"


class MetricMapping(models.Model):
    """One metric of a published framework and the question of one questionnaire version
    that it answers, with how its value is read (see `assessment.datasets.CONVERSIONS`)."""

    framework = models.CharField(
        max_length=100, default=NOF, help_text="The publisher's name for the framework."
    )
    metric_id = models.CharField(
        "metric",
        max_length=100,
        help_text="The identifier in the file's metric column (like OF0084), or a column "
        "heading for a wide file (like Trust_in_financial_deficit).",
    )
    metric_name = models.CharField(
        max_length=200, blank=True, help_text="What the publisher says the metric measures."
    )
    layout = models.CharField(
        max_length=10,
        choices=list(LAYOUTS.items()),
        default=LONG,
        help_text="Which kind of file it is read from: long (the framework's metrics file, "
        "one row per trust and metric) or wide (its league table, one column per figure).",
    )
    questionnaire_version = models.PositiveSmallIntegerField(
        help_text="The number of the questionnaire version whose question it answers."
    )
    question_code = models.CharField(max_length=30)
    conversion = models.CharField(
        max_length=20,
        choices=list(CONVERSIONS.items()),
        default=AS_IS,
        help_text="How a value in the file becomes an answer.",
    )
    unit = models.CharField(
        max_length=50, blank=True, help_text="The unit of the value in the file, like %."
    )
    verified = models.BooleanField(
        default=False,
        help_text="Whether the identifier and its meaning were found stated in the "
        "publisher's metadata or methodology.",
    )
    note = models.TextField(
        blank=True,
        help_text="Where the identifier was checked, or why it could not be, and what the "
        "file's value means for the question.",
    )

    class Meta:
        ordering = ["framework", "questionnaire_version", "layout", "question_code"]
        verbose_name = "metric mapping"
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "questionnaire_version", "layout", "metric_id"],
                name="metric_mapping_metric_once_per_version",
            ),
            models.UniqueConstraint(
                fields=["framework", "questionnaire_version", "layout", "question_code"],
                name="metric_mapping_question_once_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric_id} = {self.question_code} (version {self.questionnaire_version})"

    @property
    def line(self) -> str:
        """The mapping as a dataset's mapping text writes it: “OF0023 = PERF-2”."""
        suffix = "" if self.conversion == AS_IS else f" ({self.conversion})"
        return f"{self.metric_id} = {self.question_code}{suffix}"
