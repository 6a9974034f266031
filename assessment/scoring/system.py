"""Across a system: who could support whom (method section 11).

A trust may share a submitted result with a system it belongs to. `shared_from_result`
takes from an engine Result exactly what is shared (the verdict and its rule, index and
domain scores, the ranked menu with fits, the ruled-out forms, the levels of the SYS and
CHANGE answers) and nothing else, so members' answers, notes and names can never reach the
system view. `propose` reads only these shared results: a supporter candidate is
sustainable-lead, or sustainable-collaborate with CHANGE-4 at level 3 or more, and in either
case has CHANGE-2 at level 3 or more; a trust in need is at-risk or unsustainable. Each
candidate s and trust in need u get PairScore = 100 x (0.35 Complement + 0.25 Willingness +
0.15 Capacity + 0.25 JointFit / 100) x DistanceFactor, where Complement is the weighted mean
over the domains both have scored of max(0, p_s - p_u) (p = score / 100), Willingness the
mean of s's CHANGE-4 and u's CHANGE-1 and Capacity s's CHANGE-2 (a level as (level - 1) / 3),
JointFit the lower of the two trusts' fits for the halves of the best joint form (lead-group
with join-multi-service-chain, shared-leadership or merger-acquisition; offer-support with
buddying or management-contract; extend-service-chain with service-level-chain), and the
distance factor discounts forms that join sites: 1 up to 30 km, linearly down to 0.5 at
150 km and beyond. Peer partnerships propose each partner-role form that two sharing trusts
both rank in their top five and neither rules out, scored min(fit_a, fit_b), discounted by
distance where it joins sites. Two trusts in need are never joined. `peer_positions` places a
trust's domain scores among those of at least five other trusts on its questionnaire version.

Choices made where method.md is silent
--------------------------------------
Domains. Complement runs over the domain codes scored (`scored` and with a score) in both
results, with the weights of the trust in need's questionnaire; with none in common it is 0.
Levels. A missing CHANGE-1 or CHANGE-4 counts as level-value 0 in Willingness and the
reasons say it was not answered; a missing level fails a supporter test. Capacity is never
missing for a candidate.
Joint form. A half is open when its slug is in the trust's ranking and not among its
ruled-out forms (a slug absent from the ranking, as across catalogue versions, closes it).
The joint form is the one with the highest joint fit rounded to one decimal, as the engine
ranks, then by lead slug and supported slug; its exact fit enters the score. A half "to
confirm" stays open and the reasons say so.
Distance. Great-circle (haversine) distance on a sphere of radius 6371 km, computed in
floating point, as trigonometry needs, and rounded half up to 0.1 km before it becomes a
Decimal: the factor, and so the score, depend only on that rounded figure.
Scores. PairScore and a partnership's score are rounded to one decimal, half up
(`decimals.one_place`), and clamped to [0, 100]. Pairings are listed by score, highest first,
then by supporter code and in-need code; partnerships by score, then the two codes, then slug.
Not proposed. A trust that has not shared is listed once, as "not shared". A sustainable trust
that is not a candidate is listed once with every test it misses (a trust in need is shown as
such in its standing, not listed again). Every pair of sharing trusts in need is listed once.
A candidate and a trust in need with no joint form open to both are listed per pair, with
each closed half.
Domain matrix. One column per scored domain code, in order of first appearance with trusts
taken by code; one row per sharing trust, None where it has no score for the domain.
Names. Sentences use each trust's name as a member of the system (`SystemTrust.name`).
`verdict_rule` is an addition to the shared fields the method lists ("the verdict and its
rule"); it has a default so callers that do not have it may leave it out.

Where each part lives: system_types.py (the dataclasses and constants), system_pairs.py (the
arithmetic, pair by pair), system_words.py (every sentence), system_peers.py (peer
comparison); this module holds `shared_from_result` and `propose`, and re-exports the rest.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from . import system_words as words
from .result import Result
from .system_pairs import (
    Distances,
    Indexed,
    distance_factor,
    distance_km,
    joint_form,
    no_joint_form,
    pairing,
    partnerships_of,
)
from .system_peers import peer_positions
from .system_types import (
    BOTH_IN_NEED,
    JOINS_SITES,
    JOINT_FORMS,
    LOWER_QUARTILE,
    MIDDLE_HALF,
    NO_JOINT_FORM,
    NOT_CANDIDATE,
    NOT_PROPOSED_KINDS,
    NOT_SHARED,
    ROLE_PARTNER,
    SHARED_QUESTION_PREFIXES,
    UPPER_QUARTILE,
    DomainColumn,
    DomainMatrix,
    DomainRow,
    FormInfo,
    NotProposed,
    PeerPartnership,
    PeerPosition,
    SharedDomain,
    SharedFit,
    SharedResult,
    SupportPairing,
    SystemProposals,
    SystemTrust,
    TrustStanding,
)

__all__ = [
    "BOTH_IN_NEED",
    "JOINS_SITES",
    "JOINT_FORMS",
    "LOWER_QUARTILE",
    "MIDDLE_HALF",
    "NOT_CANDIDATE",
    "NOT_SHARED",
    "NO_JOINT_FORM",
    "UPPER_QUARTILE",
    "DomainColumn",
    "DomainMatrix",
    "DomainRow",
    "FormInfo",
    "NotProposed",
    "PeerPartnership",
    "PeerPosition",
    "SharedDomain",
    "SharedFit",
    "SharedResult",
    "SupportPairing",
    "SystemProposals",
    "SystemTrust",
    "TrustStanding",
    "distance_factor",
    "distance_km",
    "peer_positions",
    "propose",
    "shared_from_result",
]


def shared_from_result(
    result: Result, *, trust_code: str, trust_name: str, submitted_on: datetime.date
) -> SharedResult:
    """What a trust shares from one result: section 11's list, and nothing more."""
    return SharedResult(
        trust_code=trust_code,
        trust_name=trust_name,
        questionnaire_version=result.questionnaire_version,
        catalogue_version=result.catalogue_version,
        submitted_on=submitted_on,
        verdict=result.verdict.code,
        verdict_label=result.verdict.label,
        index=result.index,
        domains=tuple(
            SharedDomain(domain.code, domain.name, domain.weight, domain.scored, domain.score)
            for domain in result.domains
        ),
        ranking=tuple(
            SharedFit(form.slug, form.rank, form.fit, form.conditional) for form in result.ranking
        ),
        ruled_out=tuple(form.slug for form in result.ruled_out),
        levels=tuple(
            (question.code, question.level)
            for question in result.questions
            if question.code.startswith(SHARED_QUESTION_PREFIXES)
        ),
        verdict_rule=result.verdict.rule,
    )


