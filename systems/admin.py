"""Systems, their member trusts and reviewers, managed by catalogue admins; shares are read
here, never made or changed (only a trust's lead shares, and revokes, from the service)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from systems.models import Share, System, SystemReviewer


class SystemReviewerInline(admin.TabularInline):
    model = SystemReviewer
    extra = 0
    raw_id_fields = ("user",)
    readonly_fields = ("added_at",)


@admin.register(System)
class SystemAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "trust_count")
    list_filter = ("kind",)
    search_fields = ("name", "code", "trusts__name", "trusts__ods_code")
    filter_horizontal = ("trusts",)
    inlines = (SystemReviewerInline,)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).annotate(trust_total=Count("trusts", distinct=True))

    @admin.display(description="trusts", ordering="trust_total")
    def trust_count(self, system: System) -> int:
        return system.trust_total  # type: ignore[attr-defined]


@admin.register(Share)
class ShareAdmin(SimpleHistoryAdmin):
    list_display = ("submission", "system", "shared_by", "shared_at", "revoked_at")
    list_filter = ("system", ("revoked_at", admin.EmptyFieldListFilter))
    list_select_related = ("submission__assessment__organisation", "system", "shared_by")
    search_fields = ("submission__assessment__organisation__name", "system__name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
