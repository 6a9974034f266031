"""The questionnaire page: every section and question of the published version (or of an
earlier one), with its guidance and answers, who answers it and what the board can change,
for signed-in users, in a fixed number of queries."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessment import selectors
from assessment.models import Option, Question, QuestionnaireVersion
from assessment.scoring import definitions as d
from assessment.services import questionnaire_new_draft, questionnaire_publish
from assessment.services.questionnaire_documents import questionnaire_export, questionnaire_import

pytestmark = pytest.mark.django_db

PAGE = "/questionnaire/"
FIGURE = "A figure: entered once for the trust, with its source"
JUDGEMENT = "A judgement: each board member's own view"
FIXED = "A fact of the trust's nature: never suggested as a change"
EXTERNAL = "Outside the trust's control"
CHANGE_ROW = "What the board can change"

# Every request reads the session and the user (2); the page reads the version (1). The
# questions of a published or retired version are read once per process, since they never
# change: the version again, its domains, its questions, their options and bands, and the
# questions' ids (6).
PAGE_QUERIES = 3
FIRST_READ_QUERIES = PAGE_QUERIES + 6


def _definition() -> d.Questionnaire:
    version = QuestionnaireVersion.objects.get(number=1)
    return selectors.questionnaire_definition(version)


def _page(client: Client, url: str = PAGE) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return unescape(response.content.decode())


def _card(html: str, code: str) -> str:
    """The HTML of one question's card."""
    found = re.search(rf'id="question-{re.escape(code)}">(.*?)</dl>', html, re.S)
    assert found, f"no card for {code}"
    return found.group(1)


def _text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def test_the_page_lists_every_section_and_question_in_order(member_client: Client) -> None:
    html = _page(member_client)
    definition = _definition()
    codes = re.findall(r'id="question-([A-Z0-9-]+)"', html)
    assert codes == [question.code for question in _in_section_order(definition)]
    sections = re.findall(r'<h2 class="nhsuk-heading-m[^"]*" id="section-([A-Z]+)">', html)
    assert sections == [domain.code for domain in definition.domains]
    for question in definition.questions:
        assert question.text in _card(html, question.code)
    assert '<h1 class="nhsuk-heading-l">The questionnaire</h1>' in html
    assert "Questionnaire version 1. An assessment keeps the version it began with." in html


def _in_section_order(definition: d.Questionnaire) -> list[d.Question]:
    return [
        question
        for domain in definition.domains
        for question in definition.questions
        if question.domain == domain.code
    ]


@pytest.mark.parametrize(
    ("code", "answered_by", "changeable"),
    [
        ("FIN-1", FIGURE, None),  # a figure the board can change
        ("QUAL-5", JUDGEMENT, None),  # a judgement the board can change
        ("PROFILE-TYPE", FIGURE, FIXED),
        ("SCALE-1", FIGURE, FIXED),
        ("SCALE-2", FIGURE, EXTERNAL),
        ("SYS-1", JUDGEMENT, EXTERNAL),
    ],
)
def test_each_question_says_who_answers_it_and_what_the_board_can_change(
    member_client: Client, code: str, answered_by: str, changeable: str | None
) -> None:
    card = _text(_card(_page(member_client), code))
    assert f"Who answers {answered_by}" in card
    if changeable is None:
        assert CHANGE_ROW not in card  # a lever needs no words
    else:
        assert f"{CHANGE_ROW} {changeable}" in card


def test_the_classification_of_every_question_is_shown(member_client: Client) -> None:
    html = _page(member_client)
    for question in _definition().questions:
        card = _text(_card(html, question.code))
        assert {d.FIGURE: FIGURE, d.JUDGEMENT: JUDGEMENT}[question.answered_by] in card
        expected = {d.FIXED: FIXED, d.EXTERNAL: EXTERNAL}.get(question.changeable)
        assert (CHANGE_ROW in card) is (expected is not None), question.code
        if expected:
            assert expected in card
    # method.md sections 9 and 10: 16 judgements; 3 fixed and 4 external questions.
    assert html.count(JUDGEMENT) == 16
    assert html.count(FIGURE) == 26
    assert html.count(FIXED) == 3
    assert _text(html).count(f"{CHANGE_ROW} {EXTERNAL}") == 4


def test_each_question_shows_its_guidance_kind_unit_bounds_and_answers(
    member_client: Client,
) -> None:
    html = _page(member_client)
    choice = _text(_card(html, "QUAL-1"))
    assert "Kind of answer Choice of options" in choice
    assert "Answers Outstanding Good Requires improvement Inadequate" in choice
    assert "Where to find the evidence Use the latest published inspection report." in choice
    number = _text(_card(html, "SCALE-2"))
    assert "Kind of answer Number with a unit" in number
    assert "Unit £ million a year" in number
    assert "Values allowed From 0 to 10,000" in number
    negative = _text(_card(html, "FIN-1"))
    assert "Values allowed From -60 to 60" in negative
    scale = _card(html, "QUAL-5")
    assert "Scale of four described levels" in scale
    anchors = re.findall(r"<li>(.*?)</li>", scale, re.S)
    assert anchors == list(_definition().questions[5].anchors)
    yesno = _text(_card(html, "QUAL-2"))
    assert "Kind of answer Yes or no" in yesno
    assert "Answers Yes No" in yesno
    profile = _text(_card(html, "PROFILE-TYPE"))
    assert "Profile (describes the trust, not scored)" in profile
    assert "Acute (general hospital services)" in profile
    assert "Not applicable May be answered “not applicable”" in _text(_card(html, "PERF-1"))
    basis = "Where the thresholds come from CQC places a trust in special measures"
    assert basis in _text(_card(html, "QUAL-2"))
    heuristic = next(q.code for q in _definition().questions if q.basis == "heuristic")
    assert "Where the thresholds come from The service's own judgement (a heuristic)" in _text(
        _card(html, heuristic)
    )


