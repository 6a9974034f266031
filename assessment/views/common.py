"""What every journey view needs: the assessment, scoped to the user's trusts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from assessment import selectors
from assessment.models import Assessment, Organisation, Respondent
from assessment.security import log_event


def get_assessment_for_user(request: HttpRequest, pk: int) -> Assessment:
    """The assessment if it belongs to one of the user's trusts; 404 otherwise, so another
    trust's assessments cannot even be shown to exist."""
    try:
        return selectors.assessment_for_user(user=request.user, pk=pk)
    except Assessment.DoesNotExist as missing:
        log_event("access-refused", request, user=request.user.get_username(), assessment=pk)
        raise Http404("No such assessment") from missing


def get_lead_assessment(request: HttpRequest, pk: int) -> Assessment:
    assessment = get_assessment_for_user(request, pk)
    if not selectors.is_lead(assessment):
        log_event("access-refused", request, user=request.user.get_username(), lead_only=pk)
        raise PermissionDenied("Only the trust's assessment lead can do this.")
    return assessment


def get_respondent(request: HttpRequest, pk: int) -> Respondent:
    """The user's own response to the assessment, with the assessment (one query); 404 if
    they are not answering it, logged as a refusal when it is another trust's."""
    respondent = selectors.own_respondent(user=request.user, pk=pk)
    if respondent is None:
        get_assessment_for_user(request, pk)  # 404, logged, for another trust's assessment
        raise Http404("You are not answering this assessment")
    return respondent


def get_organisation_for_user(request: HttpRequest, pk: int) -> Organisation:
    try:
        return selectors.organisation_for_user(user=request.user, pk=pk)
    except Organisation.DoesNotExist as missing:
        raise Http404("No such trust") from missing
