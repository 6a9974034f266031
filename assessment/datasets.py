"""Reading published NHS datasets into answers, without touching the database.

An admin uploads a file a publisher put out (the NHS Oversight Framework's quarterly
CSV, a CQC ratings spreadsheet) and says, one line a mapping, which of its metrics
answers which question: "OF0084 = WORK-4", "Well-led = LEAD-1 (rating)". This module
reads such a file and returns every value it yields for each trust, normalised exactly
as the engine stores an answer, together with every problem in the file, each with its
row and column heading, so that the admin can fix the lot in one pass.

Two layouts are read. A long file has one row for each trust and metric, with the
metric's identifier in one column and its value in another (the Oversight Framework's
Trust_code, Metric_ID and Value). A wide file has one row for each trust and one column
for each metric (a ratings spreadsheet with an Overall and a Well-led column).

Cells that publishers leave empty or suppress ("", "*", "..", "[c]", "Not rated") are
counted as blanks, not problems: a trust with no published figure simply has no value.
Rows for trusts that the service does not know are skipped without being checked, and
their codes are listed once each, so that a national file can be read for a few trusts.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import re
import zipfile
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from assessment.scoring.answers import (
    DK,
    NOT_A_NUMBER,
    Answer,
    Problem,
    UnreadableNumber,
    parse_answer,
    read_number,
)
from assessment.scoring.definitions import NUMBER, OPTION_KINDS, Question

LONG, WIDE = "long", "wide"
LAYOUTS = {
    LONG: "Long: one row for each organisation and metric",
    WIDE: "Wide: one row for each organisation, one column for each metric",
}

AS_IS, RATIO_TO_PERCENT, RATING = "as-is", "ratio-to-percent", "rating"
SEGMENT, FLAG = "segment", "flag"
CONVERSIONS = {
    AS_IS: "As is",
    RATIO_TO_PERCENT: "A ratio, as a percentage (0.713 becomes 71.3)",
    RATING: 'A text rating, as an option ("Requires improvement" becomes requires-improvement)',
    SEGMENT: 'A segment number, as an option ("3" or "3.00" becomes segment-3)',
    FLAG: 'A flag, as yes or no ("Yes", "Y", "True" or "1" becomes yes; "No", "N", "False" or '
    '"0" becomes no)',
}

DEFAULT_MAX_ROWS = 200_000

# What publishers put in a cell that has no figure: left empty, suppressed to protect
# small numbers ("*", "[c]"), not available ("..", "x", "n/a"), or, in CQC's files, a
# service that has not been rated. Compared after stripping and ignoring case.
BLANKS = frozenset(
    {
        "",
        "*",
        "**",
        "-",
        "--",
        "\u2013",  # en dash
        "\u2014",  # em dash
        ".",
        "..",
        "...",
        ":",
        "x",
        "n/a",
        "na",
        "nan",
        "null",
        "none",
        "[c]",
        "[x]",
        "[z]",
        "[u]",
        "[low]",
        "suppressed",
        "no data",
        "not available",
        "not applicable",
        # CQC publishes these where a trust or one of its key questions has no rating.
        "not rated",
        "not yet rated",
        "no rating",
        "no published rating",
    }
)

SUFFIXES = (".csv", ".xlsx")
SYNTAX_EXAMPLE = (
    'for example "OF0084 = WORK-4", "OF0023 = PERF-2 (ratio-to-percent)" or '
    '"Well-led = LEAD-1 (rating)"'
)
# A percentage beyond these powers of ten is not a figure any question asks for, and
# writing it out digit by digit ("1e999999" as a ratio) would take the server's memory.
PLAUSIBLE_DIGITS = 20


@dataclass(frozen=True)
class MetricMapping:
    """One line of a mapping: which metric answers which question, and how to read it.

    `metric` is a metric identifier found in a long file's metric column (OF0084), or a
    column heading of a wide file (Well-led). `conversion` is one of CONVERSIONS.
    """

    metric: str
    question: str
    conversion: str = AS_IS


@dataclass(frozen=True)
class Layout:
    """Where a file keeps what: the organisation's ODS code, and (long files only) the
    metric identifier and its value. With `filter_column`, only the rows whose cell there
    reads `filter_value` are read: a file holding several quarters, say, read for one."""

    kind: str
    organisation_column: str
    metric_column: str = ""
    value_column: str = ""
    filter_column: str = ""
    filter_value: str = ""


@dataclass(frozen=True)
class DatasetValue:
    """One value read for one organisation and question, normalised as the engine stores
    it. `row` is the row as a spreadsheet numbers it (the headings are row 1) and
    `column` the heading of the column the value came from."""

    ods_code: str
    question: str
    value: str
    metric: str
    row: int
    column: str


@dataclass(frozen=True)
class DatasetProblem:
    """Something in the file that stops a value being used, with how to fix it. `row` is
    None for a problem with the whole file (a missing column, an unreadable file)."""

    row: int | None
    column: str
    message: str


@dataclass(frozen=True)
class DatasetRead:
    """Everything read from one file.

    `unknown_organisations` lists, once each and sorted, the codes of organisations the
    service does not know; their rows were skipped. `blanks` counts mapped cells that
    were empty or suppressed. `rows_read` counts the rows under the headings that held
    anything at all. `unmapped_metrics` lists, once each and sorted, the metrics of a long
    file that no mapping names; their rows were skipped.
    """

    values: tuple[DatasetValue, ...]
    problems: tuple[DatasetProblem, ...]
    unknown_organisations: tuple[str, ...]
    rows_read: int
    blanks: int
    unmapped_metrics: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


class InvalidMappings(ValueError):
    """Mapping text that cannot be used. `messages` (also `args[0]`) lists every line
    that is wrong, each naming its line number."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__(messages)


