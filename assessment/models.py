"""Trusts and their boards, the questionnaire in published versions, assessments and answers."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from models_catalogue.versioning import Version, VersionedRow

ods_code_validator = RegexValidator(
    regex=r"^[A-Z0-9]{3,5}$",
    message="Enter the trust's ODS code: 3 to 5 capital letters or digits, like RXX.",
)
code_validator = RegexValidator(
    regex=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$",
    message="Use capital letters, digits and hyphens, starting with a letter, like QUAL-1.",
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
    require_two_factor = models.BooleanField(
        default=False,
        help_text="Board members must use two-factor authentication to see this trust's "
        "assessments.",
    )
    # Where the trust's main site is, for the distances between trusts in a system's view
    # (method section 11). Optional: an unknown location gives no distance discount.
    latitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("49.5")), MaxValueValidator(Decimal("61"))],
        help_text="Of the trust's main site, in decimal degrees, like 53.80080.",
    )
    longitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-8.7")), MaxValueValidator(Decimal("2"))],
        help_text="Of the trust's main site, in decimal degrees, like -1.54900 (west is negative).",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "trust"
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="trust_location_both_or_neither",
                violation_error_message="Give both the latitude and the longitude, or neither.",
            )
        ]

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

    class BoardRole(models.TextChoices):
        CHAIR = "chair", "Chair"
        NON_EXECUTIVE = "non_executive", "Non-executive director"
        EXECUTIVE = "executive", "Executive director"
        ATTENDEE = "attendee", "Other attendee"

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.BOARD_MEMBER)
    board_role = models.CharField(
        max_length=20,
        choices=BoardRole.choices,
        blank=True,
        help_text="Where they sit on the board: the consensus page can split answers by it.",
    )
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
            models.CheckConstraint(
                condition=models.Q(
                    board_role__in=["", "chair", "non_executive", "executive", "attendee"]
                ),
                name="membership_board_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.organisation.name}"

    @property
    def is_lead(self) -> bool:
        return self.role == self.Role.LEAD


# --------------------------------------------------------------------------- questionnaire


CODE_MAX_LENGTH = 30  # as Question.code


def removed_codes_problems(value: Any) -> list[str]:
    """What is wrong with a version's `removed_codes`: it must be a list of distinct question
    codes. Empty when it is well formed; the import and the admin share it."""
    if not isinstance(value, list):
        return ['Give the removed codes as a list, like ["FIN-3", "FIN-5"].']
    problems = []
    malformed = [
        code
        for code in value
        if not isinstance(code, str)
        or not re.match(code_validator.regex, code)
        or len(code) > CODE_MAX_LENGTH
    ]
    if malformed:
        shown = ", ".join(repr(code) for code in malformed)
        verb = "is not a question code" if len(malformed) == 1 else "are not question codes"
        problems.append(
            f"{shown} {verb}. Use capital letters, digits and hyphens, starting with a letter, "
            "like FIN-3."
        )
    repeated = sorted({code for code in value if isinstance(code, str) and value.count(code) > 1})
    if repeated:
        problems.append(
            f"{', '.join(repeated)} {'is' if len(repeated) == 1 else 'are'} listed more than once."
        )
    return problems


class QuestionnaireVersion(Version):
    """A numbered version of the questionnaire: its domains, questions, options and bands."""

    title = models.CharField(max_length=200)
    verdict_question = models.TextField(
        help_text="The question the verdict answers, shown above it on the results page."
    )
    removed_codes = models.JSONField(
        default=list,
        blank=True,
        help_text="Codes of earlier versions' questions that this version withdrew, as a JSON "
        'list like ["FIN-3", "FIN-5"]. Answers to them are refused with an explanation.',
    )

    history = HistoricalRecords()

    class Meta(Version.Meta):
        verbose_name = "questionnaire version"
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="published"),
                name="questionnaire_one_published_version",
            ),
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="draft"), name="questionnaire_one_draft"
            ),
        ]

    def clean(self) -> None:
        problems = removed_codes_problems(self.removed_codes)
        if problems:
            raise ValidationError({"removed_codes": problems})
        if self.pk is not None:
            kept = sorted(
                set(self.removed_codes) & set(self.questions.values_list("code", flat=True))
            )
            if kept:
                raise ValidationError(
                    {
                        "removed_codes": f"{', '.join(kept)} "
                        f"{'is a question' if len(kept) == 1 else 'are questions'} of this "
                        "version, so it cannot also be removed in it. Take it out of the list, "
                        "or delete the question."
                    }
                )


class Domain(VersionedRow):
    """A section of the questionnaire. Scored domains make up the index; the rest is context."""

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="domains"
    )
    code = models.CharField(max_length=20, validators=[code_validator])
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    weight = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text="The domain's weight in the index. Context domains weigh 0.",
    )
    scored = models.BooleanField(
        default=True, help_text="Scored domains make up the index; context domains do not."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="domain_code_unique"),
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=100), name="domain_weight_0_to_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"

    def clean(self) -> None:
        if self.scored and self.weight is not None and self.weight <= 0:
            raise ValidationError({"weight": "A scored domain needs a weight above 0."})
        if not self.scored and self.weight:
            raise ValidationError(
                {"weight": "A context domain is not scored: set its weight to 0."}
            )


class QuestionKind(models.TextChoices):
    CHOICE = "choice", "Choice of options"
    NUMBER = "number", "Number with a unit"
    SCALE = "scale", "Scale of four described levels"
    YESNO = "yesno", "Yes or no"
    PROFILE = "profile", "Profile (describes the trust, not scored)"


class AnsweredBy(models.TextChoices):
    """Who answers a question (method.md section 9)."""

    FIGURE = "figure", "A figure: answered once for the trust, with its source"
    JUDGEMENT = "judgement", "A judgement: each board member's view"


class Changeable(models.TextChoices):
    """Whether the board can change a question's answer (method.md section 10)."""

    FIXED = "fixed", "Fixed: a fact of the trust's nature"
    EXTERNAL = "external", "External: outside the trust's control"
    LEVER = "lever", "A lever: the board can change it"


