"""Health check, error pages, sign-in and sign-out, the home page."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.test import Client

from assessment.models import Membership, Organisation
from tests.factories import PASSWORD, MembershipFactory


@pytest.mark.django_db
def test_healthz_answers_ok_after_a_database_round_trip(
    client: Client, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_unknown_page_gets_the_nhs_styled_404(member_client: Client) -> None:
    response = member_client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<h1 class="nhsuk-heading-l">Page not found</h1>' in html
    assert "nhsuk-header" in html


def test_500_page_renders_without_a_request_or_database() -> None:
    html = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in html
    assert "nhsuk-header" in html
    assert "Sign out" not in html


@pytest.mark.django_db
def test_signed_in_user_who_is_not_staff_gets_the_403_page_from_the_admin(
    member_client: Client,
) -> None:
    response = member_client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "You cannot do that" in response.content.decode()


@pytest.mark.django_db
def test_sign_in_with_email_in_any_case_lands_on_home(client: Client, member: Membership) -> None:
    response = client.post(
        "/sign-in/", {"username": member.user.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/").content.decode()
    assert member.organisation.name in home
    assert "Board member" in home or "board member" in home


@pytest.mark.django_db
def test_sign_in_returns_the_user_to_the_page_they_asked_for(
    client: Client, member: Membership
) -> None:
    response = client.post(
        "/sign-in/?next=/privacy/",
        {"username": member.user.email, "password": PASSWORD, "next": "/privacy/"},
    )
    assert response["Location"] == "/privacy/"


@pytest.mark.django_db
def test_sign_in_refuses_to_redirect_to_another_site(client: Client, member: Membership) -> None:
    response = client.post(
        "/sign-in/",
        {"username": member.user.email, "password": PASSWORD, "next": "https://evil.example"},
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_sign_out_needs_a_post_and_ends_the_session(member_client: Client) -> None:
    assert member_client.get("/sign-out/").status_code == 405
    response = member_client.post("/sign-out/")
    assert response.status_code == 302
    assert member_client.get("/").status_code == 302


@pytest.mark.django_db
def test_password_reset_sends_a_link_that_sets_a_new_password(
    client: Client, member: Membership, mailoutbox
) -> None:
    response = client.post("/password-reset/", {"email": member.user.email})
    assert response["Location"] == "/password-reset/sent/"
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/password-reset/" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new = "correct horse battery staple"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done["Location"] == "/password-reset/complete/"
    member.user.refresh_from_db()
    assert member.user.check_password(new)


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(
    client: Client, mailoutbox
) -> None:
    response = client.post("/password-reset/", {"email": "stranger@example.nhs.uk"})
    assert response["Location"] == "/password-reset/sent/"
    assert mailoutbox == []


@pytest.mark.django_db
def test_short_new_password_is_refused_with_a_message(client: Client) -> None:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = MembershipFactory().user
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    page = client.get(f"/password-reset/{uid}/{token}/", follow=True)
    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": "short", "new_password2": "short"}
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "at least 12 characters" in html


@pytest.mark.django_db
def test_demo_setup_is_idempotent_and_signs_in(client: Client, settings, capsys) -> None:
    settings.DEBUG = True
    call_command("setup_demo")
    call_command("setup_demo")
    output = capsys.readouterr().out
    demo = Organisation.objects.get(ods_code="RZZ")
    # The demo trust and the five made-up trusts of the demo system.
    assert Organisation.objects.count() == 6
    assert Membership.objects.filter(organisation=demo, role=Membership.Role.LEAD).count() == 1
    assert (
        Membership.objects.filter(organisation=demo, role=Membership.Role.BOARD_MEMBER).count() == 2
    )
    # Made once: each trust has its one submitted result shared with the system, once.
    from systems.models import Share, System, SystemReviewer

    system = System.objects.get()
    assert system.trusts.count() == 6
    assert Share.objects.filter(system=system, revoked_at__isnull=True).count() == 6
    assert SystemReviewer.objects.filter(system=system).count() == 1
    assert re.search(
        r"System reviewer\s+reviewer@demo.example.nhs.uk\s+demo-reviewer-password", output
    )
    assert re.search(r"Assessment lead\s+lead@demo.example.nhs.uk\s+demo-lead-password", output)
    # django-axes checks every attempt against the address it comes from.
    assert client.login(
        request=HttpRequest(), username="lead@demo.example.nhs.uk", password="demo-lead-password"
    )


@pytest.mark.django_db
def test_demo_setup_refuses_with_debug_off(settings) -> None:
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("setup_demo")
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_demo_prints_backup_codes_that_let_the_lead_and_admin_through_two_factor(
    settings, capsys
) -> None:
    settings.DEBUG = True
    call_command("setup_demo")
    output = capsys.readouterr().out
    codes = {
        line.split(" (")[0].rsplit(" ", 1)[1]: line.split(": ", 1)[1].split()
        for line in output.splitlines()
        if line.startswith("Two-factor backup codes for ")
    }
    # The accounts that must use two-factor get codes; board members, who need not, do not.
    assert sorted(codes) == [
        "admin@demo.example.nhs.uk",
        "lead@demo.example.nhs.uk",
        "reviewer@demo.example.nhs.uk",
    ]
    assert all(len(found) == 10 for found in codes.values())

    client = Client()
    client.post(
        "/sign-in/", {"username": "lead@demo.example.nhs.uk", "password": "demo-lead-password"}
    )
    assert client.get("/")["Location"].startswith("/account/two-factor/verify/")
    verified = client.post(
        "/account/two-factor/verify/", {"code": codes["lead@demo.example.nhs.uk"][0], "next": "/"}
    )
    assert verified["Location"] == "/"
    assert client.get("/").status_code == 200
