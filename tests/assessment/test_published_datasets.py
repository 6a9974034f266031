"""Published datasets loaded in the admin pre-fill the trusts' figures, with provenance.

The files under tests/assessment/data/ have the publishers' own shapes: the NHS Oversight
Framework's quarterly metrics CSV (long: one row per trust and metric) and CQC's latest
ratings by provider (wide: one row per provider, a column per rating, an ODS code column).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from assessment.models import Figure, PublishedDataset, PublishedValue
from assessment.services.assessments import assessment_create, respondents_add
from tests.assessment.conftest import client_for
from tests.assessment.journey import answer_everything
from tests.conftest import verified_client
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.personas import load_persona, persona_paths
from tests.reports.board import paper_body, squashed

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
ADD = "/admin/assessment/publisheddataset/add/"
NOF = {
    "publisher": "NHS England",
    "title": "NHS Oversight Framework",
    "period": "2025/26 Q2",
    "period_end": "2025-09-30",
    "licence": "Open Government Licence v3.0",
    "link": "https://www.england.nhs.uk/nhs-oversight-framework/segmentation-and-league-tables/",
    "layout": "long",
    "organisation_column": "Trust_code",
    "metric_column": "Metric_ID",
    "value_column": "Value",
    "mappings": "OF0084 = WORK-4\nOF0023 = PERF-2 (ratio-to-percent)\nOF0079 = FIN-1\n",
}
CQC = {
    "publisher": "Care Quality Commission",
    "title": "CQC latest ratings",
    "period": "June 2024",
    "period_end": "2024-06-30",
    "licence": "Open Government Licence v3.0",
    "link": "https://www.cqc.org.uk/about-us/transparency/using-cqc-data",
    "layout": "wide",
    "organisation_column": "Provider ODS Code",
    "mappings": "Overall = QUAL-1 (rating)\nWell-led = LEAD-1 (rating)\n",
}
STRONG = load_persona(persona_paths()[2])["answers"]


@pytest.fixture
def admin_client() -> Client:
    return verified_client(UserFactory(is_staff=True, is_superuser=True))


@pytest.fixture
def trusts():
    """The service knows these trusts of the sample files; RTD is left unknown."""
    return {
        code: OrganisationFactory(ods_code=code, name=f"Trust {code}")
        for code in ("RRK", "RJ1", "RTH", "RXN", "R0A", "RGT", "RA7", "RWE")
    }


def _open_assessment(trust):
    lead = MembershipFactory(organisation=trust, role="lead")
    member = MembershipFactory(organisation=trust)
    created = assessment_create(
        organisation=trust, title="Board assessment", reporting_period="2025/26", user=lead.user
    )
    respondents_add(assessment=created, users=[member.user])
    return created, lead, member


def _load(client: Client, fields: dict, name: str, content: bytes | None = None):
    content = content if content is not None else (DATA / name).read_bytes()
    upload = SimpleUploadedFile(name, content)
    return client.post(ADD, {**fields, "file": upload})


def test_a_long_file_prefills_every_assessment_of_the_trust_with_its_provenance(
    admin_client, trusts
) -> None:
    first, lead, member = _open_assessment(trusts["RRK"])
    second, second_lead, _ = _open_assessment(trusts["RRK"])
    response = _load(admin_client, NOF, "nof-acute-trust-data-q2-25-26.csv")
    assert response.status_code == 302, response.content.decode()[:3000]
    dataset = PublishedDataset.objects.get()
    assert dataset.citation == "NHS Oversight Framework 2025/26 Q2"
    assert dataset.unknown_organisations == ["RTD"]
    stored = dict(
        PublishedValue.objects.filter(organisation=trusts["RRK"]).values_list(
            "question_code", "value"
        )
    )
    assert stored == {"WORK-4": "6.8", "PERF-2": "55.21", "FIN-1": "-1.2"}
    listing = admin_client.get("/admin/assessment/publisheddataset/").content.decode()
    assert "NHS Oversight Framework 2025/26 Q2" in listing
    # A loaded dataset is a record: shown, not edited.
    record = admin_client.get(f"/admin/assessment/publisheddataset/{dataset.pk}/change/")
    assert record.status_code == 200
    html = record.content.decode()
    assert "nof-acute-trust-data-q2-25-26.csv" in html
    assert "RTD" in html
    assert 'name="title"' not in html
    edited = admin_client.post(
        f"/admin/assessment/publisheddataset/{dataset.pk}/change/", {**NOF, "title": "Other"}
    )
    assert edited.status_code == 403
    dataset.refresh_from_db()
    assert dataset.title == "NHS Oversight Framework"

    for assessment, holder in ((first, lead), (second, second_lead)):
        page = client_for(holder).get(f"/assessments/{assessment.pk}/figures/PERF/")
        html = page.content.decode()
        assert (
            "Published:</strong> 55.21% within 18 weeks, NHS Oversight Framework 2025/26 Q2" in html
        )
        assert re.search(r'name="n-PERF-2"[^>]*value="55.21"', html)
        assert 'value="NHS Oversight Framework 2025/26 Q2"' in html  # the source, pre-filled
    # Members see it, read-only, cited as published and not yet confirmed.
    seen = client_for(member).get(f"/assessments/{first.pk}/figures/").content.decode()
    assert (
        "Source: NHS Oversight Framework 2025/26 Q2 (published data, not yet confirmed by the "
        "trust)" in seen
    )


def test_a_wide_file_maps_ratings_to_options(admin_client, trusts) -> None:
    assessment, lead, _ = _open_assessment(trusts["RTH"])
    response = _load(admin_client, CQC, "cqc-ratings-directory.xlsx")
    assert response.status_code == 302, response.content.decode()[:3000]
    values = dict(
        PublishedValue.objects.filter(organisation=trusts["RTH"]).values_list(
            "question_code", "value"
        )
    )
    assert set(values) == {"QUAL-1", "LEAD-1"}
    html = client_for(lead).get(f"/assessments/{assessment.pk}/figures/QUAL/").content.decode()
    assert "CQC latest ratings June 2024" in html


def test_an_invalid_file_changes_nothing_and_lists_every_problem_with_row_and_column(
    admin_client, trusts
) -> None:
    response = _load(admin_client, NOF, "nof-invalid.csv")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was stored" in html
    # "6,8" (a decimal comma), 68 out of bounds, 60.34 as a ratio, "abc", "high", -75 out
    # of bounds, and RTH's engagement score given twice: each with its row and column.
    for row in (2, 4, 5, 7, 8, 10, 11):
        assert f"Row {row}, column “Value”" in html, row
    assert "unknown" not in html.split("Nothing was stored")[1].split("</ul>")[0].lower()
    assert not PublishedDataset.objects.exists()
    assert not PublishedValue.objects.exists()

    wide = _load(admin_client, {**CQC}, "cqc-invalid.csv")
    page = wide.content.decode()
    assert wide.status_code == 200
    assert "Row 2, column “Overall”" in page
    assert "Excellent" in page
    assert not PublishedDataset.objects.exists()


def test_a_file_in_another_shape_is_refused_with_the_headings_it_has(admin_client, trusts) -> None:
    response = _load(
        admin_client,
        {**NOF, "organisation_column": "ODS code"},
        "nof-acute-trust-data-q2-25-26.csv",
    )
    html = response.content.decode()
    assert "Trust_code" in html  # the headings the file does have are listed
    assert not PublishedDataset.objects.exists()
    bad_mapping = _load(
        admin_client, {**NOF, "mappings": "OF0084 = WORK-44"}, "nof-acute-trust-data-q2-25-26.csv"
    )
    assert "WORK-4" in bad_mapping.content.decode()
    assert not PublishedDataset.objects.exists()


def test_only_the_rows_of_the_chosen_period_are_read(admin_client, trusts) -> None:
    """A file holding two periods: read for one, each trust's figure appears once."""
    original = (DATA / "nof-acute-trust-data-q2-25-26.csv").read_text()
    rows = list(csv.DictReader(io.StringIO(original)))
    earlier = [{**row, "Reporting_date": "Jun-25", "Value": "6.1"} for row in rows]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(earlier + rows)
    both = buffer.getvalue().encode()
    refused = _load(admin_client, NOF, "two-periods.csv", both)
    assert "Rows 2 and 34 both give RRK&#x27;s OF0023" in refused.content.decode()
    assert not PublishedDataset.objects.exists()
    # Only one metric per trust sits in each period here: OF0084 is reported for 2024.
    filtered = {**NOF, "filter_column": "Reporting_date", "filter_value": "Jun-25"}
    loaded = _load(admin_client, {**filtered, "mappings": "OF0084 = WORK-4"}, "two.csv", both)
    assert loaded.status_code == 302, loaded.content.decode()[:2000]
    assert PublishedValue.objects.get(organisation=trusts["RRK"]).value == "6.1"


