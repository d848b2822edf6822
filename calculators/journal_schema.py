"""The journal's JSON Schema (draft 2020-12), made from the constants of `journal_format` and
`inputs`, so the schema and the parser cannot drift apart (a test checks them on fixtures).

The schema says what a file's shape is. What needs the handbook's content (which condition
slugs, red-flag ids and signs exist, whether a family asks about pain) or compares parts of a
file (one entry a day, `active` names a recovery, real calendar dates) is the parser's alone.
"""

from __future__ import annotations

from typing import Any

from calculators import inputs
from calculators import journal_format as jf

SCHEMA_ID = "https://runners-injury-handbook.invalid/schema/journal.schema.json"
"""A name, not an address to fetch: nothing is ever downloaded (the site publishes the file
at `schema/journal.schema.json`)."""
DATE = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "format": "date"}
UPDATED = {"type": "string", "pattern": f"^{jf.UPDATED_PATTERN}$"}
NAMES = {"type": "array", "items": {"type": "string"}}


def _whole(low: float, high: float) -> dict[str, Any]:
    return {"type": "integer", "minimum": low, "maximum": high}


def _number(low: float, high: float) -> dict[str, Any]:
    return {"type": "number", "minimum": low, "maximum": high}


def _plan() -> dict[str, Any]:
    """The return_to_run_plan payload, field for field."""
    properties: dict[str, Any] = {
        "condition": {"type": "string"},
        "days_since_stopped": _whole(*inputs.DAYS_OFF_RANGE),
        "walk_test_passed": {"type": "boolean"},
        "hop_test_passed": {"type": ["boolean", "null"]},
        "pre_injury_minutes_per_week": _whole(*inputs.MINUTES_RANGE),
        "pre_injury_km_per_week": _number(*inputs.KM_RANGE),
        "easy_pace_min_per_km": _number(*inputs.PACE_RANGE),
        "pre_injury_runs_per_week": _whole(*inputs.RUNS_RANGE),
        "running_days_per_week": _whole(*inputs.DAYS_RANGE),
        "start_date": DATE,
        "goal_race_date": {"anyOf": [DATE, {"type": "null"}]},
        "goal_race_km": {"anyOf": [_number(*inputs.RACE_KM_RANGE), {"type": "null"}]},
        "today_colour": {"enum": ["green", "amber", "red"]},
        "today_urgency": {"enum": ["soon", "same_day", "emergency", None]},
        "red_flags": NAMES,
        "fracture_site": {"type": ["string", "null"]},
    }
    assert set(properties) == set(inputs.PLAN_FIELDS)
    return {
        "type": "object",
        "description": "Exactly the return_to_run_plan payload the set-up sent.",
        "required": ["condition", "start_date"],
        "properties": properties,
        "additionalProperties": False,
    }


def _entry() -> dict[str, Any]:
    pain = {**_whole(*inputs.PAIN_RANGE), "description": "0 = no pain, 10 = worst imaginable"}
    properties: dict[str, Any] = {
        "date": {**DATE, "description": "The device's local calendar date."},
        "updated": {**UPDATED, "description": "When last changed, UTC; merges keep the newer."},
        "pain_morning": pain,
        "pain_during": pain,
        "pain_after": pain,
        "red_flags": NAMES,
        "signs": NAMES,
        "done": {"enum": list(jf.DONE)},
        "minutes": _whole(*jf.MINUTES_RANGE),
        "sleep_hours": _number(*jf.SLEEP_RANGE),
        "swelling": {"enum": list(jf.SWELLING)},
        "mood": _whole(*jf.MOOD_RANGE),
        "notes": {"type": "string", "maxLength": jf.MAX_NOTES_CHARS},
    }
    assert set(properties) == set(jf.ENTRY_FIELDS)
    with_session = {"required": ["done"], "properties": {"done": {"enum": list(jf.SESSION_DONE)}}}
    return {
        "type": "object",
        "required": ["date", "updated"],
        "properties": properties,
        "additionalProperties": False,
        "dependentSchemas": {
            "pain_during": with_session,
            "pain_after": with_session,
            "minutes": {"required": ["done"]},
        },
        "allOf": [
            {
                "if": {"required": ["done"], "properties": {"done": {"enum": ["less", "more"]}}},
                "then": {"required": ["minutes"]},
            },
            {
                "if": {"required": ["done"], "properties": {"done": {"const": "skipped"}}},
                "then": {"properties": {"minutes": {"const": 0}}},
            },
        ],
    }


def journal_schema() -> dict[str, Any]:
    """The JSON Schema of a version-{VERSION} journal file."""
    recovery = {
        "type": "object",
        "required": list(jf.RECOVERY_FIELDS),
        "properties": {
            "id": {"type": "string", "pattern": f"^{jf.ID_PATTERN}$"},
            "condition": {"type": "string", "description": "A condition slug of the handbook."},
            "created": DATE,
            "plan": {"$ref": "#/$defs/plan"},
            "entries": {
                "type": "array",
                "maxItems": jf.MAX_ENTRIES,
                "items": {"$ref": "#/$defs/entry"},
            },
        },
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Runner's Injury Handbook recovery journal",
        "description": (
            "A recovery journal as the handbook's app exports it. Older versions are migrated "
            "by the app; this schema describes the current version."
        ),
        "type": "object",
        "required": ["format", "version", "active", "recoveries"],
        "properties": {
            "format": {"const": jf.FORMAT},
            "version": {"const": jf.VERSION},
            "active": {
                "anyOf": [{"type": "string", "pattern": f"^{jf.ID_PATTERN}$"}, {"type": "null"}]
            },
            "exported": UPDATED,
            "recoveries": {
                "type": "array",
                "maxItems": jf.MAX_RECOVERIES,
                "items": {"$ref": "#/$defs/recovery"},
            },
        },
        "additionalProperties": False,
        "$defs": {"recovery": recovery, "plan": _plan(), "entry": _entry()},
    }
