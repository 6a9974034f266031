"""Load test of the board journey with locust, on loopback, against a throwaway PostgreSQL
database; with --restart, the same while PostgreSQL restarts.

Builds a fixture of trusts (nine board members and a lead each, every member with a full
set of answers to an open assessment, and a submitted assessment per trust), serves the
app with gunicorn (two sync workers, production settings) and runs bench/locustfile.py headless:
members open their task list and section pages and save answers as they change them;
leads record agreed answers and preview the draft result and board paper; everyone opens
a results page and board paper. Then prints the number of requests and failures, each
request type's count, median and 95th percentile response time, and requests per second;
and checks in the database that every save the app acknowledged holds the value of the
last acknowledgement of that answer (or of a later save still unacknowledged, which may
have been written before its response was lost). Exits non-zero if any request failed or
any acknowledged save was lost. As locust, gunicorn and PostgreSQL share the machine's
CPUs, it also prints the CPU seconds each used during the run, and those of every other
process (another job on the machine makes the response times meaningless).

With --restart, only board members run and PostgreSQL itself is restarted --restart-at
seconds into the run (pg_ctlcluster for the cluster on the database's port, otherwise
`service postgresql restart`, or --restart-command). Prints the acknowledged saves, how many
were lost (target 0) and the seconds of errors: from the first failed request to the
last, and how many distinct seconds had one. Exits non-zero only if a save was lost. A
restart breaks every other connection to that server too, so it refuses to start while
another database is in use, and waits for a moment when none is (--force to restart
anyway).

Usage (from the project root):
    .venv/bin/python bench/load.py [--users 200] [--minutes 2]
    .venv/bin/python bench/load.py --restart [--restart-at 20] [--users 200] [--minutes 1]
DATABASE_URL names the PostgreSQL server (default
postgres://postgres:postgres@127.0.0.1:5432/postgres); a database assess_load_<pid> is
created there and dropped at the end. Locust's CSV files, the journal of saves and the
server's logs are kept in bench/results/load-<time>/.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import pwd
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

import psycopg
from throughput import ROOT, app_env, free_port, install

DEFAULT_SERVER = "postgres://postgres:postgres@127.0.0.1:5432/postgres"
MEMBERS_PER_TRUST = 9
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"


# --------------------------------------------------------------------------- fixture


def build_fixture(path: Path, trusts: int) -> None:
    """Write the accounts and questionnaire the locustfile needs to `path`. Runs in its own
    process, with the Django settings of the served app (see `prepare`)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.test import Client

    from assessment.models import Answer, Membership, Organisation, Respondent
    from assessment.selectors import pinned_for
    from assessment.services.assessments import assessment_create
    from assessment.services.figures import FigureChange, figures_save
    from assessment.services.submissions import assessment_submit
    from tests.assessment.journey import REASONS, raw
    from tests.factories import PASSWORD
    from tests.personas import load_persona, persona_paths

    personas = [load_persona(p)["answers"] for p in persona_paths()]
    user_model = get_user_model()
    password = make_password(PASSWORD)  # hashed once: every account shares it

    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Load Test Trust {n} NHS Trust", ods_code=f"L{n:04d}")
        for n in range(trusts)
    )
    people: list[tuple[Organisation, str, Any]] = []
    for n, organisation in enumerate(organisations):
        people.append((organisation, Membership.Role.LEAD, f"lead{n}@load.example.nhs.uk"))
        people += [
            (organisation, Membership.Role.BOARD_MEMBER, f"member{n}-{m}@load.example.nhs.uk")
            for m in range(MEMBERS_PER_TRUST)
        ]
    users = user_model.objects.bulk_create(
        user_model(
            username=email,
            email=email,
            password=password,
            first_name="Load",
            last_name=f"Tester {i}",
        )
        for i, (_, _, email) in enumerate(people)
    )
    Membership.objects.bulk_create(
        Membership(user=user, organisation=organisation, role=role)
        for user, (organisation, role, _) in zip(users, people, strict=True)
    )

    def sign_in(user: Any, verified: bool = False) -> str:
        """A session for `user`; `verified` as after two-factor, which leads must pass."""
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        client = Client()
        client.force_login(user, backend="assessment.backends.UserBackend")
        if verified:
            device = TOTPDevice.objects.create(user=user, name="Authenticator app")
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client.cookies["sessionid"].value

    open_one = None
    members: list[dict[str, Any]] = []
    leads: list[dict[str, Any]] = []
    questions: dict[str, dict[str, Any]] = {}
    for n, organisation in enumerate(organisations):
        board = users[n * (MEMBERS_PER_TRUST + 1) : (n + 1) * (MEMBERS_PER_TRUST + 1)]
        lead, board_members = board[0], board[1:]
        done = assessment_create(
            organisation=organisation, title="Last year", reporting_period="2025", user=lead
        )
        open_one = assessment_create(
            organisation=organisation, title="This year", reporting_period="2026", user=lead
        )
        pinned = pinned_for(open_one)
        if not questions:
            questions = alternatives(pinned, personas)
        stored = [
            {code: q["persona_values"][i] for code, q in questions.items()}
            for i in range(len(personas))
        ]
        done_respondents = Respondent.objects.bulk_create(
            Respondent(assessment=done, user=user) for user in board_members
        )
        open_respondents = Respondent.objects.bulk_create(
            Respondent(assessment=open_one, user=user) for user in board_members
        )
        answers = [
            Answer(respondent=r, question_id=pinned.question_ids[code], value=value)
            for r in done_respondents
            for code, value in stored[n % len(personas)].items()
        ]
        answers += [
            Answer(respondent=r, question_id=pinned.question_ids[code], value=value)
            for m, r in enumerate(open_respondents)
            for code, value in stored[m % len(personas)].items()
        ]
        Answer.objects.bulk_create(answers)
        figures_save(  # entered once for the trust, by its lead
            assessment=done,
            user=lead,
            pinned=pinned,
            changes=[
                FigureChange(
                    question.code,
                    raw(personas[n % len(personas)][question.code]),
                    "Annual report and accounts 2024/25",
                    0,
                )
                for question in pinned.figures
                if question.code in personas[n % len(personas)]
            ],
        )
        assessment_submit(assessment=done, user=lead, reasons=REASONS)
        leads.append(
            {
                "email": lead.email,
                "session": sign_in(lead, verified=True),
                "open": open_one.pk,
                "submitted": done.pk,
            }
        )
        for m, (user, respondent) in enumerate(zip(board_members, open_respondents, strict=True)):
            members.append(
                {
                    "email": user.email,
                    "session": sign_in(user),
                    "respondent": respondent.pk,
                    "open": open_one.pk,
                    "submitted": done.pk,
                    "answers": stored[m % len(personas)],
                }
            )
    assert open_one is not None
    for q in questions.values():
        del q["persona_values"]
    document = {
        "password": PASSWORD,
        "sections": [domain.code for domain in pinned_for(open_one).judgement_sections],
        "questions": questions,
        "members": members,
        "leads": leads,
    }
    path.write_text(json.dumps(document), encoding="utf-8")


