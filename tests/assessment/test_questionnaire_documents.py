"""A questionnaire version exported as JSON and imported as a new draft: the round trip is
exact, who answers each question and what the board can change travel with it, and a bad
document is refused whole, with every problem and where it is, and nothing written."""

from __future__ import annotations

import copy
import io
import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.models import Band, Domain, Option, Question, QuestionnaireVersion
from assessment.services import questionnaire_documents as documents
from assessment.services import questionnaire_new_draft
from assessment.services.questionnaire_documents import (
    questionnaire_export,
    questionnaire_from_json,
    questionnaire_import,
)
from models_catalogue.versioned_documents import MAX_DEPTH, MAX_DOCUMENT_BYTES, DocumentError
from tests.conftest import verified_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SEED = yaml.safe_load((ROOT / "assessment/seed/questionnaire-v1.yaml").read_text())
VERSIONS = "/admin/assessment/questionnaireversion/"
IMPORT = f"{VERSIONS}import/"


def _content(document: dict[str, Any]) -> dict[str, Any]:
    """A document without what a version's number and status decide."""
    return {key: value for key, value in document.items() if key not in {"version", "status"}}


def _version_1() -> QuestionnaireVersion:
    version: QuestionnaireVersion = QuestionnaireVersion.objects.get(number=1)
    return version


@pytest.fixture
def exported() -> dict[str, Any]:
    # Through JSON, as a file carries it.
    document: dict[str, Any] = json.loads(json.dumps(questionnaire_export(version=_version_1())))
    return document


def _stored() -> tuple[int, ...]:
    """Every row an import writes, and the history it records."""
    models = (QuestionnaireVersion, Domain, Question, Option, Band)
    return tuple(model.objects.count() for model in models) + tuple(
        model.history.count() for model in models
    )


# --------------------------------------------------------------------------- round trip


def test_export_then_import_gives_the_same_document_as_a_new_draft(
    exported: dict[str, Any],
) -> None:
    before = exported
    imported = questionnaire_import(document=copy.deepcopy(exported), user=None)
    assert (imported.number, imported.status) == (2, "draft")
    again = questionnaire_export(version=imported)
    assert (again["version"], again["status"]) == (2, "draft")
    assert (before["version"], before["status"]) == (1, "published")
    assert _content(again) == _content(before)


def test_an_import_leaves_the_published_version_as_it_was(exported: dict[str, Any]) -> None:
    questionnaire_import(document=exported, user=None)
    version_1 = _version_1()
    assert version_1.status == "published"
    assert _content(questionnaire_export(version=version_1)) == _content(exported)


def test_the_seed_file_is_itself_a_document_and_imports_as_version_1_was_loaded(
    exported: dict[str, Any],
) -> None:
    imported = questionnaire_import(document=copy.deepcopy(SEED), user=None)
    assert _content(questionnaire_export(version=imported)) == _content(exported)


def _seed_value(key: str, value: Any) -> Any:
    """A seed field as the export writes it: anchors keyed by text, as JSON keys are."""
    if key == "anchors":
        return {str(level): text.strip() for level, text in value.items()}
    if isinstance(value, str):
        return value.strip()
    return value


def test_the_export_carries_every_field_the_seed_gives_each_question(
    exported: dict[str, Any],
) -> None:
    questions = {question["code"]: question for question in exported["questions"]}
    assert list(questions) == [question["code"] for question in SEED["questions"]]
    for seeded in SEED["questions"]:
        written = questions[seeded["code"]]
        for key, value in seeded.items():
            assert key in written, f"{seeded['code']} lost {key}"
            if key in ("yes", "no"):  # the seed leaves the labels Yes and No unsaid
                assert {"label": key.capitalize(), **value} == written[key]
            else:
                assert written[key] == _seed_value(key, value), (seeded["code"], key)
    assert {d["code"]: d for d in exported["domains"]} == {d["code"]: d for d in SEED["domains"]}
    assert exported["title"] == SEED["title"]
    assert exported["verdict_question"] == SEED["verdict_question"]
    assert exported["format"] == "assess-your-trust-questionnaire"


