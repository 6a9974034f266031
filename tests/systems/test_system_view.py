"""The system view: every member trust with its latest shared result or "not shared", the
supporter candidates, pairings with their reasons, partnerships and the heat table, in a
fixed number of queries whatever the number of trusts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.systems.conftest import make_trust, share

pytestmark = pytest.mark.django_db


def test_the_reviewer_sees_a_pairing_with_its_reasons(
    supporter, in_need, system, reviewer_client
) -> None:
    share(supporter, system)
    share(in_need, system)
    quiet = make_trust(code="RSQ", name="Quietwater Hospitals NHS Trust", answers_of="RZC")
    system.trusts.add(quiet.organisation)  # a member that has not shared
    html = reviewer_client.get(reverse("systems:system", kwargs={"pk": system.pk})).content
    html = html.decode()
    assert "Strongbridge Hospitals NHS Trust supporting Weakmoor Hospitals NHS Trust" in html
    assert "is strongest where Weakmoor Hospitals NHS Trust is weakest" in html
    assert "Yes: a candidate to support others" in html
    assert "No: in difficulty" in html
    assert "Quietwater Hospitals NHS Trust" in html
    assert "Not shared" in html
    assert 'class="nhsuk-table app-heat-table"' in html
    assert "Approvals" in html
    # What is never shared cannot appear: no member of any board is named.
    for trust in (supporter, in_need):
        for membership in (trust.lead, trust.member):
            assert membership.user.email not in html
            assert (membership.user.get_full_name() or "@@") not in html


def test_an_unlocated_trust_gets_no_distance_discount_and_is_told_so(
    system, supporter, reviewer_client
) -> None:
    share(supporter, system)
    far = make_trust(
        code="RSU", name="Nowhere Hospitals NHS Trust", answers_of="RZD", located=False
    )
    system.trusts.add(far.organisation)
    share(far, system)
    html = reviewer_client.get(reverse("systems:system", kwargs={"pk": system.pk})).content
    assert "location is not recorded" in html.decode()


@pytest.mark.parametrize("count", [2, 6])
def test_the_system_view_takes_a_fixed_number_of_queries(
    system, reviewer_client, django_assert_num_queries, count: int
) -> None:
    answers = ("RZA", "RZD", "RZC", "RZE", "RZB", "RZA")
    for number in range(count):
        trust = make_trust(
            code=f"RQ{number}", name=f"Trust {number} NHS Trust", answers_of=answers[number]
        )
        system.trusts.add(trust.organisation)
        share(trust, system)
    url = reverse("systems:system", kwargs={"pk": system.pk})
    reviewer_client.get(url)  # the stored results decoded once per process
    # Session, user, second factor; the system, its trusts, its live shares with their
    # submissions.
    with django_assert_num_queries(6):
        assert reviewer_client.get(url).status_code == 200
