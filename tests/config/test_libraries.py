"""The libraries the settings rely on are installed, in the versions pyproject.toml allows,
and switched on: a library that is missing or left out of the middleware fails silently,
and the protection it gives is simply not there."""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import axes.helpers
import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils.module_loading import import_string
from packaging.requirements import Requirement

import config.settings as project

ROOT = Path(__file__).resolve().parents[2]
DEPENDENCIES = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]


@pytest.mark.parametrize("line", DEPENDENCIES)
def test_every_dependency_is_installed_in_an_allowed_version(line: str) -> None:
    requirement = Requirement(line)
    try:
        installed = version(requirement.name)
    except PackageNotFoundError:
        pytest.fail(f"{requirement.name} is not installed: run `make install`")
    assert requirement.specifier.contains(installed, prereleases=True), (
        f"{requirement.name} {installed} is installed, but pyproject.toml asks for {line}"
    )


def _after(first: str, then: str) -> bool:
    return settings.MIDDLEWARE.index(first) < settings.MIDDLEWARE.index(then)


def test_django_axes_sees_every_sign_in_and_refuses_first() -> None:
    assert "axes" in settings.INSTALLED_APPS
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_ENABLED


def test_django_axes_counts_the_client_address_the_settings_ask_for() -> None:
    """axes reads the client's address through AXES_CLIENT_IP_CALLABLE when it is set, else
    through django-ipware when that is installed, else from the connection. Settings for
    django-ipware without it installed would be ignored without a word."""
    ipware_settings = sorted(name for name in vars(project) if name.startswith("AXES_IPWARE_"))
    if ipware_settings:
        assert axes.helpers.IPWARE_INSTALLED, (
            f"django-ipware is not installed, so axes ignores {', '.join(ipware_settings)}"
        )
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.1"
    )
    counted = axes.helpers.get_client_ip_address(request)
    if settings.AXES_CLIENT_IP_CALLABLE:
        assert counted == import_string(settings.AXES_CLIENT_IP_CALLABLE)(request)
    else:
        assert axes.helpers.IPWARE_INSTALLED or counted == "10.0.0.1"


@pytest.mark.django_db
def test_django_otp_marks_every_request_verified_or_not(member) -> None:
    assert {"django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"} <= set(
        settings.INSTALLED_APPS
    )
    assert _after(
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django_otp.middleware.OTPMiddleware",
    )
    client = Client()
    client.force_login(member.user)
    user = client.get("/").wsgi_request.user
    assert user.is_authenticated
    assert user.is_verified() is False


def test_django_csp_sends_the_policy() -> None:
    assert "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE
    response = Client().get("/sign-in/")
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_whitenoise_serves_static_files_right_after_the_security_middleware() -> None:
    security = settings.MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
    assert settings.MIDDLEWARE[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    response = Client().get(f"{settings.STATIC_URL}css/app.css")
    assert response.status_code == 200
    assert type(response).__module__.startswith("whitenoise.")
