"""The scoring engine: from a board's answers to a verdict and a ranked, explained menu.

The method (method.md). Every scored answer resolves to a level from 1 (serious concern)
to 4 (strong): through the option chosen, the scale level, the yes/no answer, or, for a
number, the first of its ordered bands that matches (`min` needs value >= min, `max`
needs value <= max, a band with neither catches the rest). A level scores
(level - 1) / 3 x 100. A domain scores the weighted mean of its answered questions;
its coverage is answered weight over applicable weight ("not applicable" leaves a
question out of both, "don't know" and unanswered only out of the score). The
sustainability index is the weighted mean of the scored domains that have a score. The
index band gives the verdict (70 or more with every scored domain at 50 or more and no
critical answer: sustainable-lead; 55: sustainable-collaborate; 40: at-risk; below:
unsustainable); caps can only make it worse (a scored domain under 25: at-risk; each
critical answer: its own cap; two or more critical answers: unsustainable), and the
result names the rule that decided it. Below 60% coverage the verdict is provisional.
Each organisational form then gets Fit = 100 x (0.55 NeedMatch + 0.25 ContextMatch +
0.20 Proportion): how well the trust's domain scores and context answers match what the
form answers or needs, and how well the size of the change matches the trust's need
(1 - index / 100). Forms with an unmet prerequisite are ruled out and listed with every
reason; the rest are ranked, explained by their three largest contributions, and tested
by sensitivity: every other answer each answered question could take is tried, to show
whether the top form is robust or fragile and what would lift or drop each of the top
three. Several members' answers are combined question by question into a default agreed
answer (`consensus`). All thresholds and coefficients are `MethodSettings`.

The engine is pure Python: no Django, no settings, no clock, no database. Frozen
dataclasses go in (`Questionnaire`, `Catalogue`, `MethodSettings`, `Answer`) and come out
(`Result`); `result_to_dict` and `result_from_dict` store a Result as JSON and read it
back exactly. Typical use::

    questionnaire, catalogue = definitions_from_seed(questionnaire_dict, catalogue_dict)
    answers = parse_answers(questionnaire, {"QUAL-1": "good", "FIN-1": 0.2, ...})
    result = evaluate(questionnaire, catalogue, MethodSettings(), answers)

Where each rule lives: answers.py (parsing, validation, wording of answers), levels.py
(bands, critical signals, regions of a number), scenario.py (domain scores, coverage,
index), verdict.py (bands, caps, the deciding rule), fit.py (fit terms, prerequisites,
ranking), explain.py, sensitivity.py, consensus.py, serialise.py, checks.py (what makes
definitions unusable), seed.py (definitions from the seed dicts), engine.py (`evaluate`).

Choices made where method.md is silent
--------------------------------------
Arithmetic. Decimal throughout, in a 40-digit context set by `evaluate` (so a caller's
context never changes a result). Each derived value is rounded once, to 20 decimal
places, after its one division; sums of weights and of weight x value are exact (weights,
intensities and coefficients are limited to six decimal places), so the order in which
answers or forms arrive cannot change a digit. The index and the overall coverage are
computed as exact fractions and rounded once, so an index exactly on a threshold (70, 55,
40) meets it. Values are rounded only for display: one decimal place, half up
(`display`); the ranking compares fits rounded the same way. A value just under a
threshold is never displayed as the threshold itself in a rule ("69.99 is below 70").

Coverage. The overall coverage is the domain-weighted mean of the coverage of the scored
domains that have an applicable question, since question weights only mean something
inside their domain. Profile questions never count towards coverage; context domains
have a coverage of their own but do not enter the overall figure.

No evidence. With no scored answer at all there is no index: the verdict band is at-risk
(a trust cannot be judged sustainable without evidence, and it is provisional), and the
proportion term is a neutral 0.5, as NeedMatch and ContextMatch are when nothing counts.

The deciding rule. When the worst cap is worse than the index band, that cap decided the
verdict; otherwise the index did, even if a cap would have given the same verdict. Among
caps of the same verdict the first named is: critical answers in questionnaire order,
then the count of critical answers, then domain floors. "No trigger" in the lead band
means no critical answer. Critical number rules are strict: `below: -5` fires at -5.01,
not at -5.

Profiles. A question with `applies_to` counts as not applicable (status
"not-applicable", out of every denominator) when a profile question offering those values
is answered with a value outside the list; while the profile is unanswered every question
applies. The answer given is kept in the result.

Yes/no questions are two options valued "yes" and "no", each with its level and critical
rule; bare YAML booleans are read as yes and no.

Prerequisites and missing evidence (fit.py, confirm.py). A prerequisite is met, unmet or
unconfirmed. It is unconfirmed when its question is unanswered or "don't know", or, for a
prerequisite on the verdict, when the verdict is provisional. A form is ruled out only by an
unmet prerequisite, and is then listed with every unmet reason. A form with an unconfirmed
prerequisite keeps its place by fit, marked "to confirm" (`RankedForm.conditional`), and
`RankedForm.to_confirm` lists, for each unconfirmed prerequisite, the missing answers that
would confirm it or rule the form out: the question itself, or for the verdict the missing
scored answers that make it provisional. Missing evidence never moves a form: a board is
neither told a form is impossible on it nor shown a weaker form above a stronger one.
"Not applicable" is a definite answer: it meets an `in` list only if the list names "na"
and never meets `min_level`.

Ranking. Fit rounded to one decimal, highest first; then integration level, lowest first;
then slug; whether a form is to confirm plays no part. The top form (explanations,
sensitivity) is the first of that ranking. Ruled-out forms are listed by integration level,
then slug, with the fit they would have had.

Explanations (explain.py). An item's contribution is coefficient x normalised weight x
match x 100 points of fit, which is never negative; whether it pushed the form up or down
is measured from a neutral match of 0.5, and the three items with the largest such effect
explain the form (equal effects: need before context, then catalogue order). Items
without a value are listed as skipped. The top form's explanation adds the proportion
term: the change "matches" the need when intensity and need are within 0.1 of each other,
and is otherwise "larger" or "smaller" than it.

Sensitivity (sensitivity.py). Tried for every answered question not left out by the
profile, except a fact of the trust's nature (`changeable` fixed, method section 10: in
version 1 its type, the population it serves and its geographic isolation, which no board
can change): every other option or level, "not applicable" where allowed, every other profile
value, and for a number one value from each other region of its range, a region being a
stretch with one level and one critical signal (so FIN-1 "under -5" and "from -5 to
under -1" are two answers). The value stands for the whole region, is the region's
lowest band edge or bound where it has one, and is described by the region ("If FIN-5
were under -14 days of operating cost instead of 2 days of operating cost"). Distance is
the difference in level (options, scales; at least 1) or the number of regions crossed
(numbers); changes to or from "not applicable" and profile changes have no distance and
come after the rest. The top form is fragile when any change puts another form first or
leaves none. For each of the top three forms the three largest rises and the three
largest falls in fit are reported, changes that would rule the form out first among the
falls. Changes with the same effect (the same domain sums, on a question that feeds no
context item, prerequisite or critical rule) share one computation, and every change
goes through the same functions as a fresh evaluation, so what sensitivity reports is
what evaluating the changed answers would give. A change to an `external` question is
marked `outside_control` and its description ends "(outside the trust's control)", so
every sentence built on it, and every page, paper and export that shows one, says so.

Several members (consensus.py). Members' definite answers are ordered worst first (by
level, a critical answer before a non-critical one, then option order or value), and the
default agreed answer is the middle one, the lower middle for an even count: so for a
number it is always a figure a member gave, in the median band. "Don't know" is left out
of the median and counted; it is the agreed answer only when every member who answered
gave it. "Not applicable" is agreed only when most members with a definite answer said
so, and any mix of not applicable and levels is divergent. A profile takes the most
common value (the earlier option on a tie) and any disagreement is divergent. Spread is
the highest level minus the lowest; `divergence_spread` or more is divergent.

Answers (answers.py). Option values match exactly, then ignoring case, then by label
(so exports that carry labels import back); numbers accept numeric text and floats (read
through their shortest decimal form, 0.2 not 0.2000000000000000111); scales accept whole
numbers 1 to 4; "dk" and "na" are keywords; None or empty text means unanswered.
Validation returns every problem, each saying how to fix it.

Definitions (checks.py). A number's last band must catch all values, so every number has a
level; fit coefficients must add up to 1, keeping every fit between 0 and 100; index
thresholds must rise from at-risk to lead; every problem is reported at once.

Personas. The three personas meet their expectations under the reference method as
written, so no change to the method was needed.

Storage (serialise.py). A stored result carries `format_version` and is read strictly:
a missing or unknown key or a value of the wrong type is an error, never a silent change.
Results of format 1 (before `to_confirm`) keep the ranking they were stored with, in which
forms to confirm came after every confirmed form; their `to_confirm` lists are rebuilt from
the stored checks and missing evidence. Results of format 1 or 2 (before changes were
marked `outside_control`) read every change as unmarked, as they were shown on the day.
"""

