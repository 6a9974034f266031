"""Time the PDF board paper for each persona on the seed content.

Run from the project root: python bench/pdf.py [runs]
Each persona is evaluated once (sensitivity included) and given a full appendix: all 42
agreed answers, several divergent with a rationale, several with members' evidence notes.
The paper is first rendered once with no layout remembered from an earlier paper (the
"first ms" column: a paper whose text the process has not laid out before), then a few
times to warm up, then `runs` times (50 by default); the median and 95th percentile of the
elapsed time are printed, with the median CPU time of
the process (steadier than elapsed time on a shared machine), the page count, the PDF's
size and the peak memory of one render traced with tracemalloc, beside the Python
version, CPU and load average. The target is a median of at most 50 ms. Needs no Django
settings and no database.
"""

from __future__ import annotations

import io
import os
import platform
import statistics
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402  (the path above must be set first)

from assessment.reports.paper import (  # noqa: E402
    AgreedRow,
    BoardPaper,
    CoverSheet,
    MemberAnswer,
)
from assessment.reports.pdf import board_paper_pdf  # noqa: E402
from assessment.reports.pdf.blocks import forget_layouts  # noqa: E402
from assessment.scoring import (  # noqa: E402
    MethodSettings,
    Result,
    definitions_from_seed,
    evaluate,
    parse_answers,
)

TARGET_MS = 50.0
WARM_UP = 5
MEMBERS = ("Chair", "Chief executive", "Finance director", "Medical director", "NED (audit)")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def catalogue_with_risks() -> dict[str, object]:
    """The seed catalogue, its `risks` texts carried as each form's risk note, as the
    catalogue the site publishes carries them, so the paper prints them as it will."""
    data = yaml.safe_load((ROOT / "models_catalogue/seed/catalogue-v1.yaml").read_text())
    for form in data["forms"]:
        form.setdefault("risk_note", form.get("risks", ""))
    return data


def agreed_rows(result: Result) -> tuple[AgreedRow, ...]:
    """Every question as an agreed answer, sectioned by domain; every fifth divergent with
    a rationale, every third with evidence notes from two members."""
    sections = {domain.code: domain.name for domain in result.domains}
    rows = []
    for number, question in enumerate(result.questions):
        divergent = number % 5 == 2
        members = tuple(
            MemberAnswer(
                name=name,
                label=question.answer_label,
                note=(
                    f"From the integrated performance report & the {question.code} "
                    "board assurance framework entry; checked against the latest return."
                    if number % 3 == 0 and position < 2
                    else ""
                ),
            )
            for position, name in enumerate(MEMBERS)
        )
        rows.append(
            AgreedRow(
                code=question.code,
                section=sections.get(question.domain, question.domain),
                question=question.text,
                label=question.answer_label,
                rationale=(
                    "The board took the lower answer: the most recent figures are not yet "
                    "audited and the trend over the year is worsening."
                    if divergent
                    else ""
                ),
                divergent=divergent,
                members=members,
            )
        )
    return tuple(rows)


def paper_for(name: str, result: Result) -> BoardPaper:
    return BoardPaper(
        trust_name=f"{name.replace('-', ' ').title()} NHS Foundation Trust",
        ods_code="RXX",
        title="Sustainability assessment 2026/27",
        reporting_period="2026/27",
        paper_date=date(2026, 11, 23),
        status="Submitted",
        draft=False,
        respondents=len(MEMBERS),
        result=result,
        agreed=agreed_rows(result),
        # A cover sheet as a lead fills it in on the submit page.
        cover=CoverSheet(
            title="Assessment of the trust's sustainability, 2026/27",
            meeting="Board of directors, meeting in public",
            meeting_date=date(2027, 3, 12),
            agenda_item="8.2",
            report_of="Dr Ama Mensah, Director of Strategy",
            prepared_by="Jo Lee, Head of Strategy and Planning",
            purpose="For decision",
            recommendation="The board should start an appraisal of alternative organisational "
            "forms now, beginning with the three that fit best, and report back in June.",
            board_asked_to="Note the verdict and the rule that decided it; discuss the three "
            "best-fitting organisational forms and their risks; and agree the next steps.",
            strategic_objectives="SO3: sustainable services for our population.",
            assurance_framework="BAF 4: clinical workforce; BAF 7: financial sustainability.",
            risks="Partners may not agree the scope of the appraisal in time.",
        ),
    )


def main(runs: int) -> None:
    questionnaire, catalogue = definitions_from_seed(
        yaml.safe_load((ROOT / "assessment/seed/questionnaire-v1.yaml").read_text()),
        catalogue_with_risks(),
    )
    settings = MethodSettings()
    print(f"Python {platform.python_version()} ({platform.python_implementation()})")
    print(f"CPU    {cpu_model()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    print(
        f"Runs   {runs} per persona, after {WARM_UP} warm-up renders; "
        f"target median <= {TARGET_MS:.0f} ms"
    )
    print()
    print(
        f"{'persona':<24} {'first ms':>9} {'median ms':>10} {'p95 ms':>8} {'cpu ms':>7} "
        f"{'pages':>6} {'KiB':>6} {'peak MiB':>9} {'answers':>8}"
    )
    medians = []
    for path in sorted((ROOT / "tests/personas").glob("*.yaml")):
        persona = yaml.safe_load(path.read_text())
        answers = parse_answers(questionnaire, persona["answers"])
        result = evaluate(questionnaire, catalogue, settings, answers, sensitivity=True)
        paper = paper_for(path.stem, result)
        forget_layouts()
        start = time.perf_counter()
        board_paper_pdf(paper)
        first = (time.perf_counter() - start) * 1000
        for _ in range(WARM_UP):
            pdf = board_paper_pdf(paper)
        timings, cpu = [], []
        for _ in range(runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            pdf = board_paper_pdf(paper)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        tracemalloc.start()
        board_paper_pdf(paper)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        timings.sort()
        median = statistics.median(timings)
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        medians.append(median)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(
            f"{path.stem:<24} {first:>9.2f} {median:>10.2f} {p95:>8.2f} "
            f"{statistics.median(cpu):>7.2f} {pages:>6} {len(pdf) / 1024:>6.1f} "
            f"{peak / 2**20:>9.2f} {len(paper.agreed):>8}"
        )
    worst = max(medians)
    verdict = "within" if worst <= TARGET_MS else "OVER"
    print()
    print(f"Slowest median {worst:.2f} ms: {verdict} the {TARGET_MS:.0f} ms target.")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
