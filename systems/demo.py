"""The demo system: the demo trust and five made-up trusts, each with a submitted result
shared with the system, and a system reviewer, so that the system view has something to
show on a fresh clone (see systems/seed/demo-system.yaml).

Made once: a trust that already has an assessment is left as it is, so running
`setup_demo` again never undoes what someone did while trying the service.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.utils import timezone

from assessment.models import Assessment, Membership, Organisation, Submission
from assessment.services.accounts import membership_ensure, user_ensure
from assessment.services.demo import demo_submitted_create
from systems.models import Share, System, SystemReviewer

DEMO_SYSTEM = Path(__file__).resolve().parent / "seed" / "demo-system.yaml"
DEMO_REVIEWER = ("reviewer@demo.example.nhs.uk", "Riley", "Shaw", "demo-reviewer-password")
# Leads and answers for the made-up trusts; nobody signs in as this account.
DEMO_SYSTEM_LEAD = ("system-trusts@demo.example.nhs.uk", "Demo", "Board secretary")


def demo_system_ensure(*, demo_trust: Organisation, demo_lead: Any) -> tuple[Any, str]:
    """The demo system, its trusts and their shared results, and its reviewer; returns the
    reviewer and their password."""
    data = yaml.safe_load(DEMO_SYSTEM.read_text())
    system, _ = System.objects.update_or_create(
        code=data["system"]["code"],
        defaults={"name": data["system"]["name"], "kind": data["system"]["kind"]},
    )
    if demo_trust.latitude is None:
        location = data["demo_trust_location"]
        demo_trust.latitude = Decimal(location["latitude"])
        demo_trust.longitude = Decimal(location["longitude"])
        demo_trust.save(update_fields=["latitude", "longitude"])
    system.trusts.add(demo_trust)
    email, first, last = DEMO_SYSTEM_LEAD
    secretary = user_ensure(email=email, first_name=first, last_name=last)
    if secretary.has_usable_password():
        secretary.set_unusable_password()
        secretary.save(update_fields=["password"])
    submitted_at = timezone.make_aware(datetime.datetime.fromisoformat(data["submitted_at"]))
    for trust in data["trusts"]:
        organisation, _ = Organisation.objects.update_or_create(
            ods_code=trust["ods_code"],
            defaults={
                "name": trust["name"],
                "latitude": Decimal(trust["latitude"]),
                "longitude": Decimal(trust["longitude"]),
            },
        )
        system.trusts.add(organisation)
        membership_ensure(user=secretary, organisation=organisation, role=Membership.Role.LEAD)
        if not Assessment.objects.filter(organisation=organisation).exists():
            assessment = demo_submitted_create(
                organisation=organisation,
                lead=secretary,
                member=secretary,
                period=data["period"],
                answers=trust["answers"],
                submitted_at=submitted_at,
            )
            _share(assessment=assessment, system=system, user=secretary)
    # The demo trust shares its latest submitted result, once.
    latest = (
        Submission.objects.filter(assessment__organisation=demo_trust, withdrawal__isnull=True)
        .order_by("-submitted_at")
        .first()
    )
    if (
        latest is not None
        and not Share.objects.filter(
            system=system, submission__assessment__organisation=demo_trust
        ).exists()
    ):
        _share(assessment=latest.assessment, system=system, user=demo_lead)
    email, first, last, password = DEMO_REVIEWER
    reviewer = user_ensure(email=email, first_name=first, last_name=last, password=password)
    SystemReviewer.objects.get_or_create(system=system, user=reviewer)
    return reviewer, password


def _share(*, assessment: Assessment, system: System, user: Any) -> None:
    from systems.services import share_create

    share_create(assessment=assessment, system=system, user=user)
