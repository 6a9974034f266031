"""The catalogue of organisational forms and the method settings, in published versions.

A catalogue version holds the menu of forms a board is shown (each with its weights,
prerequisites and real examples) and the settings of the method that ranks them: the fit
coefficients and the verdict thresholds. Slugs, domain codes and question codes are the
natural keys the engine, exports and imports use.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Range
from simple_history.models import HistoricalRecords

from assessment.scoring.definitions import coefficients_sum_message
from models_catalogue.versioning import Version, VersionedRow

ZERO = Decimal(0)
ONE = Decimal(1)
unit_interval = [MinValueValidator(ZERO), MaxValueValidator(ONE)]


class CatalogueVersion(Version):
    history = HistoricalRecords()

    class Meta(Version.Meta):
        verbose_name = "catalogue version"
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="published"),
                name="catalogue_one_published_version",
            ),
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="draft"), name="catalogue_one_draft"
            ),
        ]


class Family(models.TextChoices):
    NONE = "none", "No change of form"
    SUPPORT = "support", "Support"
    COLLABORATION = "collaboration", "Collaboration"
    CONTRACTUAL = "contractual", "Contractual"
    CONSOLIDATION = "consolidation", "Consolidation"


class Role(models.TextChoices):
    SELF = "self", "The trust on its own"
    PARTNER = "partner", "As an equal partner"
    SUPPORTED = "supported", "Supported by another provider"
    LEAD = "lead", "Leading or supporting others"


class Reversibility(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class Prefers(models.TextChoices):
    LOW = "low", "Low (the form answers a weakness)"
    HIGH = "high", "High (the form needs strength)"


class MethodSettings(VersionedRow):
    """The method's numbers, held with the catalogue so a version fixes the whole result."""

    version = models.OneToOneField(
        CatalogueVersion, on_delete=models.CASCADE, related_name="method"
    )
    need_coefficient = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.55"),
        validators=unit_interval,
        help_text="Weight of how well a form answers the trust's needs (0 to 1).",
    )
    context_coefficient = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.25"),
        validators=unit_interval,
        help_text="Weight of how well the local context suits a form (0 to 1).",
    )
    proportion_coefficient = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.20"),
        validators=unit_interval,
        help_text="Weight of how closely a form's size of change matches the need (0 to 1).",
    )
    lead_index = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal(70),
        help_text="Index at or above which a trust can be 'sustainable, and in a position to "
        "extend its reach'.",
    )
    lead_domain_floor = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal(50),
        help_text="Every scored domain must reach this for the 'extend its reach' verdict.",
    )
    collaborate_index = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal(55),
        help_text="Index at or above which a trust is 'sustainable; strengthen through "
        "collaboration'.",
    )
    at_risk_index = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal(40),
        help_text="Index at or above which a trust is 'at risk'; below it, 'not sustainable'.",
    )
    domain_cap_floor = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal(25),
        help_text="A scored domain below this caps the verdict at 'at risk'.",
    )
    critical_count_cap = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1)],
        help_text="This many critical answers cap the verdict at 'not sustainable'.",
    )
    provisional_coverage = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal(60),
        help_text="Below this coverage (per cent of weighted questions answered) the verdict is "
        "shown as provisional.",
    )
    divergence_spread = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text="Board members' answers this many levels apart mark a question as divergent.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "method settings"
        verbose_name_plural = "method settings"
        ordering = ["version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    need_coefficient__gte=0,
                    context_coefficient__gte=0,
                    proportion_coefficient__gte=0,
                ),
                name="method_coefficients_not_negative",
            ),
            # SQLite keeps decimals as floating point, so the sum is checked to a tolerance
            # here and exactly in clean().
            models.CheckConstraint(
                condition=Range(
                    F("need_coefficient") + F("context_coefficient") + F("proportion_coefficient"),
                    (Decimal("0.9995"), Decimal("1.0005")),
                ),
                name="method_coefficients_sum_to_one",
            ),
            models.CheckConstraint(
                condition=Q(at_risk_index__gte=0, lead_index__lte=100)
                & Q(at_risk_index__lte=F("collaborate_index"))
                & Q(collaborate_index__lte=F("lead_index")),
                name="method_verdict_thresholds_ordered",
            ),
            models.CheckConstraint(
                condition=Q(
                    lead_domain_floor__gte=0,
                    lead_domain_floor__lte=100,
                    domain_cap_floor__gte=0,
                    domain_cap_floor__lte=100,
                    provisional_coverage__gte=0,
                    provisional_coverage__lte=100,
                ),
                name="method_percentages_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Method settings of catalogue {self.version}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        coefficients = (
            self.need_coefficient,
            self.context_coefficient,
            self.proportion_coefficient,
        )
        if None not in coefficients and sum(coefficients) != ONE:
            errors["need_coefficient"] = (
                f"The three coefficients must add up to 1; they add up to {sum(coefficients)}. "
                "Lower one or raise another."
            )
        thresholds = (self.at_risk_index, self.collaborate_index, self.lead_index)
        if None not in thresholds and not (
            0 <= thresholds[0] <= thresholds[1] <= thresholds[2] <= 100
        ):
            errors["collaborate_index"] = (
                "Thresholds must run upwards between 0 and 100: at risk, then collaborate, "
                "then extend its reach."
            )
        for name in ("lead_domain_floor", "domain_cap_floor", "provisional_coverage"):
            value = getattr(self, name)
            if value is not None and not ZERO <= value <= 100:
                errors[name] = "Enter a percentage from 0 to 100."
        if errors:
            raise ValidationError(errors)


