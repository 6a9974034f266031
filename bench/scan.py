"""Vulnerability scan of the running service with wapiti, on loopback only.

Serves the app as bench/throughput.py does (gunicorn, two workers, production settings,
a migrated and seeded SQLite database in a temporary directory), over HTTPS with a
certificate made for the run, so that the Secure session and CSRF cookies travel as they
do in production and no setting is relaxed. Adds the demo trust (`setup_demo
--allow-production`) with a submitted assessment, an open one and an invitation to it,
then runs wapiti twice: anonymously, starting from the home page and the invitation link;
and as a demo board member, signed in through the sign-in form. Writes wapiti's JSON
reports and the server's access and error logs to a folder it prints, and prints the
findings by category and severity. Exits non-zero only if the scan could not run (the
server did not start, the sign-in failed, wapiti failed or overran its bounds).

Only the loopback server is reached: the run happens in a network namespace of its own
holding nothing but a loopback interface (`unshare`), wapiti's scope is that server's
folder, its callback endpoint is a closed loopback port, and the modules that fetch
databases or resolve names on the internet (nikto, wapp, htp, takeover, log4shell) are
left out, as are those about the TLS in front of the app (ssl, https_redirect), which in
production is the proxy's. Each crawl and each attack module is bounded in time, and the
whole wapiti run is stopped if it overruns those bounds.

wapiti cannot share .venv (mitmproxy, which it pins, needs asgiref<3.8; Django 5.2 needs
3.8.1 or later), so the first run installs it, at the version pyproject.toml gives for
`scan`, into a virtualenv of its own (.venv-scan unless --venv says otherwise), before
entering the namespace.

Usage (from the project root):
    .venv/bin/python bench/scan.py [--crawl-seconds 60] [--module-seconds 30]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from http.client import HTTPSConnection
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from throughput import ROOT, app_env, free_port, install, run

# Attack modules that only talk to the target. Left out: nikto, wapp and htp (download
# their databases), takeover and log4shell (resolve names outside), ssl and
# https_redirect (the TLS here is the bench's own), cms, wp_enum and network_device
# (products this is not).
MODULES = [
    "backup",
    "brute_login_form",
    "buster",
    "cookieflags",
    "crlf",
    "csp",
    "csrf",
    "exec",
    "file",
    "htaccess",
    "http_headers",
    "ldap",
    "methods",
    "permanentxss",
    "redirect",
    "shellshock",
    "spring4shell",
    "sql",
    "ssrf",
    "timesql",
    "upload",
    "xss",
    "xxe",
]
# Where wapiti's out-of-band payloads point (SSRF, XXE): a loopback port nobody serves.
CLOSED_ENDPOINT = "http://127.0.0.1:9/"
LEVELS = {4: "critical", 3: "high", 2: "medium", 1: "low", 0: "info"}
KINDS = ("vulnerabilities", "anomalies", "additionals")
NAMESPACE_FLAG = "--in-namespace"

DEMO_DATA = """
from django.contrib.auth import get_user_model
from django.test import Client
from assessment.models import Organisation
from assessment.services import DEMO_ACCOUNTS, DEMO_TRUST
from assessment.services.assessments import (
    assessment_create, invitation_create, invitation_token, respondents_add
)
from assessment.services.submissions import assessment_submit
from tests.assessment.journey import REASONS, answer_everything, enter_figures
from tests.conftest import verified_client
from tests.personas import load_persona, persona_paths

users = get_user_model().objects
lead, *members = (users.get(username=account[0]) for account in DEMO_ACCOUNTS)
trust = Organisation.objects.get(ods_code=DEMO_TRUST["ods_code"])
answers = load_persona(persona_paths()[1])["answers"]
done = assessment_create(organisation=trust, title="Last year", reporting_period="2025", user=lead)
open_one = assessment_create(
    organisation=trust, title="This year", reporting_period="2026", user=lead
)
for assessment in (done, open_one):
    respondents_add(assessment=assessment, users=members)
    for member in members:
        client = Client()
        client.force_login(member)
        answer_everything(client, assessment, answers)
