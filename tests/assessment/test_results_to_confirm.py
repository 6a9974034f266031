"""Forms to confirm on the results and what-if pages: in their place by fit, marked "To
confirm" with the questions whose answers would settle them; a result stored before keeps
the order it was stored with, and says why."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.utils import timezone

from assessment.models import Assessment, Submission
from tests.assessment.conftest import client_for
from tests.assessment.journey import answer_everything, enter_figures, submit_board
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
STRONG = load_persona(persona_paths()[2])["answers"]
# Every number the seed questionnaire asks for, each a figure the lead enters. Left blank, they
# leave the strong trust with a provisional verdict, so the three forms that need a confirmed
# verdict are to confirm.
FIGURES = (
    "QUAL-4",
    *("FIN-1", "FIN-2", "FIN-3", "FIN-4", "FIN-5", "FIN-6"),
    *("WORK-1", "WORK-2", "WORK-4", "WORK-5"),
    *("PERF-1", "PERF-2", "PERF-3", "PERF-4"),
    *("SCALE-1", "SCALE-2", "SCALE-3"),
)
FIGURES_BLANK = {code: value for code, value in STRONG.items() if code not in FIGURES}
REACH = ["offer-support", "extend-service-chain", "lead-group"]
FORMAT_1 = ROOT / "tests/scoring/snapshots/format-1-strong-trust-figures-blank.json"
FIN_1 = "What is the trust&#x27;s underlying income and expenditure position"  # FIN-1, as escaped


def _card(html: str, slug: str) -> str:
    """A ranked form's card: up to the next card, or the end of the menu."""
    start = html.index(f'id="form-{slug}"')
    ends = [html.find(mark, start + 1) for mark in ('id="form-', "</ol>")]
    return html[start : min(end for end in ends if end != -1)]


def _order(html: str) -> list[str]:
    return re.findall(r'<li class="nhsuk-card app-ranked-form" id="form-([a-z-]+)"', html)


def _submit(assessment: Assessment, trust_lead, board) -> None:
    """Every member's judgements; the lead's figures, but for the numbers, left blank."""
    for member in board:
        answer_everything(client_for(member), assessment, FIGURES_BLANK)
    lead = client_for(trust_lead)
    enter_figures(lead, assessment, FIGURES_BLANK)
    assert submit_board(lead, assessment).status_code == 302


def test_the_results_page_keeps_forms_to_confirm_in_their_place_by_fit(
    assessment, trust_lead, board
) -> None:
    _submit(assessment, trust_lead, board)
    stored = Submission.objects.get().result
    assert stored["verdict"]["provisional"] is True
    html = client_for(board[0]).get(f"/assessments/{assessment.pk}/results/").content.decode()
    # The strongest options first, although their condition cannot be judged yet.
    assert _order(html)[:4] == [*REACH, "standalone"]
    assert _order(html) == [form["slug"] for form in stored["ranking"]]
    for slug in REACH:
        card = _card(html, slug)
        assert '<strong class="nhsuk-tag nhsuk-tag--yellow">To confirm</strong>' in card
        assert "The verdict is provisional because too much evidence is missing" in card
        assert "The 18 missing answers that would confirm the verdict" in card
        assert f"<strong>FIN-1</strong>: {FIN_1}" in card
        assert "<strong>CHANGE-4</strong>" not in card
    assert "To confirm" not in _card(html, "standalone")
    assert 'id="menu-as-recorded"' not in html


def test_a_question_to_confirm_is_listed_with_its_text(assessment, trust_lead, board) -> None:
    answers = {code: value for code, value in STRONG.items() if code != "CHANGE-4"}
    for member in board:
        answer_everything(client_for(member), assessment, answers)
    lead = client_for(trust_lead)
    enter_figures(lead, assessment, answers)
    html = lead.get(f"/assessments/{assessment.pk}/results/").content.decode()  # the preview
    assert _order(html)[:4] == [*REACH, "standalone"]
    card = _card(html, "offer-support")
    assert "The trust must be ready to support others. CHANGE-4 is not answered yet" in card
    assert re.search(r"<li><strong>CHANGE-4</strong>: [^<]+\?</li>", card)
    assert "missing answers that would confirm the verdict" not in card


def test_a_result_stored_before_keeps_its_order_and_says_why(assessment, trust_lead, board) -> None:
    stored = json.loads(FORMAT_1.read_text(encoding="utf-8"))
    Submission.objects.create(
        assessment=assessment,
        result=stored,
        verdict=stored["verdict"]["code"],
        submitted_by=trust_lead.user,
        submitted_at=timezone.now(),
    )
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.SUBMITTED, submitted_at=timezone.now()
    )
    html = client_for(board[0]).get(f"/assessments/{assessment.pk}/results/").content.decode()
    # Shown as it was stored: the forms to confirm after every confirmed form.
    assert _order(html) == [form["slug"] for form in stored["ranking"]]
    assert _order(html)[-3:] == REACH
    assert 'id="menu-as-recorded"' in html
    assert "The order is kept as it was recorded" in html
    assert stored["verdict"]["label"] + " (provisional)" in html
    for form in stored["ranking"]:
        assert f"{form['rank']}.</span>" in _card(html, form["slug"])
    for slug in REACH:
        assert f"<strong>FIN-1</strong>: {FIN_1}" in _card(html, slug)


def test_the_what_if_page_marks_forms_to_confirm_on_both_sides(
    assessment, trust_lead, board
) -> None:
    _submit(assessment, trust_lead, board)
    lead = client_for(trust_lead)
    page = lead.get(f"/assessments/{assessment.pk}/what-if/").content.decode()
    data = dict(re.findall(r'name="(q-[A-Z0-9-]+)" type="radio" value="([^"]+)" checked', page))
    data["q-CHANGE-1"] = "4"  # a context answer: the verdict stays provisional
    html = lead.post(f"/assessments/{assessment.pk}/what-if/", data).content.decode()
    table = html[
        html.index('id="what-if-ranking"') : html.index("</table>", html.index("what-if-ranking"))
    ]
    rows = re.findall(r'<th scope="row" class="nhsuk-table__header">([^<]+)</th>', table)
    assert rows[:3] == [
        "Support another provider (buddying or a management contract)",
        "Extend a strong specialist service to other sites (service-level chain)",
        "Lead a multi-service chain or group",
    ]
    first = table[: table.index(rows[1])]
    assert first.count('<strong class="nhsuk-tag nhsuk-tag--yellow">To confirm</strong>') == 2
    assert f"<strong>FIN-1</strong>: {FIN_1}" in first
    standalone = table[table.index("Stay standalone") :]
    standalone = standalone[: standalone.index("</tr>")]
    assert "To confirm" not in standalone