class OrganisationalForm(VersionedRow):
    """One option on the menu, seen from the assessing trust's side."""

    version = models.ForeignKey(CatalogueVersion, on_delete=models.CASCADE, related_name="forms")
    slug = models.SlugField(max_length=60, help_text="Stable identifier used by exports and tests.")
    name = models.CharField(max_length=200)
    family = models.CharField(max_length=20, choices=Family.choices)
    role = models.CharField(max_length=20, choices=Role.choices)
    integration_level = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(7)],
        help_text="0 to 7 along the Dalton spectrum, from loose collaboration to full "
        "consolidation. Breaks ties in the ranking: lower ranks first.",
    )
    intensity = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        validators=unit_interval,
        help_text="0 to 1: how much the trust's own organisation changes.",
    )
    summary = models.TextField()
    suits = models.TextField(help_text="When this form suits a trust.")
    governance = models.TextField()
    approvals = models.TextField(help_text="Who must approve.")
    months_min = models.PositiveSmallIntegerField("shortest time to implement (months)")
    months_max = models.PositiveSmallIntegerField("longest time to implement (months)")
    reversibility = models.CharField(max_length=10, choices=Reversibility.choices)
    risks = models.TextField(
        blank=True, help_text="The risks a board should weigh, shown beside the form's score."
    )
    sources = models.JSONField(
        default=list, blank=True, help_text="Where the description comes from: a list of texts."
    )
    # The form's own fit coefficients, in place of the method's (method section 4): all three
    # or none.
    need_coefficient = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=unit_interval,
        help_text="This form's own weight of how well it answers the trust's needs (0 to 1).",
    )
    context_coefficient = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=unit_interval,
        help_text="This form's own weight of how well the local context suits it (0 to 1).",
    )
    proportion_coefficient = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=unit_interval,
        help_text="This form's own weight of how closely its size of change matches the need "
        "(0 to 1).",
    )

    COEFFICIENT_FIELDS = ("need_coefficient", "context_coefficient", "proportion_coefficient")

    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "integration_level", "slug"]
        verbose_name = "organisational form"
        constraints = [
            models.UniqueConstraint(fields=["version", "slug"], name="form_slug_unique_in_version"),
            models.CheckConstraint(
                condition=Q(intensity__gte=0, intensity__lte=1), name="form_intensity_0_to_1"
            ),
            models.CheckConstraint(
                condition=Q(integration_level__lte=7), name="form_integration_level_0_to_7"
            ),
            models.CheckConstraint(
                condition=Q(months_min__lte=F("months_max")), name="form_months_ordered"
            ),
            models.CheckConstraint(
                condition=Q(
                    need_coefficient__isnull=True,
                    context_coefficient__isnull=True,
                    proportion_coefficient__isnull=True,
                )
                | Q(
                    need_coefficient__isnull=False,
                    context_coefficient__isnull=False,
                    proportion_coefficient__isnull=False,
                    need_coefficient__gte=0,
                    context_coefficient__gte=0,
                    proportion_coefficient__gte=0,
                ),
                name="form_coefficients_all_or_none",
            ),
            # As for the method's: to a tolerance here, because SQLite keeps decimals as
            # floating point, and exactly in clean().
            models.CheckConstraint(
                condition=Q(need_coefficient__isnull=True)
                | Range(
                    F("need_coefficient") + F("context_coefficient") + F("proportion_coefficient"),
                    (Decimal("0.9995"), Decimal("1.0005")),
                ),
                name="form_coefficients_sum_to_one",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_own_coefficients(self) -> bool:
        return self.need_coefficient is not None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (
            self.months_min is not None
            and self.months_max is not None
            and self.months_min > self.months_max
        ):
            errors["months_max"] = "The longest time must be at least the shortest time."
        if not isinstance(self.sources, list) or not all(isinstance(s, str) for s in self.sources):
            errors["sources"] = 'Enter a list of texts, like ["Source one"].'
        coefficients = [getattr(self, name) for name in self.COEFFICIENT_FIELDS]
        given = [value for value in coefficients if value is not None]
        # Keyed to a field so that Django does not also report the database constraints
        # that say the same in fewer words.
        if given and len(given) < len(coefficients):
            errors["need_coefficient"] = (
                "Give all three of the form's own coefficients (need, context and proportion), "
                "or leave all three empty to use the method's."
            )
        elif given and sum(given) != ONE:
            errors["need_coefficient"] = coefficients_sum_message(*given)
        if errors:
            raise ValidationError(errors)


class FormRow(VersionedRow):
    """A row belonging to one organisational form."""

    version_path = "form__version"

    class Meta:
        abstract = True


class DomainWeight(FormRow):
    """How a form relates to one scored domain of the questionnaire."""

    form = models.ForeignKey(
        OrganisationalForm, on_delete=models.CASCADE, related_name="domain_weights"
    )
    domain = models.CharField(max_length=20, help_text="A scored domain code, like QUAL.")
    weight = models.DecimalField(max_digits=4, decimal_places=3, validators=unit_interval)
    prefers = models.CharField(max_length=4, choices=Prefers.choices)
    why = models.TextField(help_text="Shown to boards when this item explains a ranking.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["form", "-weight", "domain"]
        constraints = [
            models.UniqueConstraint(fields=["form", "domain"], name="domain_weight_once_per_form"),
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=1), name="domain_weight_0_to_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain} ({self.weight}, prefers {self.prefers})"


class ContextWeight(FormRow):
    """How a form relates to one context question (SYS-*, CHANGE-*)."""

    form = models.ForeignKey(
        OrganisationalForm, on_delete=models.CASCADE, related_name="context_weights"
    )
    question = models.CharField(max_length=30, help_text="A question code, like SYS-1.")
    weight = models.DecimalField(max_digits=4, decimal_places=3, validators=unit_interval)
    prefers = models.CharField(max_length=4, choices=Prefers.choices)
    why = models.TextField(help_text="Shown to boards when this item explains a ranking.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["form", "-weight", "question"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "question"], name="context_weight_once_per_form"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=1), name="context_weight_0_to_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question} ({self.weight}, prefers {self.prefers})"


class Prerequisite(FormRow):
    """A hard condition: when it is not met the form is ruled out, with the reason shown."""

    class Kind(models.TextChoices):
        ANSWER_IN = "answer_in", "The answer to a question is one of"
        ANSWER_NOT_IN = "answer_not_in", "The answer to a question is not one of"
        MIN_LEVEL = "min_level", "The answer to a question reaches at least a level"
        VERDICT_IN = "verdict_in", "The verdict is one of"
        VERDICT_NOT_IN = "verdict_not_in", "The verdict is not one of"

    QUESTION_KINDS = (Kind.ANSWER_IN, Kind.ANSWER_NOT_IN, Kind.MIN_LEVEL)
    VALUE_KINDS = (Kind.ANSWER_IN, Kind.ANSWER_NOT_IN, Kind.VERDICT_IN, Kind.VERDICT_NOT_IN)

    form = models.ForeignKey(
        OrganisationalForm, on_delete=models.CASCADE, related_name="prerequisites"
    )
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    question = models.CharField(
        max_length=30, blank=True, help_text="For answer conditions: a question code."
    )
    values = models.JSONField(
        default=list,
        blank=True,
        help_text='Answer values or verdict codes, as a list: ["acute", "combined"].',
    )
    min_level = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    reason = models.TextField(help_text="Shown to boards when this rules the form out.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["form", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["answer_in", "answer_not_in", "min_level"]) & ~Q(question="")
                )
                | (Q(kind__in=["verdict_in", "verdict_not_in"]) & Q(question="")),
                name="prerequisite_question_matches_kind",
            ),
            models.CheckConstraint(
                condition=(Q(kind="min_level") & Q(min_level__isnull=False))
                | (~Q(kind="min_level") & Q(min_level__isnull=True)),
                name="prerequisite_min_level_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.reason

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind in self.QUESTION_KINDS and not self.question:
            errors["question"] = "Enter the question code this condition is about, like SYS-1."
        if self.kind not in self.QUESTION_KINDS and self.question:
            errors["question"] = "A condition on the verdict does not name a question; clear it."
        if self.kind == self.Kind.MIN_LEVEL and self.min_level is None:
            errors["min_level"] = "Enter the lowest level, from 1 to 4, that meets the condition."
        if self.kind != self.Kind.MIN_LEVEL and self.min_level is not None:
            errors["min_level"] = (
                "Only a 'reaches at least a level' condition has a level; clear it."
            )
        if self.kind in self.VALUE_KINDS:
            if (
                not isinstance(self.values, list)
                or not self.values
                or not all(isinstance(value, str) and value for value in self.values)
            ):
                errors["values"] = 'Enter at least one value, as a list: ["acute", "combined"].'
        elif self.values:
            errors["values"] = "This kind of condition takes no list of values; clear it."
        if errors:
            raise ValidationError(errors)


class Example(FormRow):
    """A real NHS case of the form."""

    form = models.ForeignKey(OrganisationalForm, on_delete=models.CASCADE, related_name="examples")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=300)
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1948), MaxValueValidator(2100)]
    )
    note = models.TextField(blank=True)
    source = models.CharField(max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["form", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})" if self.year else self.name
