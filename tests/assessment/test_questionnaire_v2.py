"""The questionnaire's 2026 edition (version 2), published as an admin would publish it:
imported from its seed file as a draft, checked, and published, retiring version 1."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.contrib.admin import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from assessment import selectors
from assessment.models import Assessment, Question, QuestionnaireVersion
from assessment.scoring.seed import questionnaire_from_seed
from assessment.services.assessments import assessment_create
from assessment.services.questionnaire_documents import (
    questionnaire_edition_load,
    questionnaire_export,
    questionnaire_from_document,
    questionnaire_import,
)
from assessment.services.questionnaires import questionnaire_new_draft, questionnaire_problems
from models_catalogue.models import CatalogueVersion
from models_catalogue.services import catalogue_edition_load
from models_catalogue.versioned_documents import DocumentError
from models_catalogue.versioning import VersionStatus
from tests.conftest import verified_client
from tests.factories import OrganisationFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
SEED = yaml.safe_load((ROOT / "assessment/seed/questionnaire-v2.yaml").read_text("utf-8"))
REMOVED = ["FIN-3", "FIN-5", "PERF-4", "WORK-5", "SYS-4"]
# Every key a question of the seed file may carry; the comparison below reads each of them.
QUESTION_KEYS = {
    *("code", "domain", "kind", "text", "guidance", "basis", "weight", "unit", "min", "max"),
    *("allow_na", "applies_to", "answered_by", "changeable", "options", "bands", "anchors"),
    *("yes", "no", "critical"),
}

pytestmark = pytest.mark.django_db


def edition_2_publish() -> QuestionnaireVersion | None:
    """Edition 2 of the questionnaire, published with the catalogue it needs."""
    # The published catalogue (version 1) weighs SYS-4, which edition 2 withdrew, so the
    # catalogue's own edition 2 is published with it, between the import and the publishing.
    return questionnaire_edition_load(
        number=2,
        publish_catalogue=lambda questionnaire: catalogue_edition_load(
            number=2, questionnaire=questionnaire
        ),
    )


@pytest.fixture
def version_2() -> QuestionnaireVersion:
    version = edition_2_publish()
    assert version is not None
    return version


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _level(value: Any) -> int | None:
    return None if value in (None, "na") else int(value)


def _normalised(entry: dict[str, Any]) -> dict[str, Any]:
    """A question of the seed file, or of an exported document (the same shape), as the
    fields the database stores: a choice question's `critical: {level, rule}` marks its
    options at that level, a scale's anchors are its four options, a yes/no question's
    answers its two options."""
    kind = entry["kind"]
    critical = entry.get("critical")
    if kind == "yesno":
        options = [
            (
                value,
                entry[value].get("label", value.capitalize()),
                _level(entry[value].get("level")),
                entry[value].get("critical"),
            )
            for value in ("yes", "no")
        ]
    elif kind == "scale":
        options = [
            (
                str(level),
                entry["anchors"][str(level)]
                if str(level) in entry["anchors"]
                else entry["anchors"][level],
                level,
                critical["rule"] if critical and critical.get("level") == level else None,
            )
            for level in sorted(int(key) for key in entry["anchors"])
        ]
    else:
        options = [
            (
                option["value"],
                option["label"],
                _level(option.get("level")),
                option.get("critical")
                or (
                    critical["rule"]
                    if kind == "choice" and critical and critical["level"] == option.get("level")
                    else None
                ),
            )
            for option in entry.get("options", [])
        ]
    number_critical = critical if kind == "number" else None
    return {
        "code": entry["code"],
        "domain": entry["domain"],
        "kind": kind,
        "text": entry["text"].strip(),
        "guidance": entry.get("guidance", "").strip(),
        "basis": entry.get("basis", "").strip(),
        "weight": _decimal(entry.get("weight", 1)),
        "unit": entry.get("unit", ""),
        "min": _decimal(entry.get("min")),
        "max": _decimal(entry.get("max")),
        "allow_na": entry.get("allow_na", False),
        "applies_to": list(entry.get("applies_to", [])),
        "answered_by": entry.get("answered_by", "judgement"),
        "changeable": entry.get("changeable", "lever"),
        "options": options,
        "bands": [
            (_decimal(band.get("min")), _decimal(band.get("max")), band["level"])
            for band in entry.get("bands", [])
        ],
        "critical": None
        if number_critical is None
        else (
            number_critical["rule"],
            _decimal(number_critical.get("below")),
            _decimal(number_critical.get("above")),
        ),
    }


def _stored(question: Question) -> dict[str, Any]:
    """A question as the database holds it, in the shape of `_normalised`."""
    return {
        "code": question.code,
        "domain": question.domain.code,
        "kind": question.kind,
        "text": question.text,
        "guidance": question.guidance,
        "basis": question.basis,
        "weight": question.weight,
        "unit": question.unit,
        "min": question.minimum,
        "max": question.maximum,
        "allow_na": question.allow_na,
        "applies_to": question.applies_to,
        "answered_by": question.answered_by,
        "changeable": question.changeable,
        "options": [
            (option.value, option.label, option.level, option.critical_rule or None)
            for option in question.options.order_by("position")
        ],
        "bands": [
            (band.minimum, band.maximum, band.level) for band in question.bands.order_by("position")
        ],
        "critical": (question.critical_rule, question.critical_below, question.critical_above)
        if question.critical_rule
        else None,
    }


def test_loading_edition_2_publishes_it_and_retires_version_1_unchanged() -> None:
    first = QuestionnaireVersion.objects.get(number=1)
    before = questionnaire_export(version=first)

    version = edition_2_publish()

    assert version is not None
    assert (version.number, version.status) == (2, VersionStatus.PUBLISHED)
    assert selectors.questionnaire_published() == version
    first.refresh_from_db()
    assert first.status == VersionStatus.RETIRED
    assert first.removed_codes == []
    assert questionnaire_export(version=first) == {**before, "status": VersionStatus.RETIRED}
    # Published with it, the catalogue of the same edition.
    assert CatalogueVersion.objects.published().get().number == 2


def test_loading_edition_2_again_changes_nothing(version_2: QuestionnaireVersion) -> None:
    rows = (
        list(QuestionnaireVersion.objects.values_list("number", "status", "published_at")),
        Question.objects.count(),
        QuestionnaireVersion.history.count(),
        Question.history.count(),
        CatalogueVersion.objects.count(),
    )
    assert edition_2_publish() is None
    assert (
        list(QuestionnaireVersion.objects.values_list("number", "status", "published_at")),
        Question.objects.count(),
        QuestionnaireVersion.history.count(),
        Question.history.count(),
        CatalogueVersion.objects.count(),
    ) == rows


def test_every_question_is_stored_as_the_seed_file_gives_it(
    version_2: QuestionnaireVersion,
) -> None:
    assert (version_2.title, version_2.verdict_question) == (
        SEED["title"],
        SEED["verdict_question"],
    )
    assert version_2.removed_codes == SEED["removed_codes"] == REMOVED
    assert [
        (domain.code, domain.name, domain.weight, domain.scored)
        for domain in version_2.domains.order_by("position")
    ] == [
        (domain["code"], domain["name"], Decimal(domain["weight"]), domain["scored"])
        for domain in SEED["domains"]
    ]
    questions = list(version_2.questions.select_related("domain").order_by("position"))
    assert len(questions) == len(SEED["questions"]) == 46
    for question, entry in zip(questions, SEED["questions"], strict=True):
        assert set(entry) <= QUESTION_KEYS, entry["code"]
        assert _stored(question) == _normalised(entry), entry["code"]


def test_the_choice_questions_critical_rule_marks_its_options_at_that_level(
    version_2: QuestionnaireVersion,
) -> None:
    # PERF-5: segments 4 and 5 (level 1) cap the verdict at at-risk; segment 3 does not.
    perf_5 = version_2.questions.get(code="PERF-5")
    assert [
        (option.value, option.critical_rule) for option in perf_5.options.order_by("position")
    ] == [
        ("segment-1", ""),
        ("segment-2", ""),
        ("segment-3", ""),
        ("segment-4", "cap-at-risk"),
        ("segment-5", "cap-at-risk"),
    ]


def test_the_export_gives_every_question_as_the_seed_file_does(
    version_2: QuestionnaireVersion,
) -> None:
    document = json.loads(json.dumps(questionnaire_export(version=version_2)))
    assert (document["version"], document["status"]) == (2, "published")
    assert document["removed_codes"] == REMOVED
    assert [
        {**domain, "weight": Decimal(str(domain["weight"]))} for domain in document["domains"]
    ] == [{**domain, "weight": Decimal(domain["weight"])} for domain in SEED["domains"]]
    assert [_normalised(entry) for entry in document["questions"]] == [
        _normalised(entry) for entry in SEED["questions"]
    ]
    # Read back, the export is the same questionnaire with the same removed codes.
    checked = questionnaire_from_document(document, version=2)
    assert checked.definition == selectors.questionnaire_definition(version_2)
    assert checked.removed_codes == tuple(REMOVED)


def test_segments_4_and_5_cap_the_verdict_in_the_database_and_the_engine(
    version_2: QuestionnaireVersion,
) -> None:
    # PERF-5's rule is written on the question in the file ("critical: {level: 1, ...}");
    # both readings give it to each level-1 option: segments 4 and 5.
    for definition in (
        selectors.questionnaire_definition(version_2),
        questionnaire_from_seed(SEED),
    ):
        perf_5 = next(q for q in definition.questions if q.code == "PERF-5")
        assert tuple(option.critical for option in perf_5.options) == (
            None,
            None,
            None,
            "cap-at-risk",
            "cap-at-risk",
        )


def test_the_engine_reads_the_database_exactly_as_it_reads_the_seed_file(
    version_2: QuestionnaireVersion,
) -> None:
    assert selectors.questionnaire_definition(version_2) == questionnaire_from_seed(SEED)


def test_an_assessment_pinned_to_version_1_stays_on_version_1() -> None:
    lead = UserFactory()
    assessment = assessment_create(
        organisation=OrganisationFactory(), title="2025", reporting_period="2025/26", user=lead
    )
    assert edition_2_publish() is not None
    assessment.refresh_from_db()
    assert assessment.questionnaire_version.number == 1
    assert Assessment.objects.filter(questionnaire_version__number=2).count() == 0
    # A new assessment pins the new edition.
    newer = assessment_create(
        organisation=OrganisationFactory(), title="2026", reporting_period="2026/27", user=lead
    )
    assert newer.questionnaire_version.number == 2


def test_without_its_catalogue_edition_2_is_refused_and_nothing_is_written() -> None:
    # The admin's publishing check: the published catalogue weighs SYS-4, which edition 2
    # withdrew.
    with pytest.raises(ValidationError, match=r"would break: .*SYS-4"):
        questionnaire_edition_load(number=2)
    assert list(QuestionnaireVersion.objects.values_list("number", "status")) == [
        (1, VersionStatus.PUBLISHED)
    ]


def test_a_new_draft_keeps_the_removed_codes(version_2: QuestionnaireVersion) -> None:
    draft = questionnaire_new_draft(source=version_2, user=None)
    assert draft.removed_codes == REMOVED


def test_a_removed_code_that_is_also_a_question_stops_publishing(
    version_2: QuestionnaireVersion,
) -> None:
    draft = questionnaire_new_draft(source=version_2, user=None)
    draft.removed_codes = ["FIN-3", "FIN-1"]
    draft.save()
    assert "FIN-1 is listed as removed but is a question of this version." in " ".join(
        questionnaire_problems(draft)
    )
    with pytest.raises(ValidationError) as error:
        draft.full_clean()
    assert "FIN-1 is a question of this version" in str(error.value.message_dict["removed_codes"])


@pytest.mark.parametrize(
    ("removed", "message"),
    [
        # Not a list at all.
        ("FIN-3", "Give the removed codes as a list"),
        # Not question codes.
        (["fin-3", 7], "'fin-3', 7 are not question codes"),
        # The same code twice.
        (["FIN-3", "FIN-3"], "FIN-3 is listed more than once"),
        # A code that the document also asks.
        (["QUAL-1"], "'removed_codes' lists QUAL-1, which is a question of this questionnaire"),
    ],
)
def test_an_import_with_bad_removed_codes_is_refused_with_a_clear_problem(
    removed: object, message: str
) -> None:
    document = questionnaire_export(version=QuestionnaireVersion.objects.get(number=1))
    document["removed_codes"] = removed
    with pytest.raises(DocumentError) as error:
        questionnaire_import(document=document)
    assert any(message in problem for problem in error.value.problems), error.value.problems
    assert not QuestionnaireVersion.objects.drafts().exists()


def test_an_import_carries_the_removed_codes_into_the_draft() -> None:
    document = questionnaire_export(version=QuestionnaireVersion.objects.get(number=1))
    document["removed_codes"] = ["OLD-1", "OLD-2"]
    draft = questionnaire_import(document=document)
    assert draft.removed_codes == ["OLD-1", "OLD-2"]
    assert questionnaire_export(version=draft)["removed_codes"] == ["OLD-1", "OLD-2"]


# --------------------------------------------------------------------------- the admin


def _admin_form(draft: QuestionnaireVersion, removed: str) -> Any:
    staff = UserFactory(is_staff=True, is_superuser=True)
    request = RequestFactory().get("/")
    request.user = staff
    form_class = site._registry[QuestionnaireVersion].get_form(request, draft)
    data = {
        "title": draft.title,
        "verdict_question": draft.verdict_question,
        "removed_codes": removed,
        "note": draft.note,
    }
    return form_class(data=data, instance=draft)


def test_the_admin_shows_the_removed_codes_and_edits_them_on_a_draft_only(
    version_2: QuestionnaireVersion,
) -> None:
    client = verified_client(UserFactory(is_staff=True, is_superuser=True))
    draft = questionnaire_new_draft(source=version_2, user=None)
    page = client.get(f"/admin/assessment/questionnaireversion/{draft.pk}/change/")
    assert page.status_code == 200
    assert 'name="removed_codes"' in page.content.decode()
    published = client.get(f"/admin/assessment/questionnaireversion/{version_2.pk}/change/")
    assert published.status_code == 200
    assert 'name="removed_codes"' not in published.content.decode()
    assert "SYS-4" in published.content.decode()

    form = _admin_form(draft, '["FIN-3", "FIN-5", "OLD-9"]')
    assert form.is_valid(), form.errors
    form.save()
    draft.refresh_from_db()
    assert draft.removed_codes == ["FIN-3", "FIN-5", "OLD-9"]


@pytest.mark.parametrize(
    ("removed", "message"),
    [
        # Asked and removed at once.
        ('["FIN-3", "QUAL-1"]', "QUAL-1 is a question of this version"),
        # Not a question code.
        ('["fin 3"]', "'fin 3' is not a question code"),
        # Not a list.
        ('{"FIN-3": true}', "Give the removed codes as a list"),
    ],
)
def test_the_admin_refuses_bad_removed_codes_with_the_reason(
    version_2: QuestionnaireVersion, removed: str, message: str
) -> None:
    draft = questionnaire_new_draft(source=version_2, user=None)
    form = _admin_form(draft, removed)
    assert not form.is_valid()
    assert message in " ".join(form.errors["removed_codes"])
