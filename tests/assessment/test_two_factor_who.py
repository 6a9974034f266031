"""Who must use two-factor authentication and who has it set up, for a user loaded in any
way. The signed-in user comes with these facts read in the same query; a user loaded
elsewhere is asked the database, and both must give the same answers."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessment.models import Membership
from assessment.selectors.accounts import users_with_two_factor_facts
from assessment.services.two_factor import has_second_factor, two_factor_need, two_factor_required
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _both_ways(user) -> list:
    """The user as any query loads them, and as the sign-in backend loads them."""
    return [
        get_user_model().objects.get(pk=user.pk),
        users_with_two_factor_facts().get(pk=user.pk),
    ]


PEOPLE = {
    "a board member": (lambda: MembershipFactory().user, False),
    "a lead": (lambda: MembershipFactory(role=Membership.Role.LEAD).user, True),
    "a member of a trust that requires it": (
        lambda: MembershipFactory(organisation=OrganisationFactory(require_two_factor=True)).user,
        True,
    ),
    "a catalogue admin": (lambda: UserFactory(is_staff=True), True),
    "someone of no trust": (UserFactory, False),
}


@pytest.mark.parametrize("who", PEOPLE)
def test_who_must_use_two_factor(who: str) -> None:
    make, required = PEOPLE[who]
    user = make()
    MembershipFactory(role=Membership.Role.LEAD)  # someone else's role is not theirs
    for loaded in _both_ways(user):
        assert two_factor_required(loaded) is required
        assert two_factor_need(loaded) == ("setup" if required else "")


@pytest.mark.parametrize("device", [None, "app", "backup codes", "unconfirmed app"])
def test_who_has_a_second_factor(device: str | None) -> None:
    user = MembershipFactory().user
    UserFactory()  # another user, with a device of their own
    TOTPDevice.objects.create(user=UserFactory(), name="Authenticator app", confirmed=True)
    if device == "app":
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    elif device == "backup codes":
        StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    elif device == "unconfirmed app":
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    has = device in ("app", "backup codes")
    for loaded in _both_ways(user):
        assert has_second_factor(loaded) is has
        assert two_factor_need(loaded) == ("verify" if has else "")
