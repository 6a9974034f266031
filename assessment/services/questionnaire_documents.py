"""Questionnaire documents: one questionnaire version as JSON, for export and import.

A document has the seed file's shape (`seed/questionnaire-v1.yaml`): the title, the verdict
question, the domains, and the questions with every field the seed gives them, who answers
each (`answered_by`) and what the board can change (`changeable`) among them, and the codes
of earlier questions the version withdrew (`removed_codes`); plus `format`, `version`,
`status` and `note`, as the catalogue's documents have. The admin's export and import, the
`questionnaire_export`/`questionnaire_import` commands and the loading of a new edition from
its seed file (`questionnaire_edition_load`) all use it.

Reading a document checks all of it and reports every problem at once, each with where it
is and how to fix it. This module checks the shape, and the stored fields' limits with the
models' own field validation and `clean()` rules, as the admin applies them. The seed loader
builds the questionnaire and the engine's checks judge it, as they judge the seed file and
every draft that is published. An import writes nothing unless there is no problem, and it
always makes a new draft: published and retired versions are never touched.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from assessment import selectors
from assessment.models import (
    Band,
    Domain,
    Option,
    Question,
    QuestionnaireVersion,
    removed_codes_problems,
)
from assessment.scoring import definitions as d
from assessment.scoring.checks import DefinitionError
from assessment.scoring.seed import questionnaire_from_seed
from assessment.services.questionnaires import (
    SEED_DIR,
    questionnaire_create,
    questionnaire_publish,
)
from models_catalogue.documents import DOCUMENT_FORMAT as CATALOGUE_FORMAT
from models_catalogue.versioned_documents import (
    DocumentError,
    DocumentKind,
    DocumentReader,
    json_number,
    shown,
)
from models_catalogue.versioning import VersionStatus, next_version_number, refuse_second_draft

DOCUMENT_FORMAT = "assess-your-trust-questionnaire"
# Far beyond any questionnaire (version 1 has 8 domains, 42 questions and at most six
# options to a question), but few enough that an import stays quick and every position
# fits its column.
MAX_DOMAINS = 100
MAX_QUESTIONS = 1000
MAX_ITEMS = 100  # options, bands and kinds of trust of one question

QUESTIONNAIRE = DocumentKind(
    name="questionnaire", format=DOCUMENT_FORMAT, numbers="weights, bounds and levels"
)

NOT_AN_OBJECT = (
    "The file must hold one object with the questionnaire's 'title', 'verdict_question', "
    "'domains' and 'questions'. Export a questionnaire to see the shape."
)
ANOTHER_DRAFT = (
    "Another draft of the questionnaire was made while this file was being imported, so "
    "nothing was imported. Publish or delete that draft, then import the file again."
)

OPTION_KINDS = (d.CHOICE, d.PROFILE)
# The fields that only some kinds of question carry; the others are read for every kind.
KIND_FIELDS = {
    "options": OPTION_KINDS,
    "yes": (d.YESNO,),
    "no": (d.YESNO,),
    "bands": (d.NUMBER,),
    "anchors": (d.SCALE,),
    "critical": (d.NUMBER, d.SCALE, d.CHOICE),
}
DOCUMENT_KEYS = frozenset(
    {
        "format",
        "version",
        "status",
        "note",
        "title",
        "verdict_question",
        "removed_codes",
        "domains",
        "questions",
    }
)
DOMAIN_KEYS = frozenset({"code", "name", "weight", "scored"})
QUESTION_KEYS = frozenset(
    {
        "code",
        "domain",
        "kind",
        "weight",
        "answered_by",
        "changeable",
        "text",
        "unit",
        "min",
        "max",
        "allow_na",
        "applies_to",
        "guidance",
        "basis",
        *KIND_FIELDS,
    }
)
OPTION_KEYS = frozenset({"value", "label", "level", "critical"})
ANSWER_KEYS = frozenset({"label", "level", "critical"})
BAND_KEYS = frozenset({"min", "max", "level"})
CRITICAL_KEYS = frozenset({"rule", "below", "above", "level"})
CAP_RULES = tuple(d.CAP_RULES)
ANCHOR_LEVELS = tuple(str(level) for level in d.LEVELS)


@dataclass(frozen=True)
class QuestionnaireDocument:
    """A checked document: the questionnaire as the engine reads it, the version's note, and
    the codes of earlier questions it withdrew."""

    definition: d.Questionnaire
    note: str
    removed_codes: tuple[str, ...] = ()


# --------------------------------------------------------------------------- services


def questionnaire_export(*, version: QuestionnaireVersion) -> dict[str, Any]:
    """The version as a document: the seed's shape, plus its status and note."""
    definition = selectors.questionnaire_definition(version)
    return questionnaire_to_document(
        definition,
        note=version.note,
        status=version.status,
        removed_codes=version.removed_codes,
    )


