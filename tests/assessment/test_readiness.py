"""The submit page is a checklist: what blocks submitting, what may be submitted past with
the board's reason (kept with the submission and printed in the paper), and a plain
confirmation of what submitting does."""

from __future__ import annotations

import re
from html import escape

import pytest

from assessment.models import Respondent, Submission
from assessment.services.submissions import SubmissionRefused, assessment_submit
from tests.assessment.conftest import client_for
from tests.assessment.journey import answer_everything, enter_figures, form_fields
from tests.factories import MembershipFactory
from tests.personas import load_persona, persona_paths
from tests.reports.board import paper_body, squashed

pytestmark = pytest.mark.django_db
MID = load_persona(persona_paths()[0])["answers"]
FRAGILE = load_persona(persona_paths()[1])["answers"]
STRONG = load_persona(persona_paths()[2])["answers"]
REASON = "The board met on 3 December and agreed to submit without the chair's answers."


def _url(assessment) -> str:
    return f"/assessments/{assessment.pk}/submit/"


def test_the_checklist_blocks_until_figures_queries_and_rationales_are_cleared(
    assessment, trust_lead, board
) -> None:
    answer_everything(client_for(board[0]), assessment, FRAGILE)
    answer_everything(client_for(board[1]), assessment, STRONG)
    lead = client_for(trust_lead)
    page = lead.get(_url(assessment)).content.decode()
    blocking = page[page.index('id="blocking"') : page.index('id="readiness-members"')]
    assert "No figure of the trust is entered" in blocking
    assert f'href="/assessments/{assessment.pk}/figures/"' in blocking
    assert f'href="/assessments/{assessment.pk}/consensus/QUAL-5/"' in blocking
    # Who has finished, by name, and how far each has got.
    members = page[page.index('id="readiness-members"') : page.index('id="readiness-figures"')]
    for membership in board:
        assert membership.user.get_full_name() in members
    assert "16 of 16" in members
    assert "0 of 16" in members
    assert "Not started" in members
    # Blocked: no form to submit at all, and a crafted post is refused, writing nothing.
    assert 'name="confirm"' not in page
    refused = lead.post(_url(assessment), {"confirm": "on", "reason-members": REASON})
    assert "Nothing was submitted." in refused.content.decode()
    assert not Submission.objects.exists()
    assert not Respondent.objects.filter(locked_at__isnull=False).exists()

    enter_figures(lead, assessment, MID)
    client_for(board[0]).post(
        f"/assessments/{assessment.pk}/figures/WORK-4/query/", {"comment": "Is this 2024?"}
    )
    page = lead.get(_url(assessment)).content.decode()
    assert "No figure of the trust is entered" not in page
    assert "WORK-4: resolve the query on this figure" in page
    assert "/figures/queries/" in page


def test_a_warning_needs_the_boards_reason_and_the_paper_prints_it(
    assessment, trust_lead, board
) -> None:
    for member in board[:2]:
        answer_everything(client_for(member), assessment, STRONG)
        client_for(member).post(f"/assessments/{assessment.pk}/response/complete/")
    lead = client_for(trust_lead)
    enter_figures(lead, assessment, STRONG)
    page = lead.get(_url(assessment)).content.decode()
    assert "Ready" in page
    assert "1 of 3 board members have not marked their response complete" in page
    assert f"{board[2].user.get_full_name()}: not started, 0 of 16 answered" in page
    assert 'name="reason-members"' in page
    assert "Every member's answers and the trust's figures are locked" in page

    nothing = lead.post(_url(assessment), {})
    html = nothing.content.decode()
    assert "Give the board&#x27;s reason for submitting although 1 of 3 board members" in html
    assert "Confirm that you understand what submitting does" in html
    assert not Submission.objects.exists()
    no_confirmation = lead.post(_url(assessment), {"reason-members": REASON})
    assert "Confirm that you understand" in no_confirmation.content.decode()
    assert escape(REASON) in no_confirmation.content.decode()  # what was typed is kept
    assert not Submission.objects.exists()

    cover = form_fields(lead.get(_url(assessment)).content.decode(), "paper-")
    done = lead.post(_url(assessment), {"reason-members": REASON, "confirm": "on", **cover})
    assert done["Location"] == f"/assessments/{assessment.pk}/results/"
    stored = Submission.objects.get().readiness
    assert [(item["key"], item["reason"]) for item in stored] == [("members", REASON)]
    assert board[2].user.get_full_name() in stored[0]["details"][0]
    paper = paper_body(
        client_for(board[0]).get(f"/assessments/{assessment.pk}/board-paper.pdf").content
    )
    assert squashed("Submitted with warnings.") in paper
    assert squashed(f"The board's reason: {REASON}") in paper
    assert squashed("1 of 3 board members have not marked their response complete") in paper


