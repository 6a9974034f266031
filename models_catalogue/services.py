"""Writes to the catalogue: seed, editions, new draft, publish, export and import.

The catalogue refers to the questionnaire by domain and question codes. It checks them
against the questionnaire its caller passes in, as the engine's plain definition: the
seed command, the admin and the import command know which questionnaire that is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessment.scoring import definitions as d
from assessment.scoring.checks import check_catalogue
from models_catalogue import selectors
from models_catalogue.documents import (
    DOCUMENT_FORMAT,
    CatalogueDocument,
    DocumentError,
    catalogue_from_document,
    catalogue_to_document,
    document_from_json,
)
from models_catalogue.models import (
    CatalogueVersion,
    ContextWeight,
    DomainWeight,
    Example,
    MethodSettings,
    OrganisationalForm,
    Prerequisite,
)
from models_catalogue.versioning import (
    VersionStatus,
    create_row,
    create_rows,
    next_version_number,
    publish_version,
    refuse_second_draft,
)

SEED_DIR = Path(__file__).resolve().parent / "seed"
SEED_FILE = SEED_DIR / "catalogue-v1.yaml"
NO_QUESTIONNAIRE = (
    "No questionnaire is published, so the catalogue's domain and question codes cannot be "
    "checked. Run `manage.py seed` to load questionnaire version 1."
)

_PREREQUISITE_KINDS = (
    ("answer_in", Prerequisite.Kind.ANSWER_IN),
    ("answer_not_in", Prerequisite.Kind.ANSWER_NOT_IN),
    ("verdict_in", Prerequisite.Kind.VERDICT_IN),
    ("verdict_not_in", Prerequisite.Kind.VERDICT_NOT_IN),
)


def catalogue_create(
    *, document: CatalogueDocument, number: int, status: VersionStatus, user: Any = None
) -> CatalogueVersion:
    """Store a checked document as a new catalogue version. Call inside a transaction."""
    version = create_row(
        CatalogueVersion,
        user=user,
        number=number,
        status=VersionStatus.DRAFT,
        note=document.note,
        created_by=user,
    )
    method = document.method
    create_row(
        MethodSettings,
        user=user,
        version=version,
        **{
            name: getattr(method, name)
            for name in (
                "need_coefficient",
                "context_coefficient",
                "proportion_coefficient",
                "lead_index",
                "lead_domain_floor",
                "collaborate_index",
                "at_risk_index",
                "domain_cap_floor",
                "provisional_coverage",
            )
        },
        critical_count_cap=int(method.critical_count_cap),
        divergence_spread=int(method.divergence_spread),
    )
    for item in document.catalogue.forms:
        _form_create(version, item, user)
    if status != VersionStatus.DRAFT:
        version.status = status
        version.published_at = timezone.now() if status == VersionStatus.PUBLISHED else None
        version.published_by = user if status == VersionStatus.PUBLISHED else None
        version.save()
    return version


def _form_create(version: CatalogueVersion, item: d.Form, user: Any) -> OrganisationalForm:
    form = create_row(
        OrganisationalForm,
        user=user,
        version=version,
        slug=item.slug,
        name=item.name,
        family=item.family,
        role=item.role,
        integration_level=item.integration_level,
        intensity=item.intensity,
        summary=item.summary,
        suits=item.suits,
        governance=item.governance,
        approvals=item.approvals,
        months_min=item.months_min or 0,
        months_max=item.months_max or 0,
        reversibility=item.reversibility,
        risks=item.risk_note,
        sources=list(item.sources),
        **_coefficient_fields(item.coefficients),
    )
    rows = (
        (
            DomainWeight,
            [
                DomainWeight(
                    form=form, domain=w.domain, weight=w.weight, prefers=w.prefers, why=w.why
                )
                for w in item.domain_weights
            ],
        ),
        (
            ContextWeight,
            [
                ContextWeight(
                    form=form, question=w.question, weight=w.weight, prefers=w.prefers, why=w.why
                )
                for w in item.context_weights
            ],
        ),
        (Prerequisite, [_prerequisite_row(form, n, p) for n, p in enumerate(item.prerequisites)]),
        (
            Example,
            [
                Example(
                    form=form, position=n, name=e.name, year=e.year, note=e.note, source=e.source
                )
                for n, e in enumerate(item.examples)
            ],
        ),
    )
    for model, objects in rows:
        create_rows(model, objects, user=user)
    return form


def _coefficient_fields(coefficients: d.FitCoefficients | None) -> dict[str, Any]:
    if coefficients is None:
        return {}
    return {
        "need_coefficient": coefficients.need,
        "context_coefficient": coefficients.context,
        "proportion_coefficient": coefficients.proportion,
    }


def _prerequisite_row(
    form: OrganisationalForm, position: int, item: d.Prerequisite
) -> Prerequisite:
    if item.min_level is not None:
        kind, values = Prerequisite.Kind.MIN_LEVEL, []
    else:
        attribute, kind = next(
            (attribute, kind) for attribute, kind in _PREREQUISITE_KINDS if getattr(item, attribute)
        )
        values = list(getattr(item, attribute))
    return Prerequisite(
        form=form,
        position=position,
        kind=kind,
        question=item.question or "",
        values=values,
        min_level=item.min_level,
        reason=item.reason,
    )


def _checked_against(questionnaire: d.Questionnaire | None) -> d.Questionnaire:
    if questionnaire is None:
        raise ValidationError(NO_QUESTIONNAIRE)
    return questionnaire


@transaction.atomic
def catalogue_seed_load(*, questionnaire: d.Questionnaire | None) -> CatalogueVersion | None:
    """Load the seed catalogue as published version 1, unless a version 1 exists. Its codes
    are checked against `questionnaire`, the one new assessments use."""
    if CatalogueVersion.objects.filter(number=1).exists():
        return None
    data = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))
    document = catalogue_from_document(data, _checked_against(questionnaire), version=1)
    return catalogue_create(document=document, number=1, status=VersionStatus.PUBLISHED)


def edition_file(number: int) -> Path:
    """The seed file of catalogue edition `number`: seed/catalogue-v<number>.yaml."""
    return SEED_DIR / f"catalogue-v{number}.yaml"


@transaction.atomic
def catalogue_edition_load(
    *, number: int, questionnaire: d.Questionnaire | None
) -> CatalogueVersion | None:
    """Publish the seed file of catalogue edition `number` as version `number`, as an admin
    would: import it as a draft, check it against `questionnaire` (the questionnaire the
    edition is written for, which its caller publishes first) and publish it, which retires
    the version published before it and keeps it unchanged.

    Changes nothing and returns None when a version `number` exists (published, retired or
    a draft). The seed file holds forms only, so the new version keeps the method settings
    of the version it replaces (the defaults when there is none). Raises DocumentError,
    PublishRefused or ValidationError, writing nothing, when the file or the checks fail.
    """
    if CatalogueVersion.objects.filter(number=number).exists():
        return None
    checked_against = _checked_against(questionnaire)
    expected = next_version_number(CatalogueVersion)
    if number != expected:
        raise ValidationError(
            f"Catalogue version {number} cannot be loaded: the next version is {expected}. "
            f"Load the editions in order."
        )
    path = edition_file(number)
    if not path.exists():
        raise ValidationError(f"There is no seed file for catalogue version {number} ({path}).")
    seed = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(seed, dict) and seed.get("version", number) != number:
        raise ValidationError(
            f"{path.name} holds catalogue version {seed['version']!r}, not {number}."
        )
    draft = catalogue_import(
        data=document_from_json(json.dumps(_edition_document(seed, number=number))),
        questionnaire=checked_against,
    )
    return catalogue_publish(version=draft, user=None, questionnaire=checked_against)


def _edition_document(seed: Any, *, number: int) -> Any:
    """The seed file as the admin's import reads a file: the export's shape, carrying
    forward the method settings of the published version when the seed gives none."""
    if not isinstance(seed, dict):
        return seed  # the import refuses it, saying why
    document: dict[str, Any] = {
        "format": DOCUMENT_FORMAT,
        "note": f"Edition {number} of the catalogue, loaded from {edition_file(number).name}.",
        **seed,
    }
    published = selectors.catalogue_published_or_none()
    if "method" not in document and published is not None:
        document["method"] = catalogue_export(version=published)["method"]
    return document


def catalogue_export(*, version: CatalogueVersion) -> dict[str, Any]:
    """The version as a document: the seed's shape, plus its method settings and note."""
    catalogue, method = selectors.catalogue_definition(version)
    return catalogue_to_document(catalogue, method, note=version.note, status=version.status)


