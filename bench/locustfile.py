"""Locust scenario: a crowd of board members answering and assessment leads agreeing.

Board members (`BoardMember`, nine in ten users) open their task list, open section pages
and save answers one at a time as they change them, as static/js/autosave.js does: the
question's fields, an evidence note, the version the page showed (`v-CODE`) and the CSRF
token in X-CSRFToken; the version each save returns is sent with the next save of that
question. Now and then they open the submitted assessment's results page and board paper.
Assessment leads (`AssessmentLead`) open the consensus summary, record agreed answers with
a rationale on three questions' own pages, look at the board's progress, and preview the
draft results and board paper.

Each simulated user is a distinct account of the fixture that bench/load.py builds, and
each member answers only their own response, so no save can be stale: a 409 conflict is
counted as a failure (its version is still taken up, as the page does). A save that fails
(503 while the database is away, or no answer at all) is sent again unchanged after 5, 10,
20, then every 30 seconds until it is acknowledged, as the page does, and the member
changes nothing else meanwhile.

Requests go one connection each (Connection: close), as the TLS-terminating proxy in
front of gunicorn sends them. Users sign in with a session made for them in advance (the
default) or through the sign-in form (`--sign-in form`), which costs a full password hash
each. Every request has a `name`, so locust reports each kind apart. With `--journal PATH`,
every acknowledged save (respondent, question, value, note), every save still
unacknowledged, and the time of every failed request are written to PATH at the end, for
bench/load.py to check against the database.

Run it through bench/load.py, which builds the fixture and serves the app. By hand:
    .venv/bin/locust -f bench/locustfile.py --host http://127.0.0.1:8000 \
        --fixture fixture.json [--journal journal.json] [--think 2 8] [--sign-in form]
"""

from __future__ import annotations

import itertools
import json
import random
import re
import time
from collections import Counter
from html.parser import HTMLParser
from http.cookiejar import Cookie, DefaultCookiePolicy
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gevent
from locust import FastHttpUser, events, task

AUTOSAVE_RETRY_SECONDS = (5, 10, 20, 30)
NOTES = ("", "", "Board report, finance committee.", "Quality committee minutes.")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOOPBACK = ("127.0.0.1", "localhost", "::1")
RATIONALE = "Agreed at the board meeting after discussion of the members' answers."


@events.init_command_line_parser.add_listener
def _options(parser: Any) -> None:
    parser.add_argument("--fixture", default="", help="Fixture JSON written by bench/load.py")
    parser.add_argument("--journal", default="", help="Write acknowledged saves here")
    parser.add_argument(
        "--think", nargs=2, type=float, default=[2.0, 8.0], help="Seconds between actions"
    )
    parser.add_argument("--sign-in", default="session", choices=["session", "form"])


class Fixture:
    """The accounts and questionnaire of bench/load.py's fixture, handed out one account
    per simulated user."""

    def __init__(self, path: str) -> None:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        self.password: str = data["password"]
        self.sections: list[str] = data["sections"]
        self.questions: dict[str, dict[str, Any]] = data["questions"]
        self.by_section = {
            section: [code for code, q in self.questions.items() if q["section"] == section]
            for section in self.sections
        }
        self._accounts = {"member": data["members"], "lead": data["leads"]}
        self._next = {kind: itertools.count() for kind in self._accounts}

    def account(self, kind: str) -> dict[str, Any]:
        index = next(self._next[kind])
        accounts = self._accounts[kind]
        if index >= len(accounts):
            raise RuntimeError(f"More simulated {kind}s than the fixture's {len(accounts)}.")
        return accounts[index]


class Journal:
    """What the simulated users saw: acknowledged saves, saves not yet acknowledged, and
    failed requests, by wall-clock time."""

    def __init__(self) -> None:
        self.acknowledged: dict[tuple[int, str], tuple[str, str]] = {}
        self.unacknowledged: dict[tuple[int, str], list[tuple[str, str]]] = {}
        self.acknowledged_count = 0
        self.failures: list[tuple[float, str, str]] = []
        self.users: Counter[str] = Counter()

    def attempt(self, key: tuple[int, str], answer: tuple[str, str]) -> None:
        self.unacknowledged.setdefault(key, []).append(answer)

    def acknowledge(self, key: tuple[int, str], answer: tuple[str, str]) -> None:
        self.acknowledged[key] = answer
        self.unacknowledged.pop(key, None)
        self.acknowledged_count += 1

    def write(self, path: str) -> None:
        document = {
            "users": dict(self.users),
            "acknowledged_count": self.acknowledged_count,
            "acknowledged": [[*key, *answer] for key, answer in self.acknowledged.items()],
            "unacknowledged": [
                [*key, *answer]
                for key, answers in self.unacknowledged.items()
                for answer in answers
            ],
            "failures": sorted(self.failures),
        }
        Path(path).write_text(json.dumps(document), encoding="utf-8")


