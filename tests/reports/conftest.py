"""The papers are drawn for the same board the journey tests use (tests/assessment)."""

from __future__ import annotations

import pytest

from assessment.models import Membership
from tests.assessment.conftest import assessment, board, trust, trust_lead

__all__ = ["assessment", "board", "lead", "trust", "trust_lead"]


@pytest.fixture
def lead(trust_lead: Membership) -> Membership:
    return trust_lead
