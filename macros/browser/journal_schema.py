"""Publishes the recovery journal's JSON Schema in the built site, beside the app's export.

The build calls `write_journal_schema(site_dir)` once the pages are written; the schema
itself is made by `calculators.journal_schema` from the journal format's own constants.
"""

from __future__ import annotations

import json
from pathlib import Path

from calculators.journal_schema import journal_schema

SCHEMA_PATH = Path("schema") / "journal.schema.json"
"""Where the schema lives in the site: /schema/journal.schema.json."""


def journal_schema_text() -> str:
    """Stable text: sorted keys and a trailing newline, so two builds are byte-identical."""
    return json.dumps(journal_schema(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write_journal_schema(site_dir: Path) -> Path:
    """Write the schema into `site_dir` and return its path."""
    target = site_dir / SCHEMA_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(journal_schema_text(), encoding="utf-8")
    return target
