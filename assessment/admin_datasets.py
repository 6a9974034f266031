"""The admin's page for loading a published dataset: its file, where it comes from, its
layout and what each metric answers. The whole file is checked before anything is stored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpRequest

from assessment.datasets import (
    CONVERSIONS,
    LONG,
    InvalidMappings,
    Layout,
    parse_mappings,
    read_dataset,
)
from assessment.models import PublishedDataset
from assessment.services.datasets import known_ods_codes, published_dataset_store
from assessment.services.metrics import published_dataset_initial
from assessment.services.published import questionnaire_published_definition

FILE_MAX_BYTES = 20 * 1024 * 1024
PROBLEMS_SHOWN = 500


def _formfield(field: Any, **kwargs: Any) -> Any:
    if field.name == "link":  # publishers' addresses are https: say so, as Django 6 will
        return forms.URLField(
            assume_scheme="https", max_length=500, label="Link", help_text=field.help_text
        )
    return field.formfield(**kwargs)


class PublishedDatasetForm(forms.ModelForm):
    file = forms.FileField(
        help_text="A CSV or XLSX file as the publisher gives it, up to 20 MB. Only the first "
        "sheet of a workbook is read."
    )

    class Meta:
        model = PublishedDataset
        formfield_callback = _formfield
        fields = (
            "file",
            "publisher",
            "title",
            "period",
            "period_end",
            "licence",
            "link",
            "layout",
            "organisation_column",
            "metric_column",
            "value_column",
            "filter_column",
            "filter_value",
            "mappings",
        )
        help_texts = {
            "organisation_column": "The heading of the column that holds each organisation's "
            "ODS code, like Trust_code.",
            "metric_column": "Long layout only: the heading of the column naming the metric, "
            "like Metric_ID.",
            "value_column": "Long layout only: the heading of the column holding the value, "
            "like Value.",
            "mappings": "One line per metric: the metric (a long file's metric ID, or a wide "
            "file's column heading), “=”, the question code, and a conversion in brackets "
            "if it needs one: “OF0084 = WORK-4”, “OF0023 = PERF-2 (ratio-to-percent)”, "
            "“Overall = QUAL-1 (rating)”. Conversions: "
            + "; ".join(f"{code}: {label}" for code, label in CONVERSIONS.items())
            + ".",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is None or self.errors:
            return data
        if upload.size > FILE_MAX_BYTES:
            raise forms.ValidationError(
                "The file is larger than 20 MB. Load the rows for one period at a time, or "
                "save only the columns you map."
            )
        if bool(data.get("filter_column")) != bool(data.get("filter_value")):
            raise forms.ValidationError(
                "To read only some rows, give both the column and the value it holds on "
                "them; otherwise leave both empty."
            )
        if data.get("layout") == LONG and not (
            data.get("metric_column") and data.get("value_column")
        ):
            raise forms.ValidationError(
                "A long file needs the headings of its metric and value columns."
            )
        definition = questionnaire_published_definition()
        if definition is None:
            raise forms.ValidationError("Publish a questionnaire version first.")
        questions = {question.code: question for question in definition.questions}
        try:
            mappings = parse_mappings(data.get("mappings", ""), questions)
        except InvalidMappings as error:
            self.add_error("mappings", error.messages)
            return data
        read = read_dataset(
            upload.read(),
            upload.name,
            Layout(
                kind=data["layout"],
                organisation_column=data["organisation_column"].strip(),
                metric_column=(data.get("metric_column") or "").strip(),
                value_column=(data.get("value_column") or "").strip(),
                filter_column=(data.get("filter_column") or "").strip(),
                filter_value=(data.get("filter_value") or "").strip(),
            ),
            mappings,
            questions,
            known_ods_codes(),
        )
        if read.problems:
            shown = [
                (f"Row {p.row}, column “{p.column}”: " if p.row else "")
                + (f"column “{p.column}”: " if p.row is None and p.column else "")
                + p.message
                for p in read.problems[:PROBLEMS_SHOWN]
            ]
            if len(read.problems) > PROBLEMS_SHOWN:
                shown.append(
                    f"and {len(read.problems) - PROBLEMS_SHOWN} more problems. Nothing was "
                    "stored: fix these and load the file again."
                )
            raise forms.ValidationError(
                [f"Nothing was stored: the file has {len(read.problems)} problems.", *shown]
            )
        self.read = read
        return data


@admin.register(PublishedDataset)
class PublishedDatasetAdmin(admin.ModelAdmin):
    form = PublishedDatasetForm
    list_display = ("__str__", "publisher", "period_end", "value_count", "loaded_at", "loaded_by")
    search_fields = ("title", "publisher", "period")
    # A loaded dataset shows what was given for it and what the load found.
    readonly_fields = (
        *(name for name in PublishedDatasetForm.Meta.fields if name != "file"),
        "file_name",
        "rows_read",
        "blanks",
        "unknown_organisations",
        "value_count",
        "loaded_by",
        "loaded_at",
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).annotate(value_total=Count("values"))

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "link":
            return _formfield(db_field)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="figures stored", ordering="value_total")
    def value_count(self, dataset: PublishedDataset) -> int:
        return dataset.value_total  # type: ignore[attr-defined]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        # Values in the address (a metric mapping's "load a file" link) are used as given;
        # without any, the form starts from the default mappings of the questionnaire
        # version in use, for the NHS Oversight Framework's long metrics file.
        initial = super().get_changeform_initial_data(request)
        return initial or published_dataset_initial()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A loaded dataset is a record of what was published: load a new one to change it.
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return self.readonly_fields
        return PublishedDatasetForm.Meta.fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.file_name = form.cleaned_data["file"].name[:255]
        published_dataset_store(dataset=obj, read=form.read, user=request.user)
        skipped = len(form.read.unknown_organisations)
        unmapped = form.read.unmapped_metrics
        messages.info(
            request,
            f"Stored {len(form.read.values)} figures from {form.read.rows_read} rows. "
            f"{skipped} organisations the service does not know were skipped"
            + (
                f"; {form.read.blanks} blank or suppressed values were left out."
                if form.read.blanks
                else "."
            )
            + (
                f" Metrics in the file that no mapping names, so not read: {', '.join(unmapped)}."
                if unmapped
                else ""
            ),
        )
