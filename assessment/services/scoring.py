"""The bridge to the engine: definitions from the database, answers to a result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assessment import selectors
from assessment.models import Assessment, QuestionnaireVersion
from assessment.scoring import definitions as d
from assessment.scoring.answers import parse_answers
from assessment.scoring.engine import evaluate
from assessment.scoring.result import Result
from models_catalogue.models import CatalogueVersion


@dataclass(frozen=True)
class Definitions:
    """What the engine needs from the database: one questionnaire and one catalogue version."""

    questionnaire: d.Questionnaire
    catalogue: d.Catalogue
    settings: d.MethodSettings


def definitions_load(
    *, questionnaire: QuestionnaireVersion, catalogue: CatalogueVersion
) -> Definitions:
    """The engine's inputs for a pair of versions, in a fixed number of queries (nine)."""
    from models_catalogue import selectors as catalogue_selectors

    forms, settings = catalogue_selectors.catalogue_definition(catalogue)
    return Definitions(
        questionnaire=selectors.questionnaire_definition(questionnaire),
        catalogue=forms,
        settings=settings,
    )


def definitions_published() -> Definitions:
    """The engine's inputs for the versions new assessments use."""
    from models_catalogue import selectors as catalogue_selectors

    return definitions_load(
        questionnaire=selectors.questionnaire_published(),
        catalogue=catalogue_selectors.catalogue_published(),
    )


def answers_evaluate(
    *, definitions: Definitions, raw: Mapping[str, object], sensitivity: bool = True
) -> Result:
    """Score answers given as in the persona files (code -> value); raises InvalidAnswers
    listing every problem when any answer does not fit the questionnaire."""
    answers = parse_answers(definitions.questionnaire, raw)
    return evaluate(
        definitions.questionnaire,
        definitions.catalogue,
        definitions.settings,
        answers,
        sensitivity=sensitivity,
    )


def definitions_for(assessment: Assessment) -> Definitions:
    """The versions an assessment is pinned to; from memory after the first read."""
    from models_catalogue import selectors as catalogue_selectors

    forms, settings = catalogue_selectors.catalogue_pinned(assessment.catalogue_version)
    pinned = selectors.questionnaire_pinned(assessment.questionnaire_version)
    return Definitions(questionnaire=pinned.definition, catalogue=forms, settings=settings)
