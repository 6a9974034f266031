"""The questionnaire in versions: seed, new draft, publish."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from assessment import selectors
from assessment.models import Band, Domain, Option, Question, QuestionnaireVersion
from assessment.scoring import definitions as d
from assessment.scoring.checks import check_catalogue, check_questionnaire
from assessment.scoring.seed import questionnaire_from_seed
from models_catalogue.versioning import (
    VersionStatus,
    create_row,
    create_rows,
    next_version_number,
    publish_version,
    refuse_second_draft,
)

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"


def questionnaire_create(
    *,
    definition: d.Questionnaire,
    number: int,
    status: VersionStatus,
    user: Any = None,
    removed_codes: Sequence[str] = (),
) -> QuestionnaireVersion:
    """Store a questionnaire definition as a new version, rows in definition order, with the
    codes of earlier questions it withdrew."""
    version = create_row(
        QuestionnaireVersion,
        user=user,
        number=number,
        status=VersionStatus.DRAFT,
        title=definition.title,
        verdict_question=definition.verdict_question,
        removed_codes=list(removed_codes),
        created_by=user,
    )
    domains = {
        domain.code: create_row(
            Domain,
            user=user,
            version=version,
            code=domain.code,
            name=domain.name,
            position=position,
            weight=domain.weight,
            scored=domain.scored,
        )
        for position, domain in enumerate(definition.domains)
    }
    for position, item in enumerate(definition.questions):
        question = create_row(
            Question,
            user=user,
            version=version,
            domain=domains[item.domain],
            code=item.code,
            position=position,
            kind=item.kind,
            text=item.text,
            guidance=item.guidance,
            basis=item.basis,
            weight=item.weight,
            unit=item.unit,
            minimum=item.minimum,
            maximum=item.maximum,
            allow_na=item.allow_na,
            applies_to=list(item.applies_to),
            critical_rule=item.critical.rule if item.critical and item.kind == "number" else "",
            critical_below=item.critical.below if item.critical else None,
            critical_above=item.critical.above if item.critical else None,
            answered_by=item.answered_by,
            changeable=item.changeable,
        )
        create_rows(Option, _option_rows(question, item), user=user)
        create_rows(
            Band,
            (
                Band(
                    question=question,
                    position=n,
                    minimum=b.minimum,
                    maximum=b.maximum,
                    level=b.level,
                )
                for n, b in enumerate(item.bands)
            ),
            user=user,
        )
    if status != VersionStatus.DRAFT:
        version.status = status
        version.published_at = timezone.now() if status == VersionStatus.PUBLISHED else None
        version.save()
    return version


def _option_rows(question: Question, item: d.Question) -> list[Option]:
    if item.kind == "scale":
        critical_level = item.critical.level if item.critical else None
        return [
            Option(
                question=question,
                position=level - 1,
                value=str(level),
                label=anchor,
                level=level,
                critical_rule=item.critical.rule
                if item.critical and level == critical_level
                else "",
            )
            for level, anchor in enumerate(item.anchors, start=1)
        ]
    return [
        Option(
            question=question,
            position=position,
            value=option.value,
            label=option.label,
            level=option.level,
            critical_rule=option.critical or "",
        )
        for position, option in enumerate(item.options)
    ]


@transaction.atomic
def questionnaire_seed_load() -> QuestionnaireVersion | None:
    """Load the seed questionnaire as published version 1, unless a version 1 exists."""
    if QuestionnaireVersion.objects.filter(number=1).exists():
        return None
    data = yaml.safe_load((SEED_DIR / "questionnaire-v1.yaml").read_text(encoding="utf-8"))
    definition = questionnaire_from_seed(data)
    return questionnaire_create(definition=definition, number=1, status=VersionStatus.PUBLISHED)


@transaction.atomic
def questionnaire_new_draft(*, source: QuestionnaireVersion, user: Any) -> QuestionnaireVersion:
    """A draft copy of `source`, numbered after every existing version."""
    refuse_second_draft(QuestionnaireVersion)
    definition = selectors.questionnaire_definition(source)
    draft = questionnaire_create(
        definition=definition,
        number=next_version_number(QuestionnaireVersion),
        status=VersionStatus.DRAFT,
        user=user,
        # Withdrawn codes stay withdrawn, so answers to them are still explained.
        removed_codes=source.removed_codes,
    )
    draft.note = f"Draft made from version {source.number}."
    draft.save(update_fields=["note"])
    return draft


def questionnaire_problems(version: QuestionnaireVersion) -> list[str]:
    """Everything that stops a questionnaire version being published."""
    from models_catalogue import selectors as catalogue_selectors

    definition = selectors.questionnaire_definition(version)
    problems = check_questionnaire(definition)
    kept = sorted(set(version.removed_codes) & {question.code for question in definition.questions})
    if kept:
        problems.append(
            f"{', '.join(kept)} {'is' if len(kept) == 1 else 'are'} listed as removed but "
            f"{'is a question' if len(kept) == 1 else 'are questions'} of this version. Take "
            "them out of the removed codes, or delete the questions."
        )
    catalogue = catalogue_selectors.catalogue_published_or_none()
    if catalogue is not None:
        # The published catalogue must still make sense with the new questionnaire.
        forms, _ = catalogue_selectors.catalogue_definition(catalogue)
        problems += [
            f"The published catalogue (version {catalogue.number}) would break: {problem}"
            for problem in check_catalogue(forms, definition)
        ]
    return problems


@transaction.atomic
def questionnaire_publish(*, version: QuestionnaireVersion, user: Any) -> QuestionnaireVersion:
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    publish_version(version, user=user, problems=questionnaire_problems(version))
    return version
