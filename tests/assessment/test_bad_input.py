"""Inputs found by fuzzing that once raised a server error: each now gets a clear message
and writes nothing."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessment.models import Answer, Figure
from tests.assessment.conftest import client_for
from tests.assessment.journey import SOURCE
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _import(client: Client, assessment, name: str, content: bytes) -> str:
    url = f"/assessments/{assessment.pk}/response/import/"
    response = client.post(url, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    return html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, "not JSON this service can read"),
        ("digits.json", b'{"WORK-3": ' + b"9" * 5000 + b"}", "not JSON this service can read"),
        ("nul.csv", b"code,answer,note\nWORK-3,2,a\x00b\n", "null character"),
        ("nul.json", b'{"WORK-3": {"answer": 2, "note": "a\\u0000b"}}', "null character"),
        ("long.csv", b"code,answer,note\nWORK-3,2," + b"x" * 4001 + b"\n", "Shorten it to 4,000"),
        ("quote.csv", b'code,answer\nWORK-3,"' + b"x" * 200_000 + b"\n", "could not be read"),
    ],
)
def test_an_unreadable_import_says_why_and_imports_nothing(
    assessment, board, name, content, message
) -> None:
    html = _import(client_for(board[0]), assessment, name, content)
    assert message in html
    assert not Answer.objects.filter(respondent__user=board[0].user).exists()


def test_a_figure_too_large_to_hold_is_refused_with_its_range(assessment, trust_lead) -> None:
    lead = client_for(trust_lead)
    figure = {"q-FIN-1": "figure", "n-FIN-1": "1E+1000", "note-FIN-1": SOURCE, "v-FIN-1": "0"}
    response = lead.post(
        f"/assessments/{assessment.pk}/figures/autosave/",
        {"question": "FIN-1", **figure},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == ["Enter a figure from -60 to 60 (% of income)"]
    page = lead.post(f"/assessments/{assessment.pk}/figures/FIN/", figure)
    assert page.status_code == 200
    assert "Enter a figure from -60 to 60 (% of income)" in page.content.decode()
    assert not Figure.objects.filter(assessment=assessment).exists()


def test_a_members_import_of_a_figure_too_large_to_hold_imports_nothing(assessment, board) -> None:
    """Figures are not imported into a member's answers, whatever their value."""
    client = client_for(board[0])
    url = f"/assessments/{assessment.pk}/response/import/"
    upload = SimpleUploadedFile("huge.csv", b"code,answer\nFIN-1,1E+1000\n")
    response = client.post(url, {"file": upload})
    assert response.status_code == 302
    tasks = client.get(response["Location"]).content.decode()
    assert "1 row of the file was one of the trust&#x27;s figures, so it was not imported" in tasks
    assert not Answer.objects.filter(respondent__user=board[0].user).exists()
    assert not Figure.objects.exists()


def test_an_email_that_lower_casing_lengthens_past_the_limit_is_refused(member) -> None:
    # A valid 208-character address whose dotted capital Is become two characters each.
    email = "a@" + ("\u0130" * 50 + ".") * 4 + "uk"
    assert len(email) <= 254 < len(email.lower())
    response = Client().post("/sign-in/", {"username": email, "password": PASSWORD})
    assert response.status_code == 200
    assert "254 characters or fewer" in response.content.decode()


@pytest.mark.parametrize("target", ["abc", "//evil.example/", "https://evil.example/"])
def test_after_two_factor_only_a_path_on_this_site_is_followed(member, target) -> None:
    from django_otp.oath import totp

    device = TOTPDevice.objects.create(user=member.user, name="Authenticator app")
    client = client_for(member)
    response = client.post(
        "/account/two-factor/verify/", {"code": f"{totp(device.bin_key):06d}", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_scale_answer_with_a_huge_exponent_is_refused_at_once(assessment, board) -> None:
    started = time.perf_counter()
    html = _import(
        client_for(board[0]), assessment, "scale.csv", b"code,answer\nLEAD-3,1e999999999\n"
    )
    assert time.perf_counter() - started < 5
    assert "LEAD-3 needs" in html
    assert not Answer.objects.filter(respondent__user=board[0].user).exists()


COMMA_DECIMAL = "Use a full stop for decimals: enter 12.5, not 12,5"


def test_a_decimal_comma_on_the_figures_page_is_explained_beside_the_figure(
    assessment, trust_lead
) -> None:
    # 12,5 thousand people was once read as 125 thousand and saved.
    response = client_for(trust_lead).post(
        f"/assessments/{assessment.pk}/figures/SCALE/",
        {"q-SCALE-1": "figure", "n-SCALE-1": "12,5", "note-SCALE-1": SOURCE, "v-SCALE-1": "0"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    # In the error summary, linked to the figure...
    assert f'<li><a href="#id_n-SCALE-1">{COMMA_DECIMAL}</a></li>' in html
    # ...and beside it, where the field points to it and shows what was typed.
    assert (
        '<span class="nhsuk-error-message" id="id_n-SCALE-1-error"><span '
        f'class="nhsuk-u-visually-hidden">Error: </span>{COMMA_DECIMAL}</span>'
    ) in html
    assert 'aria-describedby="id_n-SCALE-1-error"' in html
    assert 'value="12,5"' in html
    assert not Figure.objects.filter(assessment=assessment).exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12,5", COMMA_DECIMAL),
        ("1.250,5", "Use a full stop for decimals: enter 1250.5, not 1.250,5"),
        (
            "1,25,0",
            "Check the commas in 1,25,0: use them only between groups of three digits, "
            "as in 1,250,000, or leave them out",
        ),
    ],
)
def test_the_figures_autosave_refuses_a_comma_that_is_not_between_thousands(
    assessment, trust_lead, typed, message
) -> None:
    response = client_for(trust_lead).post(
        f"/assessments/{assessment.pk}/figures/autosave/",
        {
            "question": "SCALE-1",
            "q-SCALE-1": "figure",
            "n-SCALE-1": typed,
            "note-SCALE-1": SOURCE,
            "v-SCALE-1": "0",
        },
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"status": "invalid", "errors": [message]}
    assert not Figure.objects.filter(assessment=assessment).exists()


def test_the_figures_autosave_reads_a_comma_between_thousands(assessment, trust_lead) -> None:
    response = client_for(trust_lead).post(
        f"/assessments/{assessment.pk}/figures/autosave/",
        {
            "question": "SCALE-2",
            "q-SCALE-2": "figure",
            "n-SCALE-2": "£1,250.5",
            "note-SCALE-2": SOURCE,
            "v-SCALE-2": "0",
        },
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    saved = Figure.objects.get(assessment=assessment)
    assert (saved.question.code, saved.value, saved.source) == ("SCALE-2", "1250.5", SOURCE)


def test_a_members_import_of_figures_with_decimal_commas_imports_none_of_them(
    assessment, board
) -> None:
    """Figures are typed on the figures pages, where a decimal comma is explained (above); a
    member's file of them imports nothing and says they were left out."""
    client = client_for(board[0])
    upload = SimpleUploadedFile("answers.csv", b'code,answer\nSCALE-2,"1,250"\nSCALE-1,"12,5"\n')
    response = client.post(f"/assessments/{assessment.pk}/response/import/", {"file": upload})
    assert response.status_code == 302
    tasks = client.get(response["Location"]).content.decode()
    assert "2 rows of the file were the trust&#x27;s figures, so they were not imported" in tasks
    assert not Answer.objects.filter(respondent__user=board[0].user).exists()
    assert not Figure.objects.exists()
