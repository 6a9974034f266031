"""The consensus pages for the board meeting: the summary (filters, present mode, split by
board role, its pinned queries), one question at a time with its own "Save", the JSON
autosave, versioned saves that never overwrite silently, honest "N changed" counts, and
nothing shown or written for anyone but the trust's lead."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from assessment.models import AgreedAnswer, Answer, Assessment, Membership, Respondent
from assessment.scoring import definitions as d
from assessment.selectors import pinned_for
from assessment.services.answers import StaleAnswers
from assessment.services.assessments import assessment_create, respondents_add
from assessment.services.submissions import (
    AgreedChange,
    agreed_answers_save,
    assessment_submit,
    consensus_rows,
)
from tests.assessment.conftest import client_for
from tests.assessment.journey import REASONS, agree, consensus_codes, enter_figures
from tests.factories import MembershipFactory, OrganisationFactory
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
PERSONAS = [load_persona(path)["answers"] for path in persona_paths()]
RATIONALE = "Agreed at the board meeting on 3 November: rotas are fragile in winter."
ROLES = [
    Membership.BoardRole.CHAIR,
    Membership.BoardRole.NON_EXECUTIVE,
    Membership.BoardRole.EXECUTIVE,
    Membership.BoardRole.NON_EXECUTIVE,
    Membership.BoardRole.ATTENDEE,
    "",
]
# A lead's request reads the session, the user and the verified device (3), then the
# assessment with the lead's role (1), every counted member with their name and board
# role (1), every member's answers (1) and the agreed answers (1); the desk view also
# reads the open queries on figures, with who raised them (1).
SUMMARY_QUERIES = 8
SUMMARY_PRESENT_QUERIES = 7  # no queries on figures: they name who raised them
QUESTION_QUERIES = 7  # the same reads as the summary presenting


def _url(assessment: Assessment, rest: str = "") -> str:
    return f"/assessments/{assessment.pk}/consensus/{rest}"


def _answer_directly(assessment: Assessment, members: list[Membership]) -> None:
    """Each member's judgements from a persona, in turn, written straight to the database:
    the summary's queries are counted, not the members' pages."""
    pinned = pinned_for(assessment)
    respondents = {r.user_id: r for r in Respondent.objects.filter(assessment=assessment)}
    rows = []
    for index, member in enumerate(members):
        persona = PERSONAS[index % len(PERSONAS)]
        for question in pinned.judgements:
            if question.code in persona:
                rows.append(
                    Answer(
                        respondent=respondents[member.user_id],
                        question_id=pinned.question_ids[question.code],
                        value=str(persona[question.code]),
                    )
                )
    Answer.objects.bulk_create(rows)


def _board_of(size: int) -> tuple[Assessment, Membership, list[Membership]]:
    trust = OrganisationFactory()
    lead = MembershipFactory(organisation=trust, role=Membership.Role.LEAD)
    members = [
        MembershipFactory(organisation=trust, board_role=ROLES[n % len(ROLES)]) for n in range(size)
    ]
    assessment = assessment_create(
        organisation=trust, title="Board assessment", reporting_period="2025/26", user=lead.user
    )
    respondents_add(assessment=assessment, users=[m.user for m in members])
    _answer_directly(assessment, members)
    return assessment, lead, members


@pytest.fixture
def meeting(assessment: Assessment, board: list[Membership]) -> Assessment:
    """Three members far apart on QUAL-5 (levels 3, 2 and 4), one of each board role."""
    for member, role in zip(board, ROLES, strict=False):
        member.board_role = role
        member.save(update_fields=["board_role"])
    _answer_directly(assessment, board)
    return assessment


def _row(html: str, code: str) -> str:
    start = html.index(f'id="consensus-{code}"')
    end = html.find("</tr>", start)
    return html[start:end]


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --------------------------------------------------------------------------- the summary


@pytest.mark.parametrize(
    ("query", "expected"),
    [("", SUMMARY_QUERIES), ("?mode=present&split=role&show=to-agree", SUMMARY_PRESENT_QUERIES)],
    ids=["desk", "present-split"],
)
def test_the_summary_runs_the_same_queries_for_3_and_12_members(
    django_assert_num_queries, query: str, expected: int
) -> None:
    for size in (3, 12):
        assessment, lead, _members = _board_of(size)
        client = client_for(lead)
        client.get(_url(assessment))  # the session's first save is not the page's
        with django_assert_num_queries(expected):
            html = client.get(_url(assessment, query)).content.decode()
        assert f"{size} members answering" in html


def test_a_question_page_runs_the_same_queries_for_3_and_12_members(
    django_assert_num_queries,
) -> None:
    for size in (3, 12):
        assessment, lead, _ = _board_of(size)
        client = client_for(lead)
        client.get(_url(assessment))
        with django_assert_num_queries(QUESTION_QUERIES):
            response = client.get(_url(assessment, "QUAL-5/"))
        assert response.status_code == 200


def test_the_summary_lists_every_judgement_with_its_text_levels_median_and_status(
    meeting, trust_lead
) -> None:
    html = client_for(trust_lead).get(_url(meeting)).content.decode()
    pinned = pinned_for(meeting)
    assert consensus_codes(client_for(trust_lead), meeting) == [q.code for q in pinned.judgements]
    row = _row(html, "QUAL-5")
    # The question in words, linked to its own page; never a bare code.
    assert "Can the trust meet national clinical standards" in row
    assert f'href="{_url(meeting, "QUAL-5/")}"' in row
    # The dot plot, with the same counts in words: 3, 2 and 4.
    assert "<svg" in row
    assert row.count("<circle") == 3
    assert "All members: level 2: 1, level 3: 1, level 4: 1." in row
    assert "Level 3" in row
    assert "2 levels" in row
    assert '<strong class="nhsuk-tag nhsuk-tag--orange">Divergent</strong>' in row
    # No script draws it.
    assert "<script" not in html.split('id="consensus-summary"')[1].split("</table>")[0]


def test_present_mode_names_no_member_on_the_summary_or_a_question(meeting, trust_lead, board):
    client = client_for(trust_lead)
    desk = client.get(_url(meeting, "QUAL-5/")).content.decode()
    for member in board:
        assert member.user.get_full_name() in desk
    for page in ("", "?split=role", "?show=divergent", "QUAL-5/", "QUAL-5/?split=role"):
        joiner = "&" if "?" in page else "?"
        html = client.get(_url(meeting, f"{page}{joiner}mode=present")).content.decode()
        assert "Presenting:" in html, page
        assert "Stop presenting" in html
        for member in board:
            user = member.user
            for name in (user.get_full_name(), user.first_name, user.last_name, user.email):
                assert name not in html, (page, name)
        # Every link between the consensus pages keeps the mode, but the one that leaves it.
        links = re.findall(r'<a [^>]*href="([^"]*/consensus/[^"]*)"[^>]*>(.*?)</a>', html, re.S)
        assert links
        leaving = [text for link, text in links if "mode=present" not in link]
        assert [_text(text) for text in leaving] == ["Stop presenting and show members' names"], (
            page
        )


def test_split_by_board_role_gives_each_group_its_line_and_words(meeting, trust_lead) -> None:
    client = client_for(trust_lead)
    together = _row(client.get(_url(meeting)).content.decode(), "QUAL-5")
    assert "Split each question" not in together
    html = client.get(_url(meeting, "?split=role")).content.decode()
    assert "Show the board's levels together" in html
    assert "levels split by board role" in html
    row = _row(html, "QUAL-5")
    # Chair: the first persona (level 3); non-executive: the second (2); executive: the
    # third (4); one line each, in the board's order, and in words.
    assert _text(row).count("Chair: level 3: 1.") == 1
    assert "Non-executive directors: level 2: 1." in row
    assert "Executive directors: level 4: 1." in row
    labels = re.findall(r'class="app-dot-plot__label"[^>]*>([^<]+)<', row)
    assert labels == ["Chair", "Non-executive directors", "Executive directors"]
    assert "Role not recorded" not in row


def test_a_member_whose_role_is_not_recorded_has_a_group_of_their_own(
    meeting, trust_lead, board
) -> None:
    board[2].board_role = ""
    board[2].save(update_fields=["board_role"])
    row = _row(client_for(trust_lead).get(_url(meeting, "?split=role")).content.decode(), "QUAL-5")
    assert "Role not recorded: level 4: 1." in row
    assert "Executive directors" not in row


def test_filters_show_what_is_left_and_mark_the_chosen_one(meeting, trust_lead) -> None:
    client = client_for(trust_lead)
    rows = consensus_rows(assessment=meeting)
    divergent = [row.question.code for row in rows if row.divergent]
    every = [row.question.code for row in rows]
    assert "QUAL-5" in divergent
    assert len(divergent) < len(every)
    assert consensus_codes(client, meeting, "divergent") == divergent
    assert consensus_codes(client, meeting, "to-agree") == every
    assert consensus_codes(client, meeting, "nonsense") == every  # an unknown filter: all
    html = client.get(_url(meeting, "?show=divergent")).content.decode()
    current = re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', html)
    assert current == [f"Divergent ({len(divergent)})"]

    assert agree(client, meeting, "QUAL-5", rationale=RATIONALE).status_code == 302
    assert "QUAL-5" not in consensus_codes(client, meeting, "to-agree")
    assert "QUAL-5" in consensus_codes(client, meeting, "divergent")
    html = client.get(_url(meeting)).content.decode()
    assert '<strong class="nhsuk-tag nhsuk-tag--green">Agreed</strong>' in _row(html, "QUAL-5")
    assert '<strong class="nhsuk-tag nhsuk-tag--grey">To agree</strong>' in _row(html, "LEAD-3")


def test_previous_and_next_follow_the_filter(meeting, trust_lead) -> None:
    client = client_for(trust_lead)
    divergent = consensus_codes(client, meeting, "divergent")
    html = client.get(_url(meeting, f"{divergent[0]}/?show=divergent")).content.decode()
    assert f'href="{_url(meeting, divergent[1] + "/")}?show=divergent" rel="next"' in html
    assert 'rel="prev"' not in html
    assert f"Question 1 of {len(pinned_for(meeting).judgements)}" in html


def test_a_figure_or_unknown_question_has_no_page(meeting, trust_lead) -> None:
    client = client_for(trust_lead)
    for code in ("FIN-1", "NOPE-1"):
        assert client.get(_url(meeting, f"{code}/")).status_code == 404
        assert client.post(_url(meeting, f"{code}/"), {f"q-{code}": "1"}).status_code == 404
    assert not AgreedAnswer.objects.exists()


# --------------------------------------------------------------------------- agreeing


def test_save_without_javascript_records_the_answer_and_its_rationale(meeting, trust_lead):
    client = client_for(trust_lead)
    refused = agree(client, meeting, "QUAL-5", value="2")
    assert refused.status_code == 200
    page = refused.content.decode()
    assert (
        "Give the board&#x27;s rationale for QUAL-5, because members&#x27; answers differ" in page
    )
    assert page.count('class="nhsuk-error-summary"') == 1
    assert not AgreedAnswer.objects.exists()

    saved = agree(client, meeting, "QUAL-5", value="2", rationale=RATIONALE, follow=True)
    assert saved.redirect_chain == [(_url(meeting, "QUAL-5/"), 302)]
    assert "Saved the board&#x27;s agreed answer to QUAL-5" in saved.content.decode()
    assert "(1 changed)" in saved.content.decode()
    agreed = AgreedAnswer.objects.get(question__code="QUAL-5")
    assert (agreed.value, agreed.rationale, agreed.version) == ("2", RATIONALE, 1)
    assert agreed.updated_by == trust_lead.user
    # The page shows it saved, the rationale in its box, and the version it was saved at.
    page = saved.content.decode()
    assert 'name="q-QUAL-5" type="radio" value="2" checked' in page
    assert RATIONALE in page
    assert 'name="v-QUAL-5" value="1"' in page


def test_the_changed_count_counts_real_changes_only(meeting, trust_lead) -> None:
    client = client_for(trust_lead)
    row = next(r for r in consensus_rows(assessment=meeting) if r.question.code == "LEAD-3")
    assert not row.divergent
    # Keeping the default answer records it as agreed, and changes nothing.
    kept = agree(client, meeting, "LEAD-3", follow=True).content.decode()
    assert "Recorded as agreed: LEAD-3 keeps the default answer" in kept
    assert "(0 changed)" in kept
    assert AgreedAnswer.objects.get(question__code="LEAD-3").value == row.default_value
    again = agree(client, meeting, "LEAD-3", follow=True).content.decode()
    assert "Nothing changed: the board&#x27;s agreed answer to LEAD-3 was already" in again
    assert AgreedAnswer.objects.get(question__code="LEAD-3").version == 1
    changed = agree(client, meeting, "LEAD-3", rationale=RATIONALE, follow=True)
    assert "(1 changed)" in changed.content.decode()
    assert AgreedAnswer.objects.get(question__code="LEAD-3").version == 2

    # The service says the same, for several at once.
    saved = agreed_answers_save(
        assessment=meeting,
        user=trust_lead.user,
        changes=[
            AgreedChange("LEAD-3", row.default_value, RATIONALE, 2),  # as it is
            AgreedChange("LEAD-4", _default(meeting, "LEAD-4"), "", 0),  # the default, kept
            AgreedChange("LEAD-5", _other(meeting, "LEAD-5"), RATIONALE, 0),  # a change
        ],
    )
    assert [(item.code, item.changed) for item in saved] == [
        ("LEAD-3", False),
        ("LEAD-4", False),
        ("LEAD-5", True),
    ]


def _default(assessment: Assessment, code: str) -> str:
    return next(
        r.default_value for r in consensus_rows(assessment=assessment) if r.question.code == code
    )


def _other(assessment: Assessment, code: str) -> str:
    """A level other than the default answer."""
    question = pinned_for(assessment).question(code)
    assert question.kind == d.SCALE
    return next(v for v in ("1", "2", "3", "4") if v != _default(assessment, code))


def test_a_stale_tab_is_refused_with_both_answers_and_the_saved_one_selected(
    meeting, trust_lead
) -> None:
    first, second = client_for(trust_lead), client_for(trust_lead)
    # Both tabs open QUAL-5 before either saves.
    for tab in (first, second):
        assert 'name="v-QUAL-5" value="0"' in tab.get(_url(meeting, "QUAL-5/")).content.decode()
    stale = {"q-QUAL-5": "4", "v-QUAL-5": "0", "r-QUAL-5": "The executive view."}
    assert (
        first.post(
            _url(meeting, "QUAL-5/"),
            {"q-QUAL-5": "2", "v-QUAL-5": "0", "r-QUAL-5": RATIONALE},
        ).status_code
        == 302
    )
    refused = second.post(_url(meeting, "QUAL-5/"), stale)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "This agreed answer was saved in another window after you opened this page" in page
    assert "Saved answer: Level 2: Some standards are missed regularly" in page
    assert "Your answer: Level 4: Standards are met every day" in page
    assert "Your rationale: The executive view." in page
    assert 'name="q-QUAL-5" type="radio" value="2" checked' in page
    assert 'name="v-QUAL-5" value="1"' in page
    agreed = AgreedAnswer.objects.get(question__code="QUAL-5")
    assert (agreed.value, agreed.rationale, agreed.version) == ("2", RATIONALE, 1)
    # Choosing theirs again, on the page as it now stands, keeps it.
    kept = second.post(_url(meeting, "QUAL-5/"), {**stale, "v-QUAL-5": "1"})
    assert kept.status_code == 302
    agreed.refresh_from_db()
    assert (agreed.value, agreed.version) == ("4", 2)


def test_a_stale_save_that_agrees_with_what_is_saved_is_no_conflict(meeting, trust_lead):
    agreed_answers_save(
        assessment=meeting,
        user=trust_lead.user,
        changes=[AgreedChange("QUAL-5", "2", RATIONALE, 0)],
    )
    saved = agreed_answers_save(
        assessment=meeting,
        user=trust_lead.user,
        changes=[AgreedChange("QUAL-5", "2", RATIONALE, 0)],
    )
    assert [(item.version, item.changed) for item in saved] == [(1, False)]
    with pytest.raises(StaleAnswers):
        agreed_answers_save(
            assessment=meeting,
            user=trust_lead.user,
            changes=[AgreedChange("QUAL-5", "3", RATIONALE, 0)],
        )


# --------------------------------------------------------------------------- autosave


def _autosave(client: Client, assessment: Assessment, **fields: str):
    return client.post(_url(assessment, "autosave/"), {"question": "QUAL-5", **fields})


def test_autosave_answers_as_the_members_autosave_does(meeting, trust_lead) -> None:
    client = client_for(trust_lead)
    missing = _autosave(client, meeting, **{"q-QUAL-5": "2", "v-QUAL-5": "0"})
    assert missing.status_code == 400
    assert missing.json()["status"] == "invalid"
    assert "Give the board's rationale for QUAL-5" in missing.json()["errors"][0]
    assert not AgreedAnswer.objects.exists()

    saved = _autosave(client, meeting, **{"q-QUAL-5": "2", "v-QUAL-5": "0", "r-QUAL-5": RATIONALE})
    assert saved.status_code == 200
    body = saved.json()
    assert (body["status"], body["version"]) == ("saved", 1)
    assert re.fullmatch(r"\d\d:\d\d", body["saved_at"])

    stale = _autosave(client, meeting, **{"q-QUAL-5": "4", "v-QUAL-5": "0", "r-QUAL-5": "Mine."})
    assert stale.status_code == 409
    body = stale.json()
    assert (body["status"], body["saved"], body["version"]) == ("conflict", "2", 1)
    assert "Saved answer: Level 2: Some standards are missed regularly" in body["message"]
    assert AgreedAnswer.objects.get().value == "2"

    figure = client.post(_url(meeting, "autosave/"), {"question": "FIN-1", "q-FIN-1": "dk"})
    assert figure.status_code == 400
    assert AgreedAnswer.objects.count() == 1


def test_autosave_after_sign_out_answers_401(meeting) -> None:
    response = _autosave(Client(), meeting, **{"q-QUAL-5": "2", "v-QUAL-5": "0"})
    assert response.status_code == 401
    assert response.json()["status"] == "signed-out"
    assert not AgreedAnswer.objects.exists()


def test_nothing_is_saved_once_the_answers_are_submitted(meeting, trust_lead) -> None:
    client = client_for(trust_lead)
    enter_figures(client, meeting, PERSONAS[0])
    for code in consensus_codes(client, meeting, "divergent"):
        assert agree(client, meeting, code, rationale=RATIONALE).status_code == 302
    assessment_submit(assessment=meeting, user=trust_lead.user, reasons=REASONS)
    before = list(AgreedAnswer.objects.values_list("question_id", "value", "version"))
    page = client.get(_url(meeting, "QUAL-5/")).content.decode()
    assert '<form method="post" novalidate aria-labelledby' not in page
    assert RATIONALE in page
    posted = client.post(_url(meeting, "LEAD-3/"), {"q-LEAD-3": "1", "r-LEAD-3": "x"})
    assert posted.status_code == 302
    refused = _autosave(client, meeting, **{"q-QUAL-5": "1", "v-QUAL-5": "1", "r-QUAL-5": "x"})
    assert refused.status_code == 409
    assert list(AgreedAnswer.objects.values_list("question_id", "value", "version")) == before


# --------------------------------------------------------------------------- who may


@pytest.fixture
def outsiders(meeting: Assessment, board: list[Membership]) -> dict[str, Client]:
    other_trust = OrganisationFactory()
    other_lead = MembershipFactory(organisation=other_trust, role=Membership.Role.LEAD)
    return {
        "member": client_for(board[0]),
        "other-lead": client_for(other_lead),
        "anonymous": Client(),
    }


@pytest.mark.parametrize("who", ["member", "other-lead", "anonymous"])
def test_only_the_trusts_lead_sees_or_writes_anything(meeting, outsiders, board, who) -> None:
    client = outsiders[who]
    names = [member.user.get_full_name() for member in board[1:]]  # not the viewer
    post = {"question": "QUAL-5", "q-QUAL-5": "1", "v-QUAL-5": "0", "r-QUAL-5": "Mine."}
    expected = {"member": 403, "other-lead": 404, "anonymous": 302}[who]
    for url in (
        _url(meeting),
        _url(meeting, "?mode=present&split=role"),
        _url(meeting, "QUAL-5/"),
        _url(meeting, "QUAL-5/?mode=present"),
    ):
        got = client.get(url)
        assert got.status_code == expected, url
        shown = got.content.decode()
        assert "Agree the board" not in shown
        assert "Can the trust meet" not in shown
        assert not [name for name in names if name in shown]
        posted = client.post(url, post)
        assert posted.status_code in {expected, 405}, url
        if who == "anonymous" and posted.status_code == 302:
            assert posted["Location"].startswith("/sign-in/")
    autosave = client.post(_url(meeting, "autosave/"), post)
    assert autosave.status_code == {"member": 403, "other-lead": 404, "anonymous": 401}[who]
    assert "Level" not in autosave.content.decode()
    assert not AgreedAnswer.objects.exists()
