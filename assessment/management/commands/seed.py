from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from assessment.services import questionnaire_seed_load
from assessment.services.metrics import metric_mappings_seed_load
from assessment.services.published import questionnaire_published_definition
from assessment.services.questionnaire_documents import questionnaire_edition_load
from models_catalogue.services import catalogue_edition_load, catalogue_seed_load

# The editions the project ships: 1 (2014) and 2 (the 2026 edition).
EDITIONS = 2


class Command(BaseCommand):
    help = (
        "Load the questionnaire and catalogue editions the project ships, each published the "
        "way an admin would publish it: version 1, then the 2026 edition (version 2), which "
        "retires version 1 and keeps it for the assessments pinned to it; then the default "
        "mappings from the NHS Oversight Framework's metrics to version 2's figures. Safe to "
        "run again: a version that exists is left as it is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--up-to",
            type=int,
            default=EDITIONS,
            choices=range(1, EDITIONS + 1),
            help=f"Load the editions up to this one (default {EDITIONS}, all of them).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        self._report("questionnaire", 1, questionnaire_seed_load(), verbosity)
        # The catalogue's codes are checked against the questionnaire new assessments use.
        questionnaire = questionnaire_published_definition()
        self._report("catalogue", 1, catalogue_seed_load(questionnaire=questionnaire), verbosity)
        if options["up_to"] < 2:
            return
        with transaction.atomic():
            # The questionnaire of the 2026 edition drops questions the catalogue of 2014
            # weighs, so the two are published together: the catalogue, checked against the
            # new questionnaire, just before the questionnaire itself.
            published = questionnaire_edition_load(
                number=2,
                publish_catalogue=lambda definition: catalogue_edition_load(
                    number=2, questionnaire=definition
                ),
            )
        self._report("questionnaire and catalogue", 2, published, verbosity)
        added = metric_mappings_seed_load()
        if verbosity >= 1 and added:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {added} default mappings from NHS Oversight Framework metrics "
                    "to questionnaire version 2."
                )
            )

    def _report(self, label: str, number: int, version: Any, verbosity: int) -> None:
        if verbosity < 1:
            return
        if version is None:
            self.stdout.write(f"The {label} already has a version {number}; left unchanged.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Loaded {label} version {number} (published)."))
