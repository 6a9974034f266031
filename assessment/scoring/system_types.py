"""What the system view reads and returns (method section 11), as frozen dataclasses.

See `system.py` for the method and the choices made where method.md is silent. Scores are
Decimals on the 0..100 scale of the engine; values in 0..1 (complement, willingness,
capacity, distance factor) are Decimals on the engine's twenty-place grid.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

# Form roles in the catalogue.
ROLE_SELF = "self"
ROLE_PARTNER = "partner"
ROLE_SUPPORTED = "supported"
ROLE_LEAD = "lead"

# The questions section 11 reads, by code.
READY_TO_CHANGE = "CHANGE-1"  # the board's readiness to consider a different form
MANAGEMENT_CAPACITY = "CHANGE-2"
READY_TO_SUPPORT = "CHANGE-4"
SHARED_QUESTION_PREFIXES = ("SYS-", "CHANGE-")

# A supporter needs CHANGE-2 (and, when only sustainable-collaborate, CHANGE-4) at this level.
CANDIDATE_LEVEL = 3

# The joint forms: the supporter's lead-role half with a compatible half for the trust in need.
JOINT_FORMS: tuple[tuple[str, str], ...] = (
    ("lead-group", "join-multi-service-chain"),
    ("lead-group", "shared-leadership"),
    ("lead-group", "merger-acquisition"),
    ("offer-support", "buddying"),
    ("offer-support", "management-contract"),
    ("extend-service-chain", "service-level-chain"),
)

# Forms that join up sites or services, and so are discounted by distance.
JOINS_SITES = frozenset(
    {"merger-acquisition", "join-multi-service-chain", "shared-leadership", "service-level-chain"}
)

# The weights of PairScore.
COMPLEMENT_WEIGHT = Decimal("0.35")
WILLINGNESS_WEIGHT = Decimal("0.25")
CAPACITY_WEIGHT = Decimal("0.15")
JOINT_FIT_WEIGHT = Decimal("0.25")

# The distance discount: none up to NEAR_KM, falling linearly to FAR_FACTOR at FAR_KM and beyond.
NEAR_KM = Decimal(30)
FAR_KM = Decimal(150)
FAR_FACTOR = Decimal("0.5")

# Peer partnerships: a partner-role form both trusts rank this high or higher.
PARTNER_TOP = 5

# Peer comparison: at least this many other trusts must have shared.
PEERS_NEEDED = 5
LOWER_QUARTILE = "lower quartile"
MIDDLE_HALF = "middle half"
UPPER_QUARTILE = "upper quartile"

# Why a trust or a pair is not proposed, in the order they are listed.
NOT_SHARED = "not-shared"
NOT_CANDIDATE = "not-candidate"
BOTH_IN_NEED = "both-in-need"
NO_JOINT_FORM = "no-joint-form"
NOT_PROPOSED_KINDS = (NOT_SHARED, NOT_CANDIDATE, BOTH_IN_NEED, NO_JOINT_FORM)


# ------------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class FormInfo:
    """The catalogue facts the system view needs to name and explain a form."""

    slug: str
    name: str
    role: str  # self, partner, supported or lead
    risk_note: str
    approvals: str
    months_min: int | None
    months_max: int | None


@dataclass(frozen=True, slots=True)
class SharedDomain:
    code: str
    name: str
    weight: Decimal
    scored: bool
    score: Decimal | None


@dataclass(frozen=True, slots=True)
class SharedFit:
    slug: str
    rank: int
    fit: Decimal
    conditional: bool  # "to confirm": a prerequisite awaits evidence


@dataclass(frozen=True, slots=True)
class SharedResult:
    """What a trust shares with its system from one submitted result, and nothing else:
    the verdict and its rule, index and domain scores, the ranked menu with fits, the
    ruled-out forms and the levels of its SYS and CHANGE answers (None: not answered,
    don't know or not applicable)."""

    trust_code: str
    trust_name: str
    questionnaire_version: int
    catalogue_version: int
    submitted_on: datetime.date
    verdict: str
    verdict_label: str
    index: Decimal | None
    domains: tuple[SharedDomain, ...]
    ranking: tuple[SharedFit, ...]
    ruled_out: tuple[str, ...]
    levels: tuple[tuple[str, int | None], ...]
    verdict_rule: str = ""


@dataclass(frozen=True, slots=True)
class SystemTrust:
    """A member trust of the system; `shared` is None when it has not shared a result."""

    code: str
    name: str
    location: tuple[Decimal, Decimal] | None  # latitude, longitude in degrees
    shared: SharedResult | None


# ------------------------------------------------------------------------------ outputs


@dataclass(frozen=True, slots=True)
class TrustStanding:
    code: str
    name: str
    shared: bool
    verdict: str | None
    verdict_label: str | None
    index: Decimal | None
    submitted_on: datetime.date | None
    questionnaire_version: int | None
    catalogue_version: int | None
    candidate: bool
    misses: tuple[str, ...]  # the supporter tests it misses, in plain English
    in_need: bool
    sentence: str


@dataclass(frozen=True, slots=True)
class SupportPairing:
    supporter: str
    supporter_name: str
    in_need: str
    in_need_name: str
    score: Decimal  # 0..100, one decimal place
    complement: Decimal  # 0..1
    willingness: Decimal  # 0..1
    capacity: Decimal  # 0..1
    lead_form: str
    lead_form_name: str
    supported_form: str
    supported_form_name: str
    joint_fit: Decimal  # 0..100, unrounded
    joins_sites: bool
    distance_km: Decimal | None  # None: a location is not recorded
    distance_factor: Decimal
    versions: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PeerPartnership:
    trust_a: str  # the lower code of the two
    trust_a_name: str
    trust_b: str
    trust_b_name: str
    form: str
    form_name: str
    score: Decimal  # 0..100, one decimal place
    fit_a: Decimal
    fit_b: Decimal
    joins_sites: bool
    distance_km: Decimal | None
    distance_factor: Decimal
    versions: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NotProposed:
    kind: str  # one of NOT_PROPOSED_KINDS
    trusts: tuple[str, ...]  # one code, or a pair (supporter first; otherwise by code)
    reason: str


@dataclass(frozen=True, slots=True)
class DomainColumn:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class DomainRow:
    trust_code: str
    trust_name: str
    questionnaire_version: int
    scores: tuple[Decimal | None, ...]  # one per column; None: not scored or not in its version


@dataclass(frozen=True, slots=True)
class DomainMatrix:
    columns: tuple[DomainColumn, ...]
    rows: tuple[DomainRow, ...]


@dataclass(frozen=True, slots=True)
class SystemProposals:
    trusts: tuple[TrustStanding, ...]  # every member trust, by code
    candidates: tuple[str, ...]  # codes of supporter candidates, in code order
    pairings: tuple[SupportPairing, ...]  # best score first
    partnerships: tuple[PeerPartnership, ...]  # best score first
    not_proposed: tuple[NotProposed, ...]
    domain_matrix: DomainMatrix


@dataclass(frozen=True, slots=True)
class PeerPosition:
    domain: str
    domain_name: str
    position: str | None  # lower quartile, middle half, upper quartile; None: not compared
    others: int  # how many other trusts' scores the position is drawn from
    sentence: str
