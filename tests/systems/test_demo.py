"""`make run`'s demo: the demo reviewer sees the demo system with a support pairing and a
peer partnership, and the trusts span the verdicts."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from systems.models import System
from systems.services import system_review
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db


def test_the_demo_reviewer_sees_a_pairing_and_a_partnership(settings) -> None:
    from django.contrib.auth import get_user_model

    settings.DEBUG = True
    call_command("setup_demo")
    system = System.objects.get()
    proposals = system_review(system=system).proposals
    verdicts = sorted(trust.verdict or "" for trust in proposals.trusts)
    assert verdicts.count("sustainable-lead") == 2
    assert verdicts.count("sustainable-collaborate") == 2
    assert {"at-risk", "unsustainable"} <= set(verdicts)
    assert len(proposals.candidates) == 2
    reviewer = get_user_model().objects.get(email="reviewer@demo.example.nhs.uk")
    html = verified_client(reviewer).get(f"/systems/{system.pk}/").content.decode()
    assert html.count('class="nhsuk-card app-pairing"') >= 1
    assert "Northgate Teaching Hospitals NHS Foundation Trust supporting" in html
    assert proposals.partnerships
    assert proposals.partnerships[0].form_name in html
