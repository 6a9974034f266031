"""The what-if page's "Recorded" column says how each form stood in the record: its place
and fit, or that it was ruled out and why; never a bare dash."""

from __future__ import annotations

import html
import re

import pytest

from assessment.models import Submission
from tests.assessment.test_what_if_levers import _as_shown, _submitted

pytestmark = pytest.mark.django_db


def _rows(page: str) -> dict[str, tuple[str, str]]:
    """Each form's row of the ranking table: (recorded, what if), as plain text."""
    table = page[page.index('id="what-if-ranking"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(
        r'<th scope="row" class="nhsuk-table__header">([^<]+)</th>\s*'
        r'<td class="nhsuk-table__cell">(.*?)</td>\s*<td class="nhsuk-table__cell">(.*?)</td>',
        table,
        re.S,
    )

    def text(cell: str) -> str:
        return " ".join(re.sub(r"<[^>]+>", " ", cell).split())

    return {name: (text(recorded), text(now)) for name, recorded, now in rows}


@pytest.mark.parametrize(
    "change",
    [
        {},  # nothing changed: the record on both sides
        {"q-QUAL-2": "yes"},  # special measures: the verdict falls and more is ruled out
    ],
)
def test_the_recorded_column_gives_each_forms_place_or_why_it_was_ruled_out(
    assessment, trust_lead, board, change: dict[str, str]
) -> None:
    lead = _submitted(assessment, trust_lead, board)
    url = f"/assessments/{assessment.pk}/what-if/"
    data = {**_as_shown(lead.get(url).content.decode()), **change}
    page = html.unescape(lead.post(url, data).content.decode())
    rows = _rows(page)
    recorded = Submission.objects.get().result
    assert recorded["ruled_out"]  # the fragile trust has forms ruled out to show
    assert len(rows) == len(recorded["ranking"]) + len(recorded["ruled_out"])
    for form in recorded["ranking"]:
        assert rows[form["name"]][0].startswith(f"{form['rank']} (fit ")
    for form in recorded["ruled_out"]:
        assert rows[form["name"]][0] == "Ruled out: " + " ".join(form["reasons"])
    assert all(cell != "–" for pair in rows.values() for cell in pair)
