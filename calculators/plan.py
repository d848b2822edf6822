"""The return-to-run plan: walking gate, the published walk/run ladder, then a capped build.

Days are offsets from the start date (day 0); dates are added only when the result is
turned into data with a start date, so the engine has no clock and is deterministic.

Phases:
  walking   walking build-up when the entry gate is not yet passed (the plan stops there)
            or pain-free walking weeks the protocol always asks for first (bone)
  walk_run  the published ladder, copied exactly, every other day (2-3 sessions a week)
  build     continuous running back to pre-injury weekly minutes, with the guardrails:
            no run more than session_cap_percent longer than the longest run of the last
            session_window_days days, at most new_longest_per_week new longest runs a week,
            weekly running at most weekly_cap_percent above the highest week so far (a
            labelled conservative cap), a lighter week every cutback_every_weeks build weeks,
            and speed or hills only from intensity_from_percent of the target.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from calculators.catalogue import Build, Catalogue, Family, Level, Protocol, Source
from calculators.inputs import PlanInput

WALK_RUN_DAYS = {1: (0,), 2: (0, 3), 3: (0, 2, 4)}
"""Every other day: never two running days in a row, also across the week boundary."""
BUILD_DAYS = {
    1: (0,), 2: (0, 3), 3: (0, 2, 4), 4: (0, 1, 3, 5),
    5: (0, 1, 2, 4, 5), 6: (0, 1, 2, 3, 4, 5), 7: (0, 1, 2, 3, 4, 5, 6),
}
"""Build weeks; the last session is the longest and is followed by a rest day when n < 7."""
MAX_BUILD_WEEKS = 200


@dataclass(frozen=True, slots=True)
class Session:
    """One session on day `day` (0 = the start date): `reps` times (run + walk) minutes."""

    day: int
    phase: str
    level: int
    label: str
    run_minutes: int
    walk_minutes: int
    reps: int
    new_longest: bool = False
    running_minutes: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "running_minutes", self.run_minutes * self.reps)

    @property
    def total_minutes(self) -> int:
        return (self.run_minutes + self.walk_minutes) * self.reps


@dataclass(frozen=True, slots=True)
class Week:
    number: int
    sessions: tuple[Session, ...]
    cutback: bool = False
    intensity: str = "easy"
    running_minutes: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "running_minutes",
                           sum(s.running_minutes for s in self.sessions))

    @property
    def phase(self) -> str:
        phases = [s.phase for s in self.sessions]
        return phases[-1] if phases else "rest"

    @property
    def label(self) -> str:
        labels = list(dict.fromkeys(s.label for s in self.sessions))
        return " then ".join(labels)


@dataclass(frozen=True)
class Guardrail:
    text: str
    reference: str
    grade: str


@dataclass(frozen=True)
class Plan:
    status: str
    message: str
    condition: str
    condition_name: str
    protocol: Protocol
    family: Family
    weeks: tuple[Week, ...]
    target_minutes_per_week: int
    target_runs_per_week: int
    return_week: int | None
    warnings: tuple[str, ...]
    guardrails: tuple[Guardrail, ...]
    race: dict[str, Any] | None = field(default=None)

    @property
    def return_day(self) -> int | None:
        if self.return_week is None:
            return None
        return self.weeks[self.return_week - 1].sessions[0].day

    def sessions(self) -> list[Session]:
        return [s for w in self.weeks for s in w.sessions]

    def to_dict(self, catalogue: Catalogue, start: date | None) -> dict[str, Any]:
        """JSON-ready data. With start=None there are day numbers only (day 1 = start)."""

        base = start.toordinal() if start is not None else 0

        def when(day: int | None) -> str | None:
            if start is None or day is None:
                return None
            return date.fromordinal(base + day).isoformat()

        p, fam = self.protocol, self.family
        return {
            "status": self.status,
            "message": self.message,
            "condition": self.condition,
            "condition_name": self.condition_name,
            "protocol": p.key,
            "protocol_name": p.name,
            "protocol_grade": p.grade,
            "protocol_citations": [catalogue.cite(k) for k in p.references],
            "self_check": fam.key,
            "start_date": start.isoformat() if start else None,
            "entry_gate": p.entry_gate.text,
            "target_minutes_per_week": self.target_minutes_per_week,
            "target_runs_per_week": self.target_runs_per_week,
            "return_week": self.return_week,
            "return_day": None if self.return_day is None else self.return_day + 1,
            "return_date": when(self.return_day),
            "total_weeks": len(self.weeks),
            "weeks": [
                {
                    "week": w.number,
                    "label": w.label,
                    "phase": w.phase,
                    "cutback": w.cutback,
                    "intensity": w.intensity,
                    "running_minutes": w.running_minutes,
                    "start_day": (w.number - 1) * 7 + 1,
                    "start_date": when((w.number - 1) * 7),
                    "sessions": [
                        {
                            "day": s.day + 1,
                            "date": when(s.day),
                            "phase": s.phase,
                            "level": s.level,
                            "label": s.label,
                            "run_minutes": s.run_minutes,
                            "walk_minutes": s.walk_minutes,
                            "reps": s.reps,
                            "running_minutes": s.running_minutes,
                            "total_minutes": s.total_minutes,
                            "new_longest": s.new_longest,
                            "text": describe_session(s, p.block_order),
                        }
                        for s in w.sessions
                    ],
                }
                for w in self.weeks
            ],
            "progression": list(p.progression),
            "after_amber": _advice(catalogue, fam.after_amber),
            "after_red": _advice(catalogue, fam.after_red),
            "guardrails": [
                {"text": g.text, "reference": g.reference,
                 "citation": catalogue.cite(g.reference), "grade": g.grade}
                for g in self.guardrails
            ],
            "warnings": list(self.warnings),
            "race": None if self.race is None else {
                **self.race,
                "date": when(self.race["day"] - 1),
            },
        }


def _advice(catalogue: Catalogue, advice: Any) -> dict[str, Any]:
    return {"action": advice.action, "levels": advice.levels, "text": advice.text,
            "reference": advice.reference, "citation": catalogue.cite(advice.reference),
            "grade": advice.grade}


def describe_session(s: Session, block_order: str) -> str:
    if s.phase == "walking":
        return f"Brisk walk {s.walk_minutes} min"
    if s.walk_minutes == 0:
        return f"Run {s.running_minutes} min continuously"
    run, walk = f"run {s.run_minutes} min", f"walk {s.walk_minutes} min"
    block = f"{run} / {walk}" if block_order == "run_walk" else f"{walk} / {run}"
    return f"{s.reps} × ({block}), {s.total_minutes} min in all"


class _Calendar:
    """Places sessions on running days, n a week, never on back-to-back days."""

    def __init__(self, per_week: int) -> None:
        self.days = WALK_RUN_DAYS[per_week]
        self.week = 0
        self.slot = 0
        self.sessions: list[Session] = []

    def new_week(self) -> None:
        if self.slot:
            self.week += 1
            self.slot = 0

    def place(self, phase: str, level: int, label: str, *, run: int, walk: int, reps: int
              ) -> None:
        day = self.week * 7 + self.days[self.slot]
        self.sessions.append(Session(day, phase, level, label, run, walk, reps))
        self.slot += 1
        if self.slot == len(self.days):
            self.slot = 0
            self.week += 1


def _walking(cal: _Calendar, protocol: Protocol, per_week: int) -> None:
    for walk in protocol.walking_phase:
        cal.new_week()
        for _ in range(walk.weeks * per_week):
            cal.place("walking", 0, walk.label, run=0, walk=walk.walk_minutes, reps=1)


def _ladder(cal: _Calendar, protocol: Protocol, per_week: int, hold_weeks: int, target: int
            ) -> None:
    if protocol.walk_before_running_weeks:
        cal.new_week()
        minutes = protocol.entry_gate.walk_minutes
        for _ in range(protocol.walk_before_running_weeks * per_week):
            cal.place("walking", 0, f"Brisk walk {minutes} minutes", run=0, walk=minutes, reps=1)
    for number, level in enumerate(protocol.levels, start=1):
        if level.weeks is not None:
            cal.new_week()
            for i in range(level.weeks * per_week):
                _place_level(cal, number, level, level.reps[min(i, len(level.reps) - 1)])
        else:
            for reps in level.reps:
                _place_level(cal, number, level, reps)
    last = protocol.levels[-1]
    # Consolidation weeks repeat the last level, never above the usual weekly time.
    sessions = max(1, min(per_week, -(-target // last.run_minutes)))
    for _ in range(hold_weeks):
        cal.new_week()
        for _ in range(sessions):
            cal.place("walk_run", len(protocol.levels), f"{last.label} again (consolidation)",
                      run=last.run_minutes, walk=0, reps=1)
    cal.new_week()


def _place_level(cal: _Calendar, number: int, level: Level, reps: int) -> None:
    cal.place("walk_run", number, level.label, run=level.run_minutes, walk=level.walk_minutes,
              reps=reps)


def _weeks(sessions: list[Session]) -> list[list[Session]]:
    if not sessions:
        return []
    weeks: list[list[Session]] = [[] for _ in range(sessions[-1].day // 7 + 1)]
    for s in sessions:
        weeks[s.day // 7].append(s)
    return weeks


class _Window:
    """The longest run of the last `days` days, for days asked about in increasing order.

    A monotonic queue: each session is added and dropped once, so a whole plan is linear.
    """

    def __init__(self, days: int, sessions: list[Session]) -> None:
        self.days = days
        self.queue: deque[tuple[int, int]] = deque()
        for session in sessions:
            self.add(session)

    def add(self, session: Session) -> None:
        queue = self.queue
        while queue and queue[-1][1] <= session.running_minutes:
            queue.pop()
        queue.append((session.day, session.running_minutes))

    def longest_before(self, day: int) -> int:
        queue = self.queue
        while queue and queue[0][0] < day - self.days:
            queue.popleft()
        return queue[0][1] if queue else 0


def _week_sessions(window: _Window, days: list[int], wanted: int, b: Build) -> list[Session]:
    """One build week: equal runs no longer than the recent longest, then one long run of at
    most session_cap_percent more (the week's only possible new longest run)."""
    sessions = []
    base = wanted // len(days)
    for day in days[:-1]:
        limit = window.longest_before(day)
        session = Session(day, "build", 0, "Continuous running", max(1, min(base, limit)), 0, 1)
        window.add(session)
        sessions.append(session)
    limit = max(window.longest_before(days[-1]), 1)
    remaining = wanted - sum(s.running_minutes for s in sessions)
    long_run = max(1, min(limit * (100 + b.session_cap_percent) // 100, remaining))
    session = Session(days[-1], "build", 0, "Continuous running", long_run, 0, 1,
                      new_longest=long_run > limit)
    window.add(session)
    sessions.append(session)
    return sessions


def _runs_needed(wanted: int, *, target: int, runs: int, least: int, longest: int, b: Build
                 ) -> int:
    """Sessions this week: grow with the volume, and add a day when the session cap would
    otherwise stop the week reaching its minutes."""
    n = max(least, -(-wanted * runs // target))
    long_cap = longest * (100 + b.session_cap_percent) // 100
    while n < runs and (n - 1) * longest + long_cap < wanted:
        n += 1
    return min(n, runs, 7)


def _build(
    protocol: Protocol, *, history: list[Session], first_week: int, target: int, runs: int,
    ladder_per_week: int, week_totals: list[int],
) -> tuple[list[Session], int, dict[int, tuple[bool, str]]]:
    """Continuous running up to `target` minutes a week; returns sessions, the return week
    (0-based) and per-week (cutback, intensity) marks."""
    b = protocol.build
    loading_max = max(week_totals, default=0)
    last_loading = week_totals[-1] if week_totals else 0
    window = _Window(b.session_window_days, history)
    added: list[Session] = []
    marks: dict[int, tuple[bool, str]] = {}
    introduced = False
    for build_week in range(1, MAX_BUILD_WEEKS + 1):
        week = first_week + build_week - 1
        cutback = build_week % b.cutback_every_weeks == 0
        if cutback:
            wanted = last_loading * (100 - b.cutback_percent) // 100
        else:
            wanted = min(target, loading_max * (100 + b.weekly_cap_percent) // 100)
        intensity = "quality_allowed" if introduced else "easy"
        if not cutback and not introduced and (
            wanted * 100 >= b.intensity_from_percent * target
        ):
            # Duration before intensity, one change at a time: the week speed or hills come
            # back, the time does not go up.
            introduced, intensity = True, "introduce"
            wanted = min(wanted, max(loading_max, 1))
        longest = max(window.longest_before(week * 7), 1)
        n = _runs_needed(wanted, target=target, runs=runs, least=min(ladder_per_week, runs),
                         longest=longest, b=b)
        sessions = _week_sessions(window, [week * 7 + d for d in BUILD_DAYS[n]], wanted, b)
        total = sum(s.running_minutes for s in sessions)
        added += sessions
        marks[week] = (cutback, intensity)
        if not cutback:
            loading_max = max(loading_max, total)
            last_loading = total
            if total >= target:
                return added, week, marks
    raise RuntimeError("the build did not reach the target; the protocol's caps are too tight")


def build_plan(catalogue: Catalogue, inp: PlanInput, protocol: Protocol) -> Plan:
    """The whole plan for validated input. Pure: the same input always gives the same plan."""
    condition = catalogue.conditions[inp.condition]
    family = catalogue.families[condition.self_check]
    per_week = min(protocol.max_sessions_per_week, inp.running_days_per_week)
    runs = min(inp.pre_injury_runs_per_week, inp.running_days_per_week)
    target = inp.target_minutes_per_week
    warnings = _warnings(inp, protocol, per_week, runs)
    guardrails = _guardrails(protocol)

    def plan(status: str, message: str, weeks: list[Week], return_week: int | None,
             race: dict[str, Any] | None = None) -> Plan:
        return Plan(status, message, condition.slug, condition.name, protocol, family,
                    tuple(weeks), target, runs, return_week, tuple(warnings), guardrails, race)

    if inp.goal_race_date is not None and (inp.today_colour == "red" or not (
            inp.walk_test_passed
            and (not protocol.entry_gate.hop_test or bool(inp.hop_test_passed)))):
        warnings.append("No return date can be estimated for your race until the plan can "
                        "start: see the message above.")
    if inp.today_colour == "red":
        return plan("stop", "Today's self-check was red. Do not start the plan: "
                    + family.after_red.text, [], None)
    gate_passed = inp.walk_test_passed and (
        not protocol.entry_gate.hop_test or bool(inp.hop_test_passed)
    )
    if not gate_passed:
        cal = _Calendar(per_week)
        _walking(cal, protocol, per_week)
        weeks = [Week(i + 1, tuple(ws)) for i, ws in enumerate(_weeks(cal.sessions))]
        return plan("not_yet", "Not yet: build up your walking first. Start the running plan "
                    f"when this is true: {protocol.entry_gate.text}", weeks, None)

    hold_weeks = 0
    while True:
        cal = _Calendar(per_week)
        _ladder(cal, protocol, per_week, hold_weeks, target)
        ladder_weeks = _weeks(cal.sessions)
        totals = [sum(s.running_minutes for s in w) for w in ladder_weeks]
        build, return_index, marks = _build(
            protocol, history=cal.sessions, first_week=cal.week, target=target, runs=runs,
            ladder_per_week=per_week, week_totals=totals,
        )
        grouped = _weeks(cal.sessions + build)
        if protocol.min_weeks is None or return_index + 1 >= protocol.min_weeks:
            break
        hold_weeks += protocol.min_weeks - (return_index + 1)
    weeks = [
        Week(i + 1, tuple(ws), *marks.get(i, (False, "easy"))) for i, ws in enumerate(grouped)
    ]
    if inp.today_colour == "amber":
        status, message = "hold", (
            "Today's self-check was amber: do not start today. Repeat the self-check before "
            "day 1 and start on a green day; if you start later, move every date back too."
        )
    else:
        status, message = "ready", (
            f"Start on day 1. You should be back to {target} minutes a week in week "
            f"{return_index + 1}, if every check stays green."
        )
    race = _race(inp, weeks, return_index, warnings)
    return plan(status, message, weeks, return_index + 1, race)


def _race(inp: PlanInput, weeks: list[Week], return_index: int, warnings: list[str]
          ) -> dict[str, Any] | None:
    if inp.goal_race_date is None:
        return None
    race_day = (inp.goal_race_date - inp.start_date).days
    return_day = weeks[return_index].sessions[0].day
    before = [s.running_minutes for w in weeks for s in w.sessions
              if s.day < race_day and s.phase == "build"]
    longest = max(before, default=0)
    longest_km = round(longest / inp.easy_pace_min_per_km, 1)
    realistic = race_day >= return_day
    if not realistic:
        warnings.append(
            f"Your race is on day {race_day + 1}, but this plan only gets you back to your usual "
            f"running in week {return_index + 1} (day {return_day + 1}). Racing sooner means "
            "skipping the steps that protect the injury: choose a later race, or talk to a "
            "clinician before you enter."
        )
    if inp.goal_race_km is not None and inp.goal_race_km > longest_km:
        realistic = False
        warnings.append(
            f"Your longest continuous run before the race will be about {longest} minutes "
            f"(about {longest_km} km at {inp.easy_pace_min_per_km:g} min/km), shorter than the "
            f"race ({inp.goal_race_km:g} km)."
        )
    return {"day": race_day + 1, "realistic": realistic, "longest_run_minutes": longest,
            "longest_run_km": longest_km, "distance_km": inp.goal_race_km}


def _warnings(inp: PlanInput, protocol: Protocol, per_week: int, runs: int) -> list[str]:
    warnings = []
    if inp.target_from_km:
        warnings.append(
            f"Your weekly kilometres were turned into {inp.target_minutes_per_week} minutes at "
            f"{inp.easy_pace_min_per_km:g} minutes per km; give easy_pace_min_per_km to use "
            "your own easy pace."
        )
    if (protocol.intended_min_days_off is not None
            and inp.days_since_stopped < protocol.intended_min_days_off):
        warnings.append(
            f"This programme was written for runners off running for at least "
            f"{protocol.intended_min_days_off} days; you stopped {inp.days_since_stopped} days "
            "ago. It may feel easy; still move up only when the self-check allows."
        )
    if inp.running_days_per_week < inp.pre_injury_runs_per_week:
        warnings.append(
            f"You have {inp.running_days_per_week} running days a week but usually ran "
            f"{inp.pre_injury_runs_per_week} times, so your usual weekly time is spread over "
            f"{runs} longer runs."
        )
    if runs < per_week:
        warnings.append(
            f"The walk/run weeks use {per_week} sessions a week even though you usually ran "
            f"{inp.pre_injury_runs_per_week} times a week: short, frequent sessions are gentler "
            "than a few long ones."
        )
    return warnings


def _guardrails(p: Protocol) -> tuple[Guardrail, ...]:
    b = p.build

    def g(text: str, src: Source) -> Guardrail:
        return Guardrail(text + (f" {src.note}" if src.note else ""), src.reference, src.grade)

    return (
        Guardrail(
            f"Run every other day ({p.min_sessions_per_week} to {p.max_sessions_per_week} "
            "sessions a week, never two days in a row) in the walking and walk/run phases. "
            "Those weeks follow the published table exactly; the caps below apply from the "
            "first continuous run.",
            p.entry_gate.source.reference, p.entry_gate.source.grade,
        ),
        g(f"No run more than {b.session_cap_percent}% longer than your longest run in the "
          f"previous {b.session_window_days} days, and at most {b.new_longest_per_week} new "
          "longest run a week.", b.session_cap_source),
        g(f"Weekly running rises by at most {b.weekly_cap_percent}% over your highest week so "
          f"far. {b.weekly_cap_label}", b.weekly_cap_source),
        g(f"Every {b.cutback_every_weeks}th week of continuous running is a lighter week "
          f"({b.cutback_percent}% less).", b.cutback_source),
        g(f"Time before speed: easy running only until you are back to "
          f"{b.intensity_from_percent}% of your usual weekly running. Then add strides or hills "
          "to one run a week, in a week when the time does not go up.", b.intensity_source),
    )
