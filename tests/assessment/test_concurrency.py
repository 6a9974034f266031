"""Submission under concurrency: ten leads' clicks arriving at once make one submission.

Each request runs on its own thread with its own database connection, released together
by a barrier, so the requests really overlap in the database. On PostgreSQL the row lock
on the assessment serialises them; on SQLite, write transactions begin IMMEDIATE and the
one-to-one constraint on the submission is the backstop.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.test import Client

from assessment.models import Assessment, Submission
from tests.assessment.conftest import client_for
from tests.assessment.journey import answer_everything
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db(transaction=True)
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
