"""The section, figures, consensus and results pages run a fixed number of queries, whatever
the number of questions, figures, organisational forms, board members, answers, queries on
the figures or published values."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessment.models import (
    AgreedAnswer,
    Answer,
    AnsweredBy,
    Assessment,
    Figure,
    FigureHolder,
    FigureQuery,
    Membership,
    Option,
    PublishedDataset,
    PublishedValue,
    Question,
    QuestionnaireVersion,
)
from assessment.selectors import pinned_for
from assessment.selectors.figures import figures_of
from assessment.services import questionnaire_new_draft, questionnaire_publish
from assessment.services.assessments import assessment_create, respondents_add
from assessment.services.figures import (
    FigureChange,
    figure_holder_name,
    figure_query_raise,
    figure_query_resolve,
)
from assessment.services.published import questionnaire_published_definition
from models_catalogue.models import CatalogueVersion, DomainWeight, OrganisationalForm
from models_catalogue.services import catalogue_new_draft, catalogue_publish
from tests.assessment.conftest import client_for
from tests.assessment.journey import REASONS, answer_everything, enter_figures
from tests.factories import MembershipFactory, OrganisationFactory
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
ANSWERS = [load_persona(path)["answers"] for path in persona_paths()]

# The pinned figures. Every request reads the session and the user (2; the session is saved
# at most once a minute; the user comes with what two-factor asks of them, in the same
# query). A lead must have verified a second factor, so a lead's request also reads the
# verified device (1). Then:
SECTION_QUERIES = 7  # (QUAL: the member's pages hold judgements only, so FIN has none) the
# member's response with the assessment and their role; their answers; the section's
# figures beside their questions: the figures entered, with who entered them, and the
# newest published values of the trust's figures, with their datasets (2); the member's own
# queries on figures (1)
CONSENSUS_QUERIES = 8  # the device, the assessment with the user's role, respondents with
# names, every member's answers, agreed answers; the queries on figures still to resolve,
# with who raised them (1)
PREVIEW_QUERIES = 10  # the same reads but the queries; the figures entered and the
# published values (2), which go to the result as they stand; the trust's latest earlier
# submission, to say what changed since (1); then the engine works in memory
SUBMITTED_QUERIES = 7  # the device, the assessment, the earlier submission (1), the stored
# submission's identity; the trust's systems, for peer comparison (1: a trust in no system
# stops there; one in a system reads the live shares of its peers, one more)
AUTOSAVE_QUERIES = 7  # the response with the assessment; then, in one transaction (whose
# own statements are not counted), the response locked, the answer, its update and its
# history row
FIGURES_QUERIES = 11  # the lead's list of every figure: the device, the assessment with the
# user's role; the figures entered, the published values and every query on them with who
# raised and resolved it (3); who provides each section (1); the user's own queries (1); the
# board members the lead may name (1); while open, the earlier assessment its figures were
# copied from, if any (1)
FIGURES_MEMBER_QUERIES = 9  # the same for a member, who has no device and names nobody
FIGURES_SECTION_QUERIES = 10  # the lead's page to enter one section's figures: the device,
# the assessment with the user's role; whether the user may provide the section (1); the
# figures, the published values and the queries (3); the values given for figures before
# they were entered once: members' answers with their names, and agreed answers (2)
FIGURES_AUTOSAVE_QUERIES = 14  # the device, the assessment, whether the user may provide
# the section, the figures and the published values (5); then, in one transaction, the
# assessment locked, whether the user may provide the section, the figures and published
# values, the figure's row, its update and its history row (7)
TRANSACTION = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")


def _grow_questionnaire(extra: int) -> None:
    """`extra` more judgements in QUAL and as many more figures in FIN."""
    draft = questionnaire_new_draft(source=QuestionnaireVersion.objects.get(number=1), user=None)
    for n in range(extra):
        for offset, (section, answered_by, what) in enumerate(
            (("QUAL", AnsweredBy.JUDGEMENT, "quality"), ("FIN", AnsweredBy.FIGURE, "financial"))
        ):
            question = Question.objects.create(
                version=draft,
                domain=draft.domains.get(code=section),
                code=f"{section}-X{n}",
                position=200 + 2 * n + offset,
                kind="yesno",
                answered_by=answered_by,
                text=f"Extra {what} question {n}?",
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


@dataclass(frozen=True)
class Sized:
    assessment: Assessment
    lead: Membership
    board: list[Membership]


def _publish(assessment: Assessment, datasets: int, answers: dict[str, object]) -> None:
    """`datasets` published datasets, each giving the trust every figure in `answers`."""
    for n in range(datasets):
        dataset = PublishedDataset.objects.create(
            publisher="NHS England",
            title=f"Dataset {n}",
            period=f"2025/26 Q{n + 1}",
            period_end=datetime.date(2025, 6, 30) + datetime.timedelta(days=91 * n),
            link="https://www.england.nhs.uk/",
            layout=PublishedDataset.Layout.LONG,
            organisation_column="Trust_code",
            mappings="",
            file_name=f"dataset-{n}.csv",
        )
        PublishedValue.objects.bulk_create(
            PublishedValue(
                dataset=dataset,
                organisation_id=assessment.organisation_id,
                question_code=question.code,
                value=str(answers[question.code]),
                metric=question.code,
                row=row,
                column="Value",
            )
            for row, question in enumerate(pinned_for(assessment).figures, start=2)
            if question.code in answers
        )


def _assessment_with(members: int, extra: int = 0, queries_each: int = 1) -> Sized:
    """A board of `members` who have all answered, with the figures entered by the lead (the
    `extra` ones stand as published), one published dataset and one more for every ten extra
    questions, and `queries_each` queries on the figures from each member. With more than
    three members, two are named to provide sections' figures, and values given for figures
    before they were entered once are offered beside them."""
    trust = OrganisationFactory()
    lead = MembershipFactory(organisation=trust, role=Membership.Role.LEAD)
    board = [MembershipFactory(organisation=trust) for _ in range(members)]
    assessment = assessment_create(
        organisation=trust, title="Sized", reporting_period="2026", user=lead.user
    )
    respondents_add(assessment=assessment, users=[m.user for m in board])
    answers = {**ANSWERS[0], **{f"QUAL-X{n}": "yes" for n in range(extra)}}
    for member in board:
        # The same answers for all, so that nothing needs a rationale before submitting.
        answer_everything(client_for(member), assessment, answers)
    published = {**answers, **{f"FIN-X{n}": "no" for n in range(extra)}}
    _publish(assessment, datasets=1 + extra // 10, answers=published)
    enter_figures(client_for(lead), assessment, answers)
    pinned = pinned_for(assessment)
    figures = [question.code for question in pinned.figures]
    for m, member in enumerate(board):
        for n in range(queries_each):
            figure_query_raise(
                assessment=assessment,
                user=member.user,
                pinned=pinned,
                code=figures[(m + n) % len(figures)],
                comment=f"Query {n} from member {m}",
            )
    if members > 3:
        for member, section in ((board[1], "PERF"), (board[2], "WORK")):
            figure_holder_name(
                assessment=assessment, section=section, user_id=member.user_id, named_by=lead.user
            )
        for respondent in assessment.respondents.all():
            Answer.objects.create(
                respondent=respondent, question_id=pinned.question_ids["FIN-1"], value="1.5"
            )
        AgreedAnswer.objects.create(
            assessment=assessment,
            question_id=pinned.question_ids["FIN-2"],
            value="2",
            updated_by=lead.user,
        )
    return Sized(assessment, lead, board)


def _resolve_every_query(sized: Sized) -> None:
    """Each figure kept as it stands, so that the lead can submit."""
    assessment = sized.assessment
    pinned = pinned_for(assessment)
    states = figures_of(assessment=assessment, pinned=pinned)
    for query in FigureQuery.objects.filter(assessment=assessment, resolved_at=None):
        state = states[pinned.codes_by_id[query.question_id]]
        figure_query_resolve(
            assessment=assessment,
            user=sized.lead.user,
            pinned=pinned,
            query=query,
            change=FigureChange(state.code, state.value, state.source, state.version),
            reply="It stands.",
        )


def _page_counts(sized: Sized) -> dict[str, int]:
    assessment, lead, member = sized.assessment, sized.lead, sized.board[0]
    pk = assessment.pk
    pages = {
        "section": (member, f"/assessments/{pk}/response/QUAL/"),
        "consensus": (lead, f"/assessments/{pk}/consensus/"),
        "preview": (lead, f"/assessments/{pk}/results/"),
        "figures": (lead, f"/assessments/{pk}/figures/"),
        "figures_member": (member, f"/assessments/{pk}/figures/"),
        "figures_section": (lead, f"/assessments/{pk}/figures/FIN/"),
    }
    counts = {}
    for name, (who, url) in pages.items():
        client = client_for(who)
        client.get(url)  # the first read of a pinned version fills the process cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts[name] = len(captured)
    return counts


def _saved_without_transaction(client: Client, url: str, data: dict[str, str]) -> tuple[int, int]:
    """The version saved, and the queries run but the transaction's own statements."""
    client.get("/")  # the session's activity time is saved now, not during the save
    with CaptureQueriesContext(connection) as captured:
        saved = client.post(url, data)
    counted = [query for query in captured if not query["sql"].startswith(TRANSACTION)]
    return saved.json()["version"], len(counted)


