"""Helpers that answer the questionnaire the way a browser would."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from django.test import Client

from assessment.models import Assessment
from assessment.scoring import definitions as d
from assessment.selectors import pinned_for


def raw(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


SOURCE = "Annual report and accounts 2024/25"


def section_data(
    question_set: tuple[d.Question, ...],
    answers: Mapping[str, object],
    html: str = "",
    source: str | None = None,
) -> dict[str, str]:
    """POST data for a section: each question's choice (and figure), and the versions the
    page showed (read from its HTML when given). With `source`, each figure's source too."""
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
        if source is not None and value not in ("", "dk", "na"):
            data[f"note-{question.code}"] = source
        found = re.search(rf'name="v-{re.escape(question.code)}" value="(\d+)"', html)
        data[f"v-{question.code}"] = found.group(1) if found else "0"
    return data


def answer_everything(
    client: Client, assessment: Assessment, answers: Mapping[str, object]
) -> None:
    """A member answers every judgement in `answers`; the figures in it are not theirs."""
    pinned = pinned_for(assessment)
    for domain in pinned.judgement_sections:
        url = f"/assessments/{assessment.pk}/response/{domain.code}/"
        html = client.get(url).content.decode()
        response = client.post(
            url, section_data(pinned.judgements_by_section[domain.code], answers, html)
        )
        assert response.status_code == 302, (domain.code, response.content.decode()[:2000])


def enter_figures(
    client: Client, assessment: Assessment, answers: Mapping[str, object], source: str = SOURCE
) -> None:
    """The lead (or the member named for a section) enters the figures in `answers`, each
    with a source, through the figures pages."""
    pinned = pinned_for(assessment)
    for domain in pinned.figure_sections:
        url = f"/assessments/{assessment.pk}/figures/{domain.code}/"
        html = client.get(url).content.decode()
        data = section_data(pinned.figures_by_section[domain.code], answers, html, source)
        if not data:
            continue
        response = client.post(url, data)
        assert response.status_code == 302, (domain.code, response.content.decode()[:3000])


def enter_figures_cited(
    client: Client,
    assessment: Assessment,
    answers: Mapping[str, object],
    source: Callable[[str], str],
) -> None:
    """As `enter_figures`, each figure with a source of its own, `source(code)`, so that a
    page or export can be checked for the right source beside the right figure."""
    pinned = pinned_for(assessment)
    for domain in pinned.figure_sections:
        url = f"/assessments/{assessment.pk}/figures/{domain.code}/"
        html = client.get(url).content.decode()
        data = section_data(pinned.figures_by_section[domain.code], answers, html, "")
        if not data:
            continue
        for name in list(data):
            if name.startswith("note-"):
                data[name] = source(name.removeprefix("note-"))
        response = client.post(url, data)
        assert response.status_code == 302, (domain.code, response.content.decode()[:3000])


def agree_judgements(
    client: Client, assessment: Assessment, rationale: Callable[[str], str]
) -> None:
    """The lead keeps the default agreed answer on every judgement, each with
    `rationale(code)`. The consensus page lists the judgements, and nothing else."""
    url = f"/assessments/{assessment.pk}/consensus/"
    page = client.get(url).content.decode()
    codes = re.findall(r'id="consensus-([A-Z0-9-]+)"', page)
    assert codes == [question.code for question in pinned_for(assessment).judgements]
    data = {}
    for code in codes:
        chosen = re.search(rf'name="q-{code}" type="radio" value="([^"]+)" checked', page)
        data[f"q-{code}"] = chosen.group(1) if chosen else ""
        data[f"v-{code}"] = "0"
        data[f"r-{code}"] = rationale(code)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


REASON = "Agreed at the board meeting: the board will not wait for the rest."


def submit_board(client: Client, assessment: Assessment, reason: str = REASON, **extra: object):
    """The lead submits as the submit page asks: a reason for each warning on it, and the
    confirmation. Returns the response to the submission."""
    url = f"/assessments/{assessment.pk}/submit/"
    page = client.get(url).content.decode()
    data: dict[str, object] = {"confirm": "on"}
    for name in re.findall(r'name="(reason-[a-z0-9-]+)"', page):
        data[name] = reason
    data.update(extra)
    return client.post(url, data, follow=bool(extra.pop("follow", False)))


# Reasons for every warning the submit page can give, for tests that call the service.
REASONS = {"members": REASON, "coverage": REASON}
