"""The plain-English sentences of the system view (method section 11).

Boards read these, so they name trusts, domains and forms, never question codes or the
method's terms. Readiness is described by level, in the words of the version 1 anchors.
"""

from __future__ import annotations

from decimal import Decimal

from .decimals import HUNDRED, ONE, display
from .definitions import AT_RISK, SUSTAINABLE_COLLABORATE, SUSTAINABLE_LEAD, UNSUSTAINABLE
from .system_types import CANDIDATE_LEVEL, FormInfo, SharedResult

VERDICT_WORDS = {
    SUSTAINABLE_LEAD: "sustainable and in a position to extend its reach",
    SUSTAINABLE_COLLABORATE: "sustainable, strengthening through collaboration",
    AT_RISK: "at risk",
    UNSUSTAINABLE: "not sustainable in its present form",
}

SUPPORT_WORDS = {
    1: "it needs all its capacity for itself",
    2: "possibly, for a single service",
    3: "yes, with a codified operating model and some spare leadership capacity",
    4: "yes, with a codified model, spare leadership and a record of supporting others",
}
CAPACITY_WORDS = {
    1: "day-to-day pressures absorb all management capacity",
    2: "only with substantial outside support",
    3: "yes, for a change of moderate size",
    4: "yes, with a team that has done it before",
}
CHANGE_WORDS = {
    1: "the board will not consider a change of form",
    2: "the board would consider it only under regulatory pressure",
    3: "the board is open to options and wants them appraised",
    4: "the board is actively seeking the right form",
}

SUPPORT_TOPIC = "readiness to support other providers"
CAPACITY_TOPIC = "management capacity to lead a major change"
CHANGE_TOPIC = "readiness to consider a different organisational form"

BOTH_IN_NEED_REASON = "two trusts in difficulty rarely make one that is sustainable"


def verdict_words(code: str, label: str) -> str:
    return VERDICT_WORDS.get(code, label)


def level_words(topic: str, level: int | None, words: dict[int, str]) -> str:
    if level is None:
        return f"{topic} was not answered"
    return f"{topic} is at level {level} of 4 ({words.get(level, 'no description')})"


def missed_level(topic: str, level: int | None) -> str | None:
    """The supporter test on one level, in words, or None when it is passed."""
    if level is None:
        return f"its {topic} was not answered"
    if level < CANDIDATE_LEVEL:
        return f"its {topic} is at level {level} of 4, below the {CANDIDATE_LEVEL} needed"
    return None


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def strengths(
    supporter: str, in_need: str, gaps: list[tuple[Decimal, str, str, Decimal, Decimal]]
) -> str:
    """`gaps`: (weighted gap, code, name, supporter score, in-need score) of common domains."""
    if not gaps:
        return (
            f"{supporter} and {in_need} have no scored domain in common, so their strengths "
            "cannot be compared."
        )
    stronger = sorted((gap for gap in gaps if gap[0] > 0), key=lambda gap: (-gap[0], gap[1]))
    if not stronger:
        return f"{supporter} is not stronger than {in_need} in any domain both have scored."
    shown = ", ".join(
        f"{lower_first(name)} ({display(own)} against {display(other)})"
        for _, _, name, own, other in stronger[:3]
    )
    return f"{supporter} is strongest where {in_need} is weakest: {shown}."


def readiness(
    supporter: str,
    in_need: str,
    support: int | None,
    capacity: int | None,
    change: int | None,
) -> tuple[str, str]:
    return (
        f"{supporter}'s board: {level_words(SUPPORT_TOPIC, support, SUPPORT_WORDS)}; "
        f"{level_words(CAPACITY_TOPIC, capacity, CAPACITY_WORDS)}.",
        f"{in_need}'s board: {level_words(CHANGE_TOPIC, change, CHANGE_WORDS)}.",
    )


def months(first: FormInfo | None, second: FormInfo | None = None) -> str:
    infos = [info for info in (first, second) if info is not None]
    lows = [info.months_min for info in infos if info.months_min is not None]
    highs = [info.months_max for info in infos if info.months_max is not None]
    if not lows or not highs:
        return ""
    return f" It typically takes {max(lows)} to {max(highs)} months."


def risk(owner: str | None, info: FormInfo | None) -> str | None:
    if info is None or not info.risk_note:
        return None
    if owner is None:
        return f"Main risk: {info.risk_note}"
    return f"Main risk for {owner}: {info.risk_note}"


def joint_form(
    supporter: str,
    in_need: str,
    lead: str,
    supported: str,
    fits: tuple[Decimal, Decimal],
    infos: tuple[FormInfo | None, FormInfo | None],
) -> str:
    return (
        f"Proposed form: {supporter} would {lower_first(lead)}, and {in_need} would take "
        f"up: {lower_first(supported)}. Its fit is {display(min(fits))}, the lower of "
        f"{supporter}'s {display(fits[0])} and {in_need}'s {display(fits[1])}." + months(*infos)
    )


def to_confirm(owner: str, name: str) -> str:
    return (
        f"{owner}'s fit for {lower_first(name)} is to confirm: a prerequisite still awaits "
        "evidence."
    )


def distance(
    first: str,
    second: str,
    missing: tuple[str, ...],
    km: Decimal | None,
    factor: Decimal,
    joins_sites: bool,
) -> str:
    if km is None:
        if len(missing) == 2:
            return "Neither trust's location is recorded, so no distance discount was applied."
        return f"{missing[0]}'s location is not recorded, so no distance discount was applied."
    apart = f"{first} and {second} are {display(km)} km apart"
    if not joins_sites:
        return f"{apart}; the form does not join sites, so distance does not discount it."
    if factor == ONE:
        return f"{apart}: close enough that forms that join sites are not discounted."
    percent = display((ONE - factor) * HUNDRED)
    return f"{apart}: forms that join sites are discounted by {percent}%."


def versions(first: tuple[str, SharedResult], second: tuple[str, SharedResult]) -> str:
    """Which versions a proposal compares; each side is (trust name, its shared result)."""
    (first_name, one), (second_name, other) = first, second
    if (one.questionnaire_version, one.catalogue_version) == (
        other.questionnaire_version,
        other.catalogue_version,
    ):
        return (
            f"Both results use questionnaire version {one.questionnaire_version} and "
            f"catalogue version {one.catalogue_version}."
        )
    return (
        f"Compares {first_name} (questionnaire version {one.questionnaire_version}, "
        f"catalogue version {one.catalogue_version}) with {second_name} (questionnaire "
        f"version {other.questionnaire_version}, catalogue version "
        f"{other.catalogue_version}) on the domains and forms they share."
    )


def half_unavailable(owner: str, name: str, ruled_out: bool, catalogue: int) -> str:
    if ruled_out:
        return f"{lower_first(name)} is ruled out for {owner}"
    return f"{lower_first(name)} is not in {owner}'s results (catalogue version {catalogue})"
