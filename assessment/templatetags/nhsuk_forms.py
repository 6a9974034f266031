"""Template helpers for the `nhsuk` crispy-forms template pack (templates/nhsuk/).

They decide which NHS.UK component renders a field and give every widget the classes and
`aria-describedby` links the design system expects, so the templates stay declarative.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString, mark_safe

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


# Widgets simple enough to write directly. Django renders every widget through a template,
# which costs most of a page of questions; these few are written here instead, with the
# same attributes Django would give them.
_DIRECT_INPUTS = (forms.TextInput, forms.EmailInput, forms.PasswordInput, forms.NumberInput)


def _direct(field: BoundField, attrs: dict[str, Any]) -> SafeString | None:
    widget = _widget(field)
    if not isinstance(widget, (*_DIRECT_INPUTS, forms.Textarea)) or isinstance(
        widget, forms.HiddenInput
    ):
        return None
    final: dict[str, Any] = {**widget.attrs, **attrs, "name": field.html_name, "id": field.auto_id}
    if field.field.required and field.form.use_required_attribute:
        final["required"] = True
    if field.errors:
        final["aria-invalid"] = "true"
    value = widget.format_value(field.value())
    if isinstance(widget, forms.PasswordInput) and not widget.render_value:
        value = None
    flat = "".join(
        f" {key}" if val is True else f' {key}="{escape(str(val), quote=True)}"'
        for key, val in final.items()
        if val is not None and val is not False
    )
    if isinstance(widget, forms.Textarea):
        text = escape(str(value), quote=True) if value is not None else ""
        return mark_safe(f"<textarea{flat}>\n{text}</textarea>")  # noqa: S308 - escaped
    shown = f' value="{escape(str(value), quote=True)}"' if value not in (None, "") else ""
    return mark_safe(f'<input type="{widget.input_type}"{flat}{shown}>')  # noqa: S308 - escaped


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
    return _direct(field, attrs) or field.as_widget(attrs=attrs)
