"""A catalogue import that Python cannot read whole (nested too deep, or a number of more
than 4,300 digits) is refused with the import's problem list, in the admin and by the
command; a long problem list shows the first 50 and counts the rest."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from assessment.scoring import definitions as d
from models_catalogue import services
from models_catalogue.documents import DocumentError, document_from_json
from models_catalogue.models import CatalogueVersion
from models_catalogue.versioned_documents import MAX_DEPTH
from tests.conftest import verified_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
IMPORT = "/admin/models_catalogue/catalogueversion/import/"

DEEP = b"[" * 100_000 + b"]" * 100_000
DIGITS = b'{"forms": [], "method": {"lead_index": ' + b"9" * 5000 + b"}}"
# Readable by Python, but deeper than any catalogue: quoting it in a problem once ran out
# of stack.
NESTED = b'{"forms": [{"slug": ' + b"[" * 880 + b"]" * 880 + b"}]}"
# Every form empty: a dozen problems each.
MANY_PROBLEMS = json.dumps({"forms": [{} for _ in range(100)]}).encode()

UNREADABLE = [
    pytest.param(DEEP, "nests lists or objects more than 10 levels deep", id="deep"),
    pytest.param(DIGITS, "a number of more than 4,300 digits", id="digits"),
    pytest.param(NESTED, "nests lists or objects more than 10 levels deep", id="nested"),
]


@pytest.fixture
def staff() -> Client:
    return verified_client(UserFactory(is_staff=True, is_superuser=True))


def _upload(client: Client, content: bytes) -> str:
    response = client.post(IMPORT, {"file": SimpleUploadedFile("catalogue.json", content)})
    assert response.status_code == 200
    return unescape(response.content.decode())


def _listed(html: str) -> list[str]:
    found = re.search(r'<ul id="import-problems">(.*?)</ul>', html, re.S)
    assert found, "the page lists no import problems"
    return re.findall(r"<li>(.*?)</li>", found.group(1), re.S)


@pytest.mark.parametrize(("content", "message"), UNREADABLE)
def test_the_admin_refuses_an_unreadable_file_with_a_reason(staff, content, message) -> None:
    html = _upload(staff, content)
    assert message in html
    assert CatalogueVersion.objects.count() == 1


@pytest.mark.parametrize(("content", "message"), UNREADABLE)
def test_the_command_refuses_an_unreadable_file_with_a_reason(
    tmp_path: Path, content, message
) -> None:
    target = tmp_path / "catalogue.json"
    target.write_bytes(content)
    with pytest.raises(CommandError) as error:
        call_command("catalogue_import", str(target))
    assert error.value.returncode == 2
    assert "Nothing was imported" in str(error.value)
    assert message in str(error.value)
    assert CatalogueVersion.objects.count() == 1


def test_a_catalogue_as_deep_as_the_limit_is_read() -> None:
    at_limit = b'{"forms": ' + b"[" * (MAX_DEPTH - 1) + b"]" * (MAX_DEPTH - 1) + b"}"
    assert document_from_json(at_limit)["forms"]
    with pytest.raises(DocumentError):
        document_from_json(b'{"forms": ' + b"[" * MAX_DEPTH + b"]" * MAX_DEPTH + b"}")


def test_the_admin_lists_the_first_50_problems_and_counts_them_all(
    staff, questionnaire: d.Questionnaire
) -> None:
    with pytest.raises(DocumentError) as error:
        services.catalogue_import(data=json.loads(MANY_PROBLEMS), questionnaire=questionnaire)
    total = len(error.value.problems)
    assert total > 1000
    html = _upload(staff, MANY_PROBLEMS)
    listed = _listed(html)
    assert f"The file has {total} problems" in html
    assert listed[:50] == error.value.problems[:50]
    assert listed[50:] == [f"and {total - 50:,} more problems"]
    assert CatalogueVersion.objects.count() == 1


def test_the_command_lists_the_first_50_problems_and_counts_them_all(tmp_path: Path) -> None:
    target = tmp_path / "catalogue.json"
    target.write_bytes(MANY_PROBLEMS)
    with pytest.raises(CommandError) as error:
        call_command("catalogue_import", str(target))
    lines = str(error.value).splitlines()
    total = int(re.search(r"has (\d+) problem", lines[0]).group(1))
    assert total > 1000
    assert len(lines) == 1 + 51
    assert lines[-1] == f"  - and {total - 50:,} more problems"


def test_a_setting_too_large_for_the_engine_to_check_is_refused(staff) -> None:
    document = services.catalogue_export(version=CatalogueVersion.objects.get(number=1))
    document["method"]["need_coefficient"] = "1e999999999"
    html = _upload(staff, json.dumps(document).encode())
    assert "need_coefficient must be from -1000 to 1000, not '1e999999999'" in html
    assert CatalogueVersion.objects.count() == 1


def test_a_long_value_is_shortened_in_its_problem(questionnaire: d.Questionnaire) -> None:
    with pytest.raises(DocumentError) as error:
        services.catalogue_import(
            data={"forms": [{"slug": ["x" * 100_000] * 10_000}]}, questionnaire=questionnaire
        )
    slug = next(p for p in error.value.problems if "'slug' must be text" in p)
    assert len(slug) < 300
