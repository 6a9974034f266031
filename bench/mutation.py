"""Mutation pass over the security paths, with mutmut.

mutmut changes the code one small step at a time (a comparison turned round, a condition
dropped, a keyword argument left out, a string changed) and runs the tests that reach the
changed function; a change that no test notices is a survivor, a place where a bug could
hide. This pass covers only the code that keeps people out and results honest:

- assessment/middleware.py: session limits, two-factor authentication, private pages;
- assessment/views/common.py: fetching an assessment, a response or a trust for the user;
- assessment/selectors/journey.py: the access reads (assessment_for_user, own_respondent,
  organisation_for_user, is_lead);
- assessment/services/submissions.py: the submission and the lock it takes;
- assessment/scoring/verdict.py: the verdict and its caps;
- assessment/services/two_factor.py: what two-factor authentication asks of whom;
- systems/views.py, selectors.py and services.py: who reaches a system's view, which shares
  are read, sharing, revoking and peer comparison.

The paths are mutated in groups (GROUPS below), each with only the tests that aim at it,
and each mutant is run with those of its group's tests that reach the changed function.
Each group runs in its own copy of the project in a temporary folder, with mutmut's
settings written into the copy's pyproject.toml, so that the checkout is left as it was
(mutmut keeps its work in a `mutants/` folder beside the code). Test databases are made
straight from the models (pytest-django's --no-migrations): the same tables in a fraction
of the time, and every mutant's test run builds its own. The whole pass (about 630
mutants) takes about ten minutes on two CPUs.

Prints every mutant that no test killed, with its diff and, for those that cannot be
killed because the program behaves the same (EXPLAINED below), why. Exits 1 if any other
survives, 2 if the pass could not run or overran --minutes (the mutants not yet run are
counted), 0 otherwise.

Needs mutmut, from pyproject's `mutation` extra:
    .venv/bin/pip install 'mutmut>=3.2,<4'

Usage (from the project root):
    .venv/bin/python bench/mutation.py [--minutes 15] [--workers 2] [--group verdict] [--keep]
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Group:
    """Code mutated together, and the tests that aim at it: mutmut runs each mutant with
    the tests of its group that reach the changed function, so a narrow selection keeps
    the pass short (the middleware is reached by every request of every test)."""

    name: str
    files: list[str]
    mutants: list[str]  # mutmut's names of the mutants to run, with wildcards
    tests: list[str]


GROUPS = [
    Group(
        name="sessions and two-factor authentication",
        files=["assessment/middleware.py", "assessment/services/two_factor.py"],
        mutants=["assessment.middleware.*", "assessment.services.two_factor.*"],
        tests=[
            "tests/assessment/test_two_factor_refusals.py",
            "tests/assessment/test_security.py",
            "tests/assessment/test_account_takeover.py",
            "tests/assessment/test_two_factor_codes.py",
            "tests/assessment/test_two_factor_who.py",
            "tests/assessment/test_refusals_are_logged.py",
            # Pinned query counts: the two-factor facts come with the user, at no query.
            "tests/assessment/test_member_page_queries.py",
        ],
    ),
    Group(
        name="access to assessments, responses and trusts",
        files=["assessment/views/common.py", "assessment/selectors/journey.py"],
        mutants=[
            "assessment.views.common.*",
            *(
                f"assessment.selectors.journey.x_{name}__mutmut_*"
                for name in (
                    "assessment_for_user",
                    "own_respondent",
                    "organisation_for_user",
                    "is_lead",
                )
            ),
        ],
        tests=[
            "tests/assessment/test_removed_members.py",
            "tests/assessment/test_own_response_only.py",
            "tests/assessment/test_refusals_are_logged.py",
            "tests/assessment/test_member_page_queries.py",
            "tests/assessment/test_query_counts.py::"
            "test_page_queries_are_pinned_and_do_not_grow_with_questions_forms_or_members",
            "tests/assessment/test_access_matrix.py::"
            "test_another_trusts_users_get_404_for_every_url_and_method_and_change_nothing",
            "tests/assessment/test_access_matrix.py::"
            "test_members_of_the_same_trust_cannot_use_the_leads_pages",
            "tests/assessment/test_lead_journey.py::"
            "test_only_a_lead_starts_an_assessment_pinned_to_the_published_versions",
            "tests/assessment/test_lead_journey.py::"
            "test_history_shows_each_submission_with_its_index",
        ],
    ),
    Group(
        name="the submission, its lock and its readiness",
        files=["assessment/services/submissions.py", "assessment/services/readiness.py"],
        mutants=[
            "assessment.services.submissions.x_assessment_submit__mutmut_*",
            "assessment.services.submissions.x__reasons_problems__mutmut_*",
            "assessment.services.readiness.x_readiness_of__mutmut_*",
        ],
        tests=[
            "tests/assessment/test_concurrency.py",
            "tests/assessment/test_submission_record.py",
            "tests/assessment/test_readiness.py",
        ],
    ),
    Group(
        name="the trust's figures: who may enter, query and resolve them",
        files=[
            "assessment/views/figures.py",
            "assessment/services/figures.py",
            "assessment/selectors/figures.py",
        ],
        mutants=[
            "assessment.views.figures.*",
            *(
                f"assessment.services.figures.x_{name}__mutmut_*"
                for name in (
                    "_locked_open",
                    "_check",
                    "figures_save",
                    "figure_holder_name",
                    "figure_query_raise",
                    "figure_query_resolve",
                )
            ),
            *(
                f"assessment.selectors.figures.x_{name}__mutmut_*"
                for name in ("may_provide", "held_sections", "figure_holders")
            ),
        ],
        tests=[
            "tests/assessment/test_figures.py",
            "tests/assessment/test_figures_service.py",
            "tests/assessment/test_own_response_only.py",
            "tests/assessment/test_removed_members.py",
            "tests/assessment/test_published_datasets.py",
            "tests/assessment/test_pending_answers.py",
            "tests/assessment/test_two_factor_refusals.py",
            "tests/assessment/test_access_matrix.py::"
            "test_another_trusts_users_get_404_for_every_url_and_method_and_change_nothing",
            # Pinned query counts: who provides each section comes with their user.
            "tests/assessment/test_query_counts.py",
        ],
    ),
    Group(
        name="the verdict and its caps",
        files=["assessment/scoring/verdict.py"],
        mutants=["assessment.scoring.verdict.*"],
        tests=[
            "tests/scoring/test_verdict.py",
            "tests/scoring/test_verdict_rules.py",
            "tests/scoring/test_personas.py",
        ],
    ),
    Group(
        name="systems: who sees shared results, sharing and revoking",
        files=["systems/views.py", "systems/selectors.py", "systems/services.py"],
        mutants=[
            "systems.views.*",
            "systems.selectors.*",
            *(
                f"systems.services.x_{name}__mutmut_*"
                for name in (
                    "share_create",
                    "share_revoke",
                    "shares_revoke_on_withdrawal",
                    "peer_comparison",
                )
            ),
        ],
        tests=[
            "tests/systems/test_access.py",
            "tests/systems/test_sharing.py",
            "tests/systems/test_peers.py",
            "tests/systems/test_system_view.py",
            "tests/systems/test_guards.py",
        ],
    ),
]
# Statements not mutated: the wording of notices to the user, which other tests read, and
# the text of a 404 or 403 exception, which no page shows.
NOT_MUTATED = [r"\bmessages\.(info|success|error)\(", r"raise (Http404|PermissionDenied)\("]


@dataclass(frozen=True)
class Explained:
    """Survivors that no test can kill, because the program behaves the same: mutants of
    `function` whose added line contains one of `changes`. Matched by text rather than by
    mutmut's numbers, which shift whenever the code changes."""

    function: str
    changes: tuple[str, ...]
    reason: str


