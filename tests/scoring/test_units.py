"""Numbers with their units: exactly one of a plural unit reads singular ("1 year"), and
units that read the same for one ("%", "% of income", "£ million a year") are left alone."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessment.scoring import Answer, Question
from assessment.scoring.answers import answer_label, with_unit
from tests.scoring.support import seed


def question(code: str) -> Question:
    questionnaire, _ = seed()
    return next(item for item in questionnaire.questions if item.code == code)


@pytest.mark.parametrize(
    ("number", "unit", "expected"),
    [
        ("1", "years", "1 year"),  # FIN-2: one year, not "1 years"
        ("2", "years", "2 years"),  # more than one keeps the plural
        ("1", "core services", "1 core service"),  # QUAL-4
        ("0", "core services", "0 core services"),  # none is plural in English
        ("1", "services", "1 service"),
        ("1", "days of operating cost", "1 day of operating cost"),  # the noun, not the end
        ("-1", "days of operating cost", "-1 day of operating cost"),  # minus one is one day
        ("1.5", "years", "1.5 years"),  # a fraction is plural
        ("10", "years", "10 years"),  # ends in 1 but is not one
        ("1", "%", "1%"),  # a percentage has no singular
        ("1", "% of income", "1% of income"),  # nor does a percentage of something
        ("1", "£ million a year", "£1 million a year"),  # "a year" is already singular
        ("1", "thousand people", "1 thousand people"),  # not in the table: left as it is
        ("1", "score out of 10", "1 score out of 10"),  # not a plural noun: left as it is
        ("1", "", "1"),  # no unit
    ],
)
def test_exactly_one_of_a_plural_unit_reads_singular(number: str, unit: str, expected: str) -> None:
    assert with_unit(number, unit) == expected


@pytest.mark.parametrize(
    ("code", "number", "expected"),
    [
        ("QUAL-4", "1", "1 core service"),
        ("QUAL-4", "3", "3 core services"),
        ("FIN-2", "1", "1 year"),
        ("FIN-2", "1.0", "1 year"),  # written with a trailing zero, still exactly one
        ("FIN-2", "0.5", "0.5 years"),
    ],
)
def test_answer_labels_say_one_year_and_one_core_service(
    code: str, number: str, expected: str
) -> None:
    assert answer_label(question(code), Answer(code, number=Decimal(number))) == expected