# ---------------------------------------------------------------------------- mappings

MAPPING_LINE = re.compile(
    r"^(?P<metric>.+?)\s*=\s*(?P<question>[^\s()=]+)\s*(?:\((?P<conversion>[^()]*)\))?$"
)


def parse_mappings(text: str, questions: Mapping[str, Question]) -> list[MetricMapping]:
    """The mappings written one a line ("OF0084 = WORK-4", "OF0023 = PERF-2
    (ratio-to-percent)"), in the order written. Blank lines and lines starting with #
    are ignored. Raises InvalidMappings (a ValueError) listing every wrong line."""
    mappings: list[MetricMapping] = []
    messages: list[str] = []
    metric_lines: dict[str, int] = {}
    question_lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        written = line.strip()
        if not written or written.startswith("#"):
            continue
        match = MAPPING_LINE.fullmatch(written)
        if match is None:
            messages.append(
                f"Line {number}: write the metric, an equals sign and the question code, "
                f"with a conversion in brackets if one is needed, {SYNTAX_EXAMPLE}."
            )
            continue
        metric = match["metric"].strip()
        code = match["question"].strip().upper()
        conversion = (match["conversion"] or AS_IS).strip().lower() or AS_IS
        question = questions.get(code)
        if question is None:
            messages.append(f"Line {number}: {_unknown_question(match['question'], questions)}")
            continue
        if conversion not in CONVERSIONS:
            messages.append(
                f"Line {number}: there is no conversion {match['conversion'].strip()!r}. "
                f"Use one of: {', '.join(CONVERSIONS)}, or leave the brackets off to take "
                "the value as it is."
            )
            continue
        mapping = MetricMapping(metric=metric, question=code, conversion=conversion)
        problem = mapping_problem(mapping, question)
        if problem is not None:
            messages.append(f"Line {number}: {problem}")
            continue
        key = _metric_key(metric)
        if key in metric_lines:
            messages.append(
                f"Line {number}: {metric} is already mapped on line {metric_lines[key]}. "
                "Map each metric once; delete one of the two lines."
            )
            continue
        if code in question_lines:
            messages.append(
                f"Line {number}: {code} is already answered by the mapping on line "
                f"{question_lines[code]}. Each question takes its value from one metric; "
                "delete one of the two lines."
            )
            continue
        metric_lines[key] = number
        question_lines[code] = number
        mappings.append(mapping)
    if not messages and not mappings:
        messages.append(
            f"There are no mappings. Write one a line, {SYNTAX_EXAMPLE}; lines starting "
            "with # are notes."
        )
    if messages:
        raise InvalidMappings(messages)
    return mappings


