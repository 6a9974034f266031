"""Whatever a board enters, its outputs are drawn: for assessments built through the
services from 1 to 15 members' answers of every kind, notes and rationales up to the
forms' limits, figures with sources up to theirs and 1 to 8 earlier submissions of the
same trust, the results page (the lead's preview, then the submitted result for a member,
the lead and the print view), the history page and the board paper all render, every
label of every chart lies inside the chart, and the paper is a PDF whose text lies within
its frame.

Every example runs in a savepoint that is rolled back afterwards, so each starts from the
same trust and lead."""

from __future__ import annotations

import io
import re

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from assessment.models import Membership, Organisation, Submission
from tests.assessment.conftest import client_for
from tests.assessment.generated import agree, build, plans, submit
from tests.factories import MembershipFactory
from tests.reports.layout import outside as outside_frame
from tests.reports.test_charts import label_boxes, outside

pytestmark = pytest.mark.django_db

SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def charts(html: str) -> list[str]:
    """The charts of a page: its SVGs that carry text (icons carry none)."""
    return [svg for svg in SVG.findall(html) if "<text" in svg]


def labels_outside(client: Client, url: str) -> list[str]:
    """Every chart label of the page at `url` that reaches beyond its chart; the page must
    answer 200 and carry at least one chart with labels."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    found = charts(response.content.decode())
    assert found, f"no chart on {url}"
    problems = []
    for svg in found:
        assert label_boxes(svg), f"a chart on {url} whose labels cannot be read"
        problems += [f"{url}: {problem}" for problem in outside(svg)]
    return problems


def earlier(
    trust: Organisation, lead: Membership, board: list[Membership], draw: st.DrawFn
) -> list[Submission]:
    """1 to 8 earlier submitted assessments of the trust, each answered by a few of the
    board, oldest first."""
    submissions = []
    for _ in range(draw(st.integers(1, 8), label="earlier submissions")):
        members = board[: draw(st.integers(1, min(3, len(board))), label="members then")]
        plan = draw(plans(len(members), texts=False), label="earlier assessment")
        assessment = build(trust=trust, lead=lead, members=members, plan=plan)
        agree(assessment, lead, draw)
        submissions.append(submit(assessment, lead))
    return submissions


@settings(
    max_examples=10,
    deadline=None,
    database=None,  # no example database: the test writes nothing into the project
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
@given(data=st.data())
def test_any_assessment_renders_its_results_history_and_paper_with_every_label_inside(
    trust: Organisation, trust_lead: Membership, data: st.DataObject
) -> None:
    lead = client_for(trust_lead)
    with transaction.atomic():
        count = data.draw(st.integers(1, 15), label="members")
        board = [MembershipFactory(organisation=trust) for _ in range(count)]
        before = earlier(trust, trust_lead, board, data.draw)
        plan = data.draw(plans(count), label="assessment")
        assessment = build(trust=trust, lead=trust_lead, members=board, plan=plan)
        agree(assessment, trust_lead, data.draw)
        results = f"/assessments/{assessment.pk}/results/"
        problems = labels_outside(lead, results)  # the lead's preview, before submitting
        submission = submit(assessment, trust_lead)
        member = client_for(board[0])
        problems += labels_outside(member, results)
        problems += labels_outside(lead, results)
        problems += labels_outside(lead, f"{results}?view=print")
        problems += labels_outside(member, f"/trusts/{trust.pk}/history/")
        paper = member.get(f"/assessments/{assessment.pk}/board-paper.pdf")
        transaction.set_rollback(True)
    assert problems == []
    assert [s.submitted_at for s in before] == sorted(s.submitted_at for s in before)
    assert submission.submitted_at > before[-1].submitted_at
    assert paper.status_code == 200
    assert paper["Content-Type"] == "application/pdf"
    pdf = paper.content
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    assert reader.pages[0].extract_text().strip()
    assert outside_frame(pdf, trust.name) == []
