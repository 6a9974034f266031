"""Sharing a submitted result with a system, and revoking it: the only writes of this app.

A share is made by the trust's assessment lead, for one submission and one system the trust
belongs to, after a page that says what is shared and what never is. Revoking takes effect
at once: every system view, system paper and peer comparison reads live shares only. A
withdrawn submission is unshared in the same transaction as its withdrawal.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from assessment.models import Assessment, Organisation, Submission
from assessment.scoring import Result
from assessment.scoring.system import (
    FormInfo,
    PeerPartnership,
    PeerPosition,
    SharedDomain,
    SharedResult,
    SupportPairing,
    SystemProposals,
    SystemTrust,
    peer_positions,
    propose,
    shared_from_result,
)
from assessment.scoring.system_types import PEERS_NEEDED
from assessment.security import log_event
from assessment.services.submissions import submitted_result
from systems import selectors
from systems.models import Share, System

WITHDRAWN = "The result was withdrawn."


class SharingRefused(ValidationError):
    """The result cannot be shared; the message says why and what to do."""


def share_create(
    *, assessment: Assessment, system: System, user: Any, request: HttpRequest | None = None
) -> Share:
    """Share the assessment's submitted result with `system`. Sharing again what is already
    shared (a second click) returns the live share."""
    with transaction.atomic():
        submission = (
            # Only the submission's row is locked: PostgreSQL cannot lock the nullable side
            # of the outer join that brings its withdrawal.
            Submission.objects.select_for_update(of=("self",))
            .select_related("withdrawal")
            .filter(assessment_id=assessment.pk)
            .first()
        )
        if submission is None:
            raise SharingRefused(
                "Only a submitted result can be shared. Submit the assessment first."
            )
        if getattr(submission, "withdrawal", None) is not None:
            raise SharingRefused(
                "This result has been withdrawn, so it cannot be shared. Share a later "
                "submitted result instead."
            )
        if not system.trusts.filter(pk=assessment.organisation_id).exists():
            raise SharingRefused(
                f"{assessment.organisation.name} does not belong to {system.name}. Ask a "
                "catalogue admin to add it to the system first."
            )
        live = Share.objects.filter(
            submission=submission, system=system, revoked_at__isnull=True
        ).first()
        if live is not None:
            return live
        try:
            with transaction.atomic():
                share = Share.objects.create(
                    submission=submission,
                    system=system,
                    shared_by=user,
                    shared_at=timezone.now(),
                )
        except IntegrityError:
            # Another request shared it between our check and our insert (SQLite has no
            # row locks): the constraint kept one live share.
            return Share.objects.get(submission=submission, system=system, revoked_at=None)
    log_event(
        "result-shared",
        request,
        user=user.get_username(),
        assessment=assessment.pk,
        system=system.code,
    )
    return share


def share_revoke(*, share: Share, user: Any, request: HttpRequest | None = None) -> Share:
    """Revoke a live share at once. Revoking one already revoked changes nothing."""
    with transaction.atomic():
        locked = Share.objects.select_for_update().get(pk=share.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.revoked_by = user
        locked.save(update_fields=["revoked_at", "revoked_by"])
    log_event(
        "result-unshared",
        request,
        user=user.get_username(),
        share=share.pk,
        system=locked.system_id,
    )
    return locked


def shares_revoke_on_withdrawal(*, submission: Submission, user: Any) -> int:
    """Unshare a withdrawn submission from every system; called inside the withdrawal's
    transaction. Returns how many shares were revoked."""
    live = Share.objects.filter(submission=submission, revoked_at__isnull=True)
    revoked = 0
    for share in live.select_for_update():
        share.revoked_at = timezone.now()
        share.revoked_by = user
        share.revoked_because = WITHDRAWN
        share.save(update_fields=["revoked_at", "revoked_by", "revoked_because"])
        revoked += 1
    return revoked


# ------------------------------------------------------------------ reads through the engine


# The heat table's bands of a domain score, lowest first: (lower bound, band, words).
HEAT_BANDS = (
    (Decimal(0), "low", "below 40"),
    (Decimal(40), "weak", "40 to 54"),
    (Decimal(55), "fair", "55 to 69"),
    (Decimal(70), "strong", "70 or more"),
)


@dataclass(frozen=True)
class HeatCell:
    score: Decimal | None
    band: str  # one of HEAT_BANDS' bands, or "none" when not scored


@dataclass(frozen=True)
class HeatRow:
    trust_name: str
    questionnaire_version: int
    cells: tuple[HeatCell, ...]


@dataclass(frozen=True)
class PairingView:
    pairing: SupportPairing
    lead: FormInfo | None
    supported: FormInfo | None


@dataclass(frozen=True)
class PartnershipView:
    partnership: PeerPartnership
    form: FormInfo | None


@dataclass(frozen=True)
class PartnershipPair:
    """The peer partnerships of one pair of trusts: the best first, then the others open
    to both, so that a pair reads as one line however many forms suit it."""

    best: PeerPartnership
    others: tuple[PeerPartnership, ...]
    form: FormInfo | None


@dataclass(frozen=True)
class SystemReview:
    """What the system view, its paper and its CSV show: the engine's proposals from the
    system's live shared results, with the catalogue facts of each form named."""

    system: System
    proposals: SystemProposals
    forms: dict[str, FormInfo]
    made_at: datetime.datetime

    @property
    def shared_count(self) -> int:
        return sum(1 for trust in self.proposals.trusts if trust.shared)

    @property
    def unshared_names(self) -> list[str]:
        return [trust.name for trust in self.proposals.trusts if not trust.shared]

    @property
    def pairings(self) -> list[PairingView]:
        return [
            PairingView(p, self.forms.get(p.lead_form), self.forms.get(p.supported_form))
            for p in self.proposals.pairings
        ]

    @property
    def partnerships(self) -> list[PartnershipView]:
        return [PartnershipView(p, self.forms.get(p.form)) for p in self.proposals.partnerships]

    @property
    def partnership_pairs(self) -> list[PartnershipPair]:
        pairs: dict[tuple[str, str], list[PeerPartnership]] = {}
        for partnership in self.proposals.partnerships:  # best first
            pairs.setdefault((partnership.trust_a, partnership.trust_b), []).append(partnership)
        return [
            PartnershipPair(best, tuple(others), self.forms.get(best.form))
            for best, *others in pairs.values()
        ]

    @property
    def heat_rows(self) -> list[HeatRow]:
        return [
            HeatRow(
                trust_name=row.trust_name,
                questionnaire_version=row.questionnaire_version,
                cells=tuple(HeatCell(score, heat_band(score)) for score in row.scores),
            )
            for row in self.proposals.domain_matrix.rows
        ]


