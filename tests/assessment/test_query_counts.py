"""The section, consensus and results pages run a fixed number of queries, whatever the
number of questions, organisational forms or board members."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import Answer, Assessment, Membership, Option, Question, QuestionnaireVersion
from assessment.services import questionnaire_new_draft, questionnaire_publish
from assessment.services.assessments import assessment_create, respondents_add
from assessment.services.published import questionnaire_published_definition
from models_catalogue.models import CatalogueVersion, DomainWeight, OrganisationalForm
from models_catalogue.services import catalogue_new_draft, catalogue_publish
from tests.assessment.conftest import client_for
from tests.assessment.journey import answer_everything
from tests.factories import MembershipFactory, OrganisationFactory
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
ANSWERS = [load_persona(path)["answers"] for path in persona_paths()]

# The pinned figures. Every request reads the session and the user (2; the session is saved
# at most once a minute; the user comes with what two-factor asks of them, in the same
# query). A lead must have verified a second factor, so a lead's request also reads the
# verified device (1). Then:
SECTION_QUERIES = 4  # the member's response with the assessment and their role; their answers
CONSENSUS_QUERIES = 7  # the device, the assessment with the user's role, respondents with
# names, every member's answers, agreed answers
PREVIEW_QUERIES = 7  # the same reads, then the engine works in memory
SUBMITTED_QUERIES = 5  # the device, the assessment, the stored submission's identity
AUTOSAVE_QUERIES = 7  # the response with the assessment; then, in one transaction (whose
# own statements are not counted), the response locked, the answer, its update and its
# history row
TRANSACTION = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")


def _grow_questionnaire(extra: int) -> None:
    draft = questionnaire_new_draft(source=QuestionnaireVersion.objects.get(number=1), user=None)
    domain = draft.domains.get(code="QUAL")
    for n in range(extra):
        question = Question.objects.create(
            version=draft,
            domain=domain,
            code=f"QUAL-X{n}",
            position=200 + n,
            kind="yesno",
            text=f"Extra quality question {n}?",
        )
        Option.objects.create(question=question, value="yes", label="Yes", level=4)
        Option.objects.create(question=question, value="no", label="No", level=1)
    questionnaire_publish(version=draft, user=None)


def _grow_catalogue(total: int) -> None:
    draft = catalogue_new_draft(source=CatalogueVersion.objects.get(number=1), user=None)
    template = draft.forms.get(slug="federation")
    weights = list(template.domain_weights.all())
    for n in range(draft.forms.count(), total):
        form = OrganisationalForm.objects.get(pk=template.pk)
        form.pk, form.slug = None, f"federation-variant-{n}"
        form.save()
        for weight in weights:
            DomainWeight.objects.create(
                form=form,
                domain=weight.domain,
                weight=weight.weight,
                prefers=weight.prefers,
                why=weight.why,
            )
    catalogue_publish(version=draft, user=None, questionnaire=questionnaire_published_definition())


def _assessment_with(members: int) -> tuple[Assessment, Membership, list[Membership]]:
    trust = OrganisationFactory()
    lead = MembershipFactory(organisation=trust, role=Membership.Role.LEAD)
    board = [MembershipFactory(organisation=trust) for _ in range(members)]
    assessment = assessment_create(
        organisation=trust, title="Sized", reporting_period="2026", user=lead.user
    )
    respondents_add(assessment=assessment, users=[m.user for m in board])
    for member in board:
        # The same answers for all, so that nothing needs a rationale before submitting.
        answer_everything(client_for(member), assessment, ANSWERS[0])
    return assessment, lead, board


def _counts(assessment: Assessment, lead: Membership, member: Membership) -> dict[str, int]:
    pages = {
        "section": (client_for(member), f"/assessments/{assessment.pk}/response/FIN/"),
        "consensus": (client_for(lead), f"/assessments/{assessment.pk}/consensus/"),
        "preview": (client_for(lead), f"/assessments/{assessment.pk}/results/"),
    }
    counts = {}
    for name, (client, url) in pages.items():
        client.get(url)  # the first read of a pinned version fills the process cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts[name] = len(captured)
    answer = Answer.objects.get(
        respondent__assessment=assessment, respondent__user=member.user, question__code="QUAL-1"
    )
    member_client = pages["section"][0]  # signed in, and its session already touched
    with CaptureQueriesContext(connection) as captured:
        saved = member_client.post(
            f"/assessments/{assessment.pk}/response/autosave/",
            {
                "question": "QUAL-1",
                "q-QUAL-1": answer.value,
                "note-QUAL-1": "From the latest inspection report.",
                "v-QUAL-1": str(answer.version),
            },
        )
    assert saved.json()["version"] == answer.version + 1
    counts["autosave"] = len(
        [query for query in captured if not query["sql"].startswith(TRANSACTION)]
    )
    client = client_for(lead)
    client.post(f"/assessments/{assessment.pk}/submit/")
    assert not Assessment.objects.get(pk=assessment.pk).is_open
    url = f"/assessments/{assessment.pk}/results/"
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    counts["submitted"] = len(captured)
    return counts


def test_page_queries_are_pinned_and_do_not_grow_with_questions_forms_or_members() -> None:
    small = _counts(*_small())
    assert small == {
        "section": SECTION_QUERIES,
        "consensus": CONSENSUS_QUERIES,
        "preview": PREVIEW_QUERIES,
        "submitted": SUBMITTED_QUERIES,
        "autosave": AUTOSAVE_QUERIES,
    }
    _grow_questionnaire(40)
    _grow_catalogue(60)
    assessment, lead, board = _assessment_with(members=12)
    assert len(assessment.questionnaire_version.questions.all()) == 82
    assert assessment.catalogue_version.forms.count() == 60
    assert _counts(assessment, lead, board[0]) == small


def _small() -> tuple[Assessment, Membership, Membership]:
    assessment, lead, board = _assessment_with(members=3)
    return assessment, lead, board[0]
