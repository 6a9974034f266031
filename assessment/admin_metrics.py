"""The admin's pages for the default metric mappings: which published metric answers which
question of a questionnaire version. Each question code is checked against the version the
mapping names before it is saved."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from assessment.models import MetricMapping
from assessment.services.metrics import metric_mapping_problem, nof_dataset_initial


class MetricMappingForm(forms.ModelForm):
    class Meta:
        model = MetricMapping
        fields = (
            "framework",
            "questionnaire_version",
            "layout",
            "metric_id",
            "metric_name",
            "question_code",
            "conversion",
            "unit",
            "verified",
            "note",
        )

    def clean_question_code(self) -> str:
        return str(self.cleaned_data.get("question_code", "")).strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        version = data.get("questionnaire_version")
        code = data.get("question_code")
        if version is None or not code or "conversion" not in data:
            return data
        problem = metric_mapping_problem(
            version=version,
            question_code=code,
            conversion=data["conversion"],
            metric_id=data.get("metric_id", ""),
        )
        if problem is not None:
            self.add_error("question_code", problem)
        return data


@admin.register(MetricMapping)
class MetricMappingAdmin(admin.ModelAdmin):
    form = MetricMappingForm
    list_display = (
        "metric_id",
        "question_code",
        "questionnaire_version",
        "layout",
        "conversion",
        "verified",
        "framework",
    )
    list_filter = ("verified", "questionnaire_version", "layout", "framework")
    search_fields = ("metric_id", "metric_name", "question_code", "note")
    readonly_fields = ("load_a_file",)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(MetricMappingForm.Meta.fields)
        return [*fields, "load_a_file"] if obj is not None else fields

    @admin.display(description="Load a file with these mappings")
    def load_a_file(self, mapping: MetricMapping) -> str:
        initial = nof_dataset_initial(version=mapping.questionnaire_version, layout=mapping.layout)
        url = f"{reverse('admin:assessment_publisheddataset_add')}?{urlencode(initial)}"
        return format_html(
            '<a href="{}">Load a {} file with the version {} mappings</a>',
            url,
            mapping.layout,
            mapping.questionnaire_version,
        )
