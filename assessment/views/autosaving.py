"""What the autosave endpoints answer the page's script (static/js/autosave.js): the same
JSON, with the same statuses, for a member's answers and for the trust's figures."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils import timezone

from assessment.services.answers import Conflict, Saved, StaleAnswers


def signed_out(what: str) -> JsonResponse:
    """401, so that the script keeps what was typed and offers to sign in again."""
    return JsonResponse(
        {
            "status": "signed-out",
            "message": f"You have been signed out. {what} is kept on this page: sign in again "
            "to save it.",
        },
        status=401,
    )


def invalid(*errors: str) -> JsonResponse:
    return JsonResponse({"status": "invalid", "errors": list(errors)}, status=400)


def form_invalid(form: forms.Form) -> JsonResponse:
    return invalid(*(str(error) for errors in form.errors.values() for error in errors))


def save_and_answer(
    save: Callable[[], list[Saved]], conflict_message: Callable[[Conflict], str]
) -> JsonResponse:
    """Run the save: "saved" with the new version, "conflict" with both values when the
    page was stale (409), or "refused" with the reasons (409)."""
    try:
        saved = save()
    except StaleAnswers as stale:
        conflict = stale.conflicts[0]
        return JsonResponse(
            {
                "status": "conflict",
                "message": conflict_message(conflict),
                "saved": conflict.saved_value,
                "saved_label": conflict.saved_label,
                "yours_label": conflict.your_label,
                "version": conflict.current_version,
            },
            status=409,
        )
    except ValidationError as error:
        return JsonResponse({"status": "refused", "errors": error.messages}, status=409)
    return JsonResponse(
        {
            "status": "saved",
            "version": saved[0].version if saved else 0,
            "saved_at": timezone.localtime().strftime("%H:%M"),
        }
    )
