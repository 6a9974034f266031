"""Board-facing pages of the catalogue: the menu of organisational forms and one page per form."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessment.services.published import questionnaire_published_definition
from models_catalogue import selectors
from models_catalogue.models import CatalogueVersion, OrganisationalForm


def _version(number: int | None) -> CatalogueVersion:
    try:
        return selectors.version_for_reading(number)
    except CatalogueVersion.DoesNotExist as missing:
        raise Http404("No such catalogue version") from missing


@require_GET
def forms_menu(request: HttpRequest, number: int | None = None) -> HttpResponse:
    version = _version(number)
    context = {"version": version, "families": selectors.forms_menu(version)}
    return render(request, "models_catalogue/forms_menu.html", context)


@require_GET
def form_detail(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    version = _version(number)
    try:
        form = selectors.form_for_reading(version, slug)
    except OrganisationalForm.DoesNotExist as missing:
        raise Http404("No such organisational form") from missing
    labels = selectors.question_labels(questionnaire_published_definition())
    context = {
        "version": version,
        "form": form,
        "labels": labels,
        "weighting": selectors.form_weighting(version, form),
    }
    return render(request, "models_catalogue/form_detail.html", context)
