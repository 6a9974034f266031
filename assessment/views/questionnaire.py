"""The questionnaire as boards read it: every section and question of a published (or
retired) version, with who answers each and what the board can change."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessment import selectors
from assessment.models import QuestionKind, QuestionnaireVersion
from assessment.scoring import definitions as d
from assessment.selectors.editions import edition_changes
from assessment.templatetags.questions import HEURISTIC
from models_catalogue.versioning import VersionStatus

# Who answers a question (method.md section 9) and what the board can change (section 10),
# in the words the page uses. A lever, which the board can change, needs no words.
ANSWERED_BY = {
    d.FIGURE: "A figure: entered once for the trust, with its source",
    d.JUDGEMENT: "A judgement: each board member's own view",
}
CHANGEABLE = {
    d.FIXED: "A fact of the trust's nature: never suggested as a change",
    d.EXTERNAL: "Outside the trust's control",
}


@dataclass(frozen=True)
class QuestionEntry:
    """One question, in words: nothing on the page is worked out in the template."""

    code: str
    text: str
    guidance: str
    basis: str  # where the thresholds come from
    kind: str
    answered_by: str
    changeable: str  # empty for a lever
    unit: str
    bounds: str  # "From 0 to 50" for a number, else empty
    options: tuple[str, ...]  # the labels of a choice, yes/no or profile question
    anchors: tuple[str, ...]  # the texts of a scale's levels 1 to 4
    applies_to: tuple[str, ...]  # the kinds of trust it is asked of; empty for all
    allow_na: bool


@dataclass(frozen=True)
class SectionEntry:
    code: str
    name: str
    scored: bool
    figures: int
    judgements: int
    questions: tuple[QuestionEntry, ...]


def _version(number: int | None) -> QuestionnaireVersion:
    """The published version, or a numbered version that has been published (an assessment
    keeps the version it began with). Drafts are for admins only."""
    try:
        if number is None:
            return selectors.questionnaire_published()
        version: QuestionnaireVersion = QuestionnaireVersion.objects.exclude(
            status=VersionStatus.DRAFT
        ).get(number=number)
    except QuestionnaireVersion.DoesNotExist as missing:
        raise Http404("No such questionnaire version") from missing
    return version


def _decimal(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,}"


def _bounds(question: d.Question) -> str:
    low, high = _decimal(question.minimum), _decimal(question.maximum)
    if low and high:
        return f"From {low} to {high}"
    if low:
        return f"At least {low}"
    return f"At most {high}" if high else ""


def question_entry(question: d.Question, trust_kinds: dict[str, str]) -> QuestionEntry:
    """`trust_kinds` names the answers to the profile question, for `applies_to`."""
    return QuestionEntry(
        code=question.code,
        text=question.text,
        guidance=question.guidance,
        basis=HEURISTIC if question.basis == "heuristic" else question.basis,
        kind=str(QuestionKind(question.kind).label),
        answered_by=ANSWERED_BY[question.answered_by],
        changeable=CHANGEABLE.get(question.changeable, ""),
        unit=question.unit,
        bounds=_bounds(question) if question.kind == d.NUMBER else "",
        options=tuple(option.label for option in question.options),
        anchors=question.anchors,
        applies_to=tuple(trust_kinds.get(value, value) for value in question.applies_to),
        allow_na=question.allow_na,
    )


def questionnaire_sections(pinned: selectors.PinnedQuestionnaire) -> tuple[SectionEntry, ...]:
    definition = pinned.definition
    trust_kinds = {
        option.value: option.label
        for question in definition.questions
        if question.kind == d.PROFILE
        for option in question.options
    }
    return tuple(
        SectionEntry(
            code=section.code,
            name=section.name,
            scored=section.scored,
            figures=len(pinned.figures_by_section[section.code]),
            judgements=len(pinned.judgements_by_section[section.code]),
            questions=tuple(
                question_entry(question, trust_kinds)
                for question in pinned.questions_by_section[section.code]
            ),
        )
        for section in pinned.sections
    )


@require_GET
def questionnaire_page(request: HttpRequest, number: int | None = None) -> HttpResponse:
    version = _version(number)
    sections = questionnaire_sections(selectors.questionnaire_pinned(version))
    published = version if version.status == VersionStatus.PUBLISHED else None
    if published is None:
        published = selectors.questionnaire_published_or_none()
    context = {
        "version": version,
        "published": published,
        "sections": sections,
        # Leads and admins decide when a board moves to a new edition: they are shown what
        # changed in it.
        "changes_link": edition_changes(version.number) is not None
        and (request.user.is_staff or selectors.is_lead_anywhere(user=request.user)),
    }
    return render(request, "assessment/questionnaire.html", context)


@require_GET
def what_changed(request: HttpRequest, number: int) -> HttpResponse:
    """What changed in an edition and why: for catalogue admins and assessment leads, who
    decide when a board moves to it."""
    if not (request.user.is_staff or selectors.is_lead_anywhere(user=request.user)):
        raise PermissionDenied("The changes between editions are for assessment leads and admins.")
    changes = edition_changes(number)
    if changes is None:
        raise Http404("This version has no change note")
    version = _version(number)
    context = {
        "version": version,
        "changes": changes,
        "removed": [change for change in changes.questions if change.removed],
        "added": [change for change in changes.questions if change.new],
        "kept": [change for change in changes.questions if not change.removed and not change.new],
    }
    return render(request, "assessment/what_changed.html", context)
