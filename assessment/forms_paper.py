"""The board paper's cover sheet, as the lead fills it in on the submit page."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from assessment.services.paper_details import PURPOSES


def _text(label: str, limit: int, *, required: bool = True, rows: int = 0, hint: str = "") -> Any:
    what = label[0].lower() + label[1:]
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
        error_messages={
            "required": f"Enter the {what}",
            "max_length": f"Shorten the {what} to {limit:,} characters or fewer",
        },
    )


class PaperDetailsForm(forms.Form):
    """What every NHS board paper carries on its cover, with the service's defaults."""

    prefix = "paper"

    meeting = _text("Meeting", 200, hint="For example, Board of directors, meeting in public.")
    meeting_date = forms.DateField(
        label="Date of the meeting",
        help_text="For example, 12/3/2027.",
        input_formats=["%d/%m/%Y", "%d %m %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d"],
        error_messages={
            "required": "Enter the date of the meeting",
            "invalid": "Enter the date of the meeting as a date, for example 12/3/2027",
        },
    )
    agenda_item = _text("Agenda item", 20, required=False, hint="For example, 8.2.")
    title = _text("Title of the paper", 200)
    report_of = _text(
        "Report of", 200, hint="The executive director who sponsors the paper, with their role."
    )
    prepared_by = _text("Prepared by", 200)
    purpose = forms.ChoiceField(
        label="Purpose of the paper",
        choices=list(PURPOSES.items()),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the purpose of the paper",
            "invalid_choice": "Choose the purpose of the paper: for decision, for assurance "
            "or for information",
        },
    )
    recommendation = _text("Recommendation", 1000, rows=3)
    board_asked_to = _text("The board is asked to", 1000, rows=3)
    strategic_objectives = _text(
        "Link to strategic objectives",
        500,
        required=False,
        rows=2,
        hint="The trust's strategic objectives this paper bears on. Leave empty if none.",
    )
    assurance_framework = _text(
        "Link to the board assurance framework",
        500,
        required=False,
        rows=2,
        hint="The principal risks in the board assurance framework it relates to.",
    )
    risks = _text("Risks", 1000, required=False, rows=3)

    @classmethod
    def as_posted(cls, values: dict[str, Any]) -> dict[str, str]:
        """`values` as the page would post them."""
        return {
            f"{cls.prefix}-{name}": value.strftime("%d/%m/%Y")
            if isinstance(value, datetime.date)
            else str(value)
            for name, value in values.items()
        }
