"""The journal fixture files (site_tests/calculators/journal/), shared with the app's tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

JOURNAL_DIR = Path(__file__).resolve().parent / "journal"


def fixture(name: str) -> Any:
    return json.loads((JOURNAL_DIR / name).read_text(encoding="utf-8"))


def valid_names() -> list[str]:
    return sorted(p.name for p in JOURNAL_DIR.glob("valid-*.json"))


def invalid_names() -> list[str]:
    return sorted(
        p.name for p in (JOURNAL_DIR / "invalid").glob("*.json") if p.name != "expected.json"
    )


def expected_errors() -> dict[str, list[str]]:
    """invalid fixture -> the error fields it must give, in order."""
    data: dict[str, list[str]] = json.loads(
        (JOURNAL_DIR / "invalid" / "expected.json").read_text(encoding="utf-8")
    )
    return data
