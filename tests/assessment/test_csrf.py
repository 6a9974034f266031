"""Every URL refuses a state-changing request that lacks the CSRF token."""

from __future__ import annotations

import pytest
from django.test import Client

from assessment.models import Membership
from assessment.services.assessments import assessment_create
from tests.assessment.test_access import ALL_URLS
from tests.conftest import verified_client
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_client() -> Client:
    lead = MembershipFactory(role=Membership.Role.LEAD)
    assessment_create(
        organisation=lead.organisation, title="T", reporting_period="P", user=lead.user
    )
    client = verified_client(lead.user)  # leads must have verified a second factor
    client.handler.enforce_csrf_checks = True
    return client


def test_a_post_without_the_csrf_token_is_refused_on_every_url(lead_client: Client) -> None:
    # Every state change in the service is a POST; signed in or not, none gets past.
    let_through = []
    for _, path in ALL_URLS:
        for client in (lead_client, Client(enforce_csrf_checks=True)):
            response = client.post(path, {"title": "x"})
            if (
                response.status_code != 403
                or "The page had expired" not in response.content.decode()
            ):
                let_through.append((path, response.status_code))
    assert let_through == []
    assert len(ALL_URLS) > 50


def test_with_the_token_the_same_request_goes_through(lead_client: Client) -> None:
    lead_client.get("/")
    token = lead_client.cookies["csrftoken"].value
    response = lead_client.post("/sign-out/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_staff_user_is_held_to_it_in_the_admin_too() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.post("/admin/models_catalogue/catalogueversion/import/").status_code == 403