def mapping_problem(mapping: MetricMapping, question: Question) -> str | None:
    """Why a conversion cannot give answers to its question, or None if it can."""
    code = question.code
    if mapping.conversion not in CONVERSIONS:
        return (
            f"there is no conversion {mapping.conversion!r}. Use one of: {', '.join(CONVERSIONS)}."
        )
    if mapping.conversion == RATING and not question.options:
        return (
            f"{code} is answered with {_kind_answer(question)}, not one of a list of "
            f"options, so a rating cannot answer it. Map a metric that gives "
            f"{_kind_answer(question)}, without (rating)."
        )
    if mapping.conversion == FLAG and any(question.option(word) is None for word in ("yes", "no")):
        return (
            f"{code} is answered with {_kind_answer(question)}, not yes or no, so a flag "
            "cannot answer it. Map a flag to a yes/no question."
        )
    if mapping.conversion == SEGMENT and not any(
        option.value.startswith("segment-") for option in question.options
    ):
        return (
            f"{code} does not ask for a segment (its answers are not segment-1, segment-2 "
            "and so on), so a segment number cannot answer it."
        )
    if mapping.conversion == RATIO_TO_PERCENT and question.kind != NUMBER:
        return (
            f"{code} is answered with {_kind_answer(question)}, so a ratio cannot answer "
            "it. Use (rating) for a column of ratings, or no conversion for a column that "
            f"holds {code}'s option values."
        )
    return None


def _unknown_question(written: str, questions: Mapping[str, Question]) -> str:
    close = difflib.get_close_matches(written.strip().upper(), list(questions), n=1, cutoff=0.5)
    hint = f" Did you mean {close[0]}?" if close else ""
    example = next(iter(questions), "WORK-4")
    return (
        f"there is no question {written.strip()!r}.{hint} Use a question code from the "
        f"questionnaire, such as {example}."
    )


def _kind_answer(question: Question) -> str:
    if question.kind == NUMBER:
        return "a number"
    if question.kind in OPTION_KINDS:
        return "one of its options"
    return "a level from 1 to 4"


def _metric_key(metric: str) -> str:
    """Metric identifiers and headings are matched ignoring case and runs of spaces, so
    that "of0084" in a mapping still finds OF0084 in the file."""
    return " ".join(metric.split()).casefold()


# ------------------------------------------------------------------------------ tables

Rows = Iterator[tuple[int, dict[str, str]]]


def read_table(data: bytes, filename: str) -> tuple[list[str], Rows]:
    """The headings of a .csv or .xlsx file (first sheet) and an iterator over its rows.

    Each row comes with its number as a spreadsheet shows it (the headings are row 1)
    and maps each heading to the cell's text; rows with nothing in them are left out.
    Numbers in a workbook become text without float noise (71.3, not 71.29999), and a
    cell formatted as a percentage reads as one ("71.3%"), as the spreadsheet shows it.
    Raises ValueError, with what to do, for another kind of file, an empty file, no
    headings, or the same heading twice; iterating raises ValueError if the file turns
    out to be unreadable further down.
    """
    name = filename.strip()
    suffix = name.lower().rpartition(".")[2]
    if f".{suffix}" not in SUFFIXES or "." not in name:
        raise ValueError(
            f"{name or 'The file'} is not a CSV file or an Excel workbook. Save it from "
            "your spreadsheet as CSV UTF-8 (.csv) or as an Excel workbook (.xlsx), and "
            "upload that."
        )
    if not data.strip():
        raise ValueError(
            f"{name} is empty. Upload the file as the publisher released it, with its "
            "headings in the first row."
        )
    records = _csv_records(data, name) if suffix == "csv" else _xlsx_records(data, name)
    first = next(records, None)
    if first is None or not any(cell.strip() for cell in first):
        raise ValueError(
            f"{name} has no headings in its first row. Put the column headings in row 1 "
            "(delete any title rows above them) and upload it again."
        )
    headings = [cell.strip() for cell in first]
    seen: set[str] = set()
    repeated = []
    for heading in headings:
        if heading and heading in seen and heading not in repeated:
            repeated.append(heading)
        seen.add(heading)
    if repeated:
        names = ", ".join(repeated)
        raise ValueError(
            f"{name} has more than one column headed {names}. Give every column its own "
            "heading, or delete the copies, and upload it again."
        )
    return headings, _rows(headings, records)


