"""What would change our recommendation? (method sections 6 and 10)

Every answered question is tried with every other answer it could take: each other option
or level, "not applicable" where the question allows it, and for a number each other
region of its range, one representative value per region. A region is a stretch of the
range with one level and one critical signal, so a number band split by a critical
trigger (FIN-1 below -5) counts as two answers. Questions left out by the trust's profile
are not tried, nor are facts of the trust's nature (a `fixed` question, such as its type
or the population it serves), which no board can change. Context outside the trust's
control (an `external` question) is tried, and each such change is marked and described
as outside the trust's control. Distance ("one level or band away first") is the
difference in level for options and scales and the number of regions crossed for
numbers; a change to or from "not applicable", or of the trust's profile, has no
distance and is listed after the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .answers import GIVEN, NA, Answer, answer_label, with_unit
from .compiled import (
    ANSWERED,
    NA_OUTCOME,
    NOT_APPLICABLE,
    Compiled,
    Outcome,
    apply_profile,
)
from .decimals import display, plain_number, tidy
from .definitions import (
    EXTERNAL,
    FIXED,
    LEVELS,
    NUMBER,
    PROFILE,
    SCALE,
    VERDICT_LABELS,
    MethodSettings,
    Question,
)
from .fit import UNMET
from .levels import NumberRegion, number_regions
from .result import (
    OUTSIDE_CONTROL,
    AnswerChange,
    Displacement,
    FitChange,
    FormSensitivity,
    Sensitivity,
    VerdictChange,
)
from .scenario import Scenario, build_scenario, domain_sums_after

TOP_FORMS = 3
CHANGES_SHOWN = 3


@dataclass(slots=True)
class _Alternative:
    """One other answer to try. Its wording is built only if it is reported."""

    position: int
    order: int
    question: Question
    answer: Answer
    outcome: Outcome
    steps: int | None
    region: NumberRegion | None  # for a number: the stretch of its range it stands for
    was: tuple[str, str, str]  # the current answer: as stored, as a phrase, as a label

    @property
    def nearness(self) -> tuple[bool, int, int, int]:
        return (self.steps is None, self.steps or 0, self.position, self.order)

    def change(self) -> AnswerChange:
        question, answer = self.question, self.answer
        if self.region is not None:
            phrase = self.region.describe(question)
            label = with_unit(plain_number(self.region.example), question.unit)
        elif answer.status == NA:
            phrase, label = "not applicable", answer_label(question, answer)
        elif question.kind == SCALE:
            phrase, label = f"level {answer.level}", answer_label(question, answer)
        else:
            label = answer_label(question, answer)
            phrase = f"'{label}'"
        from_answer, from_phrase, from_label = self.was
        outside_control = question.changeable == EXTERNAL
        description = f"If {question.code} were {phrase} instead of {from_phrase}"
        if outside_control:
            description += f" ({OUTSIDE_CONTROL})"
        return AnswerChange(
            question=question.code,
            question_text=question.text,
            from_answer=from_answer,
            from_label=from_label,
            to_answer=answer.text,
            to_label=label,
            steps=self.steps,
            description=description,
            outside_control=outside_control,
        )


@dataclass(slots=True)
class _Tried:
    alternative: _Alternative
    scenario: Scenario  # shared by changes with the same effect: read its results only


def analyse(
    compiled: Compiled,
    settings: MethodSettings,
    base: Scenario,
    raw: tuple[Outcome, ...],
    answers: dict[int, Answer],
    labels: list[str],
) -> Sensitivity:
    """Try every single-answer change and report what it would do to the recommendation."""
    tried: list[_Tried] = []
    # Many changes have the same effect: LEAD-3 and LEAD-4 both moving from level 3 to 2
    # leave the same domain sums. When a question feeds no context item, no prerequisite
    # and no critical rule, the scenario depends only on its domain's new sums, so each
    # distinct effect is computed once.
    shared: dict[tuple[int, Decimal, Decimal, Decimal], Scenario] = {}
    for position, answer in sorted(answers.items()):
        current = base.outcomes[position]
        if current.status == NOT_APPLICABLE or answer.status not in (GIVEN, NA):
            continue
        question = compiled.questionnaire.questions[position]
        if question.changeable == FIXED:
            continue  # a fact of the trust's nature: never proposed
        is_profile = question.kind == PROFILE
        plain = (
            not is_profile
            and current.critical is None
            and not compiled.forms_by_question[position]
            and not compiled.forms_by_prerequisite[position]
        )
        before, after = base.outcomes[:position], base.outcomes[position + 1 :]
        for alternative in _alternatives(position, question, answer, current, labels[position]):
            if is_profile:
                changed = list(raw)
                changed[position] = alternative.outcome
                outcomes = apply_profile(compiled, changed)
                if (*before, alternative.outcome, *after) == outcomes:
                    scenario = build_scenario(compiled, settings, outcomes, base, position)
                else:
                    # Another profile changes which questions apply: start afresh.
                    scenario = build_scenario(compiled, settings, outcomes)
            elif plain and alternative.outcome.critical is None:
                key = (
                    compiled.question_domain[position],
                    *domain_sums_after(compiled, base, position, alternative.outcome),
                )
                if key not in shared:
                    outcomes = (*before, alternative.outcome, *after)
                    shared[key] = build_scenario(compiled, settings, outcomes, base, position)
                scenario = shared[key]
            else:
                outcomes = (*before, alternative.outcome, *after)
                scenario = build_scenario(compiled, settings, outcomes, base, position)
            tried.append(_Tried(alternative, scenario))
    tried.sort(key=lambda item: item.alternative.nearness)
    return _report(compiled, base, tried)


def _report(compiled: Compiled, base: Scenario, tried: list[_Tried]) -> Sensitivity:
    forms = compiled.forms
    # The top form is the first of the ranking, the best by fit, even when it is to confirm:
    # it is the option the board reads first, so its stability is what the board needs to
    # know. Since missing evidence never moves a form, a change of answer displaces it only
    # by changing fits or by ruling it out, never by settling or unsettling a prerequisite.
    # (Only answered questions are tried, so no change here fills a missing answer.)
    top = base.ranking[0] if base.ranking else None
    top_name = "" if top is None else forms[top].form.name
    changes: dict[tuple[int, int], AnswerChange] = {}

    def change(item: _Tried) -> AnswerChange:
        key = (item.alternative.position, item.alternative.order)
        if key not in changes:
            changes[key] = item.alternative.change()
        return changes[key]

    displacing = tuple(
        _displacement(compiled, change(item), _top(item.scenario), top_name)
        for item in tried
        if top is not None and _top(item.scenario) != top
    )
    verdict_changes = tuple(
        VerdictChange(
            change=change(item),
            verdict=item.scenario.verdict,
            verdict_label=VERDICT_LABELS[item.scenario.verdict],
            sentence=(
                f"{change(item).description}, the verdict would be "
                f"'{VERDICT_LABELS[item.scenario.verdict]}' instead of "
                f"'{VERDICT_LABELS[base.verdict]}'."
            ),
        )
        for item in tried
        if item.scenario.verdict != base.verdict
    )
    impacts = []
    for slot, f in enumerate(base.ranking[:TOP_FORMS]):
        before = base.fit[f]
        lifts = [item for item in tried if item.scenario.fit[f] > before and _ranked(item, f)]
        drops = [item for item in tried if item.scenario.fit[f] < before or not _ranked(item, f)]
        # Sorting is stable and `tried` is nearest first, so equal changes stay nearest first.
        lifts.sort(key=lambda item: -item.scenario.fit[f])
        drops.sort(key=lambda item: (_ranked(item, f), item.scenario.fit[f]))
        impacts.append(
            FormSensitivity(
                slug=forms[f].form.slug,
                name=forms[f].form.name,
                lifts=tuple(
                    _fit_change(compiled, f, slot, before, item, change(item))
                    for item in lifts[:CHANGES_SHOWN]
                ),
                drops=tuple(
                    _fit_change(compiled, f, slot, before, item, change(item))
                    for item in drops[:CHANGES_SHOWN]
                ),
            )
        )
    if top is None:
        summary = "No option is ranked, so there is no recommendation to test."
    elif displacing:
        summary = (
            f"Fragile: {len(displacing)} of {len(tried)} single changed answers would "
            f"displace {top_name} from first place. The nearest: {displacing[0].sentence}"
        )
    else:
        summary = (
            f"Robust: none of {len(tried)} single changed answers would displace "
            f"{top_name} from first place."
        )
    return Sensitivity(
        stability="fragile" if displacing else "robust",
        top_form=None if top is None else forms[top].form.slug,
        summary=summary,
        scenarios=len(tried),
        displacing=displacing,
        verdict_changes=verdict_changes,
        forms=tuple(impacts),
    )


def _top(scenario: Scenario) -> int | None:
    return scenario.ranking[0] if scenario.ranking else None


def _ranked(item: _Tried, f: int) -> bool:
    return f in item.scenario.ranking


def _displacement(
    compiled: Compiled, change: AnswerChange, new_top: int | None, top_name: str
) -> Displacement:
    if new_top is None:
        return Displacement(
            change=change,
            new_top=None,
            new_top_name="",
            sentence=f"{change.description}, no option would remain in the ranking.",
        )
    form = compiled.forms[new_top].form
    return Displacement(
        change=change,
        new_top=form.slug,
        new_top_name=form.name,
        sentence=f"{change.description}, {form.name} would rank first instead of {top_name}.",
    )


def _fit_change(
    compiled: Compiled, f: int, slot: int, before: Decimal, item: _Tried, change: AnswerChange
) -> FitChange:
    after = item.scenario.fit[f]
    ranking = item.scenario.ranking
    rank_after = ranking.index(f) + 1 if f in ranking else None
    if rank_after is None:
        reasons = [
            prerequisite.reason
            for (prerequisite, _), status in zip(
                compiled.forms[f].prerequisites, item.scenario.prerequisites[f], strict=True
            )
            if status == UNMET
        ]
        sentence = f"{change.description}, it would be ruled out: {' '.join(reasons)}"
    else:
        movement = "rise" if after > before else "fall" if after < before else "stay"
        sentence = (
            f"{change.description}, its fit would {movement} from {display(before)} to "
            f"{display(after)} and it would rank {rank_after}."
        )
    return FitChange(
        change=change,
        fit_before=tidy(before),
        fit_after=tidy(after),
        delta=tidy(after - before),
        rank_before=slot + 1,
        rank_after=rank_after,
        sentence=sentence,
    )


def _alternatives(
    position: int, question: Question, answer: Answer, current: Outcome, current_label: str
) -> list[_Alternative]:
    """Every other answer the question could take, with its outcome and distance."""
    if question.kind == NUMBER:
        found = _number_alternatives(question, answer, current)
    elif question.kind == SCALE:
        found = _scale_alternatives(question, answer)
    else:
        found = _option_alternatives(question, answer, current)
    if question.accepts_na and answer.status != NA:
        found.append((Answer(question.code, NA), NA_OUTCOME, None, None))
    was = (answer.text, _phrase(question, answer, current_label), current_label)
    return [
        _Alternative(position, order, question, alternative, outcome, steps, region, was)
        for order, (alternative, outcome, steps, region) in enumerate(found)
    ]


# (answer, outcome, steps, region of a number)
_Found = tuple[Answer, Outcome, int | None, NumberRegion | None]


def _number_alternatives(question: Question, answer: Answer, current: Outcome) -> list[_Found]:
    """One answer per other outcome (level, critical), taken from the nearest region."""
    regions = number_regions(question)
    here = None
    if answer.status != NA and answer.number is not None:
        here = _region_of(regions, answer.number)
    nearest: dict[tuple[int, str | None], tuple[int | None, int]] = {}
    for number, region in enumerate(regions):
        outcome = (region.level, region.critical)
        if here is not None and outcome == (current.level, current.critical):
            continue
        steps = None if here is None else abs(number - here)
        known = nearest.get(outcome)
        if known is None or (steps is not None and known[0] is not None and steps < known[0]):
            nearest[outcome] = (steps, number)
    return [
        (
            Answer(question.code, GIVEN, number=regions[number].example),
            Outcome(ANSWERED, level, critical),
            steps,
            regions[number],
        )
        for (level, critical), (steps, number) in sorted(nearest.items(), key=lambda kv: kv[1][1])
    ]


def _scale_alternatives(question: Question, answer: Answer) -> list[_Found]:
    trigger = question.critical
    found: list[_Found] = []
    for level in LEVELS:
        if answer.status != NA and level == answer.level:
            continue
        critical = trigger.rule if trigger is not None and trigger.level == level else None
        steps = None if answer.status == NA or answer.level is None else abs(level - answer.level)
        found.append(
            (
                Answer(question.code, GIVEN, level=level),
                Outcome(ANSWERED, level, critical),
                steps,
                None,
            )
        )
    return found


def _option_alternatives(question: Question, answer: Answer, current: Outcome) -> list[_Found]:
    found: list[_Found] = []
    for option in question.options:
        if option.level is None and question.kind != PROFILE:
            continue  # offered as "not applicable" by the caller
        if answer.status != NA and option.value == answer.option:
            continue
        steps = None
        if current.level is not None and option.level is not None:
            steps = max(1, abs(option.level - current.level))
        found.append(
            (
                Answer(question.code, GIVEN, option=option.value),
                Outcome(ANSWERED, option.level, option.critical, option.value),
                steps,
                None,
            )
        )
    return found


def _region_of(regions: tuple[NumberRegion, ...], value: Decimal) -> int | None:
    for number, region in enumerate(regions):
        if region.contains(value):
            return number
    return None


def _phrase(question: Question, answer: Answer, label: str) -> str:
    if answer.status == NA:
        return "not applicable"
    if question.kind == NUMBER:
        return label
    if question.kind == SCALE:
        return f"level {answer.level}"
    return f"'{label}'"
