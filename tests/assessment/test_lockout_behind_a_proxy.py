"""Behind the proxy the README prescribes, every request comes from the proxy's address.
Lockout must count the client's address from X-Forwarded-For, and only as far as the
trusted proxies wrote it: otherwise five wrong passwords from anyone lock that user out for
everyone, or a forged header lets a guesser change address at will."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from assessment.security import client_address, client_ip
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


def _sign_in(email: str, password: str, forwarded_for: str) -> int:
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    return client.post("/sign-in/", {"username": email, "password": password}).status_code


def test_behind_one_proxy_a_guesser_does_not_lock_the_user_out_elsewhere(member, settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    email = member.user.email
    statuses = [_sign_in(email, "wrong-password-123", "198.51.100.7") for _ in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]
    assert _sign_in(email, PASSWORD, "198.51.100.7") == 429  # the guesser stays locked out

    # The member, signing in through the same proxy from their own address, is not.
    assert _sign_in(email, PASSWORD, "203.0.113.20") == 302
    attempt = AccessAttempt.objects.get(username=email)
    assert attempt.ip_address == "198.51.100.7"


def test_a_forged_header_does_not_move_the_guesser_to_another_address(member, settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    email = member.user.email
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"):
        # The proxy appends the address it saw to whatever the client sent.
        _sign_in(email, "wrong-password-123", f"{forged}, 198.51.100.7")
    assert _sign_in(email, PASSWORD, "6.6.6.6, 198.51.100.7") == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_without_a_trusted_proxy_the_header_is_ignored(member, settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    email = member.user.email
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"):
        _sign_in(email, "wrong-password-123", forged)
    assert _sign_in(email, PASSWORD, "9.9.9.9") == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        # No proxy: the connection's own address, whatever the header says.
        (0, "198.51.100.7", PROXY),
        # One proxy: the entry it appended, the right-most.
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),
        # Two proxies (a load balancer, then the web server): the second from the right.
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        # Fewer entries than proxies: the header did not come through them all.
        (2, "198.51.100.7", PROXY),
        (1, "", PROXY),
        # Not an address: never stored as one.
        (1, "not-an-address", PROXY),
        (1, "2001:db8::7", "2001:db8::7"),
    ],
)
def test_the_client_address_is_read_as_far_as_the_trusted_proxies_wrote_it(
    settings, proxies: int, forwarded_for: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_address(request) == expected


@pytest.mark.parametrize("proxies", [0, 1])
def test_without_any_address_axes_is_given_none_and_the_log_a_dash(settings, proxies) -> None:
    # A session made in code (force_login, the demo, the benches) has no REMOTE_ADDR:
    # axes stores the address in an address field, which PostgreSQL checks.
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_ip(request) is None
    assert client_address(request) == "-"


def test_a_session_made_in_code_signs_in_on_every_database(member) -> None:
    client = Client()
    client.force_login(member.user)
    assert client.get("/").status_code == 200


def test_lockout_reads_the_client_address_through_the_project_function(settings) -> None:
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert get_client_ip_address(request) == "198.51.100.7"
