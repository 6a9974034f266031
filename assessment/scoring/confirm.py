"""Forms to confirm (method section 4).

A prerequisite that cannot be judged, because its question is unanswered or answered
"don't know", or because the verdict it rests on is provisional, does not move its form: the
form keeps its place by fit and is marked "to confirm", with the missing answers that would
confirm it or rule it out. For a prerequisite on the verdict those are the missing answers
that make the verdict provisional: the scored questions of the scored domains that are
unanswered or "don't know" (answering enough of them to reach the coverage the method asks
for confirms the verdict, and with it the prerequisite, one way or the other).

Everything here is read from a result's own parts (its prerequisite checks, its missing
evidence and its domains), so a result stored before forms to confirm carried this list is
read back with the list it would have had (serialise.py), never from today's definitions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .answers import DK
from .decimals import one_place
from .fit import UNCONFIRMED
from .result import DomainResult, MissingEvidence, PrerequisiteCheck, RankedForm, ToConfirm


def to_confirm_of(
    checks: Iterable[PrerequisiteCheck],
    missing: Sequence[MissingEvidence],
    domains: Iterable[DomainResult],
) -> tuple[ToConfirm, ...]:
    """What each unconfirmed prerequisite of a ranked form awaits, in the catalogue's order
    of prerequisites. Raises ValueError if a check rests on a question that is not missing,
    which only a damaged result can hold."""
    by_code = {item.question: item for item in missing}
    scored = {domain.code for domain in domains if domain.scored}
    for_verdict = tuple(item for item in missing if item.scored and item.domain in scored)
    found = []
    for check in checks:
        if check.status != UNCONFIRMED:
            continue
        if check.question is None:
            found.append(_on_verdict(check.reason, for_verdict))
            continue
        item = by_code.get(check.question)
        if item is None:
            raise ValueError(
                f"The prerequisite '{check.reason}' awaits {check.question}, "
                "which is not listed as missing evidence."
            )
        found.append(_on_question(check.reason, item))
    return tuple(found)


def _on_question(reason: str, item: MissingEvidence) -> ToConfirm:
    code = item.question
    if item.status == DK:
        awaiting = f"{code} is answered don't know: a definite answer"
    else:
        awaiting = f"{code} is not answered yet: its answer"
    return ToConfirm(
        reason=reason,
        on_verdict=False,
        missing=(item,),
        sentence=f"{_stop(reason)} {awaiting} will confirm this option or rule it out.",
    )


def _on_verdict(reason: str, missing: tuple[MissingEvidence, ...]) -> ToConfirm:
    if missing:
        count = "the missing question" if len(missing) == 1 else "the missing questions"
        sentence = (
            f"{_stop(reason)} The verdict is provisional because too much evidence is missing, "
            f"so this cannot be judged yet. Answering {count} will confirm the verdict, and "
            "so confirm this option or rule it out."
        )
    else:
        # Provisional with nothing missing: every scored question was answered "not
        # applicable", so no answer is awaited; the board has to review those instead.
        sentence = (
            f"{_stop(reason)} The verdict is provisional, so this cannot be judged yet. No "
            "answer is missing: check the questions answered not applicable."
        )
    return ToConfirm(reason=reason, on_verdict=True, missing=missing, sentence=sentence)


def _stop(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def listed_after_weaker(ranking: Sequence[RankedForm]) -> bool:
    """Whether a form to confirm is listed below a form that ranks lower by fit, integration
    level and slug: true only of results stored before method section 4 kept forms to
    confirm in their place (they were then listed after every confirmed form). Such a
    result is shown as it was stored, with a note saying why."""
    keys = [(-one_place(form.fit), form.integration_level, form.slug) for form in ranking]
    return any(
        form.conditional and any(above > keys[n] for above in keys[:n])
        for n, form in enumerate(ranking)
    )
