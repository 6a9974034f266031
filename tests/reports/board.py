"""Helpers that take an assessment through the board's journey, the way a browser would,
to the board paper download."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from django.test import Client
from pypdf import PdfReader

from assessment.models import Assessment, Membership
from assessment.selectors import pinned_for

FOOTER = "Assess your trust's sustainability: board paper"


def member_client(member: Membership) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def agree_everything(lead: Client, assessment: Assessment, rationale: Callable[[str], str]) -> None:
    """The default agreed answer kept on every question, each with `rationale(code)`."""
    url = f"/assessments/{assessment.pk}/consensus/"
    page = lead.get(url).content.decode()
    codes = re.findall(r'id="consensus-([A-Z0-9-]+)"', page)
    assert len(codes) == len(pinned_for(assessment).definition.questions)
    data = {}
    for code in codes:
        chosen = re.search(rf'name="q-{code}" type="radio" value="([^"]+)" checked', page)
        figure = re.search(rf'name="n-{code}"[^>]*value="([^"]*)"', page)
        data[f"q-{code}"] = chosen.group(1) if chosen else ""
        if figure:
            data[f"n-{code}"] = figure.group(1)
        data[f"v-{code}"] = "0"
        data[f"r-{code}"] = rationale(code)
    response = lead.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


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