@transaction.atomic
def questionnaire_edition_load(
    *,
    number: int,
    user: Any = None,
    publish_catalogue: Callable[[d.Questionnaire], object] | None = None,
) -> QuestionnaireVersion | None:
    """Publish edition `number` of the questionnaire from `seed/questionnaire-v{number}.yaml`
    the way an admin would: import the file as a draft, check it, and publish it.

    Publishing retires the version it replaces, which is kept unchanged for the assessments
    pinned to it. Returns None, changing nothing, when a version `number` exists already.
    Raises DocumentError for a file with problems and PublishRefused (a ValidationError)
    for a draft that fails the checks of publishing; nothing is written in either case.

    Publishing checks the draft against the published catalogue, as the admin does, and an
    edition that drops questions the catalogue weighs fails it. `publish_catalogue` is then
    the step that publishes the catalogue edition made for this one: it is given the checked
    draft's definition and runs, in the same transaction, just before the draft is published.
    """
    if QuestionnaireVersion.objects.filter(number=number).exists():
        return None
    expected = next_version_number(QuestionnaireVersion)
    if number != expected:
        raise ValidationError(
            f"Questionnaire version {number} cannot be loaded: the next version is number "
            f"{expected}. Load the editions in order."
        )
    path = SEED_DIR / f"questionnaire-v{number}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, Mapping) or data.get("version") != number:
        found = data.get("version") if isinstance(data, Mapping) else None
        raise ValidationError(f"{path.name} holds version {found!r}, not version {number}.")
    # The seed file has the document's shape; through JSON it is exactly what the admin's
    # import reads from an uploaded file (anchor levels as text, for one).
    document = questionnaire_from_json(json.dumps(data, ensure_ascii=False))
    draft = questionnaire_import(document=document, user=user)
    if publish_catalogue is not None:
        publish_catalogue(selectors.questionnaire_definition(draft))
    return questionnaire_publish(version=draft, user=user)


@transaction.atomic
def questionnaire_import(*, document: Any, user: Any = None) -> QuestionnaireVersion:
    """A new draft from a document, checked whole and stored whole.

    Raises DocumentError listing every problem, or ValidationError when a draft exists
    already; nothing is written unless there is no problem.
    """
    refuse_second_draft(QuestionnaireVersion)
    number = next_version_number(QuestionnaireVersion)
    checked = questionnaire_from_document(document, version=number)
    try:
        with transaction.atomic():
            version = questionnaire_create(
                definition=checked.definition,
                number=number,
                status=VersionStatus.DRAFT,
                user=user,
                removed_codes=checked.removed_codes,
            )
    except IntegrityError as error:  # a draft made between the check above and now
        raise ValidationError(ANOTHER_DRAFT) from error
    if checked.note:
        version.note = checked.note
        version.save(update_fields=["note"])
    return version


# --------------------------------------------------------------------------- writing


def questionnaire_to_document(
    definition: d.Questionnaire,
    *,
    note: str = "",
    status: str = "",
    removed_codes: Sequence[str] = (),
) -> dict[str, Any]:
    """The document for a questionnaire, domains and questions in display order."""
    return {
        **QUESTIONNAIRE.head(version=definition.version, status=status, note=note),
        "title": definition.title,
        "verdict_question": definition.verdict_question,
        "removed_codes": list(removed_codes),
        "domains": [
            {
                "code": domain.code,
                "name": domain.name,
                "weight": json_number(domain.weight),
                "scored": domain.scored,
            }
            for domain in definition.domains
        ],
        "questions": [_question_to_document(question) for question in definition.questions],
    }


