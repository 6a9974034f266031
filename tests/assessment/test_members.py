"""The lead's pages for the board: the response deadline, each member's place on the board,
removing a member, and resending or cancelling an invitation. Lead only, every change by
POST; a member, another trust's lead, a visitor who is not signed in, and the lead once the
board's answers are submitted are all refused, and nothing is written."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from assessment.models import Answer, Assessment, Invitation, Membership, Respondent
from assessment.selectors import board_progress, pinned_for
from assessment.services.assessments import INVITATION_SUBJECT
from assessment.services.submissions import assessment_submit
from tests.assessment.conftest import client_for
from tests.assessment.journey import REASONS, answer_everything, enter_figures
from tests.assessment.state import changed_tables, database_fingerprint
from tests.factories import MembershipFactory, OrganisationFactory
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
ANSWERS = load_persona(persona_paths()[0])["answers"]
LINK = re.compile(r"https?://\S+/invitations/\S+/")


def _date(days: int) -> dict[str, str]:
    day = timezone.localdate() + timedelta(days=days)
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}


def _invite(client: Client, assessment: Assessment, email: str, capture) -> str:
    """Invite someone new; the link in the email."""
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(
            f"/assessments/{assessment.pk}/invite/", {"full_name": "Ada Price", "email": email}
        )
    assert response.status_code == 302
    [sent] = mail.outbox
    return LINK.search(sent.body).group(0)


@pytest.fixture
def lead_client(trust_lead) -> Client:
    return client_for(trust_lead)


# --------------------------------------------------------------------------- the deadline


def test_the_lead_sets_a_deadline_and_the_overview_shows_it(
    assessment, lead_client, django_capture_on_commit_callbacks
) -> None:
    overview = lead_client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "No response deadline is set." in overview
    assert f'href="/assessments/{assessment.pk}/deadline/">Set a deadline for answers' in overview

    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(f"/assessments/{assessment.pk}/deadline/", _date(21))
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{assessment.pk}/"
    assessment.refresh_from_db()
    deadline = timezone.localdate() + timedelta(days=21)
    assert assessment.response_deadline == deadline

    page = lead_client.get(response["Location"]).content.decode()
    assert f"{deadline.day} {deadline:%B %Y}" in page
    assert "Members are asked to finish answering by" in page
    assert "Change the deadline" in page


def test_members_see_the_deadline_on_the_overview(assessment, board) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(
        response_deadline=timezone.localdate() + timedelta(days=9)
    )
    deadline = timezone.localdate() + timedelta(days=9)
    page = client_for(board[0]).get(f"/assessments/{assessment.pk}/").content.decode()
    assert f"Members are asked to finish answering by <strong>{deadline.day} " in page
    assert "/deadline/" not in page


def test_members_who_have_not_finished_see_the_deadline_on_their_task_list(
    assessment, board
) -> None:
    deadline = timezone.localdate() + timedelta(days=9)
    Assessment.objects.filter(pk=assessment.pk).update(response_deadline=deadline)
    url = f"/assessments/{assessment.pk}/response/"
    page = client_for(board[0]).get(url).content.decode()
    assert f"finish by <strong>{deadline.day} {deadline:%B %Y}</strong>" in page
    Respondent.objects.filter(assessment=assessment, user=board[0].user).update(
        completed_at=timezone.now()
    )
    assert "finish by" not in client_for(board[0]).get(url).content.decode()


@pytest.mark.parametrize(
    ("data", "message", "marked"),
    [
        ({"day": "", "month": "", "year": ""}, "Enter the date members should finish by", 3),
        ({"day": "15", "month": "", "year": "2027"}, "The deadline must include a month", 1),
        (
            {"day": "", "month": "3", "year": ""},
            "The deadline must include a day and a year",
            2,
        ),
        ({"day": "15", "month": "March", "year": "2027"}, "Enter the deadline in numbers", 1),
        ({"day": "31", "month": "2", "year": "2027"}, "The deadline must be a real date", 3),
        ({"day": "1", "month": "1", "year": "27"}, "Enter the year as 4 digits", 1),
        (_date(0), "Enter a deadline in the future, for example ", 3),
        (_date(-1), "Enter a deadline in the future, for example ", 3),
        (_date(400), "Enter a deadline within a year from today, on or before ", 3),
    ],
)
def test_a_deadline_that_will_not_do_is_refused_with_a_message_that_says_what_to_do(
    assessment, lead_client, data: dict[str, str], message: str, marked: int
) -> None:
    before = database_fingerprint()
    response = lead_client.post(f"/assessments/{assessment.pk}/deadline/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    summary = page.split('class="nhsuk-error-summary"')[1].split("</div>")[0]
    assert message in summary
    assert 'id="deadline-error"' in page
    assert page.count(message) == 2  # in the summary and beside the date
    assert page.count("nhsuk-input--error") == marked
    assert changed_tables(before, database_fingerprint()) == []


def test_the_deadline_page_keeps_what_was_typed_and_shows_the_current_deadline(
    assessment, lead_client
) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(
        response_deadline=timezone.localdate() + timedelta(days=30)
    )
    deadline = timezone.localdate() + timedelta(days=30)
    page = lead_client.get(f"/assessments/{assessment.pk}/deadline/").content.decode()
    assert f'name="day" type="text" inputmode="numeric" value="{deadline.day}"' in page
    assert f'name="year" type="text" inputmode="numeric" value="{deadline.year}"' in page
    typed = lead_client.post(
        f"/assessments/{assessment.pk}/deadline/", {"day": "31", "month": "2", "year": "2031"}
    ).content.decode()
    assert 'name="day" type="text" inputmode="numeric" value="31"' in typed


# --------------------------------------------------------------------------- members


def test_the_lead_records_where_a_member_sits_on_the_board(assessment, board, lead_client):
    respondent = Respondent.objects.get(assessment=assessment, user=board[0].user)
    url = f"/assessments/{assessment.pk}/members/{respondent.pk}/"
    overview = lead_client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert f'href="{url}"' in overview

    page = lead_client.get(url).content.decode()
    for label in ("Chair", "Non-executive director", "Executive director", "Other attendee"):
        assert f">{label}</label>" in page

    refused = lead_client.post(url, {"board_role": "treasurer"})
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    response = lead_client.post(url, {"board_role": "non_executive"})
    assert response.status_code == 302
    board[0].refresh_from_db()
    assert board[0].board_role == Membership.BoardRole.NON_EXECUTIVE
    assert 'value="non_executive" checked' in lead_client.get(url).content.decode()


def test_a_removed_member_keeps_their_answers_which_stop_counting_until_added_back(
    assessment, board, lead_client
) -> None:
    answer_everything(client_for(board[0]), assessment, ANSWERS)
    respondent = Respondent.objects.get(assessment=assessment, user=board[0].user)
    kept = Answer.objects.filter(respondent=respondent).count()
    url = f"/assessments/{assessment.pk}/members/{respondent.pk}/remove/"

    page = lead_client.get(url).content.decode()
    assert "Their answers are kept in the record, but no longer count" in page
    unconfirmed = lead_client.post(url, {})
    assert unconfirmed.status_code == 200
    assert "Confirm that you want to remove them from this assessment" in (
        unconfirmed.content.decode()
    )
    respondent.refresh_from_db()
    assert respondent.removed_at is None

    assert lead_client.post(url, {"confirm": "on"}).status_code == 302
    respondent.refresh_from_db()
    assert respondent.removed_at is not None
    assert respondent.removed_by == assessment.created_by
    assert Answer.objects.filter(respondent=respondent).count() == kept
    progress = board_progress(assessment=assessment, pinned=pinned_for(assessment))
    assert respondent not in [member.respondent for member in progress.members]
    assert progress.removed == [respondent]
    overview = lead_client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "Removed from this assessment" in overview

    # Added back by the lead: the same response, its answers counting again.
    added = lead_client.post(
        f"/assessments/{assessment.pk}/members/", {"users": [str(board[0].user_id)]}
    )
    assert added.status_code == 302
    respondent.refresh_from_db()
    assert respondent.removed_at is None
    assert respondent.removed_by is None
    assert Respondent.objects.filter(assessment=assessment, user=board[0].user).count() == 1


def test_a_removed_member_invited_again_comes_back(assessment, board, lead_client) -> None:
    respondent = Respondent.objects.get(assessment=assessment, user=board[1].user)
    url = f"/assessments/{assessment.pk}/members/{respondent.pk}/remove/"
    assert lead_client.post(url, {"confirm": "on"}).status_code == 302
    response = lead_client.post(
        f"/assessments/{assessment.pk}/invite/",
        {"full_name": "Returning Member", "email": board[1].user.email},
    )
    assert response.status_code == 302
    respondent.refresh_from_db()
    assert respondent.removed_at is None


# --------------------------------------------------------------------------- invitations


def test_resending_an_invitation_sends_a_new_link_and_the_old_one_stops_working(
    assessment, lead_client, django_capture_on_commit_callbacks
) -> None:
    capture = django_capture_on_commit_callbacks
    old_link = _invite(lead_client, assessment, "ada.price@trust.nhs.uk", capture)
    invitation = Invitation.objects.get(assessment=assessment)
    first_sent = invitation.sent_at

    mail.outbox.clear()
    with capture(execute=True):
        response = lead_client.post(
            f"/assessments/{assessment.pk}/invitations/{invitation.pk}/resend/"
        )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.send_count == 2
    assert invitation.sent_at > first_sent
    [sent] = mail.outbox
    assert sent.subject == INVITATION_SUBJECT
    new_link = LINK.search(sent.body).group(0)
    assert new_link != old_link

    stale = Client().get(old_link)
    assert stale.status_code == 400
    assert "This link was replaced by a newer invitation" in stale.content.decode()
    assert Client().get(new_link).status_code == 200
    overview = lead_client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "invitation sent 2 times" in overview


def test_a_cancelled_invitation_leaves_the_list_and_its_link_says_so(
    assessment, lead_client, django_capture_on_commit_callbacks
) -> None:
    capture = django_capture_on_commit_callbacks
    link = _invite(lead_client, assessment, "ada.price@trust.nhs.uk", capture)
    invitation = Invitation.objects.get(assessment=assessment)
    listed = lead_client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert 'id="invitations"' in listed
    assert "ada.price@trust.nhs.uk" in listed

    response = lead_client.post(f"/assessments/{assessment.pk}/invitations/{invitation.pk}/cancel/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.cancelled_at is not None
    page = Client().get(link)
    assert page.status_code == 400
    assert (
        "This invitation was cancelled. Ask your assessment lead if you should answer."
        in page.content.decode()
    )
    overview = lead_client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "The invitation to ada.price@trust.nhs.uk is cancelled" in overview
    assert "Invited, not joined yet" not in overview
    assert 'id="invitations"' not in overview
    # A cancelled invitation cannot be resent; inviting again sends a new one that works.
    assert (
        lead_client.post(
            f"/assessments/{assessment.pk}/invitations/{invitation.pk}/resend/"
        ).status_code
        == 302
    )
    invitation.refresh_from_db()
    assert invitation.send_count == 1
    again = _invite(lead_client, assessment, "ada.price@trust.nhs.uk", capture)
    assert Client().get(again).status_code == 200
    assert Client().get(link).status_code == 400


# --------------------------------------------------------------------------- refusals


@pytest.fixture
def pending(assessment, trust_lead) -> Invitation:
    return Invitation.objects.create(
        assessment=assessment,
        email="pending@trust.nhs.uk",
        full_name="Pending Person",
        created_by=trust_lead.user,
        sent_at=timezone.now(),
    )


def _requests(assessment: Assessment, pending: Invitation) -> list[tuple[str, dict[str, str]]]:
    respondent = Respondent.objects.filter(assessment=assessment).order_by("pk").first()
    base = f"/assessments/{assessment.pk}"
    return [
        (f"{base}/deadline/", _date(10)),
        (f"{base}/members/{respondent.pk}/", {"board_role": "chair"}),
        (f"{base}/members/{respondent.pk}/remove/", {"confirm": "on"}),
        (f"{base}/invitations/{pending.pk}/resend/", {}),
        (f"{base}/invitations/{pending.pk}/cancel/", {}),
    ]


def test_a_member_is_refused_every_lead_page_and_nothing_is_written(
    assessment, board, pending
) -> None:
    client = client_for(board[0])
    before = database_fingerprint()
    for url, data in _requests(assessment, pending):
        assert client.post(url, data).status_code == 403, url
        if not url.endswith(("resend/", "cancel/")):
            assert client.get(url).status_code == 403, url
    assert changed_tables(before, database_fingerprint()) == []


def test_another_trusts_lead_gets_404_and_nothing_is_written(assessment, pending) -> None:
    stranger = MembershipFactory(
        organisation=OrganisationFactory(name="Elsewhere NHS Trust", ods_code="REL"),
        role=Membership.Role.LEAD,
    )
    client = client_for(stranger)
    before = database_fingerprint()
    for url, data in _requests(assessment, pending):
        assert client.post(url, data).status_code == 404, url
        assert client.get(url).status_code in (404, 405), url
    assert changed_tables(before, database_fingerprint()) == []


def test_a_visitor_not_signed_in_is_sent_to_sign_in_and_nothing_is_written(
    assessment, pending
) -> None:
    client = Client()
    before = database_fingerprint()
    for url, data in _requests(assessment, pending):
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/sign-in/"), url
    assert changed_tables(before, database_fingerprint()) == []


def test_the_lead_cannot_change_the_board_once_the_answers_are_submitted(
    assessment, board, trust_lead, pending, lead_client
) -> None:
    answer_everything(client_for(board[0]), assessment, ANSWERS)
    enter_figures(lead_client, assessment, ANSWERS)
    assessment_submit(assessment=assessment, user=trust_lead.user, reasons=REASONS)
    mail.outbox.clear()
    before = database_fingerprint()
    for url, data in _requests(assessment, pending):
        response = lead_client.post(url, data, follow=True)
        assert response.redirect_chain[0] == (f"/assessments/{assessment.pk}/", 302), url
        assert "This assessment has been submitted" in response.content.decode(), url
    assert changed_tables(before, database_fingerprint()) == []
    assert not mail.outbox


def test_a_member_of_another_assessment_cannot_be_managed_through_this_one(
    assessment, trust, trust_lead, lead_client
) -> None:
    other = Assessment.objects.create(
        organisation=trust,
        title="Another",
        reporting_period="2024",
        questionnaire_version=assessment.questionnaire_version,
        catalogue_version=assessment.catalogue_version,
        created_by=trust_lead.user,
    )
    outsider = Respondent.objects.create(
        assessment=other, user=MembershipFactory(organisation=trust).user
    )
    for suffix in ("", "remove/"):
        url = f"/assessments/{assessment.pk}/members/{outsider.pk}/{suffix}"
        assert lead_client.post(url, {"confirm": "on", "board_role": "chair"}).status_code == 404
    outsider.refresh_from_db()
    assert outsider.removed_at is None


# --------------------------------------------------------------------------- query counts


@pytest.mark.parametrize("members", [3, 12])
def test_the_new_pages_run_a_fixed_number_of_queries(
    assessment, trust, lead_client, django_assert_num_queries, members: int
) -> None:
    extra = [MembershipFactory(organisation=trust) for _ in range(members - 3)]
    for membership in extra:
        Respondent.objects.create(assessment=assessment, user=membership.user)
    respondent = Respondent.objects.filter(assessment=assessment).order_by("pk").first()
    base = f"/assessments/{assessment.pk}"
    lead_client.get(f"{base}/deadline/")  # the session's first request settles it
    pages = {f"{base}/deadline/": 4, f"{base}/members/{respondent.pk}/": 5}
    pages[f"{base}/members/{respondent.pk}/remove/"] = 5
    for url, queries in pages.items():
        with django_assert_num_queries(queries):
            assert lead_client.get(url).status_code == 200
