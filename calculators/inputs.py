"""Validate calculator payloads into frozen input records, collecting every field error.

Payloads are flat JSON objects. Every error names its field and says what is allowed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from calculators.catalogue import Catalogue, Condition, Family, Protocol
from calculators.errors import FieldError, InputError
from calculators.vocabulary import COLOURS, TRENDS, URGENCIES, Urgency

NOT_SURE_SITE = "not-sure"
"""The fracture-site answer for a runner who does not know; it is treated as high risk."""
# ASCII digits only, and the whole string: `\d` would take fullwidth or Arabic-Indic digits and
# `$` a trailing newline, which then fail later with a misleading "not a real date".
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
MIN_YEAR, MAX_YEAR = 2000, 2100
PAIN_FIELDS = ("pain_during", "pain_after", "pain_next_morning", "pain_baseline")
# Every range the engine accepts; the forms print these same numbers (calculator_views.py).
PAIN_RANGE = (0, 10)
DAYS_OFF_RANGE = (0, 3650)
MINUTES_RANGE = (20, 1200)
KM_RANGE = (3.0, 250.0)
PACE_RANGE = (3.0, 15.0)
RUNS_RANGE = (1, 14)
DAYS_RANGE = (1, 7)
RACE_KM_RANGE = (1.0, 250.0)
UNKNOWN_FIELDS_LISTED = 10
"""Unknown keys reported one by one; the rest are counted in one error, so 100,000 junk keys
cannot make 100,000 errors."""
NAMES_LISTED = 20
"""Allowed or unknown names listed in one message before the rest are counted."""


@dataclass(frozen=True)
class SelfCheckInput:
    condition: str
    red_flags: tuple[str, ...]
    pain_during: int
    pain_after: int
    pain_next_morning: int
    pain_baseline: int
    trend: str
    signs: tuple[str, ...]


@dataclass(frozen=True)
class PlanInput:
    condition: str
    days_since_stopped: int
    walk_test_passed: bool
    hop_test_passed: bool | None
    target_minutes_per_week: int
    target_from_km: bool
    easy_pace_min_per_km: float
    pre_injury_runs_per_week: int
    running_days_per_week: int
    start_date: date | None
    goal_race_date: date | None
    goal_race_km: float | None
    today_colour: str
    today_urgency: Urgency | None
    red_flags: tuple[str, ...]
    fracture_site: str | None


class _Fields:
    """Reads one payload, remembering every error instead of stopping at the first."""

    def __init__(self, payload: Any, allowed: tuple[str, ...]) -> None:
        self.errors: list[FieldError] = []
        if not isinstance(payload, Mapping):
            raise InputError([FieldError("payload", "must be a JSON object of named fields")])
        self.data = payload
        unknown = [str(key) for key in payload if key not in allowed]
        for key in unknown[:UNKNOWN_FIELDS_LISTED]:
            self.error(key, f"unknown field; allowed fields: {', '.join(allowed)}")
        if len(unknown) > UNKNOWN_FIELDS_LISTED:
            self.error(
                "payload",
                f"{len(unknown) - UNKNOWN_FIELDS_LISTED} more unknown fields; "
                f"allowed fields: {', '.join(allowed)}",
            )

    def error(self, name: str, message: str) -> None:
        self.errors.append(FieldError(name, message))

    def present(self, name: str) -> bool:
        return self.data.get(name) is not None

    def whole(
        self,
        name: str,
        low: int,
        high: int,
        *,
        required: bool = True,
        default: int | None = None,
        unit: str = "",
    ) -> int | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self.error(name, f"required: a whole number from {low} to {high}{unit}")
            return default
        if type(value) is not int or not low <= value <= high:
            self.error(
                name,
                f"must be a whole number from {low} to {high}{unit}"
                f"{_digits_hint(value)}; got {_show(value)}",
            )
            return default
        return value

    def yes_no(self, name: str, *, required: bool = True) -> int:
        """A Yes/No pain question: 1 (or any pain score up to 10) is yes, 0 is no."""
        value = self.data.get(name)
        if value is None:
            if required:
                self.error(name, "required: answer Yes or No")
            return 0
        if type(value) is not int or not 0 <= value <= 10:
            self.error(
                name,
                "must be Yes (1) or No (0); a pain score from 0 to 10 is also "
                f"accepted; got {_show(value)}",
            )
            return 0
        return value

    def number(
        self, name: str, low: float, high: float, *, required: bool = True, unit: str = ""
    ) -> float | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self.error(name, f"required: a number from {_num(low)} to {_num(high)}{unit}")
            return None
        # Compare before converting: float() of a 400-digit integer overflows, while Python
        # compares an int of any size with a float exactly.
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (isinstance(value, float) and not math.isfinite(value))
            or not low <= value <= high
        ):
            self.error(
                name,
                f"must be a number from {_num(low)} to {_num(high)}{unit}"
                f"{_digits_hint(value)}; got {_show(value)}",
            )
            return None
        return float(value)

    def flag(self, name: str, *, required: bool = True) -> bool | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self.error(name, "required: answer Yes or No")
            return None
        if not isinstance(value, bool):
            self.error(name, f"must be Yes (true) or No (false); got {_show(value)}")
            return None
        return value

    def choice(
        self, name: str, allowed: tuple[str, ...], *, default: str | None = None
    ) -> str | None:
        value = self.data.get(name)
        if value is None:
            if default is None:
                self.error(name, f"required: one of {', '.join(allowed)}")
            return default
        if not isinstance(value, str) or value not in allowed:
            self.error(name, f"must be one of {', '.join(allowed)}; got {_show(value)}")
            return default
        return value

    def names(self, name: str, allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
        value = self.data.get(name)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(name, f"must be a list of {what}; allowed: {_listed(allowed)}")
            return ()
        unknown = tuple(_show(v) for v in dict.fromkeys(value) if v not in allowed)
        if unknown:
            self.error(name, f"unknown {what} {_listed(unknown)}; allowed: {_listed(allowed)}")
            return ()
        return tuple(dict.fromkeys(value))

    def day(self, name: str, *, required: bool = True) -> date | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self.error(name, "required: a date written YYYY-MM-DD")
            return None
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            self.error(name, f"must be a date written YYYY-MM-DD; got {_show(value)}")
            return None
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            self.error(name, f"{value!r} is not a real date (YYYY-MM-DD)")
            return None
        if not MIN_YEAR <= parsed.year <= MAX_YEAR:
            self.error(name, f"must be between {MIN_YEAR} and {MAX_YEAR}; got {value}")
            return None
        return parsed

    def condition(self, catalogue: Catalogue) -> Condition | None:
        value = self.data.get("condition")
        if not isinstance(value, str) or value not in catalogue.conditions:
            shown = "required" if value is None else f"unknown condition {_show(value)}"
            self.error(
                "condition",
                f"{shown}; known conditions: {_listed(tuple(sorted(catalogue.conditions)))}",
            )
            return None
        return catalogue.conditions[value]

    def finish(self) -> None:
        if self.errors:
            raise InputError(self.errors)


def _show(value: Any) -> str:
    """A value as the payload author wrote it, in JSON terms, kept short."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float) and not math.isfinite(value):
        text = "NaN" if math.isnan(value) else "a number too large to use"
    elif isinstance(value, str | int | float):
        text = repr(value)
    else:
        containers: dict[type, str] = {dict: "an object", list: "a list"}
        text = containers.get(type(value), type(value).__name__)
    return text if len(text) <= 40 else text[:37] + "..."


