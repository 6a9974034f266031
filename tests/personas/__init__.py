"""The worked examples of ../shared/domain/personas, copied into the project, and the check
of their `expect` blocks that the engine tests and the `assess` command tests share. The
examples of the 2026 edition (questionnaire and catalogue version 2) are in `v2/`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

PERSONA_DIR = Path(__file__).resolve().parent
PERSONA_V2_DIR = PERSONA_DIR / "v2"
EXPECTATIONS = {
    "verdict",
    "verdict_in",
    "top1",
    "top1_in",
    "top2_includes",
    "top2_subset_of",
    "top3_subset_of",
    "top3_intersects",
    "not_top3",
    "ruled_out",
}


def persona_paths() -> list[Path]:
    return sorted(PERSONA_DIR.glob("*.yaml"))


def persona_v2_paths() -> list[Path]:
    return sorted(PERSONA_V2_DIR.glob("*.yaml"))


def load_persona(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def unmet_expectations(
    expect: Mapping[str, Any],
    verdict: str,
    ranked: Sequence[str],
    ruled_out: Sequence[str] = (),
) -> list[str]:
    """Every line of an `expect` block that a verdict code, ranking (slugs, best first) and
    the forms ruled out (slugs) fail; empty when the persona meets it. `ruled_out` lists
    forms that must be ruled out, not merely ranked low."""
    unknown = set(expect) - EXPECTATIONS
    failures = [f"unknown expectation {name}" for name in sorted(unknown)]
    checks = {
        "verdict": lambda wanted: verdict == wanted,
        "verdict_in": lambda wanted: verdict in wanted,
        "top1": lambda wanted: bool(ranked) and ranked[0] == wanted,
        "top1_in": lambda wanted: bool(ranked) and ranked[0] in wanted,
        "top2_includes": lambda wanted: wanted in ranked[:2],
        "top2_subset_of": lambda wanted: set(ranked[:2]) <= set(wanted),
        "top3_subset_of": lambda wanted: set(ranked[:3]) <= set(wanted),
        "top3_intersects": lambda wanted: bool(set(ranked[:3]) & set(wanted)),
        "not_top3": lambda wanted: not set(ranked[:3]) & set(wanted),
        "ruled_out": lambda wanted: set(wanted) <= set(ruled_out),
    }
    for name, check in checks.items():
        if name in expect and not check(expect[name]):
            failures.append(
                f"{name}: {expect[name]!r} (verdict {verdict}, ranking {list(ranked[:3])}, "
                f"ruled out {sorted(ruled_out)})"
            )
    return failures
