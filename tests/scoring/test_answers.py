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
from assessment.scoring.answers import MisplacedComma, UnreadableNumber, read_number
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
        ("FIN-1", "12,5", ["FIN-1", "Use a full stop for decimals: enter 12.5, not 12,5."]),
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


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12.5", Decimal("12.5")),  # a full stop marks decimals
        ("-0.5", Decimal("-0.5")),  # a negative figure
        (" 2 ", Decimal(2)),  # spaces around it
        ("1 250", Decimal(1250)),  # a space between thousands
        ("1\u00a0250", Decimal(1250)),  # a no-break space between thousands, from a spreadsheet
        ("12.5%", Decimal("12.5")),  # a percent sign after it
        ("12.5 %", Decimal("12.5")),  # a percent sign after a space
        ("£350", Decimal(350)),  # a pound sign before it
        ("-£1.5", Decimal("-1.5")),  # the sign before the pound sign
        ("£-1.5", Decimal("-1.5")),  # or after it
        ("1,250", Decimal(1250)),  # a comma between thousands
        ("12,500", Decimal(12500)),  # two digits before the first comma
        ("1,250,000", Decimal(1250000)),  # a comma between each group of three
        ("1,250.5", Decimal("1250.5")),  # thousands and decimals together
        ("-1,250", Decimal(-1250)),  # a negative figure with thousands
        ("£1,250", Decimal(1250)),  # pounds with thousands
        ("1.250", Decimal("1.25")),  # a full stop is always a decimal point
        ("1e3", Decimal("1e3")),  # scientific notation, as a spreadsheet may export it
    ],
)
def test_numbers_are_read_as_people_write_them(text: str, number: Decimal) -> None:
    assert read_number(text) == number


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # A comma before fewer or more than three digits can only be a decimal comma.
        ("12,5", "Use a full stop for decimals: enter 12.5, not 12,5."),
        ("0,75", "Use a full stop for decimals: enter 0.75, not 0,75."),
        ("-1,5", "Use a full stop for decimals: enter -1.5, not -1,5."),
        ("3,14159", "Use a full stop for decimals: enter 3.14159, not 3,14159."),
        # A comma with nothing before it: the suggestion puts the 0 in.
        (",5", "Use a full stop for decimals: enter 0.5, not ,5."),
        # Three digits after a leading 0 are decimals too: no one writes 750 as 0,750.
        ("0,750", "Use a full stop for decimals: enter 0.750, not 0,750."),
        # The unit signs stay in what was typed, and are left out of the suggestion.
        ("12,5%", "Use a full stop for decimals: enter 12.5, not 12,5%."),
        # Full stops between thousands and a decimal comma, as in much of Europe.
        ("1.250,5", "Use a full stop for decimals: enter 1250.5, not 1.250,5."),
        ("1.250.000,75", "Use a full stop for decimals: enter 1250000.75, not 1.250.000,75."),
        # Commas that are neither: not between groups of three digits.
        (
            "1,25,0",
            "Check the commas in 1,25,0: use them only between groups of three digits, "
            "as in 1,250,000, or leave them out.",
        ),
        (
            "12,50,000",
            "Check the commas in 12,50,000: use them only between groups of three digits, "
            "as in 1,250,000, or leave them out.",
        ),
        (
            "1,250,5",
            "Check the commas in 1,250,5: use them only between groups of three digits, "
            "as in 1,250,000, or leave them out.",
        ),
        (
            "1,250.5,0",
            "Check the commas in 1,250.5,0: use them only between groups of three digits, "
            "as in 1,250,000, or leave them out.",
        ),
    ],
)
def test_a_comma_that_is_not_between_thousands_is_refused_with_the_figure_to_type(
    text: str, message: str
) -> None:
    with pytest.raises(MisplacedComma) as raised:
        read_number(text)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    "text",
    [
        "about 1,5",  # words as well: no suggestion would be right
        "12,5e3",  # an exponent after a comma
        "NaN",  # not a finite number
        "-Infinity",
        "1%2",  # a percent sign that is not at the end
        "1.5£",  # a pound sign that is not at the start
        "",
    ],
)
def test_text_that_is_no_number_is_refused_with_how_to_write_one(text: str) -> None:
    with pytest.raises(UnreadableNumber) as raised:
        read_number(text)
    assert not isinstance(raised.value, MisplacedComma)
    assert (
        str(raised.value) == "Write digits only, with a full stop for decimals (for example 2.5)."
    )


@pytest.mark.parametrize(
    ("code", "raw", "expected"),
    [
        # The bug a new user reported: 12,5 thousand people was read as 125 thousand.
        (
            "SCALE-1",
            "12,5",
            "SCALE-1 needs a number between 0 and 5000 thousand people. "
            "Use a full stop for decimals: enter 12.5, not 12,5.",
        ),
        # A thousands figure where the unit allows one is read whole.
        ("SCALE-2", "1,250", Answer("SCALE-2", number=Decimal(1250))),
        ("SCALE-1", "1,250.5", Answer("SCALE-1", number=Decimal("1250.5"))),
        # A thousands figure is read, then held to the question's bounds like any other.
        (
            "FIN-5",
            "1,250",
            "FIN-5 must be between -365 and 365 days of operating cost; 1250 is outside that "
            "range. Check the figure and its unit.",
        ),
        # A percentage with a decimal comma.
        (
            "WORK-1",
            "0,75",
            "WORK-1 needs a number between 0 and 100%. "
            "Use a full stop for decimals: enter 0.75, not 0,75.",
        ),
        # A European thousands-and-decimals figure.
        (
            "SCALE-2",
            "1.250,5",
            "SCALE-2 needs a number between £0 and £10000 million a year. "
            "Use a full stop for decimals: enter 1250.5, not 1.250,5.",
        ),
        # The signs a form accepts are accepted from an import too.
        ("FIN-1", "-0.5%", Answer("FIN-1", number=Decimal("-0.5"))),
        ("SCALE-2", "£ 350", Answer("SCALE-2", number=Decimal(350))),
    ],
)
def test_commas_in_a_number_answer_are_read_once_for_every_caller(
    code: str, raw: str, expected: Answer | str
) -> None:
    parsed = parse_answer(question(code), raw)
    if isinstance(expected, Answer):
        assert parsed == expected
    else:
        assert parsed == Problem(code, repr(raw), expected)


def test_a_comma_decimal_in_an_import_is_refused_and_a_thousands_figure_kept() -> None:
    questionnaire, _ = seed()
    validation = validate_answers(questionnaire, {"SCALE-1": "12,5", "SCALE-2": "1,250"})
    assert [problem.question for problem in validation.problems] == ["SCALE-1"]
    assert "enter 12.5, not 12,5" in validation.problems[0].message
    assert validation.answers == (Answer("SCALE-2", number=Decimal(1250)),)
    assert validation.answers[0].text == "1250"


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