def _digits_hint(value: Any) -> str:
    """Say why fullwidth or Arabic-Indic digits are refused: numbers are written with ASCII
    digits only, never normalised, so what the engine reads is what a person sees."""
    if isinstance(value, str) and any(ch.isdigit() and not ch.isascii() for ch in value):
        return ", written with the digits 0 to 9"
    return ""


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _listed(values: tuple[str, ...]) -> str:
    if not values:
        return "none"
    shown = ", ".join(values[:NAMES_LISTED])
    more = len(values) - NAMES_LISTED
    return f"{shown} and {more} more" if more > 0 else shown


SELF_CHECK_FIELDS = ("condition", "red_flags", *PAIN_FIELDS, "trend", "signs")


def parse_self_check(payload: Any, catalogue: Catalogue) -> tuple[SelfCheckInput, Family]:
    """Validate a self-check payload; pain questions are required only if the family asks them."""
    f = _Fields(payload, SELF_CHECK_FIELDS)
    condition = f.condition(catalogue)
    if condition is None:
        f.finish()
        raise AssertionError("unreachable: finish() raises for an unknown condition")
    family = catalogue.self_checks[condition.self_check]
    flags = f.names(
        "red_flags",
        tuple(flag.id for flag in condition.red_flags),
        f"red-flag id for {condition.slug}",
    )
    pains: dict[str, int] = {}
    for name in PAIN_FIELDS:
        if not family.asks_pain:
            if f.present(name):
                f.error(name, f"the {family.name} check does not ask about pain; leave it out")
            pains[name] = 0
            continue
        required = name != "pain_baseline"
        if family.answer_style == "yes_no":
            pains[name] = f.yes_no(name, required=required)
            continue
        unit = " (0 = no pain, 10 = worst imaginable)"
        pains[name] = f.whole(name, *PAIN_RANGE, required=required, default=0, unit=unit) or 0
    trend = f.choice("trend", TRENDS, default="same") or "same"
    signs = f.names("signs", family.signs, f"sign for the {family.name} check")
    f.finish()
    return SelfCheckInput(
        condition=condition.slug,
        red_flags=flags,
        trend=trend,
        signs=signs,
        **pains,
    ), family


