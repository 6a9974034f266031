from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from models_catalogue.models import CatalogueVersion
from models_catalogue.services import catalogue_export


class Command(BaseCommand):
    help = "Write a catalogue version as JSON (the shape `catalogue_import` reads)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("version", type=int, help="The version number, like 1.")
        parser.add_argument(
            "-o", "--output", type=Path, help="File to write; standard output if omitted."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        version = CatalogueVersion.objects.filter(number=options["version"]).first()
        if version is None:
            numbers = ", ".join(
                str(n) for n in CatalogueVersion.objects.values_list("number", flat=True)
            )
            wanted = options["version"]
            raise CommandError(
                f"There is no catalogue version {wanted}. Versions: {numbers or 'none'}."
            )
        text = json.dumps(catalogue_export(version=version), indent=2, ensure_ascii=False) + "\n"
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote catalogue version {version.number} to {options['output']}.")
        else:
            self.stdout.write(text, ending="")
