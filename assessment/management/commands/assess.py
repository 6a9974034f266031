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
from assessment.scoring.checks import check_catalogue
from assessment.scoring.serialise import result_to_dict
from assessment.services import answers_evaluate, definitions_load
from assessment.services.papers import paper_for_file
from models_catalogue.models import CatalogueVersion
from models_catalogue.versioning import Version, VersionStatus


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


def _version(model: type[Version], what: str, number: int | None) -> Any:
    """Version `number` of the questionnaire or catalogue (`what`), or the published one;
    raises DoesNotExist naming the versions there are."""
    versions = model.objects.order_by("number")
    if number is None:
        published = versions.filter(status=VersionStatus.PUBLISHED).first()
        if published is None:
            raise model.DoesNotExist(
                f"No {what} is published. Run `manage.py seed` to load version 1."
            )
        return published
    found = versions.filter(number=number).first()
    if found is None:
        listed = ", ".join(f"{version.number} ({version.status})" for version in versions)
        raise model.DoesNotExist(
            f"There is no {what} version {number}. The {what} versions are: "
            f"{listed or 'none; run `manage.py seed` to load version 1'}."
        )
    return found


class Command(BaseCommand):
    help = (
        "Score an answers file (JSON or YAML, answers keyed by question code) against the "
        "published questionnaire and catalogue, or the versions named, and print the full "
        "result."
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
        parser.add_argument(
            "--questionnaire-version",
            type=int,
            metavar="N",
            help="Score against questionnaire version N (default: the published one).",
        )
        parser.add_argument(
            "--catalogue-version",
            type=int,
            metavar="N",
            help="Rank against catalogue version N (default: the published one).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        raw = read_answers(options["answers_file"])
        try:
            questionnaire = _version(
                QuestionnaireVersion, "questionnaire", options["questionnaire_version"]
            )
            catalogue = _version(CatalogueVersion, "catalogue", options["catalogue_version"])
            definitions = definitions_load(questionnaire=questionnaire, catalogue=catalogue)
        except (QuestionnaireVersion.DoesNotExist, CatalogueVersion.DoesNotExist) as error:
            raise CommandError(str(error), returncode=2) from error
        except DatabaseError as error:
            raise CommandError(
                f"The database is not ready ({error}). Run `manage.py migrate` and "
                "`manage.py seed` first.",
                returncode=2,
            ) from error
        self.stderr.write(
            f"Using questionnaire version {questionnaire.number} ({questionnaire.status}) and "
            f"catalogue version {catalogue.number} ({catalogue.status})."
        )
        mismatch = check_catalogue(definitions.catalogue, definitions.questionnaire)
        if mismatch:
            listed = "\n".join(f"  {problem}" for problem in mismatch)
            raise CommandError(
                f"Catalogue version {catalogue.number} does not fit questionnaire version "
                f"{questionnaire.number}; choose versions made for each other with "
                f"--questionnaire-version and --catalogue-version:\n{listed}",
                returncode=2,
            )
        removed = [code for code in raw if code in questionnaire.removed_codes]
        if removed:
            earlier = (
                QuestionnaireVersion.objects.filter(number__lt=questionnaire.number)
                .values_list("number", flat=True)
                .order_by("-number")
                .first()
            )
            one = len(removed) == 1
            raise CommandError(
                f"{', '.join(removed)} {'was' if one else 'were'} removed in questionnaire "
                f"version {questionnaire.number}: {'its answer' if one else 'their answers'} "
                "cannot be scored against it. Score the file against the version it was "
                f"written for, with --questionnaire-version {earlier or 'N'}, or drop "
                f"{'that answer' if one else 'those answers'} from {options['answers_file']}.",
                returncode=2,
            )
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