def test_the_newest_period_is_offered_and_a_trusts_own_figure_wins(admin_client, trusts) -> None:
    assessment, lead, _ = _open_assessment(trusts["RRK"])
    _load(admin_client, NOF, "nof-acute-trust-data-q2-25-26.csv")
    older = {**NOF, "period": "2025/26 Q1", "period_end": "2025-06-30"}
    content = (DATA / "nof-acute-trust-data-q2-25-26.csv").read_text().replace(",6.8,", ",7.3,")
    _load(admin_client, older, "q1.csv", content.encode())
    assert PublishedDataset.objects.count() == 2
    lead_client = client_for(lead)
    html = lead_client.get(f"/assessments/{assessment.pk}/figures/WORK/").content.decode()
    assert "6.8 score out of 10, NHS Oversight Framework 2025/26 Q2" in html
    assert "7.3 score out of 10" not in html
    # The holder enters the trust's own figure, with its source: it stands instead.
    autosave = f"/assessments/{assessment.pk}/figures/autosave/"
    saved = lead_client.post(
        autosave,
        {
            "question": "WORK-4",
            "q-WORK-4": "figure",
            "n-WORK-4": "6.6",
            "note-WORK-4": "NHS Staff Survey 2025, local report",
            "v-WORK-4": "0",
        },
    )
    assert saved.status_code == 200
    listing = lead_client.get(f"/assessments/{assessment.pk}/figures/").content.decode()
    assert "Source: NHS Staff Survey 2025, local report" in listing


