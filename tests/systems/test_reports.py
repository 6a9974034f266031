"""The system paper (PDF) and the system view's CSV, from a review built without the
database: the demo system's trusts and the personas scored by the engine, shared with an
unsaved system. The paper's text is read back with pypdf, and its positions checked against
the frame with tests/reports/layout.py."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from assessment.reports.pdf import MARKING
from assessment.reports.pdf.furniture import FOOTER_Y, HEADER_Y, MARKING_FOOT_Y, MARKING_TOP_Y
from assessment.scoring import evaluate, parse_answers
from assessment.scoring.decimals import display
from assessment.scoring.system import SharedResult, SystemTrust, propose, shared_from_result
from systems.models import System
from systems.reports import system_csv, system_paper_pdf
from systems.reports.furniture import FOOTER, SUBJECT
from systems.reports.proposals import SHOWN_PAIRINGS, SHOWN_PARTNERSHIPS
from systems.services import SystemReview
from tests.personas import persona_paths
from tests.reports.layout import (
    FRAME_BOTTOM,
    FRAME_LEFT,
    FRAME_RIGHT,
    FRAME_TOP,
    TOLERANCE,
    Run,
    is_furniture,
    text_runs,
)
from tests.reports.test_long_text import long_text
from tests.reports.test_pdf import ROOT, definitions, persona_answers
from tests.scoring.test_system import v1_forms

MADE_AT = datetime.datetime(2026, 11, 30, 9, 15, tzinfo=datetime.UTC)
SYSTEM_NAME = "Moors and Dales Integrated Care System"
NAME_MAX = 200  # a system's name, and a trust's (Organisation.name)
SECTIONS = (
    "Executive summary",
    "1. The system's trusts",
    "2. Proposed support pairings, best first",
    "3. Peer partnerships",
    "4. Not proposed, and why",
    "5. Scores by area",
    "6. What is shared and what never is",
    "7. How the proposals are made",
)


# ------------------------------------------------------------------------------ material


@cache
def scored(answers: tuple[tuple[str, Any], ...]) -> Any:
    questionnaire, catalogue = definitions()
    return evaluate(
        questionnaire, catalogue, settings(), parse_answers(questionnaire, dict(answers))
    )


def settings() -> Any:
    from assessment.scoring import MethodSettings

    return MethodSettings()


def share(answers: dict[str, Any], code: str, name: str) -> SharedResult:
    return shared_from_result(
        scored(tuple(sorted(answers.items()))),
        trust_code=code,
        trust_name=name,
        submitted_on=datetime.date(2026, 6, 18),
    )


@cache
def demo_trusts() -> tuple[SystemTrust, ...]:
    """The demo system's five made-up trusts (two in difficulty, one credible supporter),
    the three personas, and a trust that has not shared."""
    data = yaml.safe_load((ROOT / "systems/seed/demo-system.yaml").read_text(encoding="utf-8"))
    trusts = [
        SystemTrust(
            code=trust["ods_code"],
            name=trust["name"],
            location=(Decimal(trust["latitude"]), Decimal(trust["longitude"])),
            shared=share(trust["answers"], trust["ods_code"], trust["name"]),
        )
        for trust in data["trusts"]
    ]
    for number, path in enumerate(persona_paths(), start=1):
        code, name = f"RP{number}", f"{path.stem.replace('-', ' ').title()} NHS Trust"
        trusts.append(SystemTrust(code, name, None, share(persona_answers(path.stem), code, name)))
    trusts.append(SystemTrust("RQX", "Quarry Vale Community NHS Trust", None, None))
    return tuple(trusts)


def review_of(
    trusts: Sequence[SystemTrust], name: str = SYSTEM_NAME, made_at: datetime.datetime = MADE_AT
) -> SystemReview:
    forms = v1_forms()
    system = System(name=name, code="QWO", kind=System.Kind.INTEGRATED_CARE_SYSTEM)
    return SystemReview(
        system=system,
        proposals=propose(list(trusts), forms),
        forms={form.slug: form for form in forms},
        made_at=made_at,
    )


@cache
def demo_review() -> SystemReview:
    return review_of(demo_trusts())


@cache
def demo_pdf() -> bytes:
    return system_paper_pdf(demo_review())


def text_of(pdf: bytes) -> str:
    """The paper's text, each run of white space (line ends too) as one space."""
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def outside(pdf: bytes, system_name: str) -> list[str]:
    """Every run of text not wholly within the frame, but for the page furniture, which is
    the board paper's (tests/reports/layout.py) with the system paper's own footer."""
    problems = []
    for run in text_runs(pdf):
        if run.rotated:
            problems.append(f"rotated text: {run}")
            continue
        if FRAME_BOTTOM - TOLERANCE <= run.y <= FRAME_TOP + TOLERANCE:
            if run.top > FRAME_TOP + TOLERANCE or run.bottom < FRAME_BOTTOM - TOLERANCE:
                problems.append(f"crosses the top or foot of the frame: {run}")
        elif not (is_furniture(run, system_name) or is_footer(run)):
            problems.append(f"above or below the frame: {run}")
            continue
        if run.x < FRAME_LEFT - TOLERANCE:
            problems.append(f"starts left of the frame: {run}")
        if run.right > FRAME_RIGHT + TOLERANCE:
            problems.append(f"runs past the right edge by {run.right - FRAME_RIGHT:.1f} pt: {run}")
    return problems


