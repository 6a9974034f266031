"""The project's copies of the 2026 edition are the shared domain files, byte for byte: the
field-by-field tests of version 2 read the copies, so this ties them to the source. Where
the shared folder is not beside the project (a clone on its own), there is nothing to
compare with, and the test says so."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "domain"
COPIES = [
    ("questionnaire-v2.yaml", "assessment/seed/questionnaire-v2.yaml"),
    ("catalogue-v2.yaml", "models_catalogue/seed/catalogue-v2.yaml"),
    *(
        (f"personas-v2/{name}", f"tests/personas/v2/{name}")
        for name in (
            "collaborative-mid-2026.yaml",
            "community-trust-integration-2026.yaml",
            "outstanding-iho-ready.yaml",
            "segment5-deep-deficit.yaml",
        )
    ),
]


@pytest.mark.parametrize(("shared", "copy"), COPIES, ids=[copy for _, copy in COPIES])
def test_the_copy_is_the_shared_file(shared: str, copy: str) -> None:
    source = SHARED / shared
    if not source.exists():
        pytest.skip(f"{SHARED} is not beside the project, so {copy} cannot be compared")
    assert (ROOT / copy).read_bytes() == source.read_bytes()