def alternatives(pinned: Any, personas: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """For each question: its section, the answers a member can give (the fields a page
    posts, and the value the app stores, normalised by the app's own form), and the value
    each persona gives. "I don't know" is always one of the answers."""
    from assessment.question_forms import QuestionsForm
    from assessment.scoring import definitions as d
    from tests.assessment.journey import section_data

    questions: dict[str, dict[str, Any]] = {}
    for section in pinned.judgement_sections:
        for question in pinned.judgements_by_section[section.code]:
            code = question.code
            dont_know = {f"q-{code}": "dk"}
            if question.kind == d.NUMBER:
                dont_know[f"n-{code}"] = ""
            posted = [
                {k: v for k, v in section_data((question,), answers).items() if k[:2] != "v-"}
                for answers in personas
            ]
            options: dict[str, dict[str, str]] = {}
            values = []
            for fields in [*posted, dont_know]:
                form = QuestionsForm(fields, questions=[question], values={})
                if not form.is_valid():
                    raise SystemExit(f"{code}: {fields} is refused: {form.errors.as_text()}")
                values.append(form.values[code])
                options.setdefault(form.values[code], fields)
            questions[code] = {
                "section": section.code,
                "alternatives": [{"fields": f, "value": v} for v, f in options.items()],
                "persona_values": values[: len(personas)],
            }
    return questions


# --------------------------------------------------------------------------- database


def admin_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_SERVER


def database_url(name: str) -> str:
    return urlunsplit(urlsplit(admin_url())._replace(path=f"/{name}"))


def admin(statement: str) -> None:
    with psycopg.connect(admin_url(), autocommit=True, connect_timeout=5) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


def wait_for_postgres(timeout: float = 120) -> float:
    """Seconds until the server accepts connections again."""
    started = time.monotonic()
    while True:
        try:
            with psycopg.connect(admin_url(), connect_timeout=2) as connection:
                connection.execute("SELECT 1")
            return time.monotonic() - started
        except psycopg.OperationalError:
            if time.monotonic() - started > timeout:
                raise
            time.sleep(0.2)


def restart_command() -> list[str]:
    """pg_ctlcluster for the cluster listening on the database's port, if there is one."""
    port = urlsplit(admin_url()).port or 5432
    if shutil.which("pg_lsclusters") and shutil.which("pg_ctlcluster"):
        listing = subprocess.run(
            ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=False
        ).stdout
        for line in listing.splitlines():
            version, cluster, cluster_port, *_ = line.split()
            if cluster_port == str(port):
                return ["pg_ctlcluster", version, cluster, "restart"]
    return ["service", "postgresql", "restart"]


def other_connections(name: str) -> list[str]:
    with psycopg.connect(admin_url(), connect_timeout=5) as connection:
        rows = connection.execute(
            "SELECT datname, count(*) FROM pg_stat_activity WHERE datname IS NOT NULL "
            "AND datname <> %s AND pid <> pg_backend_pid() GROUP BY datname",
            [name],
        ).fetchall()
    return [f"{database} ({count})" for database, count in rows]


def stored_answers(url: str, respondents: list[int]) -> dict[tuple[int, str], tuple[str, str]]:
    with psycopg.connect(url, connect_timeout=5) as connection:
        rows = connection.execute(
            "SELECT a.respondent_id, q.code, a.value, a.note FROM assessment_answer a "
            "JOIN assessment_question q ON q.id = a.question_id "
            "WHERE a.respondent_id = ANY(%s)",
            [respondents],
        ).fetchall()
    return {(respondent, code): (value, note) for respondent, code, value, note in rows}


# --------------------------------------------------------------------------- server


@dataclass
class Served:
    base: str
    url: str
    workdir: Path
    fixture: Path
    members: int
    leads: int
    server: subprocess.Popen[bytes] | None = None
    cpu: str = ""
    env: dict[str, str] = field(default_factory=dict)


@contextmanager
def prepare(options: argparse.Namespace, workdir: Path) -> Iterator[Served]:
    """A throwaway database with the fixture, and gunicorn serving it; both gone after."""
    name = f"assess_load_{os.getpid()}"
    url = database_url(name)
    env = app_env(url)
    # Enough members for every user, should all be members (as with --restart).
    trusts = math.ceil(options.users / MEMBERS_PER_TRUST) + 1
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"')
    served = Served(
        base="",
        url=url,
        workdir=workdir,
        fixture=workdir / "fixture.json",
        members=trusts * MEMBERS_PER_TRUST,
        leads=trusts,
        env=env,
    )
    try:
        started = time.monotonic()
        install(env)
        result = subprocess.run(
            [
                sys.executable,
                __file__,
                "--build-fixture",
                str(served.fixture),
                "--trusts",
                str(trusts),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            sys.exit(f"Building the fixture failed:\n{result.stderr[-3000:]}")
        print(
            f"Database {name}: {trusts} trusts, {served.members} members, {served.leads} leads "
            f"({time.monotonic() - started:.0f} s to build)"
        )
        port = free_port()
        served.base = f"http://127.0.0.1:{port}"
        with (workdir / "server.log").open("wb") as log:
            served.server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi",
                    "--workers",
                    str(options.workers),
                    "--threads",
                    str(options.threads),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--access-logfile",
                    str(workdir / "access.log"),
                    "--access-logformat",
                    '%(t)s %(p)s "%(r)s" %(s)s %(b)s %(M)sms',
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for_app(served)
        yield served
    finally:
        if served.server is not None:
            served.server.send_signal(signal.SIGTERM)
            try:
                served.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                served.server.kill()
        with suppress(psycopg.Error):
            wait_for_postgres(timeout=60)
            admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            print(f"Database {name} dropped.")


def wait_for_app(served: Served) -> None:
    for _ in range(100):
        try:
            urlopen(f"{served.base}/healthz", timeout=2)  # noqa: S310 - loopback only
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not start:\n{tail(served.workdir / 'server.log')}")


def tail(path: Path, characters: int = 3000) -> str:
    return path.read_text(errors="replace")[-characters:] if path.exists() else ""


# --------------------------------------------------------------------------- run


@dataclass
class Restart:
    """Restarts PostgreSQL `at` seconds after `start`, or, unless `force`, as soon after as
    no other database is in use (up to `latest` seconds after `start`, then not at all)."""

    command: list[str]
    at: float
    latest: float
    force: bool = False
    start: float = 0.0
    began: float = 0.0
    ended: float = 0.0
    down: float = 0.0
    back: float = 0.0
    error: str = ""
    database: str = ""
    others: list[str] = field(default_factory=list)

    def __call__(self) -> None:
        with suppress(psycopg.Error):
            self.others = other_connections(self.database)
            while self.others and not self.force:
                if time.time() - self.start > self.latest:
                    self.error = f"not restarted: other databases in use ({self.others})"
                    return
                time.sleep(0.5)
                self.others = other_connections(self.database)
        watching = threading.Event()
        watcher = threading.Thread(target=self.watch, args=(watching,))
        self.began = time.time()
        watcher.start()
        result = subprocess.run(self.command, capture_output=True, text=True, check=False)
        self.ended = time.time()
        if result.returncode != 0:
            self.error = (result.stderr or result.stdout).strip()
        with suppress(psycopg.Error):
            wait_for_postgres()
        watching.set()
        watcher.join()

    def watch(self, done: threading.Event) -> None:
        """Try a new connection every 0.1 s: when the first fails, and when one succeeds
        again after that."""
        while not done.is_set() or (self.down and not self.back):
            try:
                with psycopg.connect(admin_url(), connect_timeout=2) as connection:
                    connection.execute("SELECT 1")
                if self.down and not self.back:
                    self.back = time.time()
            except psycopg.Error:
                self.down = self.down or time.time()
            time.sleep(0.1)


def run_locust(options: argparse.Namespace, served: Served, restart: Restart | None) -> int:
    seconds = round(options.minutes * 60)
    rate = options.spawn_rate or max(1, options.users // 10)
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        served.base,
        "--users",
        str(options.users),
        "--spawn-rate",
        str(rate),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "30",
        "--csv",
        str(served.workdir / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--fixture",
        str(served.fixture),
        "--journal",
        str(served.workdir / "journal.json"),
        "--think",
        str(options.think[0]),
        str(options.think[1]),
        "--sign-in",
        options.sign_in,
    ]
    if restart is not None:
        command.append("BoardMember")
    assert served.server is not None
    cpu = CpuUse(server_pid=served.server.pid, postgres_uid=postgres_uid())
    with (served.workdir / "locust.log").open("w") as log:
        cpu.begin()
        started = time.monotonic()
        locust = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        timer = None
        if restart is not None:
            restart.start = time.time()
            timer = threading.Timer(restart.at, restart)
            timer.start()
        code = locust.wait()
        if timer is not None:
            timer.join()
        served.cpu = cpu.report(time.monotonic() - started)
    return code


def postgres_uid() -> int:
    try:
        return pwd.getpwnam("postgres").pw_uid
    except KeyError:
        return -1


# --------------------------------------------------------------------------- CPU


CLOCK = os.sysconf("SC_CLK_TCK")


def machine_busy() -> float:
    """CPU seconds the machine has spent busy since boot (every CPU, every process)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(
        int, Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / CLOCK


def process_times() -> dict[int, tuple[int, int, float, float]]:
    """pid: (parent, uid, own CPU seconds, own and reaped children's CPU seconds)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            uid = entry.stat().st_uid
        except OSError:
            continue
        utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
        own = (utime + stime) / CLOCK
        found[int(entry.name)] = (int(fields[1]), uid, own, own + (cutime + cstime) / CLOCK)
    return found


@dataclass
class CpuUse:
    """CPU seconds used by the served app, PostgreSQL, locust, and everything else. A
    PostgreSQL process counts from when it is first seen, so a restart loses what the old
    processes used in their last moments."""

    server_pid: int
    postgres_uid: int
    start: dict[str, float] = field(default_factory=dict)
    postgres: dict[int, float] = field(default_factory=dict)

    def sample(self) -> tuple[dict[str, float], dict[int, float]]:
        times = process_times()
        workers = [pid for pid, (parent, *_rest) in times.items() if parent == self.server_pid]
        server = times.get(self.server_pid, (0, 0, 0.0, 0.0))[3]
        children = os.times()
        totals = {
            "machine": machine_busy(),
            "server": server + sum(times[pid][2] for pid in workers),
            "locust": children.children_user + children.children_system,
            "bench": children.user + children.system,
        }
        postgres = {pid: t[3] for pid, t in times.items() if t[1] == self.postgres_uid}
        return totals, postgres

    def begin(self) -> None:
        self.start, self.postgres = self.sample()

    def report(self, seconds: float) -> str:
        end, postgres = self.sample()
        used = {key: end[key] - self.start[key] for key in end}
        used["postgres"] = sum(
            max(0.0, value - self.postgres.get(pid, 0.0)) for pid, value in postgres.items()
        )
        other = used["machine"] - sum(value for key, value in used.items() if key != "machine")
        idle = (os.cpu_count() or 1) * seconds - used["machine"]
        return (
            f"CPU seconds during the run ({os.cpu_count()} CPUs x {seconds:.0f} s): gunicorn "
            f"{used['server']:.0f}, PostgreSQL {used['postgres']:.0f}, locust "
            f"{used['locust']:.0f}, other processes {max(other, 0):.0f}, idle {max(idle, 0):.0f}"
        )


# --------------------------------------------------------------------------- report


def read_stats(workdir: Path) -> list[dict[str, str]]:
    with (workdir / "locust_stats.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def count_exceptions(workdir: Path) -> int:
    path = workdir / "locust_exceptions.csv"
    if not path.exists():
        return 0
    with path.open(newline="") as handle:
        return sum(int(row["Count"]) for row in csv.DictReader(handle))


def number(text: str) -> str:
    try:
        return f"{float(text):.0f}"
    except ValueError:
        return text


def print_stats(rows: list[dict[str, str]]) -> tuple[int, int]:
    total = next(row for row in rows if row["Name"] == "Aggregated")
    requests, failures = int(total["Request Count"]), int(total["Failure Count"])
    print(f"Requests {requests}, failures {failures}, {float(total['Requests/s']):.1f} requests/s")
    print(f"{'request':<42}{'count':>7}{'failed':>8}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}")
    for row in [*sorted((r for r in rows if r is not total), key=lambda r: r["Name"]), total]:
        print(
            f"{row['Type'] + ' ' + row['Name'] if row is not total else 'all':<42}"
            f"{row['Request Count']:>7}{row['Failure Count']:>8}"
            f"{number(row['Median Response Time']):>11}{number(row['95%']):>9}"
            f"{number(row['Max Response Time']):>9}"
        )
    return requests, failures


def check_saves(served: Served, journal: dict[str, Any]) -> int:
    """Acknowledged answers whose stored value is neither the last acknowledged one nor
    that of a later save still unacknowledged."""
    acknowledged = {(r, code): (value, note) for r, code, value, note in journal["acknowledged"]}
    unsure: dict[tuple[int, str], set[tuple[str, str]]] = {}
    for r, code, value, note in journal["unacknowledged"]:
        unsure.setdefault((r, code), set()).add((value, note))
    stored = stored_answers(served.url, sorted({r for r, _ in acknowledged}))
    lost = [
        (key, answer, stored.get(key))
        for key, answer in acknowledged.items()
        if stored.get(key) != answer and stored.get(key) not in unsure.get(key, set())
    ]
    written_unacknowledged = sum(1 for key, answers in unsure.items() if stored.get(key) in answers)
    print(
        f"Saves acknowledged {journal['acknowledged_count']} (last of each answer: "
        f"{len(acknowledged)}), lost {len(lost)}; saves never acknowledged "
        f"{sum(len(a) for a in unsure.values())}, of which stored anyway {written_unacknowledged}"
    )
    for key, answer, found in lost[:10]:
        print(f"  lost: respondent {key[0]} {key[1]} acknowledged {answer}, stored {found}")
    return len(lost)


def print_errors(journal: dict[str, Any], restart: Restart | None) -> None:
    failures = journal["failures"]
    if not failures:
        print("Seconds of errors: 0 (no request failed)")
        return
    times = [when for when, _, _ in failures]
    seconds = len({math.floor(when) for when in times})
    around = ""
    if restart is not None and restart.began:
        around = (
            f" ({times[0] - restart.began:+.1f} s to {times[-1] - restart.began:+.1f} s from "
            "the start of the restart)"
        )
    print(
        f"Seconds of errors: {times[-1] - times[0]:.1f} from the first failed request to the "
        f"last{around}; {seconds} distinct seconds with a failure; {len(failures)} failed "
        "requests"
    )
    kinds: dict[str, int] = {}
    for _, name, error in failures:
        label = f"{name}: {re.sub(r'[0-9a-f]{8,}', '…', error)[:80]}"
        kinds[label] = kinds.get(label, 0) + 1
    for label, count in sorted(kinds.items(), key=lambda item: -item[1])[:8]:
        print(f"  {count:>6}  {label}")


def describe(options: argparse.Namespace, journal: dict[str, Any], load_before: float) -> str:
    with psycopg.connect(admin_url(), connect_timeout=5) as connection:
        version = connection.execute("SHOW server_version").fetchone()
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    users = ", ".join(f"{count} {name}" for name, count in sorted(journal["users"].items()))
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}: Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs ({cpu}), PostgreSQL "
        f"{version[0] if version else '?'}; gunicorn {options.workers} workers "
        f"({'sync' if options.threads == 1 else f'{options.threads} threads each'}); "
        f"{options.users} users ({users}) for "
        f"{options.minutes * 60:.0f} s, think time {options.think[0]:g}-{options.think[1]:g} s, "
        f"signed in by {options.sign_in}; load average {load_before:.2f} before the bench"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=2)
    parser.add_argument("--spawn-rate", type=float, default=0, help="default: users / 10")
    parser.add_argument("--think", nargs=2, type=float, default=[2.0, 8.0], metavar=("MIN", "MAX"))
    parser.add_argument("--sign-in", choices=["session", "form"], default="session")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, default=1, help="per worker; 1 is gunicorn's sync worker"
    )
    parser.add_argument("--restart", action="store_true", help="restart PostgreSQL mid-run")
    parser.add_argument("--restart-at", type=float, default=20, help="seconds into the run")
    parser.add_argument("--restart-command", help="default: pg_ctlcluster for the port")
    parser.add_argument(
        "--force", action="store_true", help="restart even if other databases are in use"
    )
    parser.add_argument("--build-fixture", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--trusts", type=int, default=1, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.build_fixture:
        build_fixture(options.build_fixture, options.trusts)
        return

    load_before = os.getloadavg()[0]  # of whatever else runs on the machine
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    workdir = ROOT / "bench" / "results" / f"load-{stamp}{'-restart' if options.restart else ''}"
    workdir.mkdir(parents=True)
    restart = None
    if options.restart and not options.force and (others := other_connections("")):
        sys.exit(
            "Other databases on this PostgreSQL server are in use, and a restart would break "
            f"their connections: {', '.join(others)}. Try again later, or add --force."
        )
    if options.restart:
        command = options.restart_command.split() if options.restart_command else restart_command()
        restart = Restart(
            command=command,
            at=options.restart_at,
            latest=options.minutes * 60 - 20,
            force=options.force,
        )
    with prepare(options, workdir) as served:
        if restart is not None:
            restart.database = urlsplit(served.url).path.lstrip("/")
            print(
                f"Restarting PostgreSQL {restart.at:g} s into the run with "
                f"`{' '.join(restart.command)}`"
            )
        code = run_locust(options, served, restart)
        journal_path = workdir / "journal.json"
        if not journal_path.exists():
            sys.exit(f"locust exited with {code} and no journal:\n{tail(workdir / 'locust.log')}")
        journal = json.loads(journal_path.read_text())
        print(describe(options, journal, load_before))
        print(served.cpu)
        requests, failures = print_stats(read_stats(workdir))
        exceptions = count_exceptions(workdir)
        if exceptions:
            print(f"Exceptions in the scenario: {exceptions} (see locust_exceptions.csv)")
        if restart is not None:
            if restart.error:
                print(f"Restart of PostgreSQL: {restart.error}")
            if restart.began and restart.others:
                print(f"The restart broke connections to: {', '.join(restart.others)}")
            if restart.began:
                refused = (
                    f"new connections refused for {restart.back - restart.down:.1f} s"
                    if restart.down
                    else "no new connection refused (tried every 0.1 s)"
                )
                print(
                    f"PostgreSQL restarted {restart.began - restart.start:.1f} s into the run: "
                    f"the command took {restart.ended - restart.began:.1f} s; {refused}"
                )
        print_errors(journal, restart)
        lost = check_saves(served, journal)
    print(f"Logs and CSV files: {workdir.relative_to(ROOT)}")
    if lost or (restart is not None and restart.error):
        sys.exit(1)
    if restart is None and (failures or exceptions or requests == 0):
        sys.exit(1)


if __name__ == "__main__":
    main()
