"""The result in a board's words: what the first screen of the results page and the paper's
executive summary say, built from the engine's result without its terms or question codes.

Pure, like the rest of the engine: it reads a `Result` and returns sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .decimals import display, display_against, plain_number
from .definitions import (
    AT_RISK,
    SUSTAINABLE_COLLABORATE,
    SUSTAINABLE_LEAD,
    VERDICT_LABELS,
    VERDICT_SEVERITY,
)
from .result import AnswerChange, RankedForm, Reason, Result
from .verdict import CRITICAL_ANSWER, CRITICAL_COUNT, DOMAIN_FLOOR

# How well a form fits, in words; the fit out of 100 is shown beside them.
FITS_WELL = Decimal(70)
FITS_FAIRLY = Decimal(50)


def fit_words(fit: Decimal) -> str:
    if fit >= FITS_WELL:
        return "Fits well"
    return "Fits fairly well" if fit >= FITS_FAIRLY else "Fits poorly"


def whole(value: Decimal | None) -> str:
    """A score out of 100 as a board reads it: "81", "62.5"."""
    if value is None:
        return "no score"
    shown = display(value)
    return shown[:-2] if shown.endswith(".0") else shown


def first_sentence(text: str) -> str:
    """The first sentence, or its first clause when it runs on after a semicolon."""
    text = " ".join(text.split())
    if not text:
        return ""
    end = text.find(". ")
    sentence = text if end < 0 else text[: end + 1]
    clause = sentence.find("; ")
    return sentence if clause < 0 else sentence[:clause] + "."


@dataclass(frozen=True)
class FormLine:
    rank: int
    slug: str
    name: str
    fit: Decimal
    fit_words: str
    why: str
    risk: str
    to_confirm: bool


@dataclass(frozen=True)
class Summary:
    verdict_code: str
    verdict_label: str
    why: str
    provisional: bool
    coverage: str
    coverage_sentence: str
    forms: tuple[FormLine, ...]
    change: str


def _question_text(result: Result, code: str) -> str:
    return next((q.text for q in result.questions if q.code == code), code)


def edition(result: Result) -> str:
    """Which edition of the questionnaire and catalogue the result used, in words:
    "questionnaire version 2 (2026 edition), catalogue version 2"."""
    _, colon, name = result.title.rpartition(": ")
    named = f" ({name})" if colon and "edition" in name else ""
    return (
        f"questionnaire version {result.questionnaire_version}{named}, "
        f"catalogue version {result.catalogue_version}"
    )


def verdict_why(result: Result) -> str:
    """The rule that decided the verdict, in one plain sentence."""
    settings = result.settings
    verdict = result.verdict
    if result.index is None:
        return (
            "No scored area has an answer yet, so the trust cannot be judged sustainable until "
            "the questions are answered."
        )
    if verdict.decided_by == "cap":
        cap = next(cap for cap in verdict.caps if cap.binding)
        label = VERDICT_LABELS[verdict.code].split(":")[0].split(";")[0].lower()
        if cap.kind == CRITICAL_ANSWER:
            trigger = next((t for t in result.triggers if t.question == cap.subject), None)
            answer = f"“{trigger.answer_label}”" if trigger else "an answer"
            return (
                f"The board answered {answer} to “{_question_text(result, cap.subject)}”: that "
                f"answer alone means the trust can be rated no better than {label}."
            )
        if cap.kind == CRITICAL_COUNT:
            count = len(cap.subject.split(","))
            return (
                f"{count} answers each signal a tipping point; "
                f"{plain_number(settings.critical_count_cap)} or more together mean the trust "
                "is not sustainable in its present form."
            )
        if cap.kind == DOMAIN_FLOOR:
            domain = next(d for d in result.domains if d.code == cap.subject)
            score = domain.score if domain.score is not None else Decimal(0)
            return (
                f"{domain.name} scores {display_against(score, settings.domain_cap_floor)} out "
                f"of 100, below the floor of {plain_number(settings.domain_cap_floor)}: that "
                "holds the verdict at “at risk”, whatever the overall score."
            )
    index = result.index
    overall = f"The trust scores {whole(index)} out of 100 overall"
    lead, floor = settings.lead_index, settings.lead_domain_floor
    band = verdict.band
    if band == SUSTAINABLE_LEAD:
        return (
            f"{overall}, every area scores at least {plain_number(floor)} and no answer signals "
            "a tipping point."
        )
    if band == SUSTAINABLE_COLLABORATE and index >= lead:
        low = [
            d.name for d in result.domains if d.scored and d.score is not None and d.score < floor
        ]
        blockers = []
        if low:
            blockers.append(
                f"{_and(low)} score{'s' if len(low) == 1 else ''} below {plain_number(floor)}"
            )
        if result.triggers:
            blockers.append("an answer signals a tipping point")
        return (
            f"{overall}, but {' and '.join(blockers)}, so it is not yet in a position to extend "
            "its reach."
        )
    if band == SUSTAINABLE_COLLABORATE:
        return (
            f"{overall}: enough to be sustainable, but below the {plain_number(lead)} needed to "
            "extend its reach to others."
        )
    if band == AT_RISK:
        return (
            f"{overall}: below the {plain_number(settings.collaborate_index)} at which it is "
            f"sustainable, but not below {plain_number(settings.at_risk_index)}."
        )
    return f"{overall}, below {plain_number(settings.at_risk_index)}."


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def reason_plain(reason: Reason) -> str:
    """Why a form moved up or down, with the trust's own evidence, and no question code."""
    why = reason.why.rstrip(".")
    if reason.term == "need":
        score = reason.answer.split("/")[0]
        evidence = f"{reason.subject_name} scores {whole(Decimal(score))} out of 100"
    else:
        evidence = f"asked “{reason.subject_name}”, the board answered “{reason.answer}”"
    if reason.direction == "up":
        return f"In its favour: {why[:1].lower()}{why[1:]} ({evidence})."
    if reason.direction == "down":
        return f"Against it: {why[:1].lower()}{why[1:]} ({evidence})."
    return f"{why} ({evidence})."