def is_footer(run: Run) -> bool:
    return run.text == FOOTER and abs(run.y - FOOTER_Y) <= TOLERANCE


# ----------------------------------------------------------------------------- the paper


def test_the_demo_review_has_something_in_every_part() -> None:
    # The tests below read each part of the paper: each must have something in it.
    proposals = demo_review().proposals
    assert len(proposals.pairings) >= 2
    assert proposals.partnerships
    assert {item.kind for item in proposals.not_proposed} >= {"not-shared", "both-in-need"}
    assert demo_review().shared_count == len(proposals.trusts) - 1


def test_every_page_is_marked_above_and_below_and_numbered_of_the_whole() -> None:
    pdf = demo_pdf()
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    runs = text_runs(pdf)
    assert pages >= 3
    for page in range(1, pages + 1):
        on_page = [run for run in runs if run.page == page]
        markings = sorted(round(run.y, 1) for run in on_page if run.text == MARKING)
        assert markings == [round(MARKING_FOOT_Y, 1), round(MARKING_TOP_Y, 1)], page
        assert f"Page {page} of {pages}" in {run.text for run in on_page}
        assert FOOTER in {run.text for run in on_page}
        # The running header names the system from the second page on.
        header = {run.text for run in on_page if abs(run.y - HEADER_Y) <= TOLERANCE}
        assert header == ({SYSTEM_NAME, "30 November 2026"} if page > 1 else set())


def test_the_metadata_gives_the_title_system_subject_and_the_day_it_was_made() -> None:
    metadata = PdfReader(io.BytesIO(demo_pdf())).metadata
    assert metadata is not None
    assert metadata.title == f"{SYSTEM_NAME}: who could support whom"
    assert metadata.author == SYSTEM_NAME
    assert metadata.subject == SUBJECT
    assert metadata["/CreationDate"].startswith("D:20261130")


def test_the_cover_says_what_system_when_from_what_and_for_what() -> None:
    text = text_of(demo_pdf())
    cover = text[: text.index(SECTIONS[1])]
    assert f"{SYSTEM_NAME}: who could support whom" in cover
    assert "Integrated care system" in cover
    assert "QWO" in cover
    assert "Made 30 November 2026 from the results 8 of its 9 trusts have chosen to share" in cover
    assert "For discussion" in cover
    best = demo_review().proposals.pairings[0]
    assert (
        f"{best.supporter_name} supporting {best.in_need_name}, scoring "
        f"{display(best.score)} out of 100"
    ) in cover


def test_the_sections_come_in_order() -> None:
    text = text_of(demo_pdf())
    places = [text.index(name) for name in SECTIONS]
    assert places == sorted(places)


def test_each_trust_is_listed_with_its_verdict_in_words_or_as_not_shared() -> None:
    text = section(text_of(demo_pdf()), SECTIONS[1], SECTIONS[2])
    for trust in demo_review().proposals.trusts:
        assert trust.name in text
        if trust.shared:
            assert trust.verdict_label is not None
            assert trust.verdict_label in text
    assert "Quarry Vale Community NHS Trust RQX Not shared" in text


