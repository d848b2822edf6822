"""Shared calculator cases: the family boundary table, and the cases that must give the same
bytes under CPython and under Pyodide (site_tests/node)."""

from __future__ import annotations

import json
from typing import Any

from calculators.defaults import default_payload


def pains(during: int, after: int = 0, morning: int = 0, baseline: int = 0) -> dict[str, int]:
    return {
        "pain_during": during,
        "pain_after": after,
        "pain_next_morning": morning,
        "pain_baseline": baseline,
    }


# (family, answers, colour, next step, levels, urgency)
BOUNDARIES = [
    ("tendon", pains(2, 2), "green", "progress", 0, None),
    ("tendon", pains(3, 0), "amber", "hold", 0, None),  # the 3/10 gap: acceptable
    ("tendon", pains(5, 5, 1, 1), "amber", "hold", 0, None),
    ("tendon", pains(6, 0), "red", "stop_and_see_clinician", 0, "soon"),
    ("tendon", pains(0, 6), "red", "stop_and_see_clinician", 0, "soon"),
    ("tendon", pains(2, 2, 2, 1), "amber", "step_back", 1, None),
    ("tendon", {**pains(1), "trend": "worse"}, "amber", "step_back", 1, None),
    (
        "tendon",
        {**pains(0), "signs": ["limp_or_changed_gait"]},
        "red",
        "stop_and_see_clinician",
        0,
        "soon",
    ),
    ("bone", pains(0), "green", "progress", 0, None),
    ("bone", pains(1), "red", "stop_and_see_clinician", 0, "soon"),
    ("bone", pains(0, 1), "red", "stop_and_see_clinician", 0, "soon"),
    ("bone", pains(0, 0, 1, 1), "red", "stop_and_see_clinician", 0, "soon"),
    ("bone", {**pains(0), "signs": ["pain_on_hop"]}, "red", "stop_and_see_clinician", 0, "soon"),
    (
        "bone",
        {**pains(0), "signs": ["bone_point_tenderness"]},
        "red",
        "stop_and_see_clinician",
        0,
        "soon",
    ),
    ("muscle", pains(2, 2, 2, 2), "green", "progress", 0, None),
    ("muscle", pains(3, 2, 2, 2), "amber", "step_back", 2, None),
    ("muscle", pains(0, 0, 1, 0), "amber", "step_back", 2, None),
    ("muscle", {**pains(0), "signs": ["pulling_or_tightness"]}, "amber", "step_back", 2, None),
    # The usual level no longer hides high pain: 6/10 at rest is a finding of its own.
    ("muscle", pains(6, 0, 0, 6), "red", "stop_and_see_clinician", 0, "soon"),
    ("muscle", pains(3, 3, 3, 3), "amber", "hold", 0, None),
    ("tendon", pains(2, 2, 6, 6), "red", "stop_and_see_clinician", 0, "soon"),
    ("muscle", pains(7, 0, 0, 7), "red", "stop_and_see_clinician", 0, "soon"),
    ("generic", pains(2, 1), "green", "progress", 0, None),
    ("generic", pains(3, 0), "amber", "hold", 0, None),  # the seed's unassigned 3/10
    ("generic", pains(6, 6, 0, 0), "amber", "hold", 0, None),
    ("generic", pains(7, 0), "red", "stop_and_see_clinician", 0, "soon"),
    (
        "generic",
        {**pains(1), "signs": ["pain_worsening_during_run"]},
        "amber",
        "step_back",
        1,
        None,
    ),
    ("nerve", pains(2, 2, 2, 2), "green", "progress", 0, None),
    ("nerve", pains(3, 3, 3, 3), "amber", "hold", 0, None),
    ("nerve", pains(2, 2, 6, 2), "red", "stop_and_see_clinician", 0, "soon"),
    (
        "nerve",
        {**pains(1, 1, 1, 1), "signs": ["symptoms_spreading_further"]},
        "amber",
        "step_back",
        1,
        None,
    ),
    (
        "nerve",
        {**pains(1, 1, 1, 1), "signs": ["symptoms_moving_back"]},
        "green",
        "progress",
        0,
        None,
    ),
    (
        "nerve",
        {**pains(0), "signs": ["weakness_or_foot_slap"]},
        "red",
        "stop_and_see_clinician",
        0,
        "same_day",
    ),
    (
        "nerve",
        {**pains(0), "signs": ["saddle_numbness"]},
        "red",
        "stop_and_see_clinician",
        0,
        "emergency",
    ),
    ("respiratory", {}, "green", "progress", 0, None),
    ("respiratory", {"signs": ["cough_or_wheeze_during_run"]}, "amber", "hold", 0, None),
    (
        "respiratory",
        {"signs": ["cough_or_wheeze_hours_after"]},
        "red",
        "stop_and_see_clinician",
        0,
        "soon",
    ),
    ("respiratory", {"signs": ["chest_pain"]}, "red", "stop_and_see_clinician", 0, "emergency"),
    (
        "respiratory",
        {"signs": ["fainting_or_dizziness", "cough_or_wheeze_during_run"]},
        "red",
        "stop_and_see_clinician",
        0,
        "emergency",
    ),
]