def _counts(sized: Sized) -> dict[str, int]:
    assessment, lead, member = sized.assessment, sized.lead, sized.board[0]
    pk = assessment.pk
    counts = _page_counts(sized)
    answer = Answer.objects.get(
        respondent__assessment=assessment, respondent__user=member.user, question__code="QUAL-5"
    )
    version, counts["autosave"] = _saved_without_transaction(
        client_for(member),
        f"/assessments/{pk}/response/autosave/",
        {
            "question": "QUAL-5",
            "q-QUAL-5": answer.value,
            "note-QUAL-5": "From the latest inspection report.",
            "v-QUAL-5": str(answer.version),
        },
    )
    assert version == answer.version + 1
    figure = Figure.objects.get(assessment=assessment, question__code="FIN-1")
    version, counts["figures_autosave"] = _saved_without_transaction(
        client_for(lead),
        f"/assessments/{pk}/figures/autosave/",
        {
            "question": "FIN-1",
            "q-FIN-1": "figure",
            "n-FIN-1": "-1.5",
            "note-FIN-1": "Month 9 forecast",
            "v-FIN-1": str(figure.version),
        },
    )
    assert version == figure.version + 1
    _resolve_every_query(sized)
    client = client_for(lead)
    client.post(
        f"/assessments/{pk}/submit/",
        {"confirm": "on", **{f"reason-{key}": reason for key, reason in REASONS.items()}},
    )
    assert not Assessment.objects.get(pk=pk).is_open
    url = f"/assessments/{pk}/results/"
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    counts["submitted"] = len(captured)
    return counts


