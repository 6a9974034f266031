"""Default metric mappings: which published metric answers which question of a questionnaire
version, loaded from `seed/nof-metrics-v2.yaml` and edited in the admin.

A published dataset is loaded with mapping text ("OF0084 = WORK-4"); the defaults give
that text for the version in use, so an admin loading the NHS Oversight Framework's
quarterly file need not write it. Unverified defaults are written with a note line above
them (a line starting with #, which the reader ignores) so the admin sees which to check.

A mapping's question is checked against the questionnaire version it names: the version
in the database if there is one (published, draft or retired), otherwise the version's
seed file, so that mappings for an edition can be loaded before it is published.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from assessment import datasets, selectors
from assessment.models import MetricMapping, QuestionnaireVersion
from assessment.models_metrics import NOF
from assessment.scoring import definitions as d
from assessment.scoring.seed import questionnaire_from_seed

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"
METRICS_SEED = SEED_DIR / "nof-metrics-v2.yaml"

# Where the NHS Oversight Framework's files keep what (its CSV metadata file, NHS England):
# the metrics file is long, one row per trust and metric; the league table is wide.
NOF_LAYOUTS: dict[str, dict[str, str]] = {
    datasets.LONG: {
        "layout": datasets.LONG,
        "organisation_column": "Trust_code",
        "metric_column": "Metric_ID",
        "value_column": "Value",
    },
    datasets.WIDE: {"layout": datasets.WIDE, "organisation_column": "Trust_code"},
}
NOF_SOURCE = {
    "publisher": "NHS England",
    "title": "NHS Oversight Framework",
    "link": "https://www.england.nhs.uk/nhs-oversight-framework/segmentation-and-league-tables/",
}


class InvalidMetricMappings(ValueError):
    """A seed file with mappings that cannot be used; `messages` lists every one."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__(messages)


def questionnaire_questions(number: int) -> dict[str, d.Question] | None:
    """The questions of questionnaire version `number` by code: from the database if the
    version is there, else from its seed file; None if neither has it."""
    version = QuestionnaireVersion.objects.filter(number=number).first()
    if version is not None:
        definition = selectors.questionnaire_definition(version)
    else:
        path = SEED_DIR / f"questionnaire-v{number}.yaml"
        if not path.is_file():
            return None
        definition = questionnaire_from_seed(yaml.safe_load(path.read_text(encoding="utf-8")))
    return {question.code: question for question in definition.questions}


def metric_mapping_problem(
    *,
    version: int,
    question_code: str,
    conversion: str,
    metric_id: str = "",
    questions: Mapping[str, d.Question] | None = None,
) -> str | None:
    """Why a mapping cannot answer its question in questionnaire version `version`, or None.
    `questions` saves reading the version again when many mappings are checked."""
    if questions is None:
        questions = questionnaire_questions(version)
    if questions is None:
        return (
            f"There is no questionnaire version {version}, in the database or as a seed "
            "file. Map to a version that exists."
        )
    code = question_code.strip().upper()
    question = questions.get(code)
    if question is None:
        figures = [code for code, item in questions.items() if item.answered_by == d.FIGURE]
        codes = ", ".join(figures[:6])
        return (
            f"There is no question {question_code.strip()!r} in questionnaire version "
            f"{version}. Use one of its question codes, such as {codes}."
        )
    mapping = datasets.MetricMapping(metric=metric_id, question=code, conversion=conversion)
    problem = datasets.mapping_problem(mapping, question)
    return None if problem is None else problem[:1].upper() + problem[1:]


@transaction.atomic
def metric_mappings_seed_load(path: Path = METRICS_SEED) -> int:
    """Load the seed file's mappings that are not in the database yet; returns how many.

    A mapping already there (the same framework, version, layout and metric) is left as
    it is, with any edit an admin made. Every mapping is checked against its questionnaire
    version first; raises InvalidMetricMappings listing every problem, writing nothing.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    framework = data.get("framework", NOF)
    version = int(data["questionnaire_version"])
    questions = questionnaire_questions(version)
    messages = []
    for entry in data["mappings"]:
        problem = metric_mapping_problem(
            version=version,
            question_code=entry["question"],
            conversion=entry.get("conversion", datasets.AS_IS),
            metric_id=entry["metric"],
            questions=questions,
        )
        if problem is not None:
            messages.append(f"{path.name}, {entry['metric']} = {entry['question']}: {problem}")
    if messages:
        raise InvalidMetricMappings(messages)
    created = 0
    for entry in data["mappings"]:
        _, made = MetricMapping.objects.get_or_create(
            framework=framework,
            questionnaire_version=version,
            layout=entry.get("layout", datasets.LONG),
            metric_id=entry["metric"],
            defaults={
                "metric_name": entry.get("name", ""),
                "question_code": entry["question"].upper(),
                "conversion": entry.get("conversion", datasets.AS_IS),
                "unit": entry.get("unit", ""),
                "verified": bool(entry["verified"]),
                "note": " ".join(str(entry.get("note", "")).split()),
            },
        )
        created += made
    return created


def metric_mappings_text(*, version: int, layout: str = datasets.LONG, framework: str = NOF) -> str:
    """The default mappings of a version as a dataset's mapping text, one a line. An
    unverified mapping has a note line above it, which the reader ignores."""
    lines = []
    for mapping in MetricMapping.objects.filter(
        framework=framework, questionnaire_version=version, layout=layout
    ).order_by("question_code"):
        if not mapping.verified:
            lines.append(
                f"# {mapping.metric_id}: not verified against the publisher's metadata; "
                "check the file's description of it"
            )
        lines.append(mapping.line)
    return "".join(f"{line}\n" for line in lines)


def nof_dataset_initial(*, version: int, layout: str = datasets.LONG) -> dict[str, Any]:
    """What the admin's form for loading an NHS Oversight Framework file starts with: the
    publisher, the file's columns and the default mappings for questionnaire `version`."""
    return {
        **NOF_SOURCE,
        **NOF_LAYOUTS[layout],
        "mappings": metric_mappings_text(version=version, layout=layout),
    }


def published_dataset_initial() -> dict[str, Any]:
    """The loading form's starting values while a questionnaire version with default
    mappings is published: those of the framework's long metrics file. Empty otherwise."""
    version = selectors.questionnaire_published_or_none()
    if (
        version is None
        or not MetricMapping.objects.filter(
            questionnaire_version=version.number, layout=datasets.LONG
        ).exists()
    ):
        return {}
    return nof_dataset_initial(version=version.number)
