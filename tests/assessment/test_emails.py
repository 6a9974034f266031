"""Emails are plain text that arrives as typed, and nothing a lead types reaches a header:
the sender and subject are the service's own."""

from __future__ import annotations

from email import message_from_bytes

import pytest
from django.conf import settings

from assessment.services.assessments import (
    ADDED_SUBJECT,
    INVITATION_SUBJECT,
    assessment_create,
)
from tests.conftest import verified_client
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

NAME = 'O\'Brien & <Sons> "Ltd"'
TITLE = 'Board\'s "2026" review <draft> & notes'
PERIOD = 'April 2025 to March 2026 <provisional> & "audited"'
ESCAPES = ("&lt;", "&gt;", "&quot;", "&#x27;", "&#39;", "&amp;")


@pytest.fixture
def typed(trust, trust_lead):
    return assessment_create(
        organisation=trust, title=TITLE, reporting_period=PERIOD, user=trust_lead.user
    )


def _invite(trust_lead, assessment, capture, *, full_name: str, email: str) -> None:
    with capture(execute=True):
        response = verified_client(trust_lead.user).post(
            f"/assessments/{assessment.pk}/invite/", {"full_name": full_name, "email": email}
        )
    assert response.status_code == 302


def _headers(sent) -> dict[str, list[str]]:
    parsed = message_from_bytes(sent.message().as_bytes())
    return {name.lower(): parsed.get_all(name) for name in set(parsed.keys())}


def test_an_invitation_arrives_with_the_characters_the_lead_typed(
    typed, trust_lead, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    _invite(
        trust_lead, typed, django_capture_on_commit_callbacks, full_name=NAME, email="ob@trust.uk"
    )
    [sent] = mailoutbox
    assert f"Hello {NAME}," in sent.body
    assert f'"{TITLE}" ({PERIOD})' in sent.body
    assert not [escape for escape in ESCAPES if escape in sent.body]
    assert sent.subject == INVITATION_SUBJECT
    assert sent.from_email == settings.DEFAULT_FROM_EMAIL
    assert sent.to == ["ob@trust.uk"]
    for typed_text in ("O'Brien", "Sons", "Ltd", "review", "draft", "2026"):
        assert typed_text not in sent.subject
        assert typed_text not in sent.from_email
    assert trust_lead.user.get_full_name() not in sent.from_email


def test_an_existing_member_added_by_email_gets_the_title_as_typed(
    typed, trust, trust_lead, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    existing = MembershipFactory(organisation=trust)
    _invite(
        trust_lead,
        typed,
        django_capture_on_commit_callbacks,
        full_name=NAME,
        email=existing.user.email,
    )
    [sent] = mailoutbox
    assert f'"{TITLE}" ({PERIOD})' in sent.body
    assert not [escape for escape in ESCAPES if escape in sent.body]
    assert sent.subject == ADDED_SUBJECT
    assert sent.from_email == settings.DEFAULT_FROM_EMAIL


def test_a_name_and_title_with_line_breaks_add_no_header_and_no_recipient(
    trust, trust_lead, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    assessment = assessment_create(
        organisation=trust,
        title="Review\r\nSubject: Urgent payment\r\nBcc: all@evil.example",
        reporting_period="2026",
        user=trust_lead.user,
    )
    _invite(
        trust_lead,
        assessment,
        django_capture_on_commit_callbacks,
        full_name="Eve\r\nBcc: eve@evil.example\r\nFrom: chief.executive@trust.uk",
        email="eve@trust.uk",
    )
    [sent] = mailoutbox
    headers = _headers(sent)
    assert headers["subject"] == [INVITATION_SUBJECT]
    assert headers["from"] == [settings.DEFAULT_FROM_EMAIL]
    assert headers["to"] == ["eve@trust.uk"]
    assert "bcc" not in headers
    assert "cc" not in headers
    assert sent.recipients() == ["eve@trust.uk"]


def test_the_password_reset_email_is_plain_text_from_the_service(
    client, member, mailoutbox
) -> None:
    client.post("/password-reset/", {"email": member.user.email})
    [sent] = mailoutbox
    assert sent.subject == "Reset your password for Assess your trust's sustainability"
    assert sent.from_email == settings.DEFAULT_FROM_EMAIL
    assert "Assess your trust's sustainability." in sent.body
    assert "http://testserver/password-reset/" in sent.body
    assert not [escape for escape in ESCAPES if escape in sent.body]
    assert _headers(sent)["subject"] == [sent.subject]
