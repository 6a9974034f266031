"""Everything that would make a questionnaire or catalogue unusable, in plain English.

The same checks serve the seed loader, the admin's publish step and `evaluate`, which
refuses definitions that fail them rather than producing a misleading result.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .decimals import MAX_PLACES, too_precise
from .definitions import (
    ANSWERED_BY,
    CAP_RULES,
    CHANGEABLE,
    KINDS,
    LEVELS,
    NUMBER,
    OPTION_KINDS,
    PREFERS_HIGH,
    PREFERS_LOW,
    PROFILE,
    SCALE,
    VERDICT_LABELS,
    YESNO,
    Catalogue,
    Form,
    Prerequisite,
    Question,
    Questionnaire,
    form_coefficient_problems,
)


class DefinitionError(ValueError):
    """Definitions that cannot be evaluated; `problems` lists every reason."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


def check_definitions(questionnaire: Questionnaire, catalogue: Catalogue) -> tuple[str, ...]:
    """Every problem with the pair of definitions; empty when they can be evaluated."""
    return tuple(check_questionnaire(questionnaire) + check_catalogue(catalogue, questionnaire))


def check_questionnaire(questionnaire: Questionnaire) -> list[str]:
    problems: list[str] = []
    domain_codes = [domain.code for domain in questionnaire.domains]
    problems += _duplicates("domain code", domain_codes)
    for domain in questionnaire.domains:
        if domain.weight < 0:
            problems.append(f"Domain {domain.code} has a negative weight.")
        if too_precise(domain.weight):
            problems.append(f"Domain {domain.code}: use at most {MAX_PLACES} decimal places.")
    if not any(domain.scored and domain.weight > 0 for domain in questionnaire.domains):
        problems.append("At least one scored domain must have a positive weight.")
    problems += _duplicates(
        "question code", [question.code for question in questionnaire.questions]
    )
    profile_values = {
        option.value
        for question in questionnaire.questions
        if question.kind == PROFILE
        for option in question.options
    }
    for question in questionnaire.questions:
        problems += _question_problems(question, set(domain_codes), profile_values)
    return problems


def _question_problems(
    question: Question, domains: set[str], profile_values: set[str]
) -> list[str]:
    code = question.code
    problems: list[str] = []
    if question.domain not in domains:
        problems.append(f"{code} belongs to unknown domain {question.domain}.")
    if question.kind not in KINDS:
        problems.append(f"{code} has unknown kind {question.kind!r}.")
        return problems
    if question.answered_by not in ANSWERED_BY:
        problems.append(
            f"{code}: answered_by must be figure or judgement, not {question.answered_by!r}."
        )
    if question.changeable not in CHANGEABLE:
        problems.append(
            f"{code}: changeable must be fixed, external or lever, not {question.changeable!r}."
        )
    if question.weight <= 0:
        problems.append(f"{code} must have a positive weight.")
    if too_precise(question.weight):
        problems.append(f"{code}: give its weight to at most {MAX_PLACES} decimal places.")
    if question.kind in OPTION_KINDS:
        problems += _option_problems(question)
    elif question.options:
        problems.append(f"{code} is a {question.kind} question and cannot have options.")
    if question.kind == NUMBER:
        problems += _number_problems(question)
    elif question.bands:
        problems.append(f"{code} is not a number question and cannot have bands.")
    if question.kind == SCALE:
        if len(question.anchors) != len(LEVELS):
            problems.append(f"{code} needs four anchors, one for each level.")
        trigger = question.critical
        if trigger is not None and (trigger.level not in LEVELS or trigger.below or trigger.above):
            problems.append(f"{code} has a critical rule that does not name a level 1 to 4.")
    if question.critical is not None:
        if question.kind not in (NUMBER, SCALE):
            problems.append(
                f"{code}: only number and scale questions carry a critical trigger; "
                "choice and yes/no questions carry it on the option."
            )
        if question.critical.rule not in CAP_RULES:
            problems.append(f"{code} has unknown critical rule {question.critical.rule!r}.")
    for value in question.applies_to:
        if value not in profile_values:
            problems.append(f"{code} applies to {value!r}, which no profile question offers.")
    return problems


def _option_problems(question: Question) -> list[str]:
    code = question.code
    problems = _duplicates(f"{code} option", [option.value for option in question.options])
    if not question.options:
        problems.append(f"{code} needs at least one option.")
    if question.kind == YESNO and sorted(option.value for option in question.options) != [
        "no",
        "yes",
    ]:
        problems.append(f"{code} is a yes/no question and needs exactly the options yes and no.")
    for option in question.options:
        if question.kind == PROFILE and (option.level is not None or option.critical):
            problems.append(f"{code} is a profile question: its options carry no level.")
        if option.level is not None and option.level not in LEVELS:
            problems.append(f"{code} option {option.value!r} has level {option.level}, not 1 to 4.")
        if option.critical is not None and option.critical not in CAP_RULES:
            problems.append(f"{code} option {option.value!r} has unknown critical rule.")
        if option.critical is not None and option.level is None:
            problems.append(f"{code} option {option.value!r} is critical but has no level.")
    if question.kind != PROFILE and all(option.level is None for option in question.options):
        problems.append(f"{code} needs at least one option with a level.")
    return problems


