"""Reads for the lead's member pages: one query each."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from assessment.models import Assessment, Membership, Respondent


def respondent_of(*, assessment: Assessment, pk: int) -> Respondent:
    """One respondent of the assessment (removed or not), with their user and their place on
    the trust's board (`board_role`, "" if not recorded); Respondent.DoesNotExist for any
    other. One query."""
    board_role = Membership.objects.filter(
        user_id=OuterRef("user_id"), organisation_id=assessment.organisation_id
    ).values("board_role")[:1]
    return (
        Respondent.objects.select_related("user")
        .annotate(board_role=Subquery(board_role))
        .order_by()
        .get(assessment=assessment, pk=pk)
    )
