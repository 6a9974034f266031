"""Time what an import costs when it is refused: the answers file of a board member.

Run from the project root: python bench/imports.py [runs]
A temporary SQLite database is migrated and seeded, with one trust, its lead, a member and
an assessment. Each case is posted through Django's test client (the full middleware, the
view, the form and the page) `runs` times (10 by default), and the median and the worst
elapsed time are printed with the size of the page answered:

- 50,000 rows of unknown codes in CSV, and 50,000 keys in JSON (each under 512 KB);
- 1,000 rows of unknown codes (50 problems listed, then a count of the rest);
- a 20 MB upload (refused from its Content-Length, before its body is read).

The target is under one second for each.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 1.0


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="bench-only-secret-key-" + "x" * 40,
            DJANGO_ALLOWED_HOSTS="testserver",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
        )
        import django

        django.setup()
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.core.management import call_command
        from django.test import Client
        from django.test.client import BOUNDARY, encode_multipart

        from assessment.models import Membership, Organisation
        from assessment.services.accounts import membership_ensure, user_ensure
        from assessment.services.assessments import assessment_create, respondents_add

        call_command("migrate", verbosity=0)
        call_command("seed", verbosity=0)
        trust = Organisation.objects.create(name="Bench Hospitals NHS Trust", ods_code="RBX")
        lead = user_ensure(email="lead@bench.example.nhs.uk")
        member = user_ensure(email="member@bench.example.nhs.uk")
        membership_ensure(user=lead, organisation=trust, role=Membership.Role.LEAD)
        membership_ensure(user=member, organisation=trust, role=Membership.Role.BOARD_MEMBER)
        assessment = assessment_create(
            organisation=trust, title="Bench", reporting_period="2026", user=lead
        )
        respondents_add(assessment=assessment, users=[member])
        url = f"/assessments/{assessment.pk}/response/import/"
        client = Client()
        client.force_login(member)
        client.get(url)  # templates compiled once, outside the timing

        def csv_rows(count: int) -> bytes:
            return ("code,answer\n" + "".join(f"X{n},1\n" for n in range(count))).encode()

        json_keys = ("{" + ",".join(f'"{n}":1' for n in range(50_000)) + "}").encode()
        twenty_mb = encode_multipart(
            BOUNDARY, {"file": SimpleUploadedFile("ledger.csv", b"X1,1\n" * (4 * 1024 * 1024))}
        )
        cases = {
            "50,000 bad rows (CSV)": lambda: client.post(
                url, {"file": SimpleUploadedFile("bad.csv", csv_rows(50_000))}
            ),
            "50,000 bad keys (JSON)": lambda: client.post(
                url, {"file": SimpleUploadedFile("bad.json", json_keys)}
            ),
            "1,000 bad rows (CSV)": lambda: client.post(
                url, {"file": SimpleUploadedFile("bad.csv", csv_rows(1000))}
            ),
            "20 MB upload": lambda: client.post(
                url, twenty_mb, content_type=f"multipart/form-data; boundary={BOUNDARY}"
            ),
        }
        print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {runs} runs each")
        print(f"{'case':<24} {'median s':>9} {'worst s':>8} {'page KB':>8}  status")
        worst_overall = 0.0
        for name, post in cases.items():
            times, size, status = [], 0, 0
            for _ in range(runs):
                started = time.perf_counter()
                response = post()
                times.append(time.perf_counter() - started)
                size, status = len(response.content), response.status_code
            worst_overall = max(worst_overall, max(times))
            print(
                f"{name:<24} {statistics.median(times):>9.3f} {max(times):>8.3f} "
                f"{size / 1024:>8.1f}  {status}"
            )
        verdict = "met" if worst_overall < TARGET_SECONDS else "NOT met"
        print(f"Target: every case under {TARGET_SECONDS:.0f} s: {verdict}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
