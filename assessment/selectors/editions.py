"""What changed from one edition of the questionnaire and catalogue to the next, and why:
the edition's change note, held as data in assessment/seed/changes-v<N>.yaml.

Read by the "what changed" page and by starting a new assessment from one on an earlier
edition, which lists each question it could not carry forward with the reason from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SEED = Path(__file__).resolve().parent.parent / "seed"


@dataclass(frozen=True)
class QuestionChange:
    codes: tuple[str, ...]
    label: str
    status: str  # kept, kept (reworded), new (...), removed
    why: str
    sources: tuple[str, ...]

    @property
    def removed(self) -> bool:
        return self.status.startswith("removed")

    @property
    def new(self) -> bool:
        return self.status.startswith("new")


@dataclass(frozen=True)
class FormChange:
    slug: str
    status: str
    why: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class EditionChanges:
    edition: int
    title: str
    summary: tuple[str, ...]
    domains: tuple[dict[str, str], ...]
    questions: tuple[QuestionChange, ...]
    critical: tuple[str, ...]
    catalogue_common: tuple[str, ...]
    forms: tuple[FormChange, ...]
    not_added: tuple[str, ...]
    corrections: tuple[str, ...]
    adjustments: tuple[str, ...]
    not_verified: tuple[str, ...]
    sources: tuple[tuple[str, str], ...]  # (S1, the source), in order

    def question(self, code: str) -> QuestionChange | None:
        for change in self.questions:
            if code in change.codes:
                return change
        return None

    def removed_reason(self, code: str) -> str:
        """Why the edition removed a question, or an empty string if it did not."""
        change = self.question(code)
        return change.why if change is not None and change.removed else ""


def _strings(data: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(str(item) for item in data.get(key) or ())


@cache
def edition_changes(edition: int) -> EditionChanges | None:
    """The change note of `edition`, or None when the edition has none (version 1)."""
    path = SEED / f"changes-v{edition}.yaml"
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return EditionChanges(
        edition=int(data["edition"]),
        title=str(data["title"]),
        summary=_strings(data, "summary"),
        domains=tuple(dict(row) for row in data.get("domains") or ()),
        questions=tuple(
            QuestionChange(
                codes=tuple(row["codes"]),
                label=row["label"],
                status=row["status"],
                why=row["why"],
                sources=tuple(row.get("sources") or ()),
            )
            for row in data["questions"]
        ),
        critical=_strings(data, "critical"),
        catalogue_common=_strings(data, "catalogue_common"),
        forms=tuple(
            FormChange(
                slug=row["slug"],
                status=row["status"],
                why=row["why"],
                sources=tuple(row.get("sources") or ()),
            )
            for row in data["forms"]
        ),
        not_added=_strings(data, "not_added"),
        corrections=_strings(data, "corrections"),
        adjustments=_strings(data, "adjustments"),
        not_verified=_strings(data, "not_verified"),
        sources=tuple((key, str(value)) for key, value in (data.get("sources") or {}).items()),
    )
