"""Bad input: every error comes back as data naming the field and what is allowed."""

from __future__ import annotations

import json
from typing import Any

import pytest

from calculators.defaults import default_payload
from site_tests.calculators.helpers import errors

GOOD_CHECK = {"condition": "sore-tendon", "pain_during": 1, "pain_after": 1, "pain_next_morning": 0}
GOOD_PLAN = default_payload("sore-tendon")

# (calculator, changes to a good payload, field, words the message must contain)
BAD = [
    ("self_check", {"pain_during": 11}, "pain_during", "whole number from 0 to 10"),
    ("self_check", {"pain_after": -1}, "pain_after", "from 0 to 10"),
    ("self_check", {"pain_during": 3.5}, "pain_during", "whole number"),
    ("self_check", {"pain_during": True}, "pain_during", "got true"),
    ("self_check", {"pain_next_morning": None}, "pain_next_morning", "required"),
    ("self_check", {"condition": "broken-leg"}, "condition", "unknown condition 'broken-leg'"),
    ("self_check", {"trend": "sideways"}, "trend", "one of better, same, worse"),
    ("self_check", {"signs": ["chest_pain"]}, "signs", "allowed: sharp_or_stabbing, swelling"),
    ("self_check", {"signs": "swelling"}, "signs", "must be a list"),
    ("self_check", {"red_flags": ["nope"]}, "red_flags", "allowed: night, fall, faint"),
    ("self_check", {"colour": "green"}, "colour", "unknown field"),
    ("return_to_run_plan", {"days_since_stopped": -3}, "days_since_stopped", "0 to 3650"),
    ("return_to_run_plan", {"condition": "nope"}, "condition", "known conditions:"),
    ("return_to_run_plan", {"condition": "see-someone"}, "condition", "see a clinician"),
    ("return_to_run_plan", {"condition": "short-breath"}, "condition", "see a clinician"),
    ("return_to_run_plan", {"start_date": "next monday"}, "start_date", "YYYY-MM-DD"),
    ("return_to_run_plan", {"start_date": "2027-02-30"}, "start_date", "not a real date"),
    ("return_to_run_plan", {"start_date": "20270201"}, "start_date", "YYYY-MM-DD"),
    ("return_to_run_plan", {"start_date": "1999-12-31"}, "start_date", "between 2000 and 2100"),
    (
        "return_to_run_plan",
        {"pre_injury_runs_per_week": 0},
        "pre_injury_runs_per_week",
        "from 1 to 14",
    ),
    (
        "return_to_run_plan",
        {"running_days_per_week": 1},
        "running_days_per_week",
        "at least 2 running days",
    ),
    ("return_to_run_plan", {"running_days_per_week": 8}, "running_days_per_week", "1 to 7"),
    (
        "return_to_run_plan",
        {"goal_race_date": "2024-01-01"},
        "goal_race_date",
        "must be after start_date",
    ),
    ("return_to_run_plan", {"goal_race_km": 10}, "goal_race_km", "give goal_race_date too"),
    (
        "return_to_run_plan",
        {"pre_injury_km_per_week": 20},
        "pre_injury_km_per_week",
        "exactly one of",
    ),
    (
        "return_to_run_plan",
        {"pre_injury_minutes_per_week": 5000},
        "pre_injury_minutes_per_week",
        "20 to 1200",
    ),
    (
        "return_to_run_plan",
        {"hop_test_passed": None},
        "hop_test_passed",
        "required: answer Yes or No",
    ),
    (
        "return_to_run_plan",
        {"walk_test_passed": "yes"},
        "walk_test_passed",
        "must be Yes (true) or No (false); got 'yes'",
    ),
    # A carried urgency comes only from a red check: no other colour may override it.
    (
        "return_to_run_plan",
        {"today_colour": "green", "today_urgency": "emergency"},
        "today_colour",
        "was red (get help: emergency), so the colour cannot be green",
    ),
    (
        "return_to_run_plan",
        {"today_colour": "amber", "today_urgency": "soon"},
        "today_colour",
        "do the self-check again",
    ),
    # Numbers are written with ASCII digits; other digits are refused, never normalised.
    ("self_check", {"pain_during": "\uff15"}, "pain_during", "written with the digits 0 to 9"),
    ("self_check", {"pain_after": "\u0665"}, "pain_after", "written with the digits 0 to 9"),
    (
        "return_to_run_plan",
        {"days_since_stopped": "\u0663\u0660"},
        "days_since_stopped",
        "from 0 to 3650 days, written with the digits 0 to 9",
    ),
    (
        "return_to_run_plan",
        {"goal_race_date": "2027-01-01", "goal_race_km": "\uff11\uff10"},
        "goal_race_km",
        "from 1 to 250 km, written with the digits 0 to 9",
    ),
    ("self_check", {"pain_during": "7,5"}, "pain_during", "got '7,5'"),
    # Dates: ASCII digits and nothing after the day, or the format message (not "not real").
    (
        "return_to_run_plan",
        {"start_date": "\uff12\uff10\uff12\uff17-01-04"},
        "start_date",
        "must be a date written YYYY-MM-DD",
    ),
    (
        "return_to_run_plan",
        {"start_date": "\u0662\u0660\u0662\u0667-01-04"},
        "start_date",
        "must be a date written YYYY-MM-DD",
    ),
    (
        "return_to_run_plan",
        {"start_date": "2027-01-04\n"},
        "start_date",
        "must be a date written YYYY-MM-DD",
    ),
    (
        "return_to_run_plan",
        {"start_date": "\n2027-01-04"},
        "start_date",
        "must be a date written YYYY-MM-DD",
    ),
    # Integers of any size get their field's range, never an overflow.
    (
        "return_to_run_plan",
        {"days_since_stopped": 10**400},
        "days_since_stopped",
        "from 0 to 3650 days",
    ),
    (
        "return_to_run_plan",
        {"goal_race_date": "2027-01-01", "goal_race_km": -(10**400)},
        "goal_race_km",
        "from 1 to 250 km; got -10000",
    ),
    ("return_to_run_plan", {"today_colour": "blue"}, "today_colour", "green, amber, red"),
    (
        "return_to_run_plan",
        {"easy_pace_min_per_km": 5},
        "easy_pace_min_per_km",
        "only used with pre_injury_km_per_week",
    ),
]


