"""The default mappings from the NHS Oversight Framework's metric IDs to version 2's figures.

They are seed data (assessment/seed/nof-metrics-v2.yaml), edited in the admin, and give an
admin loading the framework's long metrics file its mapping text. The sample file
tests/assessment/data/nof-2025-26-q2-long-sample.csv has the published columns (NHS
England's CSV metadata file): three trusts the service knows (RJ1, RRK, RXN) and one it
does not (RTD); metrics that are not mapped (OF0014, OF0079, OF0106, OF5002); suppressed
values ("*"); and RJ1's 18-week value, a proportion, labelled "Percentage", as the
published files sometimes mislabel their units.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import assessment.admin_metrics  # noqa: F401 - registers the admin (assessment.admin imports it)
from assessment import datasets
from assessment.datasets import (
    FLAG,
    LONG,
    SEGMENT,
    Layout,
    convert,
    mapping_problem,
    parse_mappings,
    read_dataset,
)
from assessment.models import MetricMapping, PublishedDataset, PublishedValue, QuestionnaireVersion
from assessment.scoring.answers import Problem
from assessment.scoring.seed import questionnaire_from_seed
from assessment.services.assessments import assessment_create
from assessment.services.metrics import (
    METRICS_SEED,
    SEED_DIR,
    InvalidMetricMappings,
    metric_mapping_problem,
    metric_mappings_seed_load,
    metric_mappings_text,
    nof_dataset_initial,
    published_dataset_initial,
    questionnaire_questions,
)
from tests.assessment.conftest import client_for
from tests.conftest import verified_client
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

# `edition_2` (tests/conftest.py) publishes the 2026 edition on top of edition 1 through
# the seed command, which also loads the default mappings; without it the database has
# edition 1 only.
pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).parent / "data" / "nof-2025-26-q2-long-sample.csv"
ADD = "/admin/assessment/publisheddataset/add/"
MAPPINGS = "/admin/assessment/metricmapping/"
PERIOD = {
    "period": "2025/26 Q2",
    "period_end": "2025-09-30",
    "licence": "Open Government Licence v3.0",
}
SEED = yaml.safe_load(METRICS_SEED.read_text(encoding="utf-8"))
V2 = {
    question.code: question
    for question in questionnaire_from_seed(
        yaml.safe_load((SEED_DIR / "questionnaire-v2.yaml").read_text(encoding="utf-8"))
    ).questions
}


@pytest.fixture
def admin_client() -> Client:
    return verified_client(UserFactory(is_staff=True, is_superuser=True))


@pytest.fixture
def trusts():
    """The trusts of the sample file the service knows; RTD is left unknown."""
    return {
        code: OrganisationFactory(ods_code=code, name=f"Trust {code}")
        for code in ("RJ1", "RRK", "RXN")
    }


def _load(client: Client, fields: dict, content: bytes | None = None):
    upload = SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes() if content is None else content)
    return client.post(ADD, {**PERIOD, **fields, "file": upload})


def _mappings_shown(html: str) -> str:
    """The text of the loading form's mappings box (its help text has examples too)."""
    found = re.search(r'<textarea name="mappings"[^>]*>(.*?)</textarea>', html, re.DOTALL)
    assert found is not None
    return unescape(found.group(1))


def _stored(trust) -> dict[str, str]:
    return dict(
        PublishedValue.objects.filter(organisation=trust).values_list("question_code", "value")
    )


# ------------------------------------------------------------------------------ the seed


def test_the_seed_loads_each_mapping_once_and_keeps_an_admins_edit() -> None:
    assert metric_mappings_seed_load() == len(SEED["mappings"])
    assert MetricMapping.objects.count() == len(SEED["mappings"])
    edited = MetricMapping.objects.get(metric_id="OF0013")
    edited.note = "Checked the file: OF0013 is the four-hour metric."
    edited.save()

    assert metric_mappings_seed_load() == 0
    assert MetricMapping.objects.count() == len(SEED["mappings"])
    edited.refresh_from_db()
    assert edited.note == "Checked the file: OF0013 is the four-hour metric."


def test_the_seed_marks_verified_only_the_ids_found_in_the_publishers_metadata() -> None:
    metric_mappings_seed_load()
    mappings = {(m.layout, m.metric_id): m for m in MetricMapping.objects.all()}
    # Only OF0023 was found stated in NHS England's technical metric specification.
    assert {key for key, m in mappings.items() if m.verified} == {("long", "OF0023")}
    # The research note says which A&E ID is the four-hour one was inferred.
    assert "inferred" in mappings[("long", "OF0013")].note
    assert all(m.note for m in mappings.values())
    assert mappings[("wide", "Trust_in_financial_deficit")].question_code == "FIN-7"
    assert mappings[("long", "OF5007")].conversion == FLAG
    assert mappings[("long", "OF5000")].conversion == SEGMENT


