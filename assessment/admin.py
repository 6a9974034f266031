"""Admin for trusts and memberships, and for the questionnaire in published versions."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from assessment import services
from assessment.models import (
    Band,
    Domain,
    Membership,
    Option,
    Organisation,
    Question,
    QuestionnaireVersion,
)
from assessment.services.questionnaire_documents import (
    MAX_DOCUMENT_BYTES,
    questionnaire_export,
    questionnaire_from_json,
    questionnaire_import,
)
from assessment.uploads import problems_listed
from models_catalogue.admin_versions import (
    DraftVersionChoiceMixin,
    LockedInlineMixin,
    LockedRowAdminMixin,
    VersionAdmin,
)
from models_catalogue.documents import DocumentError


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    raw_id_fields = ("user",)
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "ods_code", "require_two_factor", "member_count")
    list_filter = ("require_two_factor",)
    search_fields = ("name", "ods_code")
    inlines = (MembershipInline,)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).annotate(member_total=Count("memberships"))

    @admin.display(description="board members", ordering="member_total")
    def member_count(self, organisation: Organisation) -> int:
        return organisation.member_total  # type: ignore[attr-defined]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role", "organisation")
    list_select_related = ("user", "organisation")
    search_fields = ("user__email", "user__first_name", "user__last_name", "organisation__name")
    raw_id_fields = ("user",)


class DomainInline(LockedInlineMixin, admin.TabularInline):
    model = Domain
    fields = ("position", "code", "name", "scored", "weight")
    extra = 0


class QuestionnaireImportForm(forms.Form):
    file = forms.FileField(
        label="Questionnaire file (JSON)",
        help_text="A file exported from this admin, or one in the same shape. It becomes a new "
        "draft; nothing changes unless the whole file is valid.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise ValidationError(
                "The file is larger than 2 MB. Check it is a questionnaire export."
            )
        try:
            return questionnaire_from_json(upload.read())
        except DocumentError as error:
            raise ValidationError(error.problems) from error


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(VersionAdmin):
    inlines = (DomainInline,)
    fields = ("number", "status", "title", "verdict_question", "note", *VersionAdmin.fields[3:])
    list_display = ("__str__", "status", "question_count", "note", "published_at", "published_by")
    actions = (*VersionAdmin.actions, "export_selected")
    change_list_template = "admin/assessment/questionnaireversion/change_list.html"

    publish = staticmethod(services.questionnaire_publish)
    new_draft = staticmethod(services.questionnaire_new_draft)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).annotate(question_total=Count("questions"))

    @admin.display(description="questions", ordering="question_total")
    def question_count(self, version: QuestionnaireVersion) -> int:
        return version.question_total  # type: ignore[attr-defined]

    def history_sources(self, version: QuestionnaireVersion) -> list[tuple[Any, Q]]:
        question_ids = Question.history.filter(version_id=version.pk).values("id")
        return [
            (QuestionnaireVersion, Q(id=version.pk)),
            (Domain, Q(version_id=version.pk)),
            (Question, Q(version_id=version.pk)),
            (Option, Q(question_id__in=question_ids)),
            (Band, Q(question_id__in=question_ids)),
        ]

    def extra_tools(self, version: QuestionnaireVersion) -> list[tuple[str, str]]:
        questions = reverse("admin:assessment_question_changelist")
        return [
            (f"{questions}?version__id__exact={version.pk}", "Questions in this version"),
            (
                reverse("admin:assessment_questionnaireversion_export", args=[version.pk]),
                "Export as JSON",
            ),
        ]

    def get_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="assessment_questionnaireversion_import"),
            path(
                "<int:pk>/export/",
                wrap(self.export_view),
                name="assessment_questionnaireversion_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._download(self._version(request, pk, change=False))

    @staticmethod
    def _download(version: QuestionnaireVersion) -> HttpResponse:
        document = questionnaire_export(version=version)
        body = json.dumps(document, indent=2, ensure_ascii=False)
        response = HttpResponse(body + "\n", content_type="application/json; charset=utf-8")
        name = f"questionnaire-version-{version.number}.json"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Export the selected version as JSON")
    def export_selected(self, request: HttpRequest, queryset: Any) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one version to export.", messages.ERROR)
            return None
        return self._download(queryset.get())

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not super(VersionAdmin, self).has_change_permission(request):
            raise PermissionDenied
        problems: list[str] = []
        form = QuestionnaireImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                draft = questionnaire_import(document=form.cleaned_data["file"], user=request.user)
            except DocumentError as error:
                problems = error.problems
            except ValidationError as error:
                problems = list(error.messages)
            else:
                self.message_user(
                    request,
                    f"Imported as version {draft.number}, a draft. Check it, then publish it.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self._change_url(draft))
        context = {
            **self.admin_site.each_context(request),
            "title": "Import a questionnaire version",
            "opts": self.model._meta,
            "form": form,
            "problems": problems_listed(problems),
            "problem_count": len(problems),
        }
        return TemplateResponse(
            request, "admin/assessment/questionnaireversion/import.html", context
        )


class OptionInline(LockedInlineMixin, admin.TabularInline):
    model = Option
    fields = ("position", "value", "label", "level", "critical_rule")
    extra = 0


class BandInline(LockedInlineMixin, admin.TabularInline):
    model = Band
    fields = ("position", "minimum", "maximum", "level")
    extra = 0


@admin.register(Question)
class QuestionAdmin(DraftVersionChoiceMixin, LockedRowAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "code",
        "short_text",
        "kind",
        "answered_by",
        "changeable",
        "domain",
        "weight",
        "version",
    )
    list_filter = ("version", "kind", "answered_by", "changeable", "domain__code")
    list_select_related = ("version", "domain")
    search_fields = ("code", "text", "guidance")
    ordering = ("-version__number", "domain__position", "position")
    inlines = (OptionInline, BandInline)
    fieldsets = (
        (None, {"fields": ("version", "domain", "code", "position", "kind", "text", "weight")}),
        (
            "Who answers it, and what the board can change",
            {"fields": ("answered_by", "changeable")},
        ),
        ("Guidance", {"fields": ("guidance", "basis")}),
        ("Numbers", {"fields": ("unit", "minimum", "maximum")}),
        (
            "When it applies, and critical answers",
            {
                "fields": (
                    "allow_na",
                    "applies_to",
                    "critical_rule",
                    "critical_below",
                    "critical_above",
                )
            },
        ),
    )

    @admin.display(description="question")
    def short_text(self, question: Question) -> str:
        return question.text if len(question.text) <= 80 else question.text[:77] + "…"

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "domain":
            kwargs["queryset"] = Domain.objects.filter(version__status="draft").select_related(
                "version"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


from assessment import admin_datasets  # noqa: E402,F401 - registers the datasets admin
