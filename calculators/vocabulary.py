"""The calculators' word lists, written once: every model, engine, template and script uses these.

Each list is a `Literal` type, so pydantic (macros/content/calculator_model.py) and the dataclass
reader
(calculators/catalogue.py) check values against the same words, and a tuple made from it for
code that orders or loops. The page script gets them from the build (see `for_the_page`).
"""

from __future__ import annotations

from typing import Literal, get_args

Colour = Literal["green", "amber", "red"]
COLOURS: tuple[Colour, ...] = get_args(Colour)
"""Least to most serious: the self-check's answer is the worst colour any rule gives."""

NextStep = Literal["progress", "hold", "step_back", "stop_and_see_clinician"]
NEXT_STEPS: tuple[NextStep, ...] = get_args(NextStep)
"""Least to most cautious."""

NEXT_STEP_WORDS: dict[str, tuple[str, str]] = {
    "progress": ("Progress", "move up one level at your next session"),
    "hold": ("Hold", "repeat the same level at your next session"),
}
"""The words for green and amber that the plan's protocol texts use too: one vocabulary."""

Urgency = Literal["emergency", "same_day", "soon"]
URGENCY_ORDER: tuple[Urgency, ...] = get_args(Urgency)
"""Most urgent first, the order pages list red flags in."""
URGENCIES: tuple[Urgency, ...] = tuple(reversed(URGENCY_ORDER))
"""Least to most urgent, for `max(..., key=URGENCIES.index)`."""
SERIOUS_URGENCIES: frozenset[Urgency] = frozenset({"emergency", "same_day"})
"""Urgencies that send a runner to emergency or same-day care: their red flags need a
guideline or peer-reviewed source (HB307)."""

Trend = Literal["better", "same", "worse"]
TRENDS: tuple[Trend, ...] = get_args(Trend)
TREND_LABELS: dict[Trend, str] = {"better": "Better", "same": "About the same", "worse": "Worse"}
"""The form's answers to "compared with last week, is it ..."."""

Zone = Literal["safe", "acceptable", "above"]
ZONES: tuple[Zone, ...] = get_args(Zone)

Measure = Literal[
    "pain_during",
    "pain_after",
    "pain_next_morning",
    "peak_pain",
    "any_pain",
    "next_morning_rise",
    "rise_over_baseline",
]
"""What a rule compares; higher is always worse.

peak_pain = the higher of during and after; any_pain = the highest of during, after and
next morning; next_morning_rise = next morning minus the usual (baseline) level;
rise_over_baseline = any_pain minus baseline.
"""
MEASURES: tuple[Measure, ...] = get_args(Measure)
RELATIVE_MEASURES: tuple[Measure, ...] = ("next_morning_rise", "rise_over_baseline")

Sign = Literal[
    "sharp_or_stabbing",
    "limp_or_changed_gait",
    "swelling",
    "numbness_or_tingling",
    "night_or_rest_pain",
    "pain_on_hop",
    "bone_point_tenderness",
    "pain_worsening_during_run",
    "pulling_or_tightness",
    "cough_or_wheeze_during_run",
    "cough_or_wheeze_hours_after",
    "chest_pain",
    "fainting_or_dizziness",
    "morning_stiffness_worse",
    "symptoms_spreading_further",
    "symptoms_moving_back",
    "numbness_new_or_spreading",
    "weakness_or_foot_slap",
    "symptoms_in_both_legs",
    "saddle_numbness",
    "bladder_or_bowel_change",
]
SIGNS: tuple[Sign, ...] = get_args(Sign)

Grade = Literal["A", "B", "C", "D"]
"""Evidence grades, A (strongest) to D (expert opinion)."""
AnswerStyle = Literal["scale", "yes_no"]
SessionAction = Literal["repeat", "step_back", "stop_and_see_clinician"]
BlockOrder = Literal["run_walk", "walk_run"]
BackToBack = Literal["ladder", "always"]

PlanStatus = Literal["refer", "stop", "clinician_led", "not_yet", "hold", "ready"]
PLAN_STATUSES: tuple[PlanStatus, ...] = get_args(PlanStatus)
"""refer: a red flag was ticked; stop: today's check was red; clinician_led: a high-risk
fracture site; not_yet: the entry gate is not passed; hold: amber today; ready: start."""

COLOUR_NAMES: dict[Colour, str] = {"green": "Green", "amber": "Amber", "red": "Red"}
COLOUR_LIGHTS: dict[Colour, dict[str, str]] = {
    "green": {"icon": "✓", "title": "Green: you can run"},
    "amber": {"icon": "!", "title": "Amber: ease off"},
    "red": {"icon": "✕", "title": "Red: stop running"},
}
"""How the page shows a self-check's colour: an icon (hidden from screen readers) and words."""
PAIN_SCALE_WORDS: dict[int, str] = {0: "none", 5: "moderate", 10: "worst imaginable"}
"""The words a 0 to 10 tap scale shows under its ends and its middle."""
URGENCY_TITLES: dict[Urgency, str] = {
    "emergency": "Emergency",
    "same_day": "Same day",
    "soon": "See a clinician soon",
}


def zone_of(safe_max: int, acceptable_max: int, value: int) -> Zone:
    """The pain band `value` falls in, for bands safe up to `safe_max` and acceptable up to
    `acceptable_max`."""
    if value <= safe_max:
        return "safe"
    return "acceptable" if value <= acceptable_max else "above"


def for_the_page() -> dict[str, object]:
    """The words the page script needs, as JSON-ready data the build writes into every page."""
    return {
        "colours": list(COLOURS),
        "lights": COLOUR_LIGHTS,
        "urgencies": list(URGENCY_ORDER),
        "urgency_titles": URGENCY_TITLES,
        "plan_statuses": list(PLAN_STATUSES),
    }
