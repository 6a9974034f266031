"""`evaluate`: from definitions, settings and answers to a complete Result."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import localcontext

from .answers import DK, Answer, answer_label
from .compiled import (
    ANSWERED,
    MISSING,
    NOT_APPLICABLE,
    Compiled,
    answers_by_position,
    apply_profile,
    compile_definitions,
    outcome_of,
)
from .confirm import to_confirm_of
from .decimals import CONTEXT, tidy
from .definitions import (
    CAP_RULES,
    VERDICT_LABELS,
    Catalogue,
    Form,
    MethodSettings,
    Prerequisite,
    Questionnaire,
)
from .explain import explain_form
from .fit import RULED_OUT, TO_CONFIRM, UNCONFIRMED, UNMET
from .levels import LEVEL_SCORES
from .result import (
    DomainResult,
    FormDetails,
    MissingEvidence,
    PrerequisiteCheck,
    QuestionResult,
    RankedForm,
    Result,
    RuledOutForm,
    Trigger,
    Verdict,
)
from .scenario import Scenario, build_scenario
from .sensitivity import analyse
from .verdict import describe_verdict


def evaluate(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    settings: MethodSettings,
    answers: Iterable[Answer],
    *,
    sensitivity: bool = True,
) -> Result:
    """Score the answers, decide the verdict, rank the forms, explain and test the ranking.

    Raises DefinitionError for unusable definitions and InvalidAnswers for answers that do
    not fit the questionnaire (unknown codes, duplicates, unknown options, numbers out of
    bounds). Pass sensitivity=False to skip the what-if analysis (result.sensitivity is
    then None).
    """
    with localcontext(CONTEXT):
        compiled = compile_definitions(questionnaire, catalogue)
        by_position = answers_by_position(compiled, answers)
        questions = questionnaire.questions
        raw = [outcome_of(question, by_position.get(p)) for p, question in enumerate(questions)]
        base = build_scenario(compiled, settings, apply_profile(compiled, list(raw)))
        labels = [
            answer_label(question, by_position.get(p)) for p, question in enumerate(questions)
        ]
        domains = _domains(compiled, base)
        missing = tuple(
            MissingEvidence(
                question=question.code,
                domain=question.domain,
                text=question.text,
                status=base.outcomes[p].status,
                scored=question.scored,
            )
            for p, question in enumerate(questions)
            if base.outcomes[p].status in MISSING
        )
        return Result(
            questionnaire_version=questionnaire.version,
            catalogue_version=catalogue.version,
            settings=settings,
            title=questionnaire.title,
            verdict_question=questionnaire.verdict_question,
            verdict=_verdict(compiled, settings, base, labels),
            index=None if base.index is None else tidy(base.index),
            coverage=tidy(base.coverage),
            domains=domains,
            dropped_domains=tuple(
                questionnaire.domains[d].code
                for d in compiled.scored_domains
                if base.domains[d].score is None
            ),
            questions=_questions(compiled, base, by_position, labels),
            triggers=tuple(
                Trigger(
                    question=questions[p].code,
                    text=questions[p].text,
                    answer_label=labels[p],
                    rule=base.outcomes[p].critical or "",
                    verdict=CAP_RULES[base.outcomes[p].critical or ""],
                )
                for p in base.criticals
            ),
            missing=missing,
            ranking=_ranking(compiled, settings, base, labels, missing, domains),
            ruled_out=_ruled_out(compiled, base, labels),
            sensitivity=(
                analyse(compiled, settings, base, tuple(raw), by_position, labels)
                if sensitivity
                else None
            ),
        )


def _verdict(
    compiled: Compiled, settings: MethodSettings, base: Scenario, labels: list[str]
) -> Verdict:
    questionnaire = compiled.questionnaire
    verdict = describe_verdict(
        index=base.index,
        coverage=base.coverage,
        scored_domains=[
            (questionnaire.domains[d].code, questionnaire.domains[d].name, score)
            for d in compiled.scored_domains
            if (score := base.domains[d].score) is not None
        ],
        criticals=[
            (
                questionnaire.questions[p].code,
                questionnaire.questions[p].text,
                labels[p],
                base.outcomes[p].critical or "",
            )
            for p in base.criticals
        ],
        settings=settings,
    )
    # The fast verdict used by sensitivity and the described one must never disagree.
    assert verdict.code == base.verdict, (verdict.code, base.verdict)
    return verdict


def _domains(compiled: Compiled, base: Scenario) -> tuple[DomainResult, ...]:
    questionnaire = compiled.questionnaire
    results = []
    for d, domain in enumerate(questionnaire.domains):
        state = base.domains[d]
        codes = [
            (p, q.code) for p, q in enumerate(questionnaire.questions) if q.domain == domain.code
        ]
        results.append(
            DomainResult(
                code=domain.code,
                name=domain.name,
                weight=domain.weight,
                scored=domain.scored,
                score=None if state.score is None else tidy(state.score),
                coverage=None if state.coverage is None else tidy(state.coverage),
                answered_weight=state.answered_weight,
                applicable_weight=state.applicable_weight,
                in_index=domain.scored and state.score is not None,
                missing=tuple(c for p, c in codes if base.outcomes[p].status in MISSING),
                not_applicable=tuple(
                    c for p, c in codes if base.outcomes[p].status in ("na", NOT_APPLICABLE)
                ),
            )
        )
    return tuple(results)


def _questions(
    compiled: Compiled, base: Scenario, by_position: dict[int, Answer], labels: list[str]
) -> tuple[QuestionResult, ...]:
    results = []
    for p, question in enumerate(compiled.questionnaire.questions):
        outcome = base.outcomes[p]
        answer = by_position.get(p)
        level = outcome.level if outcome.status == ANSWERED else None
        results.append(
            QuestionResult(
                code=question.code,
                domain=question.domain,
                kind=question.kind,
                text=question.text,
                weight=question.weight,
                status=outcome.status,
                answer=None if answer is None else answer.text,
                answer_label=labels[p],
                level=level,
                score=None if level is None else tidy(LEVEL_SCORES[level]),
                critical=outcome.critical,
            )
        )
    return tuple(results)


def _ranking(
    compiled: Compiled,
    settings: MethodSettings,
    base: Scenario,
    labels: list[str],
    missing: tuple[MissingEvidence, ...],
    domains: tuple[DomainResult, ...],
) -> tuple[RankedForm, ...]:
    ranked = []
    for rank, f in enumerate(base.ranking, start=1):
        form = compiled.forms[f].form
        checks = _checks(compiled, base, f, labels)
        pending = [
            f"{check.reason} ({check.detail})" for check in checks if check.status == UNCONFIRMED
        ]
        ranked.append(
            RankedForm(
                rank=rank,
                slug=form.slug,
                name=form.name,
                family=form.family,
                role=form.role,
                integration_level=form.integration_level,
                intensity=form.intensity,
                fit=tidy(base.fit[f]),
                need_match=tidy(base.need_match[f]),
                context_match=tidy(base.context_match[f]),
                proportion=tidy(base.proportion[f]),
                conditional=base.standing[f] == TO_CONFIRM,
                prerequisites=checks,
                to_confirm=to_confirm_of(checks, missing, domains),
                explanation=explain_form(
                    compiled=compiled,
                    settings=settings,
                    scenario=base,
                    form_position=f,
                    rank=rank,
                    answer_labels=labels,
                    with_proportion=rank == 1,
                    pending=pending,
                ),
                details=_details(form),
            )
        )
    return tuple(ranked)


def _ruled_out(compiled: Compiled, base: Scenario, labels: list[str]) -> tuple[RuledOutForm, ...]:
    positions = [f for f, standing in enumerate(base.standing) if standing == RULED_OUT]
    positions.sort(
        key=lambda f: (compiled.forms[f].form.integration_level, compiled.forms[f].form.slug)
    )
    results = []
    for f in positions:
        form = compiled.forms[f].form
        checks = _checks(compiled, base, f, labels)
        results.append(
            RuledOutForm(
                slug=form.slug,
                name=form.name,
                family=form.family,
                role=form.role,
                integration_level=form.integration_level,
                fit=tidy(base.fit[f]),
                reasons=tuple(check.reason for check in checks if check.status == UNMET),
                prerequisites=checks,
                details=_details(form),
            )
        )
    return tuple(results)


def _checks(
    compiled: Compiled, base: Scenario, f: int, labels: list[str]
) -> tuple[PrerequisiteCheck, ...]:
    plan = compiled.forms[f]
    return tuple(
        PrerequisiteCheck(
            reason=prerequisite.reason,
            status=status,
            question=prerequisite.question,
            detail=_detail(prerequisite, position, base, labels),
        )
        for (prerequisite, position), status in zip(
            plan.prerequisites, base.prerequisites[f], strict=True
        )
    )


def _detail(
    prerequisite: Prerequisite, position: int | None, base: Scenario, labels: list[str]
) -> str:
    if prerequisite.on_verdict:
        provisional = " (provisional)" if base.provisional else ""
        return f"the verdict is '{VERDICT_LABELS[base.verdict]}'{provisional}"
    assert position is not None
    code = prerequisite.question
    outcome = base.outcomes[position]
    if outcome.status == DK:
        return f"{code} is answered don't know"
    if outcome.status in MISSING:
        return f"{code} is not answered"
    if outcome.status != ANSWERED:
        return f"{code} does not apply to this trust"
    detail = f"{code} is answered '{labels[position]}'"
    if prerequisite.min_level is not None:
        detail += f", level {outcome.level}; level {prerequisite.min_level} or more is needed"
    return detail


def _details(form: Form) -> FormDetails:
    return FormDetails(
        summary=form.summary,
        suits=form.suits,
        governance=form.governance,
        approvals=form.approvals,
        months_min=form.months_min,
        months_max=form.months_max,
        reversibility=form.reversibility,
        risk_note=form.risk_note,
        examples=form.examples,
        sources=form.sources,
    )
