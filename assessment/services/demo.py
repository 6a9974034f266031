"""The demo trust's open assessment: enough to walk the figures and the board journey; and
two earlier assessments, submitted, so that the history, the trend and "since last time"
have something to show.

Made once, when the demo trust has no assessment yet, so that running `setup_demo` again
never undoes what someone did while trying the service. The published values are labelled
as demonstration values: the demo trust is not a real trust and nothing here was published.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml
from django.utils import timezone

from assessment import selectors
from assessment.models import (
    Assessment,
    Organisation,
    PublishedDataset,
    PublishedValue,
    QuestionnaireVersion,
    Respondent,
    Submission,
)
from assessment.scoring import definitions as d
from assessment.services.answers import AnswerChange, answers_save, response_complete
from assessment.services.assessments import assessment_create, respondents_add
from assessment.services.figures import FigureChange, figure_holder_name, figures_save
from assessment.services.submissions import assessment_submit
from models_catalogue.models import CatalogueVersion

# The earlier assessments: the answers of one board each, and when they were submitted.
DEMO_HISTORY = Path(__file__).resolve().parent.parent / "seed" / "demo"
DEMO_EARLIER = (
    ("2024 to 2025", "2024-to-2025.yaml", datetime.datetime(2025, 5, 22, 10, 30)),
    ("2025 to 2026", "2025-to-2026.yaml", datetime.datetime(2026, 5, 28, 10, 30)),
)
DEMO_SOURCE = "Annual report and accounts, and the integrated performance report"
DEMO_REASON = (
    "Demonstration: one member answered for the board; the board agreed to submit on the "
    "evidence given."
)

# What the lead has entered so far, with sources; the rest is left to do.
DEMO_FIGURES = (
    ("PROFILE-TYPE", "acute", "Trust type as registered with NHS England"),
    ("QUAL-1", "requires-improvement", "CQC inspection report, published March 2025"),
    ("QUAL-2", "no", "NHS England recovery support programme list, October 2026"),
    ("LEAD-1", "good", "CQC well-led inspection report, March 2025"),
)
# Offered to the figure holders as if a dataset had been loaded in the admin.
DEMO_PUBLISHED = (
    ("WORK-4", "6.7", "OF0084", 4),
    ("PERF-2", "58.4", "OF0023", 2),
    ("FIN-1", "-1.2", "OF0079", 3),
)


def demo_assessment_ensure(
    *, organisation: Organisation, lead: Any, members: list[Any], finance: Any
) -> Assessment | None:
    """The demo trust's open assessment, made once: both members answering, the finance
    figures left to `finance`, some figures entered by the lead and a demonstration
    dataset offering three more. None when no questionnaire is published yet."""
    existing = Assessment.objects.filter(organisation=organisation).first()
    if existing is not None or selectors.questionnaire_published_or_none() is None:
        return existing
    for period, file_name, submitted_at in DEMO_EARLIER:
        demo_submitted_create(
            organisation=organisation,
            lead=lead,
            member=members[0],
            period=period,
            answers=yaml.safe_load((DEMO_HISTORY / file_name).read_text())["answers"],
            submitted_at=timezone.make_aware(submitted_at),
        )
    assessment = assessment_create(
        organisation=organisation,
        title="Board self-assessment",
        reporting_period="2026 to 2027",
        user=lead,
    )
    respondents_add(assessment=assessment, users=members)
    figure_holder_name(assessment=assessment, section="FIN", user_id=finance.pk, named_by=lead)
    pinned = selectors.pinned_for(assessment)
    figures_save(
        assessment=assessment,
        user=lead,
        pinned=pinned,
        changes=[
            FigureChange(code=code, value=value, source=source, version=0)
            for code, value, source in DEMO_FIGURES
        ],
    )
    dataset, _ = PublishedDataset.objects.get_or_create(
        title="Demonstration NHS Oversight Framework",
        period="2025/26 Q2",
        defaults={
            "publisher": "Demonstration data, not published by NHS England",
            "period_end": datetime.date(2025, 9, 30),
            "link": "https://www.england.nhs.uk/nhs-oversight-framework/",
            "layout": PublishedDataset.Layout.LONG,
            "organisation_column": "Trust_code",
            "metric_column": "Metric_ID",
            "value_column": "Value",
            "mappings": "\n".join(f"{metric} = {code}" for code, _, metric, _ in DEMO_PUBLISHED),
            "file_name": "demonstration values",
            "rows_read": len(DEMO_PUBLISHED),
        },
    )
    for code, value, metric, row in DEMO_PUBLISHED:
        PublishedValue.objects.get_or_create(
            dataset=dataset,
            organisation=organisation,
            question_code=code,
            defaults={"value": value, "metric": metric, "row": row, "column": "Value"},
        )
    return assessment


def _pin_to_edition(assessment: Assessment, edition: int) -> None:
    questionnaire = QuestionnaireVersion.objects.filter(number=edition).first()
    catalogue = CatalogueVersion.objects.filter(number=edition).first()
    if questionnaire is None or catalogue is None:
        return
    assessment.questionnaire_version = questionnaire
    assessment.catalogue_version = catalogue
    assessment.save(update_fields=["questionnaire_version", "catalogue_version"])


def _raw(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def demo_submitted_create(
    *,
    organisation: Organisation,
    lead: Any,
    member: Any,
    period: str,
    answers: dict[str, object],
    submitted_at: datetime.datetime,
    edition: int | None = 1,
) -> Assessment:
    """An earlier assessment, answered by one member, its figures entered by the lead with
    a source, submitted with the board's reason, and dated when it was. It is answered on
    `edition` of the questionnaire and catalogue (the answers are written for it), as it
    was before a later edition was published; None: the editions published now."""
    assessment = assessment_create(
        organisation=organisation,
        title="Board self-assessment",
        reporting_period=period,
        user=lead,
    )
    if edition is not None:
        _pin_to_edition(assessment, edition)
    respondents_add(assessment=assessment, users=[member])
    pinned = selectors.pinned_for(assessment)
    values = {code: _raw(value) for code, value in answers.items()}
    figures_save(
        assessment=assessment,
        user=lead,
        pinned=pinned,
        changes=[
            FigureChange(code=q.code, value=values[q.code], source=DEMO_SOURCE, version=0)
            for q in pinned.definition.questions
            if q.answered_by == d.FIGURE and q.code in values
        ],
    )
    respondent = Respondent.objects.get(assessment=assessment, user=member)
    answers_save(
        respondent=respondent,
        pinned=pinned,
        changes=[
            AnswerChange(code=q.code, value=values[q.code], note="", version=0)
            for q in pinned.judgements
            if q.code in values
        ],
    )
    response_complete(respondent=respondent, pinned=pinned)
    assessment_submit(
        assessment=assessment,
        user=lead,
        reasons={"members": DEMO_REASON, "coverage": DEMO_REASON},
    )
    Submission.objects.filter(assessment=assessment).update(submitted_at=submitted_at)
    Assessment.objects.filter(pk=assessment.pk).update(
        submitted_at=submitted_at, created_at=submitted_at - datetime.timedelta(days=21)
    )
    return assessment
