"""Admin for submitted results: read-only, as a submission is a permanent record. The one
thing a catalogue admin can do is withdraw one, with a reason (`withdraw_view`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from assessment.forms import WithdrawForm
from assessment.models import Submission
from assessment.services.withdrawals import submission_withdraw


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("assessment", "trust", "verdict", "submitted_at", "withdrawn")
    list_filter = (("withdrawal", admin.EmptyFieldListFilter),)
    list_select_related = ("assessment__organisation", "withdrawal")
    search_fields = ("assessment__title", "assessment__organisation__name")
    fields = (
        "assessment",
        "verdict",
        "index",
        "respondent_count",
        "submitted_by",
        "submitted_at",
        "withdrawal_record",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> Any:
        # The stored result and answers are large, and no page of this admin shows them.
        return super().get_queryset(request).defer("result", "agreed_answers", "domain_scores")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="trust", ordering="assessment__organisation__name")
    def trust(self, submission: Submission) -> str:
        return submission.assessment.organisation.name

    @admin.display(description="withdrawn", boolean=True)
    def withdrawn(self, submission: Submission) -> bool:
        return hasattr(submission, "withdrawal")

    @admin.display(description="withdrawal")
    def withdrawal_record(self, submission: Submission) -> str:
        withdrawal = getattr(submission, "withdrawal", None)
        if withdrawal is None:
            url = reverse("admin:assessment_submission_withdraw", args=[submission.pk])
            return format_html('Not withdrawn. <a href="{}">Withdraw this result</a>', url)
        who = withdrawal.withdrawn_by
        return format_html(
            "Withdrawn on {} by {}: {}",
            f"{timezone.localtime(withdrawal.withdrawn_at):%-d %B %Y}",
            (who.get_full_name() or who.get_username()) if who else "someone",
            withdrawal.reason,
        )

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:pk>/withdraw/",
                self.admin_site.admin_view(self.withdraw_view),
                name="assessment_submission_withdraw",
            ),
            *super().get_urls(),
        ]

    def withdraw_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        submission = self.get_object(request, str(pk))
        if submission is None or not self.has_view_permission(request, submission):
            raise PermissionDenied
        form = WithdrawForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                submission_withdraw(
                    assessment=submission.assessment,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                self.message_user(request, f"Withdrew {submission}.", messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:assessment_submission_change", args=[submission.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Withdraw the result of {submission.assessment}",
            "opts": self.model._meta,
            "original": submission,
            "form": form,
        }
        return TemplateResponse(request, "admin/assessment/submission/withdraw.html", context)
