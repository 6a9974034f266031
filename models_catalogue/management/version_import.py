"""The base of the `<kind>_import` commands: a JSON file becomes a new draft version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.uploads import problems_listed
from models_catalogue.versioned_documents import DocumentError, DocumentKind


class VersionImportCommand(BaseCommand):
    """Reads the file whole and imports it as a new draft; any problem exits with status 2,
    listing what to fix, and nothing is written."""

    # Set by subclasses.
    document_kind: DocumentKind
    max_bytes: int | None  # a larger file is refused before it is read; None reads any size

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help = (
            f"Import a {self.document_kind.name} JSON file as a new draft version. The file is "
            "checked whole; nothing is written unless every part of it is valid."
        )

    def import_document(self, data: Any) -> Any:
        """A new draft from the document's data; raises DocumentError or ValidationError."""
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        export = f"{self.document_kind.name}_export"
        parser.add_argument("file", type=Path, help=f"A file written by `{export}`.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        name = self.document_kind.name
        try:
            if self.max_bytes is not None and path.stat().st_size > self.max_bytes:
                raise CommandError(
                    f"{path} is larger than {self.max_bytes // (1024 * 1024)} MB, so it is not "
                    f"a {name} export. Check the file.",
                    returncode=2,
                )
            version = self.import_document(self.document_kind.read_json(path.read_bytes()))
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
                f"Imported {path} as {name} version {version.number}, a draft. "
                "Check it in the admin, then publish it."
            )
        )
