"""Who answers each question (a figure or a judgement) and what the board can change
(fixed, external or a lever), as data of the questionnaire version: method.md sections 9
and 10."""

from __future__ import annotations

import importlib
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.models import Q

from assessment import selectors, services
from assessment.models import (
    AnsweredBy,
    Assessment,
    Band,
    Changeable,
    Membership,
    Option,
    Question,
    QuestionnaireVersion,
)
from assessment.scoring import definitions as d
from assessment.scoring.seed import questionnaire_from_seed
from models_catalogue.admin_versions import version_changes
from tests.assessment.conftest import client_for
from tests.assessment.test_query_counts import FIGURES_SECTION_QUERIES, SECTION_QUERIES
from tests.conftest import verified_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SEED = yaml.safe_load((ROOT / "assessment/seed/questionnaire-v1.yaml").read_text())
MIGRATION = "0007_classify_questionnaire_version_1"
classification = importlib.import_module(f"assessment.migrations.{MIGRATION}")

# method.md sections 9 and 10, as written there.
JUDGEMENTS = {
    "QUAL-5",
    "WORK-3",
    "LEAD-3",
    "LEAD-4",
    "LEAD-5",
    "SCALE-4",
    "SYS-1",
    "SYS-2",
    "SYS-3",
    "SYS-4",
    "SYS-5",
    "SYS-7",
    "CHANGE-1",
    "CHANGE-2",
    "CHANGE-3",
    "CHANGE-4",
}
FIGURES = {
    "PROFILE-TYPE",
    *(f"QUAL-{n}" for n in range(1, 5)),
    *(f"FIN-{n}" for n in range(1, 8)),
    "WORK-1",
    "WORK-2",
    "WORK-4",
    "WORK-5",
    "LEAD-1",
    "LEAD-2",
    *(f"PERF-{n}" for n in range(1, 5)),
    *(f"SCALE-{n}" for n in range(1, 4)),
    "SYS-6",
}
FIXED = {"PROFILE-TYPE", "SCALE-1", "SYS-6"}
EXTERNAL = {"SCALE-2", "SYS-1", "SYS-5", "SYS-7"}


@pytest.fixture
def published() -> QuestionnaireVersion:
    return QuestionnaireVersion.objects.get(number=1)


def _classified(version: QuestionnaireVersion) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for code, answered_by, changeable in version.questions.values_list(
        "code", "answered_by", "changeable"
    ):
        found.setdefault(answered_by, set()).add(code)
        found.setdefault(changeable, set()).add(code)
    return found


def _migration_apps(name: str) -> Any:
    """The models as the migration `name` of the assessment app leaves them: without the
    model layer's guards, as a migration sees them."""
    return MigrationLoader(connection).project_state(("assessment", name)).apps


def _as_seeded_before_the_fields_existed(apps: Any) -> int:
    """Version 1's questions, and their history, as 0006 leaves a database seeded before it:
    every column filled with its default. Returns the number of questions."""
    defaults = {"answered_by": "judgement", "changeable": "lever"}
    history = apps.get_model("assessment", "HistoricalQuestion").objects
    history.filter(version__number=1).update(**defaults)
    return (
        apps.get_model("assessment", "Question")
        .objects.filter(version__number=1)
        .update(**defaults)
    )


def test_the_method_lists_every_question_of_version_1_once(published) -> None:
    codes = set(published.questions.values_list("code", flat=True))
    assert len(JUDGEMENTS) == 16
    assert codes == JUDGEMENTS | FIGURES
    assert not JUDGEMENTS & FIGURES


def test_the_migration_classifies_version_1_exactly_as_the_method_lists(published) -> None:
    apps = _migration_apps(MIGRATION)
    history = apps.get_model("assessment", "HistoricalQuestion").objects
    records_before = history.count()
    assert _as_seeded_before_the_fields_existed(apps) == 42
    assert _classified(published) == {
        "judgement": FIGURES | JUDGEMENTS,
        "lever": FIGURES | JUDGEMENTS,
    }

    classification.classify_version_1(apps, None)

    found = _classified(published)
    assert found["judgement"] == JUDGEMENTS
    assert found["figure"] == FIGURES
    assert found["fixed"] == FIXED
    assert found["external"] == EXTERNAL
    assert found["lever"] == (FIGURES | JUDGEMENTS) - FIXED - EXTERNAL
    assert (len(found["judgement"]), len(found["fixed"]), len(found["external"])) == (16, 3, 4)
    # Nothing else about a question changed: the engine reads what the seed file says.
    assert selectors.questionnaire_definition(published) == questionnaire_from_seed(SEED)
    # Each question whose classification changed has a history record saying so: the 26
    # figures, and SYS-1, SYS-5 and SYS-7, judgements outside the trust's control.
    assert history.count() == records_before + 29