def test_each_pairing_is_headed_by_its_trusts_in_order_with_its_score_and_form() -> None:
    text = section(text_of(demo_pdf()), SECTIONS[2], SECTIONS[3])
    places = []
    for number, pairing in enumerate(demo_review().proposals.pairings, start=1):
        head = f"{number}. {pairing.supporter_name} supporting {pairing.in_need_name}"
        places.append(text.index(head))
        after = text[places[-1] :]
        assert after.index(f"Score {display(pairing.score)} out of 100") < 200
        assert f"Joint form: {pairing.lead_form_name} with" in after
        for reason in pairing.reasons:
            assert " ".join(reason.split()) in after
    assert places == sorted(places)


def test_the_best_peer_partnerships_are_rows_with_their_fits_and_the_rest_are_counted() -> None:
    text = section(text_of(demo_pdf()), SECTIONS[3], SECTIONS[4])
    everyone = demo_review().proposals.partnerships
    shown = everyone[:SHOWN_PARTNERSHIPS]
    assert len(everyone) > SHOWN_PARTNERSHIPS
    for partnership in shown:
        row = (
            f"{partnership.form_name} {display(partnership.score)} "
            f"{display(partnership.fit_a)} and {display(partnership.fit_b)}"
        )
        assert row in text
    more = len(everyone) - SHOWN_PARTNERSHIPS
    next_score = display(everyone[SHOWN_PARTNERSHIPS].score)
    assert f"And {more} more peer partnerships, scoring {next_score} or less" in text
    # Each form's risk is said once, under the table, not on every row.
    forms = demo_review().forms
    for slug in {partnership.form for partnership in shown}:
        assert text.count(" ".join(forms[slug].risk_note.split())) == 1


def test_each_reason_not_proposed_is_given_and_a_trust_not_shared_is_named() -> None:
    text = section(text_of(demo_pdf()), SECTIONS[4], SECTIONS[5])
    for item in demo_review().proposals.not_proposed:
        if item.kind == "not-shared":
            assert "Quarry Vale Community NHS Trust: not shared." in text
        else:
            assert " ".join(item.reason.split()) in text


def test_the_scores_by_area_print_a_figure_in_every_scored_cell_and_the_legend_in_words() -> None:
    text = section(text_of(demo_pdf()), SECTIONS[5], SECTIONS[6])
    for words in ("70 or more", "55 to 69", "40 to 54", "below 40", "not scored"):
        assert words in text
    for row in demo_review().proposals.domain_matrix.rows:
        shown = text[text.index(row.trust_name[:30]) :]
        for score in row.scores:
            assert score is not None
            assert display(score) in shown[:400]


def test_the_paper_says_what_is_never_shared_and_how_a_pair_is_scored() -> None:
    text = section(text_of(demo_pdf()), SECTIONS[6], "Page")
    assert "Never shared: a board member's answers, notes or name, or the board's rationale." in (
        text
    )
    method = text_of(demo_pdf())[text_of(demo_pdf()).index(SECTIONS[7]) :]
    for part in ("35% is for", "25% is for the two boards", "15% is for", "25% is for the joint"):
        assert part in method


def test_every_line_of_the_demo_paper_lies_within_the_frame() -> None:
    assert outside(demo_pdf(), SYSTEM_NAME) == []


def test_the_same_review_gives_the_same_bytes_and_another_day_others() -> None:
    again = system_paper_pdf(review_of(demo_trusts()))
    assert again == demo_pdf()
    later = system_paper_pdf(review_of(demo_trusts(), made_at=MADE_AT + datetime.timedelta(1)))
    assert later != demo_pdf()


def test_long_names_and_thirty_trusts_still_lie_within_the_frame() -> None:
    # Thirty trusts at the longest name a trust takes, one of them a single unbroken word.
    base = demo_trusts()
    trusts = []
    for number in range(30):
        source = base[number % len(base)]
        code = f"L{number:02d}"
        if number == 7:
            name = ("Northshire-" * 20)[: NAME_MAX - 3] + f"{number:03d}"
        else:
            name = long_text(f"Trust {number}.", NAME_MAX)
        shared = source.shared
        if shared is not None:
            shared = replace(shared, trust_code=code, trust_name=name)
        trusts.append(SystemTrust(code, name, source.location, shared))
    system_name = long_text("System ends here.", NAME_MAX)
    review = review_of(trusts, name=system_name)
    assert len(review.proposals.trusts) == 30
    assert len(review.proposals.pairings) >= 30
    pdf = system_paper_pdf(review)
    assert outside(pdf, system_name) == []
    text = text_of(pdf)
    assert "System ends here.: who could support whom" in text
    assert "Trust 29." in section(text, SECTIONS[1], SECTIONS[2])


