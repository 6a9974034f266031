"""Fixes from a walk-through of the board journey: where the last section's button goes,
choosing again after a stale tab, long notes refused with their length, and the trust's
type under its own heading."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from assessment.models import Answer, Figure, Membership
from assessment.selectors import pinned_for
from assessment.templatetags.questions import by_section
from tests.assessment.conftest import client_for

pytestmark = pytest.mark.django_db
SOURCE = "Annual report and accounts 2024/25"


def _section(assessment, code: str) -> str:
    return f"/assessments/{assessment.pk}/response/{code}/"


def _figures(assessment, code: str = "") -> str:
    return f"/assessments/{assessment.pk}/figures/{code + '/' if code else ''}"


def _answer(member: Membership, code: str) -> Answer | None:
    return Answer.objects.filter(respondent__user=member.user, question__code=code).first()


def _checked(html: str, name: str) -> list[str]:
    """The values of the radios of `name` that the page shows chosen."""
    return re.findall(rf'name="{re.escape(name)}" type="radio" value="([^"]*)" checked', html)


def _input_value(html: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert found, name
    value = re.search(r'value="([^"]*)"', found.group(0))
    return value.group(1) if value else ""


# 1. The last section's "Save and check your answers" goes to the check page.


def test_saving_the_last_section_goes_on_to_check_the_answers(assessment, board) -> None:
    client = client_for(board[0])
    last = pinned_for(assessment).judgement_sections[-1].code
    response = client.post(_section(assessment, last), {"q-CHANGE-1": "2", "v-CHANGE-1": "0"})
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{assessment.pk}/response/check/"


def test_save_and_return_from_the_last_section_still_goes_to_all_sections(
    assessment, board
) -> None:
    client = client_for(board[0])
    last = pinned_for(assessment).judgement_sections[-1].code
    response = client.post(
        _section(assessment, last), {"q-CHANGE-1": "2", "v-CHANGE-1": "0", "then": "tasks"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{assessment.pk}/response/"


# 2. A stale tab: the saved answer is shown chosen, the member's own in the message.


def test_a_refused_stale_answer_shows_the_saved_one_chosen_and_choosing_again_saves(
    assessment, board
) -> None:
    client = client_for(board[0])
    autosave = f"/assessments/{assessment.pk}/response/autosave/"
    assert (
        client.post(autosave, {"question": "SYS-1", "q-SYS-1": "yes", "v-SYS-1": "0"}).status_code
        == 200
    )
    page = client.post(_section(assessment, "SYS"), {"q-SYS-1": "maybe", "v-SYS-1": "0"})
    html = page.content.decode()
    assert page.status_code == 200
    assert _checked(html, "q-SYS-1") == ["yes"]  # the saved answer, not the refused one
    assert "Your answer: Yes, but its willingness is untested." in html
    assert _input_value(html, "v-SYS-1") == "1"
    # Choosing the member's own answer is now a change from what the page shows, and saves.
    again = client.post(_section(assessment, "SYS"), {"q-SYS-1": "maybe", "v-SYS-1": "1"})
    assert again.status_code == 302
    assert _answer(board[0], "SYS-1").value == "maybe"


def test_a_stale_answer_whose_label_ends_in_a_full_stop_has_one_full_stop(
    assessment, board
) -> None:
    client = client_for(board[0])
    autosave = f"/assessments/{assessment.pk}/response/autosave/"
    assert (
        client.post(autosave, {"question": "QUAL-5", "q-QUAL-5": "2", "v-QUAL-5": "0"}).status_code
        == 200
    )
    page = client.post(_section(assessment, "QUAL"), {"q-QUAL-5": "4", "v-QUAL-5": "0"})
    html = page.content.decode()
    assert "changed in another window" in html
    assert ".." not in html
    assert "plans depend on posts that cannot be filled. Your answer: Level 4" in html
    assert "Standards are met every day, with resilient rotas. The saved answer" in html
    assert _checked(html, "q-QUAL-5") == ["2"]


def test_a_refused_stale_figure_shows_the_saved_figure_and_source(assessment, trust_lead) -> None:
    lead = client_for(trust_lead)
    autosave = f"/assessments/{assessment.pk}/figures/autosave/"
    first = {"question": "FIN-2", "q-FIN-2": "figure", "n-FIN-2": "1", "note-FIN-2": SOURCE}
    assert lead.post(autosave, {**first, "v-FIN-2": "0"}).status_code == 200
    mine = {"q-FIN-2": "figure", "n-FIN-2": "2.5", "note-FIN-2": "Draft plan", "v-FIN-2": "0"}
    page = lead.post(_figures(assessment, "FIN"), mine)
    html = page.content.decode()
    assert page.status_code == 200
    assert _checked(html, "q-FIN-2") == ["figure"]
    assert _input_value(html, "n-FIN-2") == "1"  # the saved figure, with its own source
    assert _input_value(html, "note-FIN-2") == SOURCE
    assert (
        f"Saved figure: 1 year, source: {SOURCE}. Yours: 2.5 years. Your source: Draft plan."
        in (html)
    )
    assert _input_value(html, "v-FIN-2") == "1"
    again = lead.post(_figures(assessment, "FIN"), {**mine, "v-FIN-2": "1"})
    assert again.status_code == 302
    figure = Figure.objects.get(question__code="FIN-2")
    assert (figure.value, figure.source) == ("2.5", "Draft plan")


def test_a_refused_stale_figure_option_shows_the_saved_option_chosen(
    assessment, trust_lead
) -> None:
    lead = client_for(trust_lead)
    autosave = f"/assessments/{assessment.pk}/figures/autosave/"
    saved = {"question": "QUAL-1", "q-QUAL-1": "good", "note-QUAL-1": SOURCE, "v-QUAL-1": "0"}
    assert lead.post(autosave, saved).status_code == 200
    page = lead.post(
        _figures(assessment, "QUAL"),
        {"q-QUAL-1": "inadequate", "note-QUAL-1": SOURCE, "v-QUAL-1": "0"},
    )
    html = page.content.decode()
    assert _checked(html, "q-QUAL-1") == ["good"]
    assert "Yours: Inadequate." in html


# 4. Long notes: counted on the page, never cut, refused by the server with their length.


def test_evidence_notes_are_counted_not_cut(assessment, board) -> None:
    html = client_for(board[0]).get(_section(assessment, "SYS")).content.decode()
    textarea = re.search(r'<textarea[^>]*name="note-SYS-1"[^>]*>', html).group(0)
    assert "maxlength" not in textarea
    assert "nhsuk-js-character-count" in textarea
    assert 'aria-describedby="id_note-SYS-1-info' in textarea
    assert (
        '<div class="nhsuk-character-count" data-module="nhsuk-character-count" '
        'data-maxlength="4000">'
    ) in html
    assert 'id="id_note-SYS-1-info">You can enter up to 4,000 characters</div>' in html


def test_a_note_too_long_is_refused_saying_how_long_it_is(assessment, board) -> None:
    client = client_for(board[0])
    note = "x" * 4213
    page = client.post(
        _section(assessment, "SYS"), {"q-SYS-1": "yes", "note-SYS-1": note, "v-SYS-1": "0"}
    )
    assert page.status_code == 200
    assert "Shorten the note to 4,000 characters or fewer (it has 4,213)" in page.content.decode()
    assert _answer(board[0], "SYS-1") is None
    saved = client.post(
        f"/assessments/{assessment.pk}/response/autosave/",
        {"question": "SYS-1", "q-SYS-1": "yes", "note-SYS-1": note, "v-SYS-1": "0"},
    )
    assert saved.status_code == 400
    assert saved.json()["errors"] == [
        "Shorten the note to 4,000 characters or fewer (it has 4,213)"
    ]
    assert _answer(board[0], "SYS-1") is None


def test_a_source_is_counted_and_refused_over_500_characters(assessment, trust_lead) -> None:
    lead = client_for(trust_lead)
    html = lead.get(_figures(assessment, "FIN")).content.decode()
    source = re.search(r'<input[^>]*name="note-FIN-2"[^>]*>', html).group(0)
    assert "maxlength" not in source
    assert "nhsuk-js-character-count" in source
    assert 'data-maxlength="500"' in html
    page = lead.post(
        _figures(assessment, "FIN"),
        {"q-FIN-2": "figure", "n-FIN-2": "4", "note-FIN-2": "s" * 612, "v-FIN-2": "0"},
    )
    assert "Shorten the source to 500 characters or fewer (it has 612)" in page.content.decode()
    assert not Figure.objects.exists()


def test_a_rationale_is_counted_not_cut(assessment, trust_lead) -> None:
    url = f"/assessments/{assessment.pk}/consensus/SYS-1/"
    html = client_for(trust_lead).get(url).content.decode()
    textarea = re.search(r'<textarea[^>]*name="r-SYS-1"[^>]*>', html).group(0)
    assert "maxlength" not in textarea
    assert "nhsuk-js-character-count" in textarea
    assert 'id="id_r-SYS-1-info">You can enter up to 4,000 characters</div>' in html


# 6. Each heading once; the trust's type first, about the trust.


def test_the_trust_type_comes_first_about_the_trust(assessment, trust_lead) -> None:
    html = client_for(trust_lead).get(_figures(assessment)).content.decode()
    headings = re.findall(r'<h2 class="nhsuk-heading-m" id="section-([^"]+)">([^<]+)</h2>', html)
    assert headings[0] == ("about-the-trust", "About the trust")
    names = [name for _, name in headings]
    assert len(names) == len(set(names))
    # The trust's type is its section's only figure, so that section has no heading here.
    assert "Appetite and capacity for change" not in names
    about = html.split('id="section-about-the-trust"')[1].split("<h2")[0]
    assert 'id="figure-PROFILE-TYPE"' in about
    assert f'href="/assessments/{assessment.pk}/figures/CHANGE/"' in about
    assert html.count('id="figure-PROFILE-TYPE"') == 1


def test_the_lead_still_enters_the_trust_type_on_its_section_page(assessment, trust_lead) -> None:
    lead = client_for(trust_lead)
    html = lead.get(_figures(assessment, "CHANGE")).content.decode()
    assert "About the trust" in html
    assert 'data-question="PROFILE-TYPE"' in html


def test_the_consensus_page_gives_each_section_heading_once(assessment, trust_lead) -> None:
    html = client_for(trust_lead).get(f"/assessments/{assessment.pk}/consensus/").content.decode()
    headings = re.findall(r"<h[1-6][^>]*>([^<]+)</h[1-6]>", html)
    assert headings
    assert len(headings) == len(set(headings))
    # Each judgement names its section once, beside it; the trust's type is not among them.
    sections = re.findall(
        r'id="consensus-([A-Z0-9-]+)".*?<span class="app-consensus-summary__section">([^<]+)<',
        html,
        re.S,
    )
    change = [code for code, name in sections if name == "Appetite and capacity for change"]
    assert change == ["CHANGE-1", "CHANGE-2", "CHANGE-3", "CHANGE-4"]
    assert 'id="consensus-PROFILE-TYPE"' not in html


def test_blocks_are_grouped_by_section_even_when_not_next_to_each_other() -> None:
    change = SimpleNamespace(code="CHANGE", name="Appetite and capacity for change")
    qual = SimpleNamespace(code="QUAL", name="Quality")

    def block(code: str, section: SimpleNamespace) -> SimpleNamespace:
        return SimpleNamespace(code=code, extra={"row": SimpleNamespace(section=section)})

    blocks = [block("PROFILE-TYPE", change), block("QUAL-5", qual), block("CHANGE-1", change)]
    groups = by_section(blocks)  # type: ignore[arg-type]
    assert [group["section"].code for group in groups] == ["CHANGE", "QUAL"]
    assert [b.code for b in groups[0]["blocks"]] == ["PROFILE-TYPE", "CHANGE-1"]


# With /tmp/notes/walkthrough-patch.diff: the autosave's conflict messages are joined alike.


def test_an_autosaved_conflict_has_one_full_stop_and_says_to_choose_again(
    assessment, board, trust_lead
) -> None:
    client = client_for(board[0])
    autosave = f"/assessments/{assessment.pk}/response/autosave/"
    first = {"question": "QUAL-5", "q-QUAL-5": "2", "v-QUAL-5": "0"}
    assert client.post(autosave, first).status_code == 200
    body = client.post(autosave, {**first, "q-QUAL-5": "4"}).json()
    assert ".." not in body["message"]
    assert "to keep yours instead, choose it again" in body["message"]
    lead = client_for(trust_lead)
    figures = f"/assessments/{assessment.pk}/figures/autosave/"
    figure = {"question": "FIN-2", "q-FIN-2": "figure", "n-FIN-2": "1", "v-FIN-2": "0"}
    assert lead.post(figures, {**figure, "note-FIN-2": "Plan 2025/26."}).status_code == 200
    body = lead.post(figures, {**figure, "n-FIN-2": "2", "note-FIN-2": "Draft plan"}).json()
    assert ".." not in body["message"]
    assert "Yours: 2 years. Your source: Draft plan." in body["message"]
