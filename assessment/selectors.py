"""Reads shaped for pages, each in a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from assessment.models import Membership, Question, QuestionKind, QuestionnaireVersion
from assessment.scoring import definitions as d
from assessment.scoring.decimals import tidy


def memberships_for_user(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Membership]:
    return Membership.objects.filter(user_id=user.pk).select_related("organisation")


def questionnaire_published_or_none() -> QuestionnaireVersion | None:
    return QuestionnaireVersion.objects.published().first()


def questionnaire_published() -> QuestionnaireVersion:
    """The questionnaire version new assessments use."""
    version = questionnaire_published_or_none()
    if version is None:
        raise QuestionnaireVersion.DoesNotExist(
            "No questionnaire is published. Run `manage.py seed` to load version 1."
        )
    return version


def questionnaire_definition(version: QuestionnaireVersion) -> d.Questionnaire:
    """The engine's view of a questionnaire version, in three queries."""
    domains = list(version.domains.all())
    questions = list(
        version.questions.select_related("domain").prefetch_related("options", "bands")
    )
    return d.Questionnaire(
        version=version.number,
        title=version.title,
        verdict_question=version.verdict_question,
        domains=tuple(
            d.Domain(code=domain.code, name=domain.name, weight=domain.weight, scored=domain.scored)
            for domain in domains
        ),
        questions=tuple(_question_definition(question) for question in questions),
    )


def _question_definition(question: Question) -> d.Question:
    options = list(question.options.all())
    critical: d.CriticalTrigger | None = None
    anchors: tuple[str, ...] = ()
    if question.kind == QuestionKind.SCALE:
        anchors = tuple(option.label for option in sorted(options, key=lambda o: o.level or 0))
        flagged = next((option for option in options if option.critical_rule), None)
        if flagged is not None:
            critical = d.CriticalTrigger(rule=flagged.critical_rule, level=flagged.level)
        options = []
    elif question.kind == QuestionKind.NUMBER and question.critical_rule:
        critical = d.CriticalTrigger(
            rule=question.critical_rule,
            below=_plain(question.critical_below),
            above=_plain(question.critical_above),
        )
    return d.Question(
        code=question.code,
        domain=question.domain.code,
        kind=question.kind,
        text=question.text,
        weight=_plain(question.weight) or Decimal(1),
        options=tuple(
            d.Option(
                value=option.value,
                label=option.label,
                level=option.level,
                critical=option.critical_rule or None,
            )
            for option in options
        ),
        unit=question.unit,
        minimum=_plain(question.minimum),
        maximum=_plain(question.maximum),
        bands=tuple(
            d.Band(level=band.level, minimum=_plain(band.minimum), maximum=_plain(band.maximum))
            for band in question.bands.all()
        ),
        anchors=anchors,
        critical=critical,
        allow_na=question.allow_na,
        applies_to=tuple(question.applies_to),
        guidance=question.guidance,
        basis=question.basis,
    )


def _plain(value: Decimal | None) -> Decimal | None:
    """A database decimal (1.0000) as written (1), as the engine and exports expect."""
    return None if value is None else tidy(value)