def test_who_answers_and_what_can_change_travel_with_the_version(exported: dict[str, Any]) -> None:
    """A draft classified differently from version 1 is exported with its classification,
    and imported back with it."""
    draft = questionnaire_new_draft(source=_version_1(), user=None)
    draft.questions.filter(code="QUAL-1").update(answered_by="judgement", changeable="external")
    draft.questions.filter(code="QUAL-5").update(answered_by="figure", changeable="fixed")
    document = questionnaire_export(version=draft)
    draft.delete()
    written = {question["code"]: question for question in document["questions"]}
    assert (written["QUAL-1"]["answered_by"], written["QUAL-1"]["changeable"]) == (
        "judgement",
        "external",
    )
    imported = questionnaire_import(document=json.loads(json.dumps(document)), user=None)
    stored = dict(
        (code, (answered_by, changeable))
        for code, answered_by, changeable in imported.questions.values_list(
            "code", "answered_by", "changeable"
        )
    )
    assert stored["QUAL-1"] == ("judgement", "external")
    assert stored["QUAL-5"] == ("figure", "fixed")
    assert stored["FIN-1"] == ("figure", "lever")  # as version 1 has it


def test_a_question_that_does_not_say_who_answers_it_is_a_judgement_and_a_lever(
    exported: dict[str, Any],
) -> None:
    """As for the seed file: the model's defaults, which method.md section 10 names."""
    for question in exported["questions"]:
        if question["code"] == "QUAL-1":
            del question["answered_by"], question["changeable"]
    imported = questionnaire_import(document=exported, user=None)
    question = imported.questions.get(code="QUAL-1")
    assert (question.answered_by, question.changeable) == ("judgement", "lever")


def test_the_note_is_kept_and_the_version_and_status_in_the_file_are_not(
    exported: dict[str, Any],
) -> None:
    exported.update(version=1, status="published", note="Reworded QUAL-3 after the pilot.")
    imported = questionnaire_import(document=exported, user=UserFactory())
    assert (imported.number, imported.status) == (2, "draft")
    assert imported.note == "Reworded QUAL-3 after the pilot."
    assert imported.created_by is not None


# --------------------------------------------------------------------------- refusals


