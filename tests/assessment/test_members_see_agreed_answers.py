"""Once the board's answers are submitted, every member sees on screen what the board agreed
and why: each judgement's agreed answer and its rationale, not only in the paper."""

from __future__ import annotations

from html import escape

import pytest

from assessment import selectors
from assessment.services.submissions import AgreedChange, agreed_answers_save, assessment_submit
from tests.assessment.conftest import client_for
from tests.assessment.journey import REASONS, answer_everything, enter_figures
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
MID = load_persona(persona_paths()[0])["answers"]
RATIONALE = "The chair's account of the partnership talks of 4 March; see the minutes, item 7."


def test_a_member_sees_every_agreed_judgement_and_its_rationale(
    assessment, trust_lead, board
) -> None:
    answer_everything(client_for(board[0]), assessment, MID)
    enter_figures(client_for(trust_lead), assessment, MID)
    agreed_answers_save(
        assessment=assessment,
        user=trust_lead.user,
        changes=[AgreedChange(code="SYS-7", value="no", rationale=RATIONALE, version=0)],
    )
    member = client_for(board[1])
    assert member.get(f"/assessments/{assessment.pk}/results/").status_code == 403
    assessment_submit(assessment=assessment, user=trust_lead.user, reasons=REASONS)

    page = member.get(f"/assessments/{assessment.pk}/results/").content.decode()
    section = page[page.index('id="agreed"') : page.index('id="figures"')]
    pinned = selectors.pinned_for(assessment)
    for question in pinned.judgements:
        assert escape(question.text) in section, question.code
    assert escape(RATIONALE) in section
    assert section.count("<tr") == len(pinned.judgements) + 1
    # The figures are listed with their sources, not among the agreed judgements.
    for question in pinned.figures:
        assert escape(question.text) not in section, question.code


def test_a_members_own_page_links_to_the_agreed_answers_once_submitted(
    assessment, trust_lead, board
) -> None:
    answer_everything(client_for(board[0]), assessment, MID)
    enter_figures(client_for(trust_lead), assessment, MID)
    link = f'href="/assessments/{assessment.pk}/results/#agreed"'
    member = client_for(board[0])
    assert link not in member.get(f"/assessments/{assessment.pk}/response/").content.decode()
    assessment_submit(assessment=assessment, user=trust_lead.user, reasons=REASONS)
    assert link in member.get(f"/assessments/{assessment.pk}/response/").content.decode()
