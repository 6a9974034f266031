from __future__ import annotations

import pytest
from django.test import Client

from assessment.models import Assessment, Membership, Organisation
from assessment.services.assessments import assessment_create, respondents_add
from tests.conftest import verified_client
from tests.factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def trust(db: None) -> Organisation:
    return OrganisationFactory(name="North Moor Hospitals NHS Foundation Trust", ods_code="RNM")


@pytest.fixture
def trust_lead(trust: Organisation) -> Membership:
    return MembershipFactory(organisation=trust, role=Membership.Role.LEAD)


@pytest.fixture
def board(trust: Organisation) -> list[Membership]:
    return [MembershipFactory(organisation=trust) for _ in range(3)]


@pytest.fixture
def assessment(trust: Organisation, trust_lead: Membership, board: list[Membership]) -> Assessment:
    created = assessment_create(
        organisation=trust,
        title="Board assessment",
        reporting_period="2025 to 2026",
        user=trust_lead.user,
    )
    respondents_add(assessment=created, users=[m.user for m in board])
    return created


def client_for(membership: Membership) -> Client:
    """A signed-in client for a member of the board. Leads must use two-factor
    authentication, so theirs has verified it, as a lead's session would have."""
    if membership.role == Membership.Role.LEAD:
        return verified_client(membership.user)
    client = Client()
    client.force_login(membership.user)
    return client