def _by_code(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {question["code"]: question for question in document["questions"]}


def _broken(exported: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(exported)
    questions = _by_code(data)
    questions["QUAL-1"]["answered_by"] = "robot"
    questions["QUAL-2"]["changeable"] = "sometimes"
    questions["QUAL-3"]["kind"] = "essay"
    questions["QUAL-4"]["min"] = "lots"
    questions["QUAL-4"]["bands"][0]["level"] = 7
    questions["QUAL-5"]["anchors"] = {"1": "Weak", "2": "Fair"}
    questions["FIN-1"]["max"] = None
    questions["FIN-2"]["weight"] = 0.001
    questions["FIN-3"]["code"] = "fin 3"
    questions["FIN-4"]["colour"] = "blue"
    questions["WORK-1"]["options"] = [{"value": "x", "label": "X", "level": 2}]
    questions["WORK-2"]["unit"] = "u" * 60
    questions["LEAD-1"]["domain"] = "MOOD"
    questions["LEAD-2"]["critical"] = {"rule": "cap-at-risk"}
    questions["PERF-2"]["max"] = "1e999999999"
    questions["SCALE-2"]["code"] = "SCALE-1"
    questions["SYS-1"]["text"] = ""
    questions["PROFILE-TYPE"]["options"][0]["level"] = 3
    questions["QUAL-2"].pop("yes")
    del questions["SYS-2"]["kind"]
    data["domains"][0]["weight"] = 0
    data["domains"][7]["weight"] = 5
    data["title"] = "T" * 300
    data["questions"].append("not a question")
    return data


# Each problem of `_broken`, with where it is.
EXPECTED_PROBLEMS = (
    "The questionnaire: 'title': Ensure this value has at most 200 characters (it has 300).",
    "Domain 1 (QUAL): 'weight': A scored domain needs a weight above 0.",
    "Domain 8 (CHANGE): 'weight': A context domain is not scored: set its weight to 0.",
    "Question 2 (QUAL-1): 'answered_by' must be one of figure, judgement, not 'robot'.",
    "Question 3 (QUAL-2): 'changeable' must be one of fixed, external, lever, not 'sometimes'.",
    "Question 4 (QUAL-3): 'kind' must be one of choice, number, scale, yesno, profile, "
    "not 'essay'.",
    "Question 5 (QUAL-4): 'min' must be a number, not 'lots'.",
    "Question 5 (QUAL-4), band 1: 'level' must be 1, 2, 3 or 4, not 7.",
    "Question 6 (QUAL-5): 'anchors' must be an object with the text of each level 1 to 4",
    "Question 7 (FIN-1): 'max': A number needs both the lowest and highest value allowed.",
    "Question 8 (FIN-2): 'weight': Ensure that there are no more than 2 decimal places.",
    "Question 9 (fin 3): 'code': Use capital letters, digits and hyphens",
    "Question 10 (FIN-4): unknown field 'colour'; the fields are allow_na, anchors,",
    "Question 14 (WORK-1): 'options' is for choice or profile questions, and this is a number "
    "question. Remove it, or change 'kind'.",
    "Question 15 (WORK-2): 'unit': Ensure this value has at most 50 characters (it has 60).",
    # A choice question's critical rule names the level of the options it marks.
    "Question 20 (LEAD-2), 'critical': a choice question's 'critical' names the 'level' whose "
    "options are critical",
    "Question 25 (PERF-2): 'max': Ensure that there are no more than 12 digits in total.",
    "Question 32 (SYS-1): 'text' is missing. Add it as text.",
    "Question 33 (SYS-2): 'kind' is missing. Add one of choice, number, scale, yesno, profile.",
    "Question 1 (PROFILE-TYPE), option 1: a profile question describes the trust and is not "
    "scored, so its options carry no 'level' or 'critical'. Remove them.",
    "Question 43: must be an object with the question's fields, not 'not a question'.",
    # The engine's own checks, as for the seed and for publishing a draft.
    "Duplicate question code 'SCALE-1'.",
    "LEAD-1 belongs to unknown domain MOOD.",
    "QUAL-2 is a yes/no question and needs exactly the options yes and no.",
)


def test_a_bad_document_is_refused_with_every_problem_and_nothing_is_written(
    exported: dict[str, Any],
) -> None:
    before = _stored()
    with pytest.raises(DocumentError) as error:
        questionnaire_import(document=_broken(exported), user=None)
    listed = "\n".join(error.value.problems)
    for expected in EXPECTED_PROBLEMS:
        assert expected in listed, expected
    assert len(error.value.problems) == len(set(error.value.problems)), "a problem twice"
    assert _stored() == before


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("answered_by", "robot"),
        ("answered_by", "Figure"),
        ("answered_by", ""),
        ("answered_by", 1),
        ("answered_by", ["figure"]),
        ("changeable", "sometimes"),
        ("changeable", "Lever"),
        ("changeable", ""),
        ("changeable", True),
        ("changeable", {"fixed": True}),
    ],
)
def test_who_answers_and_what_can_change_must_be_one_of_their_values(
    exported: dict[str, Any], key: str, value: Any
) -> None:
    allowed = {"answered_by": "figure, judgement", "changeable": "fixed, external, lever"}[key]
    _by_code(exported)["FIN-1"][key] = value
    before = _stored()
    with pytest.raises(DocumentError) as error:
        questionnaire_import(document=exported, user=None)
    assert error.value.problems == [
        f"Question 7 (FIN-1): '{key}' must be one of {allowed}, not {value!r}."
    ]
    assert _stored() == before


SHAPES = [
    pytest.param([], "The file must hold one object", id="a list"),
    pytest.param("questions", "The file must hold one object", id="text"),
    pytest.param(
        {"title": "T", "verdict_question": "V", "domains": [], "questions": []},
        "'domains' must be a list of at least one domain",
        id="no domains",
    ),
    pytest.param(
        {"questions": "all of them"}, "'questions' must be a list.", id="questions not a list"
    ),
    pytest.param({"forms": []}, "unknown field 'forms'", id="an unknown field"),
    pytest.param(
        {"format": "assess-your-trust-catalogue", "forms": []},
        "this is a catalogue of organisational forms, not a questionnaire",
        id="a catalogue",
    ),
    pytest.param({"format": "csv"}, "'format' must be assess-your-trust-questionnaire", id="fmt"),
    pytest.param({"domains": ["QUAL"]}, "Domain 1: must be an object", id="a domain as text"),
]