PLAN_FIELDS = (
    "condition",
    "days_since_stopped",
    "walk_test_passed",
    "hop_test_passed",
    "pre_injury_minutes_per_week",
    "pre_injury_km_per_week",
    "easy_pace_min_per_km",
    "pre_injury_runs_per_week",
    "running_days_per_week",
    "start_date",
    "goal_race_date",
    "goal_race_km",
    "today_colour",
    "today_urgency",
    "red_flags",
    "fracture_site",
)


def fracture_site_ids(protocol: Protocol | None, slug: str) -> tuple[str, ...] | None:
    """The fracture-site answers a bone plan accepts, or None if it does not ask."""
    sites = (
        protocol.fracture_sites.conditions.get(slug)
        if protocol and protocol.fracture_sites
        else None
    )
    return None if sites is None else (*(s.id for s in sites), NOT_SURE_SITE)


_STOP_FIELDS = ("red_flags", "today_colour", "today_urgency")


def parse_plan(payload: Any, catalogue: Catalogue) -> tuple[PlanInput, Protocol]:
    """Validate a plan payload against the condition's protocol."""
    f = _Fields(payload, PLAN_FIELDS)
    condition = f.condition(catalogue)
    protocol = None
    if condition is not None:
        if not condition.self_managed:
            f.error(
                "condition",
                f"{condition.name} needs a clinician's care, so there is no "
                "self-managed return-to-run plan; see a clinician, who can "
                "plan your return",
            )
        elif condition.protocol is None:
            f.error(
                "condition",
                f"this handbook has no return-to-run plan for "
                f"{condition.name}; see a clinician to plan your return",
            )
        else:
            protocol = catalogue.protocols[condition.protocol]
    days_off = f.whole("days_since_stopped", *DAYS_OFF_RANGE, unit=" days")
    walk_ok = f.flag("walk_test_passed")
    hop_ok = f.flag("hop_test_passed", required=bool(protocol and protocol.entry_gate.hop_test))
    target, from_km, pace = _target(f, protocol)
    runs = f.whole("pre_injury_runs_per_week", *RUNS_RANGE, unit=" runs a week")
    days = f.whole("running_days_per_week", *DAYS_RANGE, unit=" days a week")
    if protocol is not None and days is not None and days < protocol.min_sessions_per_week:
        f.error(
            "running_days_per_week",
            f"the {protocol.name} needs at least {protocol.min_sessions_per_week} running "
            f"days a week (from {protocol.min_sessions_per_week} to {DAYS_RANGE[1]}); "
            f"got {days}",
        )
    start = f.day("start_date")
    race = f.day("goal_race_date", required=False)
    if start is not None and race is not None and race <= start:
        f.error(
            "goal_race_date",
            f"must be after start_date ({start.isoformat()}); got {race.isoformat()}",
        )
    race_km = f.number("goal_race_km", *RACE_KM_RANGE, required=False, unit=" km")
    if race_km is not None and not f.present("goal_race_date"):
        f.error("goal_race_km", "give goal_race_date too, or leave goal_race_km out")
    # No silent green: a plan needs today's self-check colour (the page carries it over).
    colour = f.choice("today_colour", COLOURS)
    urgency = f.choice("today_urgency", URGENCIES, default="")
    if urgency and colour and colour != "red":
        # A carried urgency comes only from a red check: a later click on another colour
        # must not quietly override it (an emergency must never become a plan).
        f.error(
            "today_colour",
            f"today's self-check was red (get help: {urgency.replace('_', ' ')}"
            f"), so the colour cannot be {colour}; do the self-check again after your next "
            "session, or choose red",
        )
    flags = (
        ()
        if condition is None
        else f.names(
            "red_flags",
            tuple(flag.id for flag in condition.red_flags),
            f"red-flag id for {condition.slug}",
        )
    )
    site_ids = None if condition is None else fracture_site_ids(protocol, condition.slug)
    site = None
    if site_ids is not None:
        site = f.choice("fracture_site", site_ids)
    elif f.present("fracture_site"):
        f.error("fracture_site", "this plan does not ask where the fracture is; leave it out")
    if protocol is not None and (flags or colour == "red"):
        # Red flags always win, then a red check: a runner who must stop is not held up by
        # the other fields (a ticked flag needs no colour either).
        keep = ("red_flags",) if flags else _STOP_FIELDS
        f.errors = [e for e in f.errors if e.field in keep]
    f.finish()
    if protocol is None or condition is None:  # pragma: no cover
        raise AssertionError("unreachable: finish() raised for every missing field")
    return PlanInput(
        condition=condition.slug,
        days_since_stopped=days_off or 0,
        walk_test_passed=bool(walk_ok),
        hop_test_passed=hop_ok,
        target_minutes_per_week=target or 0,
        target_from_km=from_km,
        easy_pace_min_per_km=pace,
        pre_injury_runs_per_week=runs or 1,
        running_days_per_week=days or 1,
        start_date=start,
        goal_race_date=race,
        goal_race_km=race_km,
        today_colour=colour or "red",  # missing only when a flag was ticked: stop anyway
        # `choice` checked it is one of URGENCIES; this picks that word with its exact type.
        today_urgency=next((u for u in URGENCIES if u == urgency), None),
        red_flags=flags,
        fracture_site=site,
    ), protocol


