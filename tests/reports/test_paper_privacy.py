"""The whole board reads the board paper, and members are told that their answers and
evidence notes are private to them and the assessment lead: the paper gives the agreed
answer, the board's rationale and how many members gave each answer, and never a member's
name, own answer or note. The trust's figures are given with their sources, and never the
name of the member who entered them."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.test import Client

from assessment.models import Assessment, Membership, Organisation, Submission
from assessment.question_forms import value_label
from assessment.reports.paper import AgreedRow, MemberAnswer
from assessment.reports.pdf import board_paper_pdf
from assessment.selectors import pinned_for
from assessment.services.papers import paper_for
from tests.assessment.journey import (
    SOURCE,
    agree_judgements,
    answer_everything,
    enter_figures,
    raw,
    section_data,
    submit_board,
)
from tests.conftest import verified_client
from tests.factories import MembershipFactory
from tests.personas import load_persona, persona_paths
from tests.reports.board import (
    downloaded_paper,
    member_client,
    paper_body,
    squashed,
)
from tests.reports.test_pdf import agreed_rows, make_paper, persona_result

MID, FRAGILE, STRONG = (load_persona(path)["answers"] for path in persona_paths())
NAMES = (("Oluwaseun", "Ravensworth"), ("Philippa", "Quennell"), ("Tamsin", "Abernethy"))
NOTE = "Seen only in the confidential finance pack ZX-4471, page 12."
RATIONALE = "SYS-7: the inspection report of March outweighs the older one."
# SYS-7, a judgement, in the personas given to the three members: no, no and yes.
SYS_7_COUNTS = "Members' answers: No (2 members); Yes (1 member)"
# The finance figures, entered by the member the lead named for them.
FIN_SOURCE = "Month 7 finance report 2025/26, table 3"


# --------------------------------------------------------------- the paper on its own


def test_answer_counts_put_the_most_given_first_and_say_nothing_of_who_gave_which() -> None:
    row = AgreedRow(
        code="QUAL-1",
        section="Quality and safety",
        question="What is the trust's current overall CQC rating?",
        label="Good",
        members=(
            MemberAnswer("Ann", "Requires improvement"),
            MemberAnswer("Bea", "Good"),
            MemberAnswer("Cal", "Outstanding"),
            MemberAnswer("Dee", "Good"),
        ),
    )
    expected = (("Good", 2), ("Outstanding", 1), ("Requires improvement", 1))
    assert row.answer_counts == expected
    # The same answers from members in another order give the same counts, in the same order.
    assert replace(row, members=row.members[::-1]).answer_counts == expected
    assert replace(row, members=()).answer_counts == ()


@pytest.mark.parametrize("draft", [False, True])
def test_the_paper_gives_counts_and_rationales_but_no_members_names_or_notes(
    draft: bool,
) -> None:
    paper = make_paper(persona_result("collaborative-mid"), draft=draft)
    members = [member for row in paper.agreed for member in row.members]
    assert any(member.note for member in members), "the paper is given notes to leave out"
    text = paper_body(board_paper_pdf(paper))
    for member in members:
        assert squashed(member.name) not in text
        if member.note:
            assert squashed(member.note) not in text
    for row in paper.agreed:
        assert squashed(row.rationale) in text
    assert squashed("Members' answers: No (1 member); Yes (1 member)") in text
    assert squashed("Members' answers: 8% (1 member)") in text


def test_a_question_without_members_answers_has_no_count_line() -> None:
    result = persona_result("collaborative-mid")
    rows = tuple(replace(row, members=()) for row in agreed_rows(result))
    text = paper_body(board_paper_pdf(make_paper(result, agreed=rows)))
    assert squashed("Members' answers") not in text
    assert squashed("The chair's view prevailed") in text


# ------------------------------------------------------------ through the real download


@pytest.fixture
def board(trust: Organisation) -> list[Membership]:
    return [
        MembershipFactory(organisation=trust, user__first_name=first, user__last_name=last)
        for first, last in NAMES
    ]


@pytest.fixture
def lead_client(assessment: Assessment, lead: Membership, board: list[Membership]) -> Client:
    """The lead, once the three members have answered their judgements, the first with a
    note on SYS-7; the first, named for the finance figures, has entered them and the lead
    the rest; and the lead has agreed every judgement with a rationale."""
    first = member_client(board[0])
    answer_everything(first, assessment, MID)
    url = f"/assessments/{assessment.pk}/response/SYS/"
    data = section_data(
        pinned_for(assessment).judgements_by_section["SYS"], MID, first.get(url).content.decode()
    )
    data["note-SYS-7"] = NOTE
    assert first.post(url, data).status_code == 302
    answer_everything(member_client(board[1]), assessment, FRAGILE)
    answer_everything(member_client(board[2]), assessment, STRONG)
    client = verified_client(lead.user)
    named = client.post(
        f"/assessments/{assessment.pk}/figures/holders/", {"holder-FIN": str(board[0].user_id)}
    )
    assert named.status_code == 302
    finance = {code: value for code, value in MID.items() if code.startswith("FIN-")}
    enter_figures(first, assessment, finance, source=FIN_SOURCE)
    rest = {code: value for code, value in MID.items() if code not in finance}
    enter_figures(client, assessment, rest)
    agree_judgements(
        client, assessment, lambda code: RATIONALE if code == "SYS-7" else "Agreed at the seminar."
    )
    return client


def assert_private(text: str) -> None:
    assert squashed(NOTE) not in text
    for first, last in NAMES:
        assert first not in text
        assert last not in text
    assert squashed(RATIONALE) in text
    assert squashed(SYS_7_COUNTS) in text


def assert_sources(text: str, assessment: Assessment) -> None:
    """Each figure in Appendix A, its value and, under it, the source it was entered with."""
    appendix = text[text.index(squashed("Appendix A.")) : text.index(squashed("Appendix B."))]
    pinned = pinned_for(assessment)
    for question in pinned.figures:
        source = FIN_SOURCE if question.code.startswith("FIN-") else SOURCE
        label = value_label(question, raw(MID[question.code]))
        shown = f"{question.code} {question.text} Figure: {label} Source: {source}"
        assert squashed(shown) in appendix, question.code
    assert appendix.count(squashed("Source:")) == len(pinned.figures)


def test_the_leads_draft_paper_shows_no_members_names_or_notes(
    assessment: Assessment, lead_client: Client
) -> None:
    text = downloaded_paper(lead_client, assessment)
    assert squashed("Draft: not submitted") in text
    assert_private(text)
    assert_sources(text, assessment)


def test_the_submitted_paper_every_member_gets_shows_no_members_names_or_notes(
    assessment: Assessment, lead_client: Client, board: list[Membership]
) -> None:
    assert submit_board(lead_client, assessment).status_code == 302
    stored = Submission.objects.get(assessment=assessment).agreed_answers
    # The stored submission keeps members' names and notes, for the lead's exports: the
    # paper drawn from it leaves them out.
    assert any(member["note"] == NOTE for row in stored for member in row["members"])
    text = downloaded_paper(member_client(board[1]), assessment)
    assert_private(text)
    assert_sources(text, assessment)
    paper = paper_for(Assessment.objects.get(pk=assessment.pk))
    assert all(not (m.name or m.note) for row in paper.agreed for m in row.members)


def test_a_submission_stored_without_members_answers_gives_a_paper_without_counts(
    assessment: Assessment, lead_client: Client, board: list[Membership]
) -> None:
    assert submit_board(lead_client, assessment).status_code == 302
    submission = Submission.objects.get(assessment=assessment)
    rows = [{k: v for k, v in row.items() if k != "members"} for row in submission.agreed_answers]
    Submission.objects.filter(pk=submission.pk).update(agreed_answers=rows)
    text = downloaded_paper(member_client(board[0]), assessment)
    assert squashed(RATIONALE) in text
    assert squashed("Members' answers") not in text


@pytest.mark.django_db
def test_the_privacy_page_says_what_each_download_shows_and_to_whom(client: Client) -> None:
    page = client.get("/privacy/").content.decode()
    for download in (
        "The board paper (PDF)",
        "Every answer (CSV or XLSX spreadsheet)",
        "The result (CSV or XLSX spreadsheet)",
        "The whole assessment (JSON)",
    ):
        assert download in page
    assert "Once the lead submits, every board member of the trust can download it." in page
    assert "It never shows a member's name beside an answer" in page
    assert page.count("Only the assessment lead can download it") == 3
