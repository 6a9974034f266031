"""The member's task list and check page run a fixed number of queries, whether the member
has answered nothing or everything, on a board of one or of many, named to provide no
section's figures or several, with the trust's figures entered and queried or not."""

from __future__ import annotations

import pytest

from assessment.models import Membership
from assessment.selectors import pinned_for
from assessment.services.assessments import assessment_create, respondents_add
from assessment.services.figures import figure_holder_name, figure_query_raise
from tests.assessment.conftest import client_for
from tests.assessment.journey import answer_everything, enter_figures
from tests.factories import MembershipFactory, OrganisationFactory
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
ANSWERS = load_persona(persona_paths()[0])["answers"]

# Every request reads the session and the user (2); then the member's response with its
# assessment, trust, pinned questionnaire and the member's role (1); their answers (1).
# The task list also reads the sections whose figures the member was named to provide (1)
# and, only for a member named for some, how many of their figures are entered: the figures
# and the published values that stand for those not entered (2).
TASKS_QUERIES = 5
HOLDERS_TASKS_QUERIES = TASKS_QUERIES + 2
CHECK_QUERIES = 4
HELD = {"PERF": "Operational performance", "WORK": "Workforce"}


def _member_of_a_board(size: int, answered: bool, holds: bool):
    """With `answered`, the member has answered everything, the lead has entered the
    figures and every member has queried one. With `holds`, the member was named to provide
    two sections' figures."""
    trust = OrganisationFactory()
    board = [MembershipFactory(organisation=trust) for _ in range(size)]
    lead = MembershipFactory(organisation=trust, role=Membership.Role.LEAD)
    assessment = assessment_create(
        organisation=trust, title="Sized", reporting_period="2026", user=lead.user
    )
    respondents_add(assessment=assessment, users=[m.user for m in board])
    client = client_for(board[0])
    if answered:
        answer_everything(client, assessment, ANSWERS)
        enter_figures(client_for(lead), assessment, ANSWERS)
        for member in board:
            figure_query_raise(
                assessment=assessment,
                user=member.user,
                pinned=pinned_for(assessment),
                code="FIN-1",
                comment="The accounts say otherwise.",
            )
    if holds:
        for section in HELD:
            figure_holder_name(
                assessment=assessment, section=section, user_id=board[0].user_id, named_by=lead.user
            )
    return client, assessment


@pytest.mark.parametrize("holds", [False, True], ids=["answering", "providing figures"])
@pytest.mark.parametrize(("size", "answered"), [(1, False), (6, True)])
def test_task_list_and_check_page_queries_are_pinned(
    size: int, answered: bool, holds: bool, django_assert_num_queries
) -> None:
    client, assessment = _member_of_a_board(size, answered, holds)
    tasks = f"/assessments/{assessment.pk}/response/"
    check = f"/assessments/{assessment.pk}/response/check/"
    for url in (tasks, check):
        client.get(url)  # the first request fills per-process caches
    with django_assert_num_queries(HOLDERS_TASKS_QUERIES if holds else TASKS_QUERIES):
        page = client.get(tasks)
    assert page.status_code == 200
    html = page.content.decode()
    assert assessment.organisation.name in html  # read in the same query
    for section, name in HELD.items():
        assert (f"Trust figures: {name}" in html) is holds, section
        if holds:
            total = len(pinned_for(assessment).figures_by_section[section])
            assert f"{total if answered else 0} of {total} entered" in html, section
    with django_assert_num_queries(CHECK_QUERIES):
        assert client.get(check).status_code == 200
