from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.services.questionnaire_documents import (
    MAX_DOCUMENT_BYTES,
    questionnaire_from_json,
    questionnaire_import,
)
from assessment.uploads import problems_listed
from models_catalogue.documents import DocumentError


class Command(BaseCommand):
    help = (
        "Import a questionnaire JSON file as a new draft version. The file is checked whole; "
        "nothing is written unless every part of it is valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="A file written by `questionnaire_export`.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            if path.stat().st_size > MAX_DOCUMENT_BYTES:
                raise CommandError(
                    f"{path} is larger than 2 MB, so it is not a questionnaire export. "
                    "Check the file.",
                    returncode=2,
                )
            version = questionnaire_import(document=questionnaire_from_json(path.read_bytes()))
        except FileNotFoundError as error:
            raise CommandError(f"There is no file at {path}.", returncode=2) from error
        except DocumentError as error:
            lines = "\n".join(f"  - {problem}" for problem in problems_listed(error.problems))
            raise CommandError(
                f"Nothing was imported. {path} has {len(error.problems)} problem(s):\n{lines}",
                returncode=2,
            ) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=2) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path} as questionnaire version {version.number}, a draft. "
                "Check it in the admin, then publish it."
            )
        )
