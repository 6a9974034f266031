"""The system paper (PDF) and the CSV export of the system view, built from the same
`SystemReview` as the page, with the board paper's marking and conventions."""

from __future__ import annotations

from systems.reports.exports import system_csv
from systems.reports.paper import system_paper_pdf

__all__ = ["system_csv", "system_paper_pdf"]