def _rows(headings: list[str], records: Iterator[list[str]]) -> Rows:
    for number, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue
        row = {}
        for position, heading in enumerate(headings):
            if heading:
                row[heading] = record[position] if position < len(record) else ""
        yield number, row


def _csv_records(data: bytes, name: str) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Excel's plain "CSV" on Windows saves in this code page (£ as byte A3).
            text = data.removeprefix(codecs.BOM_UTF8).decode("cp1252")
        except UnicodeDecodeError:
            raise ValueError(
                f"{name} is not text this service can read. Save it from your spreadsheet "
                "as CSV UTF-8 (.csv) and upload it again."
            ) from None
    if "\x00" in text:
        raise ValueError(
            f"{name} holds null characters, so it is not a plain CSV file (spreadsheets "
            "write these when saving as Unicode text). Save it as CSV UTF-8 (.csv) and "
            "upload it again."
        )
    return _csv_lines(text, name)


def _csv_lines(text: str, name: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from reader
    except csv.Error as error:  # an unclosed quote, a field over the size limit
        raise ValueError(
            f"{name} could not be read as CSV near line {reader.line_num} ({error}). Open "
            "it in your spreadsheet, save it as CSV UTF-8 (.csv) and upload it again."
        ) from None


def _xlsx_records(data: bytes, name: str) -> Iterator[list[str]]:
    # openpyxl is imported here: reading CSV files, by far the commoner case, never needs it.
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    unreadable = ValueError(
        f"{name} could not be opened as an Excel workbook. Open it in your spreadsheet, "
        "save it as an Excel workbook (.xlsx) or as CSV UTF-8 (.csv), and upload it again."
    )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError):
        raise unreadable from None
    if not workbook.worksheets:
        workbook.close()
        raise ValueError(
            f"{name} has no worksheet. Put the data on the first sheet and upload it again."
        )
    return _sheet_records(workbook, unreadable)


def _sheet_records(workbook: Any, unreadable: ValueError) -> Iterator[list[str]]:
    sheet = workbook.worksheets[0]
    try:
        # Some producers write a wrong size into the sheet ("A1"); forget it and read
        # every row and column that is really there.
        sheet.reset_dimensions()
        for cells in sheet.iter_rows():
            yield [_cell_text(cell.value, getattr(cell, "number_format", None)) for cell in cells]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError):
        raise unreadable from None
    finally:
        workbook.close()


def _cell_text(value: object, number_format: object) -> str:
    """A workbook cell as the text a person reads in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | Decimal):
        number = _exact(value)
        if number is None:
            return str(value)
        if isinstance(number_format, str) and "%" in number_format:
            # The cell holds 0.713 and shows 71.3%: read what the spreadsheet shows.
            return f"{_plain(number.scaleb(2))}%"
        return _plain(number)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _exact(value: int | float | Decimal) -> Decimal | None:
    """The number a spreadsheet shows. A float is taken to fifteen significant digits,
    the precision Excel keeps and displays: 71.3, not the 71.2999999999999971578... the
    float holds, and 0.3 for a formula's 0.1 + 0.2, not 0.30000000000000004."""
    number = Decimal(format(value, ".15g")) if isinstance(value, float) else Decimal(value)
    return number if number.is_finite() else None


def _plain(number: Decimal) -> str:
    """Positional notation ("50", "0.00001", "71.30"), never "5E+1"."""
    return format(number, "f")


# ----------------------------------------------------------------------------- reading


