"""Admin building blocks shared by every versioned catalogue: the catalogue of forms and the
questionnaire. A version's admin publishes, makes new drafts and shows the history of every
change in the version, and exports a version as JSON and imports one as a new draft; its
rows are editable only while their version is a draft."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST
from simple_history.admin import SimpleHistoryAdmin

from assessment.uploads import problems_listed
from models_catalogue.versioned_documents import MAX_DOCUMENT_BYTES, DocumentError, DocumentKind
from models_catalogue.versioning import PublishRefused, Version, VersionedRow

HISTORY_FIELDS = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    "history_user_id",
}
CHANGE_TYPES = {"+": "Created", "~": "Changed", "-": "Deleted"}
# The admin's own stylesheet, loaded through Media: the site's CSP allows no inline style.
ADMIN_CSS = {"all": ("css/admin.css",)}


@dataclass(frozen=True)
class ChangeRow:
    when: Any
    who: str
    what: str
    subject: str
    change: str
    details: list[str]


def version_changes(sources: Iterable[tuple[type[models.Model], models.Q]]) -> list[ChangeRow]:
    """Every recorded change to the given rows, newest first, with what each changed.

    `sources` pairs a model that has `history` with a filter selecting its rows of one
    version. One query per model, whatever the number of rows or changes.
    """
    rows: list[ChangeRow] = []
    for model, selection in sources:
        history_model = model.history.model  # type: ignore[attr-defined]
        fields = [
            field.attname
            for field in history_model._meta.concrete_fields
            if field.attname not in HISTORY_FIELDS
        ]
        records = (
            history_model.objects.filter(selection)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        user_fields = {
            field.attname
            for field in history_model._meta.concrete_fields
            if field.attname in fields and getattr(field, "related_model", None) is get_user_model()
        }
        records = list(records)
        names = _usernames(
            {getattr(record, name) for record in records for name in user_fields} - {None}
        )
        previous: dict[Any, Any] = {}
        verbose = str(model._meta.verbose_name).capitalize()
        for record in records:
            before = previous.get(record.id)
            details = []
            if record.history_type == "~" and before is not None:
                for name in fields:
                    old, new = getattr(before, name), getattr(record, name)
                    if old != new:
                        label = name.removesuffix("_id").replace("_", " ")
                        if name in user_fields:
                            old, new = names.get(old, old), names.get(new, new)
                        details.append(f"{label}: {_shown(old)} → {_shown(new)}")
            previous[record.id] = record
            if record.history_type == "~" and not details:
                continue
            user = record.history_user
            rows.append(
                ChangeRow(
                    when=record.history_date,
                    who=user.get_username() if user else "System (seed or import)",
                    what=verbose,
                    subject=str(record.instance),
                    change=CHANGE_TYPES.get(record.history_type, record.history_type),
                    details=details,
                )
            )
    rows.sort(key=lambda row: row.when, reverse=True)
    return rows


def _usernames(ids: set[Any]) -> dict[Any, str]:
    if not ids:
        return {}
    users = get_user_model().objects.filter(pk__in=ids)
    return {user.pk: user.get_username() for user in users}


def _shown(value: Any) -> str:
    if value in (None, ""):
        return "(empty)"
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


class LockedRowAdminMixin:
    """Rows of a published or retired version are shown read-only."""

    def _locked(self, obj: VersionedRow | None) -> bool:
        return obj is not None and obj.pk is not None and not obj.owning_version().is_draft

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not self._locked(obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not self._locked(obj)  # type: ignore[misc]


class LockedInlineMixin:
    """Inlines of a row whose version is locked offer no editing, adding or deleting."""

    def _parent_locked(self, obj: Any) -> bool:
        if obj is None or obj.pk is None:
            return False
        version = obj if isinstance(obj, Version) else obj.owning_version()
        return not version.is_draft

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) and not self._parent_locked(obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not self._parent_locked(obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not self._parent_locked(obj)  # type: ignore[misc]


class DraftVersionChoiceMixin:
    """New rows can only be added to a draft version."""

    version_field = "version"

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == self.version_field:
            kwargs["queryset"] = db_field.related_model.objects.drafts()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class VersionAdmin(SimpleHistoryAdmin):
    """Admin for a version model: publish, new draft, and the history of its changes."""

    change_form_template = "admin/versions/change_form.html"
    list_display = ("__str__", "status", "note", "published_at", "published_by")
    list_filter = ("status",)
    readonly_fields = (
        "number",
        "status",
        "created_at",
        "created_by",
        "published_at",
        "published_by",
    )
    fields = (
        "number",
        "status",
        "note",
        "created_at",
        "created_by",
        "published_at",
        "published_by",
    )
    list_select_related = ("published_by",)
    actions: tuple[str, ...] = ("publish_selected", "new_draft_from_selected")

    # Set by subclasses.
    publish: Callable[..., Any]
    new_draft: Callable[..., Any]

    class Media:
        css = ADMIN_CSS  # the version actions drawn as buttons

    def history_sources(self, version: Any) -> list[tuple[type[models.Model], models.Q]]:
        raise NotImplementedError

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Versions are made by "new draft" or an import, never from a blank form.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.is_draft)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.is_draft)

    def get_urls(self) -> list[Any]:
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        wrap = self.admin_site.admin_view
        return [
            # GET asks for confirmation; only a POST (with its CSRF token) publishes.
            path(
                "<int:pk>/publish/",
                wrap(require_http_methods(["GET", "POST"])(self.publish_view)),
                name=f"{prefix}_publish",
            ),
            path(
                "<int:pk>/new-draft/",
                wrap(require_POST(self.new_draft_view)),
                name=f"{prefix}_new_draft",
            ),
            path("<int:pk>/changes/", wrap(self.changes_view), name=f"{prefix}_changes"),
            *super().get_urls(),
        ]

    def url_name(self, action: str) -> str:
        return f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_{action}"

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        version = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if version is not None:
            context.update(
                version=version,
                publish_url=reverse(self.url_name("publish"), args=[version.pk]),
                new_draft_url=reverse(self.url_name("new_draft"), args=[version.pk]),
                changes_url=reverse(self.url_name("changes"), args=[version.pk]),
                extra_tools=self.extra_tools(version),
            )
        return super().change_view(request, object_id, form_url, context)

    def extra_tools(self, version: Any) -> list[tuple[str, str]]:
        return []

    def _version(self, request: HttpRequest, pk: int, *, change: bool = True) -> Any:
        allowed = (
            super().has_change_permission(request)
            if change
            else self.has_view_or_change_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        return get_object_or_404(self.model, pk=pk)

    def _change_url(self, version: Any) -> str:
        return reverse(
            f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change",
            args=[version.pk],
        )

    def publish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self._version(request, pk)
        if not version.is_draft:
            self.message_user(
                request,
                f"Version {version.number} is {version.get_status_display().lower()}, so it "
                "cannot be published again. To change it, make a new draft from it.",
                messages.ERROR,
            )
            return HttpResponseRedirect(self._change_url(version))
        if request.method == "POST":
            self._publish(request, version)
            return HttpResponseRedirect(self._change_url(version))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Publish {self.model._meta.verbose_name} {version.number}?",
            "opts": self.model._meta,
            "media": self.media,
            "version": version,
            "replaces": self.model.objects.published().first(),
            "change_url": self._change_url(version),
        }
        return TemplateResponse(request, "admin/versions/publish.html", context)

    def new_draft_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self._version(request, pk)
        draft = self._new_draft(request, version)
        return HttpResponseRedirect(self._change_url(draft or version))

    def changes_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self._version(request, pk, change=False)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Changes in {self.model._meta.verbose_name} {version.number}",
            "opts": self.model._meta,
            "version": version,
            "rows": version_changes(self.history_sources(version)),
            "change_url": self._change_url(version),
        }
        return TemplateResponse(request, "admin/versions/changes.html", context)

    def _publish(self, request: HttpRequest, version: Any) -> bool:
        try:
            self.publish(version=version, user=request.user)
        except PublishRefused as refused:
            self.message_user(
                request,
                f"Version {version.number} was not published. Fix these and try again:",
                messages.ERROR,
            )
            for problem in refused.problems:
                self.message_user(request, problem, messages.ERROR)
            return False
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return False
        self.message_user(
            request,
            f"Version {version.number} is published. New assessments will use it; "
            "assessments already started keep the version they began with.",
            messages.SUCCESS,
        )
        return True

    def _new_draft(self, request: HttpRequest, version: Any) -> Any:
        try:
            draft = self.new_draft(source=version, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return None
        self.message_user(
            request,
            f"Version {draft.number} is a new draft copied from version {version.number}. "
            "Edit it, then publish it.",
            messages.SUCCESS,
        )
        return draft

    @admin.action(description="Publish the selected draft")
    def publish_selected(
        self, request: HttpRequest, queryset: models.QuerySet
    ) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one draft to publish.", messages.ERROR)
            return None
        # The same confirmation as the publish button: say what publishing does first.
        return HttpResponseRedirect(reverse(self.url_name("publish"), args=[queryset.get().pk]))

    @admin.action(description="Make a new draft from the selected version")
    def new_draft_from_selected(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one version to copy.", messages.ERROR)
            return
        self._new_draft(request, queryset.get())


class VersionImportForm(forms.Form):
    file = forms.FileField(
        help_text="A file exported from this admin, or one in the same shape. It becomes a new "
        "draft; nothing changes unless the whole file is valid.",
    )

    def __init__(self, *args: Any, kind: DocumentKind, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["file"].label = f"{kind.name.capitalize()} file (JSON)"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise ValidationError(self.kind.too_large)
        try:
            return self.kind.read_json(upload.read())
        except DocumentError as error:
            raise ValidationError(error.problems) from error


class DocumentVersionAdmin(VersionAdmin):
    """A version admin that also exports a version as a JSON document and imports one as a
    new draft: the export on the version's page and as an action, the import from the list."""

    actions = (*VersionAdmin.actions, "export_selected")
    import_template = "admin/versions/import.html"

    # Set by subclasses.
    document_kind: DocumentKind

    def export_document(self, version: Any) -> dict[str, Any]:
        raise NotImplementedError

    def import_document(self, data: Any, *, user: Any) -> Any:
        """A new draft from the document's data; raises DocumentError or ValidationError."""
        raise NotImplementedError

    def extra_tools(self, version: Any) -> list[tuple[str, str]]:
        export = reverse(self.url_name("export"), args=[version.pk])
        return [*super().extra_tools(version), (export, "Export as JSON")]

    def get_urls(self) -> list[Any]:
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name=f"{prefix}_import"),
            path("<int:pk>/export/", wrap(self.export_view), name=f"{prefix}_export"),
            *super().get_urls(),
        ]

    def export_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._download(self._version(request, pk, change=False))

    def _download(self, version: Any) -> HttpResponse:
        body = json.dumps(self.export_document(version), indent=2, ensure_ascii=False)
        response = HttpResponse(body + "\n", content_type="application/json; charset=utf-8")
        name = f"{self.document_kind.name}-version-{version.number}.json"
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
        form = VersionImportForm(
            request.POST or None, request.FILES or None, kind=self.document_kind
        )
        if request.method == "POST" and form.is_valid():
            try:
                draft = self.import_document(form.cleaned_data["file"], user=request.user)
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
            "title": f"Import a {self.document_kind.name} version",
            "opts": self.model._meta,
            "form": form,
            "problems": problems_listed(problems),
            "problem_count": len(problems),
        }
        return TemplateResponse(request, self.import_template, context)


class NonEmptyInlineFormSet(forms.BaseInlineFormSet):
    """An inline that must keep at least one row, with a message saying how to fix it."""

    empty_message = "Add at least one row."

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        if not kept:
            raise ValidationError(self.empty_message)


def link(url: str, text: str) -> str:
    return format_html('<a href="{}">{}</a>', url, text)