def _question_to_document(question: d.Question) -> dict[str, Any]:
    """A question with the fields of its kind, and any other field that holds a value, so
    that nothing stored is left out."""
    kind = question.kind
    entry: dict[str, Any] = {
        "code": question.code,
        "domain": question.domain,
        "kind": kind,
        "weight": json_number(question.weight),
        "answered_by": question.answered_by,
        "changeable": question.changeable,
        "text": question.text,
    }
    values = {option.value for option in question.options}
    if kind == d.YESNO and values <= {"yes", "no"}:
        entry.update({option.value: _answer_to_document(option) for option in question.options})
    elif kind in OPTION_KINDS or question.options:
        entry["options"] = [
            _option_to_document(option, profile=kind == d.PROFILE) for option in question.options
        ]
    if kind == d.NUMBER or question.unit:
        entry["unit"] = question.unit
    for key, bound in (("min", question.minimum), ("max", question.maximum)):
        if kind == d.NUMBER or bound is not None:
            entry[key] = None if bound is None else json_number(bound)
    if kind == d.NUMBER or question.bands:
        entry["bands"] = [
            {
                **({} if band.minimum is None else {"min": json_number(band.minimum)}),
                **({} if band.maximum is None else {"max": json_number(band.maximum)}),
                "level": band.level,
            }
            for band in question.bands
        ]
    if kind == d.SCALE or question.anchors:
        entry["anchors"] = {
            str(level): text for level, text in enumerate(question.anchors, start=1)
        }
    if question.critical is not None:
        trigger = question.critical
        entry["critical"] = {
            "rule": trigger.rule,
            **({} if trigger.below is None else {"below": json_number(trigger.below)}),
            **({} if trigger.above is None else {"above": json_number(trigger.above)}),
            **({} if trigger.level is None else {"level": trigger.level}),
        }
    entry["allow_na"] = question.allow_na
    entry["applies_to"] = list(question.applies_to)
    entry["guidance"] = question.guidance
    entry["basis"] = question.basis
    return entry


def _level_to_document(level: int | None) -> int | str:
    return "na" if level is None else level


def _option_to_document(option: d.Option, *, profile: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"value": option.value, "label": option.label}
    if option.level is not None or not profile:  # profile options carry no level
        entry["level"] = _level_to_document(option.level)
    if option.critical:
        entry["critical"] = option.critical
    return entry


def _answer_to_document(option: d.Option) -> dict[str, Any]:
    entry: dict[str, Any] = {"label": option.label, "level": _level_to_document(option.level)}
    if option.critical:
        entry["critical"] = option.critical
    return entry


# --------------------------------------------------------------------------- reading


def questionnaire_from_json(raw: bytes | str) -> Any:
    """The data of a JSON document, for `questionnaire_from_document`; see
    `DocumentKind.read_json` for the files it refuses."""
    return QUESTIONNAIRE.read_json(raw)


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    return model._meta.get_field(name)  # type: ignore[return-value]