enter_figures(verified_client(lead), done, answers)
assessment_submit(assessment=done, user=lead, reasons=REASONS)
invitation = invitation_create(
    assessment=open_one,
    email="invited@demo.example.nhs.uk",
    full_name="Ria Shah",
    user=lead,
    accept_url=str,
    assessment_url="",
)
print("DONE", done.pk)
print("OPEN", open_one.pk)
print("INVITE", invitation_token(invitation))
"""


@dataclass(frozen=True)
class Scan:
    name: str
    report: Path
    seconds: float
    requests: int


# --------------------------------------------------------------------------- setting up


def scanner_requirement() -> str:
    """wapiti's version range, from pyproject.toml's `scan` group or extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    groups = project.get("dependency-groups", {})
    extras = project["project"].get("optional-dependencies", {})
    found = groups.get("scan") or extras.get("scan")
    if not found:
        sys.exit("pyproject.toml has no `scan` dependency group naming wapiti3.")
    return str(found[0])


def ensure_scanner(venv: Path) -> Path:
    """The wapiti command, installed into `venv` first if it is not there."""
    wapiti = venv / "bin" / "wapiti"
    if wapiti.exists():
        return wapiti
    requirement = scanner_requirement()
    print(f"Installing {requirement} into {venv} (once; it cannot share .venv)")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", requirement],
        check=True,
    )
    return wapiti


def isolate(arguments: list[str]) -> None:
    """Run this script again in a network namespace with only a loopback interface, so
    that nothing the scan or the app sends can leave the machine. Does not return."""
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        sys.exit(
            "The scan runs in a network namespace of its own and needs unshare and ip "
            "(apt-get install util-linux iproute2). To scan without one, add --shared-network."
        )
    namespace = ["unshare", "--net"] if os.geteuid() == 0 else ["unshare", "-r", "--net"]
    command = [
        *namespace,
        "sh",
        "-c",
        'ip link set lo up && exec "$@"',
        "scan",
        sys.executable,
        str(Path(__file__).resolve()),
        NAMESPACE_FLAG,
        *arguments,
    ]
    sys.exit(subprocess.run(command, check=False).returncode)


