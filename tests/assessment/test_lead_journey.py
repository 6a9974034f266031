"""The lead starts an assessment, brings the board in, agrees the answers and submits."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from assessment.models import (
    AgreedAnswer,
    Answer,
    Assessment,
    Figure,
    Invitation,
    Membership,
    Respondent,
    Submission,
)
from assessment.scoring.decimals import display
from assessment.selectors import pinned_for
from assessment.services.assessments import invitation_token
from tests.assessment.conftest import client_for
from tests.assessment.journey import (
    SOURCE,
    agree,
    answer_everything,
    consensus_codes,
    enter_figures,
    submit_board,
)
from tests.factories import MembershipFactory
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
MID = load_persona(persona_paths()[0])["answers"]
FRAGILE = load_persona(persona_paths()[1])["answers"]
STRONG = load_persona(persona_paths()[2])["answers"]


def test_only_a_lead_starts_an_assessment_pinned_to_the_published_versions(
    trust, trust_lead, board
) -> None:
    url = f"/trusts/{trust.pk}/assessments/new/"
    assert client_for(board[0]).get(url).status_code == 403
    lead = client_for(trust_lead)
    errors = lead.post(url, {"title": "", "reporting_period": ""}).content.decode()
    assert "Enter a title for the assessment" in errors
    assert "Enter the reporting period" in errors
    response = lead.post(url, {"title": "Board assessment", "reporting_period": "2025 to 2026"})
    assessment = Assessment.objects.get()
    assert response["Location"] == f"/assessments/{assessment.pk}/"
    assert (assessment.questionnaire_version.number, assessment.catalogue_version.number) == (1, 1)
    assert assessment.organisation == trust


def test_invitation_email_link_lets_a_new_member_set_a_password_and_start(
    assessment, trust_lead, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    lead = client_for(trust_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(
            f"/assessments/{assessment.pk}/invite/",
            {"full_name": "Priya Shah", "email": "Priya.Shah@Trust.nhs.uk"},
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["priya.shah@trust.nhs.uk"]
    link = re.search(r"http://testserver(/invitations/\S+/)", mailoutbox[0].body).group(1)

    newcomer = Client()
    form = newcomer.get(link).content.decode()
    assert "Set up your account" in form
    weak = newcomer.post(
        link,
        {"first_name": "Priya", "last_name": "Shah", "password1": "short", "password2": "short"},
    ).content.decode()
    assert "at least 12 characters" in weak
    done = newcomer.post(
        link,
        {
            "first_name": "Priya",
            "last_name": "Shah",
            "password1": "a-new-long-passphrase",
            "password2": "a-new-long-passphrase",
        },
    )
    assert done["Location"] == f"/assessments/{assessment.pk}/response/"
    user = get_user_model().objects.get(username="priya.shah@trust.nhs.uk")
    assert user.check_password("a-new-long-passphrase")
    assert Membership.objects.get(user=user).organisation == assessment.organisation
    assert Respondent.objects.filter(assessment=assessment, user=user).exists()
    # The link works once.
    again = Client().get(link)
    assert again.status_code == 400
    assert "already been used" in again.content.decode()


def test_a_tampered_or_expired_invitation_is_explained(assessment, trust_lead, settings) -> None:
    invitation = Invitation.objects.create(
        assessment=assessment, email="late@trust.nhs.uk", full_name="Late Comer"
    )
    token = invitation_token(invitation)
    assert "not complete" in Client().get(f"/invitations/{token[:-3]}xyz/").content.decode()
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    later = timezone.now() + timedelta(days=15)
    with mock.patch("time.time", return_value=later.timestamp()):
        expired = Client().get(f"/invitations/{token}/")
    assert expired.status_code == 400
    assert "has expired" in expired.content.decode()


def test_inviting_an_existing_member_of_the_trust_adds_them_straight_away(
    assessment, trust, trust_lead, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    existing = MembershipFactory(organisation=trust)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(trust_lead).post(
            f"/assessments/{assessment.pk}/invite/",
            {"full_name": "Known Member", "email": existing.user.email},
        )
    assert Respondent.objects.filter(assessment=assessment, user=existing.user).exists()
    assert "Sign in and start here" in mailoutbox[0].body


def test_lead_adds_existing_members_and_sees_who_has_started(
    assessment, trust, trust_lead, board
) -> None:
    extra = MembershipFactory(organisation=trust)
    lead = client_for(trust_lead)
    page = lead.get(f"/assessments/{assessment.pk}/").content.decode()
    assert extra.user.email in page
    lead.post(f"/assessments/{assessment.pk}/members/", {"users": [str(extra.user_id)]})
    assert Respondent.objects.filter(assessment=assessment, user=extra.user).exists()
    client_for(board[0]).post(
        f"/assessments/{assessment.pk}/response/QUAL/", {"q-QUAL-5": "3", "v-QUAL-5": "0"}
    )
    table = lead.get(f"/assessments/{assessment.pk}/").content.decode()
    # Progress counts the 16 judgements: the figures are the lead's, entered once.
    assert "1 of 16" in table
    assert "In progress" in table
    assert "Not started" in table


def _answer_three(assessment, trust_lead, board) -> None:
    """Three members' judgements, far apart on QUAL-5; the lead's figures, entered once."""
    answer_everything(client_for(board[0]), assessment, MID)
    answer_everything(client_for(board[1]), assessment, FRAGILE)
    answer_everything(client_for(board[2]), assessment, STRONG)
    enter_figures(client_for(trust_lead), assessment, MID)


def test_consensus_shows_each_members_answer_median_and_divergence(
    assessment, trust_lead, board
) -> None:
    _answer_three(assessment, trust_lead, board)
    lead = client_for(trust_lead)
    html = lead.get(f"/assessments/{assessment.pk}/consensus/").content.decode()
    # The judgements, and only they: the figures are not the board's to agree.
    codes = consensus_codes(lead, assessment)
    assert codes == [question.code for question in pinned_for(assessment).judgements]
    assert 'id="consensus-QUAL-1"' not in html
    # LEAD-3: 3, 3, 4: within one level. QUAL-5: 3, 2, 4: spread 2.
    qual5 = html[html.index('id="consensus-QUAL-5"') : html.index('id="consensus-WORK-3"')]
    assert "Divergent" in qual5
    assert "2 levels" in qual5
    assert "Level 3" in qual5
    lead3 = html[html.index('id="consensus-LEAD-3"') : html.index('id="consensus-LEAD-4"')]
    assert "Divergent" not in lead3
    divergent = consensus_codes(lead, assessment, "divergent")
    assert "QUAL-5" in divergent
    assert "LEAD-3" not in divergent
    # Each member's answer, named, on the question's own page.
    question = lead.get(f"/assessments/{assessment.pk}/consensus/QUAL-5/").content.decode()
    for member in board:
        assert member.user.get_full_name() in question
    assert "Median</dt>" in question
    assert "Level 3" in question


def test_submission_needs_a_rationale_for_each_divergent_question(
    assessment, trust_lead, board
) -> None:
    _answer_three(assessment, trust_lead, board)
    lead = client_for(trust_lead)
    refused = lead.post(f"/assessments/{assessment.pk}/submit/").content.decode()
    assert "There is a problem" in refused
    assert (
        "QUAL-5: give a rationale for the agreed answer, because members&#x27; answers diverged"
        in refused
    )
    assert not Submission.objects.exists()
    # The refused submission locked no response: the transaction undid it.
    assert not Respondent.objects.filter(assessment=assessment, locked_at__isnull=False).exists()

    missing = agree(lead, assessment, "QUAL-5", value="2")
    assert "Give the board&#x27;s rationale for QUAL-5" in missing.content.decode()
    assert not AgreedAnswer.objects.filter(question__code="QUAL-5").exists()
    for code in consensus_codes(lead, assessment, "divergent"):
        saved = agree(
            lead,
            assessment,
            code,
            value="2" if code == "QUAL-5" else None,
            rationale="Agreed at the board seminar on 3 November.",
        )
        assert saved.status_code == 302
    assert AgreedAnswer.objects.get(question__code="QUAL-5").value == "2"

    first = submit_board(lead, assessment)
    assert first["Location"] == f"/assessments/{assessment.pk}/results/"
    second = lead.post(f"/assessments/{assessment.pk}/submit/", follow=True)
    assert "already submitted" in second.content.decode()
    assert Submission.objects.count() == 1
    submission = Submission.objects.get()
    assert submission.respondent_count == 3
    qual5 = next(row for row in submission.agreed_answers if row["code"] == "QUAL-5")
    assert qual5["rationale"] == "Agreed at the board seminar on 3 November."
    # The lead's figures went to the agreed answers as entered, with their source.
    qual1 = next(row for row in submission.agreed_answers if row["code"] == "QUAL-1")
    assert (qual1["answered_by"], qual1["value"], qual1["source"]) == ("figure", "good", SOURCE)
    assert qual1["divergent"] is False

    # Every answer is locked now, each response as of the submission.
    assert set(
        Respondent.objects.filter(assessment=assessment).values_list("locked_at", flat=True)
    ) == {submission.submitted_at}
    locked = client_for(board[0]).post(
        f"/assessments/{assessment.pk}/response/autosave/",
        {"question": "QUAL-5", "q-QUAL-5": "1", "v-QUAL-5": "1"},
    )
    assert locked.status_code == 409
    assert Answer.objects.filter(question__code="QUAL-5", value="1").count() == 0


def test_results_are_a_preview_for_the_lead_and_hidden_from_members_until_submitted(
    assessment, trust_lead, board
) -> None:
    _answer_three(assessment, trust_lead, board)
    lead = client_for(trust_lead)
    preview = lead.get(f"/assessments/{assessment.pk}/results/").content.decode()
    assert "Draft: not yet submitted" in preview
    assert client_for(board[0]).get(f"/assessments/{assessment.pk}/results/").status_code == 403


def test_results_page_shows_verdict_chart_menu_and_what_would_change(
    assessment, trust_lead, board
) -> None:
    answers = {**STRONG}
    for member in board:
        answer_everything(client_for(member), assessment, answers)
    lead = client_for(trust_lead)
    enter_figures(lead, assessment, answers)
    submit_board(lead, assessment)
    html = client_for(board[0]).get(f"/assessments/{assessment.pk}/results/").content.decode()
    assert "At what point should a trust conclude" in html
    assert "Sustainable, and in a position to extend its reach" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in html
    assert "Scores by area, as a table" in html
    assert "/organisational-forms/version-1/" in html
    assert "Forms ruled out" in html
    assert "What would most change this" in html
    assert "What would change the recommendation, in full" in html
    assert "The top form is " in html
    assert "Missing evidence" in html
    # The trust's figures, each with the source the lead gave it.
    figures = html[html.index('id="figures"') : html.index('id="missing"')]
    assert figures.count(f'<td class="nhsuk-table__cell">{SOURCE}</td>') == len(
        pinned_for(assessment).figures
    )


def test_what_if_shows_both_results_and_changes_nothing(assessment, trust_lead, board) -> None:
    for member in board:
        answer_everything(client_for(member), assessment, FRAGILE)
    lead = client_for(trust_lead)
    enter_figures(lead, assessment, FRAGILE)
    submit_board(lead, assessment)
    stored = Submission.objects.get().result
    figures = sorted(Figure.objects.values_list("question_id", "value", "source", "version"))
    assert len(figures) == len(pinned_for(assessment).figures)
    page = lead.get(f"/assessments/{assessment.pk}/what-if/").content.decode()
    data = {}
    for name, value in re.findall(
        r'name="(q-[A-Z0-9-]+)" type="radio" value="([^"]+)" checked', page
    ):
        data[name] = value
    for name, value in re.findall(r'name="(n-[A-Z0-9-]+)"[^>]*value="([^"]*)"', page):
        data[name] = value
    data["q-QUAL-2"] = "yes"  # special measures
    response = lead.post(f"/assessments/{assessment.pk}/what-if/", data)
    html = response.content.decode()
    assert "Not sustainable in its present form" in html
    assert "Sustainable; strengthen through collaboration" in html
    assert "<strong>QUAL-2</strong>: No → Yes" in html
    assert Submission.objects.get().result == stored
    assert not AgreedAnswer.objects.exists()
    assert sorted(Figure.objects.values_list("question_id", "value", "source", "version")) == (
        figures
    )


def test_history_shows_each_submission_with_its_index(assessment, trust, trust_lead, board) -> None:
    for member in board:
        answer_everything(client_for(member), assessment, MID)
    lead = client_for(trust_lead)
    enter_figures(lead, assessment, MID)
    submit_board(lead, assessment)
    html = client_for(board[0]).get(f"/trusts/{trust.pk}/history/").content.decode()
    assert "Assessments over time" in html
    assert "Board assessment" in html
    submission = Submission.objects.get()
    assert submission.result["verdict"]["label"] in html
    assert display(submission.index) in html
    assert 'aria-labelledby="trend-title trend-desc"' in html