FIXTURE: Fixture | None = None
JOURNAL = Journal()


@events.init.add_listener
def _load_fixture(environment: Any, **kwargs: Any) -> None:
    global FIXTURE
    options = environment.parsed_options
    if options is not None and options.fixture:
        FIXTURE = Fixture(options.fixture)


@events.request.add_listener
def _record_failure(
    name: str, response_time: float, exception: Any, start_time: float | None = None, **kw: Any
) -> None:
    if exception is not None:
        ended = (start_time or time.time()) + (response_time or 0) / 1000
        JOURNAL.failures.append((ended, name, str(exception)[:200]))


@events.quitting.add_listener
def _write_journal(environment: Any, **kwargs: Any) -> None:
    options = environment.parsed_options
    if options is not None and options.journal:
        JOURNAL.write(options.journal)


class FormReader(HTMLParser):
    """The fields a browser would submit from a page: text and hidden inputs, checked
    radios and checkboxes, and textareas (the last field of a name wins)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        name = attributes.get("name")
        if not name:
            return
        if tag == "input":
            kind = (attributes.get("type") or "text").lower()
            if kind in ("radio", "checkbox"):
                if "checked" in attributes:
                    self.fields[name] = attributes.get("value") or "on"
            elif kind not in ("submit", "button", "reset", "image", "file"):
                self.fields[name] = attributes.get("value") or ""
        elif tag == "textarea":
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            # Django writes a newline after <textarea>, which browsers drop.
            text = self.fields[self._textarea] + data
            self.fields[self._textarea] = text.removeprefix("\n")


def form_fields(html: str) -> dict[str, str]:
    reader = FormReader()
    reader.feed(html)
    reader.close()
    return reader.fields


class LoopbackIsSecure(DefaultCookiePolicy):
    """Sends the app's Secure cookies (session, CSRF) to a loopback address over plain
    HTTP, as browsers do for a local address; anywhere else only over HTTPS."""

    def return_ok_secure(self, cookie: Cookie, request: Any) -> bool:
        host = urlsplit(request.get_full_url()).hostname
        return host in LOOPBACK or super().return_ok_secure(cookie, request)


def json_body(response: Any) -> dict[str, Any]:
    try:
        body = json.loads(response.text or "{}")
    except (TypeError, ValueError):
        return {}
    return body if isinstance(body, dict) else {}


def problem(response: Any) -> str:
    """Why a request failed: the client's error when there was no response."""
    error = getattr(response, "error", None)
    return f"{type(error).__name__}: {error}" if error is not None else ""