def test_the_seed_checks_each_code_against_version_2s_seed_file_and_writes_nothing(
    tmp_path,
) -> None:
    # Version 2 is not in the database here, so its seed file is what the codes are
    # checked against: FIN-3 was withdrawn in version 2, and WORK-4 takes a number.
    assert not QuestionnaireVersion.objects.filter(number=2).exists()
    bad = {
        **SEED,
        "mappings": [
            *SEED["mappings"],
            {"metric": "OF0079", "question": "FIN-3", "verified": False},
            {"metric": "OF9999", "question": "WORK-4", "conversion": "flag", "verified": False},
        ],
    }
    path = tmp_path / "nof-metrics-v2.yaml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(InvalidMetricMappings) as refused:
        metric_mappings_seed_load(path)
    assert len(refused.value.messages) == 2
    assert "There is no question 'FIN-3' in questionnaire version 2" in refused.value.messages[0]
    assert "WORK-4 is answered with a number, not yes or no" in refused.value.messages[1]
    assert not MetricMapping.objects.exists()


def test_codes_are_checked_against_the_database_once_the_version_is_there(edition_2) -> None:
    assert set(questionnaire_questions(2) or {}) == set(V2)
    assert questionnaire_questions(7) is None
    assert metric_mapping_problem(version=2, question_code="perf-2", conversion="as-is") is None
    assert "There is no questionnaire version 7" in (
        metric_mapping_problem(version=7, question_code="PERF-2", conversion="as-is") or ""
    )


# ------------------------------------------------------------------------ the conversions


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Yes", "yes"),  # the league tables' Trust_in_financial_deficit
        ("no", "no"),
        ("Y", "yes"),
        ("N", "no"),
        ("TRUE", "yes"),
        ("False", "no"),
        ("1", "yes"),  # a flag metric such as OF5007
        ("0", "no"),
        ("1.0", "yes"),  # a flag a spreadsheet saved as a decimal
        ("0.00", "no"),
    ],
)
def test_a_flag_becomes_yes_or_no(raw: str, expected: str) -> None:
    answer = convert(V2["QUAL-2"], FLAG, raw)
    assert not isinstance(answer, Problem)
    assert answer.text == expected


@pytest.mark.parametrize("raw", ["maybe", "2", "-1", "0.5"])
def test_anything_else_is_not_a_flag(raw: str) -> None:
    problem = convert(V2["QUAL-2"], FLAG, raw)
    assert isinstance(problem, Problem)
    assert "is not a flag" in problem.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", "segment-1"), ("3", "segment-3"), ("3.00", "segment-3"), ("5", "segment-5")],
)
def test_a_segment_number_becomes_its_option(raw: str, expected: str) -> None:
    answer = convert(V2["PERF-5"], SEGMENT, raw)
    assert not isinstance(answer, Problem)
    assert answer.text == expected


@pytest.mark.parametrize("raw", ["0", "6", "2.5", "1e9", "three"])
def test_anything_else_is_not_a_segment(raw: str) -> None:
    problem = convert(V2["PERF-5"], SEGMENT, raw)
    assert isinstance(problem, Problem)
    assert "The segments are: 1, 2, 3, 4, 5" in problem.message


def test_a_flag_or_segment_must_suit_its_question() -> None:
    assert "not yes or no" in (
        mapping_problem(datasets.MetricMapping("OF5007", "PERF-2", FLAG), V2["PERF-2"]) or ""
    )
    assert "does not ask for a segment" in (
        mapping_problem(datasets.MetricMapping("OF5000", "QUAL-2", SEGMENT), V2["QUAL-2"]) or ""
    )
    assert (
        mapping_problem(datasets.MetricMapping("OF5000", "PERF-5", SEGMENT), V2["PERF-5"]) is None
    )


# --------------------------------------------------------------------- reading the sample


