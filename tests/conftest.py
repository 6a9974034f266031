from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import settings as hypothesis_settings

from assessment.models import Membership
from tests.factories import MembershipFactory, UserFactory

# Property and fuzz tests: about fifty examples each for an everyday `make test`, so that a
# local run stays near a minute; .ci/run sets HYPOTHESIS_PROFILE=ci for five hundred.
hypothesis_settings.register_profile("dev", max_examples=50)
hypothesis_settings.register_profile("ci", max_examples=500)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On SQLite, test in a file rather than in memory: the live server answers requests on
    several threads at once (autosave beside a page save), and an in-memory database is one
    connection shared between them. Elsewhere, keep pytest-django's per-worker database name
    so that `pytest -n 2` works on PostgreSQL too."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})
        database["TEST"]["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


# The journeys, pages and papers of this suite are written against edition 1 of the
# questionnaire and catalogue, which every assessment made before the 2026 edition stays
# pinned to; they start from a database with edition 1 published. The tests of the 2026
# edition load it on top, as `make run` does (`seed` with no option), in
# tests/assessment/test_edition_2.py and beside it.
SEED_EDITION = 1


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts migrated and seeded with edition 1 published."""
    with django_db_blocker.unblock():
        call_command("seed", up_to=SEED_EDITION, verbosity=0)


@pytest.fixture
def seeded(transactional_db: None) -> None:
    """Tests that empty the database between them (live server tests) seed it again."""
    call_command("seed", up_to=SEED_EDITION, verbosity=0)


@pytest.fixture
def edition_2(db: None) -> None:
    """The 2026 edition published on top of edition 1, as `make run` leaves a database."""
    call_command("seed", verbosity=0)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # Real hashing is deliberately slow; the suite checks behaviour, not the hash's cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings) -> None:
    """Background tasks (email) run as soon as they are queued, after the commit, so that
    tests read `mail.outbox`. The tests of the queue itself switch to the database backend
    and run a worker (tests/assessment/test_mail_delivery.py)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def member(db: None) -> Membership:
    return MembershipFactory(role=Membership.Role.BOARD_MEMBER)


@pytest.fixture
def lead(db: None) -> Membership:
    return MembershipFactory(role=Membership.Role.LEAD)


@pytest.fixture
def member_client(member: Membership) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


@pytest.fixture
def staff_user(db: None):
    return UserFactory(is_staff=True, is_superuser=True)


def verified_client(user) -> Client:
    """A client signed in as `user` who has passed two-factor authentication, as catalogue
    admins must before the admin opens."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