def test_pairings_after_the_first_ten_are_listed_in_brief_in_order() -> None:
    trusts = [
        SystemTrust(f"{source.code}{copy}", f"{source.name} {copy}", source.location, shared)
        for copy in range(3)
        for source in demo_trusts()
        for shared in [
            None
            if source.shared is None
            else replace(
                source.shared,
                trust_code=f"{source.code}{copy}",
                trust_name=f"{source.name} {copy}",
            )
        ]
    ]
    review = review_of(trusts)
    pairings = review.proposals.pairings
    assert len(pairings) > SHOWN_PAIRINGS
    text = section(text_of(system_paper_pdf(review)), SECTIONS[2], SECTIONS[3])
    others = len(pairings) - SHOWN_PAIRINGS
    brief = text[text.index(f"The other {others} pairings, in brief") :]
    last = pairings[SHOWN_PAIRINGS - 1]
    assert f"{SHOWN_PAIRINGS}. {last.supporter_name} supporting {last.in_need_name}" in text
    first_in_brief = pairings[SHOWN_PAIRINGS]
    heading = f"{SHOWN_PAIRINGS + 1}. {first_in_brief.supporter_name} supporting"
    assert heading not in text
    places = []
    for number, pairing in enumerate(pairings[SHOWN_PAIRINGS:], start=SHOWN_PAIRINGS + 1):
        row = f"{number} {pairing.supporter_name} {pairing.in_need_name}"
        places.append(brief.index(row))
        assert display(pairing.score) in brief[places[-1] :]
    assert places == sorted(places)


# ------------------------------------------------------------------------------- the CSV


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_has_a_row_per_trust_pairing_partnership_and_reason_not_proposed() -> None:
    review = demo_review()
    rows = csv_rows(system_csv(review))
    parts = [row["Part"] for row in rows]
    proposals = review.proposals
    assert parts.count("trust") == len(proposals.trusts)
    assert parts.count("pairing") == len(proposals.pairings)
    assert parts.count("partnership") == len(proposals.partnerships)
    assert parts.count("not-proposed") == len(proposals.not_proposed)
    columns = len(proposals.domain_matrix.columns)
    assert parts.count("domain-score") == review.shared_count * columns
    first = next(row for row in rows if row["Part"] == "pairing")
    best = proposals.pairings[0]
    assert (first["Trust code"], first["Other trust code"]) == (best.supporter, best.in_need)
    assert first["Score"] == display(best.score)
    unshared = next(row for row in rows if row["Trust code"] == "RQX")
    assert (unshared["Status"], unshared["Verdict"], unshared["Index"]) == ("not shared", "", "")


def test_a_trust_named_like_a_formula_is_never_run_by_a_spreadsheet() -> None:
    formula = '=HYPERLINK("https://example.com","Northgate")'
    trusts = [
        SystemTrust(
            t.code,
            formula if t.code == "RZA" else t.name,
            t.location,
            None
            if t.shared is None
            else replace(t.shared, trust_name=formula if t.code == "RZA" else t.name),
        )
        for t in demo_trusts()
    ]
    review = review_of(trusts)
    rows = csv_rows(system_csv(review))
    named = [row for row in rows if "HYPERLINK" in row["Trust"] + row["Other trust"]]
    assert {row["Part"] for row in named} >= {"trust", "pairing", "domain-score"}
    for row in named:
        for value in (row["Trust"], row["Other trust"]):
            assert not value.startswith("=")
            if "HYPERLINK" in value:
                assert value == "'" + formula
    # Numbers stay numbers: a score is not prefixed.
    assert all(not row["Score"].startswith("'") for row in rows)


@pytest.mark.parametrize("part", ["trust", "pairing", "partnership", "not-proposed"])
def test_every_csv_row_has_every_column(part: str) -> None:
    rows = list(csv.reader(io.StringIO(system_csv(demo_review()))))
    width = len(rows[0])
    assert all(len(row) == width for row in rows if row[0] == part)
    assert any(row[0] == part for row in rows)
