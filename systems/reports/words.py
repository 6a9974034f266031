"""Small turns of phrase the system paper's parts share."""

from __future__ import annotations

from collections.abc import Sequence


def counted(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def listed(names: Sequence[str]) -> str:
    """Names joined as a sentence reads them: "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def lower_first(name: str) -> str:
    """A form's name inside a sentence: "Management contract" reads "management contract";
    a name that opens with an abbreviation keeps it."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]
