"""Golden tables for the system view (method section 11): who could support whom, peer
partnerships, what is not proposed and why, and peer comparison."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from functools import cache

import pytest

from assessment.scoring.definitions import (
    AT_RISK,
    SUSTAINABLE_COLLABORATE,
    SUSTAINABLE_LEAD,
    UNSUSTAINABLE,
    VERDICT_LABELS,
)
from assessment.scoring.system import (
    BOTH_IN_NEED,
    LOWER_QUARTILE,
    MIDDLE_HALF,
    NO_JOINT_FORM,
    NOT_CANDIDATE,
    NOT_SHARED,
    UPPER_QUARTILE,
    FormInfo,
    NotProposed,
    SharedDomain,
    SharedFit,
    SharedResult,
    SupportPairing,
    SystemProposals,
    SystemTrust,
    distance_factor,
    distance_km,
    peer_positions,
    propose,
)
from tests.scoring.support import ROOT, load_yaml

DAY = datetime.date(2026, 3, 31)
# The v1 scored domains and weights, and the two context domains.
V1_DOMAINS = (
    ("QUAL", "Quality and safety", 25),
    ("FIN", "Financial sustainability", 20),
    ("WORK", "Workforce", 20),
    ("LEAD", "Leadership and governance", 15),
    ("PERF", "Operational performance", 10),
    ("SCALE", "Scale and clinical service viability", 10),
)
STRONG = {"QUAL": 80, "FIN": 82, "WORK": 75, "LEAD": 70, "PERF": 60, "SCALE": 60}
WEAK = {"QUAL": 50, "FIN": 31, "WORK": 40, "LEAD": 70, "PERF": 70, "SCALE": 60}
LEADS = {"offer-support": "90", "lead-group": "80", "extend-service-chain": "70"}
HALVES = {
    "join-multi-service-chain": "72",
    "management-contract": "65",
    "buddying": "60",
    "merger-acquisition": "50",
    "shared-leadership": "40",
    "service-level-chain": "30",
}
READY = {"CHANGE-1": 3, "CHANGE-2": 4, "CHANGE-4": 4}
# Half a degree of latitude apart on the same meridian: 55.6 km on a 6371 km sphere.
NORTH = (Decimal("53.0"), Decimal("-1.5"))
SOUTH = (Decimal("52.5"), Decimal("-1.5"))


@cache
def v1_forms() -> tuple[FormInfo, ...]:
    data = load_yaml(ROOT / "models_catalogue/seed/catalogue-v1.yaml")
    return tuple(
        FormInfo(
            slug=form["slug"],
            name=form["name"],
            role=form["role"],
            risk_note=" ".join(str(form.get("risks", "")).split()),
            approvals=form.get("approvals", ""),
            months_min=form["months"][0],
            months_max=form["months"][1],
        )
        for form in data["forms"]
    )


def form_name(slug: str) -> str:
    return next(form.name for form in v1_forms() if form.slug == slug)


def risk_of(slug: str) -> str:
    return next(form.risk_note for form in v1_forms() if form.slug == slug)


def shared(
    code: str,
    verdict: str,
    *,
    scores: Mapping[str, int | str | None] | None = None,
    fits: Mapping[str, str] | None = None,
    ruled_out: tuple[str, ...] = (),
    levels: Mapping[str, int | None] | None = None,
    extra_domains: tuple[SharedDomain, ...] = (),
    questionnaire: int = 1,
    catalogue: int = 1,
) -> SharedResult:
    """A shared result built by hand; fits are ranked in the order given."""
    scores = STRONG if scores is None else scores
    domains = tuple(
        SharedDomain(
            code,
            name,
            Decimal(weight),
            True,
            None if scores.get(code) is None else Decimal(str(scores[code])),
        )
        for code, name, weight in V1_DOMAINS
        if code in scores
    )
    context = (
        SharedDomain("SYS", "Local health system and partners", Decimal(0), False, None),
        SharedDomain("CHANGE", "Appetite and capacity for change", Decimal(0), False, None),
    )
    return SharedResult(
        trust_code=code,
        trust_name=NAMES.get(code, code),
        questionnaire_version=questionnaire,
        catalogue_version=catalogue,
        submitted_on=DAY,
        verdict=verdict,
        verdict_label=VERDICT_LABELS[verdict],
        index=Decimal(60),
        domains=domains + extra_domains + context,
        ranking=tuple(
            SharedFit(slug, rank, Decimal(fit), False)
            for rank, (slug, fit) in enumerate((fits or {}).items(), start=1)
        ),
        ruled_out=ruled_out,
        levels=tuple((levels or {}).items()),
    )


NAMES = {"RN1": "Northgate", "RS1": "Southmoor", "RW1": "Westvale", "RE1": "Eastbrook"}


def trust(
    code: str, result: SharedResult | None, location: tuple[Decimal, Decimal] | None = None
) -> SystemTrust:
    return SystemTrust(code, NAMES.get(code, code), location, result)


def northgate(**changes: object) -> SharedResult:
    options: dict[str, object] = {"fits": LEADS, "levels": READY}
    options.update(changes)
    return shared("RN1", SUSTAINABLE_LEAD, **options)  # type: ignore[arg-type]


def southmoor(**changes: object) -> SharedResult:
    options: dict[str, object] = {"scores": WEAK, "fits": HALVES, "levels": READY}
    options.update(changes)
    return shared("RS1", AT_RISK, **options)  # type: ignore[arg-type]


def only_pairing(proposals: SystemProposals) -> SupportPairing:
    assert len(proposals.pairings) == 1, proposals.not_proposed
    return proposals.pairings[0]


# ------------------------------------------------------------------ a credible pairing


def test_a_credible_supporter_is_paired_with_a_trust_in_need() -> None:
    # Complement: (25 x 30 + 20 x 51 + 20 x 35) / (100 x 100) = 2470 / 10000 = 0.247 (LEAD,
    # PERF and SCALE add nothing: Northgate is not stronger there). Willingness: CHANGE-4 at 4
    # (1) and CHANGE-1 at 3 (2/3) average 5/6. Capacity: CHANGE-2 at 4 = 1. Joint form: lead a
    # group (80) with joining it (72) = 72, above offer support with a management contract
    # (65). Raw: 0.35 x 0.247 + 0.25 x 5/6 + 0.15 + 0.25 x 0.72 = 0.6247833...; 55.6 km apart,
    # so the factor is 1 - 0.5 x 25.6 / 120 = 0.893333...; 62.47833 x 0.893333 = 55.81 -> 55.8.
    proposals = propose(
        [trust("RN1", northgate(), NORTH), trust("RS1", southmoor(), SOUTH)], v1_forms()
    )
    pairing = only_pairing(proposals)
    assert (pairing.supporter, pairing.in_need) == ("RN1", "RS1")
    assert pairing.score == Decimal("55.8")
    assert pairing.complement == Decimal("0.247")
    assert pairing.willingness == Decimal("0.83333333333333333333")
    assert pairing.capacity == Decimal(1)
    assert (pairing.lead_form, pairing.supported_form) == ("lead-group", "join-multi-service-chain")
    assert pairing.joint_fit == Decimal(72)
    assert pairing.joins_sites
    assert pairing.distance_km == Decimal("55.6")
    assert pairing.distance_factor == Decimal("0.89333333333333333333")
    assert pairing.reasons == (
        "Northgate is strongest where Southmoor is weakest: financial sustainability (82.0 "
        "against 31.0), quality and safety (80.0 against 50.0), workforce (75.0 against 40.0).",
        "Northgate's board: readiness to support other providers is at level 4 of 4 (yes, with a "
        "codified model, spare leadership and a record of supporting others); management "
        "capacity to lead a major change is at level 4 of 4 (yes, with a team that has done it "
        "before).",
        "Southmoor's board: readiness to consider a different organisational form is at level 3 "
        "of 4 (the board is open to options and wants them appraised).",
        "Proposed form: Northgate would lead a multi-service chain or group, and Southmoor would "
        "take up: join a multi-service chain or hospital group. Its fit is 72.0, the lower of "
        "Northgate's 80.0 and Southmoor's 72.0. It typically takes 12 to 24 months.",
        f"Main risk for Northgate: {risk_of('lead-group')}",
        f"Main risk for Southmoor: {risk_of('join-multi-service-chain')}",
        "Northgate and Southmoor are 55.6 km apart: forms that join sites are discounted by 10.7%.",
        "Both results use questionnaire version 1 and catalogue version 1.",
    )
    assert proposals.candidates == ("RN1",)
    assert proposals.not_proposed == ()


def test_an_unknown_location_gives_no_discount_and_says_so() -> None:
    # The same pair with Southmoor's site unknown: 62.47833 undiscounted -> 62.5.
    proposals = propose(
        [trust("RN1", northgate(), NORTH), trust("RS1", southmoor(), None)], v1_forms()
    )
    pairing = only_pairing(proposals)
    assert pairing.score == Decimal("62.5")
    assert pairing.distance_km is None
    assert pairing.distance_factor == Decimal(1)
    assert pairing.reasons[-2] == (
        "Southmoor's location is not recorded, so no distance discount was applied."
    )


def test_a_form_that_does_not_join_sites_is_not_discounted() -> None:
    # Joining a group is ruled out for Southmoor, so the best open form is offer support with a
    # management contract: min(90, 65) = 65. Raw 0.08645 + 0.2083333 + 0.15 + 0.1625 =
    # 0.6072833, 150 km apart would halve a site-joining form but this one keeps 60.7.
    far = (Decimal("54.0"), Decimal("-1.5"))
    proposals = propose(
        [
            trust("RN1", northgate(), far),
            trust(
                "RS1",
                southmoor(
                    fits={k: v for k, v in HALVES.items() if k != "join-multi-service-chain"},
                    ruled_out=("join-multi-service-chain",),
                ),
                SOUTH,
            ),
        ],
        v1_forms(),
    )
    pairing = only_pairing(proposals)
    assert (pairing.lead_form, pairing.supported_form) == ("offer-support", "management-contract")
    assert pairing.score == Decimal("60.7")
    assert not pairing.joins_sites
    assert pairing.distance_km == Decimal("166.8")
    assert pairing.distance_factor == Decimal(1)


# --------------------------------------------------------------------- distance factor


@pytest.mark.parametrize(
    ("km", "factor"),
    [
        # Sites on the same campus: no discount.
        (Decimal(0), Decimal(1)),
        # 30 km is the last distance with no discount at all.
        (Decimal(30), Decimal(1)),
        # Halfway between 30 and 150 km, halfway between 1 and 0.5.
        (Decimal(90), Decimal("0.75")),
        # 150 km reaches the floor of one half.
        (Decimal(150), Decimal("0.5")),
        # Beyond 150 km the discount stays at one half.
        (Decimal(300), Decimal("0.5")),
        # An unknown distance gives no discount.
        (None, Decimal(1)),
    ],
)
def test_the_distance_factor_falls_linearly_from_30_to_150_km(
    km: Decimal | None, factor: Decimal
) -> None:
    assert distance_factor(km) == factor


@pytest.mark.parametrize(
    ("first", "second", "km"),
    [
        # The same point is no distance at all.
        ((Decimal(52), Decimal(-1)), (Decimal(52), Decimal(-1)), Decimal("0.0")),
        # One degree of latitude on a 6371 km sphere is 111.19 km.
        ((Decimal(52), Decimal(-1)), (Decimal(53), Decimal(-1)), Decimal("111.2")),
        # London to Manchester, centre to centre: 261.98 km by the spherical law of cosines.
        (
            (Decimal("51.5074"), Decimal("-0.1278")),
            (Decimal("53.4808"), Decimal("-2.2426")),
            Decimal("262.0"),
        ),
    ],
)
def test_distance_is_the_great_circle_distance_to_a_tenth_of_a_km(
    first: tuple[Decimal, Decimal], second: tuple[Decimal, Decimal], km: Decimal
) -> None:
    assert distance_km(first, second) == km
    assert distance_km(second, first) == km


# ------------------------------------------------------------------------ willingness


@pytest.mark.parametrize(
    ("support", "change", "willingness", "said"),
    [
        # Both answered: (3 + 2) / 6.
        (4, 3, Decimal("0.83333333333333333333"), ()),
        # The supporter's readiness to support others is missing and counts 0: 2 / 6.
        (
            None,
            3,
            Decimal("0.33333333333333333333"),
            ("readiness to support other providers was not answered",),
        ),
        # The trust in need's readiness to change is missing and counts 0: 3 / 6.
        (
            4,
            None,
            Decimal("0.5"),
            ("readiness to consider a different organisational form was not answered",),
        ),
        # Both missing: no willingness at all, and both are said.
        (
            None,
            None,
            Decimal(0),
            (
                "readiness to support other providers was not answered",
                "readiness to consider a different organisational form was not answered",
            ),
        ),
    ],
)
def test_willingness_counts_a_missing_level_as_zero_and_says_so(
    support: int | None, change: int | None, willingness: Decimal, said: tuple[str, ...]
) -> None:
    proposals = propose(
        [
            trust("RN1", northgate(levels={"CHANGE-2": 4, "CHANGE-4": support})),
            trust("RS1", southmoor(levels={"CHANGE-1": change})),
        ],
        v1_forms(),
    )
    pairing = only_pairing(proposals)
    assert pairing.willingness == willingness
    readiness = " ".join(pairing.reasons[1:3])
    for words in said:
        assert words in readiness
    assert readiness.count("not answered") == len(said)


# ------------------------------------------------------------------------- complement


@pytest.mark.parametrize(
    ("strong", "weak", "extra", "complement"),
    [
        # Every domain scored in both: 2470 / 10000.
        (STRONG, WEAK, (), Decimal("0.247")),
        # Northgate has no finance score and Southmoor no workforce score: only quality,
        # leadership, performance and scale count, 750 / (60 x 100).
        ({**STRONG, "FIN": None}, {**WEAK, "WORK": None}, (), Decimal("0.125")),
        # A domain only Southmoor's version has (weight 30, score 0) is not compared.
        (
            STRONG,
            WEAK,
            (SharedDomain("DIGI", "Digital maturity", Decimal(30), True, Decimal(0)),),
            Decimal("0.247"),
        ),
        # Southmoor stronger everywhere: nothing to complement.
        (WEAK, {code: 100 for code in WEAK}, (), Decimal(0)),
        # No domain scored in both: no complement, rather than a division by zero.
        ({"QUAL": 80}, {"FIN": 20}, (), Decimal(0)),
    ],
)
def test_complement_runs_only_over_domains_scored_in_both(
    strong: Mapping[str, int | None],
    weak: Mapping[str, int | None],
    extra: tuple[SharedDomain, ...],
    complement: Decimal,
) -> None:
    proposals = propose(
        [
            trust("RN1", northgate(scores=strong)),
            trust("RS1", southmoor(scores=weak, extra_domains=extra)),
        ],
        v1_forms(),
    )
    assert only_pairing(proposals).complement == complement


def test_no_common_domain_is_said_in_words() -> None:
    # With nothing to compare, the first reason says so rather than naming strengths.
    proposals = propose(
        [trust("RN1", northgate(scores={"QUAL": 80})), trust("RS1", southmoor(scores={"FIN": 20}))],
        v1_forms(),
    )
    assert only_pairing(proposals).reasons[0] == (
        "Northgate and Southmoor have no scored domain in common, so their strengths cannot be "
        "compared."
    )


# ------------------------------------------------------------------- supporter tests


@pytest.mark.parametrize(
    ("verdict", "levels", "misses", "in_need"),
    [
        # Sustainable-lead with enough management capacity: readiness to support is not needed.
        (SUSTAINABLE_LEAD, {"CHANGE-2": 3, "CHANGE-4": 1}, (), False),
        # Sustainable-collaborate ready to support others and with capacity: a candidate.
        (SUSTAINABLE_COLLABORATE, {"CHANGE-2": 3, "CHANGE-4": 3}, (), False),
        # Sustainable-collaborate not ready enough to support others.
        (
            SUSTAINABLE_COLLABORATE,
            {"CHANGE-2": 4, "CHANGE-4": 2},
            ("its readiness to support other providers is at level 2 of 4, below the 3 needed",),
            False,
        ),
        # Sustainable-collaborate that did not say whether it is ready to support others.
        (
            SUSTAINABLE_COLLABORATE,
            {"CHANGE-2": 4},
            ("its readiness to support other providers was not answered",),
            False,
        ),
        # Sustainable-lead without the management capacity.
        (
            SUSTAINABLE_LEAD,
            {"CHANGE-2": 2, "CHANGE-4": 4},
            (
                "its management capacity to lead a major change is at level 2 of 4, below the 3 "
                "needed",
            ),
            False,
        ),
        # Sustainable-lead that did not answer on management capacity.
        (
            SUSTAINABLE_LEAD,
            {"CHANGE-2": None, "CHANGE-4": 4},
            ("its management capacity to lead a major change was not answered",),
            False,
        ),
        # Collaborate failing both tests: both are said.
        (
            SUSTAINABLE_COLLABORATE,
            {"CHANGE-2": 1, "CHANGE-4": 1},
            (
                "its readiness to support other providers is at level 1 of 4, below the 3 needed",
                "its management capacity to lead a major change is at level 1 of 4, below the 3 "
                "needed",
            ),
            False,
        ),
        # At risk: in need, and its verdict is the test it misses, however ready it is.
        (
            AT_RISK,
            {"CHANGE-2": 4, "CHANGE-4": 4},
            ("its verdict is at risk, and supporting others needs a sustainable verdict",),
            True,
        ),
        # Unsustainable: in need too.
        (
            UNSUSTAINABLE,
            {"CHANGE-2": 4, "CHANGE-4": 4},
            (
                "its verdict is not sustainable in its present form, and supporting others "
                "needs a sustainable verdict",
            ),
            True,
        ),
    ],
)
def test_supporter_candidates_pass_the_verdict_readiness_and_capacity_tests(
    verdict: str, levels: dict[str, int | None], misses: tuple[str, ...], in_need: bool
) -> None:
    proposals = propose([trust("RN1", shared("RN1", verdict, levels=levels))], v1_forms())
    (standing,) = proposals.trusts
    assert standing.candidate == (not misses)
    assert standing.misses == misses
    assert standing.in_need == in_need
    assert proposals.candidates == (() if misses else ("RN1",))
    # A sustainable trust that is not a candidate is listed once, with every test it misses.
    expected = (
        (NotProposed(NOT_CANDIDATE, ("RN1",), "Northgate is not proposed as a supporter: "
                     + "; ".join(misses) + "."),)
        if misses and not in_need
        else ()
    )  # fmt: skip
    assert proposals.not_proposed == expected


def test_a_non_candidate_is_listed_once_not_once_per_pair() -> None:
    # Westvale (not ready to support) could have been paired with two trusts in need.
    westvale = shared("RW1", SUSTAINABLE_COLLABORATE, fits=LEADS, levels={"CHANGE-2": 4})
    eastbrook = shared("RE1", UNSUSTAINABLE, scores=WEAK, fits=HALVES, levels=READY)
    proposals = propose(
        [trust("RW1", westvale), trust("RS1", southmoor()), trust("RE1", eastbrook)], v1_forms()
    )
    assert proposals.pairings == ()
    assert [item.kind for item in proposals.not_proposed] == [NOT_CANDIDATE, BOTH_IN_NEED]
    assert proposals.not_proposed[0].trusts == ("RW1",)


# ------------------------------------------------------------------------- exclusions


def test_two_trusts_in_need_are_never_joined_and_the_reason_is_given() -> None:
    # Both rank federation first, but both are in difficulty: no partnership.
    eastbrook = shared("RE1", UNSUSTAINABLE, scores=WEAK, fits={"federation": "80"})
    proposals = propose(
        [
            trust("RS1", southmoor(fits={"federation": "75"})),
            trust("RE1", eastbrook),
        ],
        v1_forms(),
    )
    assert proposals.pairings == ()
    assert proposals.partnerships == ()
    assert proposals.not_proposed == (
        NotProposed(
            BOTH_IN_NEED,
            ("RE1", "RS1"),
            "Eastbrook and Southmoor are both in difficulty and are not proposed to join: two "
            "trusts in difficulty rarely make one that is sustainable.",
        ),
    )


def test_no_joint_form_because_the_halves_are_ruled_out() -> None:
    # Northgate can only lead a group; Southmoor has ruled out every way of joining one.
    joining = ("join-multi-service-chain", "shared-leadership", "merger-acquisition")
    proposals = propose(
        [
            trust(
                "RN1",
                northgate(
                    fits={"lead-group": "80"},
                    ruled_out=("offer-support", "extend-service-chain"),
                ),
            ),
            trust(
                "RS1",
                southmoor(
                    fits={k: v for k, v in HALVES.items() if k not in joining}, ruled_out=joining
                ),
            ),
        ],
        v1_forms(),
    )
    assert proposals.pairings == ()
    assert proposals.not_proposed == (
        NotProposed(
            NO_JOINT_FORM,
            ("RN1", "RS1"),
            "No joint form is open to both Northgate and Southmoor: support another provider "
            "(buddying or a management contract) is ruled out for Northgate; extend a strong "
            "specialist service to other sites (service-level chain) is ruled out for Northgate; "
            "join a multi-service chain or hospital group is ruled out for Southmoor; shared "
            "leadership or group model is ruled out for Southmoor; merger with, or acquisition "
            "by, another provider is ruled out for Southmoor.",
        ),
    )


def test_no_joint_form_because_the_halves_are_absent_from_another_catalogue() -> None:
    # Northgate can only offer support; Southmoor's catalogue version 2 results list neither
    # buddying nor a management contract, so neither half is open.
    proposals = propose(
        [
            trust(
                "RN1",
                northgate(
                    fits={"offer-support": "90"}, ruled_out=("lead-group", "extend-service-chain")
                ),
            ),
            trust(
                "RS1",
                southmoor(
                    fits={"join-multi-service-chain": "72", "service-level-chain": "30"},
                    catalogue=2,
                ),
            ),
        ],
        v1_forms(),
    )
    assert proposals.pairings == ()
    (item,) = proposals.not_proposed
    assert (item.kind, item.trusts) == (NO_JOINT_FORM, ("RN1", "RS1"))
    assert (
        "buddying with a high-performing trust is not in Southmoor's results (catalogue "
        "version 2); management contract or franchise is not in Southmoor's results "
        "(catalogue version 2)"
    ) in item.reason


def test_a_ruled_out_half_is_never_proposed_even_with_the_best_fit() -> None:
    # Southmoor's best half (joining a group, 72) is listed as ruled out as well as ranked:
    # ruled out wins, and the pair takes the next best open form.
    proposals = propose(
        [
            trust("RN1", northgate()),
            trust("RS1", southmoor(ruled_out=("join-multi-service-chain",))),
        ],
        v1_forms(),
    )
    pairing = only_pairing(proposals)
    assert (pairing.lead_form, pairing.supported_form) == ("offer-support", "management-contract")
    assert pairing.joint_fit == Decimal(65)


def test_equal_joint_fits_are_decided_by_slug() -> None:
    # Buddying and a management contract both give min(90, 60) = 60 with offer support, and
    # lead-group halves are lower; "buddying" comes first by slug.
    proposals = propose(
        [
            trust("RN1", northgate(fits={"offer-support": "90", "lead-group": "50"})),
            trust("RS1", southmoor(fits={"management-contract": "60", "buddying": "60.04"})),
        ],
        v1_forms(),
    )
    pairing = only_pairing(proposals)
    assert pairing.supported_form == "buddying"
    assert pairing.joint_fit == Decimal("60.04")


def test_a_trust_that_has_not_shared_shows_only_not_shared() -> None:
    # Westvale has not shared: one line, "not shared", and nothing about it anywhere else.
    proposals = propose(
        [trust("RN1", northgate()), trust("RS1", southmoor()), trust("RW1", None, NORTH)],
        v1_forms(),
    )
    assert proposals.not_proposed == (NotProposed(NOT_SHARED, ("RW1",), "not shared"),)
    westvale = proposals.trusts[-1]
    assert (westvale.code, westvale.shared, westvale.sentence) == ("RW1", False, "not shared")
    assert (westvale.verdict, westvale.index, westvale.submitted_on) == (None, None, None)
    assert [row.trust_code for row in proposals.domain_matrix.rows] == ["RN1", "RS1"]
    assert {pairing.in_need for pairing in proposals.pairings} == {"RS1"}


def test_different_versions_are_compared_on_what_they_share_and_say_so() -> None:
    # Southmoor's result is on catalogue version 2; the proposal names both versions.
    proposals = propose(
        [trust("RN1", northgate()), trust("RS1", southmoor(catalogue=2))], v1_forms()
    )
    assert only_pairing(proposals).versions == (
        "Compares Northgate (questionnaire version 1, catalogue version 1) with Southmoor "
        "(questionnaire version 1, catalogue version 2) on the domains and forms they share."
    )


# ----------------------------------------------------------------------------- order


def test_equal_scores_are_ordered_by_supporter_then_trust_in_need_code() -> None:
    # Two identical supporters and two identical trusts in need give four equal scores.
    supporters = [
        trust(code, shared(code, SUSTAINABLE_LEAD, fits=LEADS, levels=READY))
        for code in ("RB2", "RA2")
    ]
    in_need = [
        trust(code, shared(code, AT_RISK, scores=WEAK, fits=HALVES, levels=READY))
        for code in ("RY2", "RX2")
    ]
    proposals = propose([in_need[0], supporters[0], in_need[1], supporters[1]], v1_forms())
    assert [(pair.supporter, pair.in_need) for pair in proposals.pairings] == [
        ("RA2", "RX2"),
        ("RA2", "RY2"),
        ("RB2", "RX2"),
        ("RB2", "RY2"),
    ]
    assert len({pair.score for pair in proposals.pairings}) == 1


def test_a_higher_score_comes_first_whatever_the_codes() -> None:
    # RZ9 is readier to change than RS1, so its pairing scores higher and comes first.
    keen = shared("RZ9", AT_RISK, scores=WEAK, fits=HALVES, levels={"CHANGE-1": 4})
    proposals = propose(
        [trust("RN1", northgate()), trust("RS1", southmoor()), trust("RZ9", keen)], v1_forms()
    )
    assert [pair.in_need for pair in proposals.pairings] == ["RZ9", "RS1"]
    assert proposals.pairings[0].score > proposals.pairings[1].score


# ------------------------------------------------------------------ peer partnerships


@pytest.mark.parametrize(
    ("fits_a", "fits_b", "location_b", "expected"),
    [
        # Federation fifth for one and third for the other: proposed at the lower fit.
        (
            {"standalone": "90", "lead-group": "85", "offer-support": "80", "buddying": "75",
             "federation": "70"},
            {"standalone": "90", "buddying": "80", "federation": "62.45"},
            None,
            [("federation", Decimal("62.5"))],
        ),
        # Federation sixth for one trust: outside its top five, so not proposed.
        (
            {"standalone": "90", "lead-group": "85", "offer-support": "80", "buddying": "75",
             "management-contract": "72", "federation": "70"},
            {"federation": "80"},
            None,
            [],
        ),
        # Shared leadership joins sites: 111.2 km apart (53 and 54 degrees north) gives
        # 1 - 0.5 x 81.2 / 120 = 0.661666..., and 70 x 0.661666 = 46.32 -> 46.3. A joint
        # venture does not join sites.
        (
            {"shared-leadership": "80", "joint-venture": "50"},
            {"shared-leadership": "70", "joint-venture": "55"},
            (Decimal("54.0"), Decimal("-1.5")),
            [("joint-venture", Decimal(50)), ("shared-leadership", Decimal("46.3"))],
        ),
        # Only partner-role forms are proposed: both rank lead-group first, which is not one.
        ({"lead-group": "80"}, {"lead-group": "80"}, None, []),
    ],
)  # fmt: skip
def test_peer_partnerships_need_a_partner_form_in_both_top_fives(
    fits_a: dict[str, str],
    fits_b: dict[str, str],
    location_b: tuple[Decimal, Decimal] | None,
    expected: list[tuple[str, Decimal]],
) -> None:
    proposals = propose(
        [
            trust("RN1", shared("RN1", SUSTAINABLE_COLLABORATE, fits=fits_a), NORTH),
            trust("RS1", shared("RS1", AT_RISK, fits=fits_b), location_b),
        ],
        v1_forms(),
    )
    found = [(peer.form, peer.score) for peer in proposals.partnerships]
    assert sorted(found, key=lambda item: (-item[1], item[0])) == expected
    assert found == sorted(found, key=lambda item: (-item[1], item[0]))
    assert all((peer.trust_a, peer.trust_b) == ("RN1", "RS1") for peer in proposals.partnerships)


def test_a_partner_form_ruled_out_by_one_trust_is_not_proposed() -> None:
    # Southmoor ranks federation but also lists it as ruled out: ruled out wins.
    proposals = propose(
        [
            trust("RN1", shared("RN1", SUSTAINABLE_COLLABORATE, fits={"federation": "80"})),
            trust(
                "RS1",
                shared("RS1", SUSTAINABLE_COLLABORATE, fits={"federation": "70"},
                       ruled_out=("federation",)),
            ),
        ],
        v1_forms(),
    )  # fmt: skip
    assert proposals.partnerships == ()


# ------------------------------------------------------------------- domain matrix


def test_the_domain_matrix_has_a_row_per_sharing_trust_and_a_column_per_scored_domain() -> None:
    # Southmoor has no workforce score; context domains are not columns.
    proposals = propose(
        [trust("RS1", southmoor(scores={**WEAK, "WORK": None})), trust("RN1", northgate())],
        v1_forms(),
    )
    matrix = proposals.domain_matrix
    assert [column.code for column in matrix.columns] == [code for code, _, _ in V1_DOMAINS]
    assert [row.trust_code for row in matrix.rows] == ["RN1", "RS1"]
    assert matrix.rows[1].scores == (
        Decimal(50), Decimal(31), None, Decimal(70), Decimal(70), Decimal(60)
    )  # fmt: skip


# -------------------------------------------------------------------- peer positions


def peer(
    code: str, fin: str | None, *, questionnaire: int = 1, qual: str | None = "50"
) -> SharedResult:
    return shared(code, AT_RISK, scores={"QUAL": qual, "FIN": fin}, questionnaire=questionnaire)


FIVE = [peer(f"RP{n}", score) for n, score in enumerate(("10", "20", "30", "40", "55"))]


@pytest.mark.parametrize(
    ("own", "others", "position"),
    [
        # Five others at 10, 20, 30, 40, 55: quartiles 20 and 40; just under 20 is lower.
        ("19.9", FIVE, LOWER_QUARTILE),
        # Exactly on the lower quartile is in the middle half.
        ("20", FIVE, MIDDLE_HALF),
        # Exactly on the upper quartile is in the middle half.
        ("40", FIVE, MIDDLE_HALF),
        # Just over the upper quartile is in the upper quartile.
        ("40.1", FIVE, UPPER_QUARTILE),
        # Six others at 10..60: the inclusive method interpolates 22.5 and 47.5.
        ("22.4", [*FIVE[:4], peer("RP4", "50"), peer("RP5", "60")], LOWER_QUARTILE),
        ("22.5", [*FIVE[:4], peer("RP4", "50"), peer("RP5", "60")], MIDDLE_HALF),
        ("47.6", [*FIVE[:4], peer("RP4", "50"), peer("RP5", "60")], UPPER_QUARTILE),
    ],
)
def test_peer_positions_place_each_domain_by_the_others_quartiles(
    own: str, others: list[SharedResult], position: str
) -> None:
    positions = peer_positions(peer("RN1", own), others)
    assert positions is not None
    fin = next(item for item in positions if item.domain == "FIN")
    assert fin.position == position
    assert fin.others == len(others)
    assert fin.sentence == (
        f"The trust's score for financial sustainability ({Decimal(own):.1f}) is in the {position} "
        f"of {len(others)} other trusts' scores."
    )
    assert "RP" not in " ".join(item.sentence for item in positions)


@pytest.mark.parametrize(
    "others",
    [
        # Four others: too few to compare at all.
        FIVE[:4],
        # Five others, but one is on another questionnaire version.
        [*FIVE[:4], peer("RP9", "50", questionnaire=2)],
        # Five, but one of them is the trust itself.
        [*FIVE[:4], peer("RN1", "50")],
    ],
)
def test_peer_positions_need_five_other_trusts_on_the_same_version(
    others: list[SharedResult],
) -> None:
    assert peer_positions(peer("RN1", "30"), others) is None


def test_a_domain_with_fewer_than_five_other_scores_says_there_are_not_enough() -> None:
    # Five others have shared, but only four have a quality score.
    others = [*FIVE[:4], peer("RP4", "55", qual=None)]
    positions = peer_positions(peer("RN1", "30"), others)
    assert positions is not None
    qual = next(item for item in positions if item.domain == "QUAL")
    assert (qual.position, qual.others) == (None, 4)
    assert qual.sentence == (
        "Not enough other trusts have a score for quality and safety to compare (4; at least 5 "
        "are needed)."
    )
    assert [item.domain for item in positions] == ["QUAL", "FIN"]


def test_a_half_to_confirm_stays_open_and_the_reasons_say_so() -> None:
    # Northgate's fit for leading a group awaits evidence; the form is still proposed.
    pending = northgate()
    ranking = tuple(
        SharedFit(fit.slug, fit.rank, fit.fit, fit.slug == "lead-group") for fit in pending.ranking
    )
    proposals = propose(
        [trust("RN1", replace(pending, ranking=ranking)), trust("RS1", southmoor())], v1_forms()
    )
    pairing = only_pairing(proposals)
    assert pairing.lead_form == "lead-group"
    assert pairing.reasons[4] == (
        "Northgate's fit for lead a multi-service chain or group is to confirm: a prerequisite "
        "still awaits evidence."
    )


def test_a_partnership_is_explained_with_its_risk_and_distance() -> None:
    # Shared leadership, 111.2 km apart: fits 80 and 70, discounted to 46.3.
    proposals = propose(
        [
            trust("RN1", shared("RN1", SUSTAINABLE_LEAD, fits={"shared-leadership": "80"}), NORTH),
            trust(
                "RS1",
                shared("RS1", AT_RISK, fits={"shared-leadership": "70"}, catalogue=2),
                (Decimal("54.0"), Decimal("-1.5")),
            ),
        ],
        v1_forms(),
    )
    (peer,) = proposals.partnerships
    assert peer.score == Decimal("46.3")
    assert peer.reasons == (
        "Both Northgate and Southmoor rank shared leadership or group model among their 5 "
        "best-fitting forms (fits 80.0 and 70.0); the partnership scores the lower.",
        f"Main risk: {risk_of('shared-leadership')}",
        "Northgate and Southmoor are 111.2 km apart: forms that join sites are discounted by "
        "33.8%.",
        "Compares Northgate (questionnaire version 1, catalogue version 1) with Southmoor "
        "(questionnaire version 1, catalogue version 2) on the domains and forms they share.",
    )


def test_a_trust_may_appear_only_once() -> None:
    # The same code twice would make every pair ambiguous.
    with pytest.raises(ValueError, match="only once"):
        propose([trust("RN1", northgate()), trust("RN1", None)], v1_forms())