def _number_problems(question: Question) -> list[str]:
    code = question.code
    problems: list[str] = []
    if not question.bands:
        problems.append(f"{code} needs bands.")
    elif question.bands[-1].minimum is not None or question.bands[-1].maximum is not None:
        # A final catch-all band guarantees that every number resolves to a level.
        problems.append(f"{code}: the last band must have neither min nor max.")
    for band in question.bands:
        if band.level not in LEVELS:
            problems.append(f"{code} has a band with level {band.level}, not 1 to 4.")
    if (
        question.minimum is not None
        and question.maximum is not None
        and question.minimum > question.maximum
    ):
        problems.append(f"{code} has a minimum above its maximum.")
    trigger = question.critical
    if trigger is not None and (
        (trigger.below is None) == (trigger.above is None) or trigger.level
    ):
        problems.append(f"{code} has a critical rule that needs exactly one of below or above.")
    return problems


def check_catalogue(catalogue: Catalogue, questionnaire: Questionnaire) -> list[str]:
    problems = _duplicates("form slug", [form.slug for form in catalogue.forms])
    for form in catalogue.forms:
        problems += _form_problems(form, questionnaire)
    return problems


def _form_problems(form: Form, questionnaire: Questionnaire) -> list[str]:
    slug = form.slug
    problems: list[str] = []
    scored_domains = {domain.code for domain in questionnaire.domains if domain.scored}
    questions = {question.code: question for question in questionnaire.questions}
    if form.integration_level < 0:
        problems.append(f"{slug} has a negative integration level.")
    if not 0 <= form.intensity <= 1 or too_precise(form.intensity):
        problems.append(
            f"{slug} has intensity {form.intensity}; it must lie between 0 and 1, "
            f"with at most {MAX_PLACES} decimal places."
        )
    if (
        form.months_min is not None
        and form.months_max is not None
        and form.months_min > form.months_max
    ):
        problems.append(f"{slug} takes a minimum of months above its maximum.")
    for item in form.domain_weights:
        if item.domain not in scored_domains:
            problems.append(f"{slug} weighs {item.domain}, which is not a scored domain.")
        problems += _weight_problems(slug, item.domain, item.weight, item.prefers)
    for context in form.context_weights:
        question = questions.get(context.question)
        if question is None or not question.scored:
            problems.append(f"{slug} weighs {context.question}, which is not a scored question.")
        problems += _weight_problems(slug, context.question, context.weight, context.prefers)
    for prerequisite in form.prerequisites:
        problems += _prerequisite_problems(slug, prerequisite, questions)
    problems += form_coefficient_problems(form)
    return problems


def _weight_problems(slug: str, subject: str, weight: Decimal, prefers: str) -> list[str]:
    problems: list[str] = []
    if weight < 0 or too_precise(weight):
        problems.append(
            f"{slug}: the weight of {subject} must be zero or more, "
            f"with at most {MAX_PLACES} decimal places."
        )
    if prefers not in (PREFERS_LOW, PREFERS_HIGH):
        problems.append(f"{slug}: {subject} must prefer 'low' or 'high', not {prefers!r}.")
    return problems


def _prerequisite_problems(
    slug: str, prerequisite: Prerequisite, questions: dict[str, Question]
) -> list[str]:
    conditions = [
        bool(prerequisite.answer_in),
        bool(prerequisite.answer_not_in),
        prerequisite.min_level is not None,
        bool(prerequisite.verdict_in),
        bool(prerequisite.verdict_not_in),
    ]
    if sum(conditions) != 1:
        return [f"{slug}: each prerequisite needs exactly one condition ({prerequisite.reason})."]
    problems: list[str] = []
    if not prerequisite.reason:
        problems.append(f"{slug}: every prerequisite needs the reason shown to boards.")
    for verdict in prerequisite.verdict_in + prerequisite.verdict_not_in:
        if verdict not in VERDICT_LABELS:
            problems.append(f"{slug}: unknown verdict {verdict!r} in a prerequisite.")
    if prerequisite.on_verdict:
        if prerequisite.question is not None:
            problems.append(f"{slug}: a verdict prerequisite cannot also name a question.")
        return problems
    question = questions.get(prerequisite.question or "")
    if question is None:
        problems.append(f"{slug}: prerequisite on unknown question {prerequisite.question!r}.")
        return problems
    if prerequisite.min_level is not None:
        if not question.scored or prerequisite.min_level not in LEVELS:
            problems.append(f"{slug}: min_level needs a scored question and a level 1 to 4.")
        return problems
    if question.kind not in OPTION_KINDS:
        problems.append(f"{slug}: in / not_in need a question with options ({question.code}).")
        return problems
    known = {option.value for option in question.options} | {"na"}
    for value in prerequisite.answer_in + prerequisite.answer_not_in:
        if value not in known:
            problems.append(f"{slug}: {question.code} has no option {value!r}.")
    return problems


def _duplicates(what: str, values: list[str]) -> list[str]:
    seen: set[str] = set()
    problems: list[str] = []
    for value in values:
        if value in seen:
            problems.append(f"Duplicate {what} {value!r}.")
        seen.add(value)
    return problems
