"""The questionnaire in versions, as the engine reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cached_property, lru_cache

from assessment.models import Question, QuestionKind, QuestionnaireVersion
from assessment.scoring import definitions as d
from assessment.scoring.decimals import tidy


def questionnaire_published_or_none() -> QuestionnaireVersion | None:
    return QuestionnaireVersion.objects.published().first()


def questionnaire_published() -> QuestionnaireVersion:
    """The questionnaire version new assessments use."""
    version = questionnaire_published_or_none()
    if version is None:
        raise QuestionnaireVersion.DoesNotExist(
            "No questionnaire is published. Run `manage.py seed` to load version 1."
        )
    return version


def questionnaire_definition(version: QuestionnaireVersion) -> d.Questionnaire:
    """The engine's view of a questionnaire version, in three queries."""
    domains = list(version.domains.all())
    questions = list(
        version.questions.select_related("domain").prefetch_related("options", "bands")
    )
    return d.Questionnaire(
        version=version.number,
        title=version.title,
        verdict_question=version.verdict_question,
        domains=tuple(
            d.Domain(code=domain.code, name=domain.name, weight=domain.weight, scored=domain.scored)
            for domain in domains
        ),
        questions=tuple(_question_definition(question) for question in questions),
    )


def _question_definition(question: Question) -> d.Question:
    options = list(question.options.all())
    critical: d.CriticalTrigger | None = None
    anchors: tuple[str, ...] = ()
    if question.kind == QuestionKind.SCALE:
        anchors = tuple(option.label for option in sorted(options, key=lambda o: o.level or 0))
        flagged = next((option for option in options if option.critical_rule), None)
        if flagged is not None:
            critical = d.CriticalTrigger(rule=flagged.critical_rule, level=flagged.level)
        options = []
    elif question.kind == QuestionKind.NUMBER and question.critical_rule:
        critical = d.CriticalTrigger(
            rule=question.critical_rule,
            below=_plain(question.critical_below),
            above=_plain(question.critical_above),
        )
    return d.Question(
        code=question.code,
        domain=question.domain.code,
        kind=question.kind,
        text=question.text,
        weight=_plain(question.weight) or Decimal(1),
        options=tuple(
            d.Option(
                value=option.value,
                label=option.label,
                level=option.level,
                critical=option.critical_rule or None,
            )
            for option in options
        ),
        unit=question.unit,
        minimum=_plain(question.minimum),
        maximum=_plain(question.maximum),
        bands=tuple(
            d.Band(level=band.level, minimum=_plain(band.minimum), maximum=_plain(band.maximum))
            for band in question.bands.all()
        ),
        anchors=anchors,
        critical=critical,
        allow_na=question.allow_na,
        applies_to=tuple(question.applies_to),
        guidance=question.guidance,
        basis=question.basis,
        answered_by=question.answered_by,
        changeable=question.changeable,
    )


def _plain(value: Decimal | None) -> Decimal | None:
    """A database decimal (1.0000) as written (1), as the engine and exports expect."""
    return None if value is None else tidy(value)


@dataclass(frozen=True)
class PinnedQuestionnaire:
    """A published (or retired) questionnaire version as the journey uses it: the engine's
    definition, each question's database id, and the questions of each section."""

    version_id: int
    definition: d.Questionnaire
    question_ids: dict[str, int]
    sections: tuple[d.Domain, ...]
    questions_by_section: dict[str, tuple[d.Question, ...]]

    def question(self, code: str) -> d.Question:
        return self._by_code[code]

    @cached_property
    def _by_code(self) -> dict[str, d.Question]:
        return {question.code: question for question in self.definition.questions}

    @cached_property
    def codes_by_id(self) -> dict[int, str]:
        return {pk: code for code, pk in self.question_ids.items()}

    @cached_property
    def judgements_by_section(self) -> dict[str, tuple[d.Question, ...]]:
        """Each section's judgement questions: what every member answers (method 9)."""
        return {
            code: tuple(q for q in questions if q.answered_by == d.JUDGEMENT)
            for code, questions in self.questions_by_section.items()
        }

    @cached_property
    def figures_by_section(self) -> dict[str, tuple[d.Question, ...]]:
        """Each section's figures: answered once for the trust, with a source."""
        return {
            code: tuple(q for q in questions if q.answered_by == d.FIGURE)
            for code, questions in self.questions_by_section.items()
        }

    @cached_property
    def judgement_sections(self) -> tuple[d.Domain, ...]:
        return tuple(s for s in self.sections if self.judgements_by_section[s.code])

    @cached_property
    def figure_sections(self) -> tuple[d.Domain, ...]:
        return tuple(s for s in self.sections if self.figures_by_section[s.code])

    @cached_property
    def judgements(self) -> tuple[d.Question, ...]:
        return tuple(q for q in self.definition.questions if q.answered_by == d.JUDGEMENT)

    @cached_property
    def figures(self) -> tuple[d.Question, ...]:
        return tuple(q for q in self.definition.questions if q.answered_by == d.FIGURE)


def questionnaire_pinned(version: QuestionnaireVersion) -> PinnedQuestionnaire:
    """The version's questions, read from the database once per process: a published or
    retired version never changes (the model layer refuses it), so it is safe to keep.
    Drafts are read afresh every time."""
    if version.is_draft or version.published_at is None:
        return _pinned(version)
    return _pinned_cached(version.pk, version.published_at)


@lru_cache(maxsize=32)
def _pinned_cached(pk: int, published_at: datetime) -> PinnedQuestionnaire:
    # published_at is part of the key, so a reused primary key (in tests) never matches.
    return _pinned(QuestionnaireVersion.objects.get(pk=pk))


def _pinned(version: QuestionnaireVersion) -> PinnedQuestionnaire:
    definition = questionnaire_definition(version)
    ids = dict(version.questions.values_list("code", "pk"))
    sections = tuple(domain for domain in definition.domains)
    by_section = {
        domain.code: tuple(q for q in definition.questions if q.domain == domain.code)
        for domain in sections
    }
    return PinnedQuestionnaire(
        version_id=version.pk,
        definition=definition,
        question_ids=ids,
        sections=tuple(domain for domain in sections if by_section[domain.code]),
        questions_by_section=by_section,
    )
