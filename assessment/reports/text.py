"""A result as plain text, for the `assess` command and anyone reading a terminal."""

from __future__ import annotations

import textwrap

from assessment.scoring.decimals import display
from assessment.scoring.result import RankedForm, Result

WIDTH = 96


def _wrap(text: str, indent: str = "", hanging: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=indent,
        subsequent_indent=hanging if hanging is not None else indent,
    ) or [indent.rstrip()]


def _heading(title: str) -> list[str]:
    return ["", title, "-" * len(title)]


def result_text(result: Result, *, source: str = "") -> str:
    lines: list[str] = [
        f"Assess your trust's sustainability: {result.title}",
        f"Questionnaire version {result.questionnaire_version}, "
        f"catalogue version {result.catalogue_version}" + (f". {source}" if source else ""),
        "",
        *_wrap(result.verdict_question),
        "",
        f"VERDICT: {result.verdict.label}"
        + (" (provisional)" if result.verdict.provisional else ""),
        *_wrap(f"Decided by: {result.verdict.rule}", "  "),
    ]
    if result.verdict.provisional:
        lines += _wrap(result.verdict.provisional_note, "  ")
    lines.append(
        f"Sustainability index: {display(result.index)} / 100; "
        f"coverage of the evidence: {display(result.coverage)}%"
    )

    lines += _heading("Domain scores")
    for domain in result.domains:
        if not domain.scored:
            continue
        score = display(domain.score) if domain.score is not None else "no answers"
        lines.append(
            f"  {domain.code:<6} {domain.name:<40} {score:>10}   "
            f"coverage {display(domain.coverage)}%"
        )
    if result.dropped_domains:
        lines += _wrap(
            "Left out of the index (no answers): " + ", ".join(result.dropped_domains), "  "
        )
    if result.triggers:
        lines += _heading("Critical answers")
        for trigger in result.triggers:
            lines += _wrap(
                f"{trigger.question}: {trigger.answer_label}. {trigger.text}", "  - ", "    "
            )

    lines += _heading("Ranked menu of organisational forms")
    if any(form.conditional for form in result.ranking):
        lines += _wrap(
            "A form marked (to confirm) keeps its place by fit, but a condition it needs "
            "cannot be judged until the missing answers listed with it are given.",
            "  ",
        )
    for form in result.ranking:
        lines += _ranked_form(form)

    lines += _heading("Ruled out")
    if not result.ruled_out:
        lines.append("  No form is ruled out by a prerequisite.")
    for ruled_out in result.ruled_out:
        lines += _wrap(f"{ruled_out.name}:", "  - ", "    ")
        for reason in ruled_out.reasons:
            lines += _wrap(reason, "      ")

    lines += _heading("What would change our recommendation")
    sensitivity = result.sensitivity
    if sensitivity is None:
        lines.append("  Not computed.")
    else:
        lines += _wrap(
            f"The top form is {sensitivity.stability}. {sensitivity.summary}", "  ", "  "
        )
        for displacement in sensitivity.displacing[:10]:
            lines += _wrap(displacement.sentence, "  - ", "    ")
        for change in sensitivity.verdict_changes[:5]:
            lines += _wrap(change.sentence, "  - ", "    ")
        for form in sensitivity.forms:
            lines.append(f"  {form.name}:")
            for fit_change in (*form.lifts, *form.drops):
                lines += _wrap(fit_change.sentence, "    - ", "      ")

    lines += _heading("Missing evidence")
    if not result.missing:
        lines.append("  Every question has an answer.")
    for missing in result.missing:
        status = "don't know" if missing.status == "dk" else "not answered"
        lines += _wrap(f"{missing.question} ({status}): {missing.text}", "  - ", "    ")
    return "\n".join(lines) + "\n"


def _ranked_form(form: RankedForm) -> list[str]:
    to_confirm = " (to confirm)" if form.conditional else ""
    lines = [f"  {form.rank:>2}. {form.name}: fit {display(form.fit)}{to_confirm}"]
    for item in form.to_confirm:
        lines += _wrap(f"To confirm: {item.sentence}", "      ", "        ")
        for missing in item.missing:
            lines += _wrap(f"{missing.question}: {missing.text}", "        - ", "          ")
    for reason in form.explanation.reasons:
        lines += _wrap(reason.sentence, "      - ", "        ")
    if form.explanation.proportion_note:
        lines += _wrap(form.explanation.proportion_note, "      - ", "        ")
    details = form.details
    if details.months_min is not None:
        lines.append(
            f"      Time to implement: {details.months_min} to {details.months_max} months; "
            f"reversibility {details.reversibility}"
        )
    if details.approvals:
        lines += _wrap(f"Approvals: {details.approvals}", "      ", "        ")
    if details.risk_note:
        lines += _wrap(f"Risks: {details.risk_note}", "      ", "        ")
    return lines
