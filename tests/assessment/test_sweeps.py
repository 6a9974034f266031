"""Sweeps, not samples: every URL pattern of the project, GET and POST, for each kind of
visitor who must be refused.

The visitors: an anonymous one (also with production settings, behind the proxy); a user
who has two-factor authentication but has given only their password; a lead of another
trust; and a member removed from the trust who still has a response. Each route's keywords
are filled with the real ids of the victim trust, its open and its submitted assessment, a
section with judgements (a section with figures, and a figure, for the figures pages), a
member's query on a figure, a pending invitation and its admin rows.

Every request must be refused the way that visitor is refused (a redirect to sign in or to
enter the code, 401, 403, 404 or 405), never answered with the victim's data and never with
a server error, and must write nothing: no row added or changed in any table, no session
stored or grown. Pages that are open by design are listed below, each with its reason; a
new page that is on no list fails the sweep until someone decides where it belongs.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessment.models import (
    Assessment,
    Figure,
    FigureHolder,
    FigureQuery,
    Invitation,
    Membership,
    Organisation,
    Question,
    Respondent,
)
from assessment.selectors import pinned_for
from assessment.services.assessments import assessment_create, invitation_token, respondents_add
from assessment.services.figures import (
    FigureChange,
    figure_holder_name,
    figure_query_raise,
    figure_query_resolve,
)
from assessment.services.submissions import assessment_submit
from models_catalogue.models import OrganisationalForm
from tests.assessment.conftest import client_for
from tests.assessment.journey import REASONS, answer_everything, enter_figures
from tests.assessment.state import (
    SESSIONS,
    SessionFootprint,
    changed_tables,
    database_fingerprint,
    session_footprint,
    tables_written,
)
from tests.assessment.url_patterns import Route, walk
from tests.conftest import verified_client
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.personas import load_persona, persona_paths

pytestmark = pytest.mark.django_db
ANSWERS = load_persona(persona_paths()[0])["answers"]

# Words that only the victim's pages contain: no refused request may show them.
VICTIM_TRUST = "Sentinel Valley Hospitals NHS Foundation Trust"
VICTIM_TITLES = ("Sentinel open assessment", "Sentinel submitted assessment")
VICTIM_SOURCE = "Sentinel audited accounts 2025/26"  # the source of every figure
VICTIM_QUERY = "Sentinel query: the deficit is larger than this"
VICTIM_WORDS = (VICTIM_TRUST, *VICTIM_TITLES, VICTIM_SOURCE, VICTIM_QUERY)

# Plausible data for every form, so that a refusal is about access, not about bad input: a
# judgement for the member's pages and the consensus, a figure with its source for the
# figures pages, a query, a reply and who provides a section's figures.
POST_DATA = {
    "q-QUAL-5": "1",
    "v-QUAL-5": "1",
    "note-QUAL-5": "A note",
    "question": "QUAL-5",
    "r-QUAL-5": "Because",
    "q-FIN-1": "figure",
    "n-FIN-1": "-7",
    "note-FIN-1": "The intruder's own accounts",
    "v-FIN-1": "1",
    "comment": "This figure is wrong",
    "reply": "It stands",
    "holder-FIN": "",
    "holder-PERF": "",
    "title": "Taken over",
    "reporting_period": "Now",
    "full_name": "Intruder",
    "email": "intruder@elsewhere.nhs.uk",
    "users": [],
    "then": "tasks",
}
# The figures routes take a section with figures or a figure's code; the member's section
# page (and every other `code`) a section with judgements.
FIGURE_CODES = {"assessment:figures_section": "FIN", "assessment:figure_query": "FIN-1"}


def _post_data(route: Route) -> dict[str, object]:
    """The figures autosave saves one figure; the answers autosave one judgement."""
    if route.name == "assessment:figures_autosave":
        return {**POST_DATA, "question": "FIN-1"}
    return POST_DATA


# Open to anyone by design.
PUBLIC = {
    "login": "signing in",
    "password_reset": "asking for a link to choose a new password",
    "password_reset_done": "says the link was sent, whether or not the address is known",
    "password_reset_confirm": "the link from the email: its token is the credential",
    "password_reset_complete": "says the new password is set",
    "invitation": "the signed, expiring token in the address is the credential",
    "healthz": "load balancers and uptime checks",
    "accessibility": "the accessibility statement must be readable before signing in",
    "privacy": "the privacy notice must be readable before signing in",
    "catalogue:menu": "the organisational forms: the same published guidance for every board",
    "catalogue:menu_version": "an earlier published version of the same guidance",
    "catalogue:form": "one organisational form of the published guidance",
    "catalogue:form_version": "one form in an earlier published version",
}
# Open, before the code is entered, to a user who has two-factor authentication.
BEFORE_THE_CODE = {
    "two_factor_verify": "where the code is entered",
    "logout": "signing out",
    "session_extend": "keeps the session-timeout warning working; it shows nothing",
    "healthz": PUBLIC["healthz"],
    "accessibility": PUBLIC["accessibility"],
    "privacy": PUBLIC["privacy"],
}
# A signed-in user's own pages. They take no id, so they can show only the user's own
# things; posting to them may change the user's own account, or sign them out.
OWN = {
    "home": "lists the user's own trusts and assessments",
    "account": "the user's own account",
    "password_change": "changes the user's own password",
    "two_factor_setup": "sets up the user's own authenticator app",
    "two_factor_verify": "checks the user's own code",
    "backup_codes": "renews the user's own backup codes",
    "two_factor_remove": "turns off the user's own two-factor authentication",
    "logout": "ends the user's own session",
    "session_extend": "extends the user's own session",
    "systems:list": "the systems the user reviews, if any (404 for anyone who reviews none)",
}
# Open to any signed-in user: they take no trust or assessment, and show every board the same
# published text.
SHARED = {
    "questionnaire": "the published questionnaire: the same questions for every board",
    "questionnaire_version": "an earlier published version of the same questionnaire",
    "questionnaire_changes": "what changed in an edition: the same published note for every "
    "lead and admin (404 for a version without one, 403 for anyone else)",
}
OWN_TABLES = frozenset(
    {"auth_user", "otp_totp_totpdevice", "otp_static_staticdevice", "otp_static_statictoken"}
)
# Sent on a session of their own: were they allowed, they would end the sweep's session.
SIGNING_OUT = {"logout", "admin:logout"}
# Signing out records the time in django-axes' access log.
SIGNING_OUT_WRITES = frozenset({"axes_accesslog"})
# Called by the page's script: they answer 401 rather than a redirect to a page of HTML.
SCRIPT_ENDPOINTS = {
    "assessment:autosave",
    "assessment:figures_autosave",
    "assessment:consensus_autosave",
    "session_extend",
}
SIGN_IN_PAGES = {"/sign-in/", "/admin/login/"}  # the admin's hands over to ours
# The admin refuses a signed-in user who is not staff: to its sign-in page (which answers
# 403) and, from signing out of the admin, to its index (which refuses the same way).
ADMIN_REFUSALS = {"/admin/login/", "/admin/"}


# --------------------------------------------------------------------------- the victim


@dataclass(frozen=True)
class Victim:
    trust: Organisation
    lead: Membership
    open: Assessment
    done: Assessment
    invitation: Invitation


@pytest.fixture
def victim() -> Victim:
    """A trust whose board has answered and whose lead has entered the figures; one
    assessment submitted, one still open with a pending invitation, a member named to
    provide its PERF figures and a member's query on FIN-1 still open (resolved on the
    submitted one)."""
    trust = OrganisationFactory(name=VICTIM_TRUST, ods_code="RSV")
    lead = MembershipFactory(organisation=trust, role=Membership.Role.LEAD)
    member = MembershipFactory(organisation=trust)
    assessments = []
    for title in VICTIM_TITLES:
        assessment = assessment_create(
            organisation=trust, title=title, reporting_period="2026", user=lead.user
        )
        respondents_add(assessment=assessment, users=[member.user])
        answer_everything(client_for(member), assessment, ANSWERS)
        enter_figures(client_for(lead), assessment, ANSWERS, source=VICTIM_SOURCE)
        figure_query_raise(
            assessment=assessment,
            user=member.user,
            pinned=pinned_for(assessment),
            code="FIN-1",
            comment=VICTIM_QUERY,
        )
        assessments.append(assessment)
    open_one, done = assessments
    figure_holder_name(
        assessment=open_one, section="PERF", user_id=member.user_id, named_by=lead.user
    )
    figure = Figure.objects.get(assessment=done, question__code="FIN-1")
    figure_query_resolve(
        assessment=done,
        user=lead.user,
        pinned=pinned_for(done),
        query=FigureQuery.objects.get(assessment=done),
        change=FigureChange("FIN-1", figure.value, figure.source, figure.version),
        reply="It stands: it is the audited figure.",
    )
    assessment_submit(assessment=done, user=lead.user, reasons=REASONS)
    invitation = Invitation.objects.create(
        assessment=open_one, email="newcomer@sentinel.nhs.uk", full_name="New Comer"
    )
    return Victim(trust=trust, lead=lead, open=open_one, done=done, invitation=invitation)


def _routes(victim: Victim, assessment: Assessment) -> list[Route]:
    """Every route, its keywords filled with the victim's ids (the admin's with the victim's
    own rows where there is one)."""
    admin_rows = {
        "assessment/organisation/": victim.trust.pk,
        "assessment/membership/": victim.lead.pk,
        "assessment/question/": Question.objects.filter(version__number=1).first().pk,
        "assessment/questionnaireversion/": 1,
        "auth/user/": victim.lead.user_id,
        "models_catalogue/catalogueversion/": 1,
        "models_catalogue/organisationalform/": OrganisationalForm.objects.first().pk,
        "otp_totp/totpdevice/": _first_pk(TOTPDevice),
    }
    values = {
        "pk": assessment.pk,
        "trust": victim.trust.pk,
        "code": "QUAL",
        "query_pk": FigureQuery.objects.get(assessment=assessment).pk,
        "slug": "federation",
        "number": 1,
        "uidb64": urlsafe_base64_encode(force_bytes(victim.lead.user_id)),
        "content_type_id": ContentType.objects.get_for_model(Organisation).pk,
    }

    def fill(prefix: str, keyword: str, converter: str) -> str | None:
        if keyword == "token" and prefix.startswith("invitations/"):
            return invitation_token(victim.invitation)
        if prefix.startswith("admin/") and keyword in ("object_id", "pk"):
            if prefix == "admin/r/1/":
                return str(victim.trust.pk)
            row = next((pk for path, pk in admin_rows.items() if prefix.endswith(path)), None)
            return None if row is None else str(row)
        value = values.get(keyword)
        return None if value is None else str(value)

    return sorted(
        (_figure_code(route, assessment) for route in walk(fill=fill)),
        key=lambda route: route.name,
    )


def _figure_code(route: Route, assessment: Assessment) -> Route:
    """The figures routes with a real section with figures, or a real figure."""
    code = FIGURE_CODES.get(route.name)
    if code is None:
        return route
    return replace(route, path=reverse(route.name, kwargs={"pk": assessment.pk, "code": code}))


def _first_pk(model) -> int | None:
    return model.objects.order_by("pk").values_list("pk", flat=True).first()


def _victim_bound(route: Route) -> bool:
    return not _is_admin(route) and bool(route.keywords & {"pk", "trust"})


def _is_admin(route: Route) -> bool:
    return route.name.startswith("admin:") or route.name == "admin_sign_in"


# --------------------------------------------------------------------------- the sweep


@dataclass
class Sweep:
    """Sends GET and POST to each route and collects every problem, so that one run names
    all the pages that misbehave rather than the first. Writes are watched on every request
    (the statements it runs) and over the whole sweep (every table's rows)."""

    session_slack: int = 0  # characters a signed-in session may grow by (its activity time)
    ignore_tables: frozenset[str] = frozenset()  # written by design, see `send`
    problems: list[str] = field(default_factory=list)
    # Sends every request. The clients handed to `send` only hold a session's cookies: a
    # client that sends requests loads the middleware, and WhiteNoise's scan takes a while.
    sender: Client = field(default_factory=Client)

    def __post_init__(self) -> None:
        self.before = database_fingerprint(without=self.ignore_tables)

    def send(
        self,
        client: Client,
        route: Route,
        expect: Callable[[str, object], str | None],
        *,
        may_write: frozenset[str] = frozenset(),
        headers: dict[str, str] | None = None,
    ) -> None:
        for method in ("get", "post"):
            sessions = session_footprint()
            data = _post_data(route) if method == "post" else None
            self.sender.cookies = client.cookies
            with tables_written() as written:
                response = getattr(self.sender, method)(route.path, data, **(headers or {}))
            label = f"{method.upper()} {route.name} ({route.path})"
            if response.status_code >= 500:
                self.problems.append(f"{label}: server error {response.status_code}")
            if (problem := expect(method, response)) is not None:
                self.problems.append(f"{label}: {problem}")
            if route.name != "invitation" and (shown := _victim_data(response)):
                self.problems.append(f"{label}: shows the victim's {shown!r}")
            if changed := sorted(written - may_write - {SESSIONS}):
                self.problems.append(f"{label}: wrote to {', '.join(changed)}")
            if problem := _session_growth(sessions, session_footprint(), self.session_slack):
                self.problems.append(f"{label}: {problem}")

    def check(self) -> None:
        after = database_fingerprint(without=self.ignore_tables)
        if changed := changed_tables(self.before, after):
            self.problems.append(f"the sweep changed rows in {', '.join(changed)}")
        assert not self.problems, "\n".join(self.problems)


def _victim_data(response) -> str | None:
    if getattr(response, "streaming", False):
        return None
    body = response.content.decode(errors="replace")
    return next((word for word in VICTIM_WORDS if word in body), None)


def _session_growth(before: SessionFootprint, after: SessionFootprint, slack: int) -> str | None:
    if after.rows > before.rows:
        return f"stored {after.rows - before.rows} new session(s)"
    if after.size - before.size > slack:
        return f"grew the sessions by {after.size - before.size} characters"
    return None


def _location(response) -> str:
    return urlsplit(response.get("Location", "")).path


# --------------------------------------------------------------------------- anonymous


def _anonymous_refusal(route: Route) -> Callable[[str, object], str | None]:
    def expect(method: str, response) -> str | None:
        if route.name in PUBLIC:
            return None
        if route.name in SCRIPT_ENDPOINTS:
            wanted = 405 if method == "get" else 401
            if response.status_code != wanted:
                return f"answered {response.status_code}, not {wanted}"
            return None
        if response.status_code != 302 or _location(response) not in SIGN_IN_PAGES:
            return f"answered {response.status_code} {response.get('Location', '')}, not sign-in"
        return None

    return expect


def _sweep_anonymous(victim: Victim, headers: dict[str, str] | None = None) -> Sweep:
    sweep = Sweep()
    for route in _routes(victim, victim.open):
        sweep.send(Client(), route, _anonymous_refusal(route), headers=headers)
    return sweep


def test_every_name_on_the_lists_is_a_route(victim) -> None:
    names = {route.name for route in _routes(victim, victim.open)}
    for listed in (PUBLIC, BEFORE_THE_CODE, OWN, SHARED, SCRIPT_ENDPOINTS):
        assert set(listed) <= names, f"no longer routes: {sorted(set(listed) - names)}"
    assert len(names) > 100  # the admin's routes are walked too


def test_an_anonymous_visitor_is_sent_to_sign_in_everywhere_and_writes_nothing(victim) -> None:
    _sweep_anonymous(victim).check()


def test_behind_the_proxy_with_production_settings_the_same_holds(victim, settings) -> None:
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    # Without the proxy's header every request would only be sent to HTTPS, and the sweep
    # below would test nothing else.
    plain = Client().get(f"/assessments/{victim.open.pk}/")
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    _sweep_anonymous(victim, headers={"HTTP_X_FORWARDED_PROTO": "https"}).check()


# The pages that accept an anonymous post: a member's section, and a section's figures.
KEEPING_PAGES = pytest.mark.parametrize(
    ("page", "fields"),
    [
        ("response/QUAL/", {"q-QUAL-5": "3"}),
        ("figures/FIN/", {"q-FIN-1": "figure", "n-FIN-1": "-2"}),
    ],
    ids=["section", "figures"],
)


@KEEPING_PAGES
def test_anonymous_posts_to_a_section_write_no_rows(victim, page, fields) -> None:
    """The section and figures pages accept an anonymous post (what a member whose session
    ended typed is kept for them): five posts of 1 MB each still write no row of any table."""
    url = f"/assessments/{victim.open.pk}/{page}"
    before = database_fingerprint()
    client = Client()
    for _ in range(5):
        client.cookies.clear()  # a new visitor each time
        response = client.post(url, _large_post(fields))
        assert response.status_code == 302
        assert _location(response) == "/sign-in/"
    assert changed_tables(before, database_fingerprint()) == []


@KEEPING_PAGES
def test_anonymous_posts_to_a_section_cannot_fill_the_session_table(victim, page, fields) -> None:
    url = f"/assessments/{victim.open.pk}/{page}"
    before = session_footprint()
    client = Client()
    for _ in range(5):
        client.cookies.clear()
        client.post(url, _large_post(fields))
    assert session_footprint().size - before.size < 64 * 1024


def _large_post(fields: dict[str, str]) -> dict[str, str]:
    """1 MB of note (or source) that does not compress (sessions are stored compressed)."""
    note = base64.b64encode(os.urandom(768 * 1024)).decode()
    code = next(iter(fields))[2:]
    return {"owner": "anyone", **fields, f"note-{code}": note}


# --------------------------------------------------------------------------- password only


def _password_only_refusal(route: Route) -> Callable[[str, object], str | None]:
    def expect(method: str, response) -> str | None:
        if route.name in BEFORE_THE_CODE:
            return None
        if method == "get":
            if response.status_code != 302 or _location(response) != "/account/two-factor/verify/":
                where = response.get("Location", "")
                return f"answered {response.status_code} {where}, not the code page"
            return None
        if response.status_code != 401 or response.json() != {"status": "two-factor-needed"}:
            return f"answered {response.status_code}, not 401 two-factor-needed"
        return None

    return expect


def test_a_password_without_the_code_opens_nothing_and_writes_nothing(victim) -> None:
    """A lead of the victim trust, who answers its assessment and is a catalogue admin: only
    the missing code stands between them and every page."""
    user = UserFactory(is_staff=True, is_superuser=True)
    MembershipFactory(user=user, organisation=victim.trust, role=Membership.Role.LEAD)
    respondents_add(assessment=victim.open, users=[user])
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)

    def signed_in() -> Client:
        client = Client()
        client.force_login(user)
        return client

    client = signed_in()
    # Signing in again, to sign out, records the time of sign-in on the user.
    sweep = Sweep(session_slack=200, ignore_tables=SIGNING_OUT_WRITES | {"auth_user"})
    for route in _routes(victim, victim.open):
        if route.name in SIGNING_OUT:
            sweep.send(
                signed_in(), route, _password_only_refusal(route), may_write=SIGNING_OUT_WRITES
            )
        else:
            sweep.send(client, route, _password_only_refusal(route))
    sweep.check()


