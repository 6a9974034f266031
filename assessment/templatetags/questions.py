"""`{% question block %}`: one question as NHS.UK radios, a figure, an evidence note and a
rationale, with who answers it, its errors and save status.

Written in Python rather than as an included template because a page shows up to forty
of them, and the template engine spent most of each page's time on this markup; the HTML
is the design system's, as in the component fixtures of nhsuk-frontend. Every value that
comes from data goes through `_e` (the standard library's HTML escaping, quotes included);
the whole is marked safe once, at the end.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString, mark_safe

from assessment.question_forms import QuestionBlock, character_limit
from assessment.scoring import definitions as d
from assessment.templatetags.nhsuk_forms import error_id, hint_id, is_checked, nhsuk_widget

register = template.Library()

HEURISTIC = "the service's own judgement (a heuristic), not a national standard"
ANSWERED_BY = {
    # What kind of question it is, true whoever answers it: a figure from the trust's own
    # reports or published data, or a matter of each member's judgement.
    d.FIGURE: "A figure from the trust's reports or published data",
    d.JUDGEMENT: "A matter of judgement: give your own view",
}
CHANGEABLE = {
    d.FIXED: "A fact of the trust's nature",
    d.EXTERNAL: "Outside the trust's control",
}


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _errors(field: BoundField) -> str:
    if not field.errors:
        return ""
    messages = "<br>".join(
        f'<span class="nhsuk-u-visually-hidden">Error: </span>{_e(error)}' for error in field.errors
    )
    return f'<span class="nhsuk-error-message" id="{_e(error_id(field))}">{messages}</span>'


def _guidance(block: QuestionBlock) -> str:
    question = block.question
    if not (question.guidance or question.basis):
        return ""
    parts = []
    if question.guidance:
        parts.append(f"<p>{_e(question.guidance)}</p>")
    if question.basis:
        basis = HEURISTIC if question.basis == "heuristic" else question.basis
        parts.append(f"<p>Where the thresholds come from: {_e(basis)}.</p>")
    return (
        '<details class="nhsuk-details app-question__guidance"><summary class="nhsuk-details__'
        'summary"><span class="nhsuk-details__summary-text">Where to find the evidence</span>'
        f'</summary><div class="nhsuk-details__text">{"".join(parts)}</div></details>'
    )


def _kind_id(block: QuestionBlock) -> str:
    return f"question-{block.code}-kind"


def _kind(block: QuestionBlock) -> str:
    """Who answers the question, and a label when the board cannot change its answer. The
    meaning is in the words: the tag's colour adds nothing to them."""
    question = block.question
    parts = []
    if question.answered_by in ANSWERED_BY:
        parts.append(f"{_e(ANSWERED_BY[question.answered_by])}.")
    if question.changeable in CHANGEABLE:
        parts.append(
            '<strong class="nhsuk-tag nhsuk-tag--grey app-question__changeable">'
            f"{_e(CHANGEABLE[question.changeable])}</strong>"
        )
    return (
        f'<div class="nhsuk-hint app-question__kind" id="{_e(_kind_id(block))}">'
        f"{' '.join(parts)}</div>"
    )


def _figure(block: QuestionBlock) -> str:
    figure = block.figure
    assert figure is not None
    widget = str(nhsuk_widget(figure))  # escaped by the widget renderer
    if block.question.unit:
        widget = (
            f'<div class="nhsuk-input-wrapper">{widget}<div class="nhsuk-input-wrapper__suffix" '
            f'aria-hidden="true">{_e(block.question.unit)}</div></div>'
        )
    error_class = " nhsuk-form-group--error" if figure.errors else ""
    return (
        f'<div class="nhsuk-radios__conditional" id="conditional-{_e(block.code)}">'
        f'<div class="nhsuk-form-group{error_class}"><label class="nhsuk-label" '
        f'for="{_e(figure.auto_id)}">{_e(figure.label)}</label>{_errors(figure)}{widget}</div></div>'
    )


def _radios(block: QuestionBlock) -> str:
    choice = block.choice
    name = _e(choice.html_name)
    items = []
    for position, (value, label) in enumerate(choice.field.choices):
        option_id = _e(f"{choice.auto_id}_{position}")
        if value == "dk":
            items.append('<div class="nhsuk-radios__divider">or</div>')
        hint = block.hints.get(str(value), "")
        hint_html = f'<div class="nhsuk-hint nhsuk-radios__hint">{_e(hint)}</div>' if hint else ""
        checked = " checked" if is_checked(choice, value) else ""
        items.append(
            f'<div class="nhsuk-radios__item"><input class="nhsuk-radios__input" id="{option_id}" '
            f'name="{name}" type="radio" value="{_e(value)}"{checked}><label class="nhsuk-label '
            f'nhsuk-radios__label" for="{option_id}">{_e(label)}</label>{hint_html}</div>'
        )
        if value == "figure" and block.figure is not None:
            items.append(_figure(block))
    return f'<div class="nhsuk-radios" data-module="nhsuk-radios">{"".join(items)}</div>'


def _counted(field: BoundField, hint: str = "") -> str:
    """A text field in the design system's character count: the count is shown as the
    member types, and nothing pasted is cut (the server refuses too long a text, saying
    by how much). Without a limit, the field alone."""
    limit = character_limit(field)
    widget = str(nhsuk_widget(field))  # escaped by the widget renderer
    if limit is None:
        return f"{hint}{_errors(field)}{widget}"
    info = f"{field.auto_id}-info"
    classes = 'class="nhsuk-textarea' if 'class="nhsuk-textarea' in widget else 'class="nhsuk-input'
    widget = widget.replace(classes, f"{classes} nhsuk-js-character-count", 1)
    if "aria-describedby=" in widget:
        widget = widget.replace('aria-describedby="', f'aria-describedby="{_e(info)} ', 1)
    else:
        widget = widget.replace(" name=", f' aria-describedby="{_e(info)}" name=', 1)
    return (
        f'<div class="nhsuk-character-count" data-module="nhsuk-character-count" '
        f'data-maxlength="{limit}">{hint}{_errors(field)}{widget}'
        f'<div class="nhsuk-hint nhsuk-character-count__message" id="{_e(info)}">'
        f"You can enter up to {limit:,} characters</div></div>"
    )


