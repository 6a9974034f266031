"""The Django admin is the catalogue's editing tool: drafts are edited, then published."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from assessment.scoring import definitions as d
from assessment.services.published import questionnaire_published_definition
from models_catalogue import services
from models_catalogue.admin_versions import (
    ADMIN_CSS,
    DocumentVersionAdmin,
    DraftVersionChoiceMixin,
    LockedInlineMixin,
    LockedRowAdminMixin,
    NonEmptyInlineFormSet,
)
from models_catalogue.documents import CATALOGUE
from models_catalogue.models import (
    CatalogueVersion,
    ContextWeight,
    DomainWeight,
    Example,
    MethodSettings,
    OrganisationalForm,
    Prerequisite,
)

Choices = list[tuple[str, str]]


def _question_choices(questionnaire: d.Questionnaire | None) -> tuple[Choices, Choices, Choices]:
    """Scored domains, context questions and all questions of `questionnaire`, as choices:
    an admin picks codes that exist instead of typing them."""
    if questionnaire is None:
        return [], [], []
    scored = {domain.code for domain in questionnaire.domains if domain.scored}
    domains = [
        (domain.code, f"{domain.code}: {domain.name}")
        for domain in questionnaire.domains
        if domain.scored
    ]
    every = [(q.code, f"{q.code}: {q.text[:70]}") for q in questionnaire.questions]
    context = [
        choice
        for choice, q in zip(every, questionnaire.questions, strict=True)
        if q.domain not in scored and q.kind != d.PROFILE
    ]
    return domains, context, every


class _InlineSizes:
    """Inline texts start short (three rows); the stylesheet sets every inline widget's
    width so that the form's page fits a laptop screen."""

    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 3})}}


class _CodeChoiceInline(_InlineSizes, LockedInlineMixin, admin.TabularInline):
    """An inline whose code field offers the codes of the published questionnaire."""

    code_field = ""
    choices_index = 0

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        if self.has_change_permission(request, obj) and self.code_field in formset.form.base_fields:
            choices = _question_choices(questionnaire_published_definition())
            field = formset.form.base_fields[self.code_field]
            # A stored code that no longer exists stays selectable, so it can be seen and fixed.
            formset.form.base_fields[self.code_field] = forms.ChoiceField(
                label=field.label,
                choices=[("", "---------"), *choices[self.choices_index]],
                required=field.required,
                help_text=field.help_text,
            )
        return formset


class DomainWeightFormSet(NonEmptyInlineFormSet):
    empty_message = (
        "Add at least one domain weight: every form must say which scored domains it answers "
        "or needs."
    )


class DomainWeightInline(_CodeChoiceInline):
    model = DomainWeight
    formset = DomainWeightFormSet
    fields = ("domain", "weight", "prefers", "why")
    extra = 0
    min_num = 1
    code_field = "domain"
    choices_index = 0


class ContextWeightInline(_CodeChoiceInline):
    model = ContextWeight
    fields = ("question", "weight", "prefers", "why")
    extra = 0
    code_field = "question"
    choices_index = 1


class PrerequisiteForm(forms.ModelForm):
    class Meta:
        model = Prerequisite
        fields = ("position", "kind", "question", "values", "min_level", "reason")
        # A short list, typed on one line; the stylesheet sets the width.
        widgets = {"values": forms.TextInput()}


class PrerequisiteInline(_CodeChoiceInline):
    model = Prerequisite
    form = PrerequisiteForm
    extra = 0
    code_field = "question"
    choices_index = 2

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        if "question" in formset.form.base_fields:
            formset.form.base_fields["question"].required = False
        return formset


class ExampleInline(_InlineSizes, LockedInlineMixin, admin.TabularInline):
    model = Example
    fields = ("position", "name", "year", "note", "source")
    extra = 0


