"""The member's task list and check page run a fixed number of queries, whether the member
has answered nothing or everything, on a board of one or of many."""

from __future__ import annotations

import pytest

from assessment.services.assessments import assessment_create, respondents_add
from tests.assessment.conftest import client_for
from tests.assessment.journey import answer_everything
from tests.factories import MembershipFactory, OrganisationFactory
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
ANSWERS = load_persona(persona_paths()[0])["answers"]

# Every request reads the session and the user (2); then the member's response with its
# assessment, trust, pinned questionnaire and the member's role (1); their answers (1).
TASKS_QUERIES = 4
CHECK_QUERIES = 4


def _member_of_a_board(size: int, answered: bool):
    trust = OrganisationFactory()
    board = [MembershipFactory(organisation=trust) for _ in range(size)]
    lead = MembershipFactory(organisation=trust)
    assessment = assessment_create(
        organisation=trust, title="Sized", reporting_period="2026", user=lead.user
    )
    respondents_add(assessment=assessment, users=[m.user for m in board])
    client = client_for(board[0])
    if answered:
        answer_everything(client, assessment, ANSWERS)
    return client, assessment


@pytest.mark.parametrize(("size", "answered"), [(1, False), (6, True)])
def test_task_list_and_check_page_queries_are_pinned(
    size: int, answered: bool, django_assert_num_queries
) -> None:
    client, assessment = _member_of_a_board(size, answered)
    tasks = f"/assessments/{assessment.pk}/response/"
    check = f"/assessments/{assessment.pk}/response/check/"
    for url in (tasks, check):
        client.get(url)  # the first request fills per-process caches
    with django_assert_num_queries(TASKS_QUERIES):
        page = client.get(tasks)
    assert page.status_code == 200
    assert assessment.organisation.name in page.content.decode()  # read in the same query
    with django_assert_num_queries(CHECK_QUERIES):
        assert client.get(check).status_code == 200
