"""Forms of the lead's pages for the board's deadline and members. They validate and
normalise; the services in assessment/services/reminders.py and members.py write."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone

from assessment.models import Membership
from assessment.services.reminders import EXAMPLE_DAYS, deadline_problem

PARTS = ("day", "month", "year")


class DeadlineForm(forms.Form):
    """The NHS date input: day, month and year as three boxes, one message for the date.

    The message goes on the first box that needs changing, so that the error summary links
    to it; `error_parts` says which boxes to mark."""

    day = forms.CharField(label="Day", required=False)
    month = forms.CharField(label="Month", required=False)
    year = forms.CharField(label="Year", required=False)

    def __init__(self, *args: object, today: date | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.today = today or timezone.localdate()
        self.error_parts: set[str] = set()

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        values = {part: str(cleaned.get(part) or "").strip() for part in PARTS}
        example = self.today + timedelta(days=EXAMPLE_DAYS)
        for_example = f"for example {example.day} {example.month} {example.year}"
        missing = [part for part in PARTS if not values[part]]
        if len(missing) == len(PARTS):
            return self._refuse(PARTS, "Enter the date members should finish by")
        if missing:
            return self._refuse(missing, f"The deadline must include a {' and a '.join(missing)}")
        numbers = {part: values[part] for part in PARTS if values[part].isdigit()}
        if len(numbers) < len(PARTS):
            return self._refuse(
                [part for part in PARTS if part not in numbers],
                f"Enter the deadline in numbers, {for_example}",
            )
        if len(values["year"]) != 4:
            return self._refuse(["year"], f"Enter the year as 4 digits, for example {example.year}")
        try:
            deadline = date(int(values["year"]), int(values["month"]), int(values["day"]))
        except ValueError:
            return self._refuse(PARTS, f"The deadline must be a real date, {for_example}")
        problem = deadline_problem(deadline, today=self.today)
        if problem:
            return self._refuse(PARTS, problem)
        cleaned["deadline"] = deadline
        return cleaned

    def _refuse(self, parts: object, message: str) -> dict[str, object]:
        chosen = [part for part in PARTS if part in parts]  # type: ignore[operator]
        self.error_parts = set(chosen)
        self.add_error(chosen[0], message)
        return {}

    @property
    def date_error(self) -> str:
        for part in PARTS:
            if self.errors.get(part):
                return str(self.errors[part][0])
        return ""


class BoardRoleForm(forms.Form):
    board_role = forms.ChoiceField(
        label="Where do they sit on the board?",
        help_text="The consensus page can show each judgement by role: where non-executive and "
        "executive directors see the trust differently is worth discussing.",
        choices=Membership.BoardRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where they sit on the board"},
    )


class RemoveMemberForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that their answers will no longer count towards the board's result",
        error_messages={"required": "Confirm that you want to remove them from this assessment"},
    )