def _word(value: Any) -> Any:
    """YAML reads a bare yes or no as a boolean; a document means the word."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


class _Reader(DocumentReader):
    """Each reading method returns a usable value even when it reports a problem (the
    `fallback`), so that the engine's checks that follow add only problems not reported
    already."""

    def known_keys(self, data: Mapping[Any, Any], allowed: frozenset[str], where: str) -> None:
        self.unknown_fields({str(_word(key)) for key in data} - allowed, allowed, where)

    def _field_problems(
        self, field: models.Field[Any, Any], value: Any, key: str, where: str
    ) -> bool:
        """The model field's own validation (length, digits, bounds, pattern), as the
        admin applies it. True when the value passes."""
        try:
            field.clean(value, None)
        except ValidationError as error:
            for message in error.messages:
                self.problem(where, f"'{key}': {message}")
            return False
        return True

    def text(
        self,
        data: Mapping[str, Any],
        key: str,
        where: str,
        *,
        field: models.Field[Any, Any] | None = None,
        required: bool = True,
        keep: bool = False,
    ) -> str:
        """Text, stripped. `keep` returns text that fails the field's validation as it is
        (a code, so that references to it still match)."""
        value = data.get(key)
        text = self.given_text(
            value.strip() if isinstance(value, str) else value, key, where, required=required
        )
        if text is None:
            return ""
        if field is not None and not self._field_problems(field, text, key, where):
            return text if keep else ""
        return text

    def choice(
        self, data: Mapping[str, Any], key: str, allowed: tuple[str, ...], where: str
    ) -> str | None:
        """One of `allowed`, or None when it is missing or not one of them."""
        value = data.get(key)
        if value is None:
            return None
        if value not in allowed:
            self.problem(where, f"'{key}' must be one of {', '.join(allowed)}, not {shown(value)}.")
            return None
        return str(value)

    def flag(self, data: Mapping[str, Any], key: str, where: str, *, default: bool) -> bool:
        value = data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(where, f"'{key}' must be true or false, not {shown(value)}.")
            return default
        return value

    def number(
        self,
        value: Any,
        key: str,
        where: str,
        *,
        field: models.Field[Any, Any],
        fallback: Decimal | None = None,
    ) -> Decimal | None:
        """A number within the stored field's digits and bounds; None when it is absent."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            self.problem(where, f"'{key}' must be a number, not {shown(value)}.")
            return fallback
        try:
            # repr() of a float is its shortest round-tripping form: 0.2, not 0.2000…111.
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
        except (InvalidOperation, ValueError):
            self.problem(where, f"'{key}' must be a number, not {shown(value)}.")
            return fallback
        if not number.is_finite():
            self.problem(where, f"'{key}' must be a finite number, not {shown(value)}.")
            return fallback
        if not self._field_problems(field, number, key, where):
            return fallback
        return number

    def level(self, value: Any, key: str, where: str, *, na: bool, fallback: int | None) -> Any:
        """A level 1 to 4 (or, where `na`, "na" or nothing for not applicable)."""
        if na and value in (None, "na"):
            return "na"
        if isinstance(value, bool) or not isinstance(value, int) or value not in d.LEVELS:
            allowed = "1, 2, 3 or 4, or 'na' for not applicable" if na else "1, 2, 3 or 4"
            self.problem(where, f"'{key}' must be {allowed}, not {shown(value)}.")
            return fallback
        return value

    def items(self, data: Mapping[str, Any], key: str, where: str, *, limit: int) -> list[Any]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(where, f"'{key}' must be a list.")
            return []
        if len(value) > limit:
            self.problem(
                where,
                f"'{key}' has {len(value):,} entries; at most {limit:,} are allowed. "
                f"The first {limit:,} are checked.",
            )
            return value[:limit]
        return value

    def mapping(self, item: Any, where: str, what: str) -> Mapping[Any, Any] | None:
        if isinstance(item, Mapping):
            return item
        self.problem(where, f"must be an object with {what}, not {shown(item)}.")
        return None


def questionnaire_from_document(data: Any, *, version: int = 0) -> QuestionnaireDocument:
    """Read and check a whole document; raise DocumentError listing every problem."""
    if not isinstance(data, Mapping):
        raise DocumentError([NOT_AN_OBJECT])
    reader = _Reader()
    where = "The questionnaire"
    reader.known_keys(data, DOCUMENT_KEYS, where)
    document_format = data.get("format")
    if document_format == CATALOGUE_FORMAT:
        reader.problem(
            where,
            "this is a catalogue of organisational forms, not a questionnaire. Import it "
            "under Catalogue versions, or choose a questionnaire file.",
        )
    elif document_format is not None and document_format != DOCUMENT_FORMAT:
        reader.problem(where, f"'format' must be {DOCUMENT_FORMAT}, not {shown(document_format)}.")
    title = reader.text(
        data, "title", where, field=_field(QuestionnaireVersion, "title"), required=True
    )
    verdict_question = reader.text(data, "verdict_question", where)
    note = reader.text(data, "note", where, required=False)
    removed_codes = _read_removed_codes(reader, data, where)
    domains = []
    for index, item in enumerate(_entries(reader, data, "domains", where, MAX_DOMAINS), 1):
        domain = _read_domain(reader, item, _where("Domain", index, item))
        if domain is not None:
            domains.append(domain)
    questions = []
    for index, item in enumerate(_entries(reader, data, "questions", where, MAX_QUESTIONS), 1):
        question = _read_question(
            reader,
            item,
            _where("Question", index, item),
            domain=domains[0]["code"] if domains else "",
        )
        if question is not None:
            questions.append(question)
    seed = {
        "version": version,
        "title": title,
        "verdict_question": verdict_question,
        "domains": domains,
        "questions": questions,
    }
    problems = reader.problems
    if not domains:
        # Without domains every question would be reported as in an unknown domain.
        raise DocumentError(problems)
    try:
        definition = questionnaire_from_seed(seed)
    except DefinitionError as error:
        # Invalid values were replaced by valid ones while reading, so the engine's checks
        # add only problems that have not been reported yet.
        raise DocumentError(
            problems + [problem for problem in error.problems if problem not in problems]
        ) from error
    kept = sorted(set(removed_codes) & {question.code for question in definition.questions})
    if kept:
        reader.problem(
            where,
            f"'removed_codes' lists {', '.join(kept)}, which "
            f"{'is a question' if len(kept) == 1 else 'are questions'} of this questionnaire. "
            "A code is either asked or removed: take it out of 'removed_codes', or remove "
            "the question.",
        )
    if problems:
        raise DocumentError(problems)
    return QuestionnaireDocument(definition=definition, note=note, removed_codes=removed_codes)