@pytest.mark.parametrize(("data", "message"), SHAPES)
def test_documents_of_the_wrong_shape_are_refused_with_a_reason(data: Any, message: str) -> None:
    before = _stored()
    with pytest.raises(DocumentError) as error:
        questionnaire_import(document=data, user=None)
    assert message in "\n".join(error.value.problems)
    assert _stored() == before


def _single(question: dict[str, Any]) -> dict[str, Any]:
    """A one-question document around `question`, in a scored domain A."""
    return {
        "title": "Small",
        "verdict_question": "Is it sustainable?",
        "domains": [{"code": "A", "name": "Area", "weight": 1, "scored": True}],
        "questions": [{"code": "A-1", "domain": "A", "text": "Asked?", **question}],
    }


QUESTIONS = [
    pytest.param(
        {
            "kind": "choice",
            "options": [{"value": str(n), "label": "L", "level": 1} for n in range(101)],
        },
        "'options' has 101 entries; at most 100 are allowed.",
        id="too many options",
    ),
    pytest.param(
        {"kind": "number", "min": 0, "max": 1, "bands": [{"level": 4}], "unit": 3},
        "'unit' must be text, not 3.",
        id="a unit that is not text",
    ),
    pytest.param(
        {"kind": "number", "min": 0, "max": 1, "bands": [{"max": 0, "level": 1}]},
        "A-1: the last band must have neither min nor max.",
        id="no catch-all band",
    ),
    pytest.param(
        {"kind": "number", "min": 0, "max": 1, "bands": [{"level": 1}], "critical": {"rule": "x"}},
        "'rule' must be one of cap-at-risk, cap-unsustainable, not 'x'.",
        id="an unknown critical rule",
    ),
    pytest.param(
        {"kind": "number", "min": 0, "max": 1, "bands": [{"level": 1, "min": 0.00001}]},
        "band 1: 'min': Ensure that there are no more than 4 decimal places.",
        id="a band too precise to store",
    ),
    pytest.param(
        {"kind": "yesno", "yes": {"level": "high"}, "no": {"level": 1}},
        "answer 'yes': 'level' must be 1, 2, 3 or 4, or 'na' for not applicable, not 'high'.",
        id="a yes/no level in words",
    ),
    pytest.param(
        {"kind": "yesno", "options": [{"value": "yes", "label": "Yes", "level": 1}]},
        "'options' is for choice or profile questions, and this is a yesno question.",
        id="yes/no answers as options",
    ),
    pytest.param(
        {"kind": "choice", "options": [{"value": "a", "label": "A", "level": 2.0}]},
        "option 1: 'level' must be 1, 2, 3 or 4, or 'na' for not applicable, not 2.0.",
        id="a level as a decimal",
    ),
    pytest.param(
        {"kind": "number", "min": 0, "max": 1, "bands": [{"level": 1.0}]},
        "band 1: 'level' must be 1, 2, 3 or 4, not 1.0.",
        id="a band level as a decimal",
    ),
    pytest.param(
        {"kind": "scale", "anchors": {"1": "a", "2": "b", "3": "c", "4": 4}},
        "anchor 4 must be the level's text, not 4.",
        id="an anchor that is not text",
    ),
    pytest.param(
        {
            "kind": "choice",
            "allow_na": "yes",
            "options": [{"value": "a", "label": "A", "level": 1}],
        },
        "'allow_na' must be true or false, not 'yes'.",
        id="allow_na in words",
    ),
    pytest.param(
        {
            "kind": "choice",
            "applies_to": ["acute"],
            "options": [{"value": "a", "label": "A", "level": 1}],
        },
        "A-1 applies to 'acute', which no profile question offers.",
        id="applies to an unknown kind of trust",
    ),
    pytest.param(
        {"kind": "choice", "weight": True, "options": [{"value": "a", "label": "A", "level": 1}]},
        "'weight' must be a number, not True.",
        id="a weight that is a flag",
    ),
    pytest.param(
        {"kind": "choice", "options": [{"value": "v" * 51, "label": "A", "level": 1}]},
        "option 1: 'value': Ensure this value has at most 50 characters (it has 51).",
        id="an option value too long to store",
    ),
]


