"""Forms built from the questionnaire: a section of a member's answers, the lead's agreed
answers and the what-if sandbox. They validate and normalise each answer to the value the
engine reads ("good", "-0.5", "3", "dk"); services do the saving.

Field names carry the question code: `q-CODE` (the choice), `n-CODE` (a number's figure),
`note-CODE` (evidence note), `v-CODE` (the version the page showed), `r-CODE` (rationale).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils.deconstruct import deconstructible

from assessment.models_figures import SOURCE_MAX
from assessment.scoring import definitions as d
from assessment.scoring.answers import (
    MisplacedComma,
    UnreadableNumber,
    answer_label,
    read_number,
)
from assessment.scoring.decimals import plain_number
from assessment.services.answers import AnswerChange, Conflict
from assessment.services.figures import FigureChange

FIGURE = "figure"
NOTE_MAX = 4000
DK = ("dk", "I don't know")
NA = ("na", "Not applicable")
LEVEL_NAMES = {1: "Serious concern", 2: "Concern", 3: "Adequate", 4: "Strong"}


def names(code: str) -> dict[str, str]:
    return {
        "choice": f"q-{code}",
        "figure": f"n-{code}",
        "note": f"note-{code}",
        "version": f"v-{code}",
        "rationale": f"r-{code}",
    }


def choices_for(question: d.Question) -> list[tuple[str, str]]:
    """What a board member can choose, "I don't know" always, "Not applicable" where allowed."""
    if question.kind == d.NUMBER:
        options = [(FIGURE, "Give a figure")]
    elif question.kind == d.SCALE:
        options = [(str(level), anchor) for level, anchor in enumerate(question.anchors, start=1)]
    else:
        options = [(option.value, option.label) for option in question.options]
    has_na_option = any(
        option.level is None for option in question.options if question.kind != d.PROFILE
    )
    if question.accepts_na and not has_na_option:
        options.append(NA)
    options.append(DK)
    return options


def hints_for(question: d.Question) -> dict[str, str]:
    if question.kind == d.SCALE:
        return {str(level): f"Level {level}: {name}" for level, name in LEVEL_NAMES.items()}
    return {}


def format_figure(value: Decimal) -> str:
    return plain_number(value)


def parse_figure(question: d.Question, raw: str) -> tuple[str | None, str | None]:
    """(normalised value, None) or (None, an error message saying how to fix it)."""
    unit = f" ({question.unit})" if question.unit else ""
    try:
        value = read_number(raw)
    except MisplacedComma as error:
        # A field's error is a phrase, like the others on the page, not a sentence.
        return None, str(error).removesuffix(".")
    except UnreadableNumber:
        return None, f"Enter the figure as a number, like 2.5{unit}"
    low, high = question.minimum, question.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        return None, (
            f"Enter a figure from {format_figure(low) if low is not None else 'any'} "
            f"to {format_figure(high) if high is not None else 'any'}{unit}"
        )
    return format_figure(value), None


@deconstructible
class MaxCharacters:
    """Refuses text over `limit` characters, saying how long it is: the page counts the
    characters as they are typed but never cuts what is pasted."""

    def __init__(self, limit: int, what: str) -> None:
        self.limit_value = limit
        self.what = what

    def __call__(self, value: str) -> None:
        if len(value) > self.limit_value:
            raise ValidationError(
                f"Shorten the {self.what} to {self.limit_value:,} characters or fewer "
                f"(it has {len(value):,})",
                code="max_length",
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MaxCharacters) and (self.limit_value, self.what) == (
            other.limit_value,
            other.what,
        )

    def __hash__(self) -> int:
        return hash((self.limit_value, self.what))


def character_limit(field: BoundField) -> int | None:
    """The most characters a text field takes, for the page's character count."""
    for validator in field.field.validators:
        if isinstance(validator, MaxCharacters):
            return validator.limit_value
    return None