class SourcesField(forms.Field):
    """A list of texts, edited one to a line."""

    widget = AdminTextareaWidget(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:
        lines = str(value or "").splitlines()
        return [line.strip() for line in lines if line.strip()]


class OrganisationalFormForm(forms.ModelForm):
    sources = SourcesField(
        required=False,
        help_text="Where the description comes from: one source to a line, as boards will "
        "read it. Leave it empty if there are none.",
    )

    class Meta:
        model = OrganisationalForm
        fields = (
            "version",
            "slug",
            "name",
            "family",
            "role",
            "integration_level",
            "intensity",
            "summary",
            "suits",
            "governance",
            "approvals",
            "months_min",
            "months_max",
            "reversibility",
            "risks",
            "sources",
            "need_coefficient",
            "context_coefficient",
            "proportion_coefficient",
        )


@admin.register(OrganisationalForm)
class OrganisationalFormAdmin(DraftVersionChoiceMixin, LockedRowAdminMixin, SimpleHistoryAdmin):
    form = OrganisationalFormForm
    list_display = ("name", "slug", "family", "role", "integration_level", "intensity", "version")
    list_filter = ("family", "role", "version")
    list_select_related = ("version",)
    search_fields = ("name", "slug", "summary", "suits")
    ordering = ("-version__number", "integration_level", "slug")
    inlines = (DomainWeightInline, ContextWeightInline, PrerequisiteInline, ExampleInline)
    fieldsets = (
        (None, {"fields": ("version", "slug", "name", "family", "role")}),
        ("Place on the Dalton spectrum", {"fields": ("integration_level", "intensity")}),
        (
            "What boards read",
            {
                "fields": (
                    "summary",
                    "suits",
                    "governance",
                    "approvals",
                    ("months_min", "months_max"),
                    "reversibility",
                    "risks",
                    "sources",
                )
            },
        ),
        (
            "Fit coefficients (optional)",
            {
                "description": "Leave all three empty to rank this form with the method's "
                "coefficients. Give all three, adding up to 1, only where the form's case "
                "rests more on the place than on the trust's scores (or the other way round); "
                "boards are told that this form weighs things differently.",
                "fields": ("need_coefficient", "context_coefficient", "proportion_coefficient"),
            },
        ),
    )

    class Media:
        css = ADMIN_CSS  # widget widths that fit the inlines on a laptop screen

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("version")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only (a published form): the sources as a list, not as stored.
        return [
            (name, {**options, "fields": [_source_list(f) for f in options["fields"]]})
            for name, options in fieldsets
        ]

    @admin.display(description="sources")
    def source_list(self, form: OrganisationalForm) -> str:
        if not form.sources:
            return self.get_empty_value_display()
        items = format_html_join("", "<li>{}</li>", ((source,) for source in form.sources))
        return format_html('<ul class="source-list">{}</ul>', items)


def _source_list(field: Any) -> Any:
    return "source_list" if field == "sources" else field


class MethodSettingsInline(LockedInlineMixin, admin.StackedInline):
    model = MethodSettings
    can_delete = False
    fieldsets = (
        (
            "How forms are ranked (the three coefficients add up to 1)",
            {"fields": ("need_coefficient", "context_coefficient", "proportion_coefficient")},
        ),
        (
            "Verdict thresholds",
            {
                "fields": (
                    "lead_index",
                    "lead_domain_floor",
                    "collaborate_index",
                    "at_risk_index",
                    "domain_cap_floor",
                    "critical_count_cap",
                    "provisional_coverage",
                    "divergence_spread",
                )
            },
        ),
    )


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(DocumentVersionAdmin):
    inlines = (MethodSettingsInline,)
    list_display = ("__str__", "status", "form_count", "note", "published_at", "published_by")
    change_list_template = "admin/models_catalogue/catalogueversion/change_list.html"

    document_kind = CATALOGUE
    new_draft = staticmethod(services.catalogue_new_draft)

    def publish(self, *, version: CatalogueVersion, user: Any) -> CatalogueVersion:
        return services.catalogue_publish(
            version=version, user=user, questionnaire=questionnaire_published_definition()
        )

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).annotate(form_total=Count("forms"))

    @admin.display(description="forms", ordering="form_total")
    def form_count(self, version: CatalogueVersion) -> int:
        return version.form_total  # type: ignore[attr-defined]

    def history_sources(self, version: CatalogueVersion) -> list[tuple[Any, Q]]:
        form_ids = OrganisationalForm.history.filter(version_id=version.pk).values("id")
        return [
            (CatalogueVersion, Q(id=version.pk)),
            (MethodSettings, Q(version_id=version.pk)),
            (OrganisationalForm, Q(version_id=version.pk)),
            (DomainWeight, Q(form_id__in=form_ids)),
            (ContextWeight, Q(form_id__in=form_ids)),
            (Prerequisite, Q(form_id__in=form_ids)),
            (Example, Q(form_id__in=form_ids)),
        ]

    def extra_tools(self, version: CatalogueVersion) -> list[tuple[str, str]]:
        forms_url = reverse("admin:models_catalogue_organisationalform_changelist")
        return [
            (f"{forms_url}?version__id__exact={version.pk}", "Forms in this version"),
            *super().extra_tools(version),
        ]

    def export_document(self, version: CatalogueVersion) -> dict[str, Any]:
        return services.catalogue_export(version=version)

    def import_document(self, data: Any, *, user: Any) -> CatalogueVersion:
        return services.catalogue_import(
            data=data, questionnaire=questionnaire_published_definition(), user=user
        )
