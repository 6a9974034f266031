"""No one sees or changes another trust's assessment: every object URL, every method."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import URLPattern, get_resolver, reverse

from assessment.models import (
    AgreedAnswer,
    Answer,
    Assessment,
    Figure,
    FigureHolder,
    FigureQuery,
    Invitation,
    Membership,
    Respondent,
    Submission,
)
from assessment.selectors import pinned_for
from assessment.services.assessments import assessment_create, respondents_add
from assessment.services.figures import FigureChange, figure_query_raise, figure_query_resolve
from assessment.services.submissions import assessment_submit
from tests.assessment.conftest import client_for
from tests.assessment.journey import REASONS, SOURCE, answer_everything, enter_figures, section_data
from tests.factories import MembershipFactory, OrganisationFactory
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
ANSWERS = load_persona(persona_paths()[0])["answers"]

# Plausible data for every form, so that a refusal is about access, not about bad input: a
# judgement for the member's pages and the consensus, a figure with its source for the
# figures pages, a query, a reply and who provides the figures.
POST_DATA = {
    "q-QUAL-5": "1",
    "v-QUAL-5": "1",
    "question": "QUAL-5",
    "r-QUAL-5": "Because",
    "q-FIN-1": "figure",
    "n-FIN-1": "-7",
    "note-FIN-1": "The intruder's own accounts",
    "v-FIN-1": "1",
    "comment": "This figure is wrong",
    "reply": "It stands",
    "holder-FIN": "",
    "title": "Hijacked",
    "reporting_period": "Now",
    "full_name": "Intruder",
    "email": "intruder@elsewhere.nhs.uk",
    "users": [],
    "day": str((date.today() + timedelta(days=30)).day),
    "month": str((date.today() + timedelta(days=30)).month),
    "year": str((date.today() + timedelta(days=30)).year),
    "board_role": "chair",
    "confirm": "on",
}
# The figures routes take a section with figures or a figure's code; the member's section
# page takes a section with judgements.
CODES = {"assessment:figures_section": "FIN", "assessment:figure_query": "FIN-1"}


def _post_data(name: str) -> dict[str, object]:
    """The figures autosave saves one figure; the answers autosave one judgement."""
    if name == "assessment:figures_autosave":
        return {**POST_DATA, "question": "FIN-1"}
    return POST_DATA


def _assessment_patterns() -> list[tuple[str, str]]:
    resolver = get_resolver()
    names = []
    for entry in resolver.url_patterns:
        if getattr(entry, "namespace", None) == "assessment":
            names += [
                (f"assessment:{p.name}", str(p.pattern))
                for p in entry.url_patterns
                if isinstance(p, URLPattern)
            ]
    return names


PATTERNS = _assessment_patterns()


def _url(name: str, route: str, assessment: Assessment) -> str:
    if "<int:trust>" in route:
        return reverse(name, kwargs={"trust": assessment.organisation_id})
    kwargs: dict[str, object] = {"pk": assessment.pk}
    if "<str:code>" in route:
        kwargs["code"] = CODES.get(name, "QUAL")
    if "<int:query_pk>" in route:
        kwargs["query_pk"] = FigureQuery.objects.get(assessment=assessment).pk
    if "<int:member>" in route:
        kwargs["member"] = Respondent.objects.filter(assessment=assessment).first().pk
    if "<int:invitation>" in route:
        kwargs["invitation"] = Invitation.objects.get(assessment=assessment).pk
    return reverse(name, kwargs=kwargs)


def _state() -> tuple[object, ...]:
    return (
        Assessment.objects.count(),
        sorted(Assessment.objects.values_list("pk", "status", "title")),
        sorted(Answer.objects.values_list("pk", "value", "note", "version")),
        sorted(Figure.objects.values_list("pk", "assessment", "value", "source", "version")),
        sorted(FigureHolder.objects.values_list("pk", "section", "user")),
        sorted(
            FigureQuery.objects.values_list(
                "pk", "assessment", "comment", "outcome", "reply", "resolved_at"
            )
        ),
        AgreedAnswer.objects.count(),
        Submission.objects.count(),
        sorted(Respondent.objects.values_list("pk", "removed_at")),
        sorted(Invitation.objects.values_list("pk", "cancelled_at", "send_count", "sent_at")),
        sorted(Membership.objects.values_list("pk", "role", "board_role")),
        Assessment.objects.filter(response_deadline__isnull=False).count(),
    )


@pytest.fixture
def three_trusts() -> dict[str, object]:
    """Trust A has an open and a submitted assessment, each with its figures entered and a
    member's query on one (resolved on the submitted one); B and C are strangers to them."""
    trusts = {}
    for label in "ABC":
        trust = OrganisationFactory(name=f"Trust {label} NHS Trust", ods_code=f"R{label}{label}")
        lead = MembershipFactory(organisation=trust, role=Membership.Role.LEAD)
        member = MembershipFactory(organisation=trust)
        trusts[label] = {"trust": trust, "lead": lead, "member": member}
    a = trusts["A"]
    open_one = assessment_create(
        organisation=a["trust"], title="Open", reporting_period="2026", user=a["lead"].user
    )
    done = assessment_create(
        organisation=a["trust"], title="Done", reporting_period="2025", user=a["lead"].user
    )
    queries = {}
    for assessment in (open_one, done):
        respondents_add(assessment=assessment, users=[a["member"].user])
        Invitation.objects.create(
            assessment=assessment,
            email=f"invited-{assessment.pk}@trust-a.nhs.uk",
            full_name="Invited Member",
            created_by=a["lead"].user,
        )
        answer_everything(client_for(a["member"]), assessment, ANSWERS)
        enter_figures(client_for(a["lead"]), assessment, ANSWERS)
        queries[assessment.pk] = figure_query_raise(
            assessment=assessment,
            user=a["member"].user,
            pinned=pinned_for(assessment),
            code="FIN-1",
            comment="The accounts say otherwise.",
        )
    figure = Figure.objects.get(assessment=done, question__code="FIN-1")
    figure_query_resolve(
        assessment=done,
        user=a["lead"].user,
        pinned=pinned_for(done),
        query=queries[done.pk],
        change=FigureChange("FIN-1", figure.value, figure.source, figure.version),
        reply="It stands: it is the audited figure.",
    )
    assessment_submit(assessment=done, user=a["lead"].user, reasons=REASONS)
    return {**trusts, "open": open_one, "done": done}


