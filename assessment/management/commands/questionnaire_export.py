from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.models import QuestionnaireVersion
from assessment.services.questionnaire_documents import questionnaire_export


class Command(BaseCommand):
    help = "Write a questionnaire version as JSON (the shape `questionnaire_import` reads)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("version", type=int, help="The version number, like 1.")
        parser.add_argument(
            "-o", "--output", type=Path, help="File to write; standard output if omitted."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        version = QuestionnaireVersion.objects.filter(number=options["version"]).first()
        if version is None:
            numbers = ", ".join(
                str(n)
                for n in QuestionnaireVersion.objects.order_by("number").values_list(
                    "number", flat=True
                )
            )
            wanted = options["version"]
            raise CommandError(
                f"There is no questionnaire version {wanted}. Versions: {numbers or 'none'}."
            )
        document = questionnaire_export(version=version)
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
            self.stderr.write(
                f"Wrote questionnaire version {version.number} to {options['output']}."
            )
        else:
            self.stdout.write(text, ending="")
