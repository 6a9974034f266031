"""Helpers that download the board paper the way a browser would, and read what it says.
The journey up to it (answers, figures, agreed judgements) is in tests/assessment/journey.py."""

from __future__ import annotations

import io

from django.test import Client
from pypdf import PdfReader

from assessment.models import Assessment, Membership

FOOTER = "Assess your trust's sustainability: board paper"


def member_client(member: Membership) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def squashed(text: str) -> str:
    """Text without white space: a line may end after a hyphen ("QUAL- 1")."""
    return "".join(text.split())


def paper_body(pdf: bytes) -> str:
    """What the paper says, without white space and without what every page carries: the
    marking, running header and footer (drawn first) and the page number (drawn last).
    Text that runs on over a page reads here as one."""
    body = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        lines = (page.extract_text() or "").splitlines()
        assert lines[-1].startswith("Page ")
        body += lines[lines.index(FOOTER) + 1 : -1]
    return squashed(" ".join(body))


def downloaded_paper(client: Client, assessment: Assessment) -> str:
    """The board paper as its reader downloads it, through `paper_body`."""
    response = client.get(f"/assessments/{assessment.pk}/board-paper.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return paper_body(response.content)