def _counted_text(label: str, what: str, rows: int, **kwargs: Any) -> forms.CharField:
    """A text field with a character limit checked on the server, and no `maxlength` on
    the page, which would cut a pasted text without a word."""
    return forms.CharField(
        label=label,
        required=False,
        validators=[MaxCharacters(NOTE_MAX, what)],
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


@dataclass
class QuestionBlock:
    """One question as a page shows it: its fields and what happened to its last save."""

    question: d.Question
    choice: BoundField
    figure: BoundField | None
    note: BoundField | None
    version: BoundField | None
    rationale: BoundField | None
    hints: dict[str, str]
    conflict: Conflict | None = None
    extra: Any = None

    @property
    def code(self) -> str:
        return self.question.code

    @property
    def errors(self) -> list[str]:
        found: list[str] = []
        for bound in (self.choice, self.figure, self.note, self.rationale):
            if bound is not None:
                found += list(bound.errors)
        return found


class QuestionsForm(forms.Form):
    """Radios (with a figure for numbers) for a set of questions."""

    with_notes = True
    with_versions = True
    with_rationale = False

    def __init__(
        self,
        *args: Any,
        questions: Iterable[d.Question],
        values: dict[str, str],
        notes: dict[str, str] | None = None,
        versions: dict[str, int] | None = None,
        rationales: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = tuple(questions)
        self.conflicts: dict[str, Conflict] = {}
        notes, versions, rationales = notes or {}, versions or {}, rationales or {}
        for question in self.questions:
            field = names(question.code)
            value = values.get(question.code, "")
            is_number = question.kind == d.NUMBER
            figure_given = is_number and value not in ("", "dk", "na")
            self.fields[field["choice"]] = forms.ChoiceField(
                label=question.text,
                choices=choices_for(question),
                required=False,
                widget=forms.RadioSelect,
                initial=FIGURE if figure_given else value,
            )
            if is_number:
                self.fields[field["figure"]] = forms.CharField(
                    label=f"Figure{f' ({question.unit})' if question.unit else ''}",
                    required=False,
                    max_length=40,
                    initial=value if figure_given else "",
                    widget=forms.TextInput(
                        attrs={"inputmode": "decimal", "class": "nhsuk-input--width-10"}
                    ),
                )
            if self.with_notes:
                self.fields[field["note"]] = _counted_text(
                    "Evidence note (optional)",
                    "note",
                    3,
                    initial=notes.get(question.code, ""),
                    help_text="Where the evidence comes from, or why you chose this answer.",
                )
            if self.with_rationale:
                self.fields[field["rationale"]] = _counted_text(
                    "Rationale",
                    "rationale",
                    2,
                    initial=rationales.get(question.code, ""),
                )
            if self.with_versions:
                self.fields[field["version"]] = forms.IntegerField(
                    min_value=0,
                    required=False,
                    initial=versions.get(question.code, 0),
                    widget=forms.HiddenInput,
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.values: dict[str, str] = {}
        for question in self.questions:
            field = names(question.code)
            choice = data.get(field["choice"], "") or ""
            figure = (data.get(field["figure"], "") or "").strip()
            if question.kind == d.NUMBER and (choice == FIGURE or (not choice and figure)):
                if not figure:
                    self.add_error(
                        field["figure"],
                        "Enter a figure, or choose “I don't know”",
                    )
                    continue
                value, problem = parse_figure(question, figure)
                if problem:
                    self.add_error(field["figure"], problem)
                    continue
                self.values[question.code] = value or ""
            else:
                self.values[question.code] = choice
        return data

    def changes(self) -> list[AnswerChange]:
        return [
            AnswerChange(
                code=question.code,
                value=self.values.get(question.code, ""),
                note=(self.cleaned_data.get(names(question.code)["note"]) or "").strip(),
                version=self.cleaned_data.get(names(question.code)["version"]) or 0,
            )
            for question in self.questions
        ]

    def show_conflicts(self, conflicts: Iterable[Conflict]) -> None:
        """Explain each refused answer beside it, show the saved answer selected, and move
        its version on: choosing the member's own answer again is then a real change, and
        saving it keeps it."""
        data = self.data.copy()
        for conflict in conflicts:
            field = names(conflict.code)
            self.conflicts[conflict.code] = conflict
            data[field["version"]] = str(conflict.current_version)
            self._show_saved(data, conflict)
            self.add_error(field["choice"], conflict_message(conflict))
        self.data = data

    def _show_saved(self, data: Any, conflict: Conflict) -> None:
        """Put the saved answer back in the posted data, so that the page shows it selected."""
        field = names(conflict.code)
        question = next(q for q in self.questions if q.code == conflict.code)
        saved = conflict.saved_value
        if question.kind == d.NUMBER and saved not in ("", "dk", "na"):
            data[field["choice"]] = FIGURE
            data[field["figure"]] = saved
        else:
            data[field["choice"]] = saved
            if field["figure"] in self.fields:
                data[field["figure"]] = ""

    def blocks(self) -> list[QuestionBlock]:
        blocks = []
        for question in self.questions:
            field = names(question.code)
            blocks.append(
                QuestionBlock(
                    question=question,
                    choice=self[field["choice"]],
                    figure=self[field["figure"]] if field["figure"] in self.fields else None,
                    note=self[field["note"]] if field["note"] in self.fields else None,
                    version=self[field["version"]] if field["version"] in self.fields else None,
                    rationale=self[field["rationale"]]
                    if field["rationale"] in self.fields
                    else None,
                    hints=hints_for(question),
                    conflict=self.conflicts.get(question.code),
                )
            )
        return blocks


class AgreedAnswersForm(QuestionsForm):
    """The lead's agreed answers, each with a rationale where one is needed."""

    with_notes = False
    with_rationale = True

    def __init__(self, *args: Any, rows: list[Any], **kwargs: Any) -> None:
        self.rows = {row.question.code: row for row in rows}
        super().__init__(
            *args,
            questions=[row.question for row in rows],
            values={row.question.code: row.agreed_value for row in rows},
            versions={row.question.code: row.version for row in rows},
            rationales={row.question.code: row.rationale for row in rows},
            **kwargs,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for code, row in self.rows.items():
            value = self.values.get(code, "")
            rationale = (data.get(names(code)["rationale"]) or "").strip()
            if (row.divergent or value != row.default_value) and not rationale:
                reason = (
                    "members' answers differ"
                    if row.divergent
                    else f"it departs from the default ({row.default_label})"
                )
                self.add_error(
                    names(code)["rationale"],
                    f"Give the board's rationale for {code}, because {reason}",
                )
        return data

    def agreed(self) -> list[tuple[str, str, str, int]]:
        return [
            (
                code,
                self.values.get(code, ""),
                (self.cleaned_data.get(names(code)["rationale"]) or "").strip(),
                self.cleaned_data.get(names(code)["version"]) or 0,
            )
            for code in self.rows
        ]

    def value_of(self, code: str) -> str:
        """The answer the page now shows: as posted once checked, else as recorded."""
        values = getattr(self, "values", None)
        if values is not None and code in values:
            return values[code]
        return self.rows[code].agreed_value

    def label_of(self, code: str) -> str:
        return value_label(self.rows[code].question, self.value_of(code))

    def show_conflicts(self, conflicts: Iterable[Conflict]) -> None:
        """As for a member's answers, with the saved rationale shown beside the saved
        answer; the lead's own rationale is quoted in the message, so nothing is lost."""
        conflicts = list(conflicts)
        yours = {
            c.code: (self.data.get(names(c.code)["rationale"]) or "").strip() for c in conflicts
        }
        super().show_conflicts(conflicts)
        data = self.data.copy()
        for conflict in conflicts:
            field = names(conflict.code)
            data[field["rationale"]] = conflict.saved_note
            self.errors[field["choice"]] = self.error_class(
                [agreed_conflict_message(conflict, your_rationale=yours[conflict.code])]
            )
        self.data = data
        self.values = {c.code: c.saved_value for c in conflicts}


def agreed_conflict_message(conflict: Conflict, *, your_rationale: str = "") -> str:
    """Why the lead's agreed answer was not saved: another tab or another lead saved one
    after this page was opened. Both are given; the saved one is shown selected."""
    saved_rationale = (
        f" Its rationale: {_sentence(conflict.saved_note)}" if conflict.saved_note else ""
    )
    rationale = (
        f" Your rationale: {_sentence(your_rationale)}"
        if your_rationale and your_rationale != conflict.saved_note
        else ""
    )
    return (
        "This agreed answer was saved in another window after you opened this page. "
        f"Saved answer: {_sentence(conflict.saved_label)}{saved_rationale} "
        f"Your answer: {_sentence(conflict.your_label)}{rationale} "
        "The saved answer is selected: to keep yours instead, choose it again and save."
    )


class FiguresForm(QuestionsForm):
    """The trust's figures of one section (or one figure), each with its source.

    A figure nobody has entered yet is offered as the newest published dataset gives it,
    cited as that dataset: saving the page accepts it, or the holder enters their own
    figure with its source. The source is required with a value, not with "I don't know".
    """

    def __init__(self, *args: Any, states: list[Any], **kwargs: Any) -> None:
        self.states = {state.code: state for state in states}
        super().__init__(
            *args,
            questions=[state.question for state in states],
            values={state.code: state.value for state in states},
            notes={
                state.code: state.offer.citation if state.from_published else state.source
                for state in states
            },
            versions={state.code: state.version for state in states},
            **kwargs,
        )
        for state in states:
            field = self.fields[names(state.code)["note"]]
            field.label = "Source"
            field.help_text = (
                "The report or dataset, and the period it covers, like “Annual accounts "
                "2024/25, note 12” or “NHS Staff Survey 2025”."
            )
            field.widget = forms.TextInput()
            # The note's limit gives way to the source's; the refusal of NUL bytes stays.
            field.validators = [
                *(v for v in field.validators if not isinstance(v, MaxCharacters)),
                MaxCharacters(SOURCE_MAX, "source"),
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for code in self.states:
            value = self.values.get(code, "")
            source = (data.get(names(code)["note"]) or "").strip()
            if value not in ("", "dk", "na") and not source:
                self.add_error(
                    names(code)["note"],
                    "Give the source of the figure: the report or dataset, and the period it "
                    "covers",
                )
        return data

    def figures(self) -> list[FigureChange]:
        return [
            FigureChange(
                code=change.code, value=change.value, source=change.note, version=change.version
            )
            for change in self.changes()
        ]

    def show_conflicts(self, conflicts: Iterable[Conflict]) -> None:
        conflicts = list(conflicts)
        yours = {c.code: (self.data.get(names(c.code)["note"]) or "").strip() for c in conflicts}
        super().show_conflicts(conflicts)
        data = self.data.copy()
        for conflict in conflicts:
            field = names(conflict.code)
            # The saved figure is shown with its own source, not the one typed for yours.
            data[field["note"]] = conflict.saved_note
            self.errors[field["choice"]] = self.error_class(
                [figure_conflict_message(conflict, your_source=yours[conflict.code])]
            )
        self.data = data

    def blocks(self) -> list[QuestionBlock]:
        blocks = super().blocks()
        for block in blocks:
            block.extra = {"state": self.states[block.code]}
        return blocks


@dataclass(frozen=True)
class WhatIfEntry:
    """One question on the what-if page: its block, to change the answer, or for a fact of
    the trust's nature (method section 10) no block, only the recorded answer in words."""

    question: d.Question
    block: QuestionBlock | None
    recorded: str
    errors: tuple[str, ...] = ()


class WhatIfForm(QuestionsForm):
    """Every question, prefilled with the recorded answers; nothing is ever saved.

    A fact of the trust's nature (a `fixed` question) is shown with its recorded answer but
    not offered for change (method section 10), and a posted change to one is refused, so
    every what-if scenario keeps the trust's recorded facts. Its fields stay in the form,
    hidden and never drawn, only so that whatever is posted for them is checked like any
    other answer.
    """

    with_notes = False
    with_versions = False

    def __init__(
        self, *args: Any, questions: Iterable[d.Question], values: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, questions=questions, values=values, **kwargs)
        self.recorded = dict(values)
        for question in self.questions:
            if question.changeable == d.FIXED:
                for name in self._names(question):
                    self.fields[name].widget = forms.HiddenInput()

    def _names(self, question: d.Question) -> list[str]:
        field = names(question.code)
        return [name for name in (field["choice"], field["figure"]) if name in self.fields]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for question in self.questions:
            if question.changeable != d.FIXED:
                continue
            code = question.code
            recorded = self.recorded.get(code, "")
            fields = self._names(question)
            posted = any(name in self.data for name in fields)
            checked = not any(self.has_error(name) for name in fields)
            if posted and checked and not _same(question, self.values.get(code, ""), recorded):
                self.add_error(
                    names(code)["choice"],
                    f"Keep {code} as recorded ({value_label(question, recorded)}): it is a "
                    "fact of the trust's nature, so it cannot be changed here",
                )
            self.values[code] = recorded
        return data

    def entries(self) -> list[WhatIfEntry]:
        """Every question in order, a fact of the trust's nature without a block."""
        blocks = {block.code: block for block in self.blocks()}
        return [
            WhatIfEntry(
                question=question,
                block=None if question.changeable == d.FIXED else blocks[question.code],
                recorded=value_label(question, self.recorded.get(question.code, "")),
                errors=tuple(
                    str(error)
                    for name in self._names(question)
                    for error in self.errors.get(name, [])
                ),
            )
            for question in self.questions
        ]


def _same(question: d.Question, value: str, recorded: str) -> bool:
    """Whether two answers are the same, a figure written either way (2.50 and 2.5)."""
    if value == recorded:
        return True
    if question.kind != d.NUMBER:
        return False
    try:
        return Decimal(value) == Decimal(recorded)
    except InvalidOperation:
        return False


def _sentence(label: str) -> str:
    """A label as the end of a sentence: one full stop, whether or not it has its own."""
    label = label.strip()
    return label if label.endswith((".", "?", "!")) else f"{label}."


def conflict_message(conflict: Conflict) -> str:
    """Why an answer was not saved, with both answers: the saved one is shown selected,
    so choosing the member's own again saves it."""
    return (
        "This answer was changed in another window after you opened this page. "
        f"Saved answer: {_sentence(conflict.saved_label)} "
        f"Your answer: {_sentence(conflict.your_label)} "
        "The saved answer is selected: to keep yours instead, choose it again."
    )


def figure_conflict_message(conflict: Conflict, *, your_source: str = "") -> str:
    """The same for one of the trust's figures, with the sources."""
    source = (
        f" Your source: {_sentence(your_source)}"
        if your_source and your_source != conflict.saved_note
        else ""
    )
    return (
        "This figure was changed in another window after you opened this page. "
        f"Saved figure: {conflict.saved_label}, source: "
        f"{_sentence(conflict.saved_note or 'none given')} "
        f"Yours: {_sentence(conflict.your_label)}{source} "
        "The saved figure is shown: to keep yours instead, enter or choose it again."
    )


def value_label(question: d.Question, value: str) -> str:
    from assessment.scoring.answers import Problem, parse_answer

    if not value:
        return "Not answered"
    parsed = parse_answer(question, value)
    return answer_label(question, None if isinstance(parsed, Problem) else parsed)
