"""Answers: parsing raw values, validating them with reasons a person can act on, and
describing them in plain English.

A raw value is what a persona file, a CSV or JSON import or a web form holds: text for
options and yes/no ("good", "no"), numbers (or numeric text) for number and scale
questions, "na" for not applicable and "dk" for don't know. None or empty text means the
question was left unanswered, which is not a problem. Option values are matched exactly,
then ignoring case, then against the option labels ignoring case, so an export that
carries labels can be imported back.

A figure typed as text is read by `read_number`, the one reader behind the web pages,
the autosave, imports and the `assess` command. Spaces, a leading £ and a trailing % are
ignored. A full stop marks decimals; a comma is read only as a thousands separator, in
groups of three digits (1,250 or 1,250,000.5), and any other comma is refused with the
figure to type instead: "12,5" would otherwise become 125, or 12.5 to a reader used to a
decimal comma, and the service cannot tell which was meant.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .decimals import plain_number
from .definitions import (
    LEVELS,
    NUMBER,
    OPTION_KINDS,
    PROFILE,
    SCALE,
    YESNO,
    Question,
    Questionnaire,
)

GIVEN = "given"
NA = "na"
DK = "dk"


@dataclass(frozen=True, slots=True)
class Answer:
    """A normalised answer to one question.

    status is "given", "na" (not applicable) or "dk" (don't know). A given answer holds
    exactly one of: `option` (the option value of a choice, yes/no or profile question),
    `number` (a number question) or `level` (the level 1 to 4 chosen on a scale).
    """

    question: str
    status: str = GIVEN
    option: str | None = None
    number: Decimal | None = None
    level: int | None = None

    @property
    def text(self) -> str:
        """The answer as stored and exported: "good", "0.2", "3", "na" or "dk"."""
        if self.status != GIVEN:
            return self.status
        if self.option is not None:
            return self.option
        if self.number is not None:
            return str(self.number)
        return str(self.level)


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a raw value could not be accepted, and how to fix it."""

    question: str
    value: str
    message: str


@dataclass(frozen=True, slots=True)
class AnswerValidation:
    """Every accepted answer (in questionnaire order) and every problem found."""

    answers: tuple[Answer, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


class InvalidAnswers(ValueError):
    """Answers that cannot be used; `problems` lists every one of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(" ".join(problem.message for problem in self.problems))


class UnreadableNumber(ValueError):
    """Text that cannot be read as a number; the message says how to write it."""


class MisplacedComma(UnreadableNumber):
    """A comma that is not a thousands separator: a decimal comma ("12,5", "1.250,5") or
    commas out of place ("1,25,0"). The message gives the figure to type instead."""


# A comma separates thousands only between groups of three digits, after a first group
# that does not start with 0 (so "0,750", a decimal comma, is not read as 750).
GROUPED = re.compile(r"[+-]?[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]*)?")
DECIMAL_COMMA = re.compile(r"(?P<sign>[+-]?)(?P<whole>[0-9]*),(?P<fraction>[0-9]+)")
# Full stops between thousands and a decimal comma, as in much of Europe: 1.250,5.
DOTTED_DECIMAL_COMMA = re.compile(
    r"(?P<sign>[+-]?)(?P<whole>[0-9]{1,3}(?:\.[0-9]{3})+),(?P<fraction>[0-9]+)"
)
ONLY_DIGITS_AND_SEPARATORS = re.compile(r"[+-]?[0-9,.]*")
LEADING_POUND = re.compile(r"^([+-]?)£")
NOT_A_NUMBER = "Write digits only, with a full stop for decimals (for example 2.5)."


def read_number(text: str) -> Decimal:
    """The finite number a person wrote ("-0.5", "£1,250", "12.5 %"), or raise
    UnreadableNumber (MisplacedComma for a comma that is not a thousands separator)."""
    written = text.strip()
    core = LEADING_POUND.sub(r"\1", written.replace(" ", "").replace("\u00a0", ""))
    core = core.removesuffix("%")
    if "," in core:
        if not GROUPED.fullmatch(core):
            raise _comma_problem(written, core)
        core = core.replace(",", "")
    try:
        value = Decimal(core)
    except InvalidOperation:
        raise UnreadableNumber(NOT_A_NUMBER) from None
    if not value.is_finite():
        raise UnreadableNumber(NOT_A_NUMBER)
    return value


def _comma_problem(written: str, core: str) -> UnreadableNumber:
    """Why the commas in a figure cannot be read, with the figure to type where the
    commas can only have meant decimals."""
    decimal = DECIMAL_COMMA.fullmatch(core) or DOTTED_DECIMAL_COMMA.fullmatch(core)
    if decimal is not None:
        whole = decimal["whole"].replace(".", "") or "0"
        suggested = f"{decimal['sign']}{whole}.{decimal['fraction']}"
        return MisplacedComma(f"Use a full stop for decimals: enter {suggested}, not {written}.")
    if ONLY_DIGITS_AND_SEPARATORS.fullmatch(core):
        return MisplacedComma(
            f"Check the commas in {written}: use them only between groups of three digits, "
            "as in 1,250,000, or leave them out."
        )
    return UnreadableNumber(NOT_A_NUMBER)


def parse_answer(question: Question, raw: object) -> Answer | Problem:
    """Normalise one raw value for a question, or say why it cannot be accepted."""
    code = question.code
    shown = _shown(raw)
    if isinstance(raw, str):
        word = raw.strip().lower()
        if word == "":
            return Problem(code, shown, f"{code} has no answer. Give {_expected(question)}.")
        if word == DK:
            return Answer(code, DK)
        if word == NA and question.option(raw.strip()) is None:
            if question.accepts_na:
                return Answer(code, NA)
            return Problem(
                code,
                shown,
                f"{code} applies to every trust, so it cannot be answered 'na'. "
                f"Give {_expected(question)}, or 'dk' if you do not know.",
            )
    if question.kind in OPTION_KINDS:
        return _parse_option(question, raw, shown)
    if question.kind == NUMBER:
        return _parse_number(question, raw, shown)
    return _parse_scale(question, raw, shown)


def validate_answers(questionnaire: Questionnaire, raw: Mapping[str, object]) -> AnswerValidation:
    """Check a whole mapping of question code to raw value and return every problem.

    Unknown codes come first (sorted), then the problems of known questions in
    questionnaire order. None and empty text mean unanswered and are skipped.
    """
    questions = {question.code: question for question in questionnaire.questions}
    problems: list[Problem] = []
    for code in sorted((key for key in raw if key not in questions), key=str):
        problems.append(Problem(str(code), _shown(raw[code]), _unknown_code(str(code), questions)))
    answers: list[Answer] = []
    for question in questionnaire.questions:
        if question.code not in raw:
            continue
        value = raw[question.code]
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        parsed = parse_answer(question, value)
        if isinstance(parsed, Problem):
            problems.append(parsed)
        else:
            answers.append(parsed)
    return AnswerValidation(tuple(answers), tuple(problems))


def parse_answers(questionnaire: Questionnaire, raw: Mapping[str, object]) -> tuple[Answer, ...]:
    """The accepted answers; raises InvalidAnswers listing every problem if there are any."""
    validation = validate_answers(questionnaire, raw)
    if validation.problems:
        raise InvalidAnswers(validation.problems)
    return validation.answers


def answer_problem(question: Question, answer: Answer) -> str | None:
    """Why an Answer built elsewhere (a database row, say) does not fit its question."""
    code = question.code
    if answer.question != code:
        return f"An answer to {answer.question} was given for {code}."
    if answer.status == DK:
        return None
    if answer.status == NA:
        return None if question.accepts_na else f"{code} cannot be answered 'na'."
    if answer.status != GIVEN:
        return f"{code} has an answer with unknown status {answer.status!r}."
    if question.kind in OPTION_KINDS:
        option = question.option(answer.option or "")
        if option is None:
            return f"{code} has no option {answer.option!r}."
        if option.level is None and question.kind != PROFILE:
            return f"{code}: the option {answer.option!r} means not applicable; store it as 'na'."
        return None
    if question.kind == NUMBER:
        if answer.number is None or not answer.number.is_finite():
            return f"{code} needs a number."
        return _bounds_problem(question, answer.number)
    if answer.level not in LEVELS:
        return f"{code} needs a level from 1 to 4."
    return None


def answer_label(question: Question, answer: Answer | None) -> str:
    """The answer as a board reads it: an option's label, a number with its unit, a level
    with its anchor text, "Not applicable", "Don't know" or "Not answered"."""
    if answer is None:
        return "Not answered"
    if answer.status == DK:
        return "Don't know"
    if answer.status == NA:
        for option in question.options:
            if option.level is None and question.kind != PROFILE:
                return option.label
        return "Not applicable"
    if answer.option is not None:
        chosen = question.option(answer.option)
        return chosen.label if chosen is not None else answer.option
    if answer.number is not None:
        return with_unit(plain_number(answer.number), question.unit)
    level = answer.level or 0
    anchor = question.anchors[level - 1] if 0 < level <= len(question.anchors) else ""
    return f"Level {level}: {anchor}" if anchor else f"Level {level}"


CURRENCY_SIGNS = ("£", "$", "€")

# A plural unit's singular, for exactly one of it: "1 year", not "1 years". Units not
# listed ("%", "% of income", "£ million a year", "thousand people") read the same for 1.
SINGULAR_UNITS = {
    "years": "year",
    "days": "day",
    "months": "month",
    "services": "service",
    "core services": "core service",
    "days of operating cost": "day of operating cost",
}


def with_unit(number: str, unit: str) -> str:
    """ "5" with "% of income" reads "5% of income"; with "years" it reads "5 years", and
    "1 year" for exactly one; with "£ million a year" it reads "£5 million a year"."""
    if not unit:
        return number
    if number in ("1", "-1"):
        unit = SINGULAR_UNITS.get(unit, unit)
    if unit.startswith("%"):
        return f"{number}{unit}"
    if unit.startswith(CURRENCY_SIGNS):
        return f"{unit[0]}{number} {unit[1:].strip()}".rstrip()
    return f"{number} {unit}"


def bare_amount(number: str, unit: str) -> str:
    """The first number of a range: "from £350 to ...", "from 5 to ..."."""
    return f"{unit[0]}{number}" if unit.startswith(CURRENCY_SIGNS) else number


def _parse_option(question: Question, raw: object, shown: str) -> Answer | Problem:
    code = question.code
    if isinstance(raw, bool) and question.kind == YESNO:
        raw = "yes" if raw else "no"
    if not isinstance(raw, str):
        return Problem(
            code,
            shown,
            f"{code} needs one of its listed answers, not {_type_name(raw)}. "
            f"Give {_expected(question)}.",
        )
    text = raw.strip()
    option = question.option(text)
    if option is None:
        folded = text.casefold()
        matches = [
            candidate
            for candidate in question.options
            if candidate.value.casefold() == folded or candidate.label.casefold() == folded
        ]
        option = matches[0] if matches else None
    if option is None:
        hint = _suggestion(text, [candidate.value for candidate in question.options])
        return Problem(
            code,
            shown,
            f"{code} has no answer {shown}.{hint} Give {_expected(question)}, "
            "or 'dk' if you do not know.",
        )
    if option.level is None and question.kind != PROFILE:
        return Answer(code, NA)
    return Answer(code, GIVEN, option=option.value)


def _parse_number(question: Question, raw: object, shown: str) -> Answer | Problem:
    code = question.code
    value: Decimal | None = None
    if isinstance(raw, bool):
        value = None
    elif isinstance(raw, int | Decimal):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    elif isinstance(raw, str):
        try:
            value = read_number(raw)
        except MisplacedComma as error:
            return Problem(code, shown, f"{code} needs {_expected(question)}. {error}")
        except UnreadableNumber:
            value = None
    if value is None or not value.is_finite():
        what = shown if isinstance(raw, str) else _type_name(raw)
        return Problem(
            code,
            shown,
            f"{code} needs {_expected(question)}; {what} is not a number. {NOT_A_NUMBER}",
        )
    problem = _bounds_problem(question, value)
    if problem is not None:
        return Problem(code, shown, problem)
    return Answer(code, GIVEN, number=value)


def _parse_scale(question: Question, raw: object, shown: str) -> Answer | Problem:
    code = question.code
    level: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        level = raw
    elif isinstance(raw, float | Decimal | str) and not isinstance(raw, bool):
        try:
            number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(str(raw).strip())
        except InvalidOperation:
            number = None
        # A level is one digit: checking the size first keeps int() from building a
        # million-digit number out of an answer such as "1e1000000".
        if (
            number is not None
            and number.is_finite()
            and abs(number.adjusted()) < 3
            and number == number.to_integral_value()
        ):
            level = int(number)
    if level not in LEVELS:
        return Problem(
            code,
            shown,
            f"{code} needs {_expected(question)}; {shown} is not one. "
            "Choose the level whose description fits best.",
        )
    return Answer(code, GIVEN, level=level)


def _bounds_problem(question: Question, value: Decimal) -> str | None:
    low, high = question.minimum, question.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        return (
            f"{question.code} must be {_range(question)}; {plain_number(value)} is outside "
            "that range. Check the figure and its unit."
        )
    return None


def _range(question: Question) -> str:
    low, high, unit = question.minimum, question.maximum, question.unit
    if low is not None and high is not None:
        lower, upper = bare_amount(plain_number(low), unit), with_unit(plain_number(high), unit)
        return f"between {lower} and {upper}"
    if low is not None:
        return f"at least {with_unit(plain_number(low), unit)}"
    if high is not None:
        return f"at most {with_unit(plain_number(high), unit)}"
    return "a number"


def _expected(question: Question) -> str:
    if question.kind in OPTION_KINDS:
        values = ", ".join(option.value for option in question.options)
        return f"one of: {values}"
    if question.kind == SCALE:
        return "a whole number from 1 to 4"
    bounds = _range(question)
    if bounds != "a number":
        return f"a number {bounds}"
    return f"a number of {question.unit}" if question.unit else "a number"


def _unknown_code(code: str, questions: Mapping[str, Question]) -> str:
    hint = _suggestion(code.upper(), list(questions))
    return (
        f"There is no question with the code {code!r}.{hint} "
        "Use the codes printed in the questionnaire, such as "
        f"{next(iter(questions), 'QUAL-1')}."
    )


def _suggestion(text: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(text, candidates, n=1, cutoff=0.6)
    return f" Did you mean {close[0]!r}?" if close else ""


def _shown(raw: object) -> str:
    if isinstance(raw, str):
        return repr(raw.strip())
    if isinstance(raw, Decimal):
        return str(raw)
    return repr(raw)


def _type_name(raw: object) -> str:
    if isinstance(raw, bool):
        return f"the true/false value {raw}"
    if isinstance(raw, int | float | Decimal):
        return f"the number {raw}"
    if isinstance(raw, list | tuple):
        return "a list"
    if isinstance(raw, dict):
        return "a mapping"
    return f"a value of type {type(raw).__name__}"
