"""A form's own fit coefficients (method section 4): used in place of the method's, named in
its explanation, and refused unless they add up to 1."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from assessment.scoring import (
    ContextWeight,
    DefinitionError,
    DomainWeight,
    MethodSettings,
    check_definitions,
    definitions_from_seed,
    evaluate,
    parse_answers,
)
from assessment.scoring.definitions import FitCoefficients
from assessment.scoring.explain import weighting_note_in
from tests.scoring.support import (
    ROOT,
    SETTINGS,
    form,
    load_yaml,
    plain_form,
    small_catalogue,
    small_questionnaire,
    small_result,
)

# Domain A: A-1 at level 4 (1) and A-2 at level 1 (0), so A scores 50. Domain B: every
# answer at level 4 (B-4 is left out for a community trust), so B scores 100. The index is
# (9 x 50 + 1 x 100) / 10 = 55, so the need is 1 - 0.55 = 0.45. C-1 at level 4 is 1.
ANSWERS = {"P-1": "community", "A-1": 4, "A-2": 1, "B-1": 4, "B-2": 4, "B-3": "no", "C-1": 4}
WEIGHTS: dict[str, Any] = {
    # NeedMatch = (1 x 0.5 [A, prefers high] + 1 x (1 - 1) [B, prefers low]) / 2 = 0.25
    "domain_weights": (
        DomainWeight("A", Decimal(1), "high", "Needs strength in A."),
        DomainWeight("B", Decimal(1), "low", "Answers a weakness in B."),
    ),
    # ContextMatch = 1 (C-1 at level 4, prefers high)
    "context_weights": (ContextWeight("C-1", Decimal(1), "high", "Suits a high C-1."),),
}
# Proportion = 1 - |0.45 - 0.45| = 1 with an intensity of 0.45.
INTENSITY = "0.45"


def _own(need: str, context: str, proportion: str) -> FitCoefficients:
    return FitCoefficients(Decimal(need), Decimal(context), Decimal(proportion))


def _fitted(coefficients: FitCoefficients | None, settings: MethodSettings = SETTINGS) -> Any:
    weighed = plain_form("weighed", 3, INTENSITY, coefficients=coefficients, **WEIGHTS)
    result = small_result(ANSWERS, small_catalogue(weighed), settings)
    return form(result, "weighed")


@pytest.mark.parametrize(
    ("coefficients", "fit"),
    [
        # The method's: 100 x (0.55 x 0.25 + 0.25 x 1 + 0.20 x 1) = 13.75 + 25 + 20
        (None, "58.75"),
        # The ICO's in catalogue v2: 100 x (0.35 x 0.25 + 0.45 x 1 + 0.20 x 1) = 8.75 + 45 + 20
        (_own("0.35", "0.45", "0.20"), "73.75"),
        # 100 x (0.5 x 0.25 + 0.4 x 1 + 0.1 x 1) = 12.5 + 40 + 10
        (_own("0.5", "0.4", "0.1"), "62.5"),
        # Need alone: 100 x 0.25
        (_own("1", "0", "0"), "25"),
        # Proportion alone: 100 x 1
        (_own("0", "0", "1"), "100"),
        # The method's own numbers given again: the same fit as none
        (_own("0.55", "0.25", "0.2"), "58.75"),
    ],
)
def test_a_form_is_fitted_with_its_own_coefficients_when_it_has_them(
    coefficients: FitCoefficients | None, fit: str
) -> None:
    fitted = _fitted(coefficients)

    assert (fitted.need_match, fitted.context_match, fitted.proportion) == (
        Decimal("0.25"),
        Decimal(1),
        Decimal(1),
    )
    assert fitted.fit == Decimal(fit)


def test_a_form_without_its_own_follows_the_method_settings_and_one_with_them_does_not() -> None:
    # Method settings of 0.4 / 0.4 / 0.2: 100 x (0.4 x 0.25 + 0.4 + 0.2) = 70
    settings = MethodSettings(
        need_coefficient=Decimal("0.4"),
        context_coefficient=Decimal("0.4"),
        proportion_coefficient=Decimal("0.2"),
    )

    assert _fitted(None, settings).fit == Decimal(70)
    assert _fitted(_own("0.35", "0.45", "0.20"), settings).fit == Decimal("73.75")


def test_the_explanation_says_the_form_weighs_things_differently() -> None:
    fitted = _fitted(_own("0.35", "0.45", "0.20"))
    note = (
        "This form weighs the local context more and the trust's needs less than the "
        "method's default (context 45% instead of 25%; need 35% instead of 55%)."
    )

    assert note in fitted.explanation.sentence
    # Pages that show the note on its own find it in the sentence.
    assert weighting_note_in(fitted.explanation.sentence) == note
    assert weighting_note_in(_fitted(None).explanation.sentence) == ""


@pytest.mark.parametrize(
    ("coefficients", "note"),
    [
        (
            _own("0.55", "0.4", "0.05"),
            "This form weighs the local context more and the size of change against the need "
            "less than the method's default (context 40% instead of 25%; size of change 5% "
            "instead of 20%).",
        ),
        (
            _own("0.65", "0.15", "0.2"),
            "This form weighs the trust's needs more and the local context less than the "
            "method's default (need 65% instead of 55%; context 15% instead of 25%).",
        ),
    ],
)
def test_the_explanation_names_what_is_weighed_more_and_less(
    coefficients: FitCoefficients, note: str
) -> None:
    assert note in _fitted(coefficients).explanation.sentence


@pytest.mark.parametrize("coefficients", [None, _own("0.55", "0.25", "0.20")])
def test_a_form_weighed_as_the_method_weighs_says_nothing_about_it(
    coefficients: FitCoefficients | None,
) -> None:
    assert "method's default" not in _fitted(coefficients).explanation.sentence


def test_the_points_of_each_reason_use_the_form_s_own_coefficients() -> None:
    # C-1 alone carries the context term: 100 x coefficient x weight 1 x match 1.
    def context_points(coefficients: FitCoefficients | None) -> Decimal:
        fitted = _fitted(coefficients)
        return next(r.points for r in fitted.explanation.reasons if r.subject == "C-1")

    assert context_points(None) == Decimal(25)
    assert context_points(_own("0.35", "0.45", "0.20")) == Decimal(45)


def test_sensitivity_agrees_with_evaluating_a_change_afresh_for_a_form_with_its_own() -> None:
    own = _own("0.35", "0.45", "0.20")
    weighed = plain_form("weighed", 3, INTENSITY, coefficients=own, **WEIGHTS)
    plain = plain_form("plain", 2, "0.9", **WEIGHTS)
    catalogue = small_catalogue(weighed, plain)
    questionnaire = small_questionnaire()
    result = evaluate(
        questionnaire,
        catalogue,
        MethodSettings(),
        parse_answers(questionnaire, ANSWERS),
        sensitivity=True,
    )
    assert result.sensitivity is not None
    changes = [
        change
        for item in result.sensitivity.forms
        if item.slug == "weighed"
        for change in item.lifts + item.drops
    ]
    assert changes
    for change in changes:
        fresh = small_result(
            {**ANSWERS, change.change.question: change.change.to_answer}, catalogue
        )
        assert form(fresh, "weighed").fit == change.fit_after, change.change.question


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("coefficients", "problem"),
    [
        (
            _own("0.5", "0.4", "0.2"),
            "Weighed (weighed): The form's own coefficients must add up to 1: need 0.5 + "
            "context 0.4 + proportion 0.2 = 1.1. Change them, or leave all three empty to use "
            "the method's.",
        ),
        (
            _own("0.3", "0.3", "0.3"),
            "Weighed (weighed): The form's own coefficients must add up to 1: need 0.3 + "
            "context 0.3 + proportion 0.3 = 0.9. Change them, or leave all three empty to use "
            "the method's.",
        ),
        (
            _own("1.2", "-0.4", "0.2"),
            "Weighed (weighed): its own fit coefficients must not be negative.",
        ),
        (
            _own("0.3333333", "0.3333333", "0.3333334"),
            "Weighed (weighed): give its own fit coefficients to at most 6 decimal places.",
        ),
    ],
)
def test_coefficients_that_are_not_usable_are_refused_naming_the_form(
    coefficients: FitCoefficients, problem: str
) -> None:
    weighed = plain_form("weighed", 3, INTENSITY, coefficients=coefficients, **WEIGHTS)

    assert check_definitions(small_questionnaire(), small_catalogue(weighed)) == (problem,)
    with pytest.raises(DefinitionError) as refused:
        small_result(ANSWERS, small_catalogue(weighed))
    assert refused.value.problems == (problem,)


def test_the_seed_reader_takes_a_form_s_coefficients_and_refuses_a_partial_set() -> None:
    questionnaire = load_yaml(ROOT / "assessment/seed/questionnaire-v2.yaml")
    catalogue = load_yaml(ROOT / "models_catalogue/seed/catalogue-v2.yaml")
    _, read = definitions_from_seed(questionnaire, catalogue)
    ico = next(f for f in read.forms if f.slug == "integrated-care-organisation")
    assert ico.coefficients == _own("0.35", "0.45", "0.2")
    assert [f.slug for f in read.forms if f.coefficients is not None] == [ico.slug]

    forms = [dict(f) for f in catalogue["forms"]]
    forms[0]["coefficients"] = {"need": 0.6, "context": 0.4}
    with pytest.raises(DefinitionError, match="must give need, context and proportion"):
        definitions_from_seed(questionnaire, {**catalogue, "forms": forms})

    forms[0]["coefficients"] = {"need": 0.6, "context": 0.4, "proportion": 0.2}
    with pytest.raises(DefinitionError) as refused:
        definitions_from_seed(questionnaire, {**catalogue, "forms": forms})
    assert refused.value.problems == (
        f"{forms[0]['name']} (standalone): The form's own coefficients must add up to 1: need "
        "0.6 + context 0.4 + proportion 0.2 = 1.2. Change them, or leave all three empty to "
        "use the method's.",
    )
