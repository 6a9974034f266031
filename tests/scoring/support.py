"""Shared test material: the seed definitions, the personas and a small questionnaire whose
numbers are easy to work by hand."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from assessment.scoring import (
    Band,
    Catalogue,
    CriticalTrigger,
    Domain,
    Form,
    MethodSettings,
    Option,
    Question,
    Questionnaire,
    Result,
    definitions_from_seed,
    evaluate,
    parse_answers,
)

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = MethodSettings()


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def seed() -> tuple[Questionnaire, Catalogue]:
    return definitions_from_seed(
        load_yaml(ROOT / "assessment/seed/questionnaire-v1.yaml"),
        load_yaml(ROOT / "models_catalogue/seed/catalogue-v1.yaml"),
    )


@cache
def persona(name: str) -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(ROOT / "tests/personas" / f"{name}.yaml")
    return data


def persona_answers(name: str, changes: Mapping[str, object] | None = None) -> dict[str, object]:
    """A persona's raw answers with some replaced (None removes an answer)."""
    raw = dict(persona(name)["answers"])
    for code, value in (changes or {}).items():
        if value is None:
            raw.pop(code, None)
        else:
            raw[code] = value
    return raw


def seed_result(raw: Mapping[str, object], *, sensitivity: bool = False) -> Result:
    questionnaire, catalogue = seed()
    return evaluate(
        questionnaire,
        catalogue,
        SETTINGS,
        parse_answers(questionnaire, raw),
        sensitivity=sensitivity,
    )


def form(result: Result, slug: str) -> Any:
    for ranked in result.ranking:
        if ranked.slug == slug:
            return ranked
    for ruled in result.ruled_out:
        if ruled.slug == slug:
            return ruled
    raise AssertionError(f"{slug} is neither ranked nor ruled out")


def domain(result: Result, code: str) -> Any:
    return next(item for item in result.domains if item.code == code)


# A small questionnaire: domain A weighs 9 and B weighs 1, so the index is easy to place
# exactly on a threshold; C is context. Every scored question is a scale unless noted.
def small_questionnaire() -> Questionnaire:
    def scale(code: str, domain: str, **extra: Any) -> Question:
        anchors = ("one", "two", "three", "four")
        return Question(
            code=code, domain=domain, kind="scale", text=f"{code}?", anchors=anchors, **extra
        )

    return Questionnaire(
        version=1,
        title="Small",
        verdict_question="Sustainable?",
        domains=(
            Domain("A", "Alpha", Decimal(9), scored=True),
            Domain("B", "Beta", Decimal(1), scored=True),
            Domain("C", "Context", Decimal(0), scored=False),
        ),
        questions=(
            Question(
                code="P-1",
                domain="C",
                kind="profile",
                text="Kind?",
                options=(Option("acute", "Acute"), Option("community", "Community")),
            ),
            scale("A-1", "A"),
            scale("A-2", "A", critical=CriticalTrigger(rule="cap-at-risk", level=1)),
            scale("B-1", "B"),
            scale("B-2", "B"),
            Question(
                code="B-3",
                domain="B",
                kind="yesno",
                text="Enforcement?",
                options=(
                    Option("yes", "Yes", 1, critical="cap-unsustainable"),
                    Option("no", "No", 4),
                ),
            ),
            Question(
                code="B-4",
                domain="B",
                kind="number",
                text="Margin?",
                unit="%",
                minimum=Decimal(-10),
                maximum=Decimal(10),
                bands=(Band(4, minimum=Decimal(1)), Band(3, minimum=Decimal(0)), Band(1)),
                critical=CriticalTrigger(rule="cap-at-risk", below=Decimal(-5)),
                allow_na=True,
                applies_to=("acute",),
            ),
            scale("C-1", "C"),
        ),
    )


def plain_form(slug: str, level: int, intensity: str, **extra: Any) -> Form:
    return Form(
        slug=slug,
        name=slug.replace("-", " ").capitalize(),
        family="test",
        role="self",
        integration_level=level,
        intensity=Decimal(intensity),
        **extra,
    )


def small_catalogue(*forms: Form) -> Catalogue:
    return Catalogue(version=1, forms=forms or (plain_form("only", 0, "0"),))


def small_result(
    raw: Mapping[str, object],
    catalogue: Catalogue | None = None,
    settings: MethodSettings = SETTINGS,
) -> Result:
    questionnaire = small_questionnaire()
    return evaluate(
        questionnaire,
        catalogue or small_catalogue(),
        settings,
        parse_answers(questionnaire, raw),
    )
