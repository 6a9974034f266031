"""Submission and saves under concurrency: ten leads' clicks arriving at once make one
submission; a member's answer or the lead's figure saved while the submission is under way
is refused, never written after it; members' saves do not wait for each other.

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

from assessment.models import Answer, Assessment, Figure, Submission
from assessment.services import answers as answer_services
from assessment.services import submissions
from tests.assessment.conftest import client_for
from tests.assessment.journey import REASONS, SOURCE, answer_everything, enter_figures
from tests.personas import load_persona, persona_paths

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]
CLICKS = 10
ANSWERS = load_persona(persona_paths()[0])["answers"]


def test_ten_concurrent_submissions_create_exactly_one_snapshot(
    assessment, trust_lead, board
) -> None:
    for member in board:
        answer_everything(client_for(member), assessment, ANSWERS)
    enter_figures(client_for(trust_lead), assessment, ANSWERS)
    clients = [client_for(trust_lead) for _ in range(CLICKS)]
    barrier = threading.Barrier(CLICKS)
    url = f"/assessments/{assessment.pk}/submit/"

    def click(client: Client) -> tuple[int, str]:
        try:
            barrier.wait(timeout=30)
            response = client.post(
                url, {"confirm": "on", **{f"reason-{key}": r for key, r in REASONS.items()}}
            )
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
    assert {row["code"] for row in submission.agreed_answers if row["value"]} >= set(ANSWERS)


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
        {"question": "QUAL-5", "q-QUAL-5": value, "v-QUAL-5": str(version)},
    )


def _figure_autosave(client: Client, assessment: Assessment, value: str, version: int) -> Any:
    return client.post(
        f"/assessments/{assessment.pk}/figures/autosave/",
        {
            "question": "FIN-1",
            "q-FIN-1": "figure",
            "n-FIN-1": value,
            "note-FIN-1": "Month 9 forecast",
            "v-FIN-1": str(version),
        },
    )


def _racing_the_submission(
    assessment: Assessment, lead: Any, save: Callable[[], Any]
) -> tuple[Any, Submission]:
    """Start the submission and hold it once it has locked the assessment and the responses,
    before it reads the answers and the figures; send `save` then, check that it waits, and
    let the submission finish. The save's response and the submission."""
    responses_locked, go_on = threading.Event(), threading.Event()
    read_answers = submissions.consensus_rows

    def paused_read(**kwargs: Any) -> Any:
        responses_locked.set()  # the responses are locked; the answers are not read yet
        assert go_on.wait(timeout=30)
        return read_answers(**kwargs)

    with mock.patch.object(submissions, "consensus_rows", side_effect=paused_read):
        submitting, submitted = _in_thread(
            lambda: submissions.assessment_submit(
                assessment=assessment, user=lead.user, reasons=REASONS
            )
        )
        assert responses_locked.wait(timeout=30)
        saving, saved = _in_thread(save)
        saving.join(timeout=1)
        assert saving.is_alive(), "the save should wait for the submission"
        go_on.set()
        submitting.join(timeout=30)
        saving.join(timeout=30)
    return saved["value"], submitted["value"]


def test_a_save_that_races_the_submission_waits_and_is_refused(
    assessment, trust_lead, board
) -> None:
    for member in board:
        answer_everything(client_for(member), assessment, ANSWERS)
    enter_figures(client_for(trust_lead), assessment, ANSWERS)  # without them, none submits
    answer = Answer.objects.get(respondent__user=board[0].user, question__code="QUAL-5")
    before = answer.value
    other = next(v for v in ("1", "4") if v != before)
    member = client_for(board[0])

    saved, submission = _racing_the_submission(
        assessment, trust_lead, lambda: _autosave(member, assessment, other, answer.version)
    )

    assert saved.status_code == 409
    assert "submitted" in saved.json()["errors"][0]
    answer.refresh_from_db()
    assert answer.value == before
    row = next(r for r in submission.agreed_answers if r["code"] == "QUAL-5")
    assert any(m["label"] for m in row["members"])
    assert Answer.history.filter(id=answer.pk, value=other).count() == 0


def test_a_figure_save_that_races_the_submission_waits_and_is_refused(
    assessment, trust_lead, board
) -> None:
    """The lead changes a figure while the submission is under way: the save waits for the
    assessment's lock, then finds the answers submitted, and writes nothing."""
    for member in board:
        answer_everything(client_for(member), assessment, ANSWERS)
    lead = client_for(trust_lead)
    enter_figures(lead, assessment, ANSWERS)
    figure = Figure.objects.get(assessment=assessment, question__code="FIN-1")
    stored = (figure.value, figure.source, figure.version)
    history = figure.history.count()
    other = "-3.5"
    assert figure.value != other

    saved, submission = _racing_the_submission(
        assessment, trust_lead, lambda: _figure_autosave(lead, assessment, other, figure.version)
    )

    assert saved.status_code == 409
    assert saved.json()["status"] == "refused"
    assert "submitted" in saved.json()["errors"][0]
    figure.refresh_from_db()
    assert (figure.value, figure.source, figure.version) == stored
    assert figure.history.count() == history
    assert Figure.history.filter(id=figure.pk, value=other).count() == 0
    row = next(r for r in submission.agreed_answers if r["code"] == "FIN-1")
    assert (row["answered_by"], row["value"], row["source"]) == ("figure", stored[0], SOURCE)


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
        held, first_saved = _in_thread(lambda: _autosave(first, assessment, "3", 0))
        assert holding.wait(timeout=30)
        try:
            saving, second_saved = _in_thread(lambda: _autosave(second, assessment, "3", 0))
            saving.join(timeout=10)
            assert not saving.is_alive(), "the second member's save waited for the first's"
            assert held.is_alive(), "the first save should still be under way"
        finally:
            release.set()
            held.join(timeout=30)
            saving.join(timeout=30)
    assert second_saved["value"].status_code == 200
    assert first_saved["value"].status_code == 200