def test_the_migration_records_the_classification_in_the_version_history(published) -> None:
    apps = _migration_apps(MIGRATION)
    _as_seeded_before_the_fields_existed(apps)
    classification.classify_version_1(apps, None)

    rows = version_changes([(Question, Q(version_id=published.pk))])
    classified = {row.subject.split(":")[0]: row.details for row in rows if row.change == "Changed"}
    assert classified["PROFILE-TYPE"] == [
        "answered by: judgement → figure",
        "changeable: lever → fixed",
    ]
    assert classified["SYS-1"] == ["changeable: lever → external"]
    assert "QUAL-5" not in classified  # a judgement and a lever, as the defaults said


def test_the_migration_runs_the_classification_and_can_be_reversed() -> None:
    (operation,) = classification.Migration.operations
    assert operation.code is classification.classify_version_1
    assert operation.reverse_code is classification.unclassify_version_1


def test_classifying_again_changes_nothing_and_records_nothing(published) -> None:
    apps = _migration_apps(MIGRATION)
    history = apps.get_model("assessment", "HistoricalQuestion").objects
    before = (_classified(published), history.count())
    classification.classify_version_1(apps, None)
    assert (_classified(published), history.count()) == before


def test_reversing_the_migration_returns_version_1_to_the_defaults(published) -> None:
    apps = _migration_apps(MIGRATION)
    _as_seeded_before_the_fields_existed(apps)
    history = apps.get_model("assessment", "HistoricalQuestion").objects
    records_before = history.count()
    classification.classify_version_1(apps, None)
    classification.unclassify_version_1(apps, None)
    everything = FIGURES | JUDGEMENTS
    assert _classified(published) == {"judgement": everything, "lever": everything}
    assert history.count() == records_before


def test_the_seed_file_classifies_version_1_as_the_method_lists() -> None:
    by_code = {item["code"]: item for item in SEED["questions"]}
    assert all("answered_by" in item and "changeable" in item for item in by_code.values())
    assert {code for code, item in by_code.items() if item["answered_by"] == "judgement"} == (
        JUDGEMENTS
    )
    assert {code for code, item in by_code.items() if item["answered_by"] == "figure"} == FIGURES
    assert {code for code, item in by_code.items() if item["changeable"] == "fixed"} == FIXED
    assert {code for code, item in by_code.items() if item["changeable"] == "external"} == (
        EXTERNAL
    )


def test_engine_definitions_carry_who_answers_and_what_can_change(published) -> None:
    questions = {q.code: q for q in selectors.questionnaire_definition(published).questions}
    assert {code for code, q in questions.items() if q.answered_by == d.JUDGEMENT} == JUDGEMENTS
    assert {code for code, q in questions.items() if q.answered_by == d.FIGURE} == FIGURES
    assert {code for code, q in questions.items() if q.changeable == d.FIXED} == FIXED
    assert {code for code, q in questions.items() if q.changeable == d.EXTERNAL} == EXTERNAL
    assert questions["QUAL-1"].changeable == d.LEVER
    # The pinned questionnaire the pages read is built from the same definitions.
    pinned = selectors.questionnaire_pinned(published)
    assert (pinned.question("SYS-6").answered_by, pinned.question("SYS-6").changeable) == (
        d.FIGURE,
        d.FIXED,
    )


def test_a_question_left_unclassified_is_a_judgement_and_a_lever() -> None:
    bare = {key: value for key, value in SEED.items() if key != "questions"}
    bare["questions"] = [
        {k: v for k, v in item.items() if k not in ("answered_by", "changeable")}
        for item in SEED["questions"]
    ]
    questions = questionnaire_from_seed(bare).questions
    assert {(q.answered_by, q.changeable) for q in questions} == {(d.JUDGEMENT, d.LEVER)}
    assert (Question().answered_by, Question().changeable) == ("judgement", "lever")


def test_the_database_and_the_engine_name_the_same_values() -> None:
    assert tuple(AnsweredBy.values) == d.ANSWERED_BY
    assert tuple(Changeable.values) == d.CHANGEABLE