from __future__ import annotations

from .answers import (
    DK,
    GIVEN,
    NA,
    Answer,
    AnswerValidation,
    InvalidAnswers,
    Problem,
    answer_label,
    parse_answer,
    parse_answers,
    validate_answers,
)
from .checks import DefinitionError, check_definitions
from .consensus import Consensus, QuestionConsensus, consensus
from .decimals import display
from .definitions import (
    VERDICT_LABELS,
    VERDICTS,
    Band,
    Catalogue,
    ContextWeight,
    CriticalTrigger,
    Domain,
    DomainWeight,
    Example,
    Form,
    MethodSettings,
    Option,
    Prerequisite,
    Question,
    Questionnaire,
)
from .engine import evaluate
from .result import (
    AnswerChange,
    Cap,
    Displacement,
    DomainResult,
    Explanation,
    FitChange,
    FormDetails,
    FormSensitivity,
    MissingEvidence,
    PrerequisiteCheck,
    QuestionResult,
    RankedForm,
    Reason,
    Result,
    RuledOutForm,
    Sensitivity,
    ToConfirm,
    Trigger,
    Verdict,
    VerdictChange,
)
from .seed import definitions_from_seed, questionnaire_from_seed
from .serialise import result_from_dict, result_to_dict

__all__ = [
    "DK",
    "GIVEN",
    "NA",
    "VERDICTS",
    "VERDICT_LABELS",
    "Answer",
    "AnswerChange",
    "AnswerValidation",
    "Band",
    "Cap",
    "Catalogue",
    "Consensus",
    "ContextWeight",
    "CriticalTrigger",
    "DefinitionError",
    "Displacement",
    "Domain",
    "DomainResult",
    "DomainWeight",
    "Example",
    "Explanation",
    "FitChange",
    "Form",
    "FormDetails",
    "FormSensitivity",
    "InvalidAnswers",
    "MethodSettings",
    "MissingEvidence",
    "Option",
    "Prerequisite",
    "PrerequisiteCheck",
    "Problem",
    "Question",
    "QuestionConsensus",
    "QuestionResult",
    "Questionnaire",
    "RankedForm",
    "Reason",
    "Result",
    "RuledOutForm",
    "Sensitivity",
    "ToConfirm",
    "Trigger",
    "Verdict",
    "VerdictChange",
    "answer_label",
    "check_definitions",
    "consensus",
    "definitions_from_seed",
    "display",
    "evaluate",
    "parse_answer",
    "parse_answers",
    "questionnaire_from_seed",
    "result_from_dict",
    "result_to_dict",
    "validate_answers",
]
