"""Supporters, trusts in need and peers, pair by pair (method section 11).

The arithmetic of `system.propose`: each sharing trust indexed once, distance, Complement,
Willingness, Capacity, the joint form, PairScore and peer partnerships. See `system.py` for
the method and the choices made where method.md is silent.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from . import system_words as words
from .decimals import CONTEXT, HUNDRED, ONE, TENTH, THREE, ZERO, on_grid, one_place
from .definitions import AT_RISK, SUSTAINABLE_COLLABORATE, SUSTAINABLE_LEAD, UNSUSTAINABLE
from .system_types import (
    CAPACITY_WEIGHT,
    COMPLEMENT_WEIGHT,
    FAR_FACTOR,
    FAR_KM,
    JOINS_SITES,
    JOINT_FIT_WEIGHT,
    JOINT_FORMS,
    MANAGEMENT_CAPACITY,
    NEAR_KM,
    NO_JOINT_FORM,
    PARTNER_TOP,
    READY_TO_CHANGE,
    READY_TO_SUPPORT,
    WILLINGNESS_WEIGHT,
    FormInfo,
    NotProposed,
    PeerPartnership,
    SharedResult,
    SupportPairing,
    SystemTrust,
)

EARTH_RADIUS_KM = 6371.0
IN_NEED = frozenset({AT_RISK, UNSUSTAINABLE})
SUSTAINABLE = frozenset({SUSTAINABLE_LEAD, SUSTAINABLE_COLLABORATE})
# Joint forms by lead slug, then supported slug: the order that breaks ties of joint fit.
JOINT_ORDER = tuple(sorted(JOINT_FORMS))


Point = tuple[float, float, float]  # latitude and longitude in radians, cosine of latitude


def point(location: tuple[Decimal, Decimal]) -> Point:
    latitude, longitude = (math.radians(float(value)) for value in location)
    return latitude, longitude, math.cos(latitude)


def haversine(first: Point, second: Point) -> Decimal:
    term = (
        math.sin((second[0] - first[0]) / 2) ** 2
        + first[2] * second[2] * math.sin((second[1] - first[1]) / 2) ** 2
    )
    km = 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, term)))
    return Decimal(km).quantize(TENTH, rounding=ROUND_HALF_UP, context=CONTEXT)


def distance_km(first: tuple[Decimal, Decimal], second: tuple[Decimal, Decimal]) -> Decimal:
    """Great-circle distance between two (latitude, longitude) points, to 0.1 km."""
    return haversine(point(first), point(second))


def distance_factor(km: Decimal | None) -> Decimal:
    """The discount on a form that joins sites: 1 up to 30 km, 0.5 from 150 km; None: 1."""
    if km is None or km <= NEAR_KM:
        return ONE
    if km >= FAR_KM:
        return FAR_FACTOR
    fall = CONTEXT.divide((ONE - FAR_FACTOR) * (km - NEAR_KM), FAR_KM - NEAR_KM)
    return on_grid(ONE - fall)


def steps(level: int | None) -> int:
    """Steps above level 1; a missing level counts 0."""
    return 0 if level is None else level - 1


def level_value(level: int | None) -> Decimal:
    """A level as (level - 1) / 3; a missing level counts 0."""
    return ZERO if level is None else on_grid(CONTEXT.divide(Decimal(level - 1), THREE))


class Indexed:
    """One sharing trust, indexed once for the pair loops."""

    __slots__ = (
        "candidate",
        "code",
        "fits",
        "in_need",
        "levels",
        "location",
        "misses",
        "name",
        "partner_top",
        "point",
        "result",
        "rounded",
        "ruled_out",
        "scores",
        "weights",
    )

    def __init__(self, trust: SystemTrust, result: SharedResult, partners: frozenset[str]) -> None:
        self.code = trust.code
        self.name = trust.name
        self.location = trust.location
        self.point = None if trust.location is None else point(trust.location)
        self.result = result
        self.scores = {d.code: d.score for d in result.domains if d.scored and d.score is not None}
        self.weights = {d.code: d.weight for d in result.domains}
        self.ruled_out = frozenset(result.ruled_out)
        self.fits = {fit.slug: fit for fit in result.ranking if fit.slug not in self.ruled_out}
        # Fits as the engine ranks and displays them; rounding is monotone, so the rounded
        # lower of two fits is the lower of the two rounded fits.
        self.rounded = {slug: one_place(fit.fit) for slug, fit in self.fits.items()}
        self.partner_top = frozenset(
            fit.slug
            for fit in self.fits.values()
            if fit.rank <= PARTNER_TOP and fit.slug in partners
        )
        self.in_need = result.verdict in IN_NEED
        self.levels = dict(result.levels)
        self.misses = misses_of(result, self.levels)
        self.candidate = not self.misses

    def level(self, code: str) -> int | None:
        return self.levels.get(code)


def misses_of(result: SharedResult, levels: dict[str, int | None]) -> tuple[str, ...]:
    """The supporter tests a result misses, in words; empty for a candidate."""
    misses: list[str] = []
    if result.verdict not in SUSTAINABLE:
        misses.append(
            f"its verdict is {words.verdict_words(result.verdict, result.verdict_label)}, and "
            "supporting others needs a sustainable verdict"
        )
    elif result.verdict == SUSTAINABLE_COLLABORATE:
        missed = words.missed_level(words.SUPPORT_TOPIC, levels.get(READY_TO_SUPPORT))
        if missed:
            misses.append(missed)
    missed = words.missed_level(words.CAPACITY_TOPIC, levels.get(MANAGEMENT_CAPACITY))
    if missed:
        misses.append(missed)
    return tuple(misses)


class Distances:
    def __init__(self) -> None:
        self.cache: dict[tuple[str, str], Decimal | None] = {}

    def between(self, first: Indexed, second: Indexed) -> Decimal | None:
        key = (first.code, second.code) if first.code < second.code else (second.code, first.code)
        if key not in self.cache:
            both = first.point is not None and second.point is not None
            self.cache[key] = (
                haversine(first.point, second.point)  # type: ignore[arg-type]
                if both
                else None
            )
        return self.cache[key]


def unlocated(first: Indexed, second: Indexed) -> tuple[str, ...]:
    return tuple(trust.name for trust in (first, second) if trust.location is None)


def complement_of(
    s: Indexed, u: Indexed
) -> tuple[Decimal, list[tuple[Decimal, str, str, Decimal, Decimal]]]:
    """Complement, and (weighted gap, code, name, s score, u score) per common domain."""
    gaps: list[tuple[Decimal, str, str, Decimal, Decimal]] = []
    total = ZERO
    weights = ZERO
    for domain in u.result.domains:
        own = s.scores.get(domain.code)
        other = u.scores.get(domain.code)
        if own is None or other is None:
            continue
        gap = domain.weight * (own - other)
        gaps.append((gap, domain.code, domain.name, own, other))
        total += max(ZERO, gap)
        weights += domain.weight
    if not weights:
        return ZERO, gaps
    return on_grid(CONTEXT.divide(total, weights * HUNDRED)), gaps


def joint_form(s: Indexed, u: Indexed) -> tuple[str, str, Decimal] | None:
    best: tuple[Decimal, str, str, Decimal] | None = None
    for lead, supported in JOINT_ORDER:
        lead_fit = s.fits.get(lead)
        supported_fit = u.fits.get(supported)
        if lead_fit is None or supported_fit is None:
            continue
        fit = min(lead_fit.fit, supported_fit.fit)
        rounded = min(s.rounded[lead], u.rounded[supported])
        if best is None or rounded > best[0]:  # the first of equal fits stays
            best = (rounded, lead, supported, fit)
    return None if best is None else (best[1], best[2], best[3])


def no_joint_form(s: Indexed, u: Indexed, forms: dict[str, FormInfo]) -> NotProposed:
    closed: list[str] = []
    for trust, slugs in (
        (s, dict.fromkeys(lead for lead, _ in JOINT_FORMS)),
        (u, dict.fromkeys(supported for _, supported in JOINT_FORMS)),
    ):
        for slug in slugs:
            if slug not in trust.fits:
                name = forms[slug].name if slug in forms else slug
                closed.append(
                    words.half_unavailable(
                        trust.name,
                        name,
                        slug in trust.ruled_out,
                        trust.result.catalogue_version,
                    )
                )
    reason = f"No joint form is open to both {s.name} and {u.name}: " + "; ".join(closed) + "."
    return NotProposed(NO_JOINT_FORM, (s.code, u.code), reason)


def pairing(
    s: Indexed,
    u: Indexed,
    joint: tuple[str, str, Decimal],
    forms: dict[str, FormInfo],
    distances: Distances,
) -> SupportPairing:
    lead, supported, joint_fit = joint
    complement, gaps = complement_of(s, u)
    support = s.level(READY_TO_SUPPORT)
    change = u.level(READY_TO_CHANGE)
    capacity_level = s.level(MANAGEMENT_CAPACITY)
    # The mean of two (level - 1) / 3 values, in one division so it is rounded once.
    willingness = on_grid(CONTEXT.divide(Decimal(steps(support) + steps(change)), 6))
    capacity = level_value(capacity_level)
    joins = supported in JOINS_SITES
    km = distances.between(s, u)
    factor = distance_factor(km) if joins else ONE
    raw = (
        COMPLEMENT_WEIGHT * complement
        + WILLINGNESS_WEIGHT * willingness
        + CAPACITY_WEIGHT * capacity
        + JOINT_FIT_WEIGHT * joint_fit / HUNDRED
    )
    score = min(HUNDRED, max(ZERO, one_place(CONTEXT.multiply(raw * HUNDRED, factor))))
    lead_info, supported_info = forms.get(lead), forms.get(supported)
    lead_name = lead_info.name if lead_info else lead
    supported_name = supported_info.name if supported_info else supported
    fits = (s.fits[lead].fit, u.fits[supported].fit)
    reasons = [
        words.strengths(s.name, u.name, gaps),
        *words.readiness(s.name, u.name, support, capacity_level, change),
        words.joint_form(
            s.name, u.name, lead_name, supported_name, fits, (lead_info, supported_info)
        ),
    ]
    for trust, slug, name in ((s, lead, lead_name), (u, supported, supported_name)):
        if trust.fits[slug].conditional:
            reasons.append(words.to_confirm(trust.name, name))
    for owner, info in ((s.name, lead_info), (u.name, supported_info)):
        risk = words.risk(owner, info)
        if risk:
            reasons.append(risk)
    reasons.append(words.distance(s.name, u.name, unlocated(s, u), km, factor, joins))
    versions = words.versions((s.name, s.result), (u.name, u.result))
    reasons.append(versions)
    return SupportPairing(
        supporter=s.code,
        supporter_name=s.name,
        in_need=u.code,
        in_need_name=u.name,
        score=score,
        complement=complement,
        willingness=willingness,
        capacity=capacity,
        lead_form=lead,
        lead_form_name=lead_name,
        supported_form=supported,
        supported_form_name=supported_name,
        joint_fit=joint_fit,
        joins_sites=joins,
        distance_km=km,
        distance_factor=factor,
        versions=versions,
        reasons=tuple(reasons),
    )


def partnerships_of(
    a: Indexed, b: Indexed, forms: dict[str, FormInfo], distances: Distances
) -> list[PeerPartnership]:
    found: list[PeerPartnership] = []
    common = a.partner_top & b.partner_top
    if not common:
        return found
    km = distances.between(a, b)
    missing = unlocated(a, b)
    versions = words.versions((a.name, a.result), (b.name, b.result))
    for slug in sorted(common):
        fit_a, fit_b = a.fits[slug].fit, b.fits[slug].fit
        joins = slug in JOINS_SITES
        factor = distance_factor(km) if joins else ONE
        score = min(HUNDRED, max(ZERO, one_place(CONTEXT.multiply(min(fit_a, fit_b), factor))))
        name = forms[slug].name
        reasons = [
            f"Both {a.name} and {b.name} rank {words.lower_first(name)} among their "
            f"{PARTNER_TOP} best-fitting forms (fits {a.rounded[slug]} and "
            f"{b.rounded[slug]}); the partnership scores the lower.",
            words.distance(a.name, b.name, missing, km, factor, joins),
            versions,
        ]
        risk = words.risk(None, forms[slug])
        if risk:
            reasons.insert(1, risk)
        found.append(
            PeerPartnership(
                a.code, a.name, b.code, b.name, slug, name, score, fit_a, fit_b, joins, km,
                factor, versions, tuple(reasons),
            )
        )  # fmt: skip
    return found
