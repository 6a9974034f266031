"""Helpers that answer the questionnaire the way a browser would."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from html.parser import HTMLParser

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


def consensus_codes(client: Client, assessment: Assessment, show: str = "all") -> list[str]:
    """The judgements the consensus summary lists with the filter `show`, in order."""
    page = client.get(f"/assessments/{assessment.pk}/consensus/?show={show}").content.decode()
    return re.findall(r'<tr class="nhsuk-table__row" id="consensus-([A-Z0-9-]+)"', page)


def agree(
    client: Client,
    assessment: Assessment,
    code: str,
    *,
    value: str | None = None,
    rationale: str = "",
    follow: bool = False,
):
    """The lead saves one agreed answer on its question page, as the page's own form
    posts it: the answer shown (or `value`), the version shown, and `rationale`."""
    url = f"/assessments/{assessment.pk}/consensus/{code}/"
    page = client.get(url).content.decode()
    chosen = re.search(rf'name="q-{code}" type="radio" value="([^"]+)" checked', page)
    figure = re.search(rf'name="n-{code}"[^>]*value="([^"]*)"', page)
    version = re.search(rf'name="v-{code}" value="(\d+)"', page)
    data = {
        f"q-{code}": value if value is not None else (chosen.group(1) if chosen else ""),
        f"v-{code}": version.group(1) if version else "0",
        f"r-{code}": rationale,
    }
    if figure:
        data[f"n-{code}"] = figure.group(1)
    return client.post(url, data, follow=follow)


def agree_judgements(
    client: Client,
    assessment: Assessment,
    rationale: Callable[[str], str],
    show: str = "all",
) -> None:
    """The lead keeps the default agreed answer on every judgement the summary lists with
    the filter `show`, each with `rationale(code)`. The consensus summary lists the
    judgements, and nothing else."""
    codes = consensus_codes(client, assessment, show)
    if show == "all":
        assert codes == [question.code for question in pinned_for(assessment).judgements]
    for code in codes:
        response = agree(client, assessment, code, rationale=rationale(code))
        assert response.status_code == 302, response.content.decode()[:2000]


REASON = "Agreed at the board meeting: the board will not wait for the rest."


class _FormFields(HTMLParser):
    """The values a browser would post for the fields whose names start with `prefix`."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix
        self.values: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        name = found.get("name") or ""
        if not name.startswith(self.prefix):
            return
        if tag == "textarea":
            self._textarea = name
            self.values[name] = ""
        elif tag == "input" and found.get("type") == "radio":
            if "checked" in found:
                self.values[name] = found.get("value") or ""
        elif tag == "input":
            self.values[name] = found.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            shown = self.values[self._textarea]
            # A browser drops the newline that starts a textarea's content.
            self.values[self._textarea] = shown + (data if shown else data.removeprefix("\n"))


def form_fields(page: str, prefix: str) -> dict[str, str]:
    """What the page's form posts for its fields named `prefix…`, as shown."""
    parser = _FormFields(prefix)
    parser.feed(page)
    return parser.values


def submit_board(client: Client, assessment: Assessment, reason: str = REASON, **extra: object):
    """The lead submits as the submit page asks: a reason for each warning on it, the board
    paper's cover sheet as the page fills it in, and the confirmation. Returns the response
    to the submission."""
    url = f"/assessments/{assessment.pk}/submit/"
    page = client.get(url).content.decode()
    data: dict[str, object] = {"confirm": "on", **form_fields(page, "paper-")}
    for name in re.findall(r'name="(reason-[a-z0-9-]+)"', page):
        data[name] = reason
    data.update(extra)
    return client.post(url, data, follow=bool(extra.pop("follow", False)))


# Reasons for every warning the submit page can give, for tests that call the service.
REASONS = {"members": REASON, "coverage": REASON}
