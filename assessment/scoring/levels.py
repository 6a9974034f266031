"""From an answer to a level 1..4, a score and any critical signal; and the regions of a
number question, each of which resolves to one (level, critical) outcome."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .answers import DK, NA, Answer, bare_amount, with_unit
from .decimals import CONTEXT, HALF, HUNDRED, ONE, THREE, on_grid, plain_number
from .definitions import LEVELS, NUMBER, OPTION_KINDS, Question

# (level - 1) / 3 * 100, and the same on 0..1 for the fit of context questions.
LEVEL_SCORES: dict[int, Decimal] = {
    level: on_grid(CONTEXT.divide(HUNDRED * (level - 1), THREE)) for level in LEVELS
}
LEVEL_VALUES: dict[int, Decimal] = {
    level: on_grid(CONTEXT.divide(Decimal(level - 1), THREE)) for level in LEVELS
}


def band_level(question: Question, value: Decimal) -> int:
    """The level of a number: bands in order, first match wins."""
    for band in question.bands:
        if band.matches(value):
            return band.level
    raise ValueError(f"{question.code}: no band matches {value}; the last band must catch all.")


def number_critical(question: Question, value: Decimal) -> str | None:
    """The critical rule a number triggers (strictly below or above its limit), if any."""
    trigger = question.critical
    if trigger is None:
        return None
    if (trigger.below is not None and value < trigger.below) or (
        trigger.above is not None and value > trigger.above
    ):
        return trigger.rule
    return None


def resolve(question: Question, answer: Answer) -> tuple[int | None, str | None]:
    """(level, critical rule) of a given answer; (None, None) for na, dk and profiles."""
    if answer.status in (NA, DK):
        return None, None
    if question.kind in OPTION_KINDS:
        option = question.option(answer.option or "")
        if option is None:
            return None, None
        return option.level, option.critical
    if question.kind == NUMBER:
        assert answer.number is not None
        return band_level(question, answer.number), number_critical(question, answer.number)
    trigger = question.critical
    critical = trigger.rule if trigger is not None and trigger.level == answer.level else None
    return answer.level, critical


@dataclass(frozen=True, slots=True)
class NumberRegion:
    """A stretch of a number question's range in which every value has the same level and
    the same critical signal. `low`/`high` are None where the range is open-ended."""

    level: int
    critical: str | None
    low: Decimal | None
    low_closed: bool
    high: Decimal | None
    high_closed: bool
    example: Decimal

    def contains(self, value: Decimal) -> bool:
        if self.low is not None and (
            value < self.low or (value == self.low and not self.low_closed)
        ):
            return False
        return self.high is None or value < self.high or (value == self.high and self.high_closed)

    def describe(self, question: Question) -> str:
        """ "under -14 days of operating cost", "from -1 to under 0% of income"."""
        unit = question.unit
        low = None if self._at_bound(self.low, question.minimum, self.low_closed) else self.low
        high = None if self._at_bound(self.high, question.maximum, self.high_closed) else self.high
        if self.low is not None and self.low == self.high:
            return with_unit(plain_number(self.low), unit)
        if low is None and high is None:
            return "any value"
        if high is None:
            assert low is not None
            if self.low_closed:
                return f"{with_unit(plain_number(low), unit)} or more"
            return f"over {with_unit(plain_number(low), unit)}"
        upper = with_unit(plain_number(high), unit)
        if low is None:
            return f"{upper} or less" if self.high_closed else f"under {upper}"
        lower = bare_amount(plain_number(low), unit)
        if self.low_closed:
            return (
                f"from {lower} to {upper}" if self.high_closed else f"from {lower} to under {upper}"
            )
        return (
            f"over {lower} and up to {upper}"
            if self.high_closed
            else f"over {lower} and under {upper}"
        )

    @staticmethod
    def _at_bound(end: Decimal | None, bound: Decimal | None, closed: bool) -> bool:
        return end is None or (closed and end == bound)


@lru_cache(maxsize=1024)
def number_regions(question: Question) -> tuple[NumberRegion, ...]:
    """The regions of a number question within its bounds, lowest first.

    Every threshold is a breakpoint (band edges, critical triggers, the bounds). The
    outcome is constant strictly between two breakpoints, so testing each breakpoint and
    one point inside each gap finds every region; neighbouring test points with the same
    outcome belong to the same region.
    """
    points = sorted(
        {
            value
            for value in (
                *(band.minimum for band in question.bands),
                *(band.maximum for band in question.bands),
                question.critical.below if question.critical else None,
                question.critical.above if question.critical else None,
                question.minimum,
                question.maximum,
            )
            if value is not None
            and (question.minimum is None or value >= question.minimum)
            and (question.maximum is None or value <= question.maximum)
        }
    )
    if not points:
        points = [Decimal(0)]
    # (value, is a breakpoint); a point outside the outermost breakpoint stands for an
    # open-ended stretch when the question has no bound on that side.
    probes: list[tuple[Decimal, bool]] = []
    if question.minimum is None:
        probes.append((points[0] - ONE, False))
    for position, point in enumerate(points):
        probes.append((point, True))
        if position + 1 < len(points):
            probes.append(((point + points[position + 1]) * HALF, False))
    if question.maximum is None:
        probes.append((points[-1] + ONE, False))

    outcomes = [
        (band_level(question, value), number_critical(question, value)) for value, _ in probes
    ]
    # Runs of neighbouring probes with the same outcome, as (first, last) probe positions.
    runs: list[tuple[int, int]] = []
    for position, outcome in enumerate(outcomes):
        if runs and outcomes[runs[-1][1]] == outcome:
            runs[-1] = (runs[-1][0], position)
        else:
            runs.append((position, position))
    regions = []
    for first, last in runs:
        (first_value, first_is_point), (last_value, last_is_point) = probes[first], probes[last]
        # A run that starts (or ends) between breakpoints is open at the breakpoint beyond it.
        low = first_value if first_is_point else (probes[first - 1][0] if first else None)
        beyond = last + 1 < len(probes)
        high = last_value if last_is_point else (probes[last + 1][0] if beyond else None)
        members = probes[first : last + 1]
        level, critical = outcomes[first]
        regions.append(
            NumberRegion(
                level=level,
                critical=critical,
                low=low,
                low_closed=first_is_point,
                high=high,
                high_closed=last_is_point,
                # The lowest band edge or bound in the region, else a point inside it.
                example=next((value for value, is_point in members if is_point), first_value),
            )
        )
    return tuple(regions)
