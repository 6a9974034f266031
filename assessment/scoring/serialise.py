"""A Result to a JSON-safe dict and back, exactly.

Decimals travel as strings ("62.5", never a float), tuples as lists, nested dataclasses
as dicts keyed by field name. Reading is strict: a missing or unknown key, or a value of
the wrong type, raises ValueError rather than quietly producing a different result, so a
snapshot stored years ago either renders exactly as it did or fails loudly.

Format 2 added `to_confirm` to each ranked form. A format 1 snapshot is read with its
ranking exactly as stored (then, forms to confirm were listed after every confirmed form;
see `confirm.listed_after_weaker`) and each form's `to_confirm` rebuilt from the snapshot's
own prerequisite checks and missing evidence, never from today's definitions.

Format 3 added `outside_control` to each changed answer that sensitivity reports. A format
1 or 2 snapshot has none and reads each as False, as it was shown on the day (before format
3 no change was marked); it is not re-run against today's classification of questions.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from .confirm import to_confirm_of
from .result import AnswerChange, Result

FORMAT_VERSION = 3

# Fields a later format added, by class. A snapshot of an earlier format never carries them
# (one that does is refused) and reads each as its default.
Added = Mapping[type, frozenset[str]]
ADDED_IN_FORMAT_3: Added = {AnswerChange: frozenset({"outside_control"})}


def result_to_dict(result: Result) -> dict[str, Any]:
    """The result as a dict of str, int, bool, None, lists and dicts only."""
    data = _encode(result)
    assert isinstance(data, dict)
    return {"format_version": FORMAT_VERSION, **data}


def result_from_dict(data: Mapping[str, Any]) -> Result:
    """The Result that `result_to_dict` was given; raises ValueError if data is not one."""
    fields = dict(data)
    version = fields.pop("format_version", None)
    if version == 1:
        return _from_format_1(fields)
    if version not in (2, FORMAT_VERSION):
        raise ValueError(f"Unknown result format {version!r}; expected {FORMAT_VERSION}.")
    decoded = _decode(Result, fields, "result", ADDED_IN_FORMAT_3 if version == 2 else {})
    assert isinstance(decoded, Result)
    return decoded


def _from_format_1(fields: dict[str, Any]) -> Result:
    """A format 1 result: its ranked forms carry no `to_confirm`, which is rebuilt from the
    snapshot itself. Everything else is read exactly as stored, just as strictly."""
    ranking = fields.get("ranking")
    if isinstance(ranking, list):
        forms = []
        for n, form in enumerate(ranking):
            if isinstance(form, Mapping):
                if "to_confirm" in form:
                    raise ValueError(
                        f"result.ranking[{n}]: unknown keys ['to_confirm'] in format 1."
                    )
                form = {**form, "to_confirm": []}
            forms.append(form)
        fields = {**fields, "ranking": forms}
    decoded = _decode(Result, fields, "result", ADDED_IN_FORMAT_3)
    assert isinstance(decoded, Result)
    return dataclasses.replace(
        decoded,
        ranking=tuple(
            dataclasses.replace(
                form,
                to_confirm=to_confirm_of(form.prerequisites, decoded.missing, decoded.domains),
            )
            for form in decoded.ranking
        ),
    )


def _encode(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: _encode(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | str):
        return value
    raise TypeError(f"Cannot store a {type(value).__name__} in a result.")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(hint: Any, value: object, where: str, added: Added) -> object:
    """The value of type `hint` stored at `where`; `added` names the fields that came after
    the snapshot's format, which it must not carry and which take their defaults."""
    origin = typing.get_origin(hint)
    if origin is types.UnionType or origin is typing.Union:
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        (inner,) = [option for option in options if option is not type(None)]
        return _decode(inner, value, where, added)
    if origin is tuple:
        if not isinstance(value, list):
            raise ValueError(f"{where}: expected a list.")
        (inner, _ellipsis) = typing.get_args(hint)
        return tuple(_decode(inner, item, f"{where}[{n}]", added) for n, item in enumerate(value))
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _decode_dataclass(hint, value, where, added)
    if hint is Decimal:
        if not isinstance(value, str):
            raise ValueError(f"{where}: expected a decimal written as text.")
        try:
            return Decimal(value)
        except InvalidOperation:
            raise ValueError(f"{where}: {value!r} is not a decimal.") from None
    if hint is bool:
        if not isinstance(value, bool):
            raise ValueError(f"{where}: expected true or false.")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{where}: expected a whole number.")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise ValueError(f"{where}: expected text.")
        return value
    raise TypeError(f"{where}: cannot read a value of type {hint!r}.")


def _decode_dataclass(cls: type, value: object, where: str, added: Added) -> object:
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: expected a mapping.")
    hints = _hints(cls)
    absent = added.get(cls, frozenset())
    names = [field.name for field in dataclasses.fields(cls) if field.name not in absent]
    unknown = sorted(set(value) - set(names))
    missing = [name for name in names if name not in value]
    if unknown or missing:
        raise ValueError(f"{where}: unknown keys {unknown}, missing keys {missing}.")
    return cls(
        **{name: _decode(hints[name], value[name], f"{where}.{name}", added) for name in names}
    )