@pytest.mark.parametrize(("name", "change", "field", "words"), BAD)
def test_bad_input_names_field_and_range(
    fixture_json: str, name: str, change: dict[str, Any], field: str, words: str
) -> None:
    """Each bad value gives a structured error for that field saying what is allowed."""
    base = GOOD_CHECK if name == "self_check" else GOOD_PLAN
    found = errors(name, {**base, **change}, fixture_json)
    assert field in found, found
    assert words in found[field], found[field]


def test_km_out_of_range_after_conversion(fixture_json: str) -> None:
    """Kilometres that convert to too many minutes say how many minutes that is."""
    payload = {k: v for k, v in GOOD_PLAN.items() if k != "pre_injury_minutes_per_week"}
    found = errors(
        "return_to_run_plan",
        {**payload, "pre_injury_km_per_week": 240, "easy_pace_min_per_km": 9},
        fixture_json,
    )
    assert "about 2160 minutes a week" in found["pre_injury_km_per_week"]


def test_all_errors_reported_at_once(fixture_json: str) -> None:
    """Several bad fields are all reported in one answer, not one at a time."""
    found = errors(
        "return_to_run_plan",
        {**GOOD_PLAN, "days_since_stopped": -1, "start_date": "x", "pre_injury_runs_per_week": 0},
        fixture_json,
    )
    assert {"days_since_stopped", "start_date", "pre_injury_runs_per_week"} <= set(found)


def test_pain_not_asked_is_rejected(fixture_json: str) -> None:
    """A family that asks no pain questions says so when pain is sent."""
    found = errors("self_check", {"condition": "short-breath", "pain_during": 2}, fixture_json)
    assert "does not ask about pain" in found["pain_during"]


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('"text"', "must be a JSON object"),
        ("NaN", "must be a JSON object"),
    ],
)
def test_payload_must_be_a_json_object(fixture_json: str, payload: str, words: str) -> None:
    """Text that is not a JSON object is a payload error, not an exception."""
    assert words in errors("self_check", payload, fixture_json)["payload"]


def test_a_huge_integer_in_a_decimal_field_gets_its_range(fixture_json: str) -> None:
    """400 digits of kilometres: the km field's range error, not an internal OverflowError."""
    payload = {k: v for k, v in GOOD_PLAN.items() if k != "pre_injury_minutes_per_week"}
    for digits in ("9" * 400, "-" + "9" * 400, "9" * 5000):
        text = json.dumps(payload)[:-1] + f', "pre_injury_km_per_week": {digits}}}'
        found = errors("return_to_run_plan", text, fixture_json)
        assert set(found) == {"pre_injury_km_per_week"}, found
        assert "must be a number from 3 to 250 km" in found["pre_injury_km_per_week"]
    text = json.dumps(payload)[:-1] + ', "pre_injury_km_per_week": 1e400}'
    found = errors("return_to_run_plan", text, fixture_json)
    assert found == {
        "pre_injury_km_per_week": "must be a number from 3 to 250 km; got a number too large to use"
    }


BONE = "medial-tibial-stress-syndrome"  # a Yes/No family in the real catalogue


def test_yes_no_pain_questions_use_yes_no_words(real_json: str) -> None:
    """Blank Yes/No pain questions ask for Yes or No, never for a number from 0 to 10."""
    found = errors("self_check", {"condition": BONE}, real_json)
    assert found == dict.fromkeys(
        ("pain_during", "pain_after", "pain_next_morning"), "required: answer Yes or No"
    )
    found = errors(
        "self_check",
        {"condition": BONE, "pain_during": 11, "pain_after": 0, "pain_next_morning": "yes"},
        real_json,
    )
    assert found["pain_during"].startswith("must be Yes (1) or No (0)")
    assert found["pain_next_morning"].endswith("got 'yes'")


def test_scale_pain_questions_keep_their_range(real_json: str) -> None:
    """A 0-10 family still says which numbers it takes when a question is blank."""
    found = errors("self_check", {"condition": "calf-strain"}, real_json)
    assert found["pain_during"].startswith("required: a whole number from 0 to 10")