def heat_band(score: Decimal | None) -> str:
    if score is None:
        return "none"
    band = HEAT_BANDS[0][1]
    for lower, name, _ in HEAT_BANDS:
        if score >= lower:
            band = name
    return band


def _shared(submission: Submission, organisation: Organisation) -> SharedResult:
    return shared_from_result(
        submitted_result(submission),
        trust_code=organisation.ods_code,
        trust_name=organisation.name,
        submitted_on=timezone.localdate(submission.submitted_at),
    )


def _location(organisation: Organisation) -> tuple[Decimal, Decimal] | None:
    if organisation.latitude is None or organisation.longitude is None:
        return None
    return (organisation.latitude, organisation.longitude)


def _forms(results: list[Result]) -> dict[str, FormInfo]:
    """Each form named in the shared results, as its latest catalogue version describes it:
    the stored results carry what the paper needs, so old results keep their own words."""
    forms: dict[str, FormInfo] = {}
    for result in sorted(results, key=lambda r: r.catalogue_version, reverse=True):
        for form in (*result.ranking, *result.ruled_out):
            details = form.details
            forms.setdefault(
                form.slug,
                FormInfo(
                    slug=form.slug,
                    name=form.name,
                    role=form.role,
                    risk_note=details.risk_note,
                    approvals=details.approvals,
                    months_min=details.months_min,
                    months_max=details.months_max,
                ),
            )
    return forms


def system_review(*, system: System) -> SystemReview:
    """The system's view, from its live shared results only (see selectors.live_shares)."""
    members = selectors.system_members(system=system)
    trusts = []
    results = []
    for member in members:
        shared = None
        if member.submission is not None:
            results.append(submitted_result(member.submission))
            shared = _shared(member.submission, member.organisation)
        trusts.append(
            SystemTrust(
                code=member.organisation.ods_code,
                name=member.organisation.name,
                location=_location(member.organisation),
                shared=shared,
            )
        )
    forms = _forms(results)
    return SystemReview(
        system=system,
        proposals=propose(trusts, list(forms.values())),
        forms=forms,
        made_at=timezone.now(),
    )


def peer_comparison(
    *, assessment: Assessment, result: Result | None = None
) -> tuple[PeerPosition, ...] | None:
    """Where the trust's domain scores fall among other trusts' live shared results on the
    same questionnaire version; None with fewer than five others, or for a result that is
    not submitted or was withdrawn. No other trust is named. The trust's own result is read
    only when there are enough others to compare with."""
    if assessment.is_open:
        return None
    others = selectors.peer_submissions(assessment=assessment)
    if len(others) < PEERS_NEEDED:
        return None
    submission = Submission.objects.select_related("withdrawal").get(assessment=assessment)
    if getattr(submission, "withdrawal", None) is not None:
        return None
    own = shared_from_result(
        result if result is not None else submitted_result(submission),
        trust_code=assessment.organisation.ods_code,
        trust_name=assessment.organisation.name,
        submitted_on=timezone.localdate(submission.submitted_at),
    )
    return peer_positions(own, [_peer(other) for other in others])


def _peer(submission: Submission) -> SharedResult:
    """Another trust's shared result as peer comparison reads it: its domain scores as
    stored beside the result on submission (every scored domain with a score), so that a
    results page never decodes the whole results of its peers."""
    assessment = submission.assessment
    return SharedResult(
        trust_code=assessment.organisation.ods_code,
        trust_name=assessment.organisation.name,
        questionnaire_version=assessment.questionnaire_version.number,
        catalogue_version=assessment.catalogue_version.number,
        submitted_on=timezone.localdate(submission.submitted_at),
        verdict=submission.verdict,
        verdict_label="",
        index=submission.index,
        domains=tuple(
            SharedDomain(code, code, Decimal(0), True, Decimal(score))
            for code, score in submission.domain_scores.items()
        ),
        ranking=(),
        ruled_out=(),
        levels=(),
    )
