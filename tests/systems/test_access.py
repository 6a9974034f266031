"""Who reaches what across systems: a reviewer sees the system view only, never a trust's
assessment pages or exports; trust members never see the system view; a reviewer of one
system sees nothing of another; a revoked share leaves every view, paper and comparison."""

from __future__ import annotations

import csv as csv_module
import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from systems.models import Share, System, SystemReviewer
from systems.services import share_create, share_revoke
from tests.assessment.conftest import client_for
from tests.assessment.test_access_matrix import (
    PATTERNS,
    _post_data,
    _state,
    _url,
)
from tests.assessment.test_access_matrix import (
    three_trusts as three_trusts,  # a fixture, used by `shared_a`
)
from tests.conftest import verified_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SYSTEM_VIEWS = ("systems:system", "systems:paper", "systems:csv")


def _system_urls(system: System) -> list[str]:
    return [reverse(name, kwargs={"pk": system.pk}) for name in SYSTEM_VIEWS]


@pytest.fixture
def shared_a(three_trusts, system):
    """Trust A's submitted result, shared with the system; its reviewer, verified."""
    a = three_trusts["A"]
    system.trusts.add(a["trust"])
    share_create(assessment=three_trusts["done"], system=system, user=a["lead"].user)
    return three_trusts


@pytest.mark.parametrize("which", ["open", "done"])
def test_a_reviewer_gets_404_on_every_assessment_url_and_export(
    shared_a, reviewer_client, which: str
) -> None:
    target = shared_a[which]
    before = _state()
    for name, route in PATTERNS:
        url = _url(name, route, target)
        get = reviewer_client.get(url).status_code
        post = reviewer_client.post(url, _post_data(name)).status_code
        assert {get, post} <= {404, 405}, f"{name} answered {get}/{post} to a system reviewer"
        assert 404 in {get, post}, f"{name} never answered 404"
    sharing = f"/assessments/{target.pk}/sharing/"
    assert reviewer_client.get(sharing).status_code == 404
    assert reviewer_client.post(sharing, {"confirm": "on"}).status_code == 404
    assert _state() == before


def test_a_reviewer_cannot_revoke_a_share(shared_a, reviewer_client) -> None:
    live = Share.objects.get()
    url = f"/assessments/{shared_a['done'].pk}/sharing/{live.pk}/revoke/"
    assert reviewer_client.post(url).status_code == 404
    live.refresh_from_db()
    assert live.revoked_at is None


@pytest.mark.parametrize("who", ["lead", "member"])
def test_a_trusts_lead_and_members_cannot_open_the_system_view(shared_a, system, who) -> None:
    client = client_for(shared_a["A"][who])
    for url in [*_system_urls(system), reverse("systems:list")]:
        assert client.get(url).status_code == 404, url


def test_a_reviewer_of_one_system_sees_nothing_of_another(
    shared_a, system, other_system, reviewer_client
) -> None:
    other_system.trusts.add(shared_a["A"]["trust"])
    share_create(assessment=shared_a["done"], system=other_system, user=shared_a["A"]["lead"].user)
    for url in _system_urls(other_system):
        assert reviewer_client.get(url).status_code == 404, url
    home = reviewer_client.get("/").content.decode()
    assert system.name in home
    assert other_system.name not in home
    # The list of their systems goes straight to their one system.
    assert reviewer_client.get(reverse("systems:list"))["Location"] == _system_urls(system)[0]


def test_anonymous_visitors_are_sent_to_sign_in(shared_a, system) -> None:
    for url in _system_urls(system):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")


def test_a_reviewer_must_verify_a_second_factor_first(shared_a, system, reviewer) -> None:
    client = Client()
    client.force_login(reviewer)
    for url in _system_urls(system):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "two-factor" in response["Location"] or "account" in response["Location"]


def test_a_staff_user_who_is_not_a_reviewer_gets_404(shared_a, system) -> None:
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = verified_client(admin)
    for url in _system_urls(system):
        assert client.get(url).status_code == 404


def test_a_revoked_share_leaves_the_view_the_paper_and_the_csv_at_once(
    shared_a, system, reviewer_client
) -> None:
    code = shared_a["A"]["trust"].ods_code
    index = f"{shared_a['done'].submission.index:.1f}"
    view, paper, csv = _system_urls(system)

    def trust_rows() -> list[dict[str, str]]:
        text = reviewer_client.get(csv).content.decode("utf-8-sig")
        rows = list(csv_module.DictReader(io.StringIO(text)))
        return [row for row in rows if row["Part"] == "trust" and row["Trust code"] == code]

    def paper_text() -> str:
        reader = PdfReader(io.BytesIO(reviewer_client.get(paper).content))
        return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)

    def view_row() -> str:
        page = reviewer_client.get(view).content.decode()
        return page.split(f'<span class="nhsuk-body-s">{code}</span>')[1].split("</tr>")[0]

    assert index in view_row()
    assert "Not shared" not in view_row()
    [row] = trust_rows()
    assert row["Index"] == index
    assert index in paper_text()

    share_revoke(share=Share.objects.get(), user=shared_a["A"]["lead"].user)

    # The trust is still a member of the system, and says only that.
    assert "Not shared" in view_row()
    assert index not in view_row()
    [row] = trust_rows()
    assert row["Index"] == ""
    assert row["Verdict"] == ""
    assert "not shared" in row["Status"].lower()
    text = paper_text()
    assert index not in text
    assert "not shared" in text.lower()


def test_removing_a_reviewer_closes_the_view_at_once(shared_a, system, reviewer) -> None:
    client = verified_client(reviewer)
    assert client.get(_system_urls(system)[0]).status_code == 200
    SystemReviewer.objects.filter(user=reviewer).delete()
    assert client.get(_system_urls(system)[0]).status_code == 404