class CriticalRule(models.TextChoices):
    NONE = "", "Not critical"
    CAP_AT_RISK = "cap-at-risk", "Caps the verdict at 'at risk'"
    CAP_UNSUSTAINABLE = "cap-unsustainable", "Caps the verdict at 'not sustainable'"


class Question(VersionedRow):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(max_length=30, validators=[code_validator])
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    text = models.TextField()
    guidance = models.TextField(blank=True, help_text="Where to find the evidence.")
    basis = models.TextField(
        blank=True,
        help_text="Where the thresholds come from; write 'heuristic' for the service's own "
        "judgement.",
    )
    # The defaults describe a question before anyone classified it: every member answers it
    # and the board may change it. The seed file classifies version 1; a database seeded
    # before these fields existed is classified by migration 0007.
    answered_by = models.CharField(
        max_length=10,
        choices=AnsweredBy.choices,
        default=AnsweredBy.JUDGEMENT,
        help_text="A figure is a published or reported fact, answered once for the trust "
        "with its source. A judgement is a matter of view: each board member answers it "
        "privately.",
    )
    changeable = models.CharField(
        "what the board can change",
        max_length=10,
        choices=Changeable.choices,
        default=Changeable.LEVER,
        help_text="Changes to fixed answers are never suggested. Changes to external ones "
        "are suggested, labelled as outside the trust's control.",
    )
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="The question's weight inside its domain.",
    )
    unit = models.CharField(max_length=50, blank=True, help_text="For numbers, like '% of income'.")
    minimum = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    maximum = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    allow_na = models.BooleanField(
        "allow 'not applicable'", default=False, help_text="Offer 'Not applicable' as an answer."
    )
    applies_to = models.JSONField(
        default=list,
        blank=True,
        help_text='Kinds of trust the question applies to, like ["acute", "combined"]. '
        "Empty means every kind.",
    )
    critical_rule = models.CharField(
        max_length=20,
        choices=CriticalRule.choices,
        blank=True,
        help_text="For numbers: what an answer beyond the critical value does to the verdict.",
    )
    critical_below = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    critical_above = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="question_code_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="question_weight_positive"),
            models.CheckConstraint(
                condition=Q(answered_by__in=AnsweredBy.values),
                name="question_answered_by_valid",
            ),
            models.CheckConstraint(
                condition=Q(changeable__in=Changeable.values), name="question_changeable_valid"
            ),
            models.CheckConstraint(
                condition=Q(minimum__isnull=True)
                | Q(maximum__isnull=True)
                | Q(minimum__lte=F("maximum")),
                name="question_bounds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"

    @property
    def is_scored(self) -> bool:
        return self.kind != QuestionKind.PROFILE

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.domain_id and self.version_id and self.domain.version_id != self.version_id:
            errors["domain"] = "Choose a domain of the same questionnaire version."
        if self.kind == QuestionKind.NUMBER:
            if self.minimum is None or self.maximum is None:
                errors["maximum"] = "A number needs both the lowest and highest value allowed."
            elif self.minimum > self.maximum:
                errors["maximum"] = "The highest value must be at least the lowest value."
            if (self.critical_below is not None or self.critical_above is not None) and not (
                self.critical_rule
            ):
                errors["critical_rule"] = "Choose what the critical value does to the verdict."
        elif self.critical_below is not None or self.critical_above is not None:
            errors["critical_below"] = (
                "Only numbers have critical values; mark a critical option instead."
            )
        if not isinstance(self.applies_to, list) or not all(
            isinstance(item, str) for item in self.applies_to
        ):
            errors["applies_to"] = 'Enter a list of kinds of trust, like ["acute"], or [].'
        if errors:
            raise ValidationError(errors)


class QuestionRow(VersionedRow):
    version_path = "question__version"

    class Meta:
        abstract = True


class Option(QuestionRow):
    """An answer a board member can choose: for choice, yes/no, scale and profile questions.

    A scale's four options are its described levels, valued "1" to "4". An option with no
    level means "not applicable" (profile options have none: they are not scored).
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    value = models.CharField(max_length=50)
    label = models.TextField()
    level = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    critical_rule = models.CharField(max_length=20, choices=CriticalRule.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["question", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="option_value_unique"),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=4),
                name="option_level_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value}: {self.label[:60]}"


class Band(QuestionRow):
    """A range of a number question's answers and the level it resolves to. First match wins."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="bands")
    position = models.PositiveSmallIntegerField(default=0)
    minimum = models.DecimalField(
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Value must be at least this.",
    )
    maximum = models.DecimalField(
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Value must be at most this.",
    )
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["question", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=4), name="band_level_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        parts = []
        if self.minimum is not None:
            parts.append(f"≥ {self.minimum.normalize()}")
        if self.maximum is not None:
            parts.append(f"≤ {self.maximum.normalize()}")
        return f"{' and '.join(parts) or 'any other value'}: level {self.level}"


# --------------------------------------------------------------------------- assessments


class Assessment(models.Model):
    """One board's assessment, pinned to the questionnaire and catalogue it began with."""

    class Status(models.TextChoices):
        OPEN = "open", "Open for answers"
        SUBMITTED = "submitted", "Submitted"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="assessments"
    )
    title = models.CharField(max_length=200)
    reporting_period = models.CharField(max_length=100)
    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="assessments"
    )
    catalogue_version = models.ForeignKey(
        "models_catalogue.CatalogueVersion", on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response_deadline = models.DateField(
        null=True,
        blank=True,
        help_text="The date by which members are asked to finish; reminders are sent before it.",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="open") & Q(submitted_at__isnull=True))
                | (Q(status="submitted") & Q(submitted_at__isnull=False)),
                name="assessment_submitted_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.reporting_period})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Respondent(models.Model):
    """A board member answering one assessment, privately."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="respondents")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="responses"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Set by the submission on every response in the same transaction. A save that waited
    # for the submission's lock on this row reads the row afresh, so it sees this and is
    # refused; saves need not lock the assessment row, and members never wait for each other.
    locked_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the board's answers were submitted; this response can no longer change.",
    )
    # A member the lead removed: their answers stay in the record but no longer count
    # towards the consensus, the readiness check or the result.
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["assessment", "user__last_name", "user__first_name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "user"], name="respondent_once_per_assessment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} answering {self.assessment}"

    @property
    def status_label(self) -> str:
        if self.completed_at:
            return "Completed"
        return "In progress" if self.started_at else "Not started"


class Invitation(models.Model):
    """An invitation to answer an assessment, sent by email as a signed, expiring link."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(
        default=1, help_text="How many times the invitation was sent (1 plus each resend)."
    )

    class Meta:
        ordering = ["assessment", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "email"], name="invitation_once_per_assessment"
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.assessment}"


