"""Reads shaped for pages and for the engine, each in a fixed number of queries."""

from __future__ import annotations

from assessment.selectors.accounts import memberships_for_user
from assessment.selectors.journey import (
    BoardMember,
    BoardProgress,
    ConsensusRow,
    HomeAssessment,
    MemberAnswer,
    SectionStatus,
    StoredAnswer,
    agreed_rows,
    answers_of,
    assessment_for_user,
    assessments_for_home,
    board_progress,
    engine_answers,
    is_lead,
    member_values,
    organisation_for_user,
    pinned_for,
    respondent_for,
    section_statuses,
    submissions_for,
)
from assessment.selectors.questionnaires import (
    PinnedQuestionnaire,
    questionnaire_definition,
    questionnaire_pinned,
    questionnaire_published,
    questionnaire_published_or_none,
)

__all__ = [
    "BoardMember",
    "BoardProgress",
    "ConsensusRow",
    "HomeAssessment",
    "MemberAnswer",
    "PinnedQuestionnaire",
    "SectionStatus",
    "StoredAnswer",
    "agreed_rows",
    "answers_of",
    "assessment_for_user",
    "assessments_for_home",
    "board_progress",
    "engine_answers",
    "is_lead",
    "member_values",
    "memberships_for_user",
    "organisation_for_user",
    "pinned_for",
    "questionnaire_definition",
    "questionnaire_pinned",
    "questionnaire_published",
    "questionnaire_published_or_none",
    "respondent_for",
    "section_statuses",
    "submissions_for",
]
