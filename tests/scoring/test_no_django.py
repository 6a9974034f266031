"""The engine is pure Python: nothing under assessment/scoring imports Django."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.scoring.support import ROOT

ENGINE = ROOT / "assessment" / "scoring"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_engine_module_imports_django() -> None:
    modules = sorted(ENGINE.glob("*.py"))
    assert len(modules) > 10
    for path in modules:
        offending = {name for name in imported_modules(path) if name.split(".")[0] == "django"}
        assert not offending, f"{path.name} imports {offending}"


def test_the_engine_imports_only_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names)
    for path in sorted(ENGINE.glob("*.py")):
        outside = {name for name in imported_modules(path) if name.split(".")[0] not in allowed}
        assert not outside, f"{path.name} imports {outside}"


def test_importing_the_engine_loads_no_django_module() -> None:
    code = (
        "import sys, assessment.scoring as engine; "
        "engine.evaluate; "
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('django', 'yaml')))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "[]"