def _note(block: QuestionBlock) -> str:
    note = block.note
    if note is None:
        return ""
    has_value = bool(note.value())
    opened = " open" if has_value or note.errors else ""
    summary = "Evidence note" if has_value else "Add an evidence note"
    error_class = " nhsuk-form-group--error" if note.errors else ""
    return (
        f'<details class="nhsuk-details app-question__note"{opened}><summary class="nhsuk-'
        f'details__summary"><span class="nhsuk-details__summary-text">{summary}</span></summary>'
        f'<div class="nhsuk-details__text"><div class="nhsuk-form-group{error_class}">'
        f'<label class="nhsuk-label" for="{_e(note.auto_id)}">{_e(note.label)}</label>'
        f"{_counted(note, _hint(note))}</div></div></details>"
    )


def _hint(field: BoundField) -> str:
    return f'<div class="nhsuk-hint" id="{_e(hint_id(field))}">{_e(field.help_text)}</div>'


def _source(block: QuestionBlock) -> str:
    """A figure's source, shown in full: it is required with every figure."""
    note = block.note
    assert note is not None
    error_class = " nhsuk-form-group--error" if note.errors else ""
    return (
        f'<div class="nhsuk-form-group app-question__source{error_class}">'
        f'<label class="nhsuk-label" for="{_e(note.auto_id)}">{_e(note.label)}</label>'
        f"{_counted(note, _hint(note))}</div>"
    )


def _figure_context(block: QuestionBlock) -> str:
    """What the figure's holder should know: the published value offered, the values
    members gave before figures were entered once, and the open queries on it."""
    state = block.extra["state"]
    parts = []
    if state.offer is not None:
        offer = state.offer
        status = (
            "It is filled in below: save to accept it, or enter your own figure with its source."
            if state.from_published
            else "The figure below was entered instead."
        )
        parts.append(
            f"<p><strong>Published:</strong> {_e(offer.text)} "
            f'(<a href="{_e(offer.link)}">{_e(offer.publisher)}</a>). {_e(status)}</p>'
        )
    if state.candidates:
        items = "".join(
            f"<li>{_e(candidate.label)}, from {_e(candidate.who)}</li>"
            for candidate in state.candidates
        )
        parts.append(
            "<p>Given before figures were entered once for the trust:</p>"
            f'<ul class="nhsuk-list nhsuk-list--bullet">{items}</ul>'
        )
    for query in state.open_queries:
        who = query.raised_by.get_full_name() or query.raised_by.get_username()
        parts.append(f"<p><strong>Queried by {_e(who)}:</strong> {_e(query.comment)}</p>")
    if not parts:
        return ""
    return f'<div class="nhsuk-inset-text app-figure-context">{"".join(parts)}</div>'


def _rationale(block: QuestionBlock) -> str:
    rationale = block.rationale
    if rationale is None:
        return ""
    needed = "needed" if block.extra and block.extra.get("needs_rationale") else "optional"
    error_class = " nhsuk-form-group--error" if rationale.errors else ""
    return (
        f'<div class="nhsuk-form-group{error_class}"><label class="nhsuk-label" '
        f'for="{_e(rationale.auto_id)}">{_e(rationale.label)} ({needed})</label>'
        f"{_counted(rationale)}</div>"
    )


@register.simple_tag
def question(block: QuestionBlock) -> SafeString:
    choice = block.choice
    code = _e(block.code)
    version: Any = block.version
    hidden = ""
    if version is not None:
        current = version.value() if version.value() is not None else 0
        hidden = f'<input type="hidden" name="{_e(version.html_name)}" value="{_e(current)}">'
    is_figure = bool(block.extra and "state" in block.extra)
    context = _figure_context(block) if is_figure else ""
    notes = _source(block) if is_figure else _note(block)
    error_class = " nhsuk-form-group--error" if block.errors else ""
    described_by = [_kind_id(block), *([error_id(choice)] if choice.errors else [])]
    described = f' aria-describedby="{_e(" ".join(described_by))}"'
    html = (
        f'<div class="nhsuk-form-group app-question{error_class}" id="question-{code}" '
        f'data-question="{code}"><fieldset class="nhsuk-fieldset"{described}>'
        '<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">'
        f'<span class="nhsuk-caption-m app-question__code">{code}</span>'
        f"{_e(block.question.text)}</legend>{_kind(block)}{_guidance(block)}{context}"
        f"{_errors(choice)}"
        f"{_radios(block)}</fieldset>{notes}{_rationale(block)}{hidden}"
        '<p class="nhsuk-body-s app-save-status" role="status" aria-live="polite" '
        "data-save-status></p></div>"
    )
    return mark_safe(html)  # noqa: S308 - every value above is escaped with _e


@register.filter
def by_section(blocks: list[QuestionBlock]) -> list[dict[str, Any]]:
    """The consensus page's blocks grouped by section, each section once, in the order its
    first question comes, even when a section's questions are not next to each other."""
    groups: dict[str, dict[str, Any]] = {}
    for block in blocks:
        section = block.extra["row"].section
        groups.setdefault(section.code, {"section": section, "blocks": []})["blocks"].append(block)
    return list(groups.values())
