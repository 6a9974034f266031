"""Admin for trusts and memberships, and for the questionnaire in published versions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
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
    QUESTIONNAIRE,
    questionnaire_export,
    questionnaire_import,
)
from models_catalogue.admin_versions import (
    DocumentVersionAdmin,
    DraftVersionChoiceMixin,
    LockedInlineMixin,
    LockedRowAdminMixin,
    VersionAdmin,
)


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


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(DocumentVersionAdmin):
    inlines = (DomainInline,)
    fields = (
        "number",
        "status",
        "title",
        "verdict_question",
        "removed_codes",
        "note",
        *VersionAdmin.fields[3:],
    )
    list_display = ("__str__", "status", "question_count", "note", "published_at", "published_by")
    change_list_template = "admin/assessment/questionnaireversion/change_list.html"
    import_template = "admin/assessment/questionnaireversion/import.html"

    document_kind = QUESTIONNAIRE
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
            *super().extra_tools(version),
        ]

    def export_document(self, version: QuestionnaireVersion) -> dict[str, Any]:
        return questionnaire_export(version=version)

    def import_document(self, data: Any, *, user: Any) -> QuestionnaireVersion:
        return questionnaire_import(document=data, user=user)


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


from assessment import admin_datasets  # noqa: E402,F401,I001 - registers the datasets admin
from assessment import admin_submissions  # noqa: E402,F401 - registers the submissions admin
from assessment import admin_metrics  # noqa: E402,F401 - registers the metric mappings admin
