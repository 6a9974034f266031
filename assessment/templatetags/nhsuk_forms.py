"""Template helpers for the `nhsuk` crispy-forms template pack (templates/nhsuk/).

They decide which NHS.UK component renders a field and give every widget the classes and
`aria-describedby` links the design system expects, so the templates stay declarative.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_INPUT_CLASS = {
    forms.Select: "nhsuk-select",
    forms.SelectMultiple: "nhsuk-select",
    forms.Textarea: "nhsuk-textarea",
    forms.ClearableFileInput: "nhsuk-file-upload",
    forms.FileInput: "nhsuk-file-upload",
}


def _widget(field: BoundField) -> forms.Widget:
    return field.field.widget


@register.filter
def is_radios(field: BoundField) -> bool:
    # CheckboxSelectMultiple subclasses RadioSelect in Django, so rule it out.
    widget = _widget(field)
    return isinstance(widget, forms.RadioSelect) and not is_checkboxes(field)


@register.filter
def is_checkboxes(field: BoundField) -> bool:
    return isinstance(_widget(field), forms.CheckboxSelectMultiple)


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return isinstance(_widget(field), forms.CheckboxInput)


@register.filter
def hint_id(field: BoundField) -> str:
    return f"{field.auto_id}-hint"


@register.filter
def error_id(field: BoundField) -> str:
    return f"{field.auto_id}-error"


@register.filter
def anchor_id(field: BoundField) -> str:
    """The id an error summary link should point at: the first option of a group."""
    if is_radios(field) or is_checkboxes(field):
        return f"{field.auto_id}_0"
    return str(field.auto_id)


@register.filter
def describedby(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(hint_id(field))
    if field.errors:
        ids.append(error_id(field))
    return " ".join(ids)


@register.filter
def choice_hint(field: BoundField, value: Any) -> str:
    """Hint text for one option, from a `choice_hints` mapping set on the form field."""
    hints = getattr(field.field, "choice_hints", None) or {}
    return str(hints.get(value, hints.get(str(value), "")))


@register.filter
def is_checked(field: BoundField, value: Any) -> bool:
    current = field.value()
    if current is None:
        return False
    if isinstance(current, list | tuple):
        return str(value) in {str(item) for item in current}
    return str(current) == str(value)


@register.simple_tag
def nhsuk_widget(field: BoundField) -> SafeString:
    """Render the field's widget with NHS.UK classes, error state and description links."""
    widget = _widget(field)
    base = next(
        (css for kind, css in _INPUT_CLASS.items() if isinstance(widget, kind)), "nhsuk-input"
    )
    classes = [base]
    if field.errors:
        classes.append(f"{base}--error")
    existing = widget.attrs.get("class", "")
    if existing:
        classes.append(existing)
    attrs: dict[str, Any] = {"class": " ".join(classes)}
    links = describedby(field)
    if links:
        attrs["aria-describedby"] = links
    return field.as_widget(attrs=attrs)