def read_dataset(
    data: bytes,
    filename: str,
    layout: Layout,
    mappings: Sequence[MetricMapping],
    questions: Mapping[str, Question],
    known_ods: Collection[str],
    max_rows: int = DEFAULT_MAX_ROWS,
) -> DatasetRead:
    """Read every mapped value in a file, checking the whole file.

    Every problem is collected with its row and column heading. Rows for organisations
    not in `known_ods` are skipped unchecked, their codes listed once each; rows with no
    organisation code are skipped too (a ratings file lists many providers that have
    none). In a long file, rows for metrics that are not mapped are skipped, their
    identifiers listed once each. A file of more than `max_rows` rows, or one that turns
    out to be unreadable further down, stops there with a problem with the whole file;
    the values read before it are kept.
    Raises ValueError only for a layout whose kind is neither LONG nor WIDE, which is a
    fault in the caller, not in the file.
    """
    if layout.kind not in (LONG, WIDE):
        raise ValueError(f"A layout is {LONG!r} or {WIDE!r}, not {layout.kind!r}.")
    problems = _mappings_problems(mappings, questions)
    if problems:
        return DatasetRead((), tuple(problems), (), 0, 0)
    try:
        headings, rows = read_table(data, filename)
    except ValueError as error:
        return DatasetRead((), (DatasetProblem(None, "", str(error)),), (), 0, 0)
    reader = _Reader(filename.strip(), [heading for heading in headings if heading])
    organisation_column = reader.column(
        layout.organisation_column, "the organisations' ODS codes", "the organisation column"
    )
    sources = _sources(reader, layout, mappings, questions)
    kept = _row_filter(reader, layout)
    if reader.problems:
        return reader.result()
    known = {code.strip().upper() for code in known_ods}
    try:
        for number, row in rows:
            if reader.rows_read >= max_rows:
                reader.problems.append(_too_many_rows(reader.filename, max_rows, number))
                break
            reader.rows_read += 1
            if not kept(row):
                continue
            mapped = sources(row)
            code = row[organisation_column].strip().upper()
            if not mapped or not code:
                continue
            if code not in known:
                reader.unknown.add(code)
                continue
            for source in mapped:
                reader.cell(number, code, source, row[source.column])
    except ValueError as error:  # the file turned out to be unreadable further down
        reader.problems.append(DatasetProblem(None, "", str(error)))
    return reader.result()


def _row_filter(reader: _Reader, layout: Layout) -> Callable[[dict[str, str]], bool]:
    """Which rows to read: every row, or those whose filter column holds the value."""
    if not layout.filter_column.strip():
        return lambda row: True
    column = reader.column(layout.filter_column, "the rows to read", "the row filter column")
    wanted = " ".join(layout.filter_value.split()).casefold()
    return lambda row: " ".join(row[column].split()).casefold() == wanted


def _sources(
    reader: _Reader,
    layout: Layout,
    mappings: Sequence[MetricMapping],
    questions: Mapping[str, Question],
) -> Callable[[dict[str, str]], list[_Source]]:
    """What to read from each row: in a long file, the value if the row's metric is
    mapped; in a wide file, every mapped column."""
    if layout.kind == LONG:
        metric_column = reader.column(
            layout.metric_column, "the metric identifiers", "the metric column"
        )
        value_column = reader.column(layout.value_column, "the values", "the value column")
        by_metric = {
            _metric_key(mapping.metric): [
                _Source(mapping, questions[mapping.question], value_column)
            ]
            for mapping in mappings
        }

        def long_sources(row: dict[str, str]) -> list[_Source]:
            found = by_metric.get(_metric_key(row[metric_column]))
            if found is None:
                if row[metric_column].strip():
                    reader.unmapped.add(row[metric_column].strip())
                return []
            return found

        return long_sources
    wide = [
        _Source(
            mapping,
            questions[mapping.question],
            reader.column(mapping.metric, f"mapped to {mapping.question}", ""),
        )
        for mapping in mappings
    ]
    return lambda row: wide


def convert(question: Question, conversion: str, raw: str) -> Answer | Problem:
    """One cell's text read for a question through a conversion: the answer, normalised
    as the engine stores it, or the problem with it. The cell is not blank."""
    code = question.code
    text = raw.strip()
    shown = repr(text)
    if text.casefold() == DK:
        return Problem(
            code,
            shown,
            f"{shown} is not a published figure. Leave the cell empty where there is none.",
        )
    if conversion == RATING:
        return _rating(question, text)
    if conversion == FLAG:
        return _flag(question, text)
    if conversion == SEGMENT:
        return _segment(question, text)
    if conversion == RATIO_TO_PERCENT and not text.endswith("%"):
        return _ratio(question, text)
    # As it is; under ratio-to-percent, a value written with % is already a percentage.
    return parse_answer(question, text)


