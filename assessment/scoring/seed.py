"""Build the engine's definitions from plain dicts shaped like the seed YAML files.

The caller parses the YAML (or JSON); this module only reads dicts and lists, so the
engine itself never needs a YAML library. YAML 1.1 turns a bare `yes` or `no` into a
boolean, so keys and values that arrive as booleans are read back as "yes" and "no".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from .checks import DefinitionError, check_definitions, check_questionnaire
from .definitions import (
    CHOICE,
    JUDGEMENT,
    LEVER,
    NUMBER,
    SCALE,
    YESNO,
    Band,
    Catalogue,
    ContextWeight,
    CriticalTrigger,
    Domain,
    DomainWeight,
    Example,
    FitCoefficients,
    Form,
    Option,
    Prerequisite,
    Question,
    Questionnaire,
)

Data = Mapping[str, Any]


def definitions_from_seed(
    questionnaire_data: Data, catalogue_data: Data
) -> tuple[Questionnaire, Catalogue]:
    """Both definitions, checked together; raises DefinitionError listing every problem."""
    questionnaire = _questionnaire(questionnaire_data)
    catalogue = _catalogue(catalogue_data)
    problems = check_definitions(questionnaire, catalogue)
    if problems:
        raise DefinitionError(problems)
    return questionnaire, catalogue


def questionnaire_from_seed(data: Data) -> Questionnaire:
    """The questionnaire alone, checked; raises DefinitionError listing every problem."""
    questionnaire = _questionnaire(data)
    problems = check_questionnaire(questionnaire)
    if problems:
        raise DefinitionError(problems)
    return questionnaire


def _questionnaire(data: Data) -> Questionnaire:
    return Questionnaire(
        version=int(data["version"]),
        title=str(data.get("title", "")),
        verdict_question=str(data.get("verdict_question", "")),
        domains=tuple(
            Domain(
                code=str(item["code"]),
                name=str(item["name"]),
                weight=_decimal(item.get("weight", 0)),
                scored=bool(item.get("scored", True)),
            )
            for item in data["domains"]
        ),
        questions=tuple(_question(item) for item in data["questions"]),
    )


def _question(data: Data) -> Question:
    kind = str(data["kind"])
    critical = data.get("critical")
    return Question(
        code=str(data["code"]),
        domain=str(data["domain"]),
        kind=kind,
        text=str(data["text"]).strip(),
        weight=_decimal(data.get("weight", 1)),
        options=(
            _yesno_options(data)
            if kind == YESNO
            else _options(data.get("options", ()), critical if kind == CHOICE else None)
        ),
        unit=str(data.get("unit", "")),
        minimum=_optional_decimal(data.get("min")),
        maximum=_optional_decimal(data.get("max")),
        bands=tuple(
            Band(
                level=int(band["level"]),
                minimum=_optional_decimal(band.get("min")),
                maximum=_optional_decimal(band.get("max")),
            )
            for band in data.get("bands", ())
        ),
        anchors=_anchors(data.get("anchors")),
        critical=(
            _trigger(critical)
            if kind in (NUMBER, SCALE) and isinstance(critical, Mapping)
            else None
        ),
        allow_na=bool(data.get("allow_na", False)),
        applies_to=tuple(str(value) for value in data.get("applies_to", ())),
        guidance=str(data.get("guidance", "")).strip(),
        basis=str(data.get("basis", "")).strip(),
        answered_by=str(data.get("answered_by", JUDGEMENT)),
        changeable=str(data.get("changeable", LEVER)),
    )


def _options(items: Sequence[Data], critical: object = None) -> tuple[Option, ...]:
    """A choice question's `critical: {level, rule}` marks each option at that level, as if
    each carried the rule itself (PERF-5 of version 2: segments 4 and 5)."""
    marked = critical if isinstance(critical, Mapping) and "level" in critical else None
    return tuple(
        Option(
            value=_word(item["value"]),
            label=str(item["label"]),
            level=_level(item.get("level")),
            critical=_optional_str(item.get("critical"))
            or (
                str(marked["rule"])
                if marked is not None and _level(item.get("level")) == int(marked["level"])
                else None
            ),
        )
        for item in items
    )


def _yesno_options(data: Data) -> tuple[Option, ...]:
    entries = {_word(key): item for key, item in data.items()}
    options = []
    for value, label in (("yes", "Yes"), ("no", "No")):
        item = entries.get(value)
        if isinstance(item, Mapping):
            options.append(
                Option(
                    value=value,
                    label=str(item.get("label", label)),
                    level=_level(item.get("level")),
                    critical=_optional_str(item.get("critical")),
                )
            )
    return tuple(options)


def _trigger(data: Data) -> CriticalTrigger:
    level = data.get("level")
    return CriticalTrigger(
        rule=str(data["rule"]),
        below=_optional_decimal(data.get("below")),
        above=_optional_decimal(data.get("above")),
        level=None if level is None else int(level),
    )


def _anchors(data: Mapping[Any, Any] | None) -> tuple[str, ...]:
    if not data:
        return ()
    return tuple(str(data[level]).strip() for level in sorted(data, key=int))


def _catalogue(data: Data) -> Catalogue:
    return Catalogue(
        version=int(data["version"]),
        forms=tuple(_form(item) for item in data["forms"]),
    )


def _form(data: Data) -> Form:
    months = data.get("months") or (None, None)
    return Form(
        slug=str(data["slug"]),
        name=str(data["name"]),
        family=str(data.get("family", "")),
        role=str(data.get("role", "")),
        integration_level=int(data["integration_level"]),
        intensity=_decimal(data["intensity"]),
        summary=str(data.get("summary", "")).strip(),
        suits=str(data.get("suits", "")).strip(),
        governance=str(data.get("governance", "")).strip(),
        approvals=str(data.get("approvals", "")).strip(),
        months_min=None if months[0] is None else int(months[0]),
        months_max=None if months[1] is None else int(months[1]),
        reversibility=str(data.get("reversibility", "")),
        domain_weights=tuple(
            DomainWeight(
                domain=str(item["domain"]),
                weight=_decimal(item["weight"]),
                prefers=str(item["prefers"]),
                why=str(item.get("why", "")).strip(),
            )
            for item in data.get("domain_weights", ())
        ),
        context_weights=tuple(
            ContextWeight(
                question=str(item["question"]),
                weight=_decimal(item["weight"]),
                prefers=str(item["prefers"]),
                why=str(item.get("why", "")).strip(),
            )
            for item in data.get("context_weights", ())
        ),
        prerequisites=tuple(_prerequisite(item) for item in data.get("requires", ()) or ()),
        examples=tuple(
            Example(
                name=str(item["name"]),
                year=None if item.get("year") is None else int(item["year"]),
                note=str(item.get("note", "")).strip(),
                source=str(item.get("source", "")).strip(),
            )
            for item in data.get("examples", ()) or ()
        ),
        sources=tuple(str(source) for source in data.get("sources", ()) or ()),
        risk_note=str(data.get("risks", data.get("risk_note", ""))).strip(),
        coefficients=_coefficients(data.get("coefficients")),
    )


def _coefficients(data: object) -> FitCoefficients | None:
    """A form's own {need, context, proportion}; None when it has none. Whether they add up
    to 1 is for the definition checks, which name the form."""
    if data is None:
        return None
    if not isinstance(data, Mapping) or set(data) != {"need", "context", "proportion"}:
        raise DefinitionError(
            [f"A form's coefficients must give need, context and proportion, not {data!r}."]
        )
    return FitCoefficients(
        need=_decimal(data["need"]),
        context=_decimal(data["context"]),
        proportion=_decimal(data["proportion"]),
    )


def _prerequisite(data: Data) -> Prerequisite:
    min_level = data.get("min_level")
    return Prerequisite(
        reason=str(data.get("reason", "")).strip(),
        question=_optional_str(data.get("question")),
        answer_in=tuple(_word(value) for value in data.get("in", ())),
        answer_not_in=tuple(_word(value) for value in data.get("not_in", ())),
        min_level=None if min_level is None else int(min_level),
        verdict_in=tuple(str(value) for value in data.get("verdict_in", ())),
        verdict_not_in=tuple(str(value) for value in data.get("verdict_not_in", ())),
    )


def _word(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _level(value: object) -> int | None:
    if value is None or value == "na":
        return None
    return int(str(value))


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool):
        raise DefinitionError([f"Expected a number, not {value!r}."])
    try:
        # repr() of a float is its shortest round-tripping form: 0.2, not 0.2000000000000000111.
        result = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    except InvalidOperation:
        raise DefinitionError([f"Expected a number, not {value!r}."]) from None
    if not result.is_finite():
        raise DefinitionError([f"Expected a finite number, not {value!r}."])
    return result


def _optional_decimal(value: object) -> Decimal | None:
    return None if value is None else _decimal(value)
