"""Withdrawing a submitted result: the lead or a catalogue admin, with a reason; the record
kept and marked; out of the history and trend; WITHDRAWN on every page of its paper; and a
new assessment started from it, carrying its figures, their sources and agreed judgements."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from assessment.models import AgreedAnswer, Assessment, Figure, Membership, Submission, Withdrawal
from assessment.models_withdrawals import StartingPoint
from assessment.selectors import pinned_for, submissions_for
from assessment.services.assessments import (
    assessment_create,
    assessment_create_from,
    respondents_add,
)
from assessment.services.withdrawals import WithdrawalRefused, submission_withdraw
from tests.assessment.conftest import client_for
from tests.assessment.journey import (
    SOURCE,
    agree_judgements,
    answer_everything,
    enter_figures,
    submit_board,
)
from tests.conftest import verified_client
from tests.factories import MembershipFactory, UserFactory
from tests.personas import load_persona, persona_paths
from tests.reports.board import paper_body, squashed

pytestmark = pytest.mark.django_db
MID = load_persona(persona_paths()[0])["answers"]
REASON = "Submitted before the finance director had checked the figures; we will reassess."
ADDRESS = "127.0.0.1"  # the test client's


def rationale(code: str) -> str:
    return f"The board agreed {code} at its March meeting."


def _submitted(
    assessment: Assessment, lead: Membership, board: list[Membership], copied: bool = False
) -> Assessment:
    """The board answers, the lead enters the figures and agrees the judgements, each with
    a rationale, and submits; an assessment `copied` from another has both already."""
    for member in board:
        answer_everything(client_for(member), assessment, MID)
    client = client_for(lead)
    if not copied:
        enter_figures(client, assessment, MID)
        agree_judgements(client, assessment, rationale)
    response = submit_board(client, assessment)
    assert response.status_code == 302, response.content.decode()[:2000]
    assessment.refresh_from_db()
    assert not assessment.is_open
    return assessment


@pytest.fixture
def submitted(assessment, trust_lead, board) -> Assessment:
    return _submitted(assessment, trust_lead, board)


def _withdraw(client, assessment: Assessment, **data: str):
    return client.post(f"/assessments/{assessment.pk}/withdraw/", data)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def test_the_lead_sees_plainly_what_withdrawing_does(submitted, trust_lead) -> None:
    html = client_for(trust_lead).get(f"/assessments/{submitted.pk}/withdraw/").content.decode()
    assert "The result stays on record, exactly as it was submitted, marked withdrawn" in html
    assert "It leaves the trust's history and trend" in html
    assert "says WITHDRAWN on every page" in html
    assert "The answers stay locked" in html
    assert 'name="reason"' in html
    assert 'name="confirm"' in html
    results = client_for(trust_lead).get(f"/assessments/{submitted.pk}/results/").content.decode()
    assert f'href="/assessments/{submitted.pk}/withdraw/"' in results


def test_the_lead_withdraws_with_a_reason_and_the_record_is_kept(
    submitted, trust_lead, board, caplog
) -> None:
    before = Submission.objects.get(assessment=submitted)
    client = client_for(trust_lead)
    caplog.clear()  # signing in is logged too
    with caplog.at_level("INFO", logger="assessment.security"):
        response = _withdraw(client, submitted, reason=REASON, confirm="on")
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{submitted.pk}/results/"
    withdrawal = Withdrawal.objects.get()
    assert withdrawal.submission == before
    assert (withdrawal.withdrawn_by, withdrawal.reason) == (trust_lead.user, REASON)
    # The snapshot is kept whole, as it was.
    after = Submission.objects.get(assessment=submitted)
    assert (after.result, after.agreed_answers, after.verdict, after.index) == (
        before.result,
        before.agreed_answers,
        before.verdict,
        before.index,
    )
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED  # the answers stay locked
    logged = [r.getMessage() for r in caplog.records if r.name == "assessment.security"]
    assert logged == [
        f"submission-withdrawn address={ADDRESS} assessment={submitted.pk} "
        f"submission={before.pk} user={trust_lead.user.get_username()!r}"
    ]


def test_the_page_needs_a_reason_and_the_confirmation(submitted, trust_lead) -> None:
    client = client_for(trust_lead)
    response = _withdraw(client, submitted, reason="  ")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Give the reason for withdrawing the result" in html
    assert "Confirm that you understand what withdrawing does" in html
    response = _withdraw(client, submitted, reason="x" * 2001, confirm="on")
    assert "Shorten the reason to 2,000 characters or fewer" in response.content.decode()
    assert not Withdrawal.objects.exists()


def test_a_catalogue_admin_withdraws_in_the_admin(submitted, staff_user) -> None:
    client = verified_client(staff_user)
    submission = Submission.objects.get(assessment=submitted)
    change = f"/admin/assessment/submission/{submission.pk}/change/"
    html = client.get(change).content.decode()
    assert f"/admin/assessment/submission/{submission.pk}/withdraw/" in html
    url = f"/admin/assessment/submission/{submission.pk}/withdraw/"
    refused = client.post(url, {"reason": REASON})
    assert refused.status_code == 200
    assert not Withdrawal.objects.exists()
    response = client.post(url, {"reason": REASON, "confirm": "on"})
    assert response.status_code == 302
    withdrawal = Withdrawal.objects.get()
    assert (withdrawal.withdrawn_by, withdrawal.reason) == (staff_user, REASON)
    assert f"by {_name(staff_user)}: {REASON}" in client.get(change).content.decode()
    listed = "/admin/assessment/submission/?withdrawal__isempty="
    assert "Board assessment" in client.get(listed + "0").content.decode()  # withdrawn
    assert "Board assessment" not in client.get(listed + "1").content.decode()
    # Read-only otherwise: nothing can be added, changed or deleted.
    assert client.post(f"/admin/assessment/submission/{submission.pk}/delete/").status_code == 403
    assert client.get("/admin/assessment/submission/add/").status_code == 403


def test_a_member_cannot_withdraw(submitted, board) -> None:
    client = client_for(board[0])
    assert client.get(f"/assessments/{submitted.pk}/withdraw/").status_code == 403
    assert _withdraw(client, submitted, reason=REASON, confirm="on").status_code == 403
    assert not Withdrawal.objects.exists()


def test_another_trusts_lead_is_told_nothing_exists(submitted) -> None:
    stranger = MembershipFactory(role=Membership.Role.LEAD)
    client = client_for(stranger)
    assert client.get(f"/assessments/{submitted.pk}/withdraw/").status_code == 404
    assert _withdraw(client, submitted, reason=REASON, confirm="on").status_code == 404
    assert not Withdrawal.objects.exists()


def test_an_open_assessment_cannot_be_withdrawn(assessment, trust_lead) -> None:
    response = _withdraw(client_for(trust_lead), assessment, reason=REASON, confirm="on")
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{assessment.pk}/"
    with pytest.raises(WithdrawalRefused, match="has not been submitted"):
        submission_withdraw(assessment=assessment, user=trust_lead.user, reason=REASON)
    assert not Withdrawal.objects.exists()


def test_a_second_withdrawal_is_refused_and_a_repeat_changes_nothing(
    submitted, trust_lead, staff_user
) -> None:
    first = submission_withdraw(assessment=submitted, user=trust_lead.user, reason=REASON)
    # The same request again (a second click, a retry) returns the same withdrawal.
    assert submission_withdraw(assessment=submitted, user=trust_lead.user, reason=REASON) == first
    refusal = r"already withdrawn on \d+ \w+ \d{4} by "
    with pytest.raises(WithdrawalRefused, match=refusal) as refused:
        submission_withdraw(assessment=submitted, user=staff_user, reason="Another reason.")
    assert "start a new assessment from this one" in str(refused.value)
    # The page says it is withdrawn, and offers no second form.
    client = client_for(trust_lead)
    html = client.get(f"/assessments/{submitted.pk}/withdraw/").content.decode()
    assert "This result has been withdrawn" in html
    assert 'name="reason"' not in html
    assert _withdraw(client, submitted, reason="Again.", confirm="on").status_code == 200
    assert list(Withdrawal.objects.values_list("reason", flat=True)) == [REASON]


def test_a_withdrawal_cannot_be_changed_or_deleted(submitted, trust_lead) -> None:
    withdrawal = submission_withdraw(assessment=submitted, user=trust_lead.user, reason=REASON)
    withdrawal.reason = "Changed."
    with pytest.raises(ValidationError, match="cannot be changed"):
        withdrawal.save()
    with pytest.raises(ValidationError, match="cannot be undone"):
        withdrawal.delete()
    assert Withdrawal.objects.get().reason == REASON


def test_the_results_page_shows_the_withdrawal_at_once_to_the_whole_board(
    submitted, trust_lead, board
) -> None:
    url = f"/assessments/{submitted.pk}/results/"
    member = client_for(board[0])
    before = member.get(url).content.decode()  # the result's HTML is drawn and kept now
    assert "This result has been withdrawn" not in before
    submission_withdraw(assessment=submitted, user=trust_lead.user, reason=REASON)
    today = timezone.localdate()
    for client in (member, client_for(trust_lead)):
        html = unescape(client.get(url).content.decode())
        assert "This result has been withdrawn" in html
        assert f"Withdrawn on {today.day} {today:%B %Y} by {_name(trust_lead.user)}: " in html
        assert REASON in html
        assert "The board's result" in html  # the snapshot is still shown
        assert f'href="/assessments/{submitted.pk}/withdraw/"' not in html


def test_history_and_trend_leave_out_a_withdrawn_result(
    submitted, trust, trust_lead, board
) -> None:
    later = assessment_create_from(
        organisation=trust,
        title="Board reassessment",
        reporting_period="Spring 2026",
        user=trust_lead.user,
        source=submitted,
    )
    respondents_add(assessment=later, users=[m.user for m in board])
    _submitted(later, trust_lead, board, copied=True)
    submission_withdraw(assessment=submitted, user=trust_lead.user, reason=REASON)

    assert [s.assessment for s in submissions_for(organisation=trust)] == [later]
    html = client_for(board[0]).get(f"/trusts/{trust.pk}/history/").content.decode()
    table = html[html.index('id="history-table"') : html.index("</table>")]
    assert "Board reassessment" in table
    assert "Board assessment<" not in table
    chart = html[html.index('class="app-figure"') : html.index('id="history-table"')]
    assert "Spring 2026: index" in chart
    assert "2025 to 2026" not in chart
    withdrawn = html[html.index('id="withdrawn-list"') :]
    assert "1 submitted result was withdrawn" in html
    assert f'href="/assessments/{submitted.pk}/results/">Board assessment (2025 to 2026)' in (
        withdrawn
    )
    # The withdrawn result's exports still work, for the record.
    lead = client_for(trust_lead)
    base = f"/assessments/{submitted.pk}/exports/"
    rows = list(csv.reader(io.StringIO(lead.get(base + "answers.csv").content.decode("utf-8-sig"))))
    assert len(rows) > 1
    assert lead.get(base + "results.csv").status_code == 200
    verdict = Submission.objects.get(assessment=submitted).result["verdict"]["label"]
    assert verdict in lead.get(base + "results.csv").content.decode("utf-8-sig")
    document = json.loads(lead.get(base + "assessment.json").content)
    assert document["assessment"]["title"] == "Board assessment"
    assert document["assessment"]["status"] == "Submitted, then withdrawn"


def test_the_paper_says_withdrawn_on_every_page_and_why_on_the_first(
    submitted, trust_lead, board
) -> None:
    submission_withdraw(assessment=submitted, user=trust_lead.user, reason=REASON)
    response = client_for(board[0]).get(f"/assessments/{submitted.pk}/board-paper.pdf")
    assert response.status_code == 200
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(response.content)).pages]
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert "WITHDRAWN" in text, number
    first = squashed(pages[0])
    assert squashed(f"WITHDRAWN on {timezone.localdate().day}") in first
    assert squashed(f"by {_name(trust_lead.user)}.") in first
    assert squashed(REASON) in first
    assert squashed("Submitted, then withdrawn") in first
    # The body reads as before, with the reason at its head; the snapshot's figures stay.
    body = paper_body(response.content)
    assert body.index(squashed(REASON)) < body.index(squashed("Board assessment"))
    assert squashed(SOURCE) in body


def test_a_new_assessment_starts_from_a_withdrawn_one_with_its_figures_and_judgements(
    submitted, trust, trust_lead
) -> None:
    submission_withdraw(assessment=submitted, user=trust_lead.user, reason=REASON)
    client = client_for(trust_lead)
    url = f"/trusts/{trust.pk}/assessments/new/"
    page = client.get(url).content.decode()
    assert re.search(
        rf'<option value="{submitted.pk}">Board assessment \(2025 to 2026\) – withdrawn</option>',
        page,
    )
    response = client.post(
        url,
        {"title": "Board reassessment", "reporting_period": "2026", "start_from": submitted.pk},
    )
    assert response.status_code == 302
    new = Assessment.objects.get(title="Board reassessment")
    assert new.is_open

    def figures(of: Assessment) -> list[tuple[str, str, str]]:
        return sorted(
            Figure.objects.filter(assessment=of).values_list("question__code", "value", "source")
        )

    copied = figures(new)
    assert copied == figures(submitted)
    assert len(copied) == len(pinned_for(new).figures)
    assert {source for _, _, source in copied} == {SOURCE}
    agreed = {
        code: (value, text)
        for code, value, text in AgreedAnswer.objects.filter(assessment=new).values_list(
            "question__code", "value", "rationale"
        )
    }
    snapshot = Submission.objects.get(assessment=submitted).agreed_answers
    judgements = {
        row["code"]: (row["value"], row["rationale"])
        for row in snapshot
        if row["answered_by"] == "judgement"
    }
    assert agreed == judgements
    assert len(agreed) == len(pinned_for(new).judgements)
    assert all(text == rationale(code) for code, (_, text) in agreed.items())
    # Starting values: the figures page says where they came from, for everyone to confirm.
    html = client.get(f"/assessments/{new.pk}/figures/").content.decode()
    assert "Copied from Board assessment (2025 to 2026)" in html
    point = StartingPoint.objects.get(assessment=new)
    assert (point.copied_from, point.figures, point.agreed) == (
        submitted,
        len(copied),
        len(agreed),
    )


def test_starting_from_an_open_assessment_copies_what_is_valid_there(
    assessment, trust, trust_lead
) -> None:
    enter_figures(client_for(trust_lead), assessment, MID)
    pinned = pinned_for(assessment)
    # A value the questionnaire does not accept is left for the board to enter afresh.
    Figure.objects.filter(assessment=assessment, question__code="FIN-1").update(value="lots")
    AgreedAnswer.objects.create(
        assessment=assessment,
        question_id=pinned.question_ids["QUAL-5"],
        value="3",
        rationale="Weekend gaps remain.",
        updated_by=trust_lead.user,
    )
    new = assessment_create_from(
        organisation=trust,
        title="Next",
        reporting_period="2026",
        user=trust_lead.user,
        source=assessment,
    )
    codes = set(Figure.objects.filter(assessment=new).values_list("question__code", flat=True))
    assert "FIN-1" not in codes
    assert codes == set(
        Figure.objects.filter(assessment=assessment)
        .exclude(question__code="FIN-1")
        .exclude(value="")
        .values_list("question__code", flat=True)
    )
    assert list(
        AgreedAnswer.objects.filter(assessment=new).values_list(
            "question__code", "value", "rationale"
        )
    ) == [("QUAL-5", "3", "Weekend gaps remain.")]


def test_another_trusts_assessment_cannot_be_a_starting_point(submitted, trust_lead) -> None:
    other = MembershipFactory(role=Membership.Role.LEAD)
    assessment_create(  # so that the other trust has assessments of its own to start from
        organisation=other.organisation, title="Theirs", reporting_period="2025", user=other.user
    )
    client = client_for(other)
    url = f"/trusts/{other.organisation.pk}/assessments/new/"
    assert f'value="{submitted.pk}"' not in client.get(url).content.decode()
    response = client.post(
        url, {"title": "Ours", "reporting_period": "2026", "start_from": submitted.pk}
    )
    assert response.status_code == 200
    assert "Choose one of the trust" in response.content.decode()
    assert not Assessment.objects.filter(title="Ours").exists()
    with pytest.raises(ValidationError, match="earlier assessment of this trust"):
        assessment_create_from(
            organisation=other.organisation,
            title="Ours",
            reporting_period="2026",
            user=UserFactory(),
            source=submitted,
        )