def test_the_reader_lists_unmapped_metrics_and_unknown_trusts() -> None:
    metric_mappings_seed_load()
    mappings = parse_mappings(metric_mappings_text(version=2), V2)
    read = read_dataset(
        SAMPLE.read_bytes(),
        SAMPLE.name,
        Layout(LONG, "Trust_code", "Metric_ID", "Value"),
        mappings,
        V2,
        {"RJ1", "RRK", "RXN"},
    )
    assert read.problems == ()
    assert read.unmapped_metrics == ("OF0014", "OF0079", "OF0106", "OF5002")
    assert read.unknown_organisations == ("RTD",)
    assert read.blanks == 2  # RRK's OF0011 and RXN's OF0084 are suppressed
    assert {value.ods_code for value in read.values} == {"RJ1", "RRK", "RXN"}


def test_the_default_text_names_every_seeded_mapping_and_flags_the_unverified() -> None:
    metric_mappings_seed_load()
    text = metric_mappings_text(version=2)
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    long = MetricMapping.objects.filter(layout=LONG)
    assert sorted(lines) == sorted(mapping.line for mapping in long)
    notes = [line for line in text.splitlines() if line.startswith("#")]
    assert len(notes) == long.filter(verified=False).count()
    assert not any("OF0023" in note for note in notes)
    assert "OF0023 = PERF-2 (ratio-to-percent)" in lines
    assert "OF5000 = PERF-5 (segment)" in lines
    assert "OF5007 = QUAL-2 (flag)" in lines


# ------------------------------------------------------------------- loading in the admin


def test_loading_the_sample_prefills_version_2_figures_by_ods_code_with_provenance(
    edition_2, admin_client, trusts
) -> None:
    metric_mappings_seed_load()
    lead = MembershipFactory(organisation=trusts["RJ1"], role="lead")
    assessment = assessment_create(
        organisation=trusts["RJ1"],
        title="Board assessment",
        reporting_period="2025/26",
        user=lead.user,
    )
    assert assessment.questionnaire_version.number == 2

    # The mapping's page links to the loading form, filled in for the framework's file.
    mapping = MetricMapping.objects.get(metric_id="OF0023")
    page = admin_client.get(f"{MAPPINGS}{mapping.pk}/change/").content.decode()
    link = re.search(r'href="(/admin/assessment/publisheddataset/add/\?[^"]+)"', page)
    assert link is not None
    form = admin_client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert re.search(r'name="metric_column"[^>]*value="Metric_ID"', form)
    initial = nof_dataset_initial(version=2)
    assert _mappings_shown(form).strip() == initial["mappings"].strip()
    assert "OF0023 = PERF-2 (ratio-to-percent)" in initial["mappings"]
    assert initial == published_dataset_initial()

    response = _load(admin_client, initial)
    assert response.status_code == 302, response.content.decode()[:3000]
    dataset = PublishedDataset.objects.get()
    assert dataset.unknown_organisations == ["RTD"]
    assert dataset.blanks == 2
    notice = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert "1 organisations the service does not know were skipped" in notice

    # Golden values: each as the sample file gives it, converted as its mapping says.
    assert _stored(trusts["RJ1"]) == {
        "PERF-2": "60.34",  # 0.6034, though its Units say Percentage
        "PERF-6": "81.5",
        "PERF-3": "72.6",
        "PERF-1": "76.4",
        "WORK-6": "4.1",
        "WORK-4": "7.1",
        "FIN-8": "-0.4",
        "PERF-5": "segment-3",
        "QUAL-2": "no",
    }
    assert _stored(trusts["RRK"]) == {
        "PERF-2": "55.21",
        "PERF-6": "76.8",
        "PERF-1": "71.12",
        "WORK-6": "4.9",
        "WORK-4": "6.8",
        "FIN-8": "-1.9",
        "PERF-5": "segment-4",
        "QUAL-2": "no",
    }  # no PERF-3: RRK's 62-day value is suppressed
    assert _stored(trusts["RXN"])["PERF-5"] == "segment-5"
    assert _stored(trusts["RXN"])["QUAL-2"] == "yes"
    assert "WORK-4" not in _stored(trusts["RXN"])

    # Provenance: the dataset and period, the metric, the row and the column.
    value = PublishedValue.objects.get(organisation=trusts["RJ1"], question_code="PERF-2")
    assert (value.dataset.citation, value.metric, value.row, value.column) == (
        "NHS Oversight Framework 2025/26 Q2",
        "OF0023",
        2,
        "Value",
    )
    html = client_for(lead).get(f"/assessments/{assessment.pk}/figures/PERF/").content.decode()
    assert "60.34% within 18 weeks, NHS Oversight Framework 2025/26 Q2" in html


