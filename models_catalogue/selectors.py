"""Reads of the catalogue, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from django.db.models import Prefetch, QuerySet

from assessment.scoring import definitions as d
from assessment.scoring.decimals import tidy
from assessment.scoring.explain import weighting_note
from models_catalogue.models import (
    CatalogueVersion,
    Example,
    Family,
    OrganisationalForm,
    Prerequisite,
)
from models_catalogue.versioning import VersionStatus


def catalogue_published() -> CatalogueVersion:
    """The catalogue version new assessments use."""
    version = catalogue_published_or_none()
    if version is None:
        raise CatalogueVersion.DoesNotExist(
            "No catalogue is published. Run `manage.py seed` to load version 1."
        )
    return version


def catalogue_published_or_none() -> CatalogueVersion | None:
    return CatalogueVersion.objects.published().first()


def forms_with_details(version: CatalogueVersion) -> QuerySet[OrganisationalForm]:
    """A version's forms with their weights, prerequisites and examples: five queries."""
    return version.forms.prefetch_related(
        "domain_weights",
        "context_weights",
        Prefetch("prerequisites", queryset=Prerequisite.objects.order_by("position", "pk")),
        Prefetch("examples", queryset=Example.objects.order_by("position", "pk")),
    )


def catalogue_definition(version: CatalogueVersion) -> tuple[d.Catalogue, d.MethodSettings]:
    """The engine's view of a catalogue version and its method settings, in six queries."""
    forms = tuple(form_definition(form) for form in forms_with_details(version))
    return d.Catalogue(version=version.number, forms=forms), method_definition(version)


def method_definition(version: CatalogueVersion) -> d.MethodSettings:
    method = version.method
    return d.MethodSettings(
        version=version.number,
        need_coefficient=tidy(method.need_coefficient),
        context_coefficient=tidy(method.context_coefficient),
        proportion_coefficient=tidy(method.proportion_coefficient),
        lead_index=tidy(method.lead_index),
        lead_domain_floor=tidy(method.lead_domain_floor),
        collaborate_index=tidy(method.collaborate_index),
        at_risk_index=tidy(method.at_risk_index),
        domain_cap_floor=tidy(method.domain_cap_floor),
        critical_count_cap=Decimal(method.critical_count_cap),
        provisional_coverage=tidy(method.provisional_coverage),
        divergence_spread=Decimal(method.divergence_spread),
    )


def form_definition(form: OrganisationalForm) -> d.Form:
    return d.Form(
        slug=form.slug,
        name=form.name,
        family=form.family,
        role=form.role,
        integration_level=form.integration_level,
        intensity=tidy(form.intensity),
        summary=form.summary,
        suits=form.suits,
        governance=form.governance,
        approvals=form.approvals,
        months_min=form.months_min,
        months_max=form.months_max,
        reversibility=form.reversibility,
        risk_note=form.risks,
        sources=tuple(form.sources),
        domain_weights=tuple(
            d.DomainWeight(domain=w.domain, weight=tidy(w.weight), prefers=w.prefers, why=w.why)
            for w in form.domain_weights.all()
        ),
        context_weights=tuple(
            d.ContextWeight(
                question=w.question, weight=tidy(w.weight), prefers=w.prefers, why=w.why
            )
            for w in form.context_weights.all()
        ),
        prerequisites=tuple(_prerequisite(p) for p in form.prerequisites.all()),
        examples=tuple(
            d.Example(name=e.name, year=e.year, note=e.note, source=e.source)
            for e in form.examples.all()
        ),
        coefficients=_coefficients(form),
    )


def _coefficients(form: OrganisationalForm) -> d.FitCoefficients | None:
    """The form's own fit coefficients, or None to use the method's. A partial set, which
    publishing refuses, reads as none."""
    need, context, proportion = (
        form.need_coefficient,
        form.context_coefficient,
        form.proportion_coefficient,
    )
    if need is None or context is None or proportion is None:
        return None
    return d.FitCoefficients(need=tidy(need), context=tidy(context), proportion=tidy(proportion))


def _prerequisite(row: Prerequisite) -> d.Prerequisite:
    kind = Prerequisite.Kind
    values = tuple(row.values or ())
    return d.Prerequisite(
        reason=row.reason,
        question=row.question or None,
        answer_in=values if row.kind == kind.ANSWER_IN else (),
        answer_not_in=values if row.kind == kind.ANSWER_NOT_IN else (),
        min_level=row.min_level if row.kind == kind.MIN_LEVEL else None,
        verdict_in=values if row.kind == kind.VERDICT_IN else (),
        verdict_not_in=values if row.kind == kind.VERDICT_NOT_IN else (),
    )


FAMILY_DESCRIPTIONS = {
    "none": "The trust keeps its present form and improves through its own plan.",
    "support": "A strong trust lends leaders and systems to one that needs them, with no "
    "change of form.",
    "collaboration": "Separate organisations work together on services or back-office "
    "functions; each keeps its own board.",
    "contractual": "One provider runs a service, or the whole trust, for another under a contract.",
    "consolidation": "Organisations come together under shared leadership, one group or one board.",
}


@dataclass(frozen=True)
class FamilyGroup:
    code: str
    label: str
    description: str
    forms: list[OrganisationalForm]


def version_for_reading(number: int | None) -> CatalogueVersion:
    """The published version, or a numbered version that has been published (an assessment
    links to the version it used). Drafts are for admins only."""
    if number is None:
        return catalogue_published()
    return CatalogueVersion.objects.exclude(status=VersionStatus.DRAFT).get(number=number)


def forms_menu(version: CatalogueVersion) -> list[FamilyGroup]:
    """The menu grouped by family, families along the integration spectrum. One query."""
    forms = list(version.forms.order_by("integration_level", "slug"))
    groups: dict[str, list[OrganisationalForm]] = {}
    for form in forms:
        groups.setdefault(form.family, []).append(form)
    labels = dict(Family.choices)
    return [
        FamilyGroup(
            code=family,
            label=labels.get(family, family),
            description=FAMILY_DESCRIPTIONS.get(family, ""),
            forms=members,
        )
        for family, members in groups.items()
    ]


def form_for_reading(version: CatalogueVersion, slug: str) -> OrganisationalForm:
    """One form with everything its page shows: five queries."""
    return forms_with_details(version).get(slug=slug)


def form_weighting(version: CatalogueVersion, form: OrganisationalForm) -> str:
    """What the form's own fit coefficients change, in the words of its explanation; empty
    when it uses the method's. One query for a form with its own, none otherwise."""
    if not form.has_own_coefficients:
        return ""
    return weighting_note(form_definition(form), method_definition(version))


def question_labels(questionnaire: d.Questionnaire | None) -> dict[str, str]:
    """Names of domains and texts of questions, by code, so pages can say what a weight or
    prerequisite refers to. The caller passes the questionnaire (None when none is
    published, when codes are shown as they are)."""
    if questionnaire is None:
        return {}
    labels = {domain.code: domain.name for domain in questionnaire.domains}
    labels.update((question.code, question.text) for question in questionnaire.questions)
    return labels


def catalogue_pinned(version: CatalogueVersion) -> tuple[d.Catalogue, d.MethodSettings]:
    """A published or retired version's definition, read once per process: such versions
    never change. Drafts are read afresh every time."""
    if version.is_draft or version.published_at is None:
        return catalogue_definition(version)
    return _catalogue_cached(version.pk, version.published_at)


@lru_cache(maxsize=16)
def _catalogue_cached(pk: int, published_at: datetime) -> tuple[d.Catalogue, d.MethodSettings]:
    return catalogue_definition(CatalogueVersion.objects.get(pk=pk))
