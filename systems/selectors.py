"""Reads for systems: who reviews what, and the live shared results a view may read.

Only live shares are ever read: not revoked, of a submission not withdrawn, of a trust that
still belongs to the system. Revoking a share, withdrawing a result or taking a trust out of
a system therefore removes it from every system view, system paper and peer comparison on
the next request: nothing is kept between requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet

from assessment.models import Assessment, Organisation, Submission
from systems.models import Share, System


def systems_for_reviewer(*, user: Any) -> QuerySet[System]:
    return System.objects.filter(reviewers__user_id=user.pk).order_by("name")


def system_for_reviewer(*, user: Any, pk: int) -> System:
    """A system the user reviews; System.DoesNotExist for any other, so the view answers
    404 and never shows that another system exists."""
    return systems_for_reviewer(user=user).get(pk=pk)


def live_shares() -> QuerySet[Share]:
    return Share.objects.filter(
        revoked_at__isnull=True,
        submission__withdrawal__isnull=True,
        # The trust still belongs to the system the result was shared with.
        system__trusts=F("submission__assessment__organisation"),
    )


@dataclass(frozen=True)
class MemberTrust:
    organisation: Organisation
    submission: Submission | None  # its latest live shared result; None: not shared


def system_members(*, system: System) -> list[MemberTrust]:
    """Every trust of the system, by name, each with its latest live shared submission.
    Two queries, whatever the number of trusts."""
    trusts = list(system.trusts.order_by("name"))  # names are unique
    latest: dict[int, Submission] = {}
    shares = (
        live_shares()
        .filter(system=system)
        .select_related("submission__assessment__questionnaire_version")
        .order_by("-submission__submitted_at", "-submission_id")
    )
    for share in shares:
        latest.setdefault(share.submission.assessment.organisation_id, share.submission)
    return [MemberTrust(organisation=trust, submission=latest.get(trust.pk)) for trust in trusts]


def peer_submissions(*, assessment: Assessment) -> list[Submission]:
    """The latest live shared result of every other trust sharing with a system that the
    assessment's trust belongs to, on the same questionnaire version. Two queries."""
    systems = list(System.objects.filter(trusts=assessment.organisation_id).values_list("pk"))
    if not systems:
        return []
    shares = (
        live_shares()
        .filter(
            system__in=[pk for (pk,) in systems],
            submission__assessment__questionnaire_version_id=(assessment.questionnaire_version_id),
        )
        .exclude(submission__assessment__organisation_id=assessment.organisation_id)
        .select_related(
            "submission__assessment__organisation",
            "submission__assessment__questionnaire_version",
            "submission__assessment__catalogue_version",
        )
        # A peer is compared on its stored domain scores: its whole result is not read.
        .defer("submission__result", "submission__agreed_answers")
        .order_by("-submission__submitted_at", "-submission_id")
    )
    latest: dict[int, Submission] = {}
    for share in shares:
        latest.setdefault(share.submission.assessment.organisation_id, share.submission)
    return [latest[trust] for trust in sorted(latest)]


@dataclass(frozen=True)
class SystemSharing:
    system: System
    share: Share | None  # the live share of this submission with the system, if any


def sharing_for_assessment(*, assessment: Assessment) -> list[SystemSharing]:
    """Each system the assessment's trust belongs to, with this result's live share in it."""
    systems = list(System.objects.filter(trusts=assessment.organisation_id).order_by("name"))
    live = {
        share.system_id: share
        for share in Share.objects.filter(
            submission__assessment_id=assessment.pk, revoked_at__isnull=True
        ).select_related("shared_by")
    }
    return [SystemSharing(system=system, share=live.get(system.pk)) for system in systems]
