"""Two leads' tabs saving the same agreed answer at the same moment, on PostgreSQL: the
second is refused with both answers, and nothing is overwritten.

Each tab's request runs on its own thread with its own database connection, so the saves
really overlap in the database; the lock on the assessment row orders them. SQLite lets
one transaction write at a time, so there the race cannot happen and these tests skip.
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

from assessment.models import AgreedAnswer, Assessment
from assessment.services import submissions
from tests.assessment.conftest import client_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite lets one transaction write at a time"
    ),
]
CONFLICT = "This agreed answer was saved in another window after you opened this page"


def _page(assessment: Assessment, code: str) -> str:
    return f"/assessments/{assessment.pk}/consensus/{code}/"


def _save(client: Client, assessment: Assessment, code: str, value: str, why: str) -> Any:
    """The tab's "Save", from a page opened before anything was recorded (version 0)."""
    return client.post(
        _page(assessment, code), {f"q-{code}": value, f"v-{code}": "0", f"r-{code}": why}
    )


def _autosave(client: Client, assessment: Assessment, code: str, value: str, why: str) -> Any:
    return client.post(
        f"/assessments/{assessment.pk}/consensus/autosave/",
        {"question": code, f"q-{code}": value, f"v-{code}": "0", f"r-{code}": why},
    )


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


@pytest.mark.parametrize("send", [_save, _autosave], ids=["save", "autosave"])
def test_the_second_tab_waits_for_the_first_and_is_refused(
    assessment, trust_lead, send: Callable[..., Any]
) -> None:
    first, second = client_for(trust_lead), client_for(trust_lead)
    holding, release = threading.Event(), threading.Event()
    read = submissions.consensus_rows
    held_once = threading.Lock()

    def slow_inside_the_save(**kwargs: Any) -> Any:
        # Inside the save's transaction the assessment row is locked: hold the first save
        # there, so that the second arrives while it is under way.
        if connection.in_atomic_block and held_once.acquire(blocking=False):
            holding.set()
            assert release.wait(timeout=30)
        return read(**kwargs)

    with mock.patch.object(submissions, "consensus_rows", side_effect=slow_inside_the_save):
        saving, first_saved = _in_thread(
            lambda: send(first, assessment, "QUAL-5", "2", "The non-executives' view.")
        )
        assert holding.wait(timeout=30)
        try:
            racing, second_saved = _in_thread(
                lambda: send(second, assessment, "QUAL-5", "4", "The executives' view.")
            )
            racing.join(timeout=2)
            assert racing.is_alive(), "the second save should wait for the first"
        finally:
            release.set()
            saving.join(timeout=30)
            racing.join(timeout=30)

    won, lost = first_saved["value"], second_saved["value"]
    if send is _save:
        assert won.status_code == 302
        assert lost.status_code == 200
        page = lost.content.decode()
        assert CONFLICT in page
        assert "Your rationale: The executives&#x27; view." in page
        assert 'name="q-QUAL-5" type="radio" value="2" checked' in page
    else:
        assert (won.status_code, won.json()["version"]) == (200, 1)
        assert lost.status_code == 409
        assert (lost.json()["status"], lost.json()["saved"]) == ("conflict", "2")
    agreed = AgreedAnswer.objects.get(assessment=assessment, question__code="QUAL-5")
    assert (agreed.value, agreed.rationale, agreed.version) == ("2", "The non-executives' view.", 1)
    assert AgreedAnswer.history.filter(id=agreed.pk).count() == 1


ROUNDS = ("QUAL-5", "WORK-3", "LEAD-3", "LEAD-4", "LEAD-5", "SCALE-4")


def test_tabs_saving_at_once_never_both_win(assessment, trust_lead) -> None:
    """No pause this time: two tabs per question, released together; on every question
    exactly one save stands and the other is refused."""
    tabs = [(client_for(trust_lead), client_for(trust_lead)) for _ in ROUNDS]
    barrier = threading.Barrier(2 * len(ROUNDS))

    def click(job: tuple[Client, str, str]) -> tuple[str, str, int]:
        client, code, value = job
        try:
            barrier.wait(timeout=30)
            return code, value, _save(client, assessment, code, value, f"Tab {value}.").status_code
        finally:
            connections.close_all()

    jobs = [
        (tab, code, value)
        for (one, other), code in zip(tabs, ROUNDS, strict=True)
        for tab, value in ((one, "1"), (other, "4"))
    ]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        outcomes = list(pool.map(click, jobs))

    for code in ROUNDS:
        mine = {value: status for c, value, status in outcomes if c == code}
        assert sorted(mine.values()) == [200, 302], code
        winner = next(value for value, status in mine.items() if status == 302)
        agreed = AgreedAnswer.objects.get(assessment=assessment, question__code=code)
        assert (agreed.value, agreed.rationale, agreed.version) == (winner, f"Tab {winner}.", 1)