def _ratio(question: Question, text: str) -> Answer | Problem:
    code = question.code
    shown = repr(text)
    try:
        ratio = read_number(text)
    except UnreadableNumber as error:
        message = str(error) if str(error) != NOT_A_NUMBER else NOT_A_NUMBER
        return Problem(
            code, shown, f"{code} needs a ratio such as 0.713; {shown} is not a number. {message}"
        )
    exponent = ratio.as_tuple().exponent
    if abs(ratio.adjusted()) > PLAUSIBLE_DIGITS or (
        isinstance(exponent, int) and exponent < -PLAUSIBLE_DIGITS
    ):
        return Problem(
            code,
            shown,
            f"{code} needs a ratio such as 0.713; {shown} is not a figure the question "
            "could take. Check the cell.",
        )
    percent = ratio.scaleb(2)
    parsed = parse_answer(question, _plain(percent))
    if isinstance(parsed, Problem):
        return Problem(
            code,
            shown,
            f"As a ratio, {text} is {_plain(percent)}%. {parsed.message} If the column "
            "already holds percentages, map it without (ratio-to-percent).",
        )
    return parsed


def _rating(question: Question, text: str) -> Answer | Problem:
    key = _folded(text)
    for option in question.options:
        if key and key in (_folded(option.value), _folded(option.label)):
            return parse_answer(question, option.value)
    accepted = ", ".join(option.label for option in question.options)
    return Problem(
        question.code,
        repr(text),
        f"{text!r} is not a rating {question.code} accepts. The ratings it accepts are: "
        f"{accepted}. Correct the cell, or leave it empty if there is no rating.",
    )


# How publishers write a flag: the NOF's league tables say Yes or No; other files 1 or 0.
FLAG_WORDS = {
    "yes": "yes",
    "y": "yes",
    "true": "yes",
    "1": "yes",
    "no": "no",
    "n": "no",
    "false": "no",
    "0": "no",
}


def _flag(question: Question, text: str) -> Answer | Problem:
    answer = FLAG_WORDS.get(text.casefold())
    if answer is None:
        try:
            number = read_number(text)
        except UnreadableNumber:
            number = None
        if number is not None and number in (0, 1):  # "1.0" and "0.00" too
            answer = "yes" if number == 1 else "no"
    if answer is None:
        return Problem(
            question.code,
            repr(text),
            f"{text!r} is not a flag. A flag reads Yes or No (or Y/N, True/False, 1/0). "
            "Correct the cell, or leave it empty if there is no figure.",
        )
    return parse_answer(question, answer)


def _segment(question: Question, text: str) -> Answer | Problem:
    try:
        number = read_number(text)
    except UnreadableNumber:
        number = None
    value = ""
    # Segments are small whole numbers; "3.00" is 3, "1e9" is no segment at all.
    if number is not None and 0 < number < 100 and number == number.to_integral_value():
        value = f"segment-{int(number)}"
    if question.option(value) is None:
        accepted = ", ".join(
            option.value.removeprefix("segment-")
            for option in question.options
            if option.value.startswith("segment-")
        )
        return Problem(
            question.code,
            repr(text),
            f"{text!r} is not a segment {question.code} accepts. The segments are: "
            f"{accepted}. Correct the cell, or leave it empty if there is no segment.",
        )
    return parse_answer(question, value)


def _folded(text: str) -> str:
    """Text compared ignoring case, spaces and punctuation: "Requires improvement",
    "requires-improvement" and "REQUIRES IMPROVEMENT" all fold to the same."""
    return re.sub(r"[\W_]+", "", text.casefold())


def is_blank(raw: str) -> bool:
    """Whether a cell holds no figure: empty, suppressed or marked not available."""
    return " ".join(raw.split()).casefold() in BLANKS


@dataclass(frozen=True)
class _Source:
    """Where one mapping's values are: the mapping, its question and the heading of the
    column holding them."""

    mapping: MetricMapping
    question: Question
    column: str


