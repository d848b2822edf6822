"""A small catalogue for unit tests: two families, one short protocol, four conditions.

Deliberately not the real content, so engine tests do not change when the handbook does.
It is validated with the same pydantic models as the content (test_calc_fixtures.py).
"""

from __future__ import annotations

import copy
from typing import Any

from calculators.catalogue import Catalogue, load_catalogue

SOURCE = {"reference": "ref-a", "grade": "C", "note": None}


def _rule(
    rule_id: str,
    when: dict[str, Any],
    colour: str,
    step: str,
    *,
    levels: int = 0,
    urgency: str | None = None,
) -> dict[str, Any]:
    return {
        "id": rule_id,
        "when": {"measure": None, "above": None, "sign": None, "trend": None, **when},
        "colour": colour,
        "next_step": step,
        "levels": levels,
        "urgency": urgency,
        "reason": f"Because of {rule_id}.",
        "reference": "ref-a",
        "grade": "C",
    }


def _zone(
    colour: str,
    step: str,
    *,
    levels: int = 0,
    urgency: str | None = None,
    source: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "colour": colour,
        "next_step": step,
        "levels": levels,
        "urgency": urgency,
        "reason": f"Zone {colour}.",
        "source": source,
    }


def _ceiling(
    above: int, colour: str, step: str, *, levels: int = 0, urgency: str | None = None
) -> dict[str, Any]:
    return {
        "above": above,
        "colour": colour,
        "next_step": step,
        "levels": levels,
        "urgency": urgency,
        "reason": f"Over {above}.",
        "reference": "ref-a",
        "grade": "C",
        "note": None,
    }


def _advice(action: str, levels: int = 0) -> dict[str, Any]:
    return {
        "action": action,
        "levels": levels,
        "text": f"After: {action}.",
        "reference": "ref-a",
        "grade": "C",
    }


PAIN_FAMILY: dict[str, Any] = {
    "name": "Fixture pain family",
    "summary": "Safe up to 2, acceptable up to 5, red above.",
    "answer_style": "scale",
    "asks_pain": True,
    "signs": ["sharp_or_stabbing", "swelling"],
    "pain_zones": {
        "measure": "peak_pain",
        "options": [
            {
                "key": "two",
                "safe_max": 2,
                "acceptable_max": 5,
                "as_published": "0-2 safe.",
                "reference": "ref-a",
                "grade": "C",
            },
            {
                "key": "three",
                "safe_max": 3,
                "acceptable_max": 5,
                "as_published": "0-3 safe.",
                "reference": "ref-b",
                "grade": "D",
            },
        ],
        "chosen": "two",
        "reason": "The more cautious one.",
        "gap_decisions": [
            {
                "source": "ref-b",
                "value": 3,
                "zone": "acceptable",
                "reason": "Three is not safe here.",
            }
        ],
        "safe": _zone("green", "progress"),
        "acceptable": _zone("amber", "hold"),
        "above": _zone("red", "stop_and_see_clinician", urgency="soon"),
    },
    "ceilings": {
        "reason": "Absolute limits, whatever the usual level.",
        "pain": [_ceiling(5, "red", "stop_and_see_clinician", urgency="soon")],
        "usual": [_ceiling(7, "red", "stop_and_see_clinician", urgency="soon")],
    },
    "questions": None,
    "rules": [
        _rule(
            "morning", {"measure": "next_morning_rise", "above": 0}, "amber", "step_back", levels=1
        ),
        _rule("trend", {"trend": "worse"}, "amber", "step_back", levels=2),
        _rule(
            "sharp",
            {"sign": "sharp_or_stabbing"},
            "red",
            "stop_and_see_clinician",
            urgency="same_day",
        ),
        _rule("swelling", {"sign": "swelling"}, "red", "stop_and_see_clinician", urgency="soon"),
    ],
    "after_amber": _advice("repeat"),
    "after_red": _advice("stop_and_see_clinician"),
    "references": ["ref-a", "ref-b"],
}

BREATH_FAMILY: dict[str, Any] = {
    "name": "Fixture breathing family",
    "summary": "Signs only.",
    "answer_style": "yes_no",
    "asks_pain": False,
    "signs": ["cough_or_wheeze_during_run", "chest_pain"],
    "pain_zones": None,
    "ceilings": None,
    "questions": None,
    "rules": [
        _rule("cough", {"sign": "cough_or_wheeze_during_run"}, "amber", "hold"),
        _rule(
            "chest", {"sign": "chest_pain"}, "red", "stop_and_see_clinician", urgency="emergency"
        ),
    ],
    "after_amber": _advice("repeat"),
    "after_red": _advice("stop_and_see_clinician"),
    "references": ["ref-a"],
}