def test_a_file_with_a_bad_value_stores_nothing_and_says_where(
    edition_2, admin_client, trusts
) -> None:
    metric_mappings_seed_load()
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    # RRK's 18-week value written as a percentage, and a segment the framework has not.
    rrk = next(n for n, line in enumerate(lines) if ",RRK," in line and ",OF0023," in line)
    rxn = next(n for n, line in enumerate(lines) if ",RXN," in line and ",OF5000," in line)
    lines[rrk] = lines[rrk].replace(",0.5521,", ",55.21,")
    lines[rxn] = lines[rxn].replace(",5,,", ",6,,")
    response = _load(admin_client, nof_dataset_initial(version=2), "".join(lines).encode())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was stored: the file has 2 problems." in html
    assert f"Row {rrk + 1}, column “Value”: RRK’s OF0023" in html.replace("&#x27;", "’")
    assert "5521%" in html
    assert f"Row {rxn + 1}, column “Value”" in html
    assert "is not a segment PERF-5 accepts" in html.replace("&#x27;", "'")
    assert not PublishedDataset.objects.exists()
    assert not PublishedValue.objects.exists()


# -------------------------------------------------------------------- editing in the admin


def test_an_admin_edits_a_mapping_and_a_bad_question_code_is_refused(admin_client) -> None:
    metric_mappings_seed_load()
    mapping = MetricMapping.objects.get(metric_id="OF0013")
    url = f"{MAPPINGS}{mapping.pk}/change/"
    fields = {
        "framework": mapping.framework,
        "questionnaire_version": "2",
        "layout": "long",
        "metric_id": "OF0014",
        "metric_name": "A&E four-hour performance",
        "question_code": "perf-1",
        "conversion": "ratio-to-percent",
        "unit": "proportion",
        "verified": "on",
        "note": "The file's description of OF0014 reads: within 4 hours.",
    }
    assert admin_client.post(url, fields).status_code == 302
    mapping.refresh_from_db()
    assert (mapping.metric_id, mapping.question_code, mapping.verified) == (
        "OF0014",
        "PERF-1",
        True,
    )

    # Version 2 is not in the database here: codes are checked against its seed file.
    refused = admin_client.post(url, {**fields, "question_code": "FIN-3"})
    assert refused.status_code == 200
    page = refused.content.decode().replace("&#x27;", "'")
    assert "There is no question 'FIN-3' in questionnaire version 2" in page
    wrong_kind = admin_client.post(url, {**fields, "conversion": "flag"}).content.decode()
    assert "PERF-1 is answered with a number, not yes or no" in wrong_kind
    no_version = admin_client.post(url, {**fields, "questionnaire_version": "7"}).content.decode()
    assert "There is no questionnaire version 7" in no_version
    mapping.refresh_from_db()
    assert (mapping.question_code, mapping.conversion, mapping.questionnaire_version) == (
        "PERF-1",
        "ratio-to-percent",
        2,
    )


def test_the_mappings_list_filters_by_verified_and_version(admin_client) -> None:
    metric_mappings_seed_load()
    unverified = admin_client.get(f"{MAPPINGS}?verified__exact=0&questionnaire_version=2")
    html = unverified.content.decode()
    assert unverified.status_code == 200
    assert "OF0013" in html
    assert ">OF0023<" not in html
    found = admin_client.get(f"{MAPPINGS}?{urlencode({'q': 'deficit'})}").content.decode()
    assert "Trust_in_financial_deficit" in found
    assert "OF0084" not in found


def test_the_loading_form_starts_empty_without_default_mappings_for_the_published_version() -> None:
    # Version 1 is published and has no default mappings.
    assert published_dataset_initial() == {}
    metric_mappings_seed_load()
    assert published_dataset_initial() == {}
    assert QuestionnaireVersion.objects.published().get().number == 1


def test_the_loading_form_starts_from_the_default_mappings_and_names_unmapped_metrics(
    edition_2, admin_client, trusts
) -> None:
    form = admin_client.get(ADD).content.decode()
    assert re.search(r'name="organisation_column"[^>]*value="Trust_code"', form)
    shown = _mappings_shown(form)
    assert shown.strip() == metric_mappings_text(version=2).strip()
    assert "# OF0013: not verified against the publisher" in shown
    # A link's values are used as given.
    given = admin_client.get(f"{ADD}?{urlencode({'layout': 'wide'})}").content.decode()
    assert _mappings_shown(given).strip() == ""

    response = _load(admin_client, nof_dataset_initial(version=2))
    assert response.status_code == 302
    notice = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert (
        "Metrics in the file that no mapping names, so not read: OF0014, OF0079, OF0106, OF5002."
        in notice
    )