@transaction.atomic
def catalogue_import(
    *, data: Any, questionnaire: d.Questionnaire | None, user: Any = None
) -> CatalogueVersion:
    """A new draft from a document, checked whole (its codes against `questionnaire`) and
    applied whole.

    Raises DocumentError listing every problem; nothing is written unless there are none.
    """
    checked_against = _checked_against(questionnaire)
    refuse_second_draft(CatalogueVersion)
    number = next_version_number(CatalogueVersion)
    document = catalogue_from_document(data, checked_against, version=number)
    return catalogue_create(document=document, number=number, status=VersionStatus.DRAFT, user=user)


@transaction.atomic
def catalogue_new_draft(*, source: CatalogueVersion, user: Any) -> CatalogueVersion:
    """A draft copy of `source` (every form, weight, prerequisite, example and setting)."""
    refuse_second_draft(CatalogueVersion)
    catalogue, method = selectors.catalogue_definition(source)
    document = CatalogueDocument(
        catalogue=catalogue, method=method, note=f"Draft made from version {source.number}."
    )
    return catalogue_create(
        document=document,
        number=next_version_number(CatalogueVersion),
        status=VersionStatus.DRAFT,
        user=user,
    )


def catalogue_problems(
    version: CatalogueVersion, *, questionnaire: d.Questionnaire | None
) -> list[str]:
    """Everything that stops a catalogue version being published with `questionnaire`, the
    questionnaire new assessments use (None when none is published)."""
    problems: list[str] = []
    rows: list[Any] = [version.method]
    for form in selectors.forms_with_details(version):
        rows.append(form)
        rows.extend(form.domain_weights.all())
        rows.extend(form.context_weights.all())
        rows.extend(form.prerequisites.all())
        rows.extend(form.examples.all())
        if not form.domain_weights.all():
            problems.append(f"{form.name} needs at least one domain weight.")
    for row in rows:
        try:
            row.full_clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                label = "" if field == "__all__" else f" ({field})"
                problems += [f"{row._meta.verbose_name} “{row}”{label}: {m}" for m in messages]
    try:
        catalogue, method = selectors.catalogue_definition(version)
    except ValueError as error:  # method settings the engine cannot use
        return [*problems, str(error)]
    if not catalogue.forms:
        problems.append("The catalogue needs at least one organisational form.")
    problems += d.settings_problems(method)
    if questionnaire is None:
        problems.append(NO_QUESTIONNAIRE)
    else:
        problems += check_catalogue(catalogue, questionnaire)
    return list(dict.fromkeys(problems))


@transaction.atomic
def catalogue_publish(
    *, version: CatalogueVersion, user: Any, questionnaire: d.Questionnaire | None
) -> CatalogueVersion:
    """Check a draft against `questionnaire` and make it the version new assessments use."""
    version = CatalogueVersion.objects.select_for_update().get(pk=version.pk)
    problems = catalogue_problems(version, questionnaire=questionnaire)
    publish_version(version, user=user, problems=problems)
    return version


__all__ = [
    "DocumentError",
    "catalogue_create",
    "catalogue_edition_load",
    "catalogue_export",
    "catalogue_import",
    "catalogue_new_draft",
    "catalogue_problems",
    "catalogue_publish",
    "catalogue_seed_load",
]
