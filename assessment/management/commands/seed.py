from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from assessment.services import questionnaire_seed_load
from assessment.services.published import questionnaire_published_definition
from models_catalogue.services import catalogue_seed_load


class Command(BaseCommand):
    help = (
        "Load the seed questionnaire and catalogue as published version 1 of each. "
        "Safe to run again: a version 1 that exists is left as it is."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self._report("questionnaire", questionnaire_seed_load(), options["verbosity"])
        # The catalogue's codes are checked against the questionnaire new assessments use.
        questionnaire = questionnaire_published_definition()
        self._report(
            "catalogue", catalogue_seed_load(questionnaire=questionnaire), options["verbosity"]
        )

    def _report(self, label: str, version: Any, verbosity: int) -> None:
        if verbosity < 1:
            return
        if version is None:
            self.stdout.write(f"The {label} already has a version 1; left unchanged.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Loaded {label} version 1 (published)."))