def _read_removed_codes(reader: _Reader, data: Mapping[str, Any], where: str) -> tuple[str, ...]:
    """The codes of earlier versions' questions that this version withdrew."""
    value = data.get("removed_codes")
    if value is None:
        return ()
    problems = removed_codes_problems(value)
    for problem in problems:
        reader.problem(where, f"'removed_codes': {problem}")
    if problems:
        return ()
    return tuple(value)


def _entries(
    reader: _Reader, data: Mapping[str, Any], key: str, where: str, limit: int
) -> list[Any]:
    if data.get(key) is None:
        reader.problem(where, f"'{key}' is missing. Add the list of {key}.")
        return []
    if data[key] == []:
        reader.problem(where, f"'{key}' must be a list of at least one {key[:-1]}.")
    return reader.items(data, key, where, limit=limit)


def _where(what: str, index: int, item: Any) -> str:
    code = item.get("code") if isinstance(item, Mapping) else None
    return f"{what} {index} ({code})" if isinstance(code, str) and code else f"{what} {index}"


def _read_domain(reader: _Reader, item: Any, where: str) -> dict[str, Any] | None:
    data = reader.mapping(item, where, "the domain's code, name, weight and whether it is scored")
    if data is None:
        return None
    start = len(reader.problems)
    reader.known_keys(data, DOMAIN_KEYS, where)
    code = reader.text(data, "code", where, field=_field(Domain, "code"), keep=True)
    name = reader.text(data, "name", where, field=_field(Domain, "name"))
    scored = reader.flag(data, "scored", where, default=True)
    weight = reader.number(
        data.get("weight"),
        "weight",
        where,
        field=_field(Domain, "weight"),
        fallback=Decimal(1 if scored else 0),
    )
    if weight is None:  # the seed loader's default
        weight = Decimal(0)
    if len(reader.problems) == start:
        _clean(reader, Domain(code=code, name=name, weight=weight, scored=scored), where)
    return {"code": code or where, "name": name, "weight": weight, "scored": scored}


