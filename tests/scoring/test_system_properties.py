"""The properties method section 11 requires of the system view, on systems of shared
results drawn at random over the v1 domains, forms and levels."""

from __future__ import annotations

import dataclasses
import datetime
import random
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.scoring.definitions import VERDICT_LABELS, VERDICTS
from assessment.scoring.result import Result
from assessment.scoring.system import (
    NOT_SHARED,
    SharedDomain,
    SharedFit,
    SharedResult,
    SystemProposals,
    SystemTrust,
    propose,
    shared_from_result,
)
from tests.scoring.support import persona_answers, seed_result
from tests.scoring.test_system import V1_DOMAINS, v1_forms

EXAMPLES = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
IN_NEED = {"at-risk", "unsustainable"}
SLUGS = [form.slug for form in v1_forms()]
SHARED_LEVELS = ("CHANGE-1", "CHANGE-2", "CHANGE-4", "SYS-1", "SYS-7")

levels = st.sampled_from((None, 1, 2, 3, 4))
score_values = st.decimals(0, 100, places=1)
scores = st.one_of(st.none(), score_values, score_values)
locations = st.one_of(
    st.none(),
    st.tuples(st.decimals(50, 55, places=2), st.decimals(-5, 1, places=2)),
)


@st.composite
def shared_results(draw: st.DrawFn, code: str) -> SharedResult:
    domains = tuple(
        SharedDomain(domain, name, Decimal(weight), True, draw(scores))
        for domain, name, weight in V1_DOMAINS
    )
    # Each form is ranked, ruled out, or absent (as from another catalogue version).
    statuses = {
        slug: draw(st.sampled_from(("ranked", "ranked", "ruled", "absent"))) for slug in SLUGS
    }
    fits = {
        slug: draw(st.decimals(0, 100, places=2))
        for slug, status in statuses.items()
        if status == "ranked"
    }
    ranked = sorted(fits, key=lambda slug: (-fits[slug], slug))
    verdict = draw(st.sampled_from([code for code, _ in VERDICTS]))
    return SharedResult(
        trust_code=code,
        trust_name=f"Trust {code}",
        questionnaire_version=1,
        catalogue_version=draw(st.sampled_from((1, 2))),
        submitted_on=datetime.date(2026, 1, 1),
        verdict=verdict,
        verdict_label=VERDICT_LABELS[verdict],
        index=draw(scores),
        domains=domains,
        ranking=tuple(
            SharedFit(slug, rank, fits[slug], draw(st.booleans()))
            for rank, slug in enumerate(ranked, start=1)
        ),
        ruled_out=tuple(slug for slug, status in statuses.items() if status == "ruled"),
        levels=tuple((question, draw(levels)) for question in SHARED_LEVELS),
    )


@st.composite
def systems(draw: st.DrawFn, max_size: int = 7) -> list[SystemTrust]:
    count = draw(st.integers(0, max_size))
    return [
        SystemTrust(
            f"R{number:02d}",
            f"Trust R{number:02d}",
            draw(locations),
            draw(shared_results(f"R{number:02d}")),
        )
        for number in range(count)
    ]


def by_code(trusts: list[SystemTrust]) -> dict[str, SharedResult]:
    return {trust.code: trust.shared for trust in trusts if trust.shared is not None}


@EXAMPLES
@given(systems(), st.lists(st.tuples(locations, st.text(max_size=12)), max_size=3))
def test_only_shared_results_are_read(
    sharing: list[SystemTrust], silent: list[tuple[Any, str]]
) -> None:
    extra = [
        SystemTrust(f"Q{number}", name, location, None)
        for number, (location, name) in enumerate(silent)
    ]
    alone = propose(sharing, v1_forms())
    joined = propose([*extra, *sharing], v1_forms())
    assert joined.pairings == alone.pairings
    assert joined.partnerships == alone.partnerships
    assert joined.candidates == alone.candidates
    assert joined.domain_matrix == alone.domain_matrix
    assert tuple(item for item in joined.not_proposed if item.kind != NOT_SHARED) == (
        alone.not_proposed
    )
    assert tuple(item for item in joined.trusts if item.shared) == alone.trusts
    silent_lines = [item for item in joined.trusts if not item.shared]
    assert [item.code for item in silent_lines] == [trust.code for trust in extra]
    for line in silent_lines:
        assert line.sentence == "not shared"
        assert (line.verdict, line.index, line.submitted_on, line.misses) == (None, None, None, ())
        assert not line.candidate
        assert not line.in_need


# What section 11 says is shared, field by field; nothing else may appear.
SHARED_FIELDS = {
    SharedResult: {
        "trust_code", "trust_name", "questionnaire_version", "catalogue_version",
        "submitted_on", "verdict", "verdict_label", "verdict_rule", "index", "domains",
        "ranking", "ruled_out", "levels",
    },
    SharedDomain: {"code", "name", "weight", "scored", "score"},
    SharedFit: {"slug", "rank", "fit", "conditional"},
}  # fmt: skip


def test_a_shared_result_holds_only_the_shared_fields() -> None:
    result = shared_from_result(
        seed_result(persona_answers("fragile-workforce")),
        trust_code="R01",
        trust_name="Trust",
        submitted_on=datetime.date(2026, 1, 1),
    )
    for kind, names in SHARED_FIELDS.items():
        assert {field.name for field in dataclasses.fields(kind)} == names
    assert {type(item) for item in result.domains} == {SharedDomain}
    assert {type(item) for item in result.ranking} == {SharedFit}
    assert all(code.startswith(("SYS-", "CHANGE-")) for code, _ in result.levels)
    assert all(isinstance(slug, str) for slug in result.ruled_out)


