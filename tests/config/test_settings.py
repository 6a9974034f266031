"""Production refuses to start without the values it cannot do without."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-production-like-secret-key-that-is-long-and-random-0123456789",
    "DJANGO_ALLOWED_HOSTS": "assess.example.nhs.uk",
}


def load_settings(**overrides: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(PRODUCTION)
    for key, value in overrides.items():
        if value == "":
            env.pop(key, None)
        else:
            env[key] = value
    code = (
        "import config.settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.DATABASES['default']['ENGINE'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_production_values_load_with_debug_off_and_ssl_redirect_on() -> None:
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["False", "True"]


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "Set DJANGO_SECRET_KEY"),
        ("DJANGO_ALLOWED_HOSTS", "Set DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_without_a_required_value_fails_loudly(missing: str, message: str) -> None:
    result = load_settings(**{missing: ""})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_database_url_selects_postgresql() -> None:
    result = load_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/assess")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[2] == "django.db.backends.postgresql"


def test_without_database_url_the_embedded_sqlite_is_used() -> None:
    result = load_settings(DATABASE_URL="")
    assert result.stdout.split()[2] == "django.db.backends.sqlite3"


def test_a_boolean_setting_with_a_typo_is_refused() -> None:
    result = load_settings(DJANGO_DEBUG="maybe")
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_debug_on_with_a_served_host_name_refuses_to_start_and_says_what_to_change() -> None:
    # The operator copied .env.example (DJANGO_DEBUG=1) and set only the production values.
    result = load_settings(DJANGO_DEBUG="1")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_DEBUG is on but DJANGO_ALLOWED_HOSTS names assess.example.nhs.uk" in (
        result.stderr
    )
    assert "set DJANGO_DEBUG=0" in result.stderr


@pytest.mark.parametrize("hosts", ["localhost,127.0.0.1", "[::1]", "app.localhost"])
def test_debug_on_a_laptop_with_local_host_names_still_starts(hosts: str) -> None:
    result = load_settings(DJANGO_DEBUG="1", DJANGO_ALLOWED_HOSTS=hosts)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "True"
