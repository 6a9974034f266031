from __future__ import annotations

import pytest
from django.test import Client

from assessment.models import Membership
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # Real hashing is deliberately slow; the suite checks behaviour, not the hash's cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
