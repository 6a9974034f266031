"""Moving to the 2026 edition: publishing version 2 changes nothing for an assessment
submitted on version 1; a new assessment uses version 2; one started from a version 1
assessment carries every kept answer, figure and source, and lists what it dropped and why.
The "what changed" page is for leads and admins."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from assessment.models import AgreedAnswer, Assessment, Figure, Submission
from assessment.models_withdrawals import StartingPoint
from assessment.reports.pdf import board_paper_pdf
from assessment.selectors import pinned_for
from assessment.selectors.editions import edition_changes
from assessment.services.assessments import assessment_create, assessment_create_from
from assessment.services.papers import paper_for
from tests.assessment.conftest import client_for
from tests.assessment.test_withdrawals import _submitted

pytestmark = pytest.mark.django_db

REMOVED = ("FIN-3", "FIN-5", "PERF-4", "WORK-5", "SYS-4")


def _without_token(response) -> str:
    """The page without its CSRF token, which is fresh on every response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _publish_edition_2() -> None:
    call_command("seed", verbosity=0)


def test_the_change_note_holds_each_removed_questions_reason() -> None:
    changes = edition_changes(2)
    assert changes is not None
    assert edition_changes(1) is None
    for code in REMOVED:
        assert changes.removed_reason(code), code
    assert changes.removed_reason("FIN-1") == ""  # kept, not removed
    assert "Liquidity in days" in changes.removed_reason("FIN-5")
    assert {form.slug for form in changes.forms} >= {"joint-committee", "hold-iho-contract"}
    assert len(changes.sources) == 32


def test_a_result_submitted_on_version_1_is_the_same_after_version_2_is_published(
    assessment, trust_lead, board
) -> None:
    submitted = _submitted(assessment, trust_lead, board)
    client = client_for(trust_lead)
    stored = Submission.objects.get(assessment=submitted).result
    paper = board_paper_pdf(paper_for(submitted))
    results = _without_token(client.get(f"/assessments/{submitted.pk}/results/"))

    _publish_edition_2()

    submitted.refresh_from_db()
    assert submitted.questionnaire_version.number == 1
    assert submitted.catalogue_version.number == 1
    assert Submission.objects.get(assessment=submitted).result == stored
    assert board_paper_pdf(paper_for(submitted)) == paper
    assert _without_token(client.get(f"/assessments/{submitted.pk}/results/")) == results
    assert "questionnaire version 1, catalogue version 1" in results


def test_a_new_assessment_uses_version_2_and_names_the_edition(trust, trust_lead) -> None:
    _publish_edition_2()
    new = assessment_create(
        organisation=trust, title="2026", reporting_period="2026 to 2027", user=trust_lead.user
    )
    assert new.questionnaire_version.number == 2
    assert new.catalogue_version.number == 2
    assert len(pinned_for(new).definition.questions) == 46
    html = client_for(trust_lead).get(f"/assessments/{new.pk}/results/").content.decode()
    assert "questionnaire version 2 (2026 edition), catalogue version 2" in html
    paper = PdfReader(io.BytesIO(board_paper_pdf(paper_for(new))))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in paper.pages)
    assert "Version 2: Sustainability self-assessment (Dalton review): 2026 edition" in text


def test_starting_from_a_version_1_assessment_carries_what_version_2_keeps(
    assessment, trust, trust_lead, board
) -> None:
    submitted = _submitted(assessment, trust_lead, board)
    _publish_edition_2()
    new = assessment_create_from(
        organisation=trust,
        title="2026",
        reporting_period="2026 to 2027",
        user=trust_lead.user,
        source=submitted,
    )
    assert new.questionnaire_version.number == 2
    pinned = pinned_for(new)
    kept = set(pinned.question_ids)
    before = {
        code: (value, source)
        for code, value, source in Figure.objects.filter(assessment=submitted).values_list(
            "question__code", "value", "source"
        )
    }
    after = {
        code: (value, source)
        for code, value, source in Figure.objects.filter(assessment=new).values_list(
            "question__code", "value", "source"
        )
    }
    # Every figure whose code version 2 keeps as a figure, with its source, and no other.
    expected = {
        code: figure
        for code, figure in before.items()
        if code in kept and pinned.question(code).answered_by == "figure"
    }
    point = StartingPoint.objects.get(assessment=new)
    dropped = {entry["code"]: entry for entry in point.dropped}
    for code in set(expected) - set(after):
        assert code in dropped, f"{code} was neither carried nor listed as dropped"
        expected.pop(code)
    assert after == expected
    assert after  # something was carried
    snapshot = Submission.objects.get(assessment=submitted).agreed_answers
    judgements = {row["code"] for row in snapshot if row["answered_by"] == "judgement"}
    agreed = set(
        AgreedAnswer.objects.filter(assessment=new).values_list("question__code", flat=True)
    )
    assert agreed == {code for code in judgements if code in kept and code not in dropped}
    # The removed questions are listed, each with the edition's own reason and its text.
    removed_answered = {code for code in REMOVED if code in before or code in judgements}
    assert removed_answered
    changes = edition_changes(2)
    for code in removed_answered:
        assert dropped[code]["reason"] == f"Removed in version 2: {changes.removed_reason(code)}"
        assert dropped[code]["text"]
    # New questions are left unanswered.
    new_codes = {"PROFILE-STATUS", "FIN-8", "FIN-9", "WORK-6", "PERF-5", "SYS-8", "CHANGE-5"}
    assert not new_codes & (set(after) | agreed)
    # The figures page lists them for the lead, with the link to what changed.
    html = client_for(trust_lead).get(f"/assessments/{new.pk}/figures/").content.decode()
    assert 'id="not-carried-forward"' in html
    assert "Liquidity in days" in html or "FIN-5" not in dropped
    assert "/questionnaire/version-2/what-changed/" in html


def test_the_what_changed_page_is_for_leads_and_admins(trust_lead, board, staff_user) -> None:
    _publish_edition_2()
    url = "/questionnaire/version-2/what-changed/"
    html = client_for(trust_lead).get(url).content.decode()
    assert "What changed in version 2" in html
    assert "Next year&#x27;s CIP requirement" in html or "Next year's CIP requirement" in html
    from tests.conftest import verified_client

    assert verified_client(staff_user).get(url).status_code == 200
    assert client_for(board[0]).get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert client_for(trust_lead).get("/questionnaire/version-1/what-changed/").status_code == 404
    # The questionnaire page links to it for a lead, not for a member.
    assert url in client_for(trust_lead).get("/questionnaire/version-2/").content.decode()
    assert url not in client_for(board[0]).get("/questionnaire/version-2/").content.decode()


def test_publishing_again_changes_nothing() -> None:
    _publish_edition_2()
    from assessment.models import QuestionnaireVersion
    from models_catalogue.models import CatalogueVersion

    state = (
        list(QuestionnaireVersion.objects.values_list("number", "status")),
        list(CatalogueVersion.objects.values_list("number", "status")),
    )
    _publish_edition_2()
    assert state == (
        list(QuestionnaireVersion.objects.values_list("number", "status")),
        list(CatalogueVersion.objects.values_list("number", "status")),
    )
    assert sorted(state[0]) == [(1, "retired"), (2, "published")]
    assert sorted(state[1]) == [(1, "retired"), (2, "published")]
    assert Assessment.objects.count() == 0
