"""What the board can change (method section 10), as boards see it: the what-if page shows
a fact of the trust's nature without offering it for change and refuses a posted change to
one; the results page, the board paper and the exports say when a change is outside the
trust's control."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from assessment.models import AgreedAnswer, Assessment, Submission
from tests.assessment.conftest import client_for
from tests.assessment.journey import answer_everything, enter_figures, submit_board
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
SEED = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "assessment/seed/questionnaire-v1.yaml").read_text()
)
FRAGILE_PATH = next(path for path in persona_paths() if path.stem == "fragile-workforce")
FRAGILE = load_persona(FRAGILE_PATH)["answers"]
FIXED = ("PROFILE-TYPE", "SCALE-1", "SYS-6")
EXTERNAL = ("SCALE-2", "SYS-1", "SYS-5", "SYS-7")
LABEL = "(outside the trust's control)"
# One change the fragile trust's report proposes for its top form, on an external question.
SYS_1_LIFT = (
    "If SYS-1 were 'Yes, and it has shown willingness' instead of 'Yes, but its willingness "
    "is untested' (outside the trust's control), its fit would rise from 66.7 to 69.9 and it "
    "would rank 1."
)
# The same change as the results page words it: the question's text, never its code.
SYS_1_LIFT_PAGE = (
    "If the answer to “Is there a well-performing provider within reasonable travel distance "
    "that could partner with the trust?” were “Yes, and it has shown willingness” instead of "
    "“Yes, but its willingness is untested” (outside the trust's control), its fit would rise "
    "from 66.7 to 69.9 and it would rank 1."
)


def _submitted(assessment: Assessment, trust_lead, board) -> Client:
    """The fragile trust's judgements, given by every member, and its figures, entered once
    by the lead; agreed and submitted."""
    for member in board:
        answer_everything(client_for(member), assessment, FRAGILE)
    lead = client_for(trust_lead)
    enter_figures(lead, assessment, FRAGILE)
    assert submit_board(lead, assessment).status_code == 302
    return lead


def _question(page: str, code: str) -> str:
    """The markup of one question on a page."""
    start = page.index(f'data-question="{code}"')
    end = page.find("data-question=", start + 1)
    return page[start : end if end != -1 else len(page)]


def _as_shown(page: str) -> dict[str, str]:
    """The what-if form as the page fills it in: each chosen radio and each figure."""
    data = dict(re.findall(r'name="(q-[A-Z0-9-]+)" type="radio" value="([^"]+)" checked', page))
    data.update(re.findall(r'name="(n-[A-Z0-9-]+)"[^>]*value="([^"]*)"', page))
    return data


def test_the_what_if_page_shows_each_fact_of_the_trusts_nature_without_an_input(
    assessment, trust_lead, board
) -> None:
    lead = _submitted(assessment, trust_lead, board)
    page = lead.get(f"/assessments/{assessment.pk}/what-if/").content.decode()
    recorded = {
        "PROFILE-TYPE": "Acute (general hospital services)",
        "SCALE-1": "180 thousand people",
        "SYS-6": "Yes",
    }
    for code in FIXED:
        block = html.unescape(_question(page, code))
        assert "<input" not in block
        assert f"Recorded answer: {recorded[code]}" in block
        assert "A fact of the trust's nature" in block
        assert not re.search(rf'name="[a-z]+-{code}"', page)
    for code in EXTERNAL:
        block = html.unescape(_question(page, code))
        assert f'name="q-{code}"' in block
        assert "Outside the trust's control" in block
    # A lever is offered as before, with no label.
    lever = html.unescape(_question(page, "QUAL-1"))
    assert 'name="q-QUAL-1"' in lever
    assert "Outside the trust's control" not in lever
    assert "A fact of the trust's nature" not in lever


def test_a_crafted_change_to_the_trusts_type_is_refused_and_nothing_is_computed(
    assessment, trust_lead, board
) -> None:
    lead = _submitted(assessment, trust_lead, board)
    stored = Submission.objects.get().result
    agreed = sorted(AgreedAnswer.objects.values_list("question_id", "value", "version"))
    url = f"/assessments/{assessment.pk}/what-if/"
    data = _as_shown(lead.get(url).content.decode())
    assert not any(code in name for name in data for code in FIXED)
    # Mental health trusts cannot run a service-level chain: were the change read, the
    # ranking would move.
    response = lead.post(url, {**data, "q-PROFILE-TYPE": "mental-health", "q-QUAL-2": "yes"})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "There is a problem" in page
    assert (
        "Keep PROFILE-TYPE as recorded (Acute (general hospital services)): it is a fact of "
        "the trust's nature, so it cannot be changed here" in page
    )
    assert 'id="comparison"' not in page
    assert 'id="what-if-ranking"' not in page
    assert Submission.objects.get().result == stored
    assert sorted(AgreedAnswer.objects.values_list("question_id", "value", "version")) == agreed


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("n-SCALE-1", "600"),  # a population of 600,000 instead of 180,000
        ("q-SYS-6", "no"),  # not isolated
        ("q-SCALE-1", "dk"),  # the figure withdrawn
    ],
)
def test_a_crafted_change_to_any_fixed_question_is_refused(
    assessment, trust_lead, board, field: str, value: str
) -> None:
    lead = _submitted(assessment, trust_lead, board)
    url = f"/assessments/{assessment.pk}/what-if/"
    data = _as_shown(lead.get(url).content.decode())
    page = html.unescape(lead.post(url, {**data, field: value}).content.decode())
    code = field.split("-", 1)[1]
    assert f"Keep {code} as recorded" in page
    assert 'id="comparison"' not in page


def test_a_fixed_answer_posted_as_recorded_is_accepted_and_not_listed_as_changed(
    assessment, trust_lead, board
) -> None:
    lead = _submitted(assessment, trust_lead, board)
    url = f"/assessments/{assessment.pk}/what-if/"
    data = _as_shown(lead.get(url).content.decode())
    posted = {**data, "q-PROFILE-TYPE": "acute", "n-SCALE-1": "180.0", "q-QUAL-2": "yes"}
    page = html.unescape(lead.post(url, posted).content.decode())
    assert 'id="comparison"' in page
    changed = page[page.index("Answers you changed") :]
    changed = changed[: changed.index("</ul>")]
    assert re.findall(r"<strong>([A-Z0-9-]+)</strong>", changed) == ["QUAL-2"]


def test_the_results_page_labels_changes_outside_the_trusts_control(
    assessment, trust_lead, board
) -> None:
    lead = _submitted(assessment, trust_lead, board)
    page = html.unescape(
        client_for(board[0]).get(f"/assessments/{assessment.pk}/results/").content.decode()
    )
    section = page[page.index('id="what-would-change"') : page.index('id="domains"')]
    assert SYS_1_LIFT_PAGE in section
    items = re.findall(r"<li>(.*?)</li>", section)
    assert items
    questions = {q["code"]: q["text"] for q in SEED["questions"]}
    external = {" ".join(questions[code].split()) for code in EXTERNAL}
    for item in items:
        assert not re.search(r"\b[A-Z]+-\d+\b", item), item  # no bare question code
        asked = re.match(r"If the answer to “(.*?)” were", item)
        assert asked, item
        assert (LABEL in item) == (asked.group(1) in external), item
    assert not any(re.match(rf"If ({'|'.join(FIXED)}) were", item) for item in items)
    assert lead.get(f"/assessments/{assessment.pk}/results/").status_code == 200


def test_the_board_paper_labels_changes_outside_the_trusts_control(
    assessment, trust_lead, board
) -> None:
    lead = _submitted(assessment, trust_lead, board)
    response = lead.get(f"/assessments/{assessment.pk}/board-paper.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    part = text[text.index("5. What would change our recommendation") :]
    part = part[: part.index("6. Where board members differed")]
    # The paper words it as the results page does: the question's text, never its code.
    assert SYS_1_LIFT_PAGE in part
    assert "If SYS-1 were" not in part
    for code in FIXED:
        assert f"If {code} were" not in part


def test_the_results_exports_label_changes_outside_the_trusts_control(
    assessment, trust_lead, board
) -> None:
    lead = _submitted(assessment, trust_lead, board)
    base = f"/assessments/{assessment.pk}/exports/"
    rows = list(csv.reader(io.StringIO(lead.get(base + "results.csv").content.decode())))
    book = load_workbook(io.BytesIO(lead.get(base + "results.xlsx").content))
    sheet = [list(row) for row in book["Results"].iter_rows(values_only=True)]
    for table in (rows, sheet):
        changes = [row for row in table if row[0] == "What would change"]
        assert changes[0][1:3] == ["The top form", "fragile"]
        proposed = changes[1:]
        assert [
            "What would change",
            "Would raise Joint venture for a defined service",
            "SYS-1",
            SYS_1_LIFT,
        ] in proposed
        for _, _, code, sentence in proposed:
            assert code not in FIXED
            assert (LABEL in sentence) == (code in EXTERNAL)
    document = json.loads(lead.get(base + "assessment.json").content)
    (lift,) = [
        item
        for form in document["result"]["sensitivity"]["forms"]
        for item in form["lifts"]
        if item["sentence"] == SYS_1_LIFT
    ]
    assert lift["change"]["outside_control"] is True


def test_the_assess_command_labels_changes_outside_the_trusts_control(capsys) -> None:
    call_command("assess", str(FRAGILE_PATH))
    text = " ".join(capsys.readouterr().out.split())
    part = text[text.index("What would change our recommendation") : text.index("Missing evidence")]
    assert SYS_1_LIFT in part
    assert LABEL in part
    for code in FIXED:
        assert f"If {code} were" not in part
