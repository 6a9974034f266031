"""The figures services refuse by themselves what the pages refuse first: a caller other
than the views (a command, a task, the shell) meets the same rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessment.models import Figure, FigureHolder, Membership
from assessment.selectors import pinned_for
from assessment.selectors.figures import held_sections, may_provide
from assessment.services.assessments import assessment_create, respondents_add
from assessment.services.figures import FigureChange, figure_holder_name, figures_save
from tests.assessment.conftest import client_for
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _save(assessment, user, *changes: FigureChange):
    return figures_save(
        assessment=assessment, user=user, pinned=pinned_for(assessment), changes=list(changes)
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (FigureChange("NOPE-1", "2", "x", 0), "There is no question NOPE-1 in this questionnaire."),
        (
            FigureChange("QUAL-5", "3", "x", 0),
            "QUAL-5 is a judgement: each board member answers it on their own pages.",
        ),
        (
            FigureChange("FIN-1", "-99", "Accounts", 0),
            "FIN-1 must be between -60 and 60% of income; -99 is outside that range.",
        ),
        (
            FigureChange("FIN-1", "-1", " ", 0),
            "FIN-1: give the source of the figure: the report or dataset, and the period it "
            "covers, like “Annual accounts 2024/25, note 12”.",
        ),
        (
            FigureChange("FIN-1", "-1", "a" * 501, 0),
            "FIN-1: shorten the source to 500 characters or fewer (it has 501).",
        ),
    ],
)
def test_the_service_refuses_a_bad_figure_whole(assessment, trust_lead, change, message) -> None:
    good = FigureChange("FIN-2", "1", "Annual accounts 2024/25", 0)
    with pytest.raises(ValidationError) as refused:
        _save(assessment, trust_lead.user, good, change)
    assert refused.value.messages[0].startswith(message)
    assert len(refused.value.messages) == 1
    assert not Figure.objects.exists()


def test_every_problem_is_listed_not_only_the_first(assessment, trust_lead) -> None:
    with pytest.raises(ValidationError) as refused:
        _save(
            assessment,
            trust_lead.user,
            FigureChange("NOPE-1", "2", "x", 0),
            FigureChange("QUAL-5", "3", "x", 0),
            FigureChange("FIN-1", "-1", "", 0),
            FigureChange("FIN-3", "4", "b" * 500, 0),
        )
    assert [message.split(" ")[0].rstrip(":") for message in refused.value.messages] == [
        "There",
        "QUAL-5",
        "FIN-1",
    ]


def test_a_source_of_exactly_the_limit_is_kept(assessment, trust_lead) -> None:
    _save(assessment, trust_lead.user, FigureChange("FIN-1", "-1", "s" * 500, 0))
    assert len(Figure.objects.get().source) == 500


def test_only_the_lead_or_this_assessments_holder_may_save(
    assessment, trust, trust_lead, board
) -> None:
    # A lead of another trust, and a holder named in another assessment of the same trust.
    stranger = MembershipFactory(role=Membership.Role.LEAD)
    other = assessment_create(
        organisation=trust, title="Another", reporting_period="2024", user=trust_lead.user
    )
    respondents_add(assessment=other, users=[board[0].user])
    figure_holder_name(
        assessment=other, section="FIN", user_id=board[0].user_id, named_by=trust_lead.user
    )
    for user in (stranger.user, board[0].user):
        assert not may_provide(assessment=assessment, user=user, section="FIN")
        with pytest.raises(PermissionDenied):
            _save(assessment, user, FigureChange("FIN-1", "-1", "Accounts", 0))
    assert not Figure.objects.exists()
    assert held_sections(assessment=assessment, user=board[0].user) == []
    assert held_sections(assessment=other, user=board[0].user) == ["FIN"]
    # Named in this assessment, they may: for FIN only.
    figure_holder_name(
        assessment=assessment, section="FIN", user_id=board[0].user_id, named_by=trust_lead.user
    )
    assert held_sections(assessment=assessment, user=board[1].user) == []
    _save(assessment, board[0].user, FigureChange("FIN-1", "-1", "Accounts", 0))
    with pytest.raises(PermissionDenied):
        _save(assessment, board[0].user, FigureChange("QUAL-1", "good", "CQC", 0))
    # The task is theirs alone, and only in this assessment.
    assert (
        "Figures you provide"
        in client_for(board[0]).get(f"/assessments/{assessment.pk}/response/").content.decode()
    )
    assert (
        "Figures you provide"
        not in client_for(board[1]).get(f"/assessments/{assessment.pk}/response/").content.decode()
    )
    assert FigureHolder.objects.count() == 2


def test_a_submitted_assessments_figures_are_refused_with_the_reason(
    assessment, trust_lead, board
) -> None:
    from tests.assessment.journey import answer_everything, enter_figures, submit_board
    from tests.personas import load_persona, persona_paths

    strong = load_persona(persona_paths()[2])["answers"]
    answer_everything(client_for(board[0]), assessment, strong)
    lead = client_for(trust_lead)
    enter_figures(lead, assessment, strong)
    assert submit_board(lead, assessment).status_code == 302
    with pytest.raises(ValidationError) as refused:
        _save(assessment, trust_lead.user, FigureChange("FIN-1", "-1", "Accounts", 0))
    assert refused.value.messages == [
        "The board's answers have been submitted, so the figures can no longer change."
    ]


def test_the_query_page_offers_a_way_back_to_the_page_it_came_from(assessment, board) -> None:
    own = f"/assessments/{assessment.pk}/response/WORK/"
    page = (
        client_for(board[0])
        .get(f"/assessments/{assessment.pk}/figures/WORK-4/query/?back={own}")
        .content.decode()
    )
    assert f'class="nhsuk-back-link" href="{own}"' in page
    assert f'name="back" value="{own}"' in page
    elsewhere = (
        client_for(board[0])
        .get(f"/assessments/{assessment.pk}/figures/WORK-4/query/?back=https://evil.example/")
        .content.decode()
    )
    assert f'class="nhsuk-back-link" href="/assessments/{assessment.pk}/figures/"' in elsewhere
    assert 'name="back" value="https' not in elsewhere