PERSONAS = ("fragile-workforce", "collaborative-mid", "strong-teaching-trust")


@settings(max_examples=20, deadline=None, database=None)
@given(st.sampled_from(PERSONAS), st.text(min_size=1, max_size=20), st.randoms())
def test_members_only_data_cannot_change_what_is_shared(
    name: str, note: str, rng: random.Random
) -> None:
    result = seed_result(persona_answers(name))
    # Change what is never shared: answer wording and text, missing evidence, triggers,
    # explanations, sensitivity and the title.
    questions = tuple(
        dataclasses.replace(question, text=note, answer_label=note, answer=note)
        for question in result.questions
    )
    altered: Result = dataclasses.replace(
        result,
        title=note,
        questions=questions,
        missing=tuple(rng.sample(list(result.missing), len(result.missing))),
        triggers=(),
        sensitivity=None,
        ranking=tuple(
            dataclasses.replace(
                form, explanation=dataclasses.replace(form.explanation, sentence=note)
            )
            for form in result.ranking
        ),
    )
    day = datetime.date(2026, 1, 1)
    assert shared_from_result(
        altered, trust_code="R01", trust_name="Trust", submitted_on=day
    ) == shared_from_result(result, trust_code="R01", trust_name="Trust", submitted_on=day)


def halves_open(result: SharedResult, slug: str) -> bool:
    return slug in {fit.slug for fit in result.ranking} and slug not in result.ruled_out


@EXAMPLES
@given(systems())
def test_a_ruled_out_or_absent_half_never_appears_in_a_proposal(trusts: list[SystemTrust]) -> None:
    proposals = propose(trusts, v1_forms())
    results = by_code(trusts)
    for pairing in proposals.pairings:
        assert halves_open(results[pairing.supporter], pairing.lead_form)
        assert halves_open(results[pairing.in_need], pairing.supported_form)
    for peer in proposals.partnerships:
        for code in (peer.trust_a, peer.trust_b):
            assert halves_open(results[code], peer.form)
            rank = next(fit.rank for fit in results[code].ranking if fit.slug == peer.form)
            assert rank <= 5


@EXAMPLES
@given(systems())
def test_two_trusts_in_difficulty_are_never_joined(trusts: list[SystemTrust]) -> None:
    proposals = propose(trusts, v1_forms())
    verdicts = {code: result.verdict for code, result in by_code(trusts).items()}
    for pairing in proposals.pairings:
        assert verdicts[pairing.supporter] not in IN_NEED
        assert verdicts[pairing.in_need] in IN_NEED
    for peer in proposals.partnerships:
        assert not (verdicts[peer.trust_a] in IN_NEED and verdicts[peer.trust_b] in IN_NEED)


@EXAMPLES
@given(systems())
def test_every_score_lies_between_0_and_100(trusts: list[SystemTrust]) -> None:
    proposals = propose(trusts, v1_forms())
    found = [item.score for item in proposals.pairings]
    found += [item.score for item in proposals.partnerships]
    for score in found:
        assert Decimal(0) <= score <= Decimal(100)
        assert score == score.quantize(Decimal("0.1"))
    for pairing in proposals.pairings:
        for value in (pairing.complement, pairing.willingness, pairing.capacity):
            assert Decimal(0) <= value <= Decimal(1)


def shuffled(trusts: list[SystemTrust], rng: random.Random) -> list[SystemTrust]:
    copy = list(trusts)
    rng.shuffle(copy)
    return copy


@EXAMPLES
@given(systems(), st.randoms())
def test_proposals_do_not_depend_on_input_order(
    trusts: list[SystemTrust], rng: random.Random
) -> None:
    forms = list(v1_forms())
    rng.shuffle(forms)
    first: SystemProposals = propose(trusts, v1_forms())
    assert propose(shuffled(trusts, rng), forms) == first


@EXAMPLES
@given(systems(max_size=5), st.data())
def test_improving_a_weak_domain_never_raises_complement(
    trusts: list[SystemTrust], data: st.DataObject
) -> None:
    proposals = propose(trusts, v1_forms())
    if not proposals.pairings:
        return
    pairing = data.draw(st.sampled_from(proposals.pairings))
    position = next(n for n, trust in enumerate(trusts) if trust.code == pairing.in_need)
    weak = trusts[position].shared
    assert weak is not None
    scored = [n for n, domain in enumerate(weak.domains) if domain.score is not None]
    if not scored:
        return
    index = data.draw(st.sampled_from(scored))
    domain = weak.domains[index]
    assert domain.score is not None
    better = data.draw(st.decimals(domain.score, 100, places=1))
    domains = list(weak.domains)
    domains[index] = dataclasses.replace(domain, score=better)
    changed = list(trusts)
    changed[position] = dataclasses.replace(
        trusts[position], shared=dataclasses.replace(weak, domains=tuple(domains))
    )
    after = propose(changed, v1_forms())
    (again,) = [
        item
        for item in after.pairings
        if (item.supporter, item.in_need) == (pairing.supporter, pairing.in_need)
    ]
    assert again.complement <= pairing.complement
