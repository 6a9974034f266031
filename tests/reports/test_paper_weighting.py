"""The paper says when a form weighs need, context and proportion in its own way (method
section 4): in the form's entry of the menu and, naming it, in the method appendix; a
result without such a form says nothing of the kind."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from assessment.reports.paper import BoardPaper
from assessment.reports.pdf import board_paper_pdf
from assessment.scoring import MethodSettings, definitions_from_seed, evaluate, parse_answers

ROOT = Path(__file__).resolve().parents[2]
NOTE = "This form weighs the local context more and the trust's needs less than the method's"


def _paper_text(edition: int, persona: Path) -> str:
    questionnaire, catalogue = definitions_from_seed(
        yaml.safe_load((ROOT / f"assessment/seed/questionnaire-v{edition}.yaml").read_text()),
        yaml.safe_load((ROOT / f"models_catalogue/seed/catalogue-v{edition}.yaml").read_text()),
    )
    answers = {
        code: "yes" if value is True else "no" if value is False else str(value)
        for code, value in yaml.safe_load(persona.read_text())["answers"].items()
    }
    result = evaluate(
        questionnaire, catalogue, MethodSettings(), parse_answers(questionnaire, answers)
    )
    paper = BoardPaper(
        trust_name="Riverside Community NHS Trust",
        ods_code="RXX",
        title="Board self-assessment",
        reporting_period="2026 to 2027",
        paper_date=date(2026, 11, 30),
        status="Submitted",
        draft=False,
        respondents=5,
        result=result,
    )
    reader = PdfReader(io.BytesIO(board_paper_pdf(paper)))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_a_form_with_its_own_coefficients_says_so_in_the_menu_and_the_method() -> None:
    text = _paper_text(2, ROOT / "tests/personas/v2/community-trust-integration-2026.yaml")
    assert f"{NOTE} default (context 45% instead of 25%; need 35% instead of 55%)." in text
    assert (
        "Some forms carry their own coefficients in place of these, as their entries in the "
        "menu say: Integrated care organisation." in text
    )


@pytest.mark.parametrize("persona", ["collaborative-mid", "strong-teaching-trust"])
def test_a_menu_without_such_a_form_says_nothing_of_the_kind(persona: str) -> None:
    text = _paper_text(1, ROOT / f"tests/personas/{persona}.yaml")
    assert NOTE not in text
    assert "carry their own coefficients" not in text
