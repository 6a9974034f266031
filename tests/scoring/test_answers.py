"""Parsing and validating raw answers: every problem named, with how to fix it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessment.scoring import (
    Answer,
    InvalidAnswers,
    Problem,
    Question,
    parse_answer,
    parse_answers,
    validate_answers,
)
from tests.scoring.support import persona_answers, seed


def question(code: str) -> Question:
    questionnaire, _ = seed()
    return next(item for item in questionnaire.questions if item.code == code)


@pytest.mark.parametrize(
    ("code", "raw", "expected"),
    [
        ("QUAL-1", "good", Answer("QUAL-1", option="good")),  # an option value
        ("QUAL-1", " GOOD ", Answer("QUAL-1", option="good")),  # case and spaces ignored
        ("QUAL-1", "Requires improvement", Answer("QUAL-1", option="requires-improvement")),
        ("QUAL-2", "no", Answer("QUAL-2", option="no")),  # yes/no as text
        ("QUAL-2", False, Answer("QUAL-2", option="no")),  # YAML's bare no is a boolean
        ("QUAL-3", "na", Answer("QUAL-3", status="na")),  # the option that means not applicable
        ("PERF-1", "na", Answer("PERF-1", status="na")),  # allow_na on a number
        ("FIN-1", 0.2, Answer("FIN-1", number=Decimal("0.2"))),  # a float, without float noise
        ("FIN-1", "-0.5", Answer("FIN-1", number=Decimal("-0.5"))),  # numeric text from a CSV
        ("FIN-2", 3, Answer("FIN-2", number=Decimal(3))),  # an int
        ("QUAL-5", 3, Answer("QUAL-5", level=3)),  # a scale level
        ("QUAL-5", "4", Answer("QUAL-5", level=4)),  # a scale level as text
        ("QUAL-5", 2.0, Answer("QUAL-5", level=2)),  # a whole float
        ("QUAL-5", "dk", Answer("QUAL-5", status="dk")),  # don't know, on any question
        ("PROFILE-TYPE", "acute", Answer("PROFILE-TYPE", option="acute")),
    ],
)
def test_valid_raw_values_are_normalised(code: str, raw: object, expected: Answer) -> None:
    assert parse_answer(question(code), raw) == expected


@pytest.mark.parametrize(
    ("code", "raw", "fragments"),
    [
        # Not a number: say what is needed and how to write it.
        ("FIN-1", "about 2", ["FIN-1", "'about 2' is not a number", "digits only"]),
        ("FIN-1", "1,200", ["FIN-1", "no commas"]),
        ("FIN-1", "NaN", ["FIN-1", "is not a number"]),
        ("FIN-1", True, ["FIN-1", "true/false value True is not a number"]),
        # Out of bounds: state the bounds, with the unit.
        ("FIN-1", 75, ["FIN-1", "between -60 and 60% of income", "75 is outside"]),
        ("WORK-4", -1, ["WORK-4", "between 0 and 10 score out of 10"]),
        # An option that does not exist: list the allowed values, suggest the nearest.
        ("QUAL-1", "great", ["QUAL-1", "no answer 'great'", "outstanding, good"]),
        ("QUAL-1", "goood", ["Did you mean 'good'?"]),
        ("QUAL-2", "maybe", ["QUAL-2", "one of: yes, no"]),
        # na where not allowed: say it applies to every trust, offer dk.
        ("QUAL-1", "na", ["QUAL-1", "cannot be answered 'na'", "'dk'"]),
        ("FIN-1", "na", ["FIN-1", "cannot be answered 'na'"]),
        # Wrong type.
        ("QUAL-1", 3, ["QUAL-1", "not the number 3", "one of:"]),
        ("QUAL-1", ["good"], ["QUAL-1", "not a list"]),
        ("FIN-1", {"value": 2}, ["FIN-1", "a mapping is not a number"]),
        ("QUAL-5", 2.5, ["QUAL-5", "a whole number from 1 to 4", "2.5 is not one"]),
        ("QUAL-5", 5, ["QUAL-5", "5 is not one"]),
        ("QUAL-5", "high", ["QUAL-5", "'high' is not one"]),
        ("QUAL-5", "", ["QUAL-5", "has no answer"]),
    ],
)
def test_each_bad_value_gives_a_problem_naming_the_code_and_how_to_fix_it(
    code: str, raw: object, fragments: list[str]
) -> None:
    problem = parse_answer(question(code), raw)
    assert isinstance(problem, Problem)
    assert problem.question == code
    for fragment in fragments:
        assert fragment in problem.message


def test_validation_returns_every_problem_not_just_the_first() -> None:
    questionnaire, _ = seed()
    raw = persona_answers(
        "collaborative-mid",
        {"QUAL-1": "great", "FIN-1": "lots", "WORK-4": 11, "QUAL-9": "good", "qual-2": "no"},
    )
    validation = validate_answers(questionnaire, raw)
    assert not validation.ok
    assert [problem.question for problem in validation.problems] == [
        "QUAL-9",
        "qual-2",
        "QUAL-1",
        "FIN-1",
        "WORK-4",
    ]
    unknown = validation.problems[0].message
    assert "no question with the code 'QUAL-9'" in unknown
    assert "Did you mean" in unknown
    assert "Did you mean 'QUAL-2'?" in validation.problems[1].message
    # The good answers are still returned, in questionnaire order.
    assert len(validation.answers) == 42 - 3
    assert validation.answers[0].question == "PROFILE-TYPE"


def test_unanswered_values_are_skipped_not_problems() -> None:
    questionnaire, _ = seed()
    validation = validate_answers(questionnaire, {"QUAL-1": None, "QUAL-2": "  ", "QUAL-5": 3})
    assert validation.ok
    assert validation.answers == (Answer("QUAL-5", level=3),)


def test_parse_answers_raises_with_all_problems() -> None:
    questionnaire, _ = seed()
    with pytest.raises(InvalidAnswers) as raised:
        parse_answers(questionnaire, {"QUAL-1": "great", "FIN-1": 99})
    assert [problem.question for problem in raised.value.problems] == ["QUAL-1", "FIN-1"]
    assert "QUAL-1" in str(raised.value)
    assert "FIN-1" in str(raised.value)


def test_answers_built_elsewhere_are_checked_by_evaluate() -> None:
    from assessment.scoring import evaluate
    from tests.scoring.support import SETTINGS

    questionnaire, catalogue = seed()
    answers = [
        Answer("QUAL-1", option="brilliant"),  # no such option
        Answer("FIN-1", number=Decimal(99)),  # out of bounds
        Answer("QUAL-5", level=3),
        Answer("QUAL-5", level=2),  # answered twice
        Answer("NOPE-1", level=2),  # unknown question
    ]
    with pytest.raises(InvalidAnswers) as raised:
        evaluate(questionnaire, catalogue, SETTINGS, answers)
    assert sorted(problem.question for problem in raised.value.problems) == [
        "FIN-1",
        "NOPE-1",
        "QUAL-1",
        "QUAL-5",
    ]


def test_the_stored_text_of_an_answer_round_trips_through_parsing() -> None:
    questionnaire, _ = seed()
    answers = parse_answers(questionnaire, persona_answers("fragile-workforce"))
    again = parse_answers(questionnaire, {answer.question: answer.text for answer in answers})
    assert again == answers