def _read_question(reader: _Reader, item: Any, where: str, *, domain: str) -> dict[str, Any] | None:
    """The question as the seed loader reads it, or None when its kind is unknown (nothing
    else about it can be judged). `domain` stands in for a missing or invalid domain."""
    mapping = reader.mapping(item, where, "the question's fields")
    if mapping is None:
        return None
    data = {_word(key): value for key, value in mapping.items()}
    start = len(reader.problems)
    reader.known_keys(data, QUESTION_KEYS, where)
    if "kind" not in data:
        reader.problem(where, f"'kind' is missing. Add one of {', '.join(d.KINDS)}.")
    kind = reader.choice(data, "kind", d.KINDS, where)
    entry: dict[str, Any] = {
        "code": reader.text(data, "code", where, field=_field(Question, "code"), keep=True)
        or where,
        "domain": reader.text(data, "domain", where) or domain,
        "kind": kind,
        "text": reader.text(data, "text", where),
        "guidance": reader.text(data, "guidance", where, required=False),
        "basis": reader.text(data, "basis", where, required=False),
        "unit": reader.text(data, "unit", where, field=_field(Question, "unit"), required=False),
        "allow_na": reader.flag(data, "allow_na", where, default=False),
    }
    for key, allowed in (("answered_by", d.ANSWERED_BY), ("changeable", d.CHANGEABLE)):
        value = reader.choice(data, key, allowed, where)
        if value is not None:  # otherwise the seed loader's default, as for the seed file
            entry[key] = value
    weight = reader.number(data.get("weight"), "weight", where, field=_field(Question, "weight"))
    if weight is not None:
        entry["weight"] = weight
    for key, name in (("min", "minimum"), ("max", "maximum")):
        bound = reader.number(
            data.get(key), key, where, field=_field(Question, name), fallback=Decimal(0)
        )
        if bound is not None:
            entry[key] = bound
    entry["applies_to"] = _read_applies_to(reader, data, where)
    if kind is None:
        return None
    for key, kinds in KIND_FIELDS.items():
        if data.get(key) not in (None, [], {}) and kind not in kinds:
            reader.problem(
                where,
                f"'{key}' is for {' or '.join(kinds)} questions, and this is a {kind} "
                "question. Remove it, or change 'kind'.",
            )
    if kind in OPTION_KINDS:
        options = reader.items(data, "options", where, limit=MAX_ITEMS)
        entry["options"] = [
            option
            for n, item in enumerate(options, start=1)
            if (option := _read_option(reader, item, f"{where}, option {n}", kind)) is not None
        ]
    elif kind == d.YESNO:
        for answer in ("yes", "no"):
            if answer in data:
                entry[answer] = _read_answer(reader, data[answer], f"{where}, answer '{answer}'")
    elif kind == d.NUMBER:
        entry["bands"] = [
            _read_band(reader, band, f"{where}, band {n}")
            for n, band in enumerate(reader.items(data, "bands", where, limit=MAX_ITEMS), 1)
        ]
    elif kind == d.SCALE:
        entry["anchors"] = _read_anchors(reader, data.get("anchors"), where)
    if kind in (d.NUMBER, d.SCALE) and data.get("critical") is not None:
        critical = _read_critical(reader, data["critical"], f"{where}, 'critical'")
        if critical is not None:
            entry["critical"] = critical
    elif kind == d.CHOICE and data.get("critical") is not None:
        _critical_options(reader, data["critical"], entry["options"], f"{where}, 'critical'")
    if len(reader.problems) == start:
        _clean(reader, _question_row(entry), where)
    return entry


def _read_applies_to(reader: _Reader, data: Mapping[str, Any], where: str) -> list[str]:
    values = []
    for value in reader.items(data, "applies_to", where, limit=MAX_ITEMS):
        value = _word(value)
        if isinstance(value, str) and value:
            values.append(value)
        else:
            reader.problem(
                where,
                f"'applies_to' must list the profile answers it applies to, as text, not "
                f"{shown(value)}.",
            )
    return values


def _read_option(reader: _Reader, item: Any, where: str, kind: str) -> dict[str, Any] | None:
    mapping = reader.mapping(item, where, "'value' and 'label'")
    if mapping is None:
        return None
    data = {**mapping, "value": _word(mapping.get("value"))}
    reader.known_keys(data, OPTION_KEYS, where)
    option: dict[str, Any] = {
        "value": reader.text(data, "value", where, field=_field(Option, "value"), keep=True)
        or where,
        "label": reader.text(data, "label", where),
    }
    if kind != d.PROFILE:
        option["level"] = reader.level(data.get("level"), "level", where, na=True, fallback=1)
        option["critical"] = reader.choice(data, "critical", CAP_RULES, where)
    elif data.get("level") not in (None, "na") or data.get("critical") is not None:
        reader.problem(
            where,
            "a profile question describes the trust and is not scored, so its options carry "
            "no 'level' or 'critical'. Remove them.",
        )
    return option


def _read_answer(reader: _Reader, item: Any, where: str) -> dict[str, Any]:
    """One answer of a yes/no question: its level, and its label and critical rule."""
    data = reader.mapping(item, where, "the answer's 'level'") or {}
    reader.known_keys(data, ANSWER_KEYS, where)
    answer: dict[str, Any] = {
        "level": reader.level(data.get("level"), "level", where, na=True, fallback=1),
        "critical": reader.choice(data, "critical", CAP_RULES, where),
    }
    label = reader.text(data, "label", where, required=False)
    if label:
        answer["label"] = label
    return answer


