"""Several board members: median, spread, divergence and the default agreed answer."""

from __future__ import annotations

from decimal import Decimal

from assessment.scoring import Answer, QuestionConsensus, consensus, evaluate
from tests.scoring.support import SETTINGS, seed


def agree(code: str, *answers: Answer) -> QuestionConsensus:
    questionnaire, _ = seed()
    responses = {f"member-{n}": [answer] for n, answer in enumerate(answers)}
    result = consensus(questionnaire, SETTINGS, responses)
    return next(item for item in result.questions if item.question == code)


def scale(level: int) -> Answer:
    return Answer("QUAL-5", level=level)


def test_the_median_of_an_odd_count_is_the_middle_level() -> None:
    item = agree("QUAL-5", scale(4), scale(2), scale(3))
    assert item.levels == (2, 3, 4)
    assert item.median_level == 3
    assert item.agreed == scale(3)
    assert item.spread == 2
    assert item.divergent


def test_an_even_count_takes_the_lower_middle_the_cautious_choice() -> None:
    item = agree("QUAL-5", scale(4), scale(3), scale(2), scale(4))
    assert item.median_level == 2 + 1
    assert item.agreed == scale(3)
    two = agree("QUAL-5", scale(4), scale(3))
    assert two.agreed == scale(3)
    assert "lower middle" in two.note


def test_a_spread_of_one_is_not_divergent() -> None:
    item = agree("QUAL-5", scale(3), scale(4), scale(3))
    assert item.spread == 1
    assert not item.divergent


def test_the_agreed_number_is_a_figure_a_member_gave_in_the_median_band() -> None:
    # FIN-1 margins: -2 (level 1), 0.4 (level 3), 0.7 (level 3), 3 (level 4).
    answers = [Answer("FIN-1", number=Decimal(value)) for value in ("3", "0.7", "-2", "0.4")]
    item = agree("FIN-1", *answers)
    assert item.levels == (1, 3, 3, 4)
    assert item.agreed == Answer("FIN-1", number=Decimal("0.4"))
    assert item.median_level == 3
    assert item.divergent  # a spread of 3


def test_a_critical_answer_counts_as_worse_than_a_non_critical_one_at_the_same_level() -> None:
    # -6 and -2 are both level 1, but -6 is critical: the cautious lower middle is -6.
    answers = [Answer("FIN-1", number=Decimal(value)) for value in ("-2", "-6")]
    item = agree("FIN-1", *answers)
    assert item.agreed == Answer("FIN-1", number=Decimal("-6"))


def test_dont_know_is_left_out_of_the_median_and_counted() -> None:
    item = agree("QUAL-5", scale(2), Answer("QUAL-5", status="dk"), scale(4), scale(3))
    assert item.dk == 1
    assert item.levels == (2, 3, 4)
    assert item.agreed == scale(3)
    only_dk = agree("QUAL-5", Answer("QUAL-5", status="dk"), Answer("QUAL-5", status="dk"))
    assert only_dk.agreed == Answer("QUAL-5", status="dk")


def test_not_applicable_needs_a_majority_and_any_disagreement_is_divergent() -> None:
    na = Answer("PERF-1", status="na")
    level = Answer("PERF-1", number=Decimal(90))
    mostly = agree("PERF-1", na, na, level)
    assert mostly.agreed == na
    assert mostly.divergent
    split = agree("PERF-1", na, level)
    assert split.agreed == level
    assert split.divergent


def test_a_profile_takes_the_most_common_value_and_flags_disagreement() -> None:
    acute = Answer("PROFILE-TYPE", option="acute")
    community = Answer("PROFILE-TYPE", option="community")
    item = agree("PROFILE-TYPE", community, acute, community)
    assert item.agreed == community
    assert item.divergent
    assert item.spread is None
    tie = agree("PROFILE-TYPE", community, acute)
    assert tie.agreed == acute  # the earlier option on a tie


def test_an_unanswered_question_has_no_agreed_answer() -> None:
    item = agree("QUAL-5", Answer("QUAL-1", option="good"))
    assert item.agreed is None
    assert item.answered == 0


def test_the_agreed_answers_feed_evaluate_and_member_order_does_not_matter() -> None:
    questionnaire, catalogue = seed()
    responses = {
        "chair": [Answer("QUAL-1", option="good"), scale(4), Answer("SYS-1", option="maybe")],
        "cfo": [Answer("QUAL-1", option="inadequate"), scale(2)],
        "ceo": [Answer("QUAL-1", option="outstanding"), scale(3), Answer("SYS-1", option="no")],
    }
    forward = consensus(questionnaire, SETTINGS, responses)
    backward = consensus(questionnaire, SETTINGS, dict(reversed(list(responses.items()))))
    assert forward == backward
    assert forward.agreed == (
        Answer("QUAL-1", option="good"),
        scale(3),
        Answer("SYS-1", option="no"),  # lower middle of "no" (level 1) and "maybe" (level 3)
    )
    assert forward.divergent == ("QUAL-1", "QUAL-5", "SYS-1")
    result = evaluate(questionnaire, catalogue, SETTINGS, forward.agreed, sensitivity=False)
    assert result.questions[1].answer == "good"