def _standing(trust: SystemTrust, indexed: Indexed | None) -> TrustStanding:
    if indexed is None or trust.shared is None:
        return TrustStanding(
            trust.code, trust.name, False, None, None, None, None, None, None, False, (), False,
            "not shared",
        )  # fmt: skip
    result = trust.shared
    state = words.verdict_words(result.verdict, result.verdict_label)
    if indexed.candidate:
        sentence = f"{trust.name} is {state}, and a candidate to support others."
    else:
        sentence = (
            f"{trust.name} is {state}; not a candidate to support others: "
            + "; ".join(indexed.misses)
            + "."
        )
    return TrustStanding(
        code=trust.code,
        name=trust.name,
        shared=True,
        verdict=result.verdict,
        verdict_label=result.verdict_label,
        index=result.index,
        submitted_on=result.submitted_on,
        questionnaire_version=result.questionnaire_version,
        catalogue_version=result.catalogue_version,
        candidate=indexed.candidate,
        misses=indexed.misses,
        in_need=indexed.in_need,
        sentence=sentence,
    )


def _matrix(indexed: list[Indexed]) -> DomainMatrix:
    columns: dict[str, str] = {}
    for trust in indexed:
        for domain in trust.result.domains:
            if domain.scored:
                columns.setdefault(domain.code, domain.name)
    return DomainMatrix(
        columns=tuple(DomainColumn(code, name) for code, name in columns.items()),
        rows=tuple(
            DomainRow(
                trust.code,
                trust.name,
                trust.result.questionnaire_version,
                tuple(trust.scores.get(code) for code in columns),
            )
            for trust in indexed
        ),
    )


def _forms_by_slug(forms: Sequence[FormInfo]) -> dict[str, FormInfo]:
    by_slug: dict[str, FormInfo] = {}
    for info in forms:
        if by_slug.setdefault(info.slug, info) != info:
            raise ValueError(f"Two different forms share the slug {info.slug!r}.")
    return by_slug


def propose(trusts: Sequence[SystemTrust], forms: Sequence[FormInfo]) -> SystemProposals:
    """Who could support whom, and which peers could partner, from shared results only."""
    codes = [trust.code for trust in trusts]
    if len(set(codes)) != len(codes):
        raise ValueError("Each trust may appear only once in a system.")
    by_slug = _forms_by_slug(forms)
    partners = frozenset(slug for slug, info in by_slug.items() if info.role == ROLE_PARTNER)
    members = sorted(trusts, key=lambda trust: trust.code)
    index: dict[str, Indexed] = {}
    for trust in members:
        if trust.shared is not None:
            index[trust.code] = Indexed(trust, trust.shared, partners)
    indexed = list(index.values())
    not_proposed: list[NotProposed] = [
        NotProposed(NOT_SHARED, (trust.code,), "not shared")
        for trust in members
        if trust.shared is None
    ]
    for item in indexed:
        if not item.candidate and not item.in_need:
            reason = f"{item.name} is not proposed as a supporter: " + "; ".join(item.misses) + "."
            not_proposed.append(NotProposed(NOT_CANDIDATE, (item.code,), reason))
    supporters = [trust for trust in indexed if trust.candidate]
    in_need = [trust for trust in indexed if trust.in_need]
    distances = Distances()
    pairings: list[SupportPairing] = []
    for s in supporters:
        for u in in_need:
            joint = joint_form(s, u)
            if joint is None:
                not_proposed.append(no_joint_form(s, u, by_slug))
            else:
                pairings.append(pairing(s, u, joint, by_slug, distances))
    partnerships: list[PeerPartnership] = []
    for position, a in enumerate(indexed):
        for b in indexed[position + 1 :]:
            if a.in_need and b.in_need:
                reason = (
                    f"{a.name} and {b.name} are both in difficulty and are not proposed to "
                    f"join: {words.BOTH_IN_NEED_REASON}."
                )
                not_proposed.append(NotProposed(BOTH_IN_NEED, (a.code, b.code), reason))
            elif a.partner_top and b.partner_top:
                partnerships.extend(partnerships_of(a, b, by_slug, distances))
    pairings.sort(key=lambda pair: (-pair.score, pair.supporter, pair.in_need))
    partnerships.sort(key=lambda peer: (-peer.score, peer.trust_a, peer.trust_b, peer.form))
    kind_order = {kind: position for position, kind in enumerate(NOT_PROPOSED_KINDS)}
    not_proposed.sort(key=lambda item: (kind_order[item.kind], item.trusts))
    return SystemProposals(
        trusts=tuple(_standing(trust, index.get(trust.code)) for trust in members),
        candidates=tuple(trust.code for trust in supporters),
        pairings=tuple(pairings),
        partnerships=tuple(partnerships),
        not_proposed=tuple(not_proposed),
        domain_matrix=_matrix(indexed),
    )
