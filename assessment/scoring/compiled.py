"""Definitions turned into positional lookups once per evaluation, and answers turned into
outcomes (status, level, critical signal) that the rest of the engine works from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .answers import DK, NA, Answer, InvalidAnswers, Problem, answer_problem
from .checks import DefinitionError, check_definitions
from .definitions import (
    PREFERS_HIGH,
    PROFILE,
    Catalogue,
    Form,
    Prerequisite,
    Question,
    Questionnaire,
)
from .levels import resolve

# Statuses of a question in one evaluation.
ANSWERED = "answered"
NOT_APPLICABLE = "not-applicable"  # left out because of the trust's profile
UNANSWERED = "unanswered"
MISSING = frozenset({DK, UNANSWERED})


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one answer means to the engine."""

    status: str
    level: int | None = None
    critical: str | None = None
    option: str | None = None


UNANSWERED_OUTCOME = Outcome(UNANSWERED)
DK_OUTCOME = Outcome(DK)
NA_OUTCOME = Outcome(NA)
NOT_APPLICABLE_OUTCOME = Outcome(NOT_APPLICABLE)

# (position, weight, prefers high)
Item = tuple[int, Decimal, bool]


@dataclass(frozen=True, slots=True)
class FormPlan:
    form: Form
    need_items: tuple[Item, ...]  # positions of domains
    context_items: tuple[Item, ...]  # positions of questions
    prerequisites: tuple[tuple[Prerequisite, int | None], ...]  # with the question's position


@dataclass(frozen=True, slots=True)
class Compiled:
    questionnaire: Questionnaire
    catalogue: Catalogue
    positions: dict[str, int]
    question_domain: tuple[int, ...]
    weights: tuple[Decimal, ...]  # of questions
    domain_questions: tuple[tuple[int, ...], ...]  # scored questions of each domain
    domain_scored: tuple[bool, ...]
    scored_domains: tuple[int, ...]
    applicability: tuple[tuple[tuple[int, frozenset[str]], ...], ...]
    forms: tuple[FormPlan, ...]  # by slug, so the catalogue's row order never matters
    form_keys: tuple[tuple[int, str], ...]  # (integration level, slug): the tie-breaks
    forms_by_domain: tuple[frozenset[int], ...]  # forms that weigh each domain
    need_items_by_domain: tuple[tuple[tuple[int, Decimal, bool], ...], ...]  # (form, w, high)
    forms_by_question: tuple[frozenset[int], ...]  # forms that weigh each context question
    forms_by_prerequisite: tuple[frozenset[int], ...]  # forms with a prerequisite on it
    forms_on_verdict: frozenset[int]  # forms with a prerequisite on the verdict


def compile_definitions(questionnaire: Questionnaire, catalogue: Catalogue) -> Compiled:
    problems = check_definitions(questionnaire, catalogue)
    if problems:
        raise DefinitionError(problems)
    questions = questionnaire.questions
    positions = {question.code: position for position, question in enumerate(questions)}
    domain_positions = {domain.code: d for d, domain in enumerate(questionnaire.domains)}
    question_domain = tuple(domain_positions[question.domain] for question in questions)
    domain_questions: list[list[int]] = [[] for _ in questionnaire.domains]
    for position, question in enumerate(questions):
        if question.scored:
            domain_questions[question_domain[position]].append(position)
    forms = tuple(
        _plan(form, positions, domain_positions)
        for form in sorted(catalogue.forms, key=lambda form: form.slug)
    )
    by_domain: list[set[int]] = [set() for _ in questionnaire.domains]
    items_by_domain: list[list[tuple[int, Decimal, bool]]] = [[] for _ in questionnaire.domains]
    by_question: list[set[int]] = [set() for _ in questions]
    by_prerequisite: list[set[int]] = [set() for _ in questions]
    on_verdict: set[int] = set()
    for f, plan in enumerate(forms):
        for d, weight, high in plan.need_items:
            by_domain[d].add(f)
            items_by_domain[d].append((f, weight, high))
        for q, _, _ in plan.context_items:
            by_question[q].add(f)
        for prerequisite, q_position in plan.prerequisites:
            if q_position is not None:
                by_prerequisite[q_position].add(f)
            if prerequisite.on_verdict:
                on_verdict.add(f)
    return Compiled(
        questionnaire=questionnaire,
        catalogue=catalogue,
        positions=positions,
        question_domain=question_domain,
        weights=tuple(question.weight for question in questions),
        domain_questions=tuple(tuple(members) for members in domain_questions),
        domain_scored=tuple(domain.scored for domain in questionnaire.domains),
        scored_domains=tuple(d for d, domain in enumerate(questionnaire.domains) if domain.scored),
        applicability=tuple(_applicability(question, questions) for question in questions),
        forms=forms,
        form_keys=tuple((plan.form.integration_level, plan.form.slug) for plan in forms),
        forms_by_domain=tuple(frozenset(members) for members in by_domain),
        need_items_by_domain=tuple(tuple(items) for items in items_by_domain),
        forms_by_question=tuple(frozenset(members) for members in by_question),
        forms_by_prerequisite=tuple(frozenset(members) for members in by_prerequisite),
        forms_on_verdict=frozenset(on_verdict),
    )


