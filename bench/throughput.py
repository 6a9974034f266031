"""Throughput of the board journey's busiest requests, against /healthz, on loopback.

Serves the app with gunicorn (two workers, production settings) and measures with wrk:
/healthz, a section page, the results page of a submitted assessment and the autosave, as
four members of one board each saving an answer again and again. Prints requests per
second for each and its ratio to /healthz in the same run (target: every ratio at least
0.25).

Usage (from the project root):
    .venv/bin/python bench/throughput.py [--seconds 10] [--connections 8]
With DATABASE_URL set it uses that PostgreSQL server (a database named assess_bench is
created and dropped); otherwise a SQLite file in a temporary directory.
Needs wrk (apt-get install wrk) and gunicorn (a project dependency).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[1]
AUTOSAVE_LUA = """
-- Each thread is a different board member saving one of their own answers, alternating
-- two values, with the version the previous save returned: every request is a real
-- change, never a stale one.
local answers = {"yes", "maybe"}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("member", counter)
end
function init(args)
  version = versions[member]
  flip = 1
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "sessionid=" .. sessions[member] .. "; csrftoken=" .. csrf[member]
  wrk.headers["X-CSRFToken"] = csrf[member]
end
function request()
  flip = 3 - flip
  local body = "question=SYS-1&q-SYS-1=" .. answers[flip] .. "&v-SYS-1=" .. version
  return wrk.format(nil, nil, nil, body)
end
function response(status, headers, body)
  if status ~= 200 then
    io.write("autosave answered " .. status .. ": " .. body:sub(1, 300) .. "\\n")
  end
  local found = string.match(body, '"version": (%d+)')
  if found then version = tonumber(found) end
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url(workdir: Path) -> tuple[str, str | None]:
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgres"):
        parts = urlsplit(base)
        bench = urlunsplit(parts._replace(path="/assess_bench"))
        admin = urlunsplit(parts._replace(path="/postgres"))
        return bench, admin
    return f"sqlite:///{workdir / 'bench.sqlite3'}", None


def app_env(url: str) -> dict[str, str]:
    """The environment gunicorn and manage.py run with: production settings on loopback."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-" + "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": url,
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def install(env: dict[str, str]) -> None:
    """Migrate, seed and collect the static files, as a deploy does."""
    run(env, "migrate", "-v0")
    run(env, "seed", "-v0")
    run(env, "collectstatic", "--noinput", "-v0")


def run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


SAVERS = 4  # board members saving at once in the autosave measurement: one per wrk thread

FIXTURE = f"""
from django.test import Client
from assessment.models import Membership, Respondent
from assessment.services.assessments import assessment_create, respondents_add
from assessment.services.submissions import assessment_submit
from tests.assessment.journey import REASONS, answer_everything, enter_figures
from tests.conftest import verified_client
from tests.factories import MembershipFactory, OrganisationFactory
from tests.personas import load_persona, persona_paths

answers = load_persona(persona_paths()[1])["answers"]
trust = OrganisationFactory(name="Bench Hospitals NHS Trust", ods_code="RBX")
lead = MembershipFactory(organisation=trust, role=Membership.Role.LEAD)
members = [MembershipFactory(organisation=trust) for _ in range(8)]
done = assessment_create(
    organisation=trust, title="Submitted", reporting_period="2025", user=lead.user
)
respondents_add(assessment=done, users=[m.user for m in members])
for member in members:
    client = Client()
    client.force_login(member.user)
    answer_everything(client, done, answers)
enter_figures(verified_client(lead.user), done, answers)
assessment_submit(assessment=done, user=lead.user, reasons=REASONS)
open_one = assessment_create(
    organisation=trust, title="Open", reporting_period="2026", user=lead.user
)
respondents_add(assessment=open_one, users=[m.user for m in members[:{SAVERS}]])
savers = Respondent.objects.filter(assessment=open_one).order_by("pk")
for number, saver in enumerate(savers, start=1):
    client = Client()
    client.force_login(saver.user)
    answer_everything(client, open_one, answers)
    client.get(f"/assessments/{{open_one.pk}}/response/SYS/")
    print(f"SESSION-{{number}}", client.cookies["sessionid"].value)
    print(f"CSRF-{{number}}", client.cookies["csrftoken"].value)
print("DONE", done.pk)
print("OPEN", open_one.pk)
"""


def lua_table(values: dict[str, str], prefix: str, *, quoted: bool) -> str:
    """The fixture's numbered values (SESSION-1, SESSION-2...) as a Lua array."""
    numbered = sorted(
        (int(key.removeprefix(prefix)), value)
        for key, value in values.items()
        if key.startswith(prefix)
    )
    return "{" + ", ".join(f'"{value}"' if quoted else value for _, value in numbered) + "}"


