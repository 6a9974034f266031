"""Who belongs to which trust, and what two-factor authentication asks of them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from assessment.models import Membership


def memberships_for_user(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Membership]:
    return Membership.objects.filter(user_id=user.pk).select_related("organisation")


def is_lead_anywhere(*, user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether the user leads any trust's assessments; read with the signed-in user (see
    `users_with_two_factor_facts`), so it costs no query on a page."""
    known = getattr(user, "lead_anywhere", None)
    if known is not None:
        return bool(known)
    return Membership.objects.filter(user_id=user.pk, role=Membership.Role.LEAD).exists()


def users_with_two_factor_facts() -> QuerySet[Any]:
    """Users, each with what two-factor authentication asks of them, read in the same query
    that loads them: `has_second_factor` (a confirmed authenticator app or backup codes)
    and `two_factor_role` (an assessment lead anywhere, a member of a trust that requires
    it, or a system reviewer). The authentication backend loads the signed-in user through
    this on every request, so a user who has just been made a lead is asked for a second
    factor on their very next request: nothing is cached between requests."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from systems.models import SystemReviewer

    def confirmed(model: Any) -> Exists:
        return Exists(model.objects.filter(user=OuterRef("pk"), confirmed=True))

    return get_user_model()._default_manager.annotate(
        has_second_factor=confirmed(TOTPDevice) | confirmed(StaticDevice),
        two_factor_role=Exists(
            Membership.objects.filter(user=OuterRef("pk")).filter(
                Q(role=Membership.Role.LEAD) | Q(organisation__require_two_factor=True)
            )
        )
        # A system reviewer sees the shared results of every trust in the system.
        | Exists(SystemReviewer.objects.filter(user=OuterRef("pk"))),
        lead_anywhere=Exists(
            Membership.objects.filter(user=OuterRef("pk"), role=Membership.Role.LEAD)
        ),
    )
