from __future__ import annotations

import pytest

from assessment.models import Assessment, Membership, Organisation
from assessment.services.assessments import assessment_create, respondents_add
from tests.factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def trust(db: None) -> Organisation:
    return OrganisationFactory(name="Wolds and Coast NHS Foundation Trust", ods_code="RWC")


@pytest.fixture
def lead(trust: Organisation) -> Membership:
    return MembershipFactory(organisation=trust, role=Membership.Role.LEAD)


@pytest.fixture
def board(trust: Organisation) -> list[Membership]:
    return [MembershipFactory(organisation=trust) for _ in range(3)]


@pytest.fixture
def assessment(trust: Organisation, lead: Membership, board: list[Membership]) -> Assessment:
    created = assessment_create(
        organisation=trust,
        title="Board assessment",
        reporting_period="2025 to 2026",
        user=lead.user,
    )
    respondents_add(assessment=created, users=[member.user for member in board])
    return created