def reason_short(reason: Reason) -> str:
    """Why a form moved, in one line: the catalogue's reason without the evidence."""
    why = reason.why.rstrip(".")
    lead = {"up": "In its favour", "down": "Against it"}.get(reason.direction)
    return f"{lead}: {why[:1].lower()}{why[1:]}." if lead else f"{why}."


def size_plain(form: RankedForm) -> str:
    note = form.explanation.proportion_note
    if "larger" in note:
        return "It is a bigger change than the trust needs."
    if "smaller" in note:
        return "It is a smaller change than the trust needs."
    return "Its size of change suits what the trust needs." if note else ""


def form_line(form: RankedForm) -> FormLine:
    reasons = form.explanation.reasons
    best = next((r for r in reasons if r.direction == "up"), reasons[0] if reasons else None)
    return FormLine(
        rank=form.rank,
        slug=form.slug,
        name=form.name,
        fit=form.fit,
        fit_words=fit_words(form.fit),
        why=reason_short(best) if best else "",
        risk=first_sentence(form.details.risk_note) or "The catalogue records no particular risk.",
        to_confirm=form.conditional,
    )


def change_plain(change: AnswerChange) -> str:
    """ "If the answer to “…” were “…” instead of “…”", with no code."""
    outside = " (outside the trust's control)" if change.outside_control else ""
    return (
        f"If the answer to “{change.question_text}” were “{change.to_label}” instead of "
        f"“{change.from_label}”{outside}"
    )


def _short_label(label: str) -> str:
    """ "Level 2: Several rotas rely on…" reads "level 2" in a summary sentence."""
    head, _, rest = label.partition(":")
    if rest and head.startswith("Level ") and head[6:].isdigit():
        return head.lower()
    return f"“{label}”"


def change_short(change: AnswerChange) -> str:
    """ "If the answer to “…” were level 2 instead of level 3": `change_plain`, shorter."""
    outside = " (outside the trust's control)" if change.outside_control else ""
    return (
        f"If the answer to “{change.question_text}” were {_short_label(change.to_label)} "
        f"instead of {_short_label(change.from_label)}{outside}"
    )


def biggest_change(result: Result) -> str:
    sensitivity = result.sensitivity
    if sensitivity is None or not result.ranking:
        return ""
    if sensitivity.displacing:
        nearest = sensitivity.displacing[0]
        return f"{change_short(nearest.change)}, {nearest.new_top_name} would come first."
    if sensitivity.verdict_changes:
        nearest_verdict = sensitivity.verdict_changes[0]
        return (
            f"No single changed answer would change the top form; "
            f"{change_short(nearest_verdict.change)[0].lower()}"
            f"{change_short(nearest_verdict.change)[1:]}, the verdict would be "
            f"“{nearest_verdict.verdict_label}”."
        )
    return "No single changed answer would change the top form or the verdict."