def test_every_assessment_url_was_found() -> None:
    names = {name for name, _ in PATTERNS}
    assert {
        "assessment:section",
        "assessment:autosave",
        "assessment:import",
        "assessment:consensus",
        "assessment:submit",
        "assessment:results",
        "assessment:what_if",
        "assessment:board_paper",
        "assessment:answers_csv",
        "assessment:json_export",
        "assessment:history",
        "assessment:figures",
        "assessment:figure_holders",
        "assessment:figures_autosave",
        "assessment:figures_section",
        "assessment:figure_query",
        "assessment:resolve",
    } <= names
    assert len(PATTERNS) >= 20


@pytest.mark.parametrize("stranger", ["B-lead", "B-member", "C-lead", "C-member"])
@pytest.mark.parametrize("which", ["open", "done"])
def test_another_trusts_users_get_404_for_every_url_and_method_and_change_nothing(
    three_trusts, stranger: str, which: str
) -> None:
    label, role = stranger.split("-")
    client = client_for(three_trusts[label][role])
    target = three_trusts[which]
    before = _state()
    for name, route in PATTERNS:
        url = _url(name, route, target)
        statuses = {client.get(url).status_code, client.post(url, _post_data(name)).status_code}
        assert statuses <= {404, 405}, f"{name} answered {statuses} to a stranger"
        assert 404 in statuses, f"{name} never answered 404"
    assert _state() == before