def _family_condition(catalogue: dict[str, Any], family: str) -> str:
    return sorted(
        slug
        for slug, c in catalogue["conditions"].items()
        if c["self_check"] == family and c["self_managed"]
    )[0]


def parity_catalogue(catalogue_json: str) -> dict[str, Any]:
    """The real catalogue plus one made-up condition per protocol, as the golden tests use."""
    data = json.loads(catalogue_json)
    base = next(iter(data["conditions"].values()))
    for protocol in data["protocols"]:
        slug = f"golden-{protocol}"
        data["conditions"][slug] = {
            **base,
            "slug": slug,
            "name": f"Golden {protocol}",
            "protocol": protocol,
            "self_check": "generic",
            "self_managed": True,
            "red_flags": base["red_flags"],
        }
    return data


def parity_cases(catalogue: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every golden and table case, as bridge calls: (calculator name, payload)."""
    cases: list[tuple[str, dict[str, Any]]] = [
        ("self_check", {"condition": _family_condition(catalogue, family), **answers})
        for family, answers, *_expected in BOUNDARIES
    ]
    for protocol in sorted(catalogue["protocols"]):
        slug = f"golden-{protocol}"
        cases += [
            ("return_to_run_plan", default_payload(slug)),
            ("return_to_run_plan", {**default_payload(slug), "walk_test_passed": False}),
            ("return_to_run_plan", {**default_payload(slug), "today_colour": "amber"}),
            (
                "return_to_run_plan",
                {
                    **default_payload(slug),
                    "goal_race_date": "2024-02-01",
                    "goal_race_km": 42.2,
                },
            ),
        ]
    flagged = "golden-muscle-strain"
    flag = catalogue["conditions"][flagged]["red_flags"][0]["id"]
    cases += [
        ("return_to_run_plan", {**default_payload(flagged), "red_flags": [flag]}),
        (
            "return_to_run_plan",
            {**default_payload(flagged), "today_colour": "red", "today_urgency": "emergency"},
        ),
        (
            "return_to_run_plan",
            {
                **default_payload(flagged),
                "pre_injury_minutes_per_week": 40,
                "pre_injury_runs_per_week": 2,
                "running_days_per_week": 6,
            },
        ),
        ("return_to_run_plan", {**default_payload(flagged), "today_colour": None}),
        (
            "return_to_run_plan",
            {**default_payload("tibial-stress-fracture"), "fracture_site": "tibia-front"},
        ),
        (
            "return_to_run_plan",
            {
                **default_payload("tibial-stress-fracture"),
                "fracture_site": "tibia-inner-edge",
                "days_since_stopped": 0,
            },
        ),
    ]
    # The plan's HTML (calculators/plan_view.py) for a long dated build: lighter weeks,
    # strides, a race and dates across a month end and a leap day.
    cases.append(
        (
            "return_to_run_plan",
            {
                **default_payload("golden-oxford-walk-run"),
                "start_date": "2028-01-28",
                "pre_injury_minutes_per_week": 600,
                "pre_injury_runs_per_week": 6,
                "running_days_per_week": 6,
                "goal_race_date": "2028-09-03",
                "goal_race_km": 10,
            },
        )
    )
    cases += [
        ("self_check", {"condition": "no-such-condition", "pain_during": 11}),
        ("return_to_run_plan", {"condition": "golden-bone-stress", "start_date": "2024-13-01"}),
    ]
    # Hostile values: both runtimes must clip, count and word them the same way.
    plan = default_payload("golden-bone-stress")
    cases += [
        ("return_to_run_plan", {**plan, "easy_pace_min_per_km": 10**400}),
        ("return_to_run_plan", {**plan, "days_since_stopped": "\uff13\u0660"}),
        ("return_to_run_plan", {**plan, "start_date": "2027-01-04\n"}),
        ("return_to_run_plan", {**plan, "z" * 5000: 1, **{f"k{i}": i for i in range(200)}}),
        ("self_check", {"condition": "medial-tibial-stress-syndrome", "pain_during": 11}),
    ]
    # The take-away outputs: a calendar across a clock change with a reminder, and a share
    # link with a clinician's note, opened again; and a damaged link.
    dated = {**default_payload("golden-oxford-walk-run"), "start_date": "2027-03-08"}
    cases += [
        ("plan_calendar", {**dated, "reminder": "07:30", "link": "https://a.example/p/"}),
        ("plan_calendar", {**dated, "stamp": "2027-03-01T09:15:00Z"}),
        ("share_link", {**dated, "note": "Easy hills only; call me ~ week 3.", "prescribed": True}),
        ("open_share", {"link": "plan=1~cgolden-oxford-walk-run~d4~#00000000"}),
    ]
    cases += journal_parity_cases()
    return cases


JOURNAL_PARITY_SCENARIOS = (
    "steady-green-tendon",
    "rising-week-on-week-trend-is-amber",
    "red-flag-mid-plan-stops",
    "missed-a-week-steps-back-one",
    "bone-any-pain-is-red",
    "muscle-pulling-goes-back-two",
)
"""A few journal scenarios, one of each kind, for the Pyodide parity run (the chart's SVG and
every date included)."""


def journal_parity_cases() -> list[tuple[str, dict[str, Any]]]:
    """Journal calls: the shared fixtures and a few scenarios (scenarios/journal.yml)."""
    from datetime import date, timedelta  # noqa: PLC0415 - only the parity run needs these
    from pathlib import Path  # noqa: PLC0415

    import yaml  # noqa: PLC0415

    from site_tests.calculators.journal_fixtures import fixture  # noqa: PLC0415
    from site_tests.calculators.journal_log import journal  # noqa: PLC0415

    cases: list[tuple[str, dict[str, Any]]] = [
        ("journal", {"journal": fixture("valid-v1-achilles.json"), "today": "2026-03-16"}),
        ("journal", {"journal": fixture("valid-v0-calf.json"), "today": "2026-10-23"}),
        ("journal", {"journal": fixture("invalid/bad-date-and-done.json"), "today": "2026-03-16"}),
    ]
    scenarios = yaml.safe_load(
        (Path(__file__).parent / "scenarios" / "journal.yml").read_text(encoding="utf-8")
    )
    for case in scenarios["cases"]:
        if case["id"] in JOURNAL_PARITY_SCENARIOS:
            plan = {**scenarios["defaults"], **case["plan"]}
            today = date.fromisoformat(plan["start_date"]) + timedelta(days=case["today"])
            cases.append(
                ("journal", {"journal": journal(plan, case["log"]), "today": today.isoformat()})
            )
    return cases
