"""The questionnaire as data: seeded as published version 1, versioned like the catalogue."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment import selectors, services
from assessment.models import Band, Domain, Option, Question, QuestionnaireVersion
from assessment.scoring.seed import questionnaire_from_seed
from models_catalogue.versioning import PublishRefused, VersionLocked, VersionStatus
from tests.conftest import verified_client
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
SEED = yaml.safe_load((ROOT / "assessment/seed/questionnaire-v1.yaml").read_text())
pytestmark = pytest.mark.django_db


@pytest.fixture
def published() -> QuestionnaireVersion:
    return QuestionnaireVersion.objects.get(number=1)


def test_version_1_holds_every_question_of_the_seed_exactly(published) -> None:
    assert published.status == VersionStatus.PUBLISHED
    assert published.questions.count() == 42
    assert published.domains.count() == 8
    stored = selectors.questionnaire_definition(published)
    # The engine's definitions compare field by field: codes, kinds, texts, weights,
    # options and their levels, bands, anchors, critical rules, guidance and basis.
    assert stored == questionnaire_from_seed(SEED)


def test_seed_texts_with_commas_are_kept_whole(published) -> None:
    labels = set(Option.objects.filter(question__code="LEAD-2").values_list("label", flat=True))
    assert "Two changes, or one unplanned departure" in labels
    assert "Three or more changes, or an interim chief executive now" in labels


def test_every_kind_of_question_is_stored(published) -> None:
    kinds = set(published.questions.values_list("kind", flat=True))
    assert kinds == {"choice", "number", "scale", "yesno", "profile"}
    fin1 = published.questions.get(code="FIN-1")
    assert (fin1.unit, fin1.minimum, fin1.maximum) == ("% of income", -60, 60)
    assert (fin1.critical_rule, fin1.critical_below) == ("cap-at-risk", -5)
    assert list(fin1.bands.values_list("minimum", "level")) == [
        (Decimal(1), 4),
        (Decimal(0), 3),
        (Decimal(-1), 2),
        (None, 1),
    ]
    work3 = published.questions.get(code="WORK-3")
    assert work3.options.get(value="1").critical_rule == "cap-at-risk"
    qual2 = published.questions.get(code="QUAL-2")
    assert qual2.options.get(value="yes").critical_rule == "cap-unsustainable"
    assert published.questions.get(code="PERF-1").allow_na


def test_published_questionnaire_rows_are_immutable(published) -> None:
    question = published.questions.get(code="QUAL-1")
    question.text = "Changed"
    with pytest.raises(VersionLocked):
        question.save()
    with pytest.raises(VersionLocked):
        Option.objects.filter(question=question).update(level=1)
    with pytest.raises(VersionLocked):
        Band.objects.filter(question__version=published).delete()


def test_new_draft_copies_the_questionnaire_and_publishing_retires_the_old_one(published) -> None:
    user = UserFactory()
    draft = services.questionnaire_new_draft(source=published, user=user)
    assert selectors.questionnaire_definition(draft).questions == (
        selectors.questionnaire_definition(published).questions
    )
    question = draft.questions.get(code="QUAL-5")
    question.guidance = "See the trust's seven-day services board assurance framework."
    question.save()
    services.questionnaire_publish(version=draft, user=user)
    published.refresh_from_db()
    draft.refresh_from_db()
    assert (published.status, draft.status) == (VersionStatus.RETIRED, VersionStatus.PUBLISHED)


def test_publishing_refuses_a_questionnaire_that_would_break_the_catalogue(published) -> None:
    draft = services.questionnaire_new_draft(source=published, user=None)
    draft.questions.filter(code="SYS-1").delete()
    Band.objects.filter(question__version=draft, question__code="FIN-2").delete()
    with pytest.raises(PublishRefused) as refused:
        services.questionnaire_publish(version=draft, user=None)
    problems = " | ".join(refused.value.problems)
    assert "FIN-2 needs bands" in problems
    assert "The published catalogue (version 1) would break" in problems
    assert "SYS-1" in problems
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def _definition_queries() -> int:
    with CaptureQueriesContext(connection) as captured:
        services.definitions_published()
    return len(captured)


def test_engine_inputs_load_in_a_fixed_number_of_queries(published) -> None:
    before = _definition_queries()
    # Grow the published questionnaire's size through a new published version.
    draft = services.questionnaire_new_draft(source=published, user=None)
    domain = draft.domains.get(code="QUAL")
    for n in range(40):
        question = Question.objects.create(
            version=draft,
            domain=domain,
            code=f"QUAL-X{n}",
            position=100 + n,
            kind="yesno",
            text=f"Extra question {n}?",
        )
        Option.objects.create(question=question, value="yes", label="Yes", level=4)
        Option.objects.create(question=question, value="no", label="No", level=1)
    services.questionnaire_publish(version=draft, user=None)
    assert _definition_queries() == before
    assert before == 12  # two versions, four questionnaire reads, six catalogue reads


# Every admin request reads the session, the user and their verified device (3); then:
ADMIN_QUERIES = {
    # the version filter's choices, the page's count and the full count, one page of
    # questions with their versions and domains, the domain filter's codes
    "question list": 8,
    # the question, its version, its options, its bands, and the draft versions and their
    # domains offered as choices
    "question": 9,
    # the version (for the form and for its tools), its domains
    "questionnaire version": 6,
}


def _grow(draft: QuestionnaireVersion, question: Question) -> None:
    """Sixty more questions, thirty more options and bands on one question, twelve more
    sections."""
    domain = draft.domains.get(code="QUAL")
    for n in range(60):
        extra = Question.objects.create(
            version=draft,
            domain=domain,
            code=f"QUAL-X{n}",
            position=100 + n,
            kind="yesno",
            text=f"Extra question {n}?",
        )
        Option.objects.create(question=extra, value="yes", label="Yes", level=4)
    for n in range(30):
        Option.objects.create(question=question, value=f"extra-{n}", label=f"Extra {n}", level=2)
        Band.objects.create(question=question, position=50 + n, minimum=Decimal(n), level=2)
    for n in range(12):
        Domain.objects.create(version=draft, code=f"EXTRA{n}", name=f"Extra section {n}")


def test_question_admin_runs_the_same_queries_whatever_the_questionnaire_size(
    published, django_assert_num_queries
) -> None:
    client = verified_client(UserFactory(is_staff=True, is_superuser=True))
    draft = services.questionnaire_new_draft(source=published, user=None)
    question = draft.questions.get(code="FIN-1")
    urls = {
        "question list": "/admin/assessment/question/",
        "question": f"/admin/assessment/question/{question.pk}/change/",
        "questionnaire version": f"/admin/assessment/questionnaireversion/{draft.pk}/change/",
    }
    for url in urls.values():
        client.get(url)  # the first request fills per-process caches (content types)
    pages = {}
    for size in ("as seeded", "grown"):
        if size == "grown":
            _grow(draft, question)
        for page, url in urls.items():
            with django_assert_num_queries(ADMIN_QUERIES[page]):
                response = client.get(url)
            assert response.status_code == 200, (size, page)
            pages[size, page] = response.content.decode()
    # The grown pages did show the larger questionnaire.
    assert "QUAL-X0" in pages["grown", "question list"]
    assert "QUAL-X0" not in pages["as seeded", "question list"]
    assert 'value="extra-29"' in pages["grown", "question"]
    assert "EXTRA11" in pages["grown", "questionnaire version"]
