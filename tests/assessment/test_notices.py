"""Emails that tell someone their part has come: a member named to provide a section's
figures, and the leads once every member still answering has finished. Fixed subjects, the
text as typed, sent once the change commits."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from assessment.models import Respondent
from assessment.selectors import pinned_for
from assessment.services.figures import figure_holder_name
from assessment.services.notices import FIGURES_REQUESTED_SUBJECT, READY_FOR_BOARD_SUBJECT
from tests.assessment.conftest import client_for
from tests.assessment.journey import answer_everything
from tests.factories import MembershipFactory
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
ANSWERS = load_persona(persona_paths()[0])["answers"]
SITE = "https://assess.example.nhs.uk"


@pytest.fixture(autouse=True)
def _site(settings) -> None:
    settings.SITE_URL = SITE


def _name(assessment, section, member, lead, capture) -> None:
    with capture(execute=True):
        figure_holder_name(
            assessment=assessment,
            section=section.code,
            user_id=member.user_id if member else None,
            named_by=lead.user,
        )


def test_a_member_named_for_a_sections_figures_is_told_once(
    assessment, board, trust_lead, django_capture_on_commit_callbacks
) -> None:
    section = pinned_for(assessment).figure_sections[0]
    _name(assessment, section, board[0], trust_lead, django_capture_on_commit_callbacks)

    [sent] = mail.outbox
    assert sent.to == [board[0].user.email]
    assert sent.subject == FIGURES_REQUESTED_SUBJECT
    assert f'figures for "{section.name}"' in sent.body
    assert f"{SITE}/assessments/{assessment.pk}/figures/{section.code}/" in sent.body
    assert trust_lead.user.get_full_name() in sent.body

    # Named again: nothing new. Given back to the lead: nothing. Another member: told.
    _name(assessment, section, board[0], trust_lead, django_capture_on_commit_callbacks)
    _name(assessment, section, None, trust_lead, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    _name(assessment, section, board[1], trust_lead, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[board[0].user.email], [board[1].user.email]]


def test_the_lead_naming_themselves_is_not_emailed(
    assessment, trust_lead, django_capture_on_commit_callbacks
) -> None:
    section = pinned_for(assessment).figure_sections[0]
    _name(assessment, section, trust_lead, trust_lead, django_capture_on_commit_callbacks)
    assert not mail.outbox


def _complete(member, assessment, capture) -> None:
    client = client_for(member)
    answer_everything(client, assessment, ANSWERS)
    with capture(execute=True):
        response = client.post(f"/assessments/{assessment.pk}/response/complete/")
    assert response.status_code == 302


def test_the_leads_hear_when_the_last_member_still_answering_finishes(
    assessment, board, trust, trust_lead, django_capture_on_commit_callbacks
) -> None:
    second_lead = MembershipFactory(organisation=trust, role=trust_lead.role)
    capture = django_capture_on_commit_callbacks
    _complete(board[0], assessment, capture)
    assert not mail.outbox
    Respondent.objects.filter(assessment=assessment, user=board[2].user).update(
        removed_at=timezone.now(), removed_by=trust_lead.user
    )
    _complete(board[1], assessment, capture)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [trust_lead.user.email, second_lead.user.email]
    )
    sent = mail.outbox[0]
    assert sent.subject == READY_FOR_BOARD_SUBJECT
    assert "(2 members)" in sent.body
    assert f"{SITE}/assessments/{assessment.pk}/" in sent.body
    assert board[0].user.email not in [m.to[0] for m in mail.outbox]


def test_no_ready_email_while_a_member_still_answering_has_not_finished(
    assessment, board, django_capture_on_commit_callbacks
) -> None:
    _complete(board[0], assessment, django_capture_on_commit_callbacks)
    _complete(board[1], assessment, django_capture_on_commit_callbacks)
    assert not mail.outbox