@pytest.mark.parametrize(("question", "message"), QUESTIONS)
def test_every_kind_of_bad_question_is_refused_with_where_it_is(
    question: dict[str, Any], message: str
) -> None:
    before = _stored()
    with pytest.raises(DocumentError) as error:
        questionnaire_import(document=_single(question), user=None)
    assert message in "\n".join(error.value.problems)
    assert _stored() == before


def test_a_small_document_of_every_kind_imports() -> None:
    """The shapes above, put right, are accepted: the refusals are about the faults."""
    document = _single({"kind": "choice", "options": [{"value": "a", "label": "A", "level": 1}]})
    version = questionnaire_import(document=document, user=None)
    assert version.questions.get().options.get().label == "A"


def test_a_second_draft_is_refused_and_nothing_is_written(exported: dict[str, Any]) -> None:
    questionnaire_new_draft(source=_version_1(), user=None)
    before = _stored()
    with pytest.raises(ValidationError, match="Version 2 is already a draft"):
        questionnaire_import(document=exported, user=None)
    assert _stored() == before


def test_a_draft_made_during_an_import_is_reported_not_a_server_error(
    exported: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two imports at once: the second meets the database's one-draft rule."""
    questionnaire_new_draft(source=_version_1(), user=None)
    monkeypatch.setattr(documents, "refuse_second_draft", lambda model: None)
    before = _stored()
    with pytest.raises(ValidationError, match="Another draft of the questionnaire was made"):
        questionnaire_import(document=exported, user=None)
    assert _stored() == before


# Any value anywhere in a valid document: the import either succeeds or lists problems.
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | st.text(max_size=60)
    | st.sampled_from(["na", "yes", "QUAL", "choice", "number", "scale", "cap-at-risk"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["1", "2", "rule", "level", "min", "value"]), children)
    ),
    max_leaves=6,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=st.lists(st.tuples(st.integers(0, 10**6), JSON_VALUES), min_size=1, max_size=3))
def test_any_change_to_a_document_is_imported_or_refused_with_problems(
    exported: dict[str, Any], changes: list[tuple[int, Any]]
) -> None:
    document = copy.deepcopy(exported)
    places = list(_places(document))
    for index, value in changes:
        parent, key = places[index % len(places)]
        parent[key] = value
    problems: list[str] = []
    try:
        version = questionnaire_import(document=document, user=None)
    except DocumentError as error:
        problems = error.problems
    else:
        version.delete()  # the next example may import too
        return
    assert problems
    assert all(isinstance(problem, str) and problem for problem in problems)