def _plan(form: Form, positions: dict[str, int], domain_positions: dict[str, int]) -> FormPlan:
    return FormPlan(
        form=form,
        need_items=tuple(
            (domain_positions[item.domain], item.weight, item.prefers == PREFERS_HIGH)
            for item in form.domain_weights
        ),
        context_items=tuple(
            (positions[item.question], item.weight, item.prefers == PREFERS_HIGH)
            for item in form.context_weights
        ),
        prerequisites=tuple(
            (item, None if item.question is None else positions[item.question])
            for item in form.prerequisites
        ),
    )


def _applicability(
    question: Question, questions: tuple[Question, ...]
) -> tuple[tuple[int, frozenset[str]], ...]:
    """For each profile question that offers one of `applies_to`, the values that keep
    this question applicable."""
    if not question.applies_to:
        return ()
    allowed = frozenset(question.applies_to)
    return tuple(
        (position, allowed)
        for position, profile in enumerate(questions)
        if profile.kind == PROFILE and any(option.value in allowed for option in profile.options)
    )


def answers_by_position(compiled: Compiled, answers: Iterable[Answer]) -> dict[int, Answer]:
    """Answers keyed by question position; raises InvalidAnswers for unknown questions,
    duplicates and answers that do not fit their question."""
    by_position: dict[int, Answer] = {}
    problems: list[Problem] = []
    for answer in answers:
        position = compiled.positions.get(answer.question)
        if position is None:
            message = f"There is no question with the code {answer.question!r}."
            problems.append(Problem(answer.question, answer.text, message))
            continue
        if position in by_position:
            message = f"{answer.question} was answered more than once."
            problems.append(Problem(answer.question, answer.text, message))
            continue
        problem = answer_problem(compiled.questionnaire.questions[position], answer)
        if problem is not None:
            problems.append(Problem(answer.question, answer.text, problem))
            continue
        by_position[position] = answer
    if problems:
        raise InvalidAnswers(sorted(problems, key=lambda problem: problem.question))
    return by_position


def outcome_of(question: Question, answer: Answer | None) -> Outcome:
    """The outcome of one answer, before the trust's profile is taken into account."""
    if answer is None:
        return UNANSWERED_OUTCOME
    if answer.status == DK:
        return DK_OUTCOME
    if answer.status == NA:
        return NA_OUTCOME
    level, critical = resolve(question, answer)
    return Outcome(ANSWERED, level, critical, answer.option)


def apply_profile(compiled: Compiled, outcomes: list[Outcome]) -> tuple[Outcome, ...]:
    """Mark as not applicable every question whose applies_to excludes the trust's
    answered profile. An unanswered profile leaves every question applicable."""
    for position, rules in enumerate(compiled.applicability):
        for profile_position, allowed in rules:
            profile = outcomes[profile_position]
            if profile.status == ANSWERED and profile.option not in allowed:
                outcomes[position] = NOT_APPLICABLE_OUTCOME
                break
    return tuple(outcomes)
