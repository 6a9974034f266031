"""Golden tables: every kind of question, and every band edge of every seed number."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessment.scoring import Question, parse_answer
from assessment.scoring.answers import Answer
from assessment.scoring.levels import LEVEL_SCORES, number_regions, resolve
from tests.scoring.support import seed


def question(code: str) -> Question:
    questionnaire, _ = seed()
    return next(item for item in questionnaire.questions if item.code == code)


def level_of(code: str, raw: object) -> tuple[int | None, str | None]:
    parsed = parse_answer(question(code), raw)
    assert isinstance(parsed, Answer), parsed
    return resolve(question(code), parsed)


NUMBER_BANDS: list[tuple[str, object, int]] = [
    # QUAL-4 inadequate core services: none is strong, one is a concern, more is serious.
    ("QUAL-4", 0, 4),  # zero meets "max 0"
    ("QUAL-4", 1, 2),  # one fails "max 0" and meets "max 1"
    ("QUAL-4", 2, 1),  # two falls through to the catch-all
    # FIN-1 I&E margin: 1 or more, 0 to 1, -1 to 0, below -1.
    ("FIN-1", 1, 4),  # exactly 1 meets "min 1"
    ("FIN-1", 0.99, 3),  # just under 1 drops to the next band
    ("FIN-1", 0, 3),  # exactly 0 meets "min 0"
    ("FIN-1", -0.01, 2),  # just under 0
    ("FIN-1", -1, 2),  # exactly -1 meets "min -1"
    ("FIN-1", -1.01, 1),  # just under -1 is a serious concern
    ("FIN-1", -60, 1),  # the lowest figure that may be entered
    # FIN-2 deficit years out of three.
    ("FIN-2", 0, 4),  # no deficit
    ("FIN-2", 1, 3),  # one deficit year meets "max 1"
    ("FIN-2", 2, 2),  # two meets "max 2"
    ("FIN-2", 3, 1),  # three falls through
    # FIN-3 cost improvement requirement: lower is better.
    ("FIN-3", 2, 4),  # exactly 2% meets "max 2"
    ("FIN-3", 2.01, 3),  # just over 2%
    ("FIN-3", 4, 3),  # exactly 4% meets "max 4"
    ("FIN-3", 6, 2),  # exactly 6% meets "max 6"
    ("FIN-3", 6.01, 1),  # over 6% has been judged unrealistic
    # FIN-4 cost improvement delivered recurrently.
    ("FIN-4", 95, 4),  # exactly 95% meets "min 95"
    ("FIN-4", 94.99, 3),  # just under 95%
    ("FIN-4", 80, 3),  # exactly 80%
    ("FIN-4", 60, 2),  # exactly 60%
    ("FIN-4", 59.99, 1),  # just under 60%
    # FIN-5 liquidity days: the former continuity of services cut-offs.
    ("FIN-5", 0, 4),  # zero days meets "min 0"
    ("FIN-5", -7, 3),  # exactly -7 meets "min -7"
    ("FIN-5", -7.01, 2),  # just under -7
    ("FIN-5", -14, 2),  # exactly -14 meets "min -14"
    ("FIN-5", -14.01, 1),  # just under -14
    # FIN-6 PFI and capital charges: lower is better.
    ("FIN-6", 5, 4),  # exactly 5%
    ("FIN-6", 8, 3),  # exactly 8%
    ("FIN-6", 12, 2),  # exactly 12%
    ("FIN-6", 12.01, 1),  # over 12%
    # WORK-1 vacancy rate.
    ("WORK-1", 5, 4),  # exactly 5%
    ("WORK-1", 5.01, 3),  # just over 5%
    ("WORK-1", 8, 3),  # exactly 8%
    ("WORK-1", 12, 2),  # exactly 12%
    ("WORK-1", 12.01, 1),  # over 12%
    # WORK-2 agency share of the pay bill.
    ("WORK-2", 3, 4),  # exactly 3%
    ("WORK-2", 6, 3),  # exactly 6%
    ("WORK-2", 9, 2),  # exactly 9%
    ("WORK-2", 9.01, 1),  # over 9%
    # WORK-4 staff engagement, around the national average of 6.9.
    ("WORK-4", 7.2, 4),  # exactly 7.2 meets "min 7.2"
    ("WORK-4", 7.19, 3),  # just under 7.2
    ("WORK-4", 6.9, 3),  # exactly the national average
    ("WORK-4", 6.6, 2),  # exactly 6.6
    ("WORK-4", 6.59, 1),  # just under 6.6
    # WORK-5 turnover.
    ("WORK-5", 10, 4),  # exactly 10%
    ("WORK-5", 13, 3),  # exactly 13%
    ("WORK-5", 16, 2),  # exactly 16%
    ("WORK-5", 16.01, 1),  # over 16%
    # PERF-1 four-hour standard (95%, with interim targets of 76-78%).
    ("PERF-1", 95, 4),  # the constitutional standard
    ("PERF-1", 94.99, 3),  # just short of it
    ("PERF-1", 85, 3),  # exactly 85%
    ("PERF-1", 76, 2),  # exactly the interim target
    ("PERF-1", 75.99, 1),  # below the interim target
    # PERF-2 18 weeks.
    ("PERF-2", 92, 4),  # the constitutional standard
    ("PERF-2", 75, 3),  # exactly 75%
    ("PERF-2", 60, 2),  # exactly 60%
    ("PERF-2", 59.99, 1),  # under 60%
    # PERF-3 62-day cancer standard.
    ("PERF-3", 85, 4),  # the constitutional standard
    ("PERF-3", 75, 3),  # exactly 75%
    ("PERF-3", 65, 2),  # exactly 65%
    ("PERF-3", 64.99, 1),  # under 65%
    # PERF-4 diagnostics waiting over six weeks: lower is better.
    ("PERF-4", 1, 4),  # the 1% standard
    ("PERF-4", 1.01, 3),  # just over it
    ("PERF-4", 5, 3),  # exactly 5%
    ("PERF-4", 20, 2),  # exactly 20%
    ("PERF-4", 20.01, 1),  # over 20%
    # SCALE-1 population served, thousands.
    ("SCALE-1", 500, 4),  # the top of the royal colleges' range
    ("SCALE-1", 300, 3),  # the bottom of it
    ("SCALE-1", 150, 2),  # exactly 150k
    ("SCALE-1", 149.9, 1),  # under 150k
    # SCALE-2 operating income, £m.
    ("SCALE-2", 600, 4),  # exactly £600m
    ("SCALE-2", 350, 3),  # exactly £350m
    ("SCALE-2", 200, 2),  # exactly £200m
    ("SCALE-2", 199.99, 1),  # under £200m
    # SCALE-3 subscale services: lower is better.
    ("SCALE-3", 0, 4),  # none
    ("SCALE-3", 2, 3),  # exactly 2
    ("SCALE-3", 4, 2),  # exactly 4
    ("SCALE-3", 5, 1),  # more than 4
]


@pytest.mark.parametrize(("code", "value", "level"), NUMBER_BANDS)
def test_numbers_resolve_through_their_bands_first_match_wins(
    code: str, value: object, level: int
) -> None:
    assert level_of(code, value)[0] == level


def test_the_golden_table_covers_every_seed_number_question() -> None:
    questionnaire, _ = seed()
    numbers = {item.code for item in questionnaire.questions if item.kind == "number"}
    assert numbers == {code for code, _, _ in NUMBER_BANDS}


@pytest.mark.parametrize(
    ("code", "value", "level", "critical"),
    [
        ("QUAL-1", "outstanding", 4, None),  # choice: each option carries its level
        ("QUAL-1", "good", 3, None),
        ("QUAL-1", "requires-improvement", 2, None),
        ("QUAL-1", "inadequate", 1, None),
        ("QUAL-1", "Requires improvement", 2, None),  # a label is accepted too
        ("QUAL-2", "no", 4, None),  # yes/no: "no" to special measures is strong
        ("QUAL-2", "yes", 1, "cap-unsustainable"),  # and "yes" is a tipping-point signal
        ("SYS-7", "yes", 4, None),  # a yes/no question can score "yes" high
        ("QUAL-5", 1, 1, None),  # scale: the level chosen is the level
        ("QUAL-5", 4, 4, None),
        ("WORK-3", 1, 1, "cap-at-risk"),  # a scale can be critical at one level
        ("WORK-3", 2, 2, None),  # and not at the next
        ("FIN-1", -5, 1, None),  # "below -5" is strict: -5 itself is not critical
        ("FIN-1", -5.01, 1, "cap-at-risk"),  # just below it is
        ("PROFILE-TYPE", "acute", None, None),  # a profile describes, it does not score
        ("QUAL-3", "na", None, None),  # an option whose level is na scores nothing
    ],
)
def test_each_kind_of_question_resolves_to_a_level_and_any_critical_rule(
    code: str, value: object, level: int | None, critical: str | None
) -> None:
    assert level_of(code, value) == (level, critical)


@pytest.mark.parametrize(
    ("level", "score"),
    [
        (1, "0"),  # serious concern
        (2, "33.33333333333333333333"),  # concern: a third of the way up
        (3, "66.66666666666666666667"),  # adequate
        (4, "100"),  # strong
    ],
)
def test_a_level_maps_to_a_score_of_level_minus_one_over_three(level: int, score: str) -> None:
    assert LEVEL_SCORES[level] == Decimal(score)


def test_regions_of_a_number_split_a_band_at_its_critical_trigger() -> None:
    regions = number_regions(question("FIN-1"))
    described = [
        (region.level, region.critical, region.describe(question("FIN-1"))) for region in regions
    ]
    assert described == [
        (1, "cap-at-risk", "under -5% of income"),
        (1, None, "from -5 to under -1% of income"),
        (2, None, "from -1 to under 0% of income"),
        (3, None, "from 0 to under 1% of income"),
        (4, None, "1% of income or more"),
    ]


def test_every_region_example_lies_in_its_region_and_resolves_to_its_outcome() -> None:
    questionnaire, _ = seed()
    for item in questionnaire.questions:
        if item.kind != "number":
            continue
        for region in number_regions(item):
            assert region.contains(region.example)
            assert item.minimum is not None
            assert item.maximum is not None
            assert item.minimum <= region.example <= item.maximum
            answer = Answer(item.code, number=region.example)
            assert resolve(item, answer) == (region.level, region.critical)


def test_a_single_point_region_is_described_by_its_value() -> None:
    regions = number_regions(question("QUAL-4"))
    assert [region.describe(question("QUAL-4")) for region in regions] == [
        "0 core services",
        "over 0 and up to 1 core service",
        "over 1 core service",
    ]


def test_a_money_unit_puts_its_sign_before_each_amount() -> None:
    regions = number_regions(question("SCALE-2"))
    assert regions[1].describe(question("SCALE-2")) == "from £200 to under £350 million a year"
