"""An import costs what its limits say: an oversize upload is refused before its body is
read, a file is read to at most 1,000 answers, and at most 50 problems are listed."""

from __future__ import annotations

import re
from html import unescape
from io import BytesIO
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test import Client
from django.test.client import BOUNDARY, FakePayload, encode_multipart

from assessment.forms import IMPORT_MAX_BYTES
from assessment.models import Answer
from assessment.uploads import CappedUploadHandler
from tests.assessment.conftest import client_for

pytestmark = pytest.mark.django_db

TWENTY_MB = 20 * 1024 * 1024
# Equal to the test client's own constant but not the same object, so that the client
# posts the body as it is instead of encoding it again.
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
TOO_LARGE = "The file must be 512 KB or smaller"


def _url(assessment) -> str:
    return f"/assessments/{assessment.pk}/response/import/"


def _body(name: str, content: bytes) -> bytes:
    return encode_multipart(BOUNDARY, {"file": SimpleUploadedFile(name, content)})


def _post_counting(client: Client, url: str, body: bytes):
    """Post `body`, and say how many of its bytes the server read."""
    payload = FakePayload(body)
    response = client.post(url, body, content_type=MULTIPART, **{"wsgi.input": payload})
    return response, len(body) - len(payload)


def _listed(html: str) -> list[str]:
    found = re.search(r'<ul[^>]*id="import-problems"[^>]*>(.*?)</ul>', html, re.S)
    assert found, "the page lists no import problems"
    return [unescape(item) for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]


def _csv(rows: int) -> bytes:
    return ("code,answer\n" + "".join(f"X{n},1\n" for n in range(rows))).encode()


def test_a_20_mb_upload_is_refused_before_any_of_its_body_is_read(assessment, board) -> None:
    body = _body("ledger.csv", b"code,answer\n" + b"X1,1\n" * (TWENTY_MB // 5))
    assert len(body) > TWENTY_MB
    response, read = _post_counting(client_for(board[0]), _url(assessment), body)
    assert response.status_code == 413
    assert TOO_LARGE in response.content.decode()
    assert read == 0
    assert not Answer.objects.filter(respondent__user=board[0].user).exists()


def test_without_the_length_check_the_upload_handler_stops_20_mb_at_the_limit(
    assessment, board
) -> None:
    # A body whose length was understated (a chunked request on ASGI) passes the length
    # check; the upload handler then stops reading once the file passes 512 KB.
    body = _body("ledger.csv", b"code,answer\n" + b"X1,1\n" * (TWENTY_MB // 5))
    with mock.patch("assessment.views.member.body_too_large", return_value=False):
        response, read = _post_counting(client_for(board[0]), _url(assessment), body)
    assert response.status_code == 413
    assert TOO_LARGE in response.content.decode()
    assert read < IMPORT_MAX_BYTES + 2 * CappedUploadHandler.chunk_size
    assert not Answer.objects.filter(respondent__user=board[0].user).exists()


def test_a_file_one_byte_over_the_limit_is_refused_and_not_kept() -> None:
    body = _body("answers.csv", b"x" * (IMPORT_MAX_BYTES + 1))
    handler = CappedUploadHandler(None, limit=IMPORT_MAX_BYTES)
    meta = {"CONTENT_TYPE": MULTIPART, "CONTENT_LENGTH": str(len(body))}
    _, files = MultiPartParser(meta, BytesIO(body), [handler]).parse()
    assert handler.stopped
    assert "file" not in files


def test_a_file_at_the_limit_is_read_in_memory() -> None:
    body = _body("answers.csv", b"x" * IMPORT_MAX_BYTES)
    handler = CappedUploadHandler(None, limit=IMPORT_MAX_BYTES)
    meta = {"CONTENT_TYPE": MULTIPART, "CONTENT_LENGTH": str(len(body))}
    _, files = MultiPartParser(meta, BytesIO(body), [handler]).parse()
    assert not handler.stopped
    assert files["file"].read() == b"x" * IMPORT_MAX_BYTES


def test_an_oversize_upload_still_needs_the_csrf_token_and_a_signed_in_member(
    assessment, board
) -> None:
    small = _body("answers.csv", b"code,answer\nWORK-3,2\n")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(board[0].user)
    assert strict.post(_url(assessment), small, content_type=MULTIPART).status_code == 403
    large = _body("ledger.csv", b"x" * TWENTY_MB)
    signed_out, read = _post_counting(Client(), _url(assessment), large)
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/sign-in/")
    assert read == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bad.csv", _csv(50_000)),
        ("bad.json", ("{" + ",".join(f'"{n}":1' for n in range(50_000)) + "}").encode()),
    ],
)
def test_a_file_of_50000_bad_rows_is_refused_with_a_count_not_a_list(
    assessment, board, name, content
) -> None:
    # How long it takes is measured by bench/imports.py, not here.
    assert len(content) <= IMPORT_MAX_BYTES
    client = client_for(board[0])
    response = client.post(_url(assessment), {"file": SimpleUploadedFile(name, content)})
    html = response.content.decode()
    assert "The file has 50,000 answers; a file of answers holds at most 1,000." in html
    assert len(html) < 100_000
    # No code from the file is echoed back (codes are whole words like X4; a random token
    # on the page, such as the CSRF token, may hold the letters X4 inside it).
    assert re.findall(r"(?<![\w-])X\d+(?![\w-])", html) == []


def test_only_the_first_50_problems_are_listed_then_a_count_of_the_rest(assessment, board) -> None:
    client = client_for(board[0])
    response = client.post(_url(assessment), {"file": SimpleUploadedFile("bad.csv", _csv(1000))})
    listed = _listed(response.content.decode())
    assert len(listed) == 51
    assert listed[0].startswith("X0: There is no question with the code 'X0'.")
    assert listed[-1] == "and 950 more problems"
    assert not Answer.objects.filter(respondent__user=board[0].user).exists()


def test_problems_the_form_finds_are_capped_at_50_too(assessment, board) -> None:
    content = b"code,answer\n" + b",1\n" * 200
    response = client_for(board[0]).post(
        _url(assessment), {"file": SimpleUploadedFile("empty-codes.csv", content)}
    )
    html = response.content.decode()
    assert html.count("the code is empty") == 2 * 50  # the summary and the field
    assert "Row 51: the code is empty" in html
    assert "Row 52: the code is empty" not in html
    assert "and 150 more problems" in html


def test_a_json_answer_that_is_a_nested_list_is_refused_with_a_reason(assessment, board) -> None:
    content = b'{"WORK-3": ' + b"[" * 500 + b"]" * 500 + b"}"
    response = client_for(board[0]).post(
        _url(assessment), {"file": SimpleUploadedFile("nested.json", content)}
    )
    assert response.status_code == 200
    assert "WORK-3: give the answer as a number or as text" in response.content.decode()
    assert not Answer.objects.filter(respondent__user=board[0].user).exists()


def test_an_import_within_the_limits_still_imports(assessment, board) -> None:
    response = client_for(board[0]).post(
        _url(assessment),
        {"file": SimpleUploadedFile("answers.csv", b"code,answer,note\nWORK-3,2,Rota review\n")},
    )
    assert response.status_code == 302
    answer = Answer.objects.get(respondent__user=board[0].user)
    assert (answer.question.code, answer.value, answer.note) == ("WORK-3", "2", "Rota review")
