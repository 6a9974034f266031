"""The board paper's cover sheet: what an NHS board paper carries before its content
(meeting, date, agenda item, title, report of, prepared by, purpose, recommendation, what
the board is asked to do, links to strategic objectives and the board assurance framework,
risks). The lead fills it in when submitting; these are the defaults the form starts with.
"""

from __future__ import annotations

import datetime
from typing import Any

from assessment.models import Assessment
from assessment.scoring.definitions import AT_RISK, SUSTAINABLE_COLLABORATE, SUSTAINABLE_LEAD
from assessment.scoring.result import Result
from assessment.scoring.summary import first_sentence

PURPOSES = {
    "decision": "For decision",
    "assurance": "For assurance",
    "information": "For information",
}
MEETING = "Board of directors, meeting in public"
BOARD_ASKED_TO = (
    "Note the verdict and the rule that decided it; discuss the three best-fitting "
    "organisational forms and their risks; note where board members' views differed and the "
    "rationale the board recorded; and agree the recommendation and the next steps."
)


def _names(result: Result, count: int) -> str:
    names = [form.name for form in result.ranking[:count]]
    if not names:
        return "the forms the catalogue suggests"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def recommendation_default(result: Result) -> str:
    verdict = result.verdict.code
    if verdict == SUSTAINABLE_LEAD:
        return (
            "The trust is sustainable and in a position to extend its reach. The board should "
            f"consider how it could support other providers, starting with {_names(result, 1)}."
        )
    if verdict == SUSTAINABLE_COLLABORATE:
        return (
            "The trust is sustainable but should strengthen its position through collaboration. "
            f"The board should explore {_names(result, 2)} with its partners."
        )
    if verdict == AT_RISK:
        return (
            "The trust's present way of working is at risk. The board should start an "
            f"appraisal of alternative organisational forms now, beginning with "
            f"{_names(result, 3)}."
        )
    return (
        "The trust is not sustainable in its present form. The board should commission an "
        f"options appraisal of alternative organisational forms, beginning with "
        f"{_names(result, 3)}, and discuss it with the integrated care board and NHS England."
    )


def paper_defaults(*, assessment: Assessment, result: Result, user: Any) -> dict[str, Any]:
    name = user.get_full_name() or user.get_username()
    risk = first_sentence(result.ranking[0].details.risk_note) if result.ranking else ""
    return {
        "meeting": MEETING,
        "meeting_date": datetime.date.today(),
        "agenda_item": "",
        "title": f"Assessment of the trust's sustainability, {assessment.reporting_period}",
        "report_of": name,
        "prepared_by": name,
        "purpose": "decision",
        "recommendation": recommendation_default(result),
        "board_asked_to": BOARD_ASKED_TO,
        "strategic_objectives": "",
        "assurance_framework": "",
        "risks": f"The leading option's main risk: {risk[:1].lower()}{risk[1:]}" if risk else "",
    }


def paper_stored(cleaned: dict[str, Any]) -> dict[str, str]:
    """The form's values as the submission stores them: text, the date as ISO 8601."""
    stored = {}
    for key, value in cleaned.items():
        stored[key] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return stored
