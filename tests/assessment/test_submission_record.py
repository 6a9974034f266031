"""What a submission keeps: the result whole and its headline figures, who submitted and
when, how many responses it locked, and the agreed answers as the board saw them; every
response locked at that moment. A refused submission leaves nothing locked or written, and
a repeated submit, or one that loses the race to the insert, returns the same submission
without writing anything."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import Assessment, Respondent, Submission
from assessment.scoring.serialise import result_to_dict
from assessment.services.submissions import SubmissionRefused, assessment_submit, live_result
from tests.assessment.conftest import client_for
from tests.assessment.journey import REASONS, SOURCE, answer_everything, enter_figures
from tests.assessment.state import tables_written
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
ANSWERS = load_persona(persona_paths()[0])["answers"]
TRANSACTION = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")
QUAL_5 = (
    "Can the trust meet national clinical standards for urgent and emergency care every day of "
    "the week (seven-day services priority standards, emergency surgery standards)?"
)
LEVEL_3 = "Level 3: Standards are met on weekdays and mostly at weekends, with known gaps."


@pytest.fixture
def answered(assessment, trust_lead, board) -> Assessment:
    """Every member's judgements, and the lead's figures, entered once with their source."""
    for member in board:
        answer_everything(client_for(member), assessment, ANSWERS)
    enter_figures(client_for(trust_lead), assessment, ANSWERS)
    return assessment


def test_the_submission_keeps_the_result_and_who_submitted_it(answered, trust_lead, board) -> None:
    expected = live_result(assessment=answered)
    submission = assessment_submit(assessment=answered, user=trust_lead.user, reasons=REASONS)

    submission.refresh_from_db()
    assert submission.result == result_to_dict(expected)
    assert submission.verdict == expected.verdict.code
    assert submission.index == expected.index.quantize(Decimal("0.0001"))  # as stored
    assert submission.domain_scores == {
        domain.code: str(domain.score)
        for domain in expected.domains
        if domain.scored and domain.score is not None
    }
    assert len(submission.domain_scores) >= 2  # the scored sections with answers
    assert submission.respondent_count == len(board)
    assert submission.submitted_by == trust_lead.user
    answered.refresh_from_db()
    assert answered.status == Assessment.Status.SUBMITTED
    assert (answered.submitted_by, answered.submitted_at) == (
        trust_lead.user,
        submission.submitted_at,
    )
    locked = set(Respondent.objects.filter(assessment=answered).values_list("locked_at", flat=True))
    assert locked == {submission.submitted_at}


def test_the_submission_keeps_each_agreed_answer_as_the_board_saw_it(
    answered, trust_lead, board
) -> None:
    submission = assessment_submit(assessment=answered, user=trust_lead.user, reasons=REASONS)
    agreed = {row["code"]: row for row in submission.agreed_answers}
    assert len(agreed) == 42
    members = sorted(m.user.get_full_name() for m in board)
    # A figure, as the lead entered it once for the trust, with its source: no member
    # answered it, and it is never divergent.
    assert agreed["QUAL-1"] == {
        "code": "QUAL-1",
        "question": "What is the trust's current overall CQC rating?",
        "section": "Quality and safety",
        "answered_by": "figure",
        "value": "good",
        "label": "Good",
        "source": SOURCE,
        "rationale": "",
        "divergent": False,
        "members": [],
    }
    # A judgement, as each member answered it.
    assert agreed["QUAL-5"] == {
        "code": "QUAL-5",
        "question": QUAL_5,
        "section": "Quality and safety",
        "answered_by": "judgement",
        "value": "3",
        "label": LEVEL_3,
        "rationale": "",
        "divergent": False,
        "members": [{"name": name, "label": LEVEL_3, "note": ""} for name in members],
    }
    assert {row["answered_by"] for row in agreed.values()} == {"figure", "judgement"}
    assert all(("source" in row) == (row["answered_by"] == "figure") for row in agreed.values())


def test_a_refused_submission_locks_nothing_and_writes_nothing(assessment, trust_lead) -> None:
    with pytest.raises(SubmissionRefused) as refused:
        assessment_submit(assessment=assessment, user=trust_lead.user, reasons=REASONS)
    assert refused.value.problems == [
        "No figure of the trust is entered: enter the figures, each with its source.",
        "No question has an answer yet. Ask board members to answer first.",
    ]
    assert not Submission.objects.filter(assessment=assessment).exists()
    assert not Respondent.objects.filter(assessment=assessment, locked_at__isnull=False).exists()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.OPEN


def test_submitting_again_returns_the_same_submission_and_writes_nothing(
    answered, trust_lead
) -> None:
    first = assessment_submit(assessment=answered, user=trust_lead.user, reasons=REASONS)
    with tables_written() as written, CaptureQueriesContext(connection) as queries:
        again = assessment_submit(assessment=answered, user=trust_lead.user, reasons=REASONS)
    assert again.pk == first.pk
    assert written == set()
    statements = [q["sql"] for q in queries if not q["sql"].startswith(TRANSACTION)]
    assert len(statements) == 2  # the assessment, locked; its submission
    assert Submission.objects.filter(assessment=answered).count() == 1


def test_a_submit_that_loses_the_race_to_the_insert_returns_the_winners(
    answered, trust_lead
) -> None:
    """Two submits can both find no submission when the database has no row locks; the
    one-to-one constraint refuses the second insert, and it returns the first's."""
    first = assessment_submit(assessment=answered, user=trust_lead.user, reasons=REASONS)
    nothing_yet = mock.Mock(first=mock.Mock(return_value=None))
    with mock.patch.object(Submission.objects, "filter", return_value=nothing_yet):
        again = assessment_submit(assessment=answered, user=trust_lead.user, reasons=REASONS)
    assert again.pk == first.pk
    assert Submission.objects.filter(assessment=answered).count() == 1
    locked = set(Respondent.objects.filter(assessment=answered).values_list("locked_at", flat=True))
    assert locked == {first.submitted_at}  # the loser's locking was undone