def test_the_database_refuses_a_value_the_method_does_not_know(published) -> None:
    draft = services.questionnaire_new_draft(source=published, user=None)
    for field in ("answered_by", "changeable"):
        with pytest.raises(IntegrityError), transaction.atomic():
            draft.questions.filter(code="QUAL-1").update(**{field: "everyone"})


def test_a_new_draft_copies_who_answers_and_what_can_change(published) -> None:
    draft = services.questionnaire_new_draft(source=published, user=None)
    assert _classified(draft) == _classified(published)
    # Copied from the rows, not read again from the seed file or left at the defaults.
    draft.questions.filter(code="QUAL-1").update(answered_by="judgement", changeable="external")
    draft.questions.filter(code="QUAL-5").update(answered_by="figure", changeable="fixed")
    services.questionnaire_publish(version=draft, user=None)
    second = services.questionnaire_new_draft(source=draft, user=None)
    copied = {
        code: (answered_by, changeable)
        for code, answered_by, changeable in second.questions.filter(
            code__in=("QUAL-1", "QUAL-5")
        ).values_list("code", "answered_by", "changeable")
    }
    assert copied == {"QUAL-1": ("judgement", "external"), "QUAL-5": ("figure", "fixed")}


# ---------------------------------------------------------------------------- admin


