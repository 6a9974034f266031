"""The board paper is drawn through ReportLab's C accelerator, the rl_accel package: escaping
PDF strings, writing numbers, measuring text and comparing fragments all go through its
compiled functions, and the paper has no shortcuts of its own around them."""

from __future__ import annotations

import importlib

import pytest
from reportlab.lib import rl_accel
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen import canvas, textobject
from reportlab.platypus import paragraph

from assessment.reports.pdf import furniture

# What the paper's text goes through on its way to the page, and where ReportLab takes it.
USED = {
    "escapePDF": (canvas, pdfdoc),
    "fp_str": (canvas, textobject, pdfdoc),
    "instanceStringWidthT1": (pdfmetrics,),
    "unicode2T1": (pdfmetrics,),
    "sameFrag": (paragraph,),
}


def test_rl_accel_is_installed_and_compiled() -> None:
    accelerator = importlib.import_module("_rl_accel")
    assert accelerator.__file__ is not None
    assert accelerator.__file__.endswith((".so", ".pyd")), accelerator.__file__


def test_reportlab_takes_every_function_from_the_accelerator() -> None:
    accelerator = importlib.import_module("_rl_accel")
    # ReportLab falls back to its pure Python versions, silently, for what it cannot import.
    assert sorted(name for name, function in rl_accel._py_funcs.items() if function) == []
    for name in rl_accel.__all__:
        assert getattr(rl_accel, name) is getattr(accelerator, name), name


@pytest.mark.parametrize("name", sorted(USED))
def test_the_modules_that_draw_the_paper_use_the_compiled_function(name: str) -> None:
    accelerator = importlib.import_module("_rl_accel")
    for module in USED[name]:
        assert getattr(module, name) is getattr(accelerator, name), (module.__name__, name)


def test_the_paper_draws_and_escapes_text_only_through_reportlab() -> None:
    for method in ("drawString", "drawRightString", "drawCentredString", "_escape"):
        assert getattr(furniture.PaperCanvas, method) is getattr(canvas.Canvas, method), method
