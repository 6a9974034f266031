"""The result in a board's words (assessment/scoring/summary.py): plain sentences with the
question's text, never its code or the engine's terms; and what changed since last time."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from assessment.scoring.summary import (
    biggest_change,
    first_sentence,
    fit_words,
    reason_plain,
    sentence_plain,
    since_last_time,
    summarise,
    verdict_why,
)
from tests.scoring.support import persona_answers, seed_result

PERSONAS = ("collaborative-mid", "fragile-workforce", "strong-teaching-trust")
CODE = re.compile(r"\b[A-Z]+-\d+\b")
ENGINE_TERMS = ("need match", "context match", "proportion", "Index ", "/100", "fit of", "Capped")


def _summary_text(name: str, changes=None) -> str:
    result = seed_result(persona_answers(name, changes), sensitivity=True)
    summary = summarise(result)
    lines = [summary.verdict_label, summary.why, summary.coverage_sentence, summary.change]
    for line in summary.forms:
        lines += [line.name, line.fit_words, line.why, line.risk]
    return "\n".join(lines)


@pytest.mark.parametrize("name", PERSONAS)
def test_the_summary_has_no_question_code_and_no_engine_term(name: str) -> None:
    text = _summary_text(name)
    assert not CODE.search(text), CODE.search(text)
    for term in ENGINE_TERMS:
        assert term not in text, term


@pytest.mark.parametrize("name", PERSONAS)
def test_every_detail_sentence_names_the_question_not_its_code(name: str) -> None:
    result = seed_result(persona_answers(name), sensitivity=True)
    sentences = [reason_plain(r) for f in result.ranking for r in f.explanation.reasons]
    assert result.sensitivity is not None
    items = [*result.sensitivity.displacing, *result.sensitivity.verdict_changes]
    items += [c for f in result.sensitivity.forms for c in (*f.lifts, *f.drops)]
    assert items
    sentences += [sentence_plain(item) for item in items]
    for sentence in sentences:
        assert not CODE.search(sentence), sentence
        assert "/100" not in sentence, sentence


def test_the_verdict_is_explained_from_the_rule_that_decided_it() -> None:
    mid = seed_result(persona_answers("collaborative-mid"))
    assert verdict_why(mid) == (
        "The trust scores 71.1 out of 100 overall, every area scores at least 50 and no "
        "answer signals a tipping point."
    )
    fragile = seed_result(persona_answers("fragile-workforce"))
    assert verdict_why(fragile) == (
        "The trust scores 57.8 out of 100 overall: enough to be sustainable, but below the 70 "
        "needed to extend its reach to others."
    )
    # A critical answer caps the verdict: the sentence names the question and the answer.
    capped = seed_result(persona_answers("strong-teaching-trust", {"QUAL-2": "yes"}))
    assert capped.verdict.decided_by == "cap"
    why = verdict_why(capped)
    assert why.startswith("The board answered “Yes” to “")
    assert "no better than not sustainable in its present form" in why
    assert not CODE.search(why)


def test_a_domain_below_the_floor_is_named_with_its_score() -> None:
    gutted = {"WORK-1": 20, "WORK-2": 20, "WORK-3": 2, "WORK-4": 4, "WORK-5": 30}
    result = seed_result(persona_answers("strong-teaching-trust", gutted))
    assert [cap.kind for cap in result.verdict.caps if cap.binding] == ["domain-floor"]
    assert verdict_why(result) == (
        "Workforce scores 11.1 out of 100, below the floor of 25: that holds the verdict at "
        "“at risk”, whatever the overall score."
    )


def test_the_biggest_change_says_which_form_would_come_first() -> None:
    result = seed_result(persona_answers("collaborative-mid"), sensitivity=True)
    assert biggest_change(result) == (
        "If the answer to “How secure are consultant rotas in emergency medicine, acute "
        "medicine, anaesthetics, surgery and paediatrics?” were level 2 instead of level 3, "
        "Federation, network or provider collaborative would come first."
    )


def test_fit_in_words_with_the_number_beside() -> None:
    assert fit_words(Decimal("97.3")) == "Fits well"
    assert fit_words(Decimal("70")) == "Fits well"
    assert fit_words(Decimal("69.9")) == "Fits fairly well"
    assert fit_words(Decimal("50")) == "Fits fairly well"
    assert fit_words(Decimal("49.9")) == "Fits poorly"


def test_the_main_risk_is_its_first_sentence_or_clause() -> None:
    assert first_sentence("One risk. Another.") == "One risk."
    assert first_sentence("Spread thin; accountable elsewhere. More.") == "Spread thin."
    assert first_sentence("  ") == ""


def test_since_last_time_gives_the_verdict_index_areas_and_forms_that_moved() -> None:
    before = seed_result(persona_answers("fragile-workforce"))
    after = seed_result(persona_answers("collaborative-mid"))
    since = since_last_time(after, before, "2024 to 2025")
    assert since.verdict_sentence == (
        "The verdict has improved, from “Sustainable; strengthen through collaboration” to "
        "“Sustainable, and in a position to extend its reach”."
    )
    assert since.index_sentence == "Sustainability index: up 13.3, from 57.8 to 71.1."
    workforce = next(move for move in since.domains if move.name == "Workforce")
    assert workforce.sentence == "Workforce: up 22.2, from 44.4 to 66.7."
    moved = {move.name: (move.before, move.after) for move in since.forms}
    assert moved["Joint venture for a defined service"] == (1, 4)
    assert all(before != after for before, after in moved.values())
    same = since_last_time(after, after, "2025 to 2026")
    assert same.verdict_sentence.startswith("The verdict is unchanged")
    assert same.index_sentence == "Sustainability index: unchanged at 71.1."
    assert same.forms == ()
