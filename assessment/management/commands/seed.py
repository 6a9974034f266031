from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from assessment.services import questionnaire_seed_load
from models_catalogue.services import catalogue_seed_load


class Command(BaseCommand):
    help = (
        "Load the seed questionnaire and catalogue as published version 1 of each. "
        "Safe to run again: a version 1 that exists is left as it is."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for label, load in (
            ("questionnaire", questionnaire_seed_load),
            ("catalogue", catalogue_seed_load),
        ):
            version = load()
            if options["verbosity"] < 1:
                continue
            if version is None:
                self.stdout.write(f"The {label} already has a version 1; left unchanged.")
            else:
                self.stdout.write(self.style.SUCCESS(f"Loaded {label} version 1 (published)."))