def summarise(result: Result) -> Summary:
    settings = result.settings
    coverage = whole(result.coverage)
    sentence = f"The board gave evidence for {coverage}% of the weighted questions."
    if result.verdict.provisional:
        sentence += (
            f" The verdict is provisional: {plain_number(settings.provisional_coverage)}% is "
            "needed to confirm it."
        )
    return Summary(
        verdict_code=result.verdict.code,
        verdict_label=result.verdict.label,
        why=verdict_why(result),
        provisional=result.verdict.provisional,
        coverage=coverage,
        coverage_sentence=sentence,
        forms=tuple(form_line(form) for form in result.ranking[:3]),
        change=biggest_change(result),
    )


# --------------------------------------------------------------------------- since last time


@dataclass(frozen=True)
class DomainMove:
    name: str
    before: Decimal | None
    after: Decimal | None

    @property
    def sentence(self) -> str:
        if self.before is None or self.after is None:
            return f"{self.name}: {whole(self.before)} then, {whole(self.after)} now."
        delta = self.after - self.before
        if abs(delta) < Decimal("0.05"):
            return f"{self.name}: unchanged at {whole(self.after)}."
        way = "up" if delta > 0 else "down"
        return (
            f"{self.name}: {way} {whole(abs(delta))}, "
            f"from {whole(self.before)} to {whole(self.after)}."
        )


@dataclass(frozen=True)
class FormMove:
    name: str
    before: int | None  # rank then; None: not ranked (ruled out or not in the catalogue)
    after: int | None

    @property
    def sentence(self) -> str:
        if self.before is None:
            return f"{self.name}: now ranked {self.after}, not ranked last time."
        if self.after is None:
            return f"{self.name}: ranked {self.before} last time, not ranked now."
        way = "up" if self.after < self.before else "down"
        return f"{self.name}: {way} from {self.before} to {self.after}."


@dataclass(frozen=True)
class SinceLastTime:
    period: str
    verdict_before: str
    verdict_after: str
    verdict_sentence: str
    index_before: Decimal | None
    index_after: Decimal | None
    index_sentence: str
    domains: tuple[DomainMove, ...]
    forms: tuple[FormMove, ...]  # forms whose place changed, among either top five


def since_last_time(current: Result, previous: Result, period: str) -> SinceLastTime:
    """What changed from the trust's previous submitted result to this one."""
    before, after = previous.verdict.code, current.verdict.code
    if before == after:
        verdict_sentence = f"The verdict is unchanged: {current.verdict.label}."
    else:
        worse = VERDICT_SEVERITY[after] > VERDICT_SEVERITY[before]
        verdict_sentence = (
            f"The verdict has {'worsened' if worse else 'improved'}, from "
            f"“{previous.verdict.label}” to “{current.verdict.label}”."
        )
    if previous.index is None or current.index is None:
        index_sentence = (
            f"Sustainability index: {whole(previous.index)} then, {whole(current.index)} now."
        )
    else:
        index_sentence = DomainMove("Sustainability index", previous.index, current.index).sentence
    then = {d.code: d for d in previous.domains if d.scored}
    domains = tuple(
        DomainMove(d.name, then[d.code].score if d.code in then else None, d.score)
        for d in current.domains
        if d.scored
    )
    ranks_then = {f.slug: f.rank for f in previous.ranking}
    ranks_now = {f.slug: f.rank for f in current.ranking}
    names = {f.slug: f.name for f in (*previous.ranking, *current.ranking)}
    watched = [f.slug for f in current.ranking[:5]] + [
        f.slug for f in previous.ranking[:5] if f.slug not in ranks_now or ranks_now[f.slug] > 5
    ]
    forms = tuple(
        FormMove(names[slug], ranks_then.get(slug), ranks_now.get(slug))
        for slug in dict.fromkeys(watched)
        if ranks_then.get(slug) != ranks_now.get(slug)
    )
    return SinceLastTime(
        period=period,
        verdict_before=before,
        verdict_after=after,
        verdict_sentence=verdict_sentence,
        index_before=previous.index,
        index_after=current.index,
        index_sentence=index_sentence,
        domains=domains,
        forms=forms,
    )


def sentence_plain(item: object) -> str:
    """A sensitivity sentence ("If QUAL-1 were 'X' instead of 'Y', …") with the question's
    text in place of its code."""
    change: AnswerChange = item.change  # type: ignore[attr-defined]
    sentence: str = item.sentence  # type: ignore[attr-defined]
    if sentence.startswith(change.description):
        return change_plain(change) + sentence[len(change.description) :]
    return sentence
