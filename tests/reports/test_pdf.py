"""The PDF board paper: what it says, in what order, on every page, from a real result."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from assessment.reports.paper import AgreedRow, BoardPaper, MemberAnswer
from assessment.reports.pdf import blocks, board_paper_pdf
from assessment.scoring import (
    Catalogue,
    MethodSettings,
    Questionnaire,
    Result,
    definitions_from_seed,
    display,
    evaluate,
    parse_answers,
)
from assessment.scoring.summary import fit_words, reason_plain, sentence_plain, size_plain, whole

ROOT = Path(__file__).resolve().parents[2]
PAPER_DATE = date(2026, 11, 23)
TRUST = "Northshire Hospitals NHS Foundation Trust"
TITLE = "Sustainability assessment 2026/27"
PERIOD = "April 2026 to March 2027"
ODS = "RX9"

# Answers left out of a persona, and one "don't know": a partial answer set that leaves
# the verdict provisional.
UNANSWERED = (
    *("QUAL-1", "QUAL-2", "QUAL-3", "QUAL-4"),
    *("FIN-1", "FIN-2", "FIN-3", "FIN-4"),
    *("WORK-1", "WORK-2", "WORK-3"),
    *("LEAD-1", "LEAD-2", "PERF-1", "PERF-2", "SCALE-1"),
)
DONT_KNOW = "WORK-4"


# ------------------------------------------------------------------------------ material


def load_yaml(path: str) -> Any:
    return yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))


@cache
def definitions() -> tuple[Questionnaire, Catalogue]:
    catalogue = load_yaml("models_catalogue/seed/catalogue-v1.yaml")
    for form in catalogue["forms"]:
        # The seed writes each form's risks as `risks`; the published catalogue carries
        # them as the risk note that the paper prints beside the form.
        form.setdefault("risk_note", form.get("risks", ""))
    return definitions_from_seed(load_yaml("assessment/seed/questionnaire-v1.yaml"), catalogue)


def persona_answers(name: str) -> dict[str, object]:
    return dict(load_yaml(f"tests/personas/{name}.yaml")["answers"])


@cache
def persona_result(name: str, partial: bool = False) -> Result:
    return evaluate_answers(persona_answers(name), partial=partial)


def evaluate_answers(
    raw: Mapping[str, object],
    *,
    partial: bool = False,
    settings: MethodSettings | None = None,
) -> Result:
    questionnaire, catalogue = definitions()
    answers = dict(raw)
    if partial:
        for code in UNANSWERED:
            answers.pop(code, None)
        answers[DONT_KNOW] = "dk"
    return evaluate(
        questionnaire,
        catalogue,
        settings or MethodSettings(),
        parse_answers(questionnaire, answers),
        sensitivity=True,
    )


def agreed_rows(result: Result) -> tuple[AgreedRow, ...]:
    """A few agreed answers: two divergent with rationales, one with members' notes, one
    whose rationale is full of characters that mean something in markup."""
    questions = {question.code: question for question in result.questions}

    def row(code: str, **extra: Any) -> AgreedRow:
        question = questions[code]
        return AgreedRow(
            code=code,
            section="Quality and safety" if code.startswith("QUAL") else "Workforce",
            question=question.text,
            label=question.answer_label,
            **extra,
        )

    return (
        row(
            "QUAL-2",
            divergent=True,
            rationale="The chair's view prevailed: the enforcement notice was lifted in May.",
            members=(
                MemberAnswer("Amina Patel", "No", "Letter from the regulator, 3 May 2026."),
                MemberAnswer("Tom Reid", "Yes", ""),
            ),
        ),
        row(
            "WORK-2",
            divergent=True,
            rationale='Agency spend < 4% & "falling" after the <rota> review.',
            members=(MemberAnswer("Jo Lee", "8%", "Finance report, month 6 & month 7."),),
        ),
        row(
            "QUAL-5",
            members=(MemberAnswer("Sam Okafor", "Level 3", "Seven-day audit, spring 2026."),),
        ),
        row("WORK-5"),
    )


def make_paper(result: Result, **changes: Any) -> BoardPaper:
    paper = BoardPaper(
        trust_name=TRUST,
        ods_code=ODS,
        title=TITLE,
        reporting_period=PERIOD,
        paper_date=PAPER_DATE,
        status="Submitted",
        draft=False,
        respondents=6,
        result=result,
        agreed=agreed_rows(result),
    )
    return replace(paper, **changes)


@cache
def rendered(name: str, partial: bool = False, draft: bool = False) -> bytes:
    changes: dict[str, Any] = {}
    if draft:
        changes = {"draft": True, "status": "Draft: not submitted"}
    return board_paper_pdf(make_paper(persona_result(name, partial), **changes))


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, with every run of white space (line ends included) as one
    space, so that text wrapped over two lines still matches."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def text_of(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))


def section(text: str, start: str, end: str) -> str:
    """The text from one heading to the next."""
    begin = text.index(start)
    return text[begin : text.index(end, begin)]


# ----------------------------------------------------------------------------------- tests


def test_cover_names_the_trust_title_period_ods_code_date_and_versions() -> None:
    text = text_of(rendered("collaborative-mid"))
    cover = section(text, "Assess your trust's sustainability", "1. The verdict")
    for expected in (
        TRUST,
        TITLE,
        PERIOD,
        ODS,
        "23 November 2026",
        "Submitted",
        "Version 1: Sustainability self-assessment (Dalton review)",
        "6 board members",
    ):
        assert expected in cover


def test_source_note_is_printed_only_when_given() -> None:
    result = persona_result("collaborative-mid")
    note = "Scored from a spreadsheet the trust uploaded on 20 November."
    with_note = text_of(board_paper_pdf(make_paper(result, source_note=note)))
    assert note in with_note
    assert "Source of the answers" not in text_of(rendered("collaborative-mid"))


def test_verdict_shows_the_question_label_rule_index_and_coverage() -> None:
    result = persona_result("fragile-workforce")
    verdict = section(text_of(rendered("fragile-workforce")), "1. The verdict", "2. Scores")
    assert " ".join(result.verdict_question.split()) in verdict
    assert result.verdict.label in verdict
    assert result.verdict.rule in verdict
    assert f"{display(result.index)} out of 100" in verdict
    assert f"{display(result.coverage)}% of the weighted questions" in verdict
    assert "(provisional)" not in verdict


def test_a_provisional_verdict_says_so_with_its_note() -> None:
    result = persona_result("fragile-workforce", partial=True)
    assert result.verdict.provisional
    verdict = section(text_of(rendered("fragile-workforce", partial=True)), "1. The", "2. Sco")
    assert f"{result.verdict.label} (provisional)" in verdict
    assert " ".join(result.verdict.provisional_note.split()) in verdict


def test_critical_answers_are_listed_when_given() -> None:
    answers = persona_answers("collaborative-mid") | {"QUAL-2": "yes"}
    result = evaluate_answers(answers)
    assert result.triggers
    verdict = section(text_of(board_paper_pdf(make_paper(result))), "1. The verdict", "2. Sco")
    assert "Critical answers" in verdict
    for trigger in result.triggers:
        question = next(q.text for q in result.questions if q.code == trigger.question)
        assert f"“{' '.join(question.split())}”: {trigger.answer_label}." in verdict
        assert f"{trigger.question}:" not in verdict
    assert "Critical answers" not in text_of(rendered("collaborative-mid"))


def test_every_scored_domain_is_charted_and_tabled_with_its_figures() -> None:
    result = persona_result("strong-teaching-trust")
    domains = section(text_of(rendered("strong-teaching-trust")), "2. Scores", "3. The ranked")
    for domain in result.domains:
        if not domain.scored:
            assert domain.name not in domains
            continue
        # Once on the chart, once in the table.
        assert domains.count(domain.name) == 2
        assert domains.count(display(domain.score)) >= 2
        assert f"{display(domain.weight)} {display(domain.coverage)}%" in domains
    assert "25.0 floor" in domains
    assert "50.0 lead floor" in domains


def test_ranked_forms_appear_in_rank_order_with_their_fit_in_words() -> None:
    result = persona_result("strong-teaching-trust")
    text = text_of(rendered("strong-teaching-trust"))
    menu = section(text, "3. The ranked menu", "4. Ruled out")
    headings = [f"{form.rank}. {form.name}" for form in result.ranking]
    positions = [menu.find(heading) for heading in headings]
    assert -1 not in positions
    assert positions == sorted(positions)
    summary = [menu.find(form.name) for form in result.ranking]
    assert summary == sorted(summary)
    for form in result.ranking:
        entry = menu[menu.index(f"{form.rank}. {form.name}") :]
        assert entry.startswith(
            f"{form.rank}. {form.name} {fit_words(form.fit)} ({whole(form.fit)} out of 100)"
        )
    # The engine's terms are for the method's appendix, not the menu.
    assert "need match" not in menu
    assert "context match" not in menu


def test_each_ranked_form_carries_its_reasons_risks_approvals_time_and_reversibility() -> None:
    result = persona_result("collaborative-mid")
    menu = section(text_of(rendered("collaborative-mid")), "3. The ranked", "4. Ruled out")
    starts = [menu.index(f"{form.rank}. {form.name} Fits") for form in result.ranking]
    ends = [*starts[1:], len(menu)]
    entries = [menu[start:end] for start, end in zip(starts, ends, strict=True)]
    for form, entry in zip(result.ranking, entries, strict=True):
        details = form.details
        for reason in form.explanation.reasons:
            assert " ".join(reason_plain(reason).split()) in entry
            assert reason.sentence not in entry
        assert size_plain(form) in entry
        assert " ".join(details.risk_note.split()) in entry
        assert details.approvals in entry
        assert f"{details.months_min} to {details.months_max} months" in entry
        assert details.reversibility.capitalize() in entry


def test_a_form_to_confirm_is_marked_with_the_answers_that_would_settle_it() -> None:
    answers = persona_answers("fragile-workforce") | {"SYS-1": "dk"}
    result = evaluate_answers(answers)
    conditional = [form for form in result.ranking if form.conditional]
    assert conditional
    menu = section(text_of(board_paper_pdf(make_paper(result))), "3. The ranked", "4. Ruled")
    for form in conditional:
        entry = menu[menu.index(f"{form.rank}. {form.name} Fits") :]
        assert "To confirm" in entry[:300]
        sentence = blocks.named(form.to_confirm[0].sentence, result)
        assert "To confirm: " + " ".join(sentence.split())[:60] in entry[:600]
        assert "SYS-1 is" not in entry[:600]
        # The missing question by its text, its code beside it as a reference.
        sys_1 = next(q.text for q in result.questions if q.code == "SYS-1")
        assert f"{' '.join(sys_1.split())} (SYS-1)" in entry[:1200]
    confirmed = next(form for form in result.ranking if not form.conditional)
    first = menu[menu.index(f"{confirmed.rank}. {confirmed.name} Fits") :]
    assert "To confirm" not in first[:200]


def test_a_form_to_confirm_on_a_provisional_verdict_counts_the_missing_answers() -> None:
    # Every figure blank: the strong trust's verdict is provisional, and the forms that need
    # it confirmed are listed first by fit, to confirm, with how many answers are missing
    # and where they are listed.
    figures = (
        "QUAL-4",
        *("FIN-1", "FIN-2", "FIN-3", "FIN-4", "FIN-5", "FIN-6"),
        *("WORK-1", "WORK-2", "WORK-4", "WORK-5"),
        *("PERF-1", "PERF-2", "PERF-3", "PERF-4"),
        *("SCALE-1", "SCALE-2", "SCALE-3"),
    )
    answers = {
        code: value
        for code, value in persona_answers("strong-teaching-trust").items()
        if code not in figures
    }
    result = evaluate_answers(answers)
    first = result.ranking[0]
    assert first.conditional
    menu = section(text_of(board_paper_pdf(make_paper(result))), "3. The ranked", "4. Ruled")
    assert f"1 {first.name} (to confirm)" in menu
    entry = menu[menu.index(f"1. {first.name} Fits") :]
    missing = len(first.to_confirm[0].missing)
    assert f"{missing} answers the verdict needs are missing: see 7. Missing evidence." in entry
    assert "QUAL-4" not in entry[:1500]


def test_every_ruled_out_form_is_listed_with_every_reason() -> None:
    result = persona_result("fragile-workforce")
    assert result.ruled_out
    ruled_out = section(text_of(rendered("fragile-workforce")), "4. Ruled out", "5. What")
    for form in result.ruled_out:
        assert form.name in ruled_out
        for reason in form.reasons:
            assert reason in ruled_out


def test_what_would_change_lists_nearest_changes_capped_with_a_count() -> None:
    result = persona_result("fragile-workforce")
    sensitivity = result.sensitivity
    assert sensitivity is not None
    assert len(sensitivity.displacing) > 8
    part = section(text_of(rendered("fragile-workforce")), "5. What would", "6. Where")
    assert f"The top form is {sensitivity.stability}." in part
    assert sensitivity.summary.split(" The nearest")[0] in part
    # Every question by its text, never by its code.
    for item in sensitivity.displacing[:8]:
        assert " ".join(sentence_plain(item).split()) in part
        assert item.change.question + " were" not in part
    assert " ".join(sentence_plain(sensitivity.displacing[8]).split()) not in part
    assert f"And {len(sensitivity.displacing) - 8} more." in part
    for change in sensitivity.verdict_changes[:8]:
        assert " ".join(sentence_plain(change).split()) in part
    for form in sensitivity.forms:
        assert f"What would lift or drop {form.name}" in part
        for change in (*form.lifts, *form.drops):
            assert " ".join(sentence_plain(change).split()) in part


def test_divergent_questions_are_listed_with_their_agreed_answer_and_rationale() -> None:
    paper = make_paper(persona_result("collaborative-mid"))
    part = section(text_of(board_paper_pdf(paper)), "6. Where board members", "7. Missing")
    for row in paper.agreed:
        if row.divergent:
            assert row.question in part
            assert row.label in part
            assert row.rationale in part
        else:
            assert row.question not in part


def test_missing_evidence_lists_each_code_and_status_for_a_partial_answer_set() -> None:
    result = persona_result("fragile-workforce", partial=True)
    part = section(
        text_of(rendered("fragile-workforce", partial=True)), "7. Missing evidence", "Appendix A"
    )
    assert "The verdict is provisional" in part
    codes = [item.question for item in result.missing]
    assert set(UNANSWERED) | {DONT_KNOW} <= set(codes)
    for item in result.missing:
        status = "Don't know" if item.status == "dk" else "Not answered"
        assert re.search(rf"\b{re.escape(item.question)}\b.*?{status}", part)
    assert "Every question has an answer." in text_of(rendered("fragile-workforce"))


def test_appendix_gives_every_agreed_answer_by_section_with_counts_but_no_notes() -> None:
    paper = make_paper(persona_result("collaborative-mid"))
    appendix = section(text_of(board_paper_pdf(paper)), "Appendix A", "Appendix B")
    for row in paper.agreed:
        assert row.code in appendix
        assert row.question in appendix
        assert row.label in appendix
        assert row.rationale in appendix
        # Who gave which answer, and their notes, are private to them and the lead.
        for member in row.members:
            assert member.name not in appendix
            if member.note:
                assert member.note not in appendix
    assert "Members' answers: No (1 member); Yes (1 member)" in appendix
    assert "Members' answers: Level 3 (1 member)" in appendix
    assert appendix.index("Quality and safety") < appendix.index("QUAL-2")
    assert appendix.index("Workforce") < appendix.index("WORK-2")


def test_a_paper_without_agreed_answers_says_so() -> None:
    text = text_of(board_paper_pdf(make_paper(persona_result("collaborative-mid"), agreed=())))
    assert text.count("No agreed answers are recorded with this paper.") == 2


def test_method_note_quotes_the_thresholds_and_coefficients_of_the_result() -> None:
    settings = MethodSettings(
        need_coefficient=Decimal("0.5"),
        context_coefficient=Decimal("0.3"),
        proportion_coefficient=Decimal("0.2"),
        lead_index=Decimal(72),
        collaborate_index=Decimal(56),
        at_risk_index=Decimal(41),
        domain_cap_floor=Decimal(22),
        provisional_coverage=Decimal(65),
    )
    result = evaluate_answers(persona_answers("collaborative-mid"), settings=settings)
    method = text_of(board_paper_pdf(make_paper(result))).split("Appendix B")[1]
    for expected in (
        "0.5 × need match + 0.3 × context match + 0.2 × proportion",
        "An index of 72 or more",
        "56 or more",
        "41 or more",
        "below 22",
        "less than 65% of the evidence",
        "stored",
    ):
        assert expected in method


def test_every_page_is_marked_numbered_and_headed() -> None:
    pages = page_texts(rendered("collaborative-mid"))
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") == 2
        assert f"Page {number} of {len(pages)}" in page
        if number > 1:
            assert TRUST in page
            assert "23 November 2026" in page


def test_a_draft_paper_is_marked_draft_on_every_page() -> None:
    pages = page_texts(rendered("collaborative-mid", draft=True))
    # The large diagonal mark on every page, and the running header or the status beside it.
    assert all(page.count("DRAFT") >= 2 for page in pages)
    assert "Draft: not submitted DRAFT: this is not the board's submitted result" in pages[0]
    about = next(page for page in pages if "About this assessment" in page)
    assert "Status Draft: not submitted" in about


def test_a_submitted_paper_carries_no_draft_mark() -> None:
    text = text_of(rendered("collaborative-mid"))
    assert "DRAFT" not in text
    assert "draft" not in text.lower()


def test_document_metadata_names_the_paper_and_the_trust() -> None:
    metadata = PdfReader(io.BytesIO(rendered("collaborative-mid"))).metadata
    assert metadata is not None
    assert metadata.title == f"{TITLE} – {TRUST}"
    assert metadata.author == TRUST
    assert metadata.subject == "Sustainability assessment board paper"
    assert metadata.creator == "Assess your trust's sustainability"
    assert str(metadata["/CreationDate"]).startswith("D:20261123")


def test_markup_characters_and_quotes_print_as_written() -> None:
    trust = 'St Mary\'s & <Central> "Teaching" Hospitals'
    result = persona_result("collaborative-mid")
    paper = make_paper(
        result,
        agreed=tuple(
            replace(row, members=(MemberAnswer("Jo Lee", "8% & <falling>"),))
            if row.code == "WORK-2"
            else row
            for row in agreed_rows(result)
        ),
        trust_name=trust,
        title="Board paper: <draft> & 'final'",
        source_note='Figures from the "Q2 return" & <board pack>.',
    )
    text = text_of(board_paper_pdf(paper))
    assert trust in text
    assert "Board paper: <draft> & 'final'" in text
    assert 'Figures from the "Q2 return" & <board pack>.' in text
    assert 'Agency spend < 4% & "falling" after the <rota> review.' in text
    assert "Members' answers: 8% & <falling> (1 member)" in text


def test_the_same_paper_renders_to_the_same_text_and_bytes() -> None:
    paper = make_paper(persona_result("strong-teaching-trust"))
    # Laid out afresh, then from the layouts the first render remembered.
    blocks.forget_layouts()
    first, second = board_paper_pdf(paper), board_paper_pdf(paper)
    assert page_texts(first) == page_texts(second)
    assert first == second


@pytest.mark.parametrize(
    "name", ["collaborative-mid", "fragile-workforce", "strong-teaching-trust"]
)
def test_each_persona_renders_a_complete_paper(name: str) -> None:
    result = persona_result(name)
    text = text_of(rendered(name))
    headings = (
        "1. The verdict",
        "2. Scores by domain",
        "3. The ranked menu of organisational forms",
        "4. Ruled out",
        "5. What would change our recommendation",
        "6. Where board members differed",
        "7. Missing evidence",
        "Appendix A. The board's agreed answers",
        "Appendix B. About the method",
    )
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert result.verdict.label in text


def test_a_paragraph_measured_again_at_another_width_is_laid_out_again() -> None:
    paragraph = blocks.para("A sentence long enough to need more than one line when narrow. " * 3)
    narrow = paragraph.wrap(120, 1000)
    wide = paragraph.wrap(480, 1000)
    assert wide[1] < narrow[1]
    assert paragraph.wrap(120, 1000) == narrow
