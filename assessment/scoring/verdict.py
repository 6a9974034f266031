"""Tipping-point triggers and the verdict (method section 3).

The index band gives a verdict; caps can only make it worse; the worst wins. When the
band and the worst cap agree, the index decided it. With no scored answer at all there is
no index: the trust cannot be judged sustainable without evidence, so the band is
"at risk" (and the verdict is provisional, since coverage is nil).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .decimals import display, display_against, plain_number
from .definitions import (
    AT_RISK,
    CAP_RULES,
    SUSTAINABLE_COLLABORATE,
    SUSTAINABLE_LEAD,
    UNSUSTAINABLE,
    VERDICT_LABELS,
    VERDICT_SEVERITY,
    MethodSettings,
)
from .result import Cap, Verdict

CRITICAL_ANSWER = "critical-answer"
CRITICAL_COUNT = "critical-count"
DOMAIN_FLOOR = "domain-floor"


def band_of(
    index: Decimal | None,
    scored_scores: Sequence[Decimal],
    any_critical: bool,
    settings: MethodSettings,
) -> str:
    if index is None:
        return AT_RISK
    if (
        index >= settings.lead_index
        and all(score >= settings.lead_domain_floor for score in scored_scores)
        and not any_critical
    ):
        return SUSTAINABLE_LEAD
    if index >= settings.collaborate_index:
        return SUSTAINABLE_COLLABORATE
    if index >= settings.at_risk_index:
        return AT_RISK
    return UNSUSTAINABLE


def verdict_code(
    index: Decimal | None,
    scored_scores: Sequence[Decimal],
    critical_rules: Sequence[str],
    settings: MethodSettings,
) -> str:
    """The verdict alone, for the many recomputations of sensitivity."""
    verdict = band_of(index, scored_scores, bool(critical_rules), settings)
    severity = VERDICT_SEVERITY[verdict]
    for rule in critical_rules:
        capped = CAP_RULES[rule]
        if VERDICT_SEVERITY[capped] > severity:
            verdict, severity = capped, VERDICT_SEVERITY[capped]
    if len(critical_rules) >= settings.critical_count_cap:
        return UNSUSTAINABLE
    if severity < VERDICT_SEVERITY[AT_RISK] and any(
        score < settings.domain_cap_floor for score in scored_scores
    ):
        return AT_RISK
    return verdict


def describe_verdict(
    *,
    index: Decimal | None,
    coverage: Decimal,
    scored_domains: Sequence[tuple[str, str, Decimal]],
    criticals: Sequence[tuple[str, str, str, str]],
    settings: MethodSettings,
) -> Verdict:
    """The verdict with the rule that decided it and every cap that applied.

    scored_domains: (code, name, score) of each scored domain with a score.
    criticals: (question code, question text, answer label, rule) of each critical answer.
    """
    scores = [score for _, _, score in scored_domains]
    band = band_of(index, scores, bool(criticals), settings)
    pending: list[tuple[str, str, str, str]] = []  # verdict, kind, subject, text
    for code, text, label, rule in criticals:
        pending.append(
            (
                CAP_RULES[rule],
                CRITICAL_ANSWER,
                code,
                f"Capped by {code} (answered '{label}'): {text}",
            )
        )
    if len(criticals) >= settings.critical_count_cap:
        codes = ", ".join(code for code, _, _, _ in criticals)
        pending.append(
            (
                UNSUSTAINABLE,
                CRITICAL_COUNT,
                codes,
                f"Capped by {len(criticals)} critical answers ({codes}): "
                f"{plain_number(settings.critical_count_cap)} or more tipping-point signals "
                "together mean the trust is not sustainable in its present form.",
            )
        )
    for code, name, score in scored_domains:
        if score < settings.domain_cap_floor:
            floor = settings.domain_cap_floor
            pending.append(
                (
                    AT_RISK,
                    DOMAIN_FLOOR,
                    code,
                    f"Capped by {name} scoring {display_against(score, floor)}, "
                    f"below the floor of {plain_number(floor)}.",
                )
            )
    final = band
    for capped, _, _, _ in pending:
        if VERDICT_SEVERITY[capped] > VERDICT_SEVERITY[final]:
            final = capped
    capped_by_cap = VERDICT_SEVERITY[final] > VERDICT_SEVERITY[band]
    caps = tuple(
        Cap(capped, kind, subject, text, binding=capped_by_cap and capped == final)
        for capped, kind, subject, text in pending
    )
    if capped_by_cap:
        rule = next(cap.text for cap in caps if cap.binding)
    else:
        rule = _band_rule(band, index, scored_domains, criticals, settings)
    provisional = coverage < settings.provisional_coverage
    note = ""
    if provisional:
        note = (
            f"Provisional: only {display_against(coverage, settings.provisional_coverage)}% "
            "of the evidence for the scored domains was given "
            f"({plain_number(settings.provisional_coverage)}% is needed). "
            "Answer the missing questions to confirm the verdict."
        )
    return Verdict(
        code=final,
        label=VERDICT_LABELS[final],
        rule=rule,
        decided_by="cap" if capped_by_cap else "index",
        band=band,
        provisional=provisional,
        provisional_note=note,
        caps=caps,
    )


def _band_rule(
    band: str,
    index: Decimal | None,
    scored_domains: Sequence[tuple[str, str, Decimal]],
    criticals: Sequence[tuple[str, str, str, str]],
    settings: MethodSettings,
) -> str:
    if index is None:
        return (
            "No scored domain has an answer, so there is no index. Without evidence the "
            "trust cannot be judged sustainable, so the verdict is at risk until the "
            "questions are answered."
        )
    lead, floor = settings.lead_index, settings.lead_domain_floor
    collaborate, at_risk = settings.collaborate_index, settings.at_risk_index
    if band == SUSTAINABLE_LEAD:
        return (
            f"Index {display(index)} is {plain_number(lead)} or more, every scored domain "
            f"scores {plain_number(floor)} or more and no critical answer was given."
        )
    if band == SUSTAINABLE_COLLABORATE and index >= lead:
        blockers = [
            f"{name} scores {display_against(score, floor)}, below {plain_number(floor)}"
            for _, name, score in scored_domains
            if score < floor
        ]
        if criticals:
            codes = ", ".join(code for code, _, _, _ in criticals)
            blockers.append(f"a critical answer was given ({codes})")
        return (
            f"Index {display(index)} is {plain_number(lead)} or more, but "
            f"{'; '.join(blockers)}, so the trust is not in a position to extend its reach; "
            f"at {plain_number(collaborate)} or more it is sustainable with collaboration."
        )
    if band == SUSTAINABLE_COLLABORATE:
        return (
            f"Index {display_against(index, lead)} is {plain_number(collaborate)} or more "
            f"but below {plain_number(lead)}."
        )
    if band == AT_RISK:
        return (
            f"Index {display_against(index, collaborate)} is {plain_number(at_risk)} or more "
            f"but below {plain_number(collaborate)}."
        )
    return f"Index {display_against(index, at_risk)} is below {plain_number(at_risk)}."
