"""Trusts with submitted results, a system they belong to, and its reviewer.

The trusts' answers are the demo system's (systems/seed/demo-system.yaml): two credible
supporters, two trusts in difficulty and two in between, with made-up locations.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.utils import timezone

from assessment.models import Assessment, Membership, Organisation
from assessment.services.demo import demo_submitted_create
from systems.models import System, SystemReviewer
from systems.services import share_create
from tests.conftest import verified_client
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

DEMO = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "systems/seed/demo-system.yaml").read_text()
)
ANSWERS = {trust["ods_code"]: trust for trust in DEMO["trusts"]}
# Which demo trust's answers each test trust gives: A and B could support (A strongly),
# D and E are in difficulty, C is in between.
SUPPORTER, BETWEEN, IN_NEED, WORST = "RZA", "RZC", "RZD", "RZE"


@dataclass
class SharingTrust:
    organisation: Organisation
    lead: Membership
    member: Membership
    assessment: Assessment

    def lead_client(self) -> Client:
        return verified_client(self.lead.user)

    def member_client(self) -> Client:
        client = Client()
        client.force_login(self.member.user)
        return client


def make_trust(
    *, code: str, name: str, answers_of: str, located: bool = True, days_ago: int = 30
) -> SharingTrust:
    source = ANSWERS[answers_of]
    organisation = OrganisationFactory(
        name=name,
        ods_code=code,
        latitude=Decimal(source["latitude"]) if located else None,
        longitude=Decimal(source["longitude"]) if located else None,
    )
    lead = MembershipFactory(organisation=organisation, role=Membership.Role.LEAD)
    member = MembershipFactory(organisation=organisation)
    assessment = demo_submitted_create(
        organisation=organisation,
        lead=lead.user,
        member=member.user,
        period="2025 to 2026",
        answers=source["answers"],
        submitted_at=timezone.now() - datetime.timedelta(days=days_ago),
    )
    assessment.refresh_from_db()
    return SharingTrust(organisation, lead, member, assessment)


@pytest.fixture
def system(db: None) -> System:
    return System.objects.create(
        name="Moorland Integrated Care System", code="QMO", kind=System.Kind.INTEGRATED_CARE_SYSTEM
    )


@pytest.fixture
def other_system(db: None) -> System:
    return System.objects.create(
        name="Coastal Provider Collaborative",
        code="CPC-1",
        kind=System.Kind.PROVIDER_COLLABORATIVE,
    )


@pytest.fixture
def supporter(system: System) -> SharingTrust:
    trust = make_trust(code="RSA", name="Strongbridge Hospitals NHS Trust", answers_of=SUPPORTER)
    system.trusts.add(trust.organisation)
    return trust


@pytest.fixture
def in_need(system: System) -> SharingTrust:
    trust = make_trust(code="RSB", name="Weakmoor Hospitals NHS Trust", answers_of=IN_NEED)
    system.trusts.add(trust.organisation)
    return trust


@pytest.fixture
def reviewer(system: System):
    user = UserFactory()
    SystemReviewer.objects.create(system=system, user=user)
    return user


@pytest.fixture
def reviewer_client(reviewer) -> Client:
    return verified_client(reviewer)


def share(trust: SharingTrust, system: System):
    return share_create(assessment=trust.assessment, system=system, user=trust.lead.user)