BUILD: dict[str, Any] = {
    "weekly_cap_percent": 10,
    "weekly_cap_label": "Not shown to prevent injury.",
    "weekly_cap_source": SOURCE,
    "session_cap_percent": 10,
    "session_window_days": 30,
    "new_longest_per_week": 1,
    "session_cap_source": SOURCE,
    "cutback_every_weeks": 4,
    "cutback_percent": 20,
    "cutback_source": SOURCE,
    "intensity_from_percent": 50,
    "intensity_source": SOURCE,
    "default_easy_pace_min_per_km": 6.0,
    "pace_source": SOURCE,
}

PROTOCOL: dict[str, Any] = {
    "name": "Fixture ladder",
    "summary": "Three short levels.",
    "references": ["ref-a"],
    "grade": "C",
    "how_encoded": "By hand, for tests.",
    "intended_min_days_off": 28,
    "entry_gate": {
        "walk_minutes": 30,
        "hop_test": True,
        "hops": 10,
        "text": "Walk and hop.",
        "source": SOURCE,
    },
    "walking_phase": [
        {"label": "Walk 15", "walk_minutes": 15, "weeks": 1},
        {"label": "Walk 30", "walk_minutes": 30, "weeks": 1},
    ],
    "walk_before_running_weeks": 1,
    "walk_before_running_source": SOURCE,
    "block_order": "run_walk",
    "min_sessions_per_week": 2,
    "max_sessions_per_week": 3,
    "levels": [
        {
            "label": "Level 1",
            "run_minutes": 1,
            "walk_minutes": 1,
            "reps": [10],
            "weeks": 1,
            "note": None,
        },
        {
            "label": "Level 2",
            "run_minutes": 5,
            "walk_minutes": 1,
            "reps": [3, 4],
            "weeks": None,
            "note": None,
        },
        {
            "label": "Level 3",
            "run_minutes": 20,
            "walk_minutes": 0,
            "reps": [1],
            "weeks": 1,
            "note": None,
        },
    ],
    "min_weeks": 10,
    "min_weeks_source": SOURCE,
    "progression": ["Move up after a green week."],
    "schedule": {
        "no_back_to_back": "ladder",
        "no_back_to_back_source": SOURCE,
        "min_rest_days_per_week": 1,
        "rest_day_source": SOURCE,
        "pre_injury_cap_source": SOURCE,
    },
    "min_time_off": None,
    "fracture_sites": None,
    "build": BUILD,
    "journal": {
        "trend": {
            "window_days": 7,
            "min_days": 2,
            "worse_by": 1,
            "reason": "Compare this week with last.",
            "source": SOURCE,
        },
        "missed": [
            {"more_than_days": 7, "levels": 1, "reason": "A week off.", "source": SOURCE},
            {"more_than_days": 28, "levels": 99, "reason": "A month off.", "source": SOURCE},
        ],
    },
}


FLAG_SOURCE = {"reference": "ref-a", "grade": "C"}


def _condition(
    slug: str, family: str, protocol: str | None, *, managed: bool = True
) -> dict[str, Any]:
    return {
        "slug": slug,
        "name": slug.replace("-", " ").capitalize(),
        "tissue": "tendon",
        "self_check": family,
        "protocol": protocol,
        "self_managed": managed,
        "red_flags": [
            {"id": "night", "text": "Pain at night.", "urgency": "soon", **FLAG_SOURCE},
            {"id": "fall", "text": "After a fall.", "urgency": "same_day", **FLAG_SOURCE},
            {"id": "faint", "text": "You fainted.", "urgency": "emergency", **FLAG_SOURCE},
        ],
        "timeline": {"min_weeks": 2, "max_weeks": 8, "note": None},
    }


FIXTURE: dict[str, Any] = {
    "version": 1,
    "settings": {"emergency_number": "999", "urgent_number": "111"},
    "conditions": {
        "sore-tendon": _condition("sore-tendon", "pain", "ladder"),
        "short-breath": _condition("short-breath", "breath", None),
        "see-someone": _condition("see-someone", "pain", None, managed=False),
    },
    "protocols": {"ladder": PROTOCOL},
    "self_checks": {"pain": PAIN_FAMILY, "breath": BREATH_FAMILY},
    "references": {
        "ref-a": {
            "title": "A study",
            "authors": "Alpha A, Beta B",
            "year": 2020,
            "grade": "C",
            "url": None,
        },
        "ref-b": {
            "title": "B leaflet",
            "authors": "Gamma G",
            "year": 2021,
            "grade": "D",
            "url": None,
        },
    },
}


def fixture_data() -> dict[str, Any]:
    return copy.deepcopy(FIXTURE)


def fixture_catalogue() -> Catalogue:
    return load_catalogue(fixture_data())