class Answer(models.Model):
    """A board member's own answer to one question, kept private to them and the lead.

    `value` is as the engine reads it: an option value, a number, a scale level "1" to "4",
    "yes" or "no", or "na" / "dk". `version` rises with every change, so that a save from a
    page opened before another change can be recognised and refused.
    """

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(max_length=50, blank=True)
    note = models.TextField("evidence note", blank=True, max_length=4000)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["respondent", "question__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "question"], name="answer_once_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code} = {self.value or '(blank)'}"


class AgreedAnswer(models.Model):
    """The board's agreed answer to one question, recorded by the assessment lead."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="agreed_answers"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(max_length=50, blank=True)
    rationale = models.TextField(blank=True, max_length=4000)
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
                fields=["assessment", "question"], name="agreed_answer_once_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code} agreed as {self.value or '(blank)'}"


class Submission(models.Model):
    """The immutable record of a submitted assessment: the whole result as it was on the day.

    A board paper regenerated a year later is built from `result` alone, so later changes
    to the catalogue or questionnaire cannot change what it says.
    """

    assessment = models.OneToOneField(
        Assessment, on_delete=models.PROTECT, related_name="submission"
    )
    result = models.JSONField(help_text="The engine's full result, as stored on submission.")
    verdict = models.CharField(max_length=30)
    index = models.DecimalField(max_digits=7, decimal_places=4, null=True)
    domain_scores = models.JSONField(default=dict)
    respondent_count = models.PositiveSmallIntegerField(default=0)
    agreed_answers = models.JSONField(
        default=list, help_text="The agreed answers, rationales and evidence notes as submitted."
    )
    readiness = models.JSONField(
        default=list,
        blank=True,
        help_text="The warnings the lead submitted past, each with the reason they gave.",
    )
    paper_details = models.JSONField(
        default=dict,
        blank=True,
        help_text="The board paper's cover sheet as the lead filled it in when submitting: "
        "meeting, date, agenda item, title, report of, prepared by, purpose, recommendation, "
        "what the board is asked to do, strategic objectives, assurance framework, risks.",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"Submission of {self.assessment}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError("A submission is a permanent record and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError("A submission is a permanent record and cannot be deleted.")


# Models of this app kept in their own file, imported here so that Django finds them.
from assessment.models_figures import Figure as Figure  # noqa: E402
from assessment.models_figures import FigureHolder as FigureHolder  # noqa: E402
from assessment.models_figures import FigureQuery as FigureQuery  # noqa: E402
from assessment.models_figures import PublishedDataset as PublishedDataset  # noqa: E402
from assessment.models_figures import PublishedValue as PublishedValue  # noqa: E402
from assessment.models_metrics import MetricMapping as MetricMapping  # noqa: E402
from assessment.models_reminders import ReminderSent as ReminderSent  # noqa: E402
from assessment.models_withdrawals import Withdrawal as Withdrawal  # noqa: E402