def _change_form(question: Question) -> dict[str, object]:
    """The admin change form of `question` as a browser would submit it."""
    data: dict[str, object] = {
        "version": question.version_id,
        "domain": question.domain_id,
        "code": question.code,
        "position": question.position,
        "kind": question.kind,
        "text": question.text,
        "weight": question.weight,
        "answered_by": question.answered_by,
        "changeable": question.changeable,
        "guidance": question.guidance,
        "basis": question.basis,
        "unit": question.unit,
        "minimum": "" if question.minimum is None else question.minimum,
        "maximum": "" if question.maximum is None else question.maximum,
        "applies_to": "[]",
        "critical_rule": question.critical_rule,
        "critical_below": "",
        "critical_above": "",
    }
    options = list(Option.objects.filter(question=question))
    bands = list(Band.objects.filter(question=question))
    for prefix, rows, fields in (
        ("options", options, ("position", "value", "label", "level", "critical_rule")),
        ("bands", bands, ("position", "minimum", "maximum", "level")),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for n, row in enumerate(rows):
            data[f"{prefix}-{n}-id"] = row.pk
            data[f"{prefix}-{n}-question"] = question.pk
            for field in fields:
                value = getattr(row, field)
                data[f"{prefix}-{n}-{field}"] = "" if value is None else value
    return data


@pytest.fixture
def admin_client() -> Any:
    return verified_client(UserFactory(is_staff=True, is_superuser=True))


def test_the_admin_edits_who_answers_and_what_can_change_on_a_draft(
    published, admin_client
) -> None:
    draft = services.questionnaire_new_draft(source=published, user=None)
    question = draft.questions.get(code="QUAL-5")
    url = f"/admin/assessment/question/{question.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert '<select name="answered_by"' in page
    assert '<select name="changeable"' in page
    data = _change_form(question)
    data.update(answered_by="figure", changeable="external")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    assert (question.answered_by, question.changeable) == ("figure", "external")
    assert question.text == published.questions.get(code="QUAL-5").text


def test_the_admin_shows_a_published_question_read_only_and_refuses_changes(
    published, admin_client
) -> None:
    question = published.questions.get(code="QUAL-5")
    url = f"/admin/assessment/question/{question.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert '<select name="answered_by"' not in page
    assert '<select name="changeable"' not in page
    assert "A judgement: each board member&#x27;s view" in page
    data = _change_form(question)
    data.update(answered_by="figure", changeable="fixed")
    assert admin_client.post(url, data).status_code == 403
    question.refresh_from_db()
    assert (question.answered_by, question.changeable) == ("judgement", "lever")


def test_the_question_list_shows_who_answers_and_what_can_change(published, admin_client) -> None:
    page = admin_client.get(
        f"/admin/assessment/question/?version__id__exact={published.pk}&changeable=fixed"
    ).content.decode()
    rows = re.findall(r"<tr[^>]*>.*?</tr>", page, flags=re.S)
    listed = [row for row in rows if 'class="field-code"' in row]
    assert len(listed) == 3
    sys6 = next(row for row in listed if ">SYS-6<" in row)
    assert "A figure: answered once for the trust, with its source" in sys6
    assert "Fixed: a fact of the trust&#x27;s nature" in sys6


# ---------------------------------------------------------------------------- the page


def _kind_of(html: str, code: str) -> str:
    found = re.search(
        rf'<div class="nhsuk-hint app-question__kind" id="question-{code}-kind">(.*?)</div>',
        html,
    )
    assert found is not None, code
    return found.group(1)


# The page's labels, as escaped in its HTML.
FIGURE_LABEL = "A figure from the trust&#x27;s reports or published data"
JUDGEMENT_LABEL = "A matter of judgement: give your own view"
FIXED_LABEL = "A fact of the trust&#x27;s nature"
EXTERNAL_LABEL = "Outside the trust&#x27;s control"


def _assert_labelled(html: str, expected: dict[str, tuple[str, str | None]]) -> None:
    for code, (who, change) in expected.items():
        kind = _kind_of(html, code)
        if change is None:
            assert kind == f"{who}."
        else:
            assert kind == (
                f'{who}. <strong class="nhsuk-tag nhsuk-tag--grey app-question__changeable">'
                f"{change}</strong>"
            )
        # The question's group is described by the label, so it is read with the question.
        assert re.search(
            rf'id="question-{code}" data-question="{code}"><fieldset class="nhsuk-fieldset" '
            rf'aria-describedby="question-{code}-kind"',
            html,
        )


@pytest.mark.parametrize(
    ("section", "judgements", "figures"),
    [
        (
            "SCALE",
            {"SCALE-4": (JUDGEMENT_LABEL, None)},  # the state of the estate
            {
                "SCALE-1": (FIGURE_LABEL, FIXED_LABEL),  # the population served
                "SCALE-2": (FIGURE_LABEL, EXTERNAL_LABEL),  # the trust's income
                "SCALE-3": (FIGURE_LABEL, None),
            },
        ),
        (
            "SYS",
            {
                "SYS-1": (JUDGEMENT_LABEL, EXTERNAL_LABEL),  # a partner nearby
                "SYS-2": (JUDGEMENT_LABEL, None),
            },
            {"SYS-6": (FIGURE_LABEL, FIXED_LABEL)},  # geographical isolation
        ),
    ],
)
def test_the_section_pages_say_who_answers_and_what_the_board_cannot_change(
    assessment: Assessment,
    board: list[Membership],
    trust_lead: Membership,
    section: str,
    judgements: dict[str, tuple[str, str | None]],
    figures: dict[str, tuple[str, str | None]],
    django_assert_num_queries,
) -> None:
    """A member's section page asks the judgements; the lead's figures page for the same
    section asks the figures. Each says who answers and what the board cannot change."""
    client = client_for(board[0])
    url = f"/assessments/{assessment.pk}/response/{section}/"
    client.get(url)  # the first read of a pinned version fills the process cache
    with django_assert_num_queries(SECTION_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    _assert_labelled(html, judgements)
    for code in figures:  # shown to read and query, not asked
        assert f'id="question-{code}"' not in html

    lead = client_for(trust_lead)
    url = f"/assessments/{assessment.pk}/figures/{section}/"
    lead.get(url)
    with django_assert_num_queries(FIGURES_SECTION_QUERIES):
        response = lead.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    _assert_labelled(html, figures)
    for code in judgements:  # each member's own view, not the lead's to enter
        assert f'id="question-{code}"' not in html


# ---------------------------------------------------------------------------- seed


def _database_state() -> dict[str, object]:
    return {
        "versions": list(QuestionnaireVersion.objects.order_by("pk").values()),
        "questions": list(Question.objects.order_by("pk").values()),
        "options": list(Option.objects.order_by("pk").values()),
        "bands": list(Band.objects.order_by("pk").values()),
        "question history": Question.history.count(),
    }


def test_seeding_a_seeded_database_changes_nothing(published) -> None:
    before = _database_state()
    for _ in range(2):
        out = StringIO()
        call_command("seed", up_to=1, stdout=out)
        assert "The questionnaire already has a version 1; left unchanged." in out.getvalue()
    assert _database_state() == before
    assert _classified(published)["judgement"] == JUDGEMENTS
    # The 2026 edition published on top, then seeded again: the second run changes nothing.
    call_command("seed", stdout=StringIO())
    with_edition_2 = _database_state()
    out = StringIO()
    call_command("seed", stdout=out)
    assert "already has a version 2; left unchanged." in out.getvalue()
    assert _database_state() == with_edition_2
