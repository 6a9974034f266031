"""The result in a board's words, for templates: see assessment/scoring/summary.py."""

from __future__ import annotations

from decimal import Decimal

from django import template

from assessment.scoring import summary
from assessment.scoring.explain import weighting_note_in
from assessment.scoring.result import RankedForm, Reason, Result

register = template.Library()


@register.filter
def fit_words(fit: Decimal) -> str:
    return summary.fit_words(fit)


@register.filter
def out_of_100(value: Decimal | None) -> str:
    return summary.whole(value)


@register.filter
def reason_words(reason: Reason) -> str:
    return summary.reason_plain(reason)


@register.filter
def size_words(form: RankedForm) -> str:
    return summary.size_plain(form)


@register.filter
def weighting_words(form: RankedForm) -> str:
    """How a form with its own fit coefficients weighs things; empty for every other."""
    return weighting_note_in(form.explanation.sentence)


@register.filter
def change_words(item: object) -> str:
    return summary.sentence_plain(item)


@register.filter
def lower_first(text: str) -> str:
    """ "The board carries…" as it reads after "Main risk:" in a sentence: "the board…"."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


@register.filter
def edition_words(result: Result) -> str:
    return summary.edition(result)
