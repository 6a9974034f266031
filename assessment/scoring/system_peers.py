"""Peer comparison (method section 11): where a trust's domain scores fall among other trusts'.

Only other trusts' shared results on the same questionnaire version count, and only when at
least five other trusts have shared; no other trust is named. Quartiles are those of
`statistics.quantiles(..., method="inclusive")`, computed on the Decimal scores in the
engine's context: below the lower quartile is the "lower quartile", above the upper one the
"upper quartile", anything from one to the other (edges included) the "middle half".
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from decimal import Decimal, localcontext

from .decimals import CONTEXT, display
from .system_types import (
    LOWER_QUARTILE,
    MIDDLE_HALF,
    PEERS_NEEDED,
    UPPER_QUARTILE,
    PeerPosition,
    SharedResult,
)
from .system_words import lower_first


def quartiles(scores: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    """The lower and upper quartiles, inclusive method, exactly in Decimal."""
    with localcontext(CONTEXT):
        lower, _, upper = statistics.quantiles(scores, n=4, method="inclusive")
    return lower, upper


def peer_positions(
    own: SharedResult, others: Sequence[SharedResult]
) -> tuple[PeerPosition, ...] | None:
    """Per scored domain of `own`, its place among the others; None with fewer than five."""
    peers = [
        other
        for other in others
        if other.questionnaire_version == own.questionnaire_version
        and other.trust_code != own.trust_code
    ]
    if len({peer.trust_code for peer in peers}) != len(peers):
        raise ValueError("Each other trust may appear only once in a peer comparison.")
    if len(peers) < PEERS_NEEDED:
        return None
    positions: list[PeerPosition] = []
    for domain in own.domains:
        if not domain.scored:
            continue
        scores = [
            other.score
            for peer in peers
            for other in peer.domains
            if other.code == domain.code and other.scored and other.score is not None
        ]
        topic = lower_first(domain.name)
        if domain.score is None:
            positions.append(
                PeerPosition(
                    domain.code,
                    domain.name,
                    None,
                    len(scores),
                    f"The trust has no score for {topic}, so it cannot be compared.",
                )
            )
            continue
        if len(scores) < PEERS_NEEDED:
            positions.append(
                PeerPosition(
                    domain.code,
                    domain.name,
                    None,
                    len(scores),
                    f"Not enough other trusts have a score for {topic} to compare "
                    f"({len(scores)}; at least {PEERS_NEEDED} are needed).",
                )
            )
            continue
        lower, upper = quartiles(scores)
        if domain.score < lower:
            position = LOWER_QUARTILE
        elif domain.score > upper:
            position = UPPER_QUARTILE
        else:
            position = MIDDLE_HALF
        positions.append(
            PeerPosition(
                domain.code,
                domain.name,
                position,
                len(scores),
                f"The trust's score for {topic} ({display(domain.score)}) is in the {position} of "
                f"{len(scores)} other trusts' scores.",
            )
        )
    return tuple(positions)
