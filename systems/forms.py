from __future__ import annotations

from typing import Any

from django import forms

from systems.models import System


class ShareForm(forms.Form):
    """Which of the trust's systems to share with, and that the lead knows what is shared."""

    system = forms.ModelChoiceField(
        queryset=System.objects.none(),
        label="Share the result with",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the system to share the result with",
            "invalid_choice": "Choose one of the trust's systems listed",
        },
    )
    confirm = forms.BooleanField(
        label="The board has agreed to share this result, and I have read what is shared and "
        "what is never shared",
        error_messages={"required": "Confirm that the board has agreed to share this result"},
    )

    def __init__(self, *args: Any, systems: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = systems  # type: ignore[attr-defined]
