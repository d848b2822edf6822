"""Publishes the recovery journal's JSON Schema in the built site, beside the app's export.

The staging step writes `journal_schema_text()` into the staged pages as a static file, so
every generator publishes it; the schema itself is made by `calculators.journal_schema` from
the journal format's own constants.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath

from calculators.journal_schema import journal_schema

SCHEMA_PATH = PurePosixPath("schema") / "journal.schema.json"
"""Where the schema lives in the site: /schema/journal.schema.json."""


def journal_schema_text() -> str:
    """Stable text: sorted keys and a trailing newline, so two builds are byte-identical."""
    return json.dumps(journal_schema(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