# --------------------------------------------------------------------------- other trusts


def _outsider_refusal(route: Route) -> Callable[[str, object], str | None]:
    seen: list[int] = []

    def expect(method: str, response) -> str | None:
        if route.name in PUBLIC or route.name in OWN or route.name in SHARED:
            return None
        if _is_admin(route):
            refused = response.status_code == 403 or (
                response.status_code == 302 and _location(response) in ADMIN_REFUSALS
            )
            return None if refused else f"answered {response.status_code}, not the admin refusal"
        if not _victim_bound(route):
            return "is on no list: decide whether it is public, the user's own, or refused"
        seen.append(response.status_code)
        if response.status_code not in (404, 405):
            return f"answered {response.status_code}, not 404"
        if method == "post" and 404 not in seen:
            return "never answered 404"
        return None

    return expect


def _sweep_outsider(victim: Victim, signed_in: Callable[[], Client]) -> None:
    """The victim's pages on one session; then the user's own pages, each on a new session
    of its own, since posting to them may turn off two-factor authentication or sign out."""
    client = signed_in()
    sweep = Sweep(session_slack=200, ignore_tables=OWN_TABLES | SIGNING_OUT_WRITES)
    for assessment in (victim.open, victim.done):
        for route in _routes(victim, assessment):
            if route.name in OWN or (assessment is victim.done and not _victim_bound(route)):
                continue
            sweep.send(client, route, _outsider_refusal(route))
    for route in _routes(victim, victim.open):
        if route.name in OWN:
            writes = OWN_TABLES | SIGNING_OUT_WRITES
            sweep.send(signed_in(), route, _outsider_refusal(route), may_write=writes)
    sweep.check()


def test_a_lead_of_another_trust_gets_404_everywhere_and_writes_nothing(victim) -> None:
    stranger = MembershipFactory(role=Membership.Role.LEAD)
    _sweep_outsider(victim, lambda: verified_client(stranger.user))


def test_a_removed_member_gets_404_everywhere_and_writes_nothing(victim) -> None:
    """Once the trust's lead, and answering both assessments, and named to provide the FIN
    figures of both; removed from the trust, with their responses and those namings kept."""
    removed = MembershipFactory(organisation=victim.trust, role=Membership.Role.LEAD)
    respondents_add(assessment=victim.open, users=[removed.user])
    Respondent.objects.create(assessment=victim.done, user=removed.user)
    for assessment in (victim.open, victim.done):
        FigureHolder.objects.create(assessment=assessment, section="FIN", user=removed.user)
    user = removed.user
    removed.delete()

    def signed_in() -> Client:
        client = Client()
        client.force_login(user)
        return client

    _sweep_outsider(victim, signed_in)
