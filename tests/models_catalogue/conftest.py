from __future__ import annotations

import pytest

from assessment.scoring import definitions as d
from assessment.services.published import questionnaire_published_definition


@pytest.fixture
def questionnaire(db: None) -> d.Questionnaire:
    """The published questionnaire, which the catalogue's callers pass to its checks."""
    definition = questionnaire_published_definition()
    assert definition is not None
    return definition