def test_extra_fields_never_move_an_assessment_or_change_its_status(three_trusts) -> None:
    a, b = three_trusts["A"], three_trusts["B"]
    lead = client_for(a["lead"])
    lead.post(
        reverse("assessment:new", kwargs={"trust": a["trust"].pk}),
        {
            "title": "New one",
            "reporting_period": "2027",
            "organisation": b["trust"].pk,
            "status": "submitted",
            "questionnaire_version": 999,
            "catalogue_version": 999,
        },
    )
    created = Assessment.objects.get(title="New one")
    assert created.organisation == a["trust"]
    assert created.status == "open"
    assert created.questionnaire_version.number == 1

    open_one = three_trusts["open"]
    member = client_for(a["member"])
    answer = Answer.objects.get(respondent__assessment=open_one, question__code="QUAL-5")
    member.post(
        reverse("assessment:section", kwargs={"pk": open_one.pk, "code": "QUAL"}),
        {
            "q-QUAL-5": answer.value,
            "v-QUAL-5": answer.version,
            "respondent": 999,
            "status": "submitted",
            "assessment": three_trusts["done"].pk,
            "version": 99,
        },
    )
    open_one.refresh_from_db()
    assert open_one.status == "open"
    answer.refresh_from_db()
    assert answer.version == 1

    # The figures page saves the figure given, on this assessment, by the lead, whatever
    # else is posted beside it.
    figure = Figure.objects.get(assessment=open_one, question__code="FIN-1")
    url = reverse("assessment:figures_section", kwargs={"pk": open_one.pk, "code": "FIN"})
    page = section_data(
        pinned_for(open_one).figures_by_section["FIN"],
        {**ANSWERS, "FIN-1": -2},
        lead.get(url).content.decode(),
        SOURCE,
    )
    lead.post(
        url,
        {
            **page,
            "note-FIN-1": "Month 9 forecast",
            "assessment": three_trusts["done"].pk,
            "version": 99,
            "updated_by": b["lead"].user_id,
            "published": 1,
        },
    )
    moved = Figure.objects.get(pk=figure.pk)
    assert (moved.assessment_id, moved.value, moved.source) == (
        open_one.pk,
        "-2",
        "Month 9 forecast",
    )
    assert (moved.version, moved.updated_by_id, moved.published_id) == (
        figure.version + 1,
        a["lead"].user_id,
        None,
    )
    assert not Figure.objects.filter(assessment=three_trusts["done"], value="-2").exists()

    # A query is the member's own, open, on this assessment, whatever else is posted.
    member.post(
        reverse("assessment:figure_query", kwargs={"pk": open_one.pk, "code": "FIN-2"}),
        {
            "comment": "Two deficits, not one.",
            "assessment": three_trusts["done"].pk,
            "raised_by": b["lead"].user_id,
            "resolved_at": "2020-01-01",
            "outcome": "kept",
            "reply": "Answered already",
        },
    )
    query = FigureQuery.objects.get(comment="Two deficits, not one.")
    assert (query.assessment_id, query.raised_by_id, query.question.code) == (
        open_one.pk,
        a["member"].user_id,
        "FIN-2",
    )
    assert (query.resolved_at, query.outcome, query.reply) == (None, "", "")

    lead.post(
        reverse("assessment:consensus", kwargs={"pk": open_one.pk}),
        {"status": "submitted", "submitted_at": "2020-01-01"},
    )
    open_one.refresh_from_db()
    assert open_one.status == "open"
    assert not Submission.objects.filter(assessment=open_one).exists()


def test_members_of_the_same_trust_cannot_use_the_leads_pages(three_trusts) -> None:
    member = client_for(three_trusts["A"]["member"])
    open_one = three_trusts["open"]
    before = _state()
    for name in ("invite", "add_members", "consensus", "submit", "answers_csv", "json_export"):
        url = reverse(f"assessment:{name}", kwargs={"pk": open_one.pk})
        assert member.post(url, POST_DATA).status_code in {403, 405}
    # Nor enter the figures, name who provides them or resolve a query, unless the lead named
    # them for the section.
    routes = dict(PATTERNS)
    for name in ("figure_holders", "figures_section", "resolve"):
        url = _url(f"assessment:{name}", routes[f"assessment:{name}"], open_one)
        assert member.get(url).status_code in {403, 405}, name
        assert member.post(url, POST_DATA).status_code == 403, name
    url = reverse("assessment:figures_autosave", kwargs={"pk": open_one.pk})
    assert member.post(url, _post_data("assessment:figures_autosave")).status_code == 403
    assert _state() == before


def test_the_admin_is_refused_to_board_members(three_trusts) -> None:
    response = client_for(three_trusts["A"]["lead"]).get("/admin/", follow=True)
    assert response.status_code == 403
