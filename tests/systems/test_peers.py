"""Peer comparison on a trust's results page and in its board paper: shown only with at
least five other trusts' live shared results on the same questionnaire, naming none."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from assessment.services.papers import paper_for
from systems.models import Share
from systems.services import peer_comparison, share_revoke
from tests.systems.conftest import make_trust, share

pytestmark = pytest.mark.django_db

OTHERS = (
    ("RPA", "Alderley Hospitals NHS Trust", "RZA"),
    ("RPB", "Brookfield Hospitals NHS Trust", "RZB"),
    ("RPC", "Castleford Hospitals NHS Trust", "RZC"),
    ("RPD", "Dunmore Hospitals NHS Trust", "RZD"),
    ("RPE", "Elmstead Hospitals NHS Trust", "RZE"),
)


@pytest.fixture
def own(system):
    trust = make_trust(code="ROW", name="Ownbury Hospitals NHS Trust", answers_of="RZC")
    system.trusts.add(trust.organisation)
    return trust


def _others(system, count: int, *, shared: bool = True):
    trusts = []
    for code, name, answers in OTHERS[:count]:
        trust = make_trust(code=code, name=name, answers_of=answers)
        system.trusts.add(trust.organisation)
        if shared:
            share(trust, system)
        trusts.append(trust)
    return trusts


def _results(own) -> str:
    return own.lead_client().get(f"/assessments/{own.assessment.pk}/results/").content.decode()


def _paper_text(own) -> str:
    response = own.lead_client().get(f"/assessments/{own.assessment.pk}/board-paper.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_five_other_trusts_shared_show_the_comparison_naming_none(own, system) -> None:
    others = _others(system, 5)
    positions = peer_comparison(assessment=own.assessment)
    assert positions is not None
    assert {p.domain for p in positions} == {"QUAL", "FIN", "WORK", "LEAD", "PERF", "SCALE"}
    assert all(p.others == 5 and p.position for p in positions)
    html = _results(own)
    assert 'id="peers"' in html
    assert "Compared with other trusts" in html
    for trust in others:
        assert trust.organisation.name not in html
        assert trust.organisation.ods_code not in html
    text = _paper_text(own)
    assert "Compared with other trusts" in text
    assert "of 5 other trusts' scores" in text
    for trust in others:
        assert trust.organisation.name not in text
    # A member of the board sees it too.
    member_html = (
        own.member_client().get(f"/assessments/{own.assessment.pk}/results/").content.decode()
    )
    assert 'id="peers"' in member_html


def test_four_other_trusts_shared_show_no_comparison(own, system) -> None:
    _others(system, 4)
    assert peer_comparison(assessment=own.assessment) is None
    assert 'id="peers"' not in _results(own)
    assert "Compared with other trusts" not in _paper_text(own)


def test_trusts_that_have_not_shared_do_not_count(own, system) -> None:
    _others(system, 4)
    _, name, answers = OTHERS[4]
    make_trust(code="RPE", name=name, answers_of=answers)  # in the system, not shared
    assert peer_comparison(assessment=own.assessment) is None


def test_a_revoked_share_leaves_the_comparison_at_once(own, system) -> None:
    others = _others(system, 5)
    assert 'id="peers"' in _results(own)
    share_revoke(
        share=Share.objects.get(submission__assessment=others[0].assessment),
        user=others[0].lead.user,
    )
    assert peer_comparison(assessment=own.assessment) is None
    assert 'id="peers"' not in _results(own)
    assert "Compared with other trusts" not in _paper_text(own)


def test_only_trusts_in_the_own_trusts_systems_count(own, system, other_system) -> None:
    for code, name, answers in OTHERS:
        trust = make_trust(code=code, name=name, answers_of=answers)
        other_system.trusts.add(trust.organisation)
        share(trust, other_system)
    assert peer_comparison(assessment=own.assessment) is None


def test_a_withdrawn_result_is_not_compared(own, system) -> None:
    from assessment.services.withdrawals import submission_withdraw

    _others(system, 5)
    submission_withdraw(assessment=own.assessment, user=own.lead.user, reason="In error.")
    assert peer_comparison(assessment=own.assessment) is None
    assert paper_for(own.assessment).peers is None