def test_low_coverage_is_a_warning_with_its_own_reason(assessment, trust_lead, board) -> None:
    thin = {code: "dk" for code in STRONG}
    for member in board:
        answer_everything(client_for(member), assessment, thin)
        client_for(member).post(f"/assessments/{assessment.pk}/response/complete/")
    lead = client_for(trust_lead)
    enter_figures(lead, assessment, {"PROFILE-TYPE": "acute", "FIN-1": "-1"})
    page = lead.get(_url(assessment)).content.decode()
    assert 'name="reason-coverage"' in page
    assert 'name="reason-members"' not in page
    assert re.search(r"The answers cover [\d.]+% of the index, less than the 60", page)


def test_the_service_refuses_a_warning_without_a_reason_and_locks_nothing(
    assessment, trust_lead, board
) -> None:
    answer_everything(client_for(board[0]), assessment, STRONG)
    client_for(board[0]).post(f"/assessments/{assessment.pk}/response/complete/")
    enter_figures(client_for(trust_lead), assessment, STRONG)
    with pytest.raises(SubmissionRefused) as refused:
        assessment_submit(assessment=assessment, user=trust_lead.user)
    assert refused.value.problems == [
        "Give the board's reason for submitting although: 2 of 3 board members have not "
        "marked their response complete. Their answers so far will count; they can add no more."
    ]
    assert not Respondent.objects.filter(locked_at__isnull=False).exists()
    with pytest.raises(SubmissionRefused):
        assessment_submit(
            assessment=assessment, user=trust_lead.user, reasons={"members": "x" * 2001}
        )
    # A warning that arises after the page was read (a member added) needs its own reason.
    submission = assessment_submit(
        assessment=assessment, user=trust_lead.user, reasons={"members": REASON, "other": "y"}
    )
    assert [item["key"] for item in submission.readiness] == ["members"]


def test_a_member_cannot_open_or_post_the_submit_page(assessment, board) -> None:
    member = client_for(board[0])
    assert member.get(_url(assessment)).status_code == 403
    assert member.post(_url(assessment), {"confirm": "on"}).status_code == 403
    outsider = client_for(MembershipFactory(role="lead"))
    assert outsider.get(_url(assessment)).status_code == 404
    assert not Submission.objects.exists()


def test_each_blocking_item_says_what_to_do_word_for_word(assessment, trust_lead, board) -> None:
    from assessment.models import AgreedAnswer
    from assessment.selectors import pinned_for
    from assessment.services.submissions import readiness_now

    for member in board:
        answer_everything(client_for(member), assessment, STRONG)
    enter_figures(client_for(trust_lead), assessment, STRONG)
    # The lead recorded an answer that departs from the members' median, without a reason.
    pinned = pinned_for(assessment)
    AgreedAnswer.objects.create(
        assessment=assessment, question_id=pinned.question_ids["QUAL-5"], value="1"
    )
    client_for(board[0]).post(
        f"/assessments/{assessment.pk}/figures/WORK-4/query/", {"comment": "Is this 2024?"}
    )
    texts = [item.text for item in readiness_now(assessment).blocking]
    assert texts == [
        f"WORK-4: resolve the query on this figure raised by {board[0].user.get_full_name()}: "
        "change the figure or keep it, with a reply.",
        "QUAL-5: give a rationale for the agreed answer, because the agreed answer departs "
        "from the members' median.",
    ]