class JourneyUser(FastHttpUser):
    """A signed-in user of the fixture, with the think time given on the command line."""

    abstract = True
    kind = ""
    # Time-outs well above gunicorn's own 30 s, so that the server, not the client, gives up.
    network_timeout = 90.0
    connection_timeout = 90.0
    # One connection per request, as the TLS-terminating proxy in front of gunicorn sends
    # them (gunicorn's sync workers close each connection after one response anyway).
    # With threaded workers, a connection kept idle races gunicorn's two-second
    # keep-alive: a browser resends a request whose reused connection was closed under
    # it, but locust reports "connection closed" as a failure.
    default_headers = {"Connection": "close"}

    def wait_time(self) -> float:
        low, high = self.environment.parsed_options.think
        return random.uniform(low, high)

    def on_start(self) -> None:
        if FIXTURE is None:
            raise RuntimeError("Give the fixture with --fixture (bench/load.py writes it).")
        self.fixture = FIXTURE
        self.account = FIXTURE.account(self.kind)
        self.csrf = ""
        self.client.cookiejar.set_policy(LoopbackIsSecure())
        JOURNAL.users[type(self).__name__] += 1
        if self.environment.parsed_options.sign_in == "form":
            self.sign_in_with_form()
        else:
            self.use_session(self.account["session"])

    def use_session(self, key: str) -> None:
        """The session cookie a browser holds after signing in (Secure, as in production)."""
        host = urlsplit(self.host).hostname or "127.0.0.1"
        self.client.cookiejar.set_cookie(
            Cookie(
                version=0,
                name="sessionid",
                value=key,
                port=None,
                port_specified=False,
                domain=host,
                domain_specified=False,
                domain_initial_dot=False,
                path="/",
                path_specified=True,
                secure=True,
                expires=None,
                discard=True,
                comment=None,
                comment_url=None,
                rest={"HttpOnly": ""},
            )
        )

    def sign_in_with_form(self) -> None:
        page = self.client.get("/sign-in/", name="sign-in page")
        token = form_fields(page.text or "").get("csrfmiddlewaretoken", "")
        data = {
            "csrfmiddlewaretoken": token,
            "username": self.account["email"],
            "password": self.fixture.password,
            "next": "",
        }
        with self.client.post(
            "/sign-in/", data=data, name="sign in", allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("Location", "") if response.headers else ""
            if response.status_code != 302 or "sign-in" in location:
                response.failure(f"sign-in refused: {response.status_code} {location}")

    def page(self, url: str, name: str, *, expect: str = "text/html") -> Any:
        """GET a page; a failure unless it is a 200 of the expected type. Redirects are not
        followed: every page here answers a signed-in user directly, and a redirect (to
        sign in, say) is a failure."""
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True
        ) as response:
            kind = response.headers.get("Content-Type", "") if response.headers else ""
            if response.status_code != 200:
                location = response.headers.get("Location", "") if response.headers else ""
                why = location or (problem(response) if response.status_code == 0 else "")
                response.failure(f"{response.status_code} {why}".strip())
            elif not kind.startswith(expect):
                response.failure(f"expected {expect}, got {kind}")
            elif expect == "text/html":
                token = CSRF_FIELD.search(response.text or "")
                if token:
                    self.csrf = token.group(1)
        return response


