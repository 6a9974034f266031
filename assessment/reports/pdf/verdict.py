"""The body of the board paper: the verdict in a box coloured by its severity, with the rule
that decided it and any critical answers (section 1), the scores by domain as a chart and a
table (section 2), the ranked menu of organisational forms in plain English, each with how
well it fits, why, its risks, approvals and time (section 3), the forms ruled out
(section 4), what would change the recommendation (section 5) and, where the trust has an
earlier submission, what changed since it (section 6). Questions are named by their text,
never by a bare code."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.colors import white
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer

from assessment.reports.pdf.blocks import (
    boxed,
    bullets,
    escaped,
    fit_text,
    grid,
    heading,
    labelled,
    markup,
    named,
    para,
    question_texts,
    rich,
    subheading,
)
from assessment.reports.pdf.styles import (
    BODY_BOLD,
    BODY_TIGHT,
    BULLET,
    BULLET_SMALL,
    CONTENT_WIDTH,
    DETAIL,
    FIT_BOLD,
    FIT_LINE,
    FORM_HEADING,
    H2,
    LABELLED_TIGHT,
    LEDE,
    NHS_BLUE,
    NHS_DARK_GREY,
    NHS_PALE_GREY,
    NHS_TEXT,
    SANS,
    SANS_BOLD,
    SHOWN_CHANGES,
    SMALL,
    severity,
    verdict_box_style,
)
from assessment.scoring.decimals import display
from assessment.scoring.definitions import VERDICT_LABELS
from assessment.scoring.explain import weighting_note_in
from assessment.scoring.result import (
    DomainResult,
    RankedForm,
    Result,
    RuledOutForm,
)
from assessment.scoring.summary import (
    SinceLastTime,
    fit_words,
    reason_plain,
    sentence_plain,
    size_plain,
    verdict_why,
    whole,
)
from assessment.scoring.system_types import PeerPosition


def verdict(result: Result) -> list[Flowable]:
    """The verdict in a box coloured by its severity (green, amber, red), with its label
    written on the colour band: the colour is never the only sign of it."""
    verdict = result.verdict
    label = "Verdict: " + verdict.label + (" (provisional)" if verdict.provisional else "")
    inner: list[Flowable] = [
        para(label, severity(verdict.code).label_style),
        para(verdict_why(result), BODY_TIGHT),
        labelled("Decided by:", named(verdict.rule, result), LABELLED_TIGHT),
    ]
    if verdict.provisional:
        inner.append(para(named(verdict.provisional_note, result), BODY_TIGHT))
    inner.append(
        rich(
            BODY_TIGHT,
            ("b", "Sustainability index:"),
            f" {display(result.index)} out of 100\u00a0\u00a0\u00a0\u00a0 ",
            ("b", "Evidence covered:"),
            f" {display(result.coverage)}% of the weighted questions",
        )
    )
    # The question stays on the page of its answer.
    story = heading(
        "1. The verdict",
        para("The Dalton review asked every trust board:", BODY_TIGHT),
        para(result.verdict_question, LEDE),
        boxed(inner, verdict_box_style(verdict.code), keep=False),
    )
    story.append(Spacer(1, 6))
    other_caps = [named(cap.text, result) for cap in verdict.caps if not cap.binding]
    if other_caps:
        story.append(para("Other limits on the verdict, which did not decide it:", BODY_TIGHT))
        story += bullets(other_caps)
    if result.triggers:
        texts = question_texts(result)
        story += subheading("Critical answers")
        story.append(
            para(
                "Each of these answers is on its own a tipping-point signal, and limits the "
                "verdict whatever the index."
            )
        )
        for trigger in result.triggers:
            limit = VERDICT_LABELS.get(trigger.verdict, trigger.verdict)
            story.append(
                rich(
                    BULLET,
                    ("b", f"\u201c{texts.get(trigger.question, trigger.question)}\u201d"),
                    f": {trigger.answer_label}. {named(trigger.text, result)} ",
                    ("i", f"Limits the verdict to: {limit}."),
                    bullet="\u2022",
                )
            )
    return story


def chart_label(text: str, width: float, size: float) -> list[str]:
    """A domain name over at most two lines of a chart."""
    if stringWidth(text, SANS, size) <= width:
        return [text]
    words = text.split()
    first: list[str] = []
    for count in range(1, len(words)):
        if stringWidth(" ".join(words[:count]), SANS, size) > width:
            break
        first = words[:count]
    if not first:
        return [fit_text(text, SANS, size, width)]
    return [" ".join(first), fit_text(" ".join(words[len(first) :]), SANS, size, width)]


def domain_chart(domains: Sequence[DomainResult], result: Result) -> Drawing:
    """Horizontal bars from 0 to 100, one per scored domain, with the method's floors as
    dashed lines: the chart of the results page."""
    size = 8.5
    label_width, value_width = 160.0, 30.0
    plot_width = CONTENT_WIDTH - label_width - value_width
    row, top, bottom = 22.0, 20.0, 16.0
    height = top + row * len(domains) + bottom
    plot_top = height - top + 4
    drawing = Drawing(CONTENT_WIDTH, height)

    def x_of(value: Decimal | int) -> float:
        return label_width + plot_width * min(max(float(value), 0.0), 100.0) / 100

    for tick in (0, 25, 50, 75, 100):
        x = x_of(tick)
        drawing.add(Line(x, bottom, x, plot_top, strokeColor=NHS_PALE_GREY, strokeWidth=1))
        drawing.add(
            String(x, 4, str(tick), fontName=SANS, fontSize=8, fillColor=NHS_DARK_GREY,
                   textAnchor="middle")
        )  # fmt: skip
    values: list[tuple[float, float, str]] = []
    for position, domain in enumerate(domains):
        y = height - top - row * (position + 1)
        middle = y + row / 2 - 3
        lines = chart_label(domain.name, label_width - 10, size)
        first = middle + (size + 1) / 2 * (len(lines) - 1)
        for number, line in enumerate(lines):
            drawing.add(
                String(label_width - 8, first - number * (size + 1), line, fontName=SANS,
                       fontSize=size, fillColor=NHS_TEXT, textAnchor="end")
            )  # fmt: skip
        if domain.score is None:
            values.append((label_width + 5, middle, "no answers"))
            continue
        end = x_of(domain.score)
        drawing.add(
            Rect(label_width, y + 4, end - label_width, row - 8, fillColor=NHS_BLUE,
                 strokeColor=None)
        )  # fmt: skip
        values.append((end + 4, middle, display(domain.score)))
    settings = result.settings
    for value, label in (
        (settings.domain_cap_floor, f"{display(settings.domain_cap_floor)} floor"),
        (settings.lead_domain_floor, f"{display(settings.lead_domain_floor)} lead floor"),
    ):
        x = x_of(value)
        drawing.add(
            Line(x, bottom, x, plot_top, strokeColor=NHS_DARK_GREY, strokeWidth=1.2,
                 strokeDashArray=[4, 3])
        )  # fmt: skip
        drawing.add(
            String(x, plot_top + 4, label, fontName=SANS, fontSize=7.5,
                   fillColor=NHS_DARK_GREY, textAnchor="middle")
        )  # fmt: skip
    # The figures go on last, on a white ground, so a dashed line never runs through one.
    for x, y, text in values:
        width = stringWidth(text, SANS_BOLD, size)
        drawing.add(Rect(x - 1.5, y - 2.5, width + 3, size + 3, fillColor=white, strokeColor=None))
        drawing.add(String(x, y, text, fontName=SANS_BOLD, fontSize=size, fillColor=NHS_TEXT))
    return drawing


def domains(result: Result, peers: tuple[PeerPosition, ...] | None = None) -> list[Flowable]:
    scored = [domain for domain in result.domains if domain.scored]
    settings = result.settings
    if not scored:
        return [
            *heading("2. Scores by domain"),
            para("The questionnaire has no scored domain."),
        ]
    story = heading(
        "2. Scores by domain",
        domain_chart(scored, result),
        Spacer(1, 4),
        para(
            "Domain scores out of 100. The dashed lines mark the floors of the method: a "
            f"domain below {display(settings.domain_cap_floor)} caps the verdict at "
            f"\u201cat risk\u201d; every domain must reach {display(settings.lead_domain_floor)} "
            "for the trust to extend its reach.",
            SMALL,
        ),
    )
    story.append(Spacer(1, 2))
    rows = [
        [
            domain.name,
            display(domain.score) if domain.score is not None else "No answers",
            display(domain.weight),
            f"{display(domain.coverage)}%" if domain.coverage is not None else "\u2013",
        ]
        for domain in scored
    ]
    number = 30 * mm
    story.append(
        grid(
            ("Domain", "Score", "Weight", "Evidence covered"),
            rows,
            (CONTENT_WIDTH - 3 * number, number, number, number),
            numeric=(1, 2, 3),
        )
    )
    if result.dropped_domains:
        names = {domain.code: domain.name for domain in result.domains}
        dropped = ", ".join(names.get(code, code) for code in result.dropped_domains)
        story += [
            Spacer(1, 4),
            para(f"Left out of the index because nothing in them was answered: {dropped}."),
        ]
    if peers:
        story += subheading("Compared with other trusts")
        story.append(
            para(
                "Where each domain score falls among the latest results other trusts in the "
                "trust's systems have shared, on the same questionnaire. No trust is named.",
                SMALL,
            )
        )
        story += bullets((position.sentence for position in peers), BULLET_SMALL)
    return story


def timing(form: RankedForm) -> str:
    low, high = form.details.months_min, form.details.months_max
    if low is None:
        return "Not recorded"
    if high is None or high == low:
        return f"About {low} months"
    return f"{low} to {high} months"


def form_entry(form: RankedForm, result: Result, missing_section: str) -> list[Flowable]:
    """One form of the menu: its name, how well it fits and why kept together, and its
    risks, approvals and timing kept together, so a page can only break between the two."""
    story: list[Flowable] = [para(f"{form.rank}. {form.name}", FORM_HEADING)]
    fit = f"{fit_words(form.fit)} ({whole(form.fit)} out of 100)"
    if form.conditional:
        story.append(
            markup(
                f"<b>{escaped(fit)}</b>"
                f'&nbsp;&nbsp;<font name="{SANS_BOLD}" backColor="#FFB81C">&nbsp;To '
                "confirm&nbsp;</font>",
                FIT_LINE,
            )
        )
        for item in form.to_confirm:
            story.append(labelled("To confirm:", named(item.sentence, result), LABELLED_TIGHT))
            if item.on_verdict and item.missing:
                # The verdict's missing answers can be many: listed in their own section.
                count = len(item.missing)
                story += bullets(
                    (
                        f"{count} answer{'' if count == 1 else 's'} the verdict needs "
                        f"{'is' if count == 1 else 'are'} missing: see {missing_section}.",
                    ),
                    BULLET_SMALL,
                )
            else:
                story += bullets(
                    (f"{missing.text} ({missing.question})" for missing in item.missing),
                    BULLET_SMALL,
                )
    else:
        story.append(para(fit, FIT_BOLD))
    explanation = form.explanation
    story += bullets((reason_plain(reason) for reason in explanation.reasons), BULLET_SMALL)
    size = size_plain(form)
    if size:
        story += bullets((size,), BULLET_SMALL)
    # A form that weighs need, context and proportion in its own way says so (method
    # section 4); results stored before forms had their own coefficients say nothing.
    weighting = weighting_note_in(explanation.sentence)
    if weighting:
        story += bullets((weighting,), BULLET_SMALL)
    details = form.details
    reversibility = details.reversibility or "not recorded"
    facts = [
        Spacer(1, 2),
        labelled("Risks", details.risk_note or "None recorded.", DETAIL),
        labelled("Approvals", details.approvals or "None recorded.", DETAIL),
        labelled("Time to implement", timing(form), DETAIL),
        labelled("Reversibility", reversibility.capitalize(), DETAIL),
    ]
    return [KeepTogether(story), KeepTogether(facts)]


def menu(result: Result, missing_section: str) -> list[Flowable]:
    name = "3. The ranked menu of organisational forms"
    introduction = para(
        "Each form's fit, out of 100, weighs how well it answers the trust's needs, how well "
        "the local context suits it, and whether its size of change matches the need: 70 or "
        "more fits well, 50 or more fairly well, less than 50 poorly. Leadership, "
        "relationships and culture decide outcomes more than the form does: read the risks "
        "beside each. A form marked \u201cTo confirm\u201d keeps its place by fit, but a "
        "condition it needs cannot be judged until the board gives the missing answers "
        "listed with it."
    )
    if not result.ranking:
        return [
            *heading(name),
            introduction,
            para("No form could be ranked: every form is ruled out."),
        ]
    rows = [
        [
            str(form.rank),
            form.name + (" (to confirm)" if form.conditional else ""),
            fit_words(form.fit),
            display(form.fit),
        ]
        for form in result.ranking
    ]
    words, number = 34 * mm, 24 * mm
    summary = grid(
        ("Rank", "Form", "How well it fits", "Out of 100"),
        rows,
        (12 * mm, CONTENT_WIDTH - 12 * mm - words - number, words, number),
        numeric=(0, 3),
    )
    story = heading(name, introduction, summary)
    for form in result.ranking:
        story += form_entry(form, result, missing_section)
    return story


def ruled_out(forms: Sequence[RuledOutForm]) -> list[Flowable]:
    story = heading("4. Ruled out")
    if not forms:
        story.append(para("No form is ruled out."))
        return story
    story.append(para("These forms are not ranked, because a condition they need is not met."))
    story += [
        KeepTogether([para(form.name, BODY_BOLD), *bullets(form.reasons), Spacer(1, 3)])
        for form in forms
    ]
    return story


def capped(sentences: Sequence[str]) -> list[Flowable]:
    story = bullets(sentences[:SHOWN_CHANGES], BULLET_SMALL)
    if len(sentences) > SHOWN_CHANGES:
        story.append(para(f"And {len(sentences) - SHOWN_CHANGES} more.", SMALL))
    return story


def what_would_change(result: Result) -> list[Flowable]:
    """The single changed answers that would change the top form or the verdict, and what
    would lift or drop each leading form, each question named by its text."""
    sensitivity = result.sensitivity
    story = heading("5. What would change our recommendation")
    if sensitivity is None:
        story.append(para("This analysis was not run for this result."))
        return story
    summary = sensitivity.summary
    for item in sensitivity.displacing[:1]:
        summary = summary.replace(item.sentence, sentence_plain(item))
    story += [
        labelled(f"The top form is {sensitivity.stability}.", named(summary, result)),
        para(
            f"Each of {sensitivity.scenarios} single changed answers was tried on its own.", SMALL
        ),
    ]
    if sensitivity.displacing:
        story += subheading("Single answers that would change the top form, nearest first")
        story += capped([sentence_plain(item) for item in sensitivity.displacing])
    story += subheading("Single answers that would change the verdict, nearest first")
    if sensitivity.verdict_changes:
        story += capped([sentence_plain(item) for item in sensitivity.verdict_changes])
    else:
        story.append(para("No single changed answer would change the verdict."))
    for form in sensitivity.forms:
        part: list[Flowable] = [para(f"What would lift or drop {form.name}", H2)]
        if form.lifts:
            part.append(para("Would raise its fit:", BODY_TIGHT))
            part += bullets((sentence_plain(change) for change in form.lifts), BULLET_SMALL)
        if form.drops:
            part.append(para("Would lower its fit, or rule it out:", BODY_TIGHT))
            part += bullets((sentence_plain(change) for change in form.drops), BULLET_SMALL)
        if not form.lifts and not form.drops:
            part.append(para("No single changed answer moves its fit."))
        story.append(KeepTogether(part))
    return story


def since_last_time(since: SinceLastTime | None, number: int) -> list[Flowable]:
    """What changed since the trust's previous submitted assessment: the verdict, the index,
    each domain, and the forms that moved in the ranking."""
    if since is None:
        return []
    story = heading(
        f"{number}. Since the last assessment",
        para(
            "Compared with the trust's previous submitted assessment, for "
            f"{since.period}, which has not been withdrawn."
        ),
        para(since.verdict_sentence, BODY_BOLD),
        para(since.index_sentence),
    )
    if since.domains:
        story += subheading("By domain, out of 100")
        story += bullets((move.sentence for move in since.domains), BULLET_SMALL)
    story += subheading("Forms that moved in the ranking")
    if since.forms:
        story += bullets((move.sentence for move in since.forms), BULLET_SMALL)
    else:
        story.append(para("No form among the top five moved in the ranking."))
    return story