@dataclass
class _Reader:
    """What has been read so far."""

    filename: str
    headings: list[str]
    values: list[DatasetValue] = field(default_factory=list)
    problems: list[DatasetProblem] = field(default_factory=list)
    unknown: set[str] = field(default_factory=set)
    unmapped: set[str] = field(default_factory=set)
    # The row of the first value for each organisation and question.
    first_row: dict[tuple[str, str], int] = field(default_factory=dict)
    rows_read: int = 0
    blanks: int = 0

    def column(self, wanted: str, holding: str, setting: str) -> str:
        """The file's heading for a column the layout or a mapping names, or "" with a
        problem recorded. `setting` names the layout's setting; "" means a mapping."""
        if not wanted.strip():
            self.problems.append(
                DatasetProblem(
                    None,
                    "",
                    f"The dataset's layout does not say which column holds {holding}. Fill "
                    f"in {setting} with one of {self.filename}'s headings: "
                    f"{_listed(self.headings)}.",
                )
            )
            return ""
        found = _heading(self.headings, wanted)
        if found is None:
            fix = (
                f"Correct {setting} in the dataset's layout"
                if setting
                else "Correct the heading in the mapping to match the file"
            )
            self.problems.append(
                DatasetProblem(
                    None,
                    wanted.strip(),
                    f"{self.filename} has no column headed {wanted.strip()!r} ({holding}). Its "
                    f"headings are: {_listed(self.headings)}. {fix}, or upload the file the "
                    "dataset describes.",
                )
            )
            return ""
        return found

    def cell(self, number: int, code: str, source: _Source, raw: str) -> None:
        if is_blank(raw):
            self.blanks += 1
            return
        question = source.question
        metric = source.mapping.metric
        key = (code, question.code)
        first = self.first_row.get(key)
        if first is not None:
            self.problems.append(
                DatasetProblem(
                    number,
                    source.column,
                    f"Rows {first} and {number} both give {code}'s {metric}, which answers "
                    f"{question.code}. Keep the row with the figure you mean to use, delete "
                    "the other, and upload the file again.",
                )
            )
            return
        self.first_row[key] = number
        parsed = convert(question, source.mapping.conversion, raw)
        if isinstance(parsed, Problem):
            self.problems.append(
                DatasetProblem(number, source.column, f"{code}'s {metric}: {parsed.message}")
            )
            return
        self.values.append(
            DatasetValue(
                ods_code=code,
                question=question.code,
                value=parsed.text,
                metric=metric,
                row=number,
                column=source.column,
            )
        )

    def result(self) -> DatasetRead:
        return DatasetRead(
            values=tuple(self.values),
            problems=tuple(self.problems),
            unknown_organisations=tuple(sorted(self.unknown)),
            rows_read=self.rows_read,
            blanks=self.blanks,
            unmapped_metrics=tuple(sorted(self.unmapped)),
        )


def _mappings_problems(
    mappings: Sequence[MetricMapping], questions: Mapping[str, Question]
) -> list[DatasetProblem]:
    """Mappings that no longer fit the questionnaire (it may have changed since they were
    written): each is a problem with the whole file."""
    problems = []
    if not mappings:
        problems.append(
            DatasetProblem(
                None,
                "",
                f"The dataset has no mappings, so nothing can be read. Add one a line, "
                f"{SYNTAX_EXAMPLE}.",
            )
        )
    for mapping in mappings:
        question = questions.get(mapping.question)
        if question is None:
            message = (
                f"The mapping {mapping.metric} = {mapping.question} names a question that is "
                "not in the questionnaire. Change it to a current question code, or delete it."
            )
        else:
            problem = mapping_problem(mapping, question)
            if problem is None:
                continue
            message = f"The mapping {mapping.metric} = {mapping.question}: {problem}"
        problems.append(DatasetProblem(None, mapping.metric, message))
    return problems


def _heading(present: list[str], wanted: str) -> str | None:
    """The file's heading for a wanted name: the same text, else the same ignoring case
    and runs of spaces."""
    wanted = wanted.strip()
    if wanted in present:
        return wanted
    key = _metric_key(wanted)
    for heading in present:
        if _metric_key(heading) == key:
            return heading
    return None


def _listed(headings: list[str]) -> str:
    return ", ".join(headings) if headings else "none"


def _too_many_rows(filename: str, max_rows: int, number: int) -> DatasetProblem:
    return DatasetProblem(
        None,
        "",
        f"{filename} has more than {max_rows:,} rows, the most one upload may hold, so "
        f"reading stopped at row {number:,}. Split it into files of {max_rows:,} rows or "
        "fewer, each with the headings in row 1 (or delete the rows for organisations "
        "you do not need), and upload each file.",
    )