class BoardMember(JourneyUser):
    """Answers their own response to the trust's open assessment, a section at a time."""

    weight = 9
    kind = "member"

    def on_start(self) -> None:
        super().on_start()
        self.respondent: int = self.account["respondent"]
        self.values: dict[str, tuple[str, str]] = {
            code: (value, "") for code, value in self.account["answers"].items()
        }
        self.versions: dict[str, int] = {}
        self.section_index = random.randrange(len(self.fixture.sections))
        self.section: str | None = None
        self.saves_left = 0
        self.pending: dict[str, Any] | None = None
        self.page(self.tasks_url, "task list")

    @property
    def tasks_url(self) -> str:
        return f"/assessments/{self.account['open']}/response/"

    @task(12)
    def answer(self) -> None:
        if self.pending is not None:
            self.retry_save()
        elif self.section is None or self.saves_left <= 0:
            self.open_next_section()
        else:
            self.save_an_answer()

    @task(2)
    def task_list(self) -> None:
        self.page(self.tasks_url, "task list")

    @task(2)
    def results(self) -> None:
        self.page(f"/assessments/{self.account['submitted']}/results/", "results page")

    @task(1)
    def board_paper(self) -> None:
        self.page(
            f"/assessments/{self.account['submitted']}/board-paper.pdf",
            "board paper PDF",
            expect="application/pdf",
        )

    def open_next_section(self) -> None:
        sections = self.fixture.sections
        self.section_index = (self.section_index + 1) % len(sections)
        code = sections[self.section_index]
        url = f"/assessments/{self.account['open']}/response/{code}/"
        response = self.page(url, "section page")
        if response.status_code != 200:
            self.section = None
            return
        fields = form_fields(response.text or "")
        for question in self.fixture.by_section[code]:
            self.versions[question] = int(fields.get(f"v-{question}") or 0)
        self.section = code
        self.saves_left = random.randint(2, 5)

    def save_an_answer(self) -> None:
        assert self.section is not None
        self.saves_left -= 1
        code = random.choice(self.fixture.by_section[self.section])
        current = self.values.get(code, ("", ""))
        choices = [
            option
            for option in self.fixture.questions[code]["alternatives"]
            if option["value"] != current[0]
        ]
        option = random.choice(choices)
        note = random.choice(NOTES)
        fields = {
            "question": code,
            **option["fields"],
            f"note-{code}": note,
            f"v-{code}": str(self.versions.get(code, 0)),
        }
        self.pending = {"code": code, "fields": fields, "answer": (option["value"], note)}
        JOURNAL.attempt((self.respondent, code), (option["value"], note))
        self.send_save(attempt=0)

    def retry_save(self) -> None:
        assert self.pending is not None
        attempt = self.pending["attempt"]
        delay = AUTOSAVE_RETRY_SECONDS[min(attempt - 1, len(AUTOSAVE_RETRY_SECONDS) - 1)]
        gevent.sleep(max(0.0, self.pending["failed_at"] + delay - time.monotonic()))
        self.send_save(attempt=attempt)

    def send_save(self, *, attempt: int) -> None:
        assert self.pending is not None
        code, answer = self.pending["code"], self.pending["answer"]
        with self.client.post(
            f"/assessments/{self.account['open']}/response/autosave/",
            data=self.pending["fields"],
            headers={"X-CSRFToken": self.csrf, "Accept": "application/json"},
            name="autosave" if attempt == 0 else "autosave (retry)",
            catch_response=True,
        ) as response:
            body = json_body(response)
            if response.status_code == 200 and body.get("status") == "saved":
                self.versions[code] = int(body["version"])
                self.values[code] = answer
                JOURNAL.acknowledge((self.respondent, code), answer)
                self.pending = None
                return
            if response.status_code == 409 and body.get("status") == "conflict":
                # Only this member writes this response: a conflict means a lost version.
                self.versions[code] = int(body["version"])
                self.pending = None
                response.failure(f"409 conflict on {code}, which only this member answers")
                return
            if response.status_code >= 500 or response.status_code == 0:
                self.pending["attempt"] = attempt + 1
                self.pending["failed_at"] = time.monotonic()
                response.failure(
                    f"{response.status_code} {body.get('status') or problem(response)}"
                )
                return
            self.pending = None
            response.failure(f"{response.status_code} {body.get('status', '')}: {body}")


class AssessmentLead(JourneyUser):
    """Agrees the board's answers on the consensus page and previews the draft result."""

    weight = 1
    kind = "lead"

    def on_start(self) -> None:
        super().on_start()
        self.open_id = self.account["open"]
        self.page(f"/assessments/{self.open_id}/", "assessment overview (lead)")

    @task(4)
    def agree(self) -> None:
        """The summary, then three judgements each on its own page, saved with its form."""
        summary = f"/assessments/{self.open_id}/consensus/"
        if self.page(summary, "consensus page").status_code != 200:
            return
        gevent.sleep(self.wait_time())
        for code in random.sample(list(self.fixture.questions), 3):
            url = f"{summary}{code}/"
            response = self.page(url, "consensus question page")
            if response.status_code != 200:
                continue
            fields = form_fields(response.text or "")
            option = random.choice(self.fixture.questions[code]["alternatives"])
            fields.pop(f"n-{code}", None)
            fields.update(option["fields"])
            fields[f"r-{code}"] = RATIONALE
            with self.client.post(
                url,
                data=fields,
                headers={"X-CSRFToken": self.csrf},
                name="consensus save",
                allow_redirects=False,
                catch_response=True,
            ) as saved:
                if saved.status_code != 302:
                    saved.failure(f"agreed answer not saved: {saved.status_code}")

    @task(1)
    def overview(self) -> None:
        self.page(f"/assessments/{self.open_id}/", "assessment overview (lead)")

    @task(1)
    def draft_results(self) -> None:
        self.page(f"/assessments/{self.open_id}/results/", "results page (lead's draft preview)")

    @task(1)
    def draft_board_paper(self) -> None:
        self.page(
            f"/assessments/{self.open_id}/board-paper.pdf",
            "board paper PDF (lead's draft preview)",
            expect="application/pdf",
        )

    @task(1)
    def submitted_results(self) -> None:
        self.page(f"/assessments/{self.account['submitted']}/results/", "results page")
