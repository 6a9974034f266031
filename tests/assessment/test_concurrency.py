"""Submission and saves under concurrency: ten leads' clicks arriving at once make one
submission; a save racing the submission is refused, never written after it; members'
saves do not wait for each other.

Each request runs on its own thread with its own database connection, so the requests
really overlap in the database. On PostgreSQL row locks order them; on SQLite, write
transactions begin IMMEDIATE (one writer at a time) and the one-to-one constraint on the
submission is the backstop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from unittest import mock

import pytest
from django.db import connection, connections
from django.test import Client

from assessment.models import Answer, Assessment, Submission
from assessment.services import answers as answer_services
from assessment.services import submissions
from tests.assessment.conftest import client_for
from tests.assessment.journey import answer_everything
from tests.personas import load_persona, persona_paths

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]
CLICKS = 10
ANSWERS = load_persona(persona_paths()[0])["answers"]


def test_ten_concurrent_submissions_create_exactly_one_snapshot(
    assessment, trust_lead, board
) -> None:
    for member in board:
        answer_everything(client_for(member), assessment, ANSWERS)
    clients = [client_for(trust_lead) for _ in range(CLICKS)]
    barrier = threading.Barrier(CLICKS)
    url = f"/assessments/{assessment.pk}/submit/"

    def click(client: Client) -> tuple[int, str]:
        try:
            barrier.wait(timeout=30)
            response = client.post(url)
            return response.status_code, response.get("Location", "")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=CLICKS) as pool:
        outcomes = list(pool.map(click, clients))

    assert outcomes == [(302, f"/assessments/{assessment.pk}/results/")] * CLICKS
    assert Submission.objects.filter(assessment=assessment).count() == 1
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    submission = Submission.objects.get(assessment=assessment)
    assert submission.respondent_count == len(board)
    assert {row["code"] for row in submission.agreed_answers} >= set(ANSWERS)


def _in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _autosave(client: Client, assessment: Assessment, value: str, version: int) -> Any:
    return client.post(
        f"/assessments/{assessment.pk}/response/autosave/",
        {"question": "QUAL-1", "q-QUAL-1": value, "v-QUAL-1": str(version)},
    )


def test_a_save_that_races_the_submission_waits_and_is_refused(
    assessment, trust_lead, board
) -> None:
    for member in board:
        answer_everything(client_for(member), assessment, ANSWERS)
    answer = Answer.objects.get(respondent__user=board[0].user, question__code="QUAL-1")
    before = answer.value
    other = next(v for v in ("good", "inadequate") if v != before)
    member = client_for(board[0])
    responses_locked, go_on = threading.Event(), threading.Event()
    read_answers = submissions.consensus_rows

    def paused_read(**kwargs: Any) -> Any:
        responses_locked.set()  # the responses are locked; the answers are not read yet
        assert go_on.wait(timeout=30)
        return read_answers(**kwargs)

    with mock.patch.object(submissions, "consensus_rows", side_effect=paused_read):
        submitting, submitted = _in_thread(
            lambda: submissions.assessment_submit(assessment=assessment, user=trust_lead.user)
        )
        assert responses_locked.wait(timeout=30)
        saving, saved = _in_thread(lambda: _autosave(member, assessment, other, answer.version))
        saving.join(timeout=1)
        assert saving.is_alive(), "the save should wait for the submission"
        go_on.set()
        submitting.join(timeout=30)
        saving.join(timeout=30)

    assert saved["value"].status_code == 409
    assert "submitted" in saved["value"].json()["errors"][0]
    answer.refresh_from_db()
    assert answer.value == before
    row = next(r for r in submitted["value"].agreed_answers if r["code"] == "QUAL-1")
    assert any(m["label"] for m in row["members"])
    assert Answer.history.filter(id=answer.pk, value=other).count() == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite lets one transaction write at a time"
)
def test_one_members_save_does_not_wait_for_anothers(assessment, board) -> None:
    first, second = client_for(board[0]), client_for(board[1])
    holding, release = threading.Event(), threading.Event()
    check = answer_services._refuse_unless_editable

    def slow_first(respondent: Any) -> None:
        if respondent.user_id == board[0].user_id:
            holding.set()  # the first member's response is locked, their save not done
            assert release.wait(timeout=30)
        check(respondent)

    with mock.patch.object(answer_services, "_refuse_unless_editable", side_effect=slow_first):
        held, first_saved = _in_thread(lambda: _autosave(first, assessment, "good", 0))
        assert holding.wait(timeout=30)
        try:
            saving, second_saved = _in_thread(lambda: _autosave(second, assessment, "good", 0))
            saving.join(timeout=10)
            assert not saving.is_alive(), "the second member's save waited for the first's"
            assert held.is_alive(), "the first save should still be under way"
        finally:
            release.set()
            held.join(timeout=30)
            saving.join(timeout=30)
    assert second_saved["value"].status_code == 200
    assert first_saved["value"].status_code == 200