def certificate(workdir: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, valid for a day."""
    cert, key = workdir / "cert.pem", workdir / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def demo_member(env: dict[str, str]) -> tuple[str, str]:
    """The first board member `setup_demo` prints: email and password."""
    printed = run(env, "setup_demo", "--allow-production")
    found = re.search(r"^\s+Board member\s+(\S+)\s+(\S+)\s*$", printed, re.MULTILINE)
    if found is None:
        sys.exit(f"setup_demo printed no board member:\n{printed}")
    return found.group(1), found.group(2)


@dataclass(frozen=True)
class Served:
    base: str
    trusted: ssl.SSLContext  # trusts the run's own certificate


@contextmanager
def serve(env: dict[str, str], workdir: Path, output: Path) -> Iterator[Served]:
    """gunicorn on a free loopback port over HTTPS."""
    cert, key = certificate(workdir)
    port = free_port()
    with (output / "server.log").open("w") as log:
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
                "--certfile",
                str(cert),
                "--keyfile",
                str(key),
                "--access-logfile",
                str(output / "access.log"),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        served = Served(f"https://127.0.0.1:{port}", ssl.create_default_context(cafile=cert))
        try:
            for _ in range(50):
                try:
                    fetch(served, "GET", "/healthz", {})
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                sys.exit(f"The server did not start; see {output / 'server.log'}")
            yield served
        finally:
            server.terminate()
            server.wait(timeout=10)


def fetch(
    served: Served,
    method: str,
    path: str,
    cookies: dict[str, str],
    form: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], str]:
    """One request as a browser sends it: status, the cookies set, and the page."""
    connection = HTTPSConnection(urlsplit(served.base).netloc, context=served.trusted, timeout=30)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "Origin": served.base}
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        page = response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()
    jar = SimpleCookie("\n".join(response.headers.get_all("Set-Cookie") or []))
    return response.status, {name: morsel.value for name, morsel in jar.items()}, page


def session_cookies(served: Served, email: str | None = None, password: str = "") -> dict[str, str]:
    """The cookies wapiti sends with every request, fixed for the whole scan: a CSRF cookie
    and, given an account, a session signed in through the sign-in form. Left to itself,
    wapiti's first requests, sent at once, each get a different CSRF cookie, and most forms
    it crawled then carry a token for a cookie it no longer holds: Django refuses those
    before reading them, and the attacks on them test nothing."""
    _, cookies, page = fetch(served, "GET", "/sign-in/", {})
    if email is None:
        return cookies
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    form = {"csrfmiddlewaretoken": token.group(1) if token else "", "username": email}
    status, signed_in, _ = fetch(
        served, "POST", "/sign-in/", cookies, {**form, "password": password}
    )
    if status != 302 or "sessionid" not in signed_in:
        sys.exit(f"Signing in as {email} answered {status}, not a redirect with a session.")
    return {**cookies, **signed_in}


def still_signed_in(served: Served, cookies: dict[str, str]) -> bool:
    status, _, _ = fetch(served, "GET", "/account/", cookies)
    return status == 200


# --------------------------------------------------------------------------- scanning


def signed_in_exclusions(base: str) -> list[str]:
    """Pages that would end the signed-in scan, or most of it: signing out; the password
    change, which signs the session out after five wrong current passwords, as it should;
    the two-factor pages, where a device set up or removed changes what the session may do;
    and marking the response complete, after which its section pages are read only."""
    pages = [
        "sign-out/*",
        "account/password/*",
        "account/two-factor/*",
        "assessments/*/response/complete/*",
    ]
    return [argument for page in pages for argument in ("--exclude", f"{base}/{page}")]


def access_lines(output: Path) -> int:
    path = output / "access.log"
    return sum(1 for _ in path.open()) if path.exists() else 0


def scan(
    wapiti: Path,
    served: Served,
    output: Path,
    name: str,
    options: argparse.Namespace,
    *,
    cookies: dict[str, str],
    extra: list[str],
) -> Scan:
    report = output / f"{name}.json"
    state = output / f"{name}-state"
    command = [
        str(wapiti),
        "--url",
        f"{served.base}/",
        "--scope",
        "folder",
        "--module",
        ",".join(MODULES),
        "--max-scan-time",
        str(options.crawl_seconds),
        "--max-attack-time",
        str(options.module_seconds),
        "--tasks",
        str(options.tasks),
        "--endpoint",
        CLOSED_ENDPOINT,
        "--dns-endpoint",
        "localhost",
        # Sent as a Cookie header on every request, which keeps wapiti's own cookie jar out.
        "--cookie-value",
        "; ".join(f"{key}={value}" for key, value in cookies.items()),
        # As a browser does on every POST; some modules send none, and Django refuses an
        # HTTPS POST with neither Origin nor Referer before the form is read.
        "--header",
        f"Origin: {served.base}",
        # Django refuses a changed CSRF token before anything else reads the form:
        # attacking it only tests that, thousands of times over.
        "--skip",
        "csrfmiddlewaretoken",
        "--flush-session",
        "--store-session",
        str(state),
        "--store-config",
        str(state),
        "--no-bugreport",
        "--verbose",
        "1",
        "--format",
        "json",
        "--output",
        str(report),
        *extra,
    ]
    # wapiti stops itself after the crawl bound and after each module's bound; this is
    # the bound on the whole, should it not.
    limit = options.crawl_seconds + options.module_seconds * len(MODULES) + 120
    before = access_lines(output)
    started = time.monotonic()
    with (output / f"{name}.log").open("w") as log:
        try:
            finished = subprocess.run(
                command, stdout=log, stderr=subprocess.STDOUT, timeout=limit, check=False
            )
        except subprocess.TimeoutExpired:
            sys.exit(f"wapiti ({name}) was still running after {limit} s and was stopped.")
    seconds = time.monotonic() - started
    if finished.returncode != 0 or not report.exists():
        sys.exit(f"wapiti ({name}) exited with {finished.returncode}; see {output / f'{name}.log'}")
    return Scan(name, report, seconds, access_lines(output) - before)


# --------------------------------------------------------------------------- reporting


def severity(finding: dict[str, Any]) -> str:
    return LEVELS.get(finding.get("level", 0), "?")


def summarise(result: Scan, target: str) -> None:
    """Print the scan's findings: a count by kind, category and severity, then each kind of
    finding once, with the pages it was found on (the report has the requests)."""
    report: dict[str, Any] = json.loads(result.report.read_text(encoding="utf-8"))
    print(
        f"\n== {result.name}: {result.seconds:.0f} s, {result.requests} requests served, "
        f"{report['infos'].get('crawled_pages_nbr', '?')} pages crawled"
    )
    counts: Counter[tuple[str, str, str]] = Counter()
    pages: dict[tuple[str, str, str], list[str]] = {}
    for kind in KINDS:
        for category, found in sorted(report.get(kind, {}).items()):
            for finding in found:
                counts[kind, category, severity(finding)] += 1
                page = f"{finding.get('method', '')} {finding.get('path', '')}"
                parameter = f" [{finding['parameter']}]" if finding.get("parameter") else ""
                info = " ".join(str(finding.get("info", "")).split())
                info = info.replace(f"{target}{finding.get('path', '')}", "<page>")
                key = (severity(finding), category, info[:140])
                pages.setdefault(key, []).append(page + parameter)
    if not counts:
        print("Nothing reported.")
        return
    print(f"{'kind':<17}{'category':<42}{'severity':<10}{'count':>6}")
    for (kind, category, level), count in counts.items():
        print(f"{kind:<17}{category:<42}{level:<10}{count:>6}")
    for (level, category, info), found in pages.items():
        shown = ", ".join(found[:4]) + (f" and {len(found) - 4} more" if len(found) > 4 else "")
        print(f"  {level:<8} {category}: {info}\n           on {shown}")


def count_lines(path: Path, pattern: str) -> int:
    if not path.exists():
        return 0
    return sum(1 for line in path.open(errors="replace") if re.search(pattern, line))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--crawl-seconds", type=int, default=60, help="bound on each crawl")
    parser.add_argument(
        "--module-seconds", type=int, default=30, help="bound on each attack module"
    )
    parser.add_argument("--tasks", type=int, default=4, help="wapiti's concurrent requests")
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv-scan", help="wapiti's")
    parser.add_argument(
        "--output", type=Path, help="default: a new assess-scan-<time> folder in /tmp"
    )
    parser.add_argument(
        "--shared-network",
        action="store_true",
        help="scan without a network namespace of its own (scope still keeps to loopback)",
    )
    parser.add_argument(NAMESPACE_FLAG, action="store_true", help=argparse.SUPPRESS)
    arguments = sys.argv[1:]
    options = parser.parse_args(arguments)

    venv = options.venv.resolve()
    wapiti = ensure_scanner(venv)  # before the namespace: it may need the package index
    output = (options.output or default_output()).resolve()
    if not options.in_namespace and not options.shared_network:
        isolate([*arguments, "--output", str(output), "--venv", str(venv)])
    output.mkdir(parents=True, exist_ok=True)

    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="assess-scan-"))
    try:
        env = app_env(f"sqlite:///{workdir / 'scan.sqlite3'}")
        install(env)
        email, password = demo_member(env)
        # The demo data is answered through Django's test client, over plain HTTP to
        # "testserver"; the served app keeps the production redirect to HTTPS.
        printed = run(
            {**env, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver"}, "shell", "-c", DEMO_DATA
        )
        demo = dict(re.findall(r"^(DONE|OPEN|INVITE) (\S+)$", printed, re.MULTILINE))
        served_env = {**env, "DJANGO_SECURE_SSL_REDIRECT": "1", "DJANGO_LOG_LEVEL": "ERROR"}
        with serve(served_env, workdir, output) as served:
            base = served.base
            anonymous = scan(
                wapiti,
                served,
                output,
                "anonymous",
                options,
                cookies=session_cookies(served),
                extra=["--start", f"{base}/invitations/{demo['INVITE']}/"],
            )
            member = session_cookies(served, email, password)
            signed_in = scan(
                wapiti,
                served,
                output,
                "signed-in",
                options,
                cookies=member,
                extra=[
                    *signed_in_exclusions(base),
                    *("--start", f"{base}/assessments/{demo['OPEN']}/response/"),
                    *("--start", f"{base}/assessments/{demo['DONE']}/results/"),
                ],
            )
            kept = still_signed_in(served, member)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    version = subprocess.run(
        [str(wapiti), "--version"], capture_output=True, text=True, check=False
    ).stdout.split()
    print(
        f"wapiti {version[-1] if version else '?'}, {len(MODULES)} modules; "
        f"{os.cpu_count()} CPUs; {time.monotonic() - started:.0f} s in all; crawl bound "
        f"{options.crawl_seconds} s, {options.module_seconds} s per module"
    )
    summarise(anonymous, base)
    summarise(signed_in, base)
    print(f"Signed in as {email} throughout: {'yes' if kept else 'NO, the session ended'}")
    errors = count_lines(output / "access.log", r'" 5\d\d ')
    print(f"\nServer errors (5xx) in the access log: {errors}")
    print(f"Reports and logs: {output}")


def default_output() -> Path:
    return Path(tempfile.gettempdir()) / f"assess-scan-{datetime.now(UTC):%Y%m%d-%H%M%S}"


if __name__ == "__main__":
    main()
