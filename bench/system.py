"""Time the system view (method section 11) on 200 sharing trusts.

Run from the project root: python bench/system.py [runs]
The trusts are generated from a fixed seed: verdicts spread over all four, locations across
England, fits for every v1 form with some ruled out, and CHANGE levels with some missing.
`propose` then weighs every supporter against every trust in need and every pair of trusts
for a peer partnership. Prints the median and 95th percentile with the Python version and
CPU. The target is a median of at most 200 ms on one core.
"""

from __future__ import annotations

import datetime
import platform
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assessment.scoring.definitions import VERDICT_LABELS  # noqa: E402  (path set above)
from assessment.scoring.system import (  # noqa: E402
    FormInfo,
    SharedDomain,
    SharedFit,
    SharedResult,
    SystemTrust,
    propose,
)

TARGET_MS = 200.0
TRUSTS = 200
SEED = 20260331
DOMAINS = (
    ("QUAL", "Quality and safety", 25),
    ("FIN", "Financial sustainability", 20),
    ("WORK", "Workforce", 20),
    ("LEAD", "Leadership and governance", 15),
    ("PERF", "Operational performance", 10),
    ("SCALE", "Scale and clinical service viability", 10),
)
VERDICT_SPREAD = (
    ("sustainable-lead", 20),
    ("sustainable-collaborate", 30),
    ("at-risk", 30),
    ("unsustainable", 20),
)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def v1_forms() -> list[FormInfo]:
    data = yaml.safe_load((ROOT / "models_catalogue/seed/catalogue-v1.yaml").read_text())
    return [
        FormInfo(
            slug=form["slug"],
            name=form["name"],
            role=form["role"],
            risk_note=" ".join(str(form.get("risks", "")).split()),
            approvals=form.get("approvals", ""),
            months_min=form["months"][0],
            months_max=form["months"][1],
        )
        for form in data["forms"]
    ]


def level(rng: random.Random) -> int | None:
    return None if rng.random() < 0.1 else rng.randint(1, 4)


def trust(rng: random.Random, number: int, slugs: list[str]) -> SystemTrust:
    code = f"R{number:03d}"
    verdict = rng.choices(
        [code for code, _ in VERDICT_SPREAD], [weight for _, weight in VERDICT_SPREAD]
    )[0]
    ruled_out = tuple(slug for slug in slugs if rng.random() < 0.15)
    fits = {
        slug: Decimal(rng.randint(2000, 9500)).scaleb(-2) for slug in slugs if slug not in ruled_out
    }
    ranked = sorted(fits, key=lambda slug: (-fits[slug], slug))
    result = SharedResult(
        trust_code=code,
        trust_name=f"Trust {number}",
        questionnaire_version=1,
        catalogue_version=1,
        submitted_on=datetime.date(2026, 3, 31),
        verdict=verdict,
        verdict_label=VERDICT_LABELS[verdict],
        index=Decimal(rng.randint(200, 950)).scaleb(-1),
        domains=tuple(
            SharedDomain(domain, name, Decimal(weight), True, Decimal(rng.randint(0, 1000)) / 10)
            for domain, name, weight in DOMAINS
        ),
        ranking=tuple(
            SharedFit(slug, rank, fits[slug], rng.random() < 0.1)
            for rank, slug in enumerate(ranked, start=1)
        ),
        ruled_out=ruled_out,
        levels=tuple((question, level(rng)) for question in ("CHANGE-1", "CHANGE-2", "CHANGE-4")),
    )
    location = (
        None
        if rng.random() < 0.05
        else (
            Decimal(rng.randint(5020, 5490)).scaleb(-2),
            Decimal(rng.randint(-450, 150)).scaleb(-2),
        )
    )
    return SystemTrust(code, result.trust_name, location, result)


def main(runs: int) -> None:
    forms = v1_forms()
    rng = random.Random(SEED)
    trusts = [trust(rng, number, [form.slug for form in forms]) for number in range(TRUSTS)]
    print(f"Python {platform.python_version()} ({platform.python_implementation()})")
    print(f"CPU    {cpu_model()}")
    print(f"Runs   {runs}, after 3 warm-up runs; {TRUSTS} trusts; target median <= {TARGET_MS} ms")
    for _ in range(3):
        proposals = propose(trusts, forms)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        proposals = propose(trusts, forms)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    print()
    print(
        f"{len(proposals.candidates)} candidates, "
        f"{sum(standing.in_need for standing in proposals.trusts)} in need: "
        f"{len(proposals.pairings)} pairings, {len(proposals.partnerships)} partnerships, "
        f"{len(proposals.not_proposed)} not proposed"
    )
    print(f"{'median ms':>10} {'p95 ms':>8}")
    print(f"{median:>10.2f} {p95:>8.2f}")
    verdict = "within" if median <= TARGET_MS else "OVER"
    print()
    print(f"Median {median:.2f} ms: {verdict} the {TARGET_MS} ms target.")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