EXPLAINED = [
    Explained(
        "systems.services.x_share_create",
        (
            "Share.objects.get(submission=None",
            "Share.objects.get(submission=submission, system=None",
            "Share.objects.get(system=system, revoked_at=None)",
            "Share.objects.get(submission=submission, revoked_at=None)",
            "Share.objects.get(submission=submission, system=system, )",
        ),
        "Reached only when another request shares the same result between the check and the "
        "insert; the constraint leaves one live share, which any of these reads finds.",
    ),
    Explained(
        "systems.services.x_share_create",
        (
            "submission=None, system=system, revoked_at__isnull=True",
            "submission=submission, system=None, revoked_at__isnull=True",
            "live = None",
        ),
        "Without the look-up, sharing again inserts a second live share, which the "
        "constraint refuses, and the except branch returns the live one: the same answer.",
    ),
    Explained(
        "systems.services.x_share_create",
        ("select_for_update(of=None)", 'of=("XXselfXX",)', 'of=("SELF",)'),
        "This pass runs on SQLite, which has no row locks; on PostgreSQL (.ci/run) every "
        "sharing test fails without `of`, which limits the lock to the submission's row.",
    ),
    Explained(
        "systems.services.x_share_create",
        (".select_related(None)",),
        "The withdrawal is then read by its own query when asked for: the same answer.",
    ),
    *(
        Explained(
            function,
            ("save(update_fields=None)",),
            "Saving every field writes the same values as saving the ones changed.",
        )
        for function in (
            "systems.services.x_share_revoke",
            "systems.services.x_shares_revoke_on_withdrawal",
        )
    ),
    Explained(
        "systems.services.x_peer_comparison",
        (
            "trust_code=None",
            "trust_name=None",
            "submitted_on=None",
            "timezone.localdate(None)",
            "(result is not None) and False",
        ),
        "Peer positions read only the trust's own domain scores and questionnaire version; "
        "its name, code and date are not compared, the selector has already left its own "
        "results out, and the result given is the stored one it would read.",
    ),
    Explained(
        "assessment.views.figures.x__safe_back",
        ('request.GET.get("back") or "XXXX"',),
        "Any default that is not an address of the assessment falls back to its figures page, "
        "as the empty string does.",
    ),
    Explained(
        "assessment.middleware.x_wants_json",
        ('headers.get("accept", "")', 'headers.get("ACCEPT", "")', 'get("Accept", "XXXX")'),
        "Header names are case-insensitive; without the header the default cannot hold "
        "'application/json' either.",
    ),
    *(
        Explained(
            function,
            ('getattr(request, "user", )',),
            "AuthenticationMiddleware, earlier in MIDDLEWARE, always sets request.user.",
        )
        for function in (
            "assessment.middleware.xǁPrivatePagesMiddlewareǁ__call__",
            "assessment.middleware.xǁSessionTimingMiddlewareǁ__call__",
            "assessment.middleware.xǁTwoFactorMiddlewareǁprocess_view",
        )
    ),
    Explained(
        "assessment.middleware.xǁPrivatePagesMiddlewareǁ__call__",
        ("patch_cache_control(response, private=True)", "no_store=True, )"),
        "add_never_cache_headers, the line before, already sends no-store and private.",
    ),
    Explained(
        "assessment.middleware.xǁSessionTimingMiddlewareǁ__call__",
        ("if user is not None or user.is_authenticated:",),
        "An anonymous session holds no sign-in time, so the lifetime check does nothing.",
    ),
    Explained(
        "assessment.middleware.xǁSessionTimingMiddlewareǁ__call__",
        (
            "get(SIGNED_IN_AT, None) or 0",
            "get(SIGNED_IN_AT, ) or 0",
            "get(SIGNED_IN_AT, 1) or 0",
            "get(SIGNED_IN_AT, 0) or 1",
        ),
        "Every session gets its sign-in time when the user signs in (assessment.security), "
        "so the default is never used.",
    ),
    Explained(
        "assessment.middleware.xǁSessionTimingMiddlewareǁ__call__",
        (
            "get(LAST_SEEN, None) or 0",
            "get(LAST_SEEN, ) or 0",
            "get(LAST_SEEN, 1) or 0",
            "get(LAST_SEEN, 0) or 1",
        ),
        "Without a recorded activity any moment long past gives the same answer: record it.",
    ),
    Explained(
        "assessment.services.two_factor.x_throttle_seconds",
        ("if not allowed or data and",),
        "django-otp gives no details when a code is allowed, so the wait stays 0.",
    ),
    Explained(
        "assessment.services.two_factor.x_token_verify",
        ("if (cleaned) or True else None",),
        "The form requires a code, so an empty one never arrives.",
    ),
    Explained(
        "assessment.services.two_factor.x_totp_device_pending",
        ("confirmed=False, ).first()",),
        "Only this function makes unconfirmed app devices, always with that name.",
    ),
    Explained(
        "assessment.services.two_factor.x_two_factor_changed_notify",
        ("send_mail(subject, body, None,",),
        "send_mail uses DEFAULT_FROM_EMAIL when no sender is given.",
    ),
    Explained(
        "assessment.selectors.journey.x_is_lead",
        ('getattr(assessment_or_trust, "role", )',),
        "Every caller passes a row read with the user's role.",
    ),
    Explained(
        "assessment.selectors.journey.x_own_respondent",
        (".order_by()[:2]",),
        "A user has at most one response to an assessment and one membership of a trust.",
    ),
    Explained(
        "assessment.selectors.journey.x_own_respondent",
        ("respondent.assessment.role = None",),
        "No page of a member's own response reads the role.",
    ),
    Explained(
        "assessment.services.submissions.x_assessment_submit",
        ("live_result(assessment=locked, rows=None)", "live_result(assessment=locked, )"),
        "The rows are read again inside the same locked transaction: the same rows.",
    ),
    Explained(
        "assessment.services.submissions.x_assessment_submit",
        ("locked.save(update_fields=None)",),
        "The assessment row is locked, so saving every field writes the same values.",
    ),
    Explained(
        "assessment.scoring.verdict.x__band_rule",
        ("codes = None", 'codes = ", ".join(None)', '"XX, XX".join(', "blockers.append(None)"),
        "Unreachable: every critical answer caps at at-risk or worse (CAP_RULES), so the "
        "cap, not the band, gives the rule whenever there is one.",
    ),
    Explained(
        "assessment.scoring.verdict.x_describe_verdict",
        ("_band_rule(band, index, scored_domains, None, settings)",),
        "As above: _band_rule only reads the critical answers where a cap already decided.",
    ),
    Explained(
        "assessment.scoring.verdict.x_describe_verdict",
        ("VERDICT_SEVERITY[capped] >= VERDICT_SEVERITY[final]",),
        "Equal severity is the same verdict, so replacing it changes nothing.",
    ),
    Explained(
        "assessment.scoring.verdict.x_verdict_code",
        ("VERDICT_SEVERITY[capped] >= severity", "severity <= VERDICT_SEVERITY[AT_RISK]"),
        "Equal severity is the same verdict, so replacing it changes nothing.",
    ),
    Explained(
        "assessment.scoring.verdict.x_verdict_code",
        ("band_of(index, scored_scores, None, settings)", "bool(None), settings)"),
        "The short form returns only the final verdict, and any critical answer caps it at "
        "at-risk or worse, below the lead band the flag guards.",
    ),
]

