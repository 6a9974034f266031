"""Write cqc-ratings-directory.xlsx, the sample CQC ratings file the dataset tests read.

Run from the project root to regenerate it: `.venv/bin/python
tests/assessment/data/make_cqc_sample.py`.

CQC's monthly "Latest ratings" file (an .ods with a Locations and a Providers sheet) is
long: one row for each provider, service or population group and key question, with
the key question in a Domain column (Overall, Safe, Effective, Caring, Responsive,
Well-led) and the rating in Latest Rating. An NHS trust's own ratings are its rows whose
Service / Population Group is "Overall". This sample is those rows for a few providers,
turned wide in a spreadsheet (one column for each Domain value) and saved as .xlsx, as
an admin would prepare it. The descriptive headings are the Providers sheet's own. The
trusts and their codes are real; the ratings and dates are illustrative, not CQC's.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HEADINGS = [
    "Provider ID",
    "Provider ODS Code",
    "Provider Name",
    "Provider Type",
    "Provider Primary Inspection Category",
    "Provider Region",
    "Publication Date",
    "Overall",
    "Safe",
    "Effective",
    "Caring",
    "Responsive",
    "Well-led",
    "URL",
]

NHS = "NHS Healthcare Organisation"
ACUTE = "Acute hospital - NHS non-specialist"
GOOD = "Good"
RI = "Requires improvement"
OUTSTANDING = "Outstanding"
INADEQUATE = "Inadequate"

# Provider ID, ODS code, name, type, category, region, published, then the six ratings.
PROVIDERS = [
    ("RRK", "RRK", "University Hospitals Birmingham NHS Foundation Trust", NHS, ACUTE,
     "Midlands", datetime(2024, 6, 19), RI, RI, GOOD, GOOD, RI, RI),
    ("RJ1", "RJ1", "Guy's and St Thomas' NHS Foundation Trust", NHS, ACUTE,
     "London", datetime(2023, 11, 8), GOOD, RI, GOOD, OUTSTANDING, GOOD, GOOD),
    ("RTH", "RTH", "Oxford University Hospitals NHS Foundation Trust", NHS, ACUTE,
     "South East", datetime(2024, 2, 28), GOOD, GOOD, GOOD, OUTSTANDING, RI, GOOD),
    ("RXN", "RXN", "Lancashire Teaching Hospitals NHS Foundation Trust", NHS, ACUTE,
     "North West", datetime(2023, 5, 17), RI, RI, RI, GOOD, RI, RI),
    ("R0A", "R0A", "Manchester University NHS Foundation Trust", NHS, ACUTE,
     "North West", datetime(2024, 9, 4), RI, INADEQUATE, RI, GOOD, RI, RI),
    ("RGT", "RGT", "Cambridge University Hospitals NHS Foundation Trust", NHS, ACUTE,
     "East of England", datetime(2022, 12, 7), GOOD, GOOD, GOOD, OUTSTANDING, GOOD, GOOD),
    ("RA7", "RA7", "University Hospitals Bristol and Weston NHS Foundation Trust", NHS, ACUTE,
     "South West", datetime(2023, 8, 2), OUTSTANDING, GOOD, OUTSTANDING, OUTSTANDING,
     GOOD, OUTSTANDING),
    ("RTD", "RTD", "The Newcastle upon Tyne Hospitals NHS Foundation Trust", NHS, ACUTE,
     "North East and Yorkshire", datetime(2025, 6, 11), RI, RI, GOOD, GOOD, GOOD, INADEQUATE),
    # Providers outside the NHS have a CQC ID and no ODS code; the reader skips them.
    ("1-101641521", "", "Example Care Homes Limited", "Social Care Org",
     "Residential social care", "South West", datetime(2024, 3, 12), GOOD, GOOD, GOOD,
     GOOD, GOOD, GOOD),
    ("1-102643087", "", "Example Independent Hospitals Limited", "Independent Healthcare Org",
     "Independent hospital", "London", datetime(2023, 10, 25), GOOD, RI, GOOD, GOOD,
     GOOD, GOOD),
]  # fmt: skip

OUTPUT = Path(__file__).with_name("cqc-ratings-directory.xlsx")


def build(path: Path = OUTPUT) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Providers"
    sheet.append(HEADINGS)
    for provider_id, ods, name, kind, category, region, published, *ratings in PROVIDERS:
        sheet.append(
            [
                provider_id,
                ods,
                name,
                kind,
                category,
                region,
                published,
                *ratings,
                f"https://www.cqc.org.uk/provider/{provider_id}",
            ]
        )
    for row in sheet.iter_rows(min_row=2, min_col=7, max_col=7):
        for cell in row:
            cell.number_format = "dd/mm/yyyy"
    workbook.save(path)
    return path


if __name__ == "__main__":
    build()