def _read_band(reader: _Reader, item: Any, where: str) -> dict[str, Any]:
    data = reader.mapping(item, where, "its 'level' and any 'min' and 'max'") or {}
    reader.known_keys(data, BAND_KEYS, where)
    band: dict[str, Any] = {
        "level": reader.level(data.get("level"), "level", where, na=False, fallback=1)
    }
    for key, name in (("min", "minimum"), ("max", "maximum")):
        bound = reader.number(
            data.get(key), key, where, field=_field(Band, name), fallback=Decimal(0)
        )
        if bound is not None:
            band[key] = bound
    return band


def _read_anchors(reader: _Reader, value: Any, where: str) -> dict[int, str]:
    """The texts of levels 1 to 4, keyed by level."""
    blank = {level: "" for level in d.LEVELS}
    if not isinstance(value, Mapping) or sorted(str(key) for key in value) != list(ANCHOR_LEVELS):
        reader.problem(
            where,
            "'anchors' must be an object with the text of each level 1 to 4, like "
            '{"1": "…", "2": "…", "3": "…", "4": "…"}.',
        )
        return blank
    anchors = {}
    for key, text in value.items():
        level = int(str(key))
        if not isinstance(text, str) or not text.strip():
            reader.problem(where, f"anchor {level} must be the level's text, not {shown(text)}.")
        anchors[level] = text.strip() if isinstance(text, str) else ""
    return anchors


def _read_critical(reader: _Reader, item: Any, where: str) -> dict[str, Any] | None:
    data = reader.mapping(item, where, "its 'rule' and 'below', 'above' or 'level'")
    if data is None:
        return None
    reader.known_keys(data, CRITICAL_KEYS, where)
    if data.get("rule") is None:
        reader.problem(where, f"'rule' is missing. Add one of {', '.join(CAP_RULES)}.")
    rule = reader.choice(data, "rule", CAP_RULES, where)
    critical: dict[str, Any] = {"rule": rule or CAP_RULES[0]}
    for key in ("below", "above"):
        value = reader.number(
            data.get(key),
            key,
            where,
            field=_field(Question, f"critical_{key}"),
            fallback=Decimal(0),
        )
        if value is not None:
            critical[key] = value
    if data.get("level") is not None:
        critical["level"] = reader.level(data["level"], "level", where, na=False, fallback=1)
    return critical


def _critical_options(
    reader: _Reader, item: Any, options: list[dict[str, Any]], where: str
) -> None:
    """A choice question's `critical: {level, rule}` marks each of its options at that level
    (the seed's shorthand); it is stored, and exported, as those options' own rule."""
    critical = _read_critical(reader, item, where)
    if critical is None:
        return
    if "below" in critical or "above" in critical or "level" not in critical:
        reader.problem(
            where,
            "a choice question's 'critical' names the 'level' whose options are critical, "
            "with no 'below' or 'above'. Or give the options their own 'critical'.",
        )
        return
    marked = [option for option in options if option.get("level") == critical["level"]]
    if not marked:
        reader.problem(where, f"no option has level {critical['level']}.")
    for option in marked:
        if option.get("critical") not in (None, critical["rule"]):
            reader.problem(
                where,
                f"option {option['value']} has its own critical rule, "
                f"{option['critical']}. Give it one rule.",
            )
        option["critical"] = critical["rule"]


def _question_row(entry: dict[str, Any]) -> Question:
    """An unsaved question with the fields its `clean()` reads, stored as
    `questionnaire_create` stores them."""
    critical = entry.get("critical") or {}
    return Question(
        kind=entry["kind"],
        minimum=entry.get("min"),
        maximum=entry.get("max"),
        critical_rule=critical.get("rule", "") if entry["kind"] == d.NUMBER else "",
        critical_below=critical.get("below") if entry["kind"] == d.NUMBER else None,
        critical_above=critical.get("above") if entry["kind"] == d.NUMBER else None,
        applies_to=entry["applies_to"],
    )


# The document's names for the fields that the models' clean() names.
DOCUMENT_NAMES = {
    "minimum": "min",
    "maximum": "max",
    "critical_rule": "critical",
    "critical_below": "critical",
    "critical_above": "critical",
}


def _clean(reader: _Reader, row: models.Model, where: str) -> None:
    """The model's own cross-field rules, as the admin applies them."""
    try:
        row.clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            key = DOCUMENT_NAMES.get(name, name)
            for message in messages:
                reader.problem(where, message if name == "__all__" else f"'{key}': {message}")
