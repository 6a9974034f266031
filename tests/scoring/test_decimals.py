"""Rounding for display: one decimal place, half up, and never onto the wrong side of a
threshold."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessment.scoring import display
from assessment.scoring.decimals import display_against, plain_number, tidy


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("62.45", "62.5"),  # a half rounds up; half-even would give 62.4
        ("62.25", "62.3"),  # half-even would give 62.2
        ("62.4499999", "62.4"),  # below the half rounds down
        ("100", "100.0"),  # always one place
        ("0", "0.0"),
        ("33.33333333333333333333", "33.3"),  # level 2
        ("66.66666666666666666667", "66.7"),  # level 3
    ],
)
def test_values_are_displayed_to_one_place_half_up(value: str, shown: str) -> None:
    assert display(Decimal(value)) == shown


def test_nothing_is_displayed_as_n_a() -> None:
    assert display(None) == "n/a"


@pytest.mark.parametrize(
    ("value", "limit", "shown"),
    [
        ("69.96", "70", "69.96"),  # "70.0 is below 70" would contradict itself
        ("69.999", "70", "69.99"),  # rounded down, so it stays below
        ("69.94", "70", "69.9"),  # far enough below to show normally
        ("70.04", "70", "70.0"),  # at or above the limit rounds as usual
        ("24.999", "25", "24.99"),
    ],
)
def test_a_value_under_a_threshold_is_never_shown_as_the_threshold(
    value: str, limit: str, shown: str
) -> None:
    assert display_against(Decimal(value), Decimal(limit)) == shown


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("50.00000000000000000000", "50"),  # stored without trailing zeros
        ("7.0", "7"),
        ("-0.50", "-0.5"),
        ("-0.0", "0"),  # never "-0"
        ("1E+2", "100"),  # never in exponent form
    ],
)
def test_stored_and_written_numbers_are_tidy(value: str, text: str) -> None:
    assert str(tidy(Decimal(value))) == text
    assert plain_number(Decimal(value)) == text
