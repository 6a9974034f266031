"""The one Decimal context, grid and display rule that every part of the engine shares."""

from __future__ import annotations

from decimal import (
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)

# Forty significant digits leave room for exact sums and products of values held on the
# twenty-place grid below (three integer digits, twenty places, times weights with a few
# places), so the order in which terms are added can never change a result.
CONTEXT = Context(
    prec=40,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)

# For sums of fractions that must stay exact (the index and the overall coverage): the
# numbers involved are small, so this precision is never reached and nothing is rounded.
EXACT = Context(prec=400, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero])

# Every derived value (a score, a coverage, the index, a fit term) is put back on this grid
# after its one division, which snaps values that are exactly on a threshold (a domain
# scoring exactly 50) back onto it instead of leaving them a hair below.
GRID = Decimal("1e-20")

# Weights, intensities and coefficients carry at most this many decimal places, which keeps
# every sum of weights and of weight x value within the forty digits above.
MAX_PLACES = 6

ZERO = Decimal(0)
HALF = Decimal("0.5")
ONE = Decimal(1)
THREE = Decimal(3)
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")
HUNDREDTH = Decimal("0.01")


def too_precise(value: Decimal) -> bool:
    """More decimal places than MAX_PLACES."""
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and exponent < -MAX_PLACES


def on_grid(value: Decimal) -> Decimal:
    """Round a derived value to the engine's internal grid of twenty decimal places."""
    return value.quantize(GRID, context=CONTEXT)


def tidy(value: Decimal) -> Decimal:
    """The same number without trailing zeros, so stored results stay readable."""
    if not value:
        return ZERO
    if value == value.to_integral_value(context=CONTEXT):
        try:
            return value.quantize(ONE, context=CONTEXT)
        except InvalidOperation:  # more digits than the context holds, as in 1E+1000
            return value.normalize(CONTEXT)
    return value.normalize(CONTEXT)


def one_place(value: Decimal) -> Decimal:
    """Round to one decimal place, half up: the rule for display and for ranking ties."""
    return value.quantize(TENTH, rounding=ROUND_HALF_UP, context=CONTEXT)


def display(value: Decimal | None) -> str:
    """A value as a board sees it: one decimal place, half up ("62.5"), or "n/a"."""
    if value is None:
        return "n/a"
    return str(one_place(value))


def display_against(value: Decimal, limit: Decimal) -> str:
    """Display a value next to a threshold without rounding it onto the wrong side.

    69.96 shown as "70.0" beside "below 70" would read as a contradiction, so a value under
    the limit whose rounded form reaches it is shown to two places, rounded down.
    """
    shown = display(value)
    if value < limit and Decimal(shown) >= limit:
        return str(value.quantize(HUNDREDTH, rounding=ROUND_FLOOR, context=CONTEXT))
    return shown


def plain_number(value: Decimal) -> str:
    """A threshold or an answer as written by a person: "70", "-0.5", "7.2"."""
    return str(tidy(value))