def test_page_queries_are_pinned_and_do_not_grow_with_questions_forms_or_members() -> None:
    small = _counts(_assessment_with(members=3))
    assert small == {
        "section": SECTION_QUERIES,
        "consensus": CONSENSUS_QUERIES,
        "preview": PREVIEW_QUERIES,
        "figures": FIGURES_QUERIES,
        "figures_member": FIGURES_MEMBER_QUERIES,
        "figures_section": FIGURES_SECTION_QUERIES,
        "submitted": SUBMITTED_QUERIES,
        "autosave": AUTOSAVE_QUERIES,
        "figures_autosave": FIGURES_AUTOSAVE_QUERIES,
    }
    _grow_questionnaire(40)
    _grow_catalogue(60)
    many = _assessment_with(members=12, extra=40, queries_each=4)
    assessment = many.assessment
    assert len(assessment.questionnaire_version.questions.all()) == 122
    assert len(pinned_for(assessment).figures) == 26 + 40
    assert assessment.catalogue_version.forms.count() == 60
    assert FigureQuery.objects.filter(assessment=assessment).count() == 48
    assert PublishedValue.objects.filter(organisation=assessment.organisation).count() == 5 * 66
    assert FigureHolder.objects.filter(assessment=assessment).count() == 2
    assert _counts(many) == small
