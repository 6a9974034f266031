"""The board paper's cover sheet on the submit page: filled in from the result, changed by
the lead where the board's conventions need, checked with clear messages, and stored with
the submission."""

from __future__ import annotations

from html import escape

import pytest

from assessment.models import Submission
from tests.assessment.conftest import client_for
from tests.assessment.journey import (
    agree_judgements,
    answer_everything,
    enter_figures,
    form_fields,
)
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
MID = load_persona(persona_paths()[0])["answers"]


@pytest.fixture
def ready(assessment, trust_lead, board):
    for member in board:
        answer_everything(client_for(member), assessment, MID)
    lead = client_for(trust_lead)
    enter_figures(lead, assessment, MID)
    agree_judgements(lead, assessment, lambda code: f"Agreed {code}.")
    return lead


def _url(assessment) -> str:
    return f"/assessments/{assessment.pk}/submit/"


def test_the_cover_sheet_starts_from_the_result_and_is_stored_as_the_lead_leaves_it(
    ready, assessment, trust_lead
) -> None:
    page = ready.get(_url(assessment)).content.decode()
    cover = form_fields(page, "paper-")
    assert cover["paper-meeting"] == "Board of directors, meeting in public"
    assert cover["paper-title"] == (
        f"Assessment of the trust's sustainability, {assessment.reporting_period}"
    )
    assert cover["paper-report_of"] == trust_lead.user.get_full_name()
    assert cover["paper-purpose"] == "decision"
    assert cover["paper-recommendation"].startswith("The trust is sustainable")
    assert cover["paper-board_asked_to"].startswith("Note the verdict")

    cover.update(
        {
            "paper-agenda_item": "8.2",
            "paper-meeting_date": "12/3/2027",
            "paper-report_of": "Dr Ama Mensah, Director of Strategy",
            "paper-purpose": "assurance",
            "paper-strategic_objectives": "SO3: sustainable services for our population",
        }
    )
    reasons = {"reason-members": "Agreed at the March board."}
    done = ready.post(_url(assessment), {"confirm": "on", **cover, **reasons})
    assert done.status_code == 302, done.content.decode()[:3000]
    stored = Submission.objects.get(assessment=assessment).paper_details
    assert stored["agenda_item"] == "8.2"
    assert stored["meeting_date"] == "2027-03-12"
    assert stored["report_of"] == "Dr Ama Mensah, Director of Strategy"
    assert stored["purpose"] == "assurance"
    assert stored["strategic_objectives"] == "SO3: sustainable services for our population"
    assert stored["title"] == cover["paper-title"]


def test_a_cover_sheet_with_problems_is_refused_with_each_one_and_nothing_submitted(
    ready, assessment
) -> None:
    cover = form_fields(ready.get(_url(assessment)).content.decode(), "paper-")
    cover.update(
        {
            "paper-title": "",
            "paper-meeting_date": "31/2/2027",
            "paper-agenda_item": "x" * 21,
            "paper-purpose": "gossip",
            "paper-recommendation": "r" * 1001,
        }
    )
    page = ready.post(
        _url(assessment), {"confirm": "on", "reason-members": "Agreed.", **cover}
    ).content.decode()
    for message in (
        "Enter the title of the paper",
        "Enter the date of the meeting as a date, for example 12/3/2027",
        "Shorten the agenda item to 20 characters or fewer",
        "Choose the purpose of the paper: for decision, for assurance or for information",
        "Shorten the recommendation to 1,000 characters or fewer",
    ):
        assert escape(message) in page or message in page, message
    assert "<title>Error:" in page
    assert 'id="paper-cover"' in page
    assert '<details class="nhsuk-details" open>' in page
    assert "r" * 1001 in page  # what was typed is kept
    assert not Submission.objects.exists()


def test_a_post_without_the_cover_sheet_takes_the_defaults_the_page_shows(
    ready, assessment, trust_lead
) -> None:
    shown = form_fields(ready.get(_url(assessment)).content.decode(), "paper-")
    done = ready.post(_url(assessment), {"confirm": "on", "reason-members": "Agreed."})
    assert done.status_code == 302
    stored = Submission.objects.get(assessment=assessment).paper_details
    assert stored["title"] == shown["paper-title"]
    assert stored["recommendation"] == shown["paper-recommendation"]
    assert stored["purpose"] == "decision"
