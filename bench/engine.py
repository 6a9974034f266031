"""Time one full evaluation (sensitivity included) of each persona on the seed content.

Run from the project root: python bench/engine.py [runs]
Prints the median and 95th percentile per persona, with the Python version and CPU.
The target is a median of at most 20 ms on one core.
"""

from __future__ import annotations

import platform
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assessment.scoring import (  # noqa: E402  (the path above must be set first)
    MethodSettings,
    definitions_from_seed,
    evaluate,
    parse_answers,
)

TARGET_MS = 20.0


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main(runs: int) -> None:
    questionnaire, catalogue = definitions_from_seed(
        yaml.safe_load((ROOT / "assessment/seed/questionnaire-v1.yaml").read_text()),
        yaml.safe_load((ROOT / "models_catalogue/seed/catalogue-v1.yaml").read_text()),
    )
    settings = MethodSettings()
    print(f"Python {platform.python_version()} ({platform.python_implementation()})")
    print(f"CPU    {cpu_model()}")
    print(f"Runs   {runs} per persona, after 10 warm-up runs; target median <= {TARGET_MS} ms")
    print()
    print(f"{'persona':<28} {'median ms':>10} {'p95 ms':>8} {'changes':>8}")
    medians = []
    for path in sorted((ROOT / "tests/personas").glob("*.yaml")):
        persona = yaml.safe_load(path.read_text())
        answers = parse_answers(questionnaire, persona["answers"])
        for _ in range(10):
            result = evaluate(questionnaire, catalogue, settings, answers)
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            result = evaluate(questionnaire, catalogue, settings, answers)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        median = statistics.median(timings)
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        medians.append(median)
        changes = result.sensitivity.scenarios if result.sensitivity else 0
        print(f"{path.stem:<28} {median:>10.2f} {p95:>8.2f} {changes:>8}")
    worst = max(medians)
    verdict = "within" if worst <= TARGET_MS else "OVER"
    print()
    print(f"Slowest median {worst:.2f} ms: {verdict} the {TARGET_MS} ms target.")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