# Copied along with the code: what the settings, the templates and the tests read.
ALSO_COPY = ["templates", "static", "manage.py", ".env"]
SKIPPED = shutil.ignore_patterns(
    ".venv*", ".git", "mutants", "__pycache__", ".hypothesis", ".*_cache", "staticfiles"
)
PASSING = {"killed", "caught by type check"}


def mutmut_command() -> Path:
    command = Path(sys.executable).parent / "mutmut"
    if not command.exists():
        sys.exit(
            "mutmut is not installed in this environment. Install it with:\n"
            f"    {Path(sys.executable).parent / 'pip'} install 'mutmut>=3.2,<4'"
        )
    return command


def toml_list(values: list[str]) -> str:
    return json.dumps(values)  # a JSON list of strings is a TOML array


def prepare(workdir: Path, group: Group) -> Path:
    """A copy of the project with the group's mutmut settings in its pyproject.toml."""
    project = workdir / re.sub(r"\W+", "-", group.name)
    shutil.copytree(ROOT, project, ignore=SKIPPED)
    if not (project / ".env").exists():
        shutil.copy(project / ".env.example", project / ".env")
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text()
    if "[tool.mutmut]" in text:
        sys.exit("pyproject.toml already has [tool.mutmut]; this script writes its own.")
    settings = f"""
[tool.mutmut]
source_paths = {toml_list(["assessment", "config", "models_catalogue", "systems"])}
only_mutate = {toml_list(group.files)}
do_not_mutate_patterns = {toml_list(NOT_MUTATED)}
also_copy = {toml_list(ALSO_COPY)}
pytest_add_cli_args = {toml_list(["--no-migrations", "-p", "no:cacheprovider"])}
pytest_add_cli_args_test_selection = {toml_list(group.tests)}
"""
    pyproject.write_text(text + settings)
    return project


