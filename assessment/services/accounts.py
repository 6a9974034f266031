"""Accounts, trusts and board memberships."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from assessment.models import Membership, Organisation


def user_ensure(
    *, email: str, first_name: str = "", last_name: str = "", password: str | None = None
) -> AbstractUser:
    """The account signing in with `email`, created if missing. Usernames are emails."""
    email = email.strip().lower()
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=email,
        defaults={"email": email, "first_name": first_name, "last_name": last_name},
    )
    if password is not None and (created or not user.check_password(password)):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def membership_ensure(
    *, user: AbstractUser, organisation: Organisation, role: Membership.Role
) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    return membership


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    role: str
    # Fresh one-time codes for an account that must use two-factor authentication.
    backup_codes: tuple[str, ...] = ()


DEMO_TRUST = {"name": "Demo Valley Hospitals NHS Foundation Trust", "ods_code": "RZZ"}
DEMO_ACCOUNTS = (
    ("lead@demo.example.nhs.uk", "Alex", "Morgan", "demo-lead-password", Membership.Role.LEAD),
    (
        "member1@demo.example.nhs.uk",
        "Sam",
        "Patel",
        "demo-member-one",
        Membership.Role.BOARD_MEMBER,
    ),
    (
        "member2@demo.example.nhs.uk",
        "Jo",
        "Okafor",
        "demo-member-two",
        Membership.Role.BOARD_MEMBER,
    ),
)
DEMO_ADMIN = ("admin@demo.example.nhs.uk", "Chris", "Evans", "demo-admin-password")


@transaction.atomic
def demo_setup(*, with_backup_codes: bool = False) -> list[DemoAccount]:
    """The demo trust with a lead, two board members and a catalogue admin, and its open
    assessment (see `demo_assessment_ensure`); the demo system of six trusts with shared
    results, and its reviewer (see `systems.demo`). Idempotent.

    The lead, the admin and the reviewer must use two-factor authentication. With
    `with_backup_codes` (a laptop, never a live service) each gets a fresh set of backup
    codes to sign in with, so the demo can be tried without an authenticator app."""
    from assessment.services.two_factor import backup_codes_renew, two_factor_required

    organisation, _ = Organisation.objects.update_or_create(
        ods_code=DEMO_TRUST["ods_code"], defaults={"name": DEMO_TRUST["name"]}
    )
    people = []
    for email, first, last, password, role in DEMO_ACCOUNTS:
        user = user_ensure(email=email, first_name=first, last_name=last, password=password)
        membership_ensure(user=user, organisation=organisation, role=role)
        people.append((user, password, role.label))
    email, first, last, password = DEMO_ADMIN
    admin = user_ensure(email=email, first_name=first, last_name=last, password=password)
    if not (admin.is_staff and admin.is_superuser):
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
    people.append((admin, password, "Catalogue admin"))
    from assessment.services.demo import demo_assessment_ensure

    lead, *members = [user for user, _, _ in people[: len(DEMO_ACCOUNTS)]]
    demo_assessment_ensure(
        organisation=organisation, lead=lead, members=members, finance=members[0]
    )
    from systems.demo import demo_system_ensure

    reviewer, reviewer_password = demo_system_ensure(demo_trust=organisation, demo_lead=lead)
    people.append((reviewer, reviewer_password, "System reviewer"))
    return [
        DemoAccount(
            email=user.email,
            password=password,
            role=role,
            backup_codes=tuple(backup_codes_renew(user=user))
            if with_backup_codes and two_factor_required(user)
            else (),
        )
        for user, password, role in people
    ]