def _target(f: _Fields, protocol: Protocol | None) -> tuple[int | None, bool, float]:
    """Pre-injury weekly running in minutes, from minutes or from km at an easy pace."""
    default_pace = protocol.build.default_easy_pace_min_per_km if protocol else 6.5
    has_min = f.present("pre_injury_minutes_per_week")
    has_km = f.present("pre_injury_km_per_week")
    pace = f.number("easy_pace_min_per_km", *PACE_RANGE, required=False, unit=" minutes per km")
    if has_min == has_km:
        for name in ("pre_injury_minutes_per_week", "pre_injury_km_per_week"):
            f.error(
                name,
                "give exactly one of pre_injury_minutes_per_week "
                f"({MINUTES_RANGE[0]} to {MINUTES_RANGE[1]}) or pre_injury_km_per_week "
                f"({_num(KM_RANGE[0])} to {_num(KM_RANGE[1])})",
            )
        return None, False, pace or default_pace
    if has_min:
        if pace is not None:
            f.error("easy_pace_min_per_km", "only used with pre_injury_km_per_week; leave it out")
        minutes = f.whole("pre_injury_minutes_per_week", *MINUTES_RANGE, unit=" minutes")
        return minutes, False, pace or default_pace
    km = f.number("pre_injury_km_per_week", *KM_RANGE, unit=" km")
    pace = pace or default_pace
    if km is None:
        return None, True, pace
    minutes = round(km * pace)
    if not MINUTES_RANGE[0] <= minutes <= MINUTES_RANGE[1]:
        f.error(
            "pre_injury_km_per_week",
            f"{_num(km)} km at {_num(pace)} minutes per km is about {minutes} minutes a week; "
            f"the plan supports {MINUTES_RANGE[0]} to {MINUTES_RANGE[1]} minutes",
        )
        return None, True, pace
    return minutes, True, pace