def test_a_question_for_some_kinds_of_trust_names_them(member_client: Client) -> None:
    asked_of = next(q for q in _definition().questions if q.applies_to)
    card = _text(_card(_page(member_client), asked_of.code))
    assert "Asked of Acute (general hospital services), Specialist acute" in card


def test_a_new_published_version_is_shown_and_the_old_one_stays_at_its_address(
    member_client: Client,
) -> None:
    """Classifications are data of the version: changed in a new version (here through
    an import), the page shows them once it is published."""
    document = questionnaire_export(version=QuestionnaireVersion.objects.get(number=1))
    for question in document["questions"]:
        if question["code"] == "QUAL-1":
            question.update(answered_by="judgement", changeable="external")
    draft = questionnaire_import(document=document, user=None)
    assert member_client.get(f"{PAGE}version-2/").status_code == 404  # a draft
    questionnaire_publish(version=draft, user=None)

    current = _text(_card(_page(member_client), "QUAL-1"))
    assert f"Who answers {JUDGEMENT}" in current
    assert f"{CHANGE_ROW} {EXTERNAL}" in current
    earlier = _page(member_client, f"{PAGE}version-1/")
    assert f"Who answers {FIGURE}" in _text(_card(earlier, "QUAL-1"))
    assert "Questionnaire version 1 (retired)" in earlier
    assert f'new assessments use is <a href="{PAGE}">version 2</a>' in earlier


def test_drafts_and_unknown_versions_are_not_found(member_client: Client) -> None:
    questionnaire_new_draft(source=QuestionnaireVersion.objects.get(number=1), user=None)
    assert member_client.get(f"{PAGE}version-2/").status_code == 404
    assert member_client.get(f"{PAGE}version-99/").status_code == 404
    QuestionnaireVersion.objects.published().update(status="retired")
    assert member_client.get(PAGE).status_code == 404


def test_the_page_needs_sign_in() -> None:
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={PAGE}"


def test_the_page_only_answers_get(member_client: Client) -> None:
    assert member_client.post(PAGE).status_code == 405


def test_the_menu_links_to_the_page(member_client: Client) -> None:
    home = member_client.get("/").content.decode()
    assert f'<a class="nhsuk-header__navigation-link" href="{PAGE}">Questionnaire</a>' in home
    page = member_client.get(PAGE).content.decode()
    assert f'href="{PAGE}" aria-current="page">Questionnaire</a>' in page
    earlier = member_client.get(f"{PAGE}version-1/").content.decode()
    current = (
        r'navigation-item--current">\s*<a class="nhsuk-header__navigation-link" href="([^"]+)"'
    )
    assert re.findall(current, earlier) == [PAGE]


def _grow(source: QuestionnaireVersion, extra: int) -> QuestionnaireVersion:
    """A published copy of `source` with `extra` more questions, one of each kind."""
    draft = questionnaire_new_draft(source=source, user=None)
    domain = draft.domains.get(code="QUAL")
    start = draft.questions.count()
    for n in range(extra):
        kind = ("yesno", "choice", "scale")[n % 3]
        question = Question.objects.create(
            version=draft,
            domain=domain,
            code=f"QUAL-X{start + n}",
            position=start + n,
            kind=kind,
            text=f"Extra question {n}?",
            guidance="From the board papers.",
            answered_by=("figure", "judgement")[n % 2],
            changeable=("lever", "fixed", "external")[n % 3],
        )
        values = ("yes", "no") if kind == "yesno" else ("1", "2", "3", "4")
        for level, value in enumerate(values, start=1):
            Option.objects.create(
                question=question, position=level, value=value, label=f"Level {level}", level=level
            )
    return questionnaire_publish(version=draft, user=None)


def _queries(client: Client, url: str = PAGE) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_page_runs_the_same_queries_whatever_the_number_of_questions(
    member_client: Client,
) -> None:
    member_client.get(PAGE)  # the session's first request records its activity
    assert _queries(member_client) == PAGE_QUERIES  # version 1, read already by the seed
    bigger = _grow(QuestionnaireVersion.objects.get(number=1), 12)
    assert _queries(member_client) == FIRST_READ_QUERIES
    assert _queries(member_client) == PAGE_QUERIES
    biggest = _grow(bigger, 90)
    assert biggest.questions.count() == 42 + 12 + 90
    assert _queries(member_client) == FIRST_READ_QUERIES
    assert _queries(member_client) == PAGE_QUERIES
    # An earlier version also reads which version is published now, to link to it.
    assert _queries(member_client, f"{PAGE}version-1/") == PAGE_QUERIES + 1