def test_accepting_the_offer_links_the_figure_and_every_output_cites_it(
    admin_client, trusts
) -> None:
    assessment, lead, member = _open_assessment(trusts["RRK"])
    _load(admin_client, NOF, "nof-acute-trust-data-q2-25-26.csv")
    lead_client = client_for(lead)
    page = lead_client.get(f"/assessments/{assessment.pk}/figures/PERF/").content.decode()
    versions = dict(re.findall(r'name="v-([A-Z0-9-]+)" value="(\d+)"', page))
    data = {f"v-{code}": version for code, version in versions.items()}
    data.update(
        {
            "q-PERF-2": "figure",
            "n-PERF-2": "55.21",
            "note-PERF-2": "NHS Oversight Framework 2025/26 Q2",
        }
    )
    assert lead_client.post(f"/assessments/{assessment.pk}/figures/PERF/", data).status_code == 302
    figure = Figure.objects.get(question__code="PERF-2")
    assert figure.published is not None
    assert figure.published.dataset.title == "NHS Oversight Framework"

    answer_everything(client_for(member), assessment, STRONG)
    results = lead_client.get(f"/assessments/{assessment.pk}/results/").content.decode()
    assert "NHS Oversight Framework 2025/26 Q2" in results
    # WORK-4 is not confirmed: it stands as published, and says so.
    assert "(published data, not yet confirmed by the trust)" in results
    answers_csv = lead_client.get(f"/assessments/{assessment.pk}/exports/answers.csv")
    rows = list(csv.reader(io.StringIO(answers_csv.content.decode("utf-8-sig"))))
    perf2 = next(row for row in rows if row[0] == "The trust (figure)" and row[1] == "PERF-2")
    assert perf2[-1] == "NHS Oversight Framework 2025/26 Q2"
    exported = lead_client.get(f"/assessments/{assessment.pk}/exports/assessment.json").json()
    cited = {row["code"]: row.get("source") for row in exported["agreed_answers"]}
    assert cited["PERF-2"] == "NHS Oversight Framework 2025/26 Q2"
    assert cited["WORK-4"].startswith("NHS Oversight Framework 2025/26 Q2 (published data")
    paper = paper_body(lead_client.get(f"/assessments/{assessment.pk}/board-paper.pdf").content)
    appendix = paper[paper.index(squashed("Appendix A.")) : paper.index(squashed("Appendix B."))]
    perf2 = appendix[appendix.index(squashed("PERF-2")) :]
    assert perf2.startswith(squashed("PERF-2 What share of patients on the elective waiting"))
    assert (
        squashed("Figure: 55.21% within 18 weeks Source: NHS Oversight Framework 2025/26 Q2")
        in perf2
    )
    assert (
        squashed(
            "Source: NHS Oversight Framework 2025/26 Q2 (published data, not yet confirmed by "
            "the trust)"
        )
        in appendix
    )


def test_only_staff_who_verified_two_factor_can_load_a_dataset(trusts) -> None:
    lead = MembershipFactory(organisation=trusts["RRK"], role="lead")
    for client in (Client(), client_for(lead)):
        response = _load(client, NOF, "nof-acute-trust-data-q2-25-26.csv")
        assert response.status_code in (302, 403)
        # To sign in: ours for a visitor, the admin's (which hands over to ours) for others.
        assert re.search(r"/(sign-in|admin/login)/", response.get("Location", "/sign-in/"))
    unverified = Client()
    unverified.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = _load(unverified, NOF, "nof-acute-trust-data-q2-25-26.csv")
    assert response.status_code == 401  # a post before the second factor is refused
    assert not PublishedDataset.objects.exists()
