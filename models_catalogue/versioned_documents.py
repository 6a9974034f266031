"""The JSON documents of versioned definitions: the catalogue's and the questionnaire's.

Both are exported and imported the same way. A document starts with its `format`, `version`,
`status` and `note`, and writes its numbers as JSON numbers. A file is read only if it is at
most 2 MB of UTF-8 JSON, nested at most ten levels deep, with no number too long for Python
to read; any other is refused with a `DocumentError` that says how to fix it. What a
document holds, and the checks of its fields, stay with its kind
(`models_catalogue/documents.py`, `assessment/services/questionnaire_documents.py`).
"""

from __future__ import annotations

import json
import reprlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
# A catalogue nests six levels deep (forms, a form, its prerequisites, one of them, its
# values) and a questionnaire five (questions, a question, its bands, one band, its values).
# Much deeper is neither, and reading it would exhaust Python's stack.
MAX_DEPTH = 10

# Values quoted in problems are shortened: a problem says what is wrong, not all of it.
_quoted = reprlib.Repr()
_quoted.maxstring = _quoted.maxother = _quoted.maxlong = 40
_quoted.maxlist = _quoted.maxdict = 3
_quoted.maxlevel = 3
shown = _quoted.repr


class DocumentError(ValueError):
    """A document that cannot be used; `problems` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s): " + "; ".join(problems))


@dataclass(frozen=True)
class DocumentKind:
    """One kind of versioned document: its `format`, and what problems with its files call
    it and its numbers."""

    name: str  # "catalogue": "… so it is not a catalogue. Export a catalogue to see the shape."
    format: str  # the document's `format`, which says what kind of document a file holds
    numbers: str  # what its numbers are, for a number too long to read

    def head(self, *, version: int, status: str, note: str) -> dict[str, Any]:
        """The fields that every versioned document starts with."""
        return {"format": self.format, "version": version, "status": status, "note": note}

    @property
    def too_large(self) -> str:
        return f"The file is larger than 2 MB. Check it is a {self.name} export."

    @property
    def too_deep(self) -> str:
        return (
            f"The file nests lists or objects more than {MAX_DEPTH} levels deep, so it is not "
            f"a {self.name}. Export a {self.name} to see the shape."
        )

    def read_json(self, raw: bytes | str) -> Any:
        """The data of a JSON document. Raise DocumentError when it cannot be read: not
        UTF-8, not JSON, nested too deep, or a number too long for Python to read (more
        than 4,300 digits)."""
        try:
            text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError as error:
            raise DocumentError(
                [f"The file is not text in UTF-8. Save it as UTF-8, or export a {self.name} again."]
            ) from error
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise DocumentError(
                [
                    f"The file is not valid JSON ({error.msg}, line {error.lineno}, column "
                    f"{error.colno}). Export a {self.name} to see the shape."
                ]
            ) from error
        except RecursionError as error:
            raise DocumentError([self.too_deep]) from error
        except ValueError as error:  # the integer digit limit; JSONDecodeError is caught above
            raise DocumentError(
                [
                    "The file holds a number of more than 4,300 digits. Numbers in a "
                    f"{self.name} are {self.numbers} of a few digits: correct the number."
                ]
            ) from error
        if _deeper_than(data, MAX_DEPTH):
            raise DocumentError([self.too_deep])
        return data


class DocumentReader:
    """Collects every problem while reading a document, instead of stopping at the first.
    Each kind of document adds the readers of its own fields."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def unknown_fields(self, keys: Iterable[str], allowed: frozenset[str], where: str) -> None:
        # An unknown key is usually a typo, or (in YAML) text with an unquoted colon or comma.
        for key in sorted(keys):
            self.problem(
                where, f"unknown field {shown(key)}; the fields are {', '.join(sorted(allowed))}."
            )

    def given_text(self, value: Any, key: str, where: str, *, required: bool) -> str | None:
        """`value` when it is text that is not empty; otherwise None, with a problem when a
        required value is missing or a value is not text."""
        if value is None or value == "":
            if required:
                self.problem(where, f"'{key}' is missing. Add it as text.")
            return None
        if not isinstance(value, str):
            self.problem(where, f"'{key}' must be text, not {shown(value)}.")
            return None
        return value


def json_number(value: Decimal) -> int | float:
    """A stored decimal as a JSON number, a whole one without a point."""
    # Stored numbers have at most four decimal places and twelve digits, which a float
    # holds exactly enough for str() to give the same digits back.
    normalised = value.normalize()
    return int(normalised) if normalised == normalised.to_integral() else float(normalised)


def _deeper_than(data: Any, depth: int) -> bool:
    """Whether lists and objects nest more than `depth` levels, found level by level
    rather than by recursion."""
    level = [data]
    for _ in range(depth):
        level = [
            child
            for item in level
            if isinstance(item, list | dict)
            for child in (item.values() if isinstance(item, dict) else item)
        ]
    return any(isinstance(item, list | dict) for item in level)
