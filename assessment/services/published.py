"""The questionnaire new assessments use, for other apps.

The catalogue checks and labels the question codes it is given. Its admin, its pages and
its import command are where it is given them: they call this, and receive the engine's
plain definition rather than reaching into this app's models or selectors.
"""

from __future__ import annotations

from assessment import selectors
from assessment.scoring import definitions as d


def questionnaire_published_definition() -> d.Questionnaire | None:
    """The published questionnaire as the engine reads it, or None when none is published.
    Read from the database once per published version (see `questionnaire_pinned`)."""
    version = selectors.questionnaire_published_or_none()
    if version is None:
        return None
    return selectors.questionnaire_pinned(version).definition
