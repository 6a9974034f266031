"""The history page: standing submissions only, a provisional result marked as such in the
chart (hollow marker, legend entry, label) and in the table and text, every chart label
inside the chart, and a table that stacks on a phone; a fixed number of queries."""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.models import Assessment, Membership, Organisation, Submission, Withdrawal
from assessment.scoring.decimals import display
from assessment.scoring.definitions import VERDICT_LABELS
from assessment.services.assessments import assessment_create
from tests.assessment.conftest import client_for
from tests.reports.test_charts import PERIOD_MAX, outside

pytestmark = pytest.mark.django_db
SNAPSHOT = Path(__file__).resolve().parents[1] / "scoring/snapshots/format-2-fragile-workforce.json"


def submit_history(
    trust: Organisation,
    lead: Membership,
    periods: list[str],
    *,
    provisional: set[int] = frozenset(),  # type: ignore[assignment]
    withdrawn: set[int] = frozenset(),  # type: ignore[assignment]
    verdicts: list[str] | None = None,
) -> list[Submission]:
    """One submitted assessment for each period, oldest first, each storing the fragile
    trust's result with its own index and verdict, a day apart."""
    stored = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    start = timezone.now() - timezone.timedelta(days=len(periods) + 1)
    submissions = []
    for number, period in enumerate(periods):
        result: dict[str, Any] = copy.deepcopy(stored)
        verdict = (verdicts or [stored["verdict"]["code"]] * len(periods))[number]
        result["verdict"].update(
            code=verdict, label=VERDICT_LABELS[verdict], provisional=number in provisional
        )
        result["index"] = str(30 + 7 * number)
        assessment = assessment_create(
            organisation=trust,
            title=f"Board assessment {number + 1}",
            reporting_period=period,
            user=lead.user,
        )
        when = start + timezone.timedelta(days=number)
        submission = Submission.objects.create(
            assessment=assessment,
            result=result,
            verdict=verdict,
            index=Decimal(result["index"]),
            domain_scores={d["code"]: d["score"] for d in result["domains"] if d["scored"]},
            submitted_by=lead.user,
            submitted_at=when,
        )
        Assessment.objects.filter(pk=assessment.pk).update(
            status=Assessment.Status.SUBMITTED, submitted_by=lead.user, submitted_at=when
        )
        if number in withdrawn:
            Withdrawal.objects.create(
                submission=submission,
                withdrawn_by=lead.user,
                withdrawn_at=when + timezone.timedelta(hours=1),
                reason="Submitted before the figures were checked.",
            )
        submissions.append(submission)
    return submissions


def _chart(html: str) -> str:
    start = html.index("<svg", html.index('id="history-chart"'))
    return html[start : html.index("</svg>", start) + len("</svg>")]


def _table(html: str) -> str:
    return html[html.index('id="history-table"') : html.index("</table>")]


def test_a_withdrawn_submission_is_left_out_of_the_chart_and_the_table(
    trust, trust_lead, board
) -> None:
    periods = ["2021 to 2022", "2022 to 2023", "2023 to 2024"]
    submit_history(trust, trust_lead, periods, withdrawn={1})
    html = client_for(board[0]).get(f"/trusts/{trust.pk}/history/").content.decode()
    chart, table = _chart(html), _table(html)
    assert "2022 to 2023" not in chart
    assert "2022 to 2023" not in table
    for period in ("2021 to 2022", "2023 to 2024"):
        assert period in chart
        assert period in table
    assert len(re.findall(r'<tr class="nhsuk-table__row">\s*<td', table)) == 2
    # The withdrawn one is listed below, for the record.
    withdrawn = html[html.index('id="withdrawn-list"') :]
    assert "Board assessment 2 (2022 to 2023)" in withdrawn


def test_a_provisional_result_is_hollow_in_the_chart_and_marked_in_the_table_and_text(
    trust, trust_lead, board
) -> None:
    periods = [f"April {year} to March {year + 1}" for year in range(2020, 2026)]
    submissions = submit_history(trust, trust_lead, periods, provisional={5}, withdrawn={3})
    html = client_for(board[0]).get(f"/trusts/{trust.pk}/history/").content.decode()
    chart = _chart(html)
    standing = len(submissions) - 1
    scored = sum(1 for d in submissions[0].result["domains"] if d["scored"])
    circles = re.findall(r'<circle cx="([\d.]+)" cy="[\d.]+" r="\d" fill="([^"]+)"', chart)
    hollow = [cx for cx, fill in circles if fill == "#ffffff" and float(cx) > 30]
    assert len(hollow) == 1 + scored  # the index and each domain, at one point
    assert len({cx for cx, _ in circles if float(cx) > 30}) == standing
    assert "Hollow marker: a provisional result" in chart
    assert ">provisional</text>" in chart
    latest = submissions[-1]
    assert f"April 2025 to March 2026: index {display(latest.index)} (provisional)" in chart
    row = _table(html).split("Board assessment 6")[1].split("</tr>")[0]
    assert "Provisional</strong>" in row
    assert "One result was provisional" in html
    assert outside(chart) == []


def test_the_table_stacks_on_a_phone_with_each_figure_named(trust, trust_lead, board) -> None:
    submit_history(trust, trust_lead, ["2024 to 2025"])
    html = client_for(board[0]).get(f"/trusts/{trust.pk}/history/").content.decode()
    table = _table(html)
    assert 'class="nhsuk-table-responsive"' in html
    assert "nhsuk-scroll" not in html
    cells = re.findall(r'<td class="nhsuk-table__cell[^"]*">(.*?)</td>', table, re.S)
    assert cells
    assert all('class="nhsuk-table-responsive__heading"' in cell for cell in cells)
    assert 'aria-hidden="true">Workforce </span>' in table


@pytest.mark.parametrize("count", [2, 6])
def test_the_history_page_takes_the_same_queries_however_many_submissions(
    trust, trust_lead, board, count: int, django_assert_num_queries
) -> None:
    submit_history(trust, trust_lead, [f"{2018 + n} to {2019 + n}" for n in range(count)])
    client = client_for(board[0])
    with django_assert_num_queries(8):
        assert client.get(f"/trusts/{trust.pk}/history/").status_code == 200


periods = st.text(
    alphabet=st.characters(blacklist_categories=("C",)), min_size=1, max_size=PERIOD_MAX
).filter(str.strip)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    drawn=st.integers(min_value=1, max_value=8).flatmap(
        lambda count: st.tuples(
            st.lists(periods, min_size=count, max_size=count),
            st.lists(st.sampled_from(sorted(VERDICT_LABELS)), min_size=count, max_size=count),
            st.sets(st.integers(min_value=0, max_value=count - 1)),
        )
    )
)
def test_any_history_gives_a_page_with_every_chart_label_inside_the_chart(
    trust, trust_lead, board, drawn: tuple[list[str], list[str], set[int]]
) -> None:
    chosen, verdicts, provisional = drawn
    client = client_for(board[0])
    with transaction.atomic():
        submit_history(trust, trust_lead, chosen, provisional=provisional, verdicts=verdicts)
        response = client.get(f"/trusts/{trust.pk}/history/")
        transaction.set_rollback(True)
    assert response.status_code == 200
    html = response.content.decode()
    assert outside(_chart(html)) == []
    assert ("Hollow marker: a provisional result" in html) == bool(provisional)
    table = _table(html)
    assert len(re.findall(r'<tr class="nhsuk-table__row">\s*<td', table)) == len(chosen)
