"""Catalogue documents: the JSON (or YAML) shape of one catalogue version.

The seed files `seed/catalogue-v1.yaml` and `seed/catalogue-v2.yaml`, the admin's export
and import, and the `catalogue_export`/`catalogue_import` commands all use this one shape:
the seed's fields, plus `method` (the method settings) and `note`. A form's optional
`coefficients` ({need, context, proportion}, adding up to 1) replace the method's in its
fit. Reading a document checks all of it and reports every problem at once, each with where
it is and how to fix it; nothing is built from a document that has a problem.
Cross-references (domain and question codes) are checked against the questionnaire by the
engine's own checks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from assessment.scoring import definitions as d
from assessment.scoring.checks import check_catalogue
from models_catalogue.versioned_documents import (
    DocumentError,
    DocumentKind,
    DocumentReader,
    json_number,
    shown,
)

DOCUMENT_FORMAT = "assess-your-trust-catalogue"
FAMILIES = ("none", "support", "collaboration", "contractual", "consolidation")
ROLES = ("self", "partner", "supported", "lead")
REVERSIBILITY = ("high", "medium", "low")
PREFERS = (d.PREFERS_LOW, d.PREFERS_HIGH)
VERDICT_CODES = tuple(code for code, _ in d.VERDICTS)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
METHOD_FIELDS = tuple(field.name for field in fields(d.MethodSettings) if field.name != "version")
METHOD_BOUND = Decimal(1000)
PREREQUISITE_KEYS = {
    "in": "answer_in",
    "not_in": "answer_not_in",
    "min_level": "min_level",
    "verdict_in": "verdict_in",
    "verdict_not_in": "verdict_not_in",
}


@dataclass(frozen=True)
class CatalogueDocument:
    """A checked document: the forms and method settings, as the engine reads them."""

    catalogue: d.Catalogue
    method: d.MethodSettings
    note: str


CATALOGUE = DocumentKind(name="catalogue", format=DOCUMENT_FORMAT, numbers="weights and settings")


def document_from_json(raw: bytes | str) -> Any:
    """The data of a JSON document, for `catalogue_from_document`; see
    `DocumentKind.read_json` for the files it refuses."""
    return CATALOGUE.read_json(raw)


# --------------------------------------------------------------------------- writing


def catalogue_to_document(
    catalogue: d.Catalogue, method: d.MethodSettings, *, note: str = "", status: str = ""
) -> dict[str, Any]:
    """The document for a catalogue version, forms in display order."""
    return {
        **CATALOGUE.head(version=catalogue.version, status=status, note=note),
        "method": {name: json_number(getattr(method, name)) for name in METHOD_FIELDS},
        "forms": [_form_to_document(form) for form in catalogue.forms],
    }


def _form_to_document(form: d.Form) -> dict[str, Any]:
    # `coefficients` appears only for a form with its own, as in the seed files.
    own = form.coefficients
    coefficients = (
        {}
        if own is None
        else {
            "coefficients": {
                "need": json_number(own.need),
                "context": json_number(own.context),
                "proportion": json_number(own.proportion),
            }
        }
    )
    return {
        "slug": form.slug,
        "name": form.name,
        "family": form.family,
        "role": form.role,
        "integration_level": form.integration_level,
        "intensity": json_number(form.intensity),
        **coefficients,
        "summary": form.summary,
        "suits": form.suits,
        "governance": form.governance,
        "approvals": form.approvals,
        "months": [form.months_min, form.months_max],
        "reversibility": form.reversibility,
        "risks": form.risk_note,
        "sources": list(form.sources),
        "domain_weights": [
            {
                "domain": w.domain,
                "weight": json_number(w.weight),
                "prefers": w.prefers,
                "why": w.why,
            }
            for w in form.domain_weights
        ],
        "context_weights": [
            {
                "question": w.question,
                "weight": json_number(w.weight),
                "prefers": w.prefers,
                "why": w.why,
            }
            for w in form.context_weights
        ],
        "requires": [_prerequisite_to_document(p) for p in form.prerequisites],
        "examples": [
            {
                key: value
                for key, value in (
                    ("name", e.name),
                    ("year", e.year),
                    ("note", e.note),
                    ("source", e.source),
                )
                if value not in (None, "")
            }
            for e in form.examples
        ],
    }


def _prerequisite_to_document(prerequisite: d.Prerequisite) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if prerequisite.question:
        entry["question"] = prerequisite.question
    for key, attribute in PREREQUISITE_KEYS.items():
        value = getattr(prerequisite, attribute)
        if value:
            entry[key] = list(value) if isinstance(value, tuple) else value
    entry["reason"] = prerequisite.reason
    return entry


# --------------------------------------------------------------------------- reading


DOCUMENT_KEYS = frozenset({"format", "version", "status", "note", "method", "forms"})
FORM_KEYS = frozenset(
    {
        "slug",
        "name",
        "family",
        "role",
        "integration_level",
        "intensity",
        "coefficients",
        "summary",
        "suits",
        "governance",
        "approvals",
        "months",
        "reversibility",
        "risks",
        "sources",
        "domain_weights",
        "context_weights",
        "requires",
        "examples",
    }
)
DOMAIN_WEIGHT_KEYS = frozenset({"domain", "weight", "prefers", "why"})
CONTEXT_WEIGHT_KEYS = frozenset({"question", "weight", "prefers", "why"})
PREREQUISITE_FIELDS = frozenset({"question", "reason", *PREREQUISITE_KEYS})
EXAMPLE_KEYS = frozenset({"name", "year", "note", "source"})
COEFFICIENT_KEYS = ("need", "context", "proportion")
# The places a form's own coefficient is stored with (OrganisationalForm).
COEFFICIENT_PLACES = 3


class _Reader(DocumentReader):
    def known_keys(self, data: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
        self.unknown_fields((str(key) for key in set(data) - allowed), allowed, where)

    def text(self, data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = self.given_text(data.get(key), key, where, required=required)
        return "" if value is None else value.strip()

    def choice(
        self, data: Mapping[str, Any], key: str, allowed: tuple[str, ...], where: str
    ) -> str:
        value = data.get(key)
        if isinstance(value, bool):  # YAML reads a bare yes/no as a boolean
            value = "yes" if value else "no"
        if value not in allowed:
            self.problem(where, f"'{key}' must be one of {', '.join(allowed)}, not {shown(value)}.")
            return allowed[0]
        return str(value)

    def decimal(
        self,
        value: Any,
        where: str,
        label: str,
        *,
        low: Decimal | None = None,
        high: Decimal | None = None,
    ) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            self.problem(where, f"{label} must be a number, not {shown(value)}.")
            return Decimal(0)
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.problem(where, f"{label} must be a number, not {shown(value)}.")
            return Decimal(0)
        if not number.is_finite():
            self.problem(where, f"{label} must be a finite number, not {shown(value)}.")
            return Decimal(0)
        if (low is not None and number < low) or (high is not None and number > high):
            self.problem(where, f"{label} must be from {low} to {high}, not {shown(value)}.")
            # Carry on with an in-range value so that later checks report only new problems.
            return low if low is not None else Decimal(0)
        return number

    def integer(self, value: Any, where: str, label: str, *, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(where, f"{label} must be a whole number, not {shown(value)}.")
            return low
        if not low <= value <= high:
            self.problem(where, f"{label} must be from {low} to {high}, not {shown(value)}.")
            return low
        return value

    def items(self, data: Mapping[str, Any], key: str, where: str) -> list[Any]:
        value = data.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(where, f"'{key}' must be a list.")
            return []
        return value

    def strings(self, value: Any, where: str, label: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self.problem(where, f"{label} must be a list of at least one value.")
            return ()
        out = []
        for item in value:
            if isinstance(item, bool):
                item = "yes" if item else "no"
            if not isinstance(item, str) or not item:
                self.problem(where, f"{label} must hold text values, not {shown(item)}.")
                continue
            out.append(item)
        return tuple(out)


def catalogue_from_document(
    data: Any, questionnaire: d.Questionnaire, *, version: int = 0
) -> CatalogueDocument:
    """Read and check a whole document; raise DocumentError listing every problem."""
    reader = _Reader()
    if not isinstance(data, Mapping):
        raise DocumentError(["The file must hold one object with a list of 'forms'."])
    reader.known_keys(data, DOCUMENT_KEYS, "The catalogue")
    forms_data = data.get("forms")
    if not isinstance(forms_data, list) or not forms_data:
        reader.problem("The catalogue", "'forms' must be a list of at least one form.")
        forms_data = []
    forms = []
    for index, form_data in enumerate(forms_data, start=1):
        where = f"Form {index}"
        if not isinstance(form_data, Mapping):
            reader.problem(where, "must be an object with the form's fields.")
            continue
        if isinstance(form_data.get("slug"), str):
            where = f"Form {index} ({form_data['slug']})"
        forms.append(_read_form(reader, form_data, where))
    method = _read_method(reader, data.get("method"))
    note = data.get("note") or ""
    if not isinstance(note, str):
        reader.problem("The catalogue", "'note' must be text.")
        note = ""
    catalogue = d.Catalogue(version=version, forms=tuple(forms))
    # Invalid values were replaced by valid ones while reading, so the engine's checks of
    # domain and question codes add only problems that have not been reported yet.
    reader.problems += [
        problem
        for problem in check_catalogue(catalogue, questionnaire)
        if problem not in reader.problems
    ]
    if reader.problems:
        raise DocumentError(reader.problems)
    assert method is not None
    return CatalogueDocument(catalogue=catalogue, method=method, note=note.strip())


def _read_method(reader: _Reader, data: Any) -> d.MethodSettings | None:
    if data is None:
        return d.MethodSettings()
    if not isinstance(data, Mapping):
        reader.problem("Method settings", "'method' must be an object of settings.")
        return None
    unknown = sorted(set(data) - set(METHOD_FIELDS))
    if unknown:
        known = ", ".join(METHOD_FIELDS)
        reader.problem(
            "Method settings", f"unknown setting(s) {', '.join(unknown)}; the settings are {known}."
        )
    before = len(reader.problems)
    # The engine checks each setting's own range; these bounds only keep out numbers so
    # large that the check itself would overflow.
    values = {
        name: reader.decimal(
            data[name], "Method settings", name, low=-METHOD_BOUND, high=METHOD_BOUND
        )
        for name in METHOD_FIELDS
        if name in data
    }
    if len(reader.problems) > before:
        return None
    try:
        return d.MethodSettings(**values)
    except ValueError as error:
        reader.problem("Method settings", str(error))
        return None


def _read_form(reader: _Reader, data: Mapping[str, Any], where: str) -> d.Form:
    reader.known_keys(data, FORM_KEYS, where)
    slug = reader.text(data, "slug", where)
    if slug and not SLUG.match(slug):
        reader.problem(where, "'slug' must be lower-case letters, digits and hyphens.")
    months = data.get("months")
    months_min = months_max = 0
    if (
        isinstance(months, list)
        and len(months) == 2
        and all(isinstance(m, int) and not isinstance(m, bool) for m in months)
    ):
        months_min, months_max = months
        if not 0 <= months_min <= months_max:
            reader.problem(where, "'months' must be [shortest, longest], shortest first, from 0.")
            months_min = months_max = 0
    else:
        reader.problem(where, "'months' must be two whole numbers, [shortest, longest].")
    sources = data.get("sources") or []
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        reader.problem(where, "'sources' must be a list of texts.")
        sources = []
    domain_weights = tuple(
        _read_domain_weight(reader, item, f"{where}, domain weight {n}")
        for n, item in enumerate(reader.items(data, "domain_weights", where), start=1)
    )
    if not domain_weights:
        reader.problem(where, "needs at least one domain weight.")
    return d.Form(
        slug=slug,
        name=reader.text(data, "name", where),
        family=reader.choice(data, "family", FAMILIES, where),
        role=reader.choice(data, "role", ROLES, where),
        integration_level=reader.integer(
            data.get("integration_level"), where, "'integration_level'", low=0, high=7
        ),
        intensity=reader.decimal(
            data.get("intensity"), where, "'intensity'", low=Decimal(0), high=Decimal(1)
        ),
        summary=reader.text(data, "summary", where),
        suits=reader.text(data, "suits", where),
        governance=reader.text(data, "governance", where),
        approvals=reader.text(data, "approvals", where),
        months_min=months_min,
        months_max=months_max,
        reversibility=reader.choice(data, "reversibility", REVERSIBILITY, where),
        risk_note=reader.text(data, "risks", where, required=False),
        sources=tuple(source.strip() for source in sources),
        domain_weights=domain_weights,
        context_weights=tuple(
            _read_context_weight(reader, item, f"{where}, context weight {n}")
            for n, item in enumerate(reader.items(data, "context_weights", where), start=1)
        ),
        prerequisites=tuple(
            _read_prerequisite(reader, item, f"{where}, prerequisite {n}")
            for n, item in enumerate(reader.items(data, "requires", where), start=1)
        ),
        examples=tuple(
            _read_example(reader, item, f"{where}, example {n}")
            for n, item in enumerate(reader.items(data, "examples", where), start=1)
        ),
        coefficients=_read_coefficients(reader, data.get("coefficients"), where),
    )


def _read_coefficients(reader: _Reader, value: Any, where: str) -> d.FitCoefficients | None:
    """A form's own fit coefficients, or None to use the method's. Whether they add up to 1
    is checked with the rest of the catalogue by the engine, which names the form."""
    if value is None:
        return None
    fix = (
        "give all three, like {need: 0.35, context: 0.45, proportion: 0.2}, or leave "
        "'coefficients' out to use the method's."
    )
    if not isinstance(value, Mapping) or set(value) != set(COEFFICIENT_KEYS):
        reader.problem(where, f"'coefficients' must give need, context and proportion: {fix}")
        return None
    before = len(reader.problems)
    numbers = []
    for key in COEFFICIENT_KEYS:
        number = reader.decimal(
            value[key], where, f"The coefficient '{key}'", low=Decimal(0), high=Decimal(1)
        )
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -COEFFICIENT_PLACES:
            reader.problem(
                where,
                f"the coefficient '{key}' must have at most {COEFFICIENT_PLACES} decimal "
                f"places, not {shown(value[key])}.",
            )
        numbers.append(number)
    if len(reader.problems) > before:
        return None
    need, context, proportion = numbers
    return d.FitCoefficients(need=need, context=context, proportion=proportion)


def _mapping(reader: _Reader, item: Any, where: str) -> Mapping[str, Any]:
    if isinstance(item, Mapping):
        return item
    reader.problem(where, "must be an object.")
    return {}


def _read_domain_weight(reader: _Reader, item: Any, where: str) -> d.DomainWeight:
    data = _mapping(reader, item, where)
    reader.known_keys(data, DOMAIN_WEIGHT_KEYS, where)
    return d.DomainWeight(
        domain=reader.text(data, "domain", where),
        weight=reader.decimal(
            data.get("weight"), where, "'weight'", low=Decimal(0), high=Decimal(1)
        ),
        prefers=reader.choice(data, "prefers", PREFERS, where),
        why=reader.text(data, "why", where),
    )


def _read_context_weight(reader: _Reader, item: Any, where: str) -> d.ContextWeight:
    data = _mapping(reader, item, where)
    reader.known_keys(data, CONTEXT_WEIGHT_KEYS, where)
    return d.ContextWeight(
        question=reader.text(data, "question", where),
        weight=reader.decimal(
            data.get("weight"), where, "'weight'", low=Decimal(0), high=Decimal(1)
        ),
        prefers=reader.choice(data, "prefers", PREFERS, where),
        why=reader.text(data, "why", where),
    )


def _read_prerequisite(reader: _Reader, item: Any, where: str) -> d.Prerequisite:
    data = _mapping(reader, item, where)
    reader.known_keys(data, PREREQUISITE_FIELDS, where)
    conditions = [key for key in PREREQUISITE_KEYS if key in data]
    reason = reader.text(data, "reason", where)
    if len(conditions) != 1:
        reader.problem(
            where, "needs exactly one of in, not_in, min_level, verdict_in or verdict_not_in."
        )
        return d.Prerequisite(reason=reason)
    key = conditions[0]
    question = data.get("question")
    on_verdict = key.startswith("verdict")
    if on_verdict and question:
        reader.problem(where, "a condition on the verdict does not name a question; remove it.")
    if not on_verdict and not isinstance(question, str):
        reader.problem(where, "'question' must name the question the condition is about.")
        question = None
    values: dict[str, Any] = {}
    if key == "min_level":
        values["min_level"] = reader.integer(data[key], where, "'min_level'", low=1, high=4)
    else:
        values[PREREQUISITE_KEYS[key]] = reader.strings(data[key], where, f"'{key}'")
        if on_verdict:
            for code in values[PREREQUISITE_KEYS[key]]:
                if code not in VERDICT_CODES:
                    reader.problem(
                        where, f"{shown(code)} is not a verdict; use {', '.join(VERDICT_CODES)}."
                    )
    return d.Prerequisite(reason=reason, question=None if on_verdict else question, **values)


def _read_example(reader: _Reader, item: Any, where: str) -> d.Example:
    data = _mapping(reader, item, where)
    reader.known_keys(data, EXAMPLE_KEYS, where)
    year = data.get("year")
    if year is not None:
        year = reader.integer(year, where, "'year'", low=1948, high=2100)
    return d.Example(
        name=reader.text(data, "name", where),
        year=year,
        note=reader.text(data, "note", where, required=False),
        source=reader.text(data, "source", where, required=False),
    )
