"""`manage.py assess`: an answers file in, the full result out, bad input explained."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.assessment.test_questionnaire_v2 import edition_2_publish
from tests.personas import load_persona, persona_paths, persona_v2_paths, unmet_expectations

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def run_assess(path: Path, *options: str, capsys) -> str:
    call_command("assess", str(path), *options)
    return capsys.readouterr().out


@pytest.mark.parametrize("path", persona_paths(), ids=lambda path: path.stem)
def test_each_persona_meets_its_expect_block_through_the_command(path: Path, capsys) -> None:
    data = json.loads(run_assess(path, "--format", "json", capsys=capsys))
    ranked = [form["slug"] for form in data["ranking"]]
    assert unmet_expectations(load_persona(path)["expect"], data["verdict"]["code"], ranked) == []


@pytest.mark.parametrize("path", persona_paths(), ids=lambda path: path.stem)
def test_text_output_has_every_section_of_the_result(path: Path, capsys) -> None:
    text = run_assess(path, capsys=capsys)
    data_text = run_assess(path, "--format", "json", capsys=capsys)
    data = json.loads(data_text)

    assert f"VERDICT: {data['verdict']['label']}" in text
    assert f"Decided by: {data['verdict']['rule']}"[:60] in text
    for heading in (
        "Domain scores",
        "Ranked menu of organisational forms",
        "Ruled out",
        "What would change our recommendation",
        "Missing evidence",
    ):
        assert f"\n{heading}\n" in text
    for domain in data["domains"]:
        if domain["scored"]:
            assert domain["name"] in text
    positions = [text.index(f". {form['name']}: fit ") for form in data["ranking"]]
    assert positions == sorted(positions), "the menu is printed in rank order"
    first = data["ranking"][0]
    assert first["explanation"]["reasons"][0]["sentence"][:50] in " ".join(text.split())
    for form in data["ruled_out"]:
        assert f"{form['name']}:" in text
        for reason in form["reasons"]:
            assert reason in text
    assert f"The top form is {data['sensitivity']['stability']}." in text


def test_json_output_is_the_whole_result(capsys) -> None:
    data = json.loads(run_assess(persona_paths()[0], "--format", "json", capsys=capsys))
    assert {
        "verdict",
        "index",
        "domains",
        "ranking",
        "ruled_out",
        "sensitivity",
        "missing",
        "questionnaire_version",
        "catalogue_version",
    } <= set(data)
    assert data["questionnaire_version"] == 1
    assert data["catalogue_version"] == 1


def test_a_bare_mapping_of_answers_in_json_is_read_too(tmp_path: Path, capsys) -> None:
    answers = load_persona(persona_paths()[2])["answers"]
    target = tmp_path / "answers.json"
    target.write_text(json.dumps(answers))
    data = json.loads(run_assess(target, "--format", "json", capsys=capsys))
    assert data["verdict"]["code"] == "sustainable-lead"


def test_partial_answers_give_a_provisional_verdict_listing_missing_evidence(
    tmp_path: Path, capsys
) -> None:
    target = tmp_path / "partial.yaml"
    target.write_text(yaml.safe_dump({"QUAL-1": "good", "FIN-1": 0.5, "WORK-3": "dk"}))
    text = run_assess(target, capsys=capsys)
    assert "(provisional)" in text
    assert "WORK-3 (don't know)" in text
    assert "FIN-2 (not answered)" in text


# The figures of the seed questionnaire: left blank, they leave the strong persona with a
# provisional verdict, so the forms that need a confirmed verdict are to confirm.
TENTH = Decimal("0.1")
FIGURES = (
    "QUAL-4",
    *("FIN-1", "FIN-2", "FIN-3", "FIN-4", "FIN-5", "FIN-6"),
    *("WORK-1", "WORK-2", "WORK-4", "WORK-5"),
    *("PERF-1", "PERF-2", "PERF-3", "PERF-4"),
    *("SCALE-1", "SCALE-2", "SCALE-3"),
)


def _figures_blank(tmp_path: Path) -> Path:
    answers = load_persona(persona_paths()[2])["answers"]
    target = tmp_path / "figures-blank.yaml"
    target.write_text(
        yaml.safe_dump({code: value for code, value in answers.items() if code not in FIGURES})
    )
    return target


def test_forms_to_confirm_keep_their_place_by_fit_in_the_json_output(
    tmp_path: Path, capsys
) -> None:
    data = json.loads(run_assess(_figures_blank(tmp_path), "--format", "json", capsys=capsys))
    assert data["verdict"]["provisional"] is True
    ranking = data["ranking"]
    # Ranked by fit: the three forms that need a confirmed verdict come first, to confirm,
    # instead of after every confirmed form as before.
    assert [(form["slug"], form["conditional"]) for form in ranking[:4]] == [
        ("offer-support", True),
        ("extend-service-chain", True),
        ("lead-group", True),
        ("standalone", False),
    ]
    fits = [Decimal(form["fit"]).quantize(TENTH, ROUND_HALF_UP) for form in ranking]
    assert fits == sorted(fits, reverse=True)
    (awaiting,) = ranking[0]["to_confirm"]
    assert awaiting["on_verdict"] is True
    assert [missing["question"] for missing in awaiting["missing"]] == list(FIGURES)
    assert ranking[3]["to_confirm"] == []


def test_forms_to_confirm_are_marked_with_the_questions_that_would_settle_them(
    tmp_path: Path, capsys
) -> None:
    text = run_assess(_figures_blank(tmp_path), capsys=capsys)
    start, end = text.index("\nRanked menu of organisational forms\n"), text.index("\nRuled out\n")
    menu = text[start:end]
    firsts = [line for line in menu.splitlines() if ". " in line and ": fit " in line]
    # Ranked by fit: the forms to confirm first, marked, each with what it awaits.
    assert firsts[0].startswith("   1. Support another provider")
    assert firsts[0].endswith(" (to confirm)")
    assert firsts[3].startswith("   4. Stay standalone")
    assert not firsts[3].endswith(" (to confirm)")
    entry = menu[menu.index("   1. Support another provider") : menu.index("   2. ")]
    flat = " ".join(entry.split())
    assert "To confirm: A trust must itself be sustainable before it supports others." in flat
    assert "- FIN-1: What is the trust's underlying income and expenditure position" in flat
    assert "- SCALE-3: " in entry
    assert "CHANGE-4" not in entry


def test_every_problem_is_listed_with_its_code_and_reason(tmp_path: Path) -> None:
    target = tmp_path / "bad.yaml"
    target.write_text(
        yaml.safe_dump(
            {
                "QUAL-99": "good",
                "QUAL-1": "excellent",
                "FIN-1": 75,
                "FIN-2": "two",
                "WORK-3": 7,
                "QUAL-4": "na",
            }
        )
    )
    with pytest.raises(CommandError) as error:
        call_command("assess", str(target))
    message = str(error.value)
    assert error.value.returncode == 2
    assert "6 problem(s); nothing was scored" in message
    for code in ("QUAL-99", "QUAL-1", "FIN-1", "FIN-2", "WORK-3", "QUAL-4"):
        assert f"  {code}: " in message, code
    assert "between -60 and 60" in message  # FIN-1's bounds are stated
    assert "outstanding" in message  # QUAL-1's options are listed


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2, 3]", "must hold answers keyed by question code"),
        ("QUAL-1: [unclosed", "is not valid YAML"),
    ],
)
def test_files_of_the_wrong_shape_are_explained(tmp_path: Path, content: str, message: str) -> None:
    target = tmp_path / "answers.yaml"
    target.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("assess", str(target))


def _manage(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"},
    )


def test_bad_input_exits_with_status_2_and_no_traceback(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    target = tmp_path / "bad.json"
    target.write_text(json.dumps({"QUAL-1": "excellent", "FIN-9": 1}))

    unready = _manage("assess", str(target), database=database)
    assert unready.returncode == 2
    assert "Traceback" not in unready.stderr
    assert "Run `manage.py migrate` and `manage.py seed` first" in unready.stderr

    assert _manage("migrate", "-v0", database=database).returncode == 0
    assert _manage("seed", database=database).returncode == 0
    result = _manage("assess", str(target), database=database)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "QUAL-1: " in result.stderr
    assert "FIN-9: " in result.stderr
    assert result.stdout == ""


def test_pdf_option_writes_the_board_paper_marked_as_not_recorded(tmp_path: Path, capsys) -> None:
    import io

    from pypdf import PdfReader

    target = tmp_path / "paper.pdf"
    path = persona_paths()[2]
    data = json.loads(run_assess(path, "--format", "json", "--pdf", str(target), capsys=capsys))
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Not from a recorded assessment" in text
    assert data["verdict"]["label"] in text
    assert " ".join(data["ranking"][0]["name"].split()) in text


# --------------------------------------------------------------------------- versions


def test_it_says_which_versions_it_used(capsys) -> None:
    call_command("assess", str(persona_paths()[0]), "--format", "json")
    captured = capsys.readouterr()
    assert "Using questionnaire version 1 (published) and catalogue version 1 (published)." in (
        captured.err
    )
    assert json.loads(captured.out)["questionnaire_version"] == 1  # stdout stays the result


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (
            "--questionnaire-version",
            "There is no questionnaire version 7. The questionnaire versions are: 1 (published).",
        ),
        (
            "--catalogue-version",
            "There is no catalogue version 7. The catalogue versions are: 1 (published).",
        ),
    ],
)
def test_an_unknown_version_is_refused_listing_the_versions_there_are(
    option: str, message: str
) -> None:
    with pytest.raises(CommandError) as error:
        call_command("assess", str(persona_paths()[0]), option, "7")
    assert error.value.returncode == 2
    assert str(error.value) == message


@pytest.fixture
def edition_2_published() -> None:
    assert edition_2_publish() is not None


@pytest.mark.usefixtures("edition_2_published")
def test_answers_to_removed_questions_are_refused_naming_them_and_the_way_out(
    capsys,
) -> None:
    path = ROOT / "tests/personas/collaborative-mid.yaml"
    with pytest.raises(CommandError) as error:
        call_command("assess", str(path))
    assert error.value.returncode == 2
    assert str(error.value) == (
        "FIN-3, FIN-5, WORK-5, PERF-4, SYS-4 were removed in questionnaire version 2: their "
        "answers cannot be scored against it. Score the file against the version it was "
        "written for, with --questionnaire-version 1, or drop those answers from "
        f"{path}."
    )
    assert "Using questionnaire version 2 (published)" in capsys.readouterr().err


@pytest.mark.usefixtures("edition_2_published")
def test_one_removed_answer_is_named_alone(tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    target.write_text(yaml.safe_dump({"QUAL-1": "good", "FIN-3": 2}))
    with pytest.raises(CommandError, match=r"^FIN-3 was removed in questionnaire version 2: its "):
        call_command("assess", str(target))


@pytest.mark.usefixtures("edition_2_published")
@pytest.mark.parametrize("path", persona_paths(), ids=lambda path: path.stem)
def test_version_1_personas_still_meet_their_expect_blocks_on_version_1(path: Path, capsys) -> None:
    data = json.loads(
        run_assess(
            path,
            "--format",
            "json",
            "--questionnaire-version",
            "1",
            "--catalogue-version",
            "1",
            capsys=capsys,
        )
    )
    assert (data["questionnaire_version"], data["catalogue_version"]) == (1, 1)
    ranked = [form["slug"] for form in data["ranking"]]
    ruled_out = [form["slug"] for form in data["ruled_out"]]
    expect = load_persona(path)["expect"]
    assert unmet_expectations(expect, data["verdict"]["code"], ranked, ruled_out) == []


@pytest.mark.usefixtures("edition_2_published")
def test_a_catalogue_that_does_not_fit_the_questionnaire_is_refused() -> None:
    path = persona_v2_paths()[0]
    with pytest.raises(CommandError) as error:
        call_command(
            "assess", str(path), "--questionnaire-version", "2", "--catalogue-version", "1"
        )
    message = str(error.value)
    assert message.startswith(
        "Catalogue version 1 does not fit questionnaire version 2; choose versions made for "
        "each other"
    )
    assert "SYS-4" in message


@pytest.mark.usefixtures("edition_2_published")
@pytest.mark.parametrize("path", persona_v2_paths(), ids=lambda path: path.stem)
def test_2026_personas_meet_their_expect_blocks_through_the_command(path: Path, capsys) -> None:
    data = json.loads(run_assess(path, "--format", "json", capsys=capsys))
    assert (data["questionnaire_version"], data["catalogue_version"]) == (2, 2)
    ranked = [form["slug"] for form in data["ranking"]]
    ruled_out = [form["slug"] for form in data["ruled_out"]]
    expect = load_persona(path)["expect"]
    assert unmet_expectations(expect, data["verdict"]["code"], ranked, ruled_out) == []
