"""Helpers that answer the questionnaire the way a browser would."""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.test import Client

from assessment.models import Assessment
from assessment.scoring import definitions as d
from assessment.selectors import pinned_for


def raw(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def section_data(
    question_set: tuple[d.Question, ...], answers: Mapping[str, object], html: str = ""
) -> dict[str, str]:
    """POST data for a section: each question's choice (and figure), and the versions the
    page showed (read from its HTML when given)."""
    data: dict[str, str] = {}
    for question in question_set:
        if question.code not in answers:
            continue
        value = raw(answers[question.code])
        if question.kind == d.NUMBER and value not in ("dk", "na"):
            data[f"q-{question.code}"] = "figure"
            data[f"n-{question.code}"] = value
        else:
            data[f"q-{question.code}"] = value
        found = re.search(rf'name="v-{re.escape(question.code)}" value="(\d+)"', html)
        data[f"v-{question.code}"] = found.group(1) if found else "0"
    return data


def answer_everything(
    client: Client, assessment: Assessment, answers: Mapping[str, object]
) -> None:
    pinned = pinned_for(assessment)
    for domain in pinned.sections:
        url = f"/assessments/{assessment.pk}/response/{domain.code}/"
        html = client.get(url).content.decode()
        response = client.post(
            url, section_data(pinned.questions_by_section[domain.code], answers, html)
        )
        assert response.status_code == 302, (domain.code, response.content.decode()[:2000])
