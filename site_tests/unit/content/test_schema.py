"""The editor JSON Schemas are generated from the model and must never drift from it."""

from __future__ import annotations

import json

from macros.content.schema import SCHEMA_DIR, expected_schemas


def test_committed_schemas_match_the_model() -> None:
    """Run `python -m macros schema` after changing macros/content/model.py; this test says so."""
    for name, text in expected_schemas().items():
        committed = (SCHEMA_DIR / name).read_text(encoding="utf-8")
        assert committed == text, f"{name} is stale: run `.venv/bin/python -m macros schema`"


def test_condition_schema_refuses_unknown_keys_and_requires_red_flags() -> None:
    """Editors flag a typo as they type, exactly as the linter's HB104 does."""
    schema = json.loads(expected_schemas()["condition.schema.json"])
    assert schema["additionalProperties"] is False
    assert "red_flags" in schema["required"]
    assert "last_reviewed" in schema["required"]
