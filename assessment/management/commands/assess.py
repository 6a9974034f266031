from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from assessment.models import QuestionnaireVersion
from assessment.reports.pdf import board_paper_pdf
from assessment.reports.text import result_text
from assessment.scoring.answers import InvalidAnswers, validate_answers
from assessment.scoring.serialise import result_to_dict
from assessment.services import answers_evaluate, definitions_published
from assessment.services.papers import paper_for_file
from models_catalogue.models import CatalogueVersion


def read_answers(path: Path) -> dict[str, object]:
    """Answers keyed by question code, from JSON or YAML; a persona file's `answers` too."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise CommandError(f"There is no file at {path}.", returncode=2) from error
    except UnicodeDecodeError as error:
        raise CommandError(f"{path} is not a text file (UTF-8).", returncode=2) from error
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        kind = "JSON" if path.suffix.lower() == ".json" else "YAML"
        raise CommandError(f"{path} is not valid {kind}: {error}", returncode=2) from error
    if isinstance(data, dict) and isinstance(data.get("answers"), dict):
        data = data["answers"]
    if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
        raise CommandError(
            f'{path} must hold answers keyed by question code, like {{"QUAL-1": "good"}}.',
            returncode=2,
        )
    return data


class Command(BaseCommand):
    help = (
        "Score an answers file (JSON or YAML, answers keyed by question code) against the "
        "published questionnaire and catalogue, and print the full result."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("answers_file", type=Path)
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument(
            "--pdf",
            type=Path,
            metavar="FILE",
            help="Also write the board paper for these answers to FILE (marked as not from a "
            "recorded assessment).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        raw = read_answers(options["answers_file"])
        try:
            definitions = definitions_published()
        except (QuestionnaireVersion.DoesNotExist, CatalogueVersion.DoesNotExist) as error:
            raise CommandError(str(error), returncode=2) from error
        except DatabaseError as error:
            raise CommandError(
                f"The database is not ready ({error}). Run `manage.py migrate` and "
                "`manage.py seed` first.",
                returncode=2,
            ) from error
        problems = validate_answers(definitions.questionnaire, raw).problems
        if problems:
            listed = "\n".join(f"  {p.question}: {p.message}" for p in problems)
            raise CommandError(
                f"{options['answers_file']} has {len(problems)} problem(s); nothing was scored:\n"
                f"{listed}",
                returncode=2,
            )
        try:
            result = answers_evaluate(definitions=definitions, raw=raw)
        except InvalidAnswers as error:  # validated above; kept for safety
            raise CommandError(str(error), returncode=2) from error
        if options["pdf"]:
            paper = paper_for_file(
                result=result, name=options["answers_file"].name, today=timezone.localdate()
            )
            try:
                options["pdf"].write_bytes(board_paper_pdf(paper))
            except OSError as error:
                raise CommandError(
                    f"Could not write {options['pdf']}: {error}", returncode=2
                ) from error
            self.stderr.write(f"Wrote the board paper to {options['pdf']}.")
        if options["format"] == "json":
            self.stdout.write(json.dumps(result_to_dict(result), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(result_text(result), ending="")