def run_mutmut(project: Path, group: Group, workers: int, seconds: float, log: Path) -> bool:
    """Run the group's mutants; False if mutmut had to be stopped at the time limit."""
    command = [str(mutmut_command()), "run", "--max-children", str(workers), *group.mutants]
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=project, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            code = process.wait(timeout=max(seconds, 1))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            return False
    if code != 0:
        tail = log.read_text(errors="replace")[-3000:]
        sys.exit(f"mutmut stopped with status {code}; the end of its output:\n{tail}")
    return True


def results(project: Path, group: Group) -> dict[str, str]:
    """Each of the group's mutants with its status: killed, survived, no tests, timeout,
    suspicious, not checked (not reached before the time limit)."""
    listed = subprocess.run(
        [str(mutmut_command()), "results", "--all", "true"],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    statuses = {}
    for line in listed.splitlines():
        found = re.fullmatch(r"\s*(\S+): (.+)", line)
        if found and any(fnmatch.fnmatch(found.group(1), p) for p in group.mutants):
            statuses[found.group(1)] = found.group(2).strip()
    return statuses


def diff(project: Path, mutant: str) -> str:
    shown = subprocess.run(
        [str(mutmut_command()), "show", mutant],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return "\n".join(
        line for line in shown.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")
    )


def explanation(mutant: str, change: str) -> str | None:
    function = mutant.rsplit("__mutmut_", 1)[0]
    added = "\n".join(line for line in change.splitlines() if line.startswith("+"))
    for known in EXPLAINED:
        if known.function == function and any(text in added for text in known.changes):
            return known.reason
    return None


def report(project: Path, group: Group, statuses: dict[str, str]) -> int:
    """Prints the group's counts and each mutant no test killed, with why, where it is
    known; returns how many are not explained."""
    counts = Counter(statuses.values())
    print(", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no mutants")
    unexplained = 0
    for mutant, status in sorted(statuses.items(), key=lambda item: _natural(item[0])):
        if status in PASSING | {"not checked"}:
            continue
        change = diff(project, mutant)
        reason = explanation(mutant, change) if status == "survived" else None
        unexplained += reason is None
        print(f"\n  {mutant} ({status}{', explained' if reason else ''})")
        for line in change.splitlines():
            print(f"    {line}")
        if reason:
            print(f"    why: {reason}")
    return unexplained


def _natural(name: str) -> tuple[str, int]:
    stem, _, number = name.rpartition("_")
    return stem, int(number) if number.isdigit() else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=15, help="stop the pass after this")
    parser.add_argument("--workers", type=int, default=2, help="mutants tested at once")
    parser.add_argument("--group", action="append", help="run only groups whose name has this")
    parser.add_argument("--keep", action="store_true", help="keep the copies (to rerun mutants)")
    args = parser.parse_args()

    mutmut_command()
    groups = [g for g in GROUPS if not args.group or any(w in g.name for w in args.group)]
    deadline = time.monotonic() + args.minutes * 60
    workdir = Path(tempfile.mkdtemp(prefix="mutation-"))
    unexplained, unfinished, finished = 0, 0, True
    try:
        for group in groups:
            started = time.monotonic()
            project = prepare(workdir, group)
            log = project.parent / f"{project.name}.log"
            print(f"\n== {group.name} (mutmut's output: {log})", flush=True)
            finished = run_mutmut(project, group, args.workers, deadline - started, log)
            statuses = results(project, group)
            unfinished += list(statuses.values()).count("not checked")
            print(f"{(time.monotonic() - started) / 60:.1f} minutes: ", end="")
            unexplained += report(project, group, statuses)
            if not finished:
                left = [g.name for g in groups[groups.index(group) + 1 :]]
                print(f"\nStopped at the {args.minutes:g}-minute limit; not run: {left}")
                break
        print(f"\n{unexplained} mutants not killed and not explained; {unfinished} not run.")
        return 2 if unfinished or not finished else (1 if unexplained else 0)
    finally:
        if args.keep:
            print(f"Kept {workdir}; rerun a mutant in its group's folder: mutmut run <name>")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
