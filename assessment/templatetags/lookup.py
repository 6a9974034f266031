"""Small display helpers for templates."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template

from assessment.scoring.decimals import display

register = template.Library()


@register.filter
def get_item(mapping: Mapping[str, Any], key: str) -> Any:
    """`{{ labels|get_item:code }}`: a dictionary value by a key held in a variable."""
    return mapping.get(key, "") if mapping else ""


@register.filter
def display_number(value: Decimal | None) -> str:
    """A score as boards read it: one decimal place, half up; "n/a" when there is none."""
    return display(value)


@register.filter
def percent(value: Decimal | None) -> str:
    """A share from 0 to 1 as a whole percentage: 0.625 reads "63%"."""
    if value is None:
        return "n/a"
    return f"{(Decimal(value) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


@register.filter
def get_field(form: Any, key: str) -> Any:
    """`{{ form|get_field:item.key }}`: the bound field for a warning's reason."""
    return form[f"reason-{key}"]
