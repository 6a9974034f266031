"""A member the lead removed from an assessment: their answers stay in the record, but they
no longer count towards the consensus, the board's progress, the readiness check or the
number of members the result records, and they can no longer change them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessment import selectors
from assessment.models import Answer, Membership, Respondent
from assessment.services.answers import AnswerChange, answers_save
from assessment.services.assessments import respondents_add
from assessment.services.submissions import consensus_rows
from tests.assessment.conftest import client_for
from tests.assessment.journey import answer_everything
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
FRAGILE = load_persona(persona_paths()[1])["answers"]
STRONG = load_persona(persona_paths()[2])["answers"]


def _remove(assessment, membership, by) -> Respondent:
    respondent = Respondent.objects.get(assessment=assessment, user=membership.user)
    respondent.removed_at = timezone.now()
    respondent.removed_by = by.user
    respondent.save(update_fields=["removed_at", "removed_by"])
    return respondent


@pytest.fixture
def answered(assessment, board):
    answer_everything(client_for(board[0]), assessment, FRAGILE)
    answer_everything(client_for(board[1]), assessment, STRONG)
    return assessment


def test_a_removed_members_answers_are_kept_but_not_counted(answered, board, trust_lead) -> None:
    before = consensus_rows(assessment=answered)
    assert any(row.divergent for row in before)
    removed = _remove(answered, board[1], trust_lead)

    assert Answer.objects.filter(respondent=removed).count() == 16  # kept in the record
    rows = consensus_rows(assessment=answered)
    names = {member.name for row in rows for member in row.members}
    assert board[1].user.get_full_name() not in names
    assert board[0].user.get_full_name() in names
    assert not any(row.divergent for row in rows)  # one member left: nothing divergent

    progress = selectors.board_progress(assessment=answered, pinned=selectors.pinned_for(answered))
    assert [m.respondent.user for m in progress.members] == sorted(
        [board[0].user, board[2].user], key=lambda user: (user.last_name, user.first_name)
    )
    assert [r.user for r in progress.removed] == [board[1].user]
    # The removed member can be added back; the others answering cannot be added twice.
    assert {m.user for m in progress.addable} == {board[1].user, trust_lead.user}


def test_a_removed_member_cannot_save_and_their_pages_answer_404(
    answered, board, trust_lead
) -> None:
    removed = _remove(answered, board[1], trust_lead)
    pinned = selectors.pinned_for(answered)
    with pytest.raises(ValidationError, match="removed you from this assessment"):
        answers_save(
            respondent=removed,
            pinned=pinned,
            changes=[AnswerChange(code="QUAL-5", value="1", note="", version=1)],
        )
    client = client_for(board[1])
    assert client.get(f"/assessments/{answered.pk}/response/").status_code == 404
    assert selectors.respondent_for(assessment=answered, user=board[1].user) is None


def test_adding_a_removed_member_again_brings_them_and_their_answers_back(
    answered, board, trust_lead
) -> None:
    _remove(answered, board[1], trust_lead)
    respondents_add(assessment=answered, users=[board[1].user])
    respondent = Respondent.objects.get(assessment=answered, user=board[1].user)
    assert respondent.removed_at is None
    names = {m.name for row in consensus_rows(assessment=answered) for m in row.members}
    assert board[1].user.get_full_name() in names


def test_members_answers_carry_their_board_role(answered, board) -> None:
    Membership.objects.filter(pk=board[0].pk).update(board_role="non_executive")
    Membership.objects.filter(pk=board[1].pk).update(board_role="executive")
    roles = {
        member.name: member.board_role for member in consensus_rows(assessment=answered)[0].members
    }
    assert roles == {
        board[0].user.get_full_name(): "non_executive",
        board[1].user.get_full_name(): "executive",
        board[2].user.get_full_name(): "",
    }
