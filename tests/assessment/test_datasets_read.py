"""Reading published NHS datasets (assessment/datasets.py): no database is involved.

The sample files under data/ have the publishers' own column headings:

- nof-acute-trust-data-q2-25-26.csv and nof-invalid.csv have the columns of NHS England's
  NHS Oversight Framework trust data CSVs, as its metadata page lists them
  (https://www.england.nhs.uk/long-read/nhs-oversight-framework-csv-metadata-file).
  OF0079 (planned surplus/deficit), OF0082 (sickness absence rate) and OF0084 (staff
  engagement score) are real metric IDs; OF0023 is read here as the share of the
  elective waiting list under 18 weeks. The trusts and codes are real; the figures are
  illustrative. OF0023 is written as a ratio (0.5521) so that ratio-to-percent is read
  from a file.
- cqc-ratings-directory.xlsx (written by make_cqc_sample.py) and cqc-invalid.csv take
  their headings from the Providers sheet of CQC's monthly "Latest ratings" file. That
  file is long (one row for each key question, named in its Domain column); these
  samples are its "Overall" service rows turned wide, one column for each Domain value
  (Overall, Safe, ..., Well-led), as an admin would prepare them. CQC writes "Not rated"
  where it has no rating, so "Not yet rated" and "No published rating" are blanks, not
  problems; a rating such as "Excellent", which CQC never gives, is a problem.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from assessment.datasets import (
    AS_IS,
    BLANKS,
    CONVERSIONS,
    DEFAULT_MAX_ROWS,
    FLAG,
    LONG,
    RATING,
    RATIO_TO_PERCENT,
    SEGMENT,
    WIDE,
    DatasetProblem,
    DatasetRead,
    DatasetValue,
    InvalidMappings,
    Layout,
    MetricMapping,
    convert,
    parse_mappings,
    read_dataset,
    read_table,
)
from assessment.scoring.answers import Answer, Problem
from assessment.scoring.seed import questionnaire_from_seed

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).with_name("data")
QUESTIONS = {
    question.code: question
    for question in questionnaire_from_seed(
        yaml.safe_load((ROOT / "assessment/seed/questionnaire-v1.yaml").read_text())
    ).questions
}

NOF = "nof-acute-trust-data-q2-25-26.csv"
NOF_LAYOUT = Layout(LONG, "Trust_code", "Metric_ID", "Value")
NOF_MAPPINGS = parse_mappings(
    """
    # NHS Oversight Framework, acute trusts
    OF0084 = WORK-4
    OF0023 = PERF-2 (ratio-to-percent)
    OF0079 = FIN-1
    """,
    QUESTIONS,
)
CQC = "cqc-ratings-directory.xlsx"
CQC_LAYOUT = Layout(WIDE, "Provider ODS Code")
CQC_MAPPINGS = parse_mappings("Overall = QUAL-1 (rating)\nWell-led = LEAD-1 (rating)", QUESTIONS)
# The organisations the service knows: every sample trust but Newcastle (RTD).
KNOWN = ["RRK", "RJ1", "RTH", "RXN", "R0A", "RGT", "RA7"]


def read_sample(
    name: str, layout: Layout, mappings: list[MetricMapping], max_rows: int = DEFAULT_MAX_ROWS
) -> DatasetRead:
    data = (DATA / name).read_bytes()
    return read_dataset(data, name, layout, mappings, QUESTIONS, KNOWN, max_rows=max_rows)


def by_trust(values: tuple[DatasetValue, ...]) -> dict[tuple[str, str], str]:
    return {(value.ods_code, value.question): value.value for value in values}


def where(problems: tuple[DatasetProblem, ...]) -> list[tuple[int | None, str]]:
    return [(problem.row, problem.column) for problem in problems]


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode()


def xlsx_bytes(rows: list[list[object]], formats: dict[str, str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ----------------------------------------------------------------- the sample files


def test_the_oversight_framework_file_gives_each_known_trust_its_mapped_figures() -> None:
    read = read_sample(NOF, NOF_LAYOUT, NOF_MAPPINGS)

    assert read.problems == ()
    assert by_trust(read.values) == {
        ("RRK", "PERF-2"): "55.21",
        ("RRK", "FIN-1"): "-1.2",
        ("RRK", "WORK-4"): "6.8",
        ("RJ1", "PERF-2"): "60.34",
        ("RJ1", "FIN-1"): "0.0",
        ("RJ1", "WORK-4"): "7.1",
        ("RTH", "PERF-2"): "62.87",
        ("RTH", "FIN-1"): "0.4",
        ("RTH", "WORK-4"): "7.0",
        # RXN's staff engagement score is suppressed ("*").
        ("RXN", "PERF-2"): "58.72",
        ("RXN", "FIN-1"): "-2.8",
        ("R0A", "PERF-2"): "54.18",
        ("R0A", "FIN-1"): "-0.6",
        ("R0A", "WORK-4"): "6.6",
        ("RGT", "PERF-2"): "57.96",
        ("RGT", "FIN-1"): "0.1",
        ("RGT", "WORK-4"): "7.2",
        # RA7's planned surplus/deficit is empty.
        ("RA7", "PERF-2"): "63.12",
        ("RA7", "WORK-4"): "6.9",
    }
    assert len(read.values) == 19
    assert read.blanks == 2
    # Newcastle is in the file but not in the service: counted once, its rows unread.
    assert read.unknown_organisations == ("RTD",)
    assert read.rows_read == 32


def test_a_value_records_where_it_came_from() -> None:
    read = read_sample(NOF, NOF_LAYOUT, NOF_MAPPINGS)

    assert read.values[0] == DatasetValue(
        ods_code="RRK", question="PERF-2", value="55.21", metric="OF0023", row=2, column="Value"
    )
    assert [value.row for value in read.values if value.ods_code == "RJ1"] == [6, 7, 9]


def test_the_ratings_spreadsheet_gives_each_known_trust_its_overall_and_well_led_ratings() -> None:
    read = read_sample(CQC, CQC_LAYOUT, CQC_MAPPINGS)

    assert read.problems == ()
    assert by_trust(read.values) == {
        ("RRK", "QUAL-1"): "requires-improvement",
        ("RRK", "LEAD-1"): "requires-improvement",
        ("RJ1", "QUAL-1"): "good",
        ("RJ1", "LEAD-1"): "good",
        ("RTH", "QUAL-1"): "good",
        ("RTH", "LEAD-1"): "good",
        ("RXN", "QUAL-1"): "requires-improvement",
        ("RXN", "LEAD-1"): "requires-improvement",
        ("R0A", "QUAL-1"): "requires-improvement",
        ("R0A", "LEAD-1"): "requires-improvement",
        ("RGT", "QUAL-1"): "good",
        ("RGT", "LEAD-1"): "good",
        ("RA7", "QUAL-1"): "outstanding",
        ("RA7", "LEAD-1"): "outstanding",
    }
    assert read.values[1] == DatasetValue(
        ods_code="RRK",
        question="LEAD-1",
        value="requires-improvement",
        metric="Well-led",
        row=2,
        column="Well-led",
    )
    # The two providers outside the NHS have no ODS code: skipped, and not listed.
    assert read.unknown_organisations == ("RTD",)
    assert read.rows_read == 10
    assert read.blanks == 0


def test_the_ratings_spreadsheet_generator_writes_the_sample_that_is_read(
    tmp_path: Path,
) -> None:
    from tests.assessment.data.make_cqc_sample import build

    fresh_headings, fresh_rows = read_table(build(tmp_path / CQC).read_bytes(), CQC)
    kept_headings, kept_rows = read_table((DATA / CQC).read_bytes(), CQC)

    assert fresh_headings == kept_headings
    assert list(fresh_rows) == list(kept_rows)


# ----------------------------------------------------------------- every problem kind


def test_every_problem_in_a_long_file_is_reported_with_its_row_and_column() -> None:
    read = read_sample("nof-invalid.csv", NOF_LAYOUT, NOF_MAPPINGS)

    assert where(read.problems) == [
        (2, "Value"),
        (4, "Value"),
        (5, "Value"),
        (7, "Value"),
        (10, "Value"),
        (11, "Value"),
    ]
    messages = [problem.message for problem in read.problems]
    # A decimal comma: the figure to type instead.
    assert messages[0].startswith("RRK's OF0084: WORK-4 needs a number between 0 and 10")
    assert "enter 6.8, not 6,8" in messages[0]
    # Out of bounds: the bounds and the unit.
    assert messages[1] == (
        "RJ1's OF0084: WORK-4 must be between 0 and 10 score out of 10; 68 is outside that "
        "range. Check the figure and its unit."
    )
    # A percentage under a ratio mapping: what it became, and the mapping to use instead.
    assert messages[2] == (
        "RJ1's OF0023: As a ratio, 60.34 is 6034%. PERF-2 must be between 0 and 100% within "
        "18 weeks; 6034 is outside that range. Check the figure and its unit. If the column "
        "already holds percentages, map it without (ratio-to-percent)."
    )
    # The same trust and metric twice: both rows named.
    assert messages[3] == (
        "Rows 6 and 7 both give RTH's OF0084, which answers WORK-4. Keep the row with the "
        "figure you mean to use, delete the other, and upload the file again."
    )
    assert "'high' is not a number" in messages[4]
    assert "Write digits only" in messages[4]
    assert "between -60 and 60% of income; -75 is outside" in messages[5]
    # The first of two rows for a trust and metric is still read.
    assert by_trust(read.values) == {("RRK", "PERF-2"): "55.21", ("RTH", "WORK-4"): "7.0"}
    # Leicester's "abc" (row 8) is not checked: the trust is unknown, so only counted.
    assert read.unknown_organisations == ("RWE",)
    # RGT's "[c]" is suppressed; R0A's unmapped OF0082 ("unknown") is skipped unread.
    assert read.blanks == 1
    assert read.rows_read == 12


def test_every_problem_in_a_wide_file_is_reported_with_its_row_and_column() -> None:
    read = read_dataset(
        (DATA / "cqc-invalid.csv").read_bytes(),
        "cqc-invalid.csv",
        CQC_LAYOUT,
        CQC_MAPPINGS,
        QUESTIONS,
        KNOWN,
    )

    assert where(read.problems) == [(2, "Overall"), (5, "Overall"), (5, "Well-led")]
    assert read.problems[0].message == (
        "RRK's Overall: 'Excellent' is not a rating QUAL-1 accepts. The ratings it accepts "
        "are: Outstanding, Good, Requires improvement, Inadequate. Correct the cell, or "
        "leave it empty if there is no rating."
    )
    assert read.problems[1].message.startswith("Rows 4 and 5 both give RTH's Overall")
    assert read.problems[2].message.startswith("Rows 4 and 5 both give RTH's Well-led")
    assert by_trust(read.values) == {
        ("RRK", "LEAD-1"): "requires-improvement",
        ("RTH", "QUAL-1"): "good",
        ("RTH", "LEAD-1"): "requires-improvement",
        ("RXN", "QUAL-1"): "requires-improvement",
        ("RXN", "LEAD-1"): "inadequate",
    }
    # "Not yet rated" and "No published rating" are what CQC writes for no rating.
    assert read.blanks == 2
    # Leicester's "Superb" is not checked; the care home without an ODS code is skipped.
    assert read.unknown_organisations == ("RWE",)


@pytest.mark.parametrize(
    ("layout", "column", "shown"),
    [
        # The organisation column is misnamed.
        (
            Layout(LONG, "Trust code", "Metric_ID", "Value"),
            "Trust code",
            "the organisations' ODS codes",
        ),
        # The metric column is misnamed.
        (Layout(LONG, "Trust_code", "Metric", "Value"), "Metric", "the metric identifiers"),
        # The value column is misnamed.
        (Layout(LONG, "Trust_code", "Metric_ID", "Values"), "Values", "the values"),
    ],
)
def test_a_missing_column_is_a_problem_with_the_whole_file_naming_the_headings_there(
    layout: Layout, column: str, shown: str
) -> None:
    read = read_sample(NOF, layout, NOF_MAPPINGS)

    assert where(read.problems) == [(None, column)]
    message = read.problems[0].message
    assert message.startswith(f"{NOF} has no column headed {column!r} ({shown})")
    assert (
        "Its headings are: Region, Trust_type, Trust_subtype, Trust_code, Trust_name, Domain, "
        "Sub-domain, Metric_ID, Metric_description, Reporting_date, Units, Value, "
        "Median_value, Lower_quartile, Upper_quartile, Rank." in message
    )
    assert "dataset's layout" in message
    assert read.values == ()
    assert read.rows_read == 0


def test_a_mapped_wide_column_that_is_not_in_the_file_is_a_problem_naming_the_headings() -> None:
    mappings = parse_mappings("Overall = QUAL-1 (rating)\nWell led = LEAD-1 (rating)", QUESTIONS)

    read = read_sample(CQC, CQC_LAYOUT, mappings)

    assert where(read.problems) == [(None, "Well led")]
    assert read.problems[0].message.startswith(
        f"{CQC} has no column headed 'Well led' (mapped to LEAD-1). Its headings are: "
        "Provider ID, Provider ODS Code, Provider Name,"
    )
    assert "Correct the heading in the mapping to match the file" in read.problems[0].message
    assert read.values == ()


def test_headings_and_metric_ids_are_matched_ignoring_case_and_spacing() -> None:
    mappings = parse_mappings("of0084 = work-4\n  OVERALL = QUAL-1 (rating)", QUESTIONS)
    layout = Layout(LONG, "trust_code", " metric_id ", "VALUE")

    read = read_sample(NOF, layout, mappings[:1])
    wide = read_sample(CQC, Layout(WIDE, "provider ods code"), mappings[1:])

    assert read.problems == wide.problems == ()
    assert by_trust(read.values)[("RRK", "WORK-4")] == "6.8"
    assert read.values[0].column == "Value"
    assert by_trust(wide.values)[("RA7", "QUAL-1")] == "outstanding"


def test_ods_codes_are_read_upper_cased_and_stripped() -> None:
    data = csv_bytes(
        [["Trust_code", "Metric_ID", "Value"], [" rrk ", "OF0084", "6.8"], ["rwe", "OF0084", "7"]]
    )

    read = read_dataset(data, "codes.csv", NOF_LAYOUT, NOF_MAPPINGS, QUESTIONS, [" rrk"])

    assert [value.ods_code for value in read.values] == ["RRK"]
    assert read.unknown_organisations == ("RWE",)


def test_a_long_layout_without_its_metric_and_value_columns_says_what_to_fill_in() -> None:
    read = read_sample(NOF, Layout(LONG, "Trust_code"), NOF_MAPPINGS)

    assert where(read.problems) == [(None, ""), (None, "")]
    assert read.problems[0].message.startswith(
        "The dataset's layout does not say which column holds the metric identifiers. "
        f"Fill in the metric column with one of {NOF}'s headings: Region,"
    )
    assert "which column holds the values" in read.problems[1].message


@pytest.mark.parametrize(
    ("data", "filename", "fragment"),
    [
        # CQC publishes .ods; the admin saves it as .xlsx or .csv first.
        (b"Provider ID\nRRK\n", "latest-ratings.ods", "not a CSV file or an Excel workbook"),
        (b"", "empty.csv", "empty.csv is empty"),
        (b"\r\n\r\n", "blank.csv", "blank.csv is empty"),
        (b"not a zip at all", "broken.xlsx", "could not be opened as an Excel workbook"),
        (b",,\r\nRRK,6.8,\r\n", "no-headings.csv", "has no headings in its first row"),
        (b"Value,Trust_code,Value\r\n", "twice.csv", "more than one column headed Value"),
        (b"Trust_code,Value\r\nRRK,6.8\x00\r\n", "nul.csv", "null characters"),
    ],
)
def test_an_unreadable_file_is_one_problem_with_the_whole_file(
    data: bytes, filename: str, fragment: str
) -> None:
    layout = Layout(LONG, "Trust_code", "Metric_ID", "Value")

    read = read_dataset(data, filename, layout, NOF_MAPPINGS, QUESTIONS, KNOWN)

    assert [problem.row for problem in read.problems] == [None]
    assert fragment in read.problems[0].message
    assert "upload" in read.problems[0].message.lower()
    assert read.values == ()


def test_a_file_unreadable_further_down_stops_there_with_a_problem_with_the_whole_file() -> None:
    # Python's csv module refuses a cell over 128 KB, far longer than any figure.
    data = (
        b"Trust_code,Metric_ID,Value\r\nRRK,OF0084,7\r\nRJ1,OF0084,7\r\nRTH,OF0084,7\r\n"
        + b"RXN,OF0084,"
        + b"9" * 200_000
    )

    read = read_dataset(data, "long.csv", NOF_LAYOUT, NOF_MAPPINGS, QUESTIONS, KNOWN)

    assert where(read.problems) == [(None, "")]
    assert read.problems[0].message.startswith(
        "long.csv could not be read as CSV near line 5 (field larger than field limit"
    )
    assert read.problems[0].message.endswith("save it as CSV UTF-8 (.csv) and upload it again.")
    assert [value.ods_code for value in read.values] == ["RRK", "RJ1", "RTH"]


def test_an_unclosed_quote_reads_as_one_cell_running_to_the_end() -> None:
    # Python's csv module, like spreadsheets, takes the rest of the file into the cell.
    headings, rows = read_table(b'Trust_code,Value\r\nRRK,"6.8\r\nRJ1,7\r\n', "quote.csv")

    assert headings == ["Trust_code", "Value"]
    assert list(rows) == [(2, {"Trust_code": "RRK", "Value": "6.8\r\nRJ1,7\r\n"})]


def test_a_file_over_the_row_limit_stops_with_a_problem_saying_how_to_split_it() -> None:
    read = read_sample(NOF, NOF_LAYOUT, NOF_MAPPINGS, max_rows=5)

    assert where(read.problems) == [(None, "")]
    assert read.problems[0].message == (
        f"{NOF} has more than 5 rows, the most one upload may hold, so reading stopped at "
        "row 7. Split it into files of 5 rows or fewer, each with the headings in row 1 (or "
        "delete the rows for organisations you do not need), and upload each file."
    )
    assert read.rows_read == 5
    assert by_trust(read.values) == {
        ("RRK", "PERF-2"): "55.21",
        ("RRK", "FIN-1"): "-1.2",
        ("RRK", "WORK-4"): "6.8",
        ("RJ1", "PERF-2"): "60.34",
    }


def test_a_file_exactly_at_the_row_limit_is_read_whole() -> None:
    read = read_sample(NOF, NOF_LAYOUT, NOF_MAPPINGS, max_rows=32)

    assert read.problems == ()
    assert read.rows_read == 32


def test_mappings_that_no_longer_fit_the_questionnaire_are_problems_before_reading() -> None:
    mappings = [MetricMapping("OF0084", "WORK-9"), MetricMapping("OF0023", "LEAD-1", RATING)]

    read = read_sample(NOF, NOF_LAYOUT, [*mappings, MetricMapping("X", "QUAL-1", "scaled")])

    assert where(read.problems) == [(None, "OF0084"), (None, "X")]
    assert "not in the questionnaire" in read.problems[0].message
    assert "there is no conversion 'scaled'" in read.problems[1].message
    assert (
        read_sample(NOF, NOF_LAYOUT, [])
        .problems[0]
        .message.startswith("The dataset has no mappings")
    )


def test_a_layout_of_another_kind_is_refused_as_a_fault_in_the_caller() -> None:
    with pytest.raises(ValueError, match="'long' or 'wide', not 'tall'"):
        read_sample(NOF, Layout("tall", "Trust_code"), NOF_MAPPINGS)


# ---------------------------------------------------------------------- conversions


@pytest.mark.parametrize(
    ("code", "conversion", "raw", "stored"),
    [
        # As is: the figure as written, the way the engine stores a typed answer.
        ("WORK-4", AS_IS, "6.8", "6.8"),
        ("WORK-4", AS_IS, " 7 ", "7"),
        # A trailing % is dropped from a percentage taken as it is.
        ("PERF-2", AS_IS, "59.1%", "59.1"),
        # Thousands separators and a leading £ are read as read_number reads them.
        ("SCALE-2", AS_IS, "£1,250", "1250"),
        # Ratio to percent: multiplied by 100 exactly, keeping the places given.
        ("PERF-2", RATIO_TO_PERCENT, "0.713", "71.3"),
        ("PERF-2", RATIO_TO_PERCENT, "0.7130", "71.30"),
        ("PERF-2", RATIO_TO_PERCENT, "0.5", "50"),
        ("PERF-2", RATIO_TO_PERCENT, "1", "100"),
        ("PERF-2", RATIO_TO_PERCENT, "0", "0"),
        ("FIN-1", RATIO_TO_PERCENT, "-0.012", "-1.2"),
        ("PERF-2", RATIO_TO_PERCENT, "0.00001", "0.001"),
        # A value already written as a percentage is taken as it stands.
        ("PERF-2", RATIO_TO_PERCENT, "71.3%", "71.3"),
        # Ratings match an option's value or label ignoring case, spaces and punctuation.
        ("LEAD-1", RATING, "Requires improvement", "requires-improvement"),
        ("LEAD-1", RATING, "requires-improvement", "requires-improvement"),
        ("LEAD-1", RATING, "REQUIRES IMPROVEMENT", "requires-improvement"),
        ("LEAD-1", RATING, "  Requires   Improvement ", "requires-improvement"),
        ("LEAD-1", RATING, "Requires_Improvement.", "requires-improvement"),
        ("QUAL-1", RATING, "Outstanding", "outstanding"),
        ("QUAL-2", RATING, "YES", "yes"),
        # An option that means not applicable is stored as "na", as the engine does.
        ("QUAL-3", RATING, "Not applicable (no SHMI for this trust)", "na"),
        # As is for an option question: the option value (or its label, as the engine
        # reads an import).
        ("QUAL-1", AS_IS, "good", "good"),
        ("QUAL-1", AS_IS, "Requires improvement", "requires-improvement"),
        # As is for a scale: the level.
        ("LEAD-3", AS_IS, "3", "3"),
    ],
)
def test_each_conversion_stores_what_the_engine_stores(
    code: str, conversion: str, raw: str, stored: str
) -> None:
    answer = convert(QUESTIONS[code], conversion, raw)

    assert isinstance(answer, Answer), answer
    assert answer.text == stored


@pytest.mark.parametrize(
    ("code", "conversion", "raw", "fragment"),
    [
        # Not a number.
        ("WORK-4", AS_IS, "abc", "WORK-4 needs a number between 0 and 10 score out of 10; "),
        # A decimal comma: the figure to type.
        ("WORK-4", AS_IS, "6,8", "Use a full stop for decimals: enter 6.8, not 6,8."),
        # Outside the bounds, with the unit.
        ("WORK-4", AS_IS, "10.5", "must be between 0 and 10 score out of 10; 10.5 is outside"),
        # Don't know is a board member's answer, not a published figure.
        ("WORK-4", AS_IS, "dk", "'dk' is not a published figure"),
        # A ratio that is not a number.
        ("PERF-2", RATIO_TO_PERCENT, "n.k.", "PERF-2 needs a ratio such as 0.713; 'n.k.'"),
        # A ratio so large it could not be a figure at all.
        ("PERF-2", RATIO_TO_PERCENT, "1e999999", "is not a figure the question could take"),
        # A percentage under a ratio mapping.
        ("PERF-2", RATIO_TO_PERCENT, "59.1", "map it without (ratio-to-percent)"),
        # A rating that matches no option lists the ratings accepted.
        (
            "LEAD-1",
            RATING,
            "Excellent",
            "The ratings it accepts are: Outstanding, Good, Requires improvement, Inadequate.",
        ),
        # A rating that folds to nothing matches nothing.
        ("LEAD-1", RATING, "??", "'??' is not a rating LEAD-1 accepts"),
        # As is for an option question needs an option.
        ("QUAL-1", AS_IS, "Excellent", "QUAL-1 has no answer 'Excellent'"),
    ],
)
def test_a_value_a_conversion_cannot_read_is_a_problem_saying_how_to_fix_it(
    code: str, conversion: str, raw: str, fragment: str
) -> None:
    problem = convert(QUESTIONS[code], conversion, raw)

    assert isinstance(problem, Problem), problem
    assert fragment in problem.message


@pytest.mark.parametrize("marker", sorted(BLANKS))
def test_empty_and_suppressed_cells_are_counted_as_blanks_not_problems(marker: str) -> None:
    data = csv_bytes(
        [
            ["Provider ODS Code", "Overall", "Well-led"],
            ["RRK", marker.replace(" ", "  "), f" {marker.upper()} "],
        ]
    )

    read = read_dataset(data, "ratings.csv", CQC_LAYOUT, CQC_MAPPINGS, QUESTIONS, KNOWN)

    assert read.problems == ()
    assert read.values == ()
    assert read.blanks == 2


def test_the_conversions_offered_are_the_five_the_reader_applies() -> None:
    assert list(CONVERSIONS) == [AS_IS, RATIO_TO_PERCENT, RATING, SEGMENT, FLAG]


# ------------------------------------------------------------------------- mappings


def test_mappings_are_read_one_a_line_with_as_is_by_default() -> None:
    text = """
    # Oversight Framework
    OF0084 = WORK-4

    OF0023=PERF-2(ratio-to-percent)
    Well-led = lead-1 ( Rating )
    Overall = QUAL-1
    A = B = SCALE-2
    """

    assert parse_mappings(text, QUESTIONS) == [
        MetricMapping("OF0084", "WORK-4", AS_IS),
        MetricMapping("OF0023", "PERF-2", RATIO_TO_PERCENT),
        MetricMapping("Well-led", "LEAD-1", RATING),
        MetricMapping("Overall", "QUAL-1", AS_IS),
        MetricMapping("A = B", "SCALE-2", AS_IS),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # Bad syntax.
        (
            "OF0084 WORK-4",
            "Line 1: write the metric, an equals sign and the question code, with a conversion "
            'in brackets if one is needed, for example "OF0084 = WORK-4", "OF0023 = PERF-2 '
            '(ratio-to-percent)" or "Well-led = LEAD-1 (rating)".',
        ),
        # An unknown question, with the nearest code suggested; blank lines still count.
        (
            "\n\nOF0084 = WROK-4",
            "Line 3: there is no question 'WROK-4'. Did you mean WORK-4? Use a question code "
            "from the questionnaire, such as PROFILE-TYPE.",
        ),
        # An unknown conversion.
        (
            "OF0084 = WORK-4 (percent)",
            "Line 1: there is no conversion 'percent'. Use one of: as-is, ratio-to-percent, "
            "rating, segment, flag, or leave the brackets off to take the value as it is.",
        ),
        # The same metric twice.
        (
            "OF0084 = WORK-4\nof0084 = FIN-1",
            "Line 2: of0084 is already mapped on line 1. Map each metric once; delete one of "
            "the two lines.",
        ),
        # The same question twice.
        (
            "OF0084 = WORK-4\nOF0085 = work-4",
            "Line 2: WORK-4 is already answered by the mapping on line 1. Each question takes "
            "its value from one metric; delete one of the two lines.",
        ),
        # A rating for a question without options.
        (
            "Overall = WORK-4 (rating)",
            "Line 1: WORK-4 is answered with a number, not one of a list of options, so a "
            "rating cannot answer it. Map a metric that gives a number, without (rating).",
        ),
        (
            "Board = LEAD-3 (rating)",
            "Line 1: LEAD-3 is answered with a level from 1 to 4, not one of a list of "
            "options, so a rating cannot answer it. Map a metric that gives a level from 1 "
            "to 4, without (rating).",
        ),
        # A ratio for a question that is not a number.
        (
            "Well-led = LEAD-1 (ratio-to-percent)",
            "Line 1: LEAD-1 is answered with one of its options, so a ratio cannot answer it. "
            "Use (rating) for a column of ratings, or no conversion for a column that holds "
            "LEAD-1's option values.",
        ),
        # Nothing but notes.
        (
            "# to do\n\n",
            'There are no mappings. Write one a line, for example "OF0084 = WORK-4", '
            '"OF0023 = PERF-2 (ratio-to-percent)" or "Well-led = LEAD-1 (rating)"; lines '
            "starting with # are notes.",
        ),
    ],
)
def test_a_wrong_mapping_line_is_named_with_what_to_write_instead(text: str, message: str) -> None:
    with pytest.raises(InvalidMappings) as raised:
        parse_mappings(text, QUESTIONS)

    # A ValueError whose argument is the list of messages.
    assert isinstance(raised.value, ValueError)
    assert raised.value.args[0] == raised.value.messages == [message]


def test_every_wrong_mapping_line_is_listed_at_once() -> None:
    text = "OF0084 = WORK-4\nbroken\nX = NOPE-1\nOF0084 = FIN-1\nOF0023 = PERF-2 (ratio)"

    with pytest.raises(InvalidMappings) as raised:
        parse_mappings(text, QUESTIONS)

    messages = raised.value.args[0]
    assert [message.split(":")[0] for message in messages] == [
        "Line 2",
        "Line 3",
        "Line 4",
        "Line 5",
    ]


# ------------------------------------------------------------------------- tables


def test_workbook_numbers_read_as_the_spreadsheet_shows_them() -> None:
    data = xlsx_bytes(
        [
            ["Trust_code", "Typed", "Computed", "Whole", "Percent", "Large", "Date"],
            ["RRK", 71.3, 0.1 + 0.2, 5.0, 0.713, 1234567.0, datetime(2025, 9, 30)],
            ["RJ1", 0.7130, 1 / 3, 12, 0.5, 1e20, datetime(2025, 9, 30, 14, 5)],
        ],
        formats={"E2": "0.0%", "E3": "0%"},
    )

    headings, rows = read_table(data, "figures.xlsx")

    assert headings == ["Trust_code", "Typed", "Computed", "Whole", "Percent", "Large", "Date"]
    assert list(rows) == [
        (
            2,
            {
                "Trust_code": "RRK",
                "Typed": "71.3",
                "Computed": "0.3",
                "Whole": "5",
                "Percent": "71.3%",
                "Large": "1234567",
                "Date": "2025-09-30",
            },
        ),
        (
            3,
            {
                "Trust_code": "RJ1",
                "Typed": "0.713",
                "Computed": "0.333333333333333",
                "Whole": "12",
                "Percent": "50%",
                "Large": "100000000000000000000",
                "Date": "2025-09-30 14:05:00",
            },
        ),
    ]


def test_a_percentage_formatted_workbook_cell_reads_as_its_percentage_either_way() -> None:
    data = xlsx_bytes(
        [["Trust_code", "Metric_ID", "Value"], ["RRK", "OF0023", 0.713]], formats={"C2": "0.0%"}
    )
    for text in ("OF0023 = PERF-2", "OF0023 = PERF-2 (ratio-to-percent)"):
        mappings = parse_mappings(text, QUESTIONS)

        read = read_dataset(data, "rtt.xlsx", NOF_LAYOUT, mappings, QUESTIONS, KNOWN)

        assert by_trust(read.values) == {("RRK", "PERF-2"): "71.3"}


def test_csv_rows_keep_their_spreadsheet_numbers_past_blank_rows() -> None:
    data = "\ufeffTrust_code , Value\r\nRRK,6.8\r\n\r\n,\r\nRJ1\r\nRTH,7,extra\r\n".encode()

    headings, rows = read_table(data, "figures.csv")

    assert headings == ["Trust_code", "Value"]
    assert list(rows) == [
        (2, {"Trust_code": "RRK", "Value": "6.8"}),
        (5, {"Trust_code": "RJ1", "Value": ""}),
        (6, {"Trust_code": "RTH", "Value": "7"}),
    ]


def test_a_csv_saved_in_the_windows_code_page_is_read() -> None:
    data = "Trust_code,Income\r\nRRK,£1,250\r\n".replace(",£1,250", ',"£1,250"').encode("cp1252")

    headings, rows = read_table(data, "FIGURES.CSV")

    assert headings == ["Trust_code", "Income"]
    assert list(rows) == [(2, {"Trust_code": "RRK", "Income": "£1,250"})]


def test_a_workbook_is_read_from_its_first_sheet() -> None:
    workbook = Workbook()
    workbook.active.append(["Provider ODS Code", "Overall"])
    workbook.active.append(["RRK", "Good"])
    workbook.create_sheet("Notes").append(["Provider ODS Code", "Overall"])
    out = io.BytesIO()
    workbook.save(out)

    headings, rows = read_table(out.getvalue(), "ratings.xlsx")

    assert headings == ["Provider ODS Code", "Overall"]
    assert list(rows) == [(2, {"Provider ODS Code": "RRK", "Overall": "Good"})]


# ------------------------------------------------------------------------ property

METRICS = {
    # metric: (question, conversion, the values a publisher might write)
    "OF0084": ("WORK-4", AS_IS, st.decimals(min_value=0, max_value=10, places=2)),
    "OF0079": ("FIN-1", AS_IS, st.decimals(min_value=-60, max_value=60, places=1)),
    "OF0023": ("PERF-2", RATIO_TO_PERCENT, st.decimals(min_value=0, max_value=1, places=4)),
}
# Anything a spreadsheet can hold, for the metrics that are not mapped.
TEXT = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
PROPERTY_MAPPINGS = [
    MetricMapping(metric, question, conversion)
    for metric, (question, conversion, _) in METRICS.items()
]


@st.composite
def long_files(draw: st.DrawFn) -> tuple[bytes, dict[tuple[str, str], Decimal]]:
    """A long CSV of in-bounds figures for some trusts, with unmapped metrics among them,
    in any order; and the figure each trust should get for each question."""
    codes = draw(
        st.lists(
            st.from_regex(r"R[A-Z0-9]{2}", fullmatch=True), min_size=1, max_size=6, unique=True
        )
    )
    rows = []
    expected = {}
    for code in codes:
        for metric, (question, conversion, values) in METRICS.items():
            value = draw(values)
            rows.append([code, metric, format(value, "f")])
            expected[(code, question)] = (
                value.scaleb(2) if conversion == RATIO_TO_PERCENT else value
            )
        rows.append([code, "OF0082", draw(st.text(TEXT, max_size=8))])
    rows = draw(st.permutations(rows))
    return csv_bytes([["Trust_code", "Metric_ID", "Value"], *rows]), expected


@given(long_files())
def test_any_long_file_of_in_bounds_figures_reads_without_problems(
    sample: tuple[bytes, dict[tuple[str, str], Decimal]],
) -> None:
    data, expected = sample
    known = {code for code, _ in expected}

    read = read_dataset(data, "figures.csv", NOF_LAYOUT, PROPERTY_MAPPINGS, QUESTIONS, known)

    assert read.problems == ()
    assert read.unknown_organisations == ()
    assert read.blanks == 0
    assert len(read.values) == len(expected)
    assert {(value.ods_code, value.question): Decimal(value.value) for value in read.values} == (
        expected
    )
