"""Writes, and the bridge between the ORM and the engine. Views call these; they call the
selectors to read and the engine to score, and write inside transactions."""

from __future__ import annotations

from assessment.services.accounts import (
    DEMO_ACCOUNTS,
    DEMO_ADMIN,
    DEMO_TRUST,
    DemoAccount,
    demo_setup,
    membership_ensure,
    user_ensure,
)
from assessment.services.questionnaires import (
    questionnaire_create,
    questionnaire_new_draft,
    questionnaire_problems,
    questionnaire_publish,
    questionnaire_seed_load,
)
from assessment.services.scoring import (
    Definitions,
    answers_evaluate,
    definitions_load,
    definitions_published,
)

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_ADMIN",
    "DEMO_TRUST",
    "Definitions",
    "DemoAccount",
    "answers_evaluate",
    "definitions_load",
    "definitions_published",
    "demo_setup",
    "membership_ensure",
    "questionnaire_create",
    "questionnaire_new_draft",
    "questionnaire_problems",
    "questionnaire_publish",
    "questionnaire_seed_load",
    "user_ensure",
]