def _places(node: Any) -> Any:
    """Every (container, key) of a document."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, child in list(items):
        yield node, key
        if isinstance(child, dict | list):
            yield from _places(child)


# --------------------------------------------------------------------------- files


DEEP = b"[" * 100_000 + b"]" * 100_000
DIGITS = b'{"title": ' + b"9" * 5000 + b"}"
NESTED = b'{"questions": [{"code": ' + b"[" * 880 + b"]" * 880 + b"}]}"
UNREADABLE = [
    pytest.param(DEEP, "nests lists or objects more than 10 levels deep", id="deep"),
    pytest.param(DIGITS, "a number of more than 4,300 digits", id="digits"),
    pytest.param(NESTED, "nests lists or objects more than 10 levels deep", id="nested"),
    pytest.param(b"\xff\xfe{", "not text in UTF-8", id="not utf-8"),
    pytest.param(b"title: Questionnaire", "is not valid JSON", id="yaml"),
]


@pytest.mark.parametrize(("content", "message"), UNREADABLE)
def test_a_file_that_cannot_be_read_whole_is_refused_with_a_reason(
    content: bytes, message: str
) -> None:
    with pytest.raises(DocumentError) as error:
        questionnaire_from_json(content)
    assert message in error.value.problems[0]


def test_a_document_as_deep_as_the_limit_is_read() -> None:
    at_limit = b'{"questions": ' + b"[" * (MAX_DEPTH - 1) + b"]" * (MAX_DEPTH - 1) + b"}"
    assert questionnaire_from_json(at_limit)["questions"]
    with pytest.raises(DocumentError):
        questionnaire_from_json(b'{"questions": ' + b"[" * MAX_DEPTH + b"]" * MAX_DEPTH + b"}")


def test_a_long_value_is_shortened_in_its_problem() -> None:
    with pytest.raises(DocumentError) as error:
        questionnaire_import(document=_single({"kind": ["x" * 100_000] * 1_000}), user=None)
    kind = next(problem for problem in error.value.problems if "'kind' must be" in problem)
    assert len(kind) < 300


# --------------------------------------------------------------------------- commands


def test_the_export_and_import_commands_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "questionnaire.json"
    call_command("questionnaire_export", "1", "--output", str(target))
    call_command("questionnaire_import", str(target))
    assert "as questionnaire version 2, a draft" in capsys.readouterr().out
    written = json.loads(target.read_text(encoding="utf-8"))
    imported = QuestionnaireVersion.objects.get(number=2)
    assert _content(questionnaire_export(version=imported)) == _content(written)


def test_the_export_command_writes_to_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("questionnaire_export", "1")
    assert json.loads(capsys.readouterr().out)["questions"][0]["code"] == "PROFILE-TYPE"


def test_the_import_command_lists_every_problem_and_exits_with_status_2(
    tmp_path: Path, exported: dict[str, Any]
) -> None:
    target = tmp_path / "broken.json"
    target.write_text(json.dumps(_broken(exported)), encoding="utf-8")
    before = _stored()
    with pytest.raises(CommandError) as error:
        call_command("questionnaire_import", str(target))
    assert error.value.returncode == 2
    message = str(error.value)
    assert message.startswith(f"Nothing was imported. {target} has ")
    assert "  - Question 2 (QUAL-1): 'answered_by' must be one of figure, judgement" in message
    assert "LEAD-1 belongs to unknown domain MOOD." in message
    assert _stored() == before


@pytest.mark.parametrize(("content", "message"), UNREADABLE)
def test_the_import_command_refuses_an_unreadable_file(
    tmp_path: Path, content: bytes, message: str
) -> None:
    target = tmp_path / "questionnaire.json"
    target.write_bytes(content)
    with pytest.raises(CommandError) as error:
        call_command("questionnaire_import", str(target))
    assert error.value.returncode == 2
    assert message in str(error.value)
    assert QuestionnaireVersion.objects.count() == 1


def test_the_import_command_refuses_a_file_over_2_mb(tmp_path: Path) -> None:
    target = tmp_path / "questionnaire.json"
    target.write_bytes(b" " * (MAX_DOCUMENT_BYTES + 1))
    with pytest.raises(CommandError, match="larger than 2 MB"):
        call_command("questionnaire_import", str(target))


def test_the_import_command_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no file at"):
        call_command("questionnaire_import", str(tmp_path / "missing.json"))


def test_the_export_command_names_the_versions_there_are() -> None:
    with pytest.raises(CommandError, match=r"There is no questionnaire version 7\. Versions: 1\."):
        call_command("questionnaire_export", "7")


# --------------------------------------------------------------------------- the admin


@pytest.fixture
def admin_client() -> Client:
    return verified_client(UserFactory(is_staff=True, is_superuser=True))


def _upload(content: bytes, name: str = "questionnaire.json") -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def _listed(html: str) -> list[str]:
    found = re.search(r'<ul id="import-problems">(.*?)</ul>', html, re.S)
    assert found, "the page lists no import problems"
    return [unescape(item) for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]


def test_the_version_page_offers_the_export_and_the_list_offers_the_import(
    admin_client: Client,
) -> None:
    version = _version_1()
    page = admin_client.get(f"{VERSIONS}{version.pk}/change/").content.decode()
    assert f'href="{VERSIONS}{version.pk}/export/">Export as JSON</a>' in page
    listing = admin_client.get(VERSIONS).content.decode()
    assert f'href="{IMPORT}">Import a questionnaire</a>' in listing


def test_the_admin_export_downloads_the_document(
    admin_client: Client, exported: dict[str, Any]
) -> None:
    download = admin_client.get(f"{VERSIONS}{_version_1().pk}/export/")
    assert download["Content-Type"] == "application/json; charset=utf-8"
    assert download["Content-Disposition"] == (
        'attachment; filename="questionnaire-version-1.json"'
    )
    assert "no-store" in download["Cache-Control"]
    assert json.loads(download.content) == exported


def test_the_export_action_downloads_one_selected_version(admin_client: Client) -> None:
    version = _version_1()
    response = admin_client.post(
        VERSIONS, {"action": "export_selected", "_selected_action": [version.pk]}
    )
    assert response["Content-Disposition"].endswith('"questionnaire-version-1.json"')


def test_the_admin_import_makes_a_draft_and_opens_it(admin_client: Client) -> None:
    download = admin_client.get(f"{VERSIONS}{_version_1().pk}/export/")
    response = admin_client.post(IMPORT, {"file": _upload(download.content)}, follow=True)
    assert "Imported as version 2, a draft. Check it, then publish it." in (
        response.content.decode()
    )
    draft = QuestionnaireVersion.objects.get(number=2)
    assert response.redirect_chain[-1][0] == f"{VERSIONS}{draft.pk}/change/"
    assert draft.status == "draft"


def test_the_admin_import_lists_every_problem_and_imports_nothing(
    admin_client: Client, exported: dict[str, Any]
) -> None:
    before = _stored()
    content = json.dumps(_broken(exported)).encode()
    html = admin_client.post(IMPORT, {"file": _upload(content)}).content.decode()
    listed = "\n".join(_listed(html))
    assert "Nothing was imported. The file has" in html
    for expected in EXPECTED_PROBLEMS:
        assert expected in listed, expected
    assert _stored() == before


@pytest.mark.parametrize(("content", "message"), UNREADABLE)
def test_the_admin_import_refuses_an_unreadable_file(
    admin_client: Client, content: bytes, message: str
) -> None:
    html = unescape(admin_client.post(IMPORT, {"file": _upload(content)}).content.decode())
    assert message in html
    assert QuestionnaireVersion.objects.count() == 1


def test_the_admin_import_refuses_a_file_over_2_mb(admin_client: Client) -> None:
    content = b" " * (MAX_DOCUMENT_BYTES + 1)
    html = admin_client.post(IMPORT, {"file": _upload(content)}).content.decode()
    assert "The file is larger than 2 MB" in html
    assert QuestionnaireVersion.objects.count() == 1


def test_the_admin_import_says_when_a_draft_exists_already(
    admin_client: Client, exported: dict[str, Any]
) -> None:
    questionnaire_new_draft(source=_version_1(), user=None)
    content = json.dumps(exported).encode()
    html = admin_client.post(IMPORT, {"file": _upload(content)}).content.decode()
    assert _listed(html) == [
        "Version 2 is already a draft. Publish it or delete it before making another."
    ]
    assert QuestionnaireVersion.objects.count() == 2


def _tool_urls() -> list[str]:
    return [IMPORT, f"{VERSIONS}{_version_1().pk}/export/"]


def test_a_user_who_is_not_staff_is_refused_the_admin_tools(member_client: Client) -> None:
    for url in _tool_urls():
        response = member_client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
        assert member_client.post(url, {"file": _upload(b"{}")}).status_code == 302
    assert QuestionnaireVersion.objects.count() == 1


@pytest.mark.parametrize("has_device", [False, True], ids=["no second factor", "not verified"])
def test_staff_who_have_not_verified_a_second_factor_are_refused_the_tools(
    has_device: bool, exported: dict[str, Any]
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = UserFactory(is_staff=True, is_superuser=True)
    if has_device:
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    client = Client()
    client.force_login(user)
    target = "/account/two-factor/verify/" if has_device else "/account/two-factor/"
    for url in _tool_urls():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(target)
        assert "questionnaire" not in response.content.decode()
    upload = client.post(IMPORT, {"file": _upload(json.dumps(exported).encode())})
    assert upload.status_code == 401
    assert QuestionnaireVersion.objects.count() == 1


def test_staff_without_permission_to_change_versions_cannot_import(
    exported: dict[str, Any],
) -> None:
    client = verified_client(UserFactory(is_staff=True))
    response = client.post(IMPORT, {"file": _upload(json.dumps(exported).encode())})
    assert response.status_code == 403
    assert QuestionnaireVersion.objects.count() == 1