def write_autosave_script(script: Path, values: dict[str, str], versions: dict[str, str]) -> None:
    script.write_text(
        f"sessions = {lua_table(values, 'SESSION-', quoted=True)}\n"
        f"csrf = {lua_table(values, 'CSRF-', quoted=True)}\n"
        f"versions = {lua_table(versions, 'VERSION-', quoted=False)}\n" + AUTOSAVE_LUA
    )


VERSIONS = """
from assessment.models import Answer
rows = Answer.objects.filter(respondent__assessment={pk}, question__code="SYS-1")
for number, answer in enumerate(rows.order_by("respondent_id"), start=1):
    print(f"VERSION-{{number}}", answer.version)
"""


def versions_now(env: dict[str, str], assessment: str) -> dict[str, str]:
    printed = run(env, "shell", "-c", VERSIONS.format(pk=int(assessment)))
    return dict(line.split(" ", 1) for line in printed.splitlines() if " " in line)


def wrk(
    url: str, seconds: int, connections: int, *, cookie: str, script: Path | None = None
) -> float:
    # The autosave script is one member per thread, tracking their answer's version, so one
    # connection each; its own Cookie header replaces the one given here.
    threads = SAVERS if script is not None else min(connections, 4)
    connections = SAVERS if script is not None else connections
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "-H",
        f"Cookie: {cookie}",
        "-H",
        "Host: 127.0.0.1",
    ]
    if script is not None:
        command += ["-s", str(script)]
    finished = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    output = finished.stdout + finished.stderr
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        sys.exit(f"{url} answered {non_2xx.group(1)} errors under load:\n{output[-3000:]}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--rounds", type=int, default=3, help="measure each request this many times, interleaved"
    )
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="assess-bench-"))
    url, admin = database_url(workdir)
    env = app_env(url)
    if admin:
        subprocess.run(["psql", admin, "-qc", "DROP DATABASE IF EXISTS assess_bench"], check=True)
        subprocess.run(["psql", admin, "-qc", "CREATE DATABASE assess_bench"], check=True)
    install(env)
    # The fixture answers through Django's test client, whose requests name "testserver".
    fixture = run({**env, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver"}, "shell", "-c", FIXTURE)
    values = dict(line.split(" ", 1) for line in fixture.splitlines() if " " in line)
    # The pages are read as the first member; the autosave script signs each thread in as
    # a different member.
    cookie = f"sessionid={values['SESSION-1']}; csrftoken={values['CSRF-1']}"
    script = workdir / "autosave.lua"

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(50):
            try:
                urlopen(f"{base}/healthz", timeout=1)  # noqa: S310 - loopback only
                break
            except OSError:
                time.sleep(0.2)
        pages = {
            "/healthz": (f"{base}/healthz", None),
            "section page": (f"{base}/assessments/{values['OPEN']}/response/SYS/", None),
            "results page": (f"{base}/assessments/{values['DONE']}/results/", None),
            "autosave": (f"{base}/assessments/{values['OPEN']}/response/autosave/", script),
        }
        for target, _ in pages.values():  # warm each worker's caches
            subprocess.run(
                ["wrk", "-t2", "-c2", "-d2s", "-H", f"Cookie: {cookie}", target],
                capture_output=True,
                check=False,
            )
        # Rounds interleave the requests, so that a busy moment on the machine touches them
        # all alike; each ratio is taken within its round, and the median is reported.
        rounds = []
        for _ in range(options.rounds):
            # Each round starts from the versions the last one left, so no save is stale.
            write_autosave_script(script, values, versions_now(env, values["OPEN"]))
            rounds.append(
                {
                    name: wrk(
                        target, options.seconds, options.connections, cookie=cookie, script=lua
                    )
                    for name, (target, lua) in pages.items()
                }
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
        if admin:
            subprocess.run(
                ["psql", admin, "-qc", "DROP DATABASE IF EXISTS assess_bench"], check=False
            )
        shutil.rmtree(workdir, ignore_errors=True)

    database = "PostgreSQL" if admin else "SQLite"
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {database}, gunicorn 2 "
        f"workers, wrk {options.connections} connections x {options.seconds}s"
    )
    print(f"{options.rounds} rounds; median requests per second, median ratio to /healthz")
    print(f"{'request':<16}{'req/s':>10}{'ratio':>8}   ratios by round")
    ratios: dict[str, float] = {}
    for name in pages:
        by_round = [measured[name] / measured["/healthz"] for measured in rounds]
        ratios[name] = statistics.median(by_round)
        rate = statistics.median(measured[name] for measured in rounds)
        shown = " ".join(f"{ratio:.2f}" for ratio in by_round)
        print(f"{name:<16}{rate:>10.1f}{ratios[name]:>8.2f}   {shown}")
    below = [name for name, ratio in ratios.items() if ratio < 0.25]
    print(
        "Target (each at least 0.25 of /healthz): "
        + ("met" if not below else f"missed by {', '.join(below)}")
    )


if __name__ == "__main__":
    main()
