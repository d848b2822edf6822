"""The return-to-run plan: walking gate, the published walk/run ladder, then a capped build.

Days are offsets from the start date (day 0); dates are added only when the result is
turned into data with a start date, so the engine has no clock and is deterministic.

Before any session: a ticked red flag gives only a referral; a red check today gives no
running and a referral; a high-risk (or unknown) fracture site gives a clinician-led path.

Phases:
  walking   walking build-up when the entry gate is not yet passed (the plan stops there),
            pain-free walking weeks the protocol always asks for first (bone), walking until
            the page's shortest typical recovery has passed (min_time_off), or one entry-level
            walk when today's check was amber (hold: no move up from where you are)
  walk_run  the published ladder, every other day (2-3 sessions a week); the ladder's own
            steps apply, trimmed only where a session or week would pass the runner's usual
  build     continuous running back to pre-injury weekly minutes, with the guardrails:
            no run more than session_cap_percent longer than the longest run of the last
            session_window_days days, at most new_longest_per_week new longest runs a week,
            weekly running at most weekly_cap_percent above the highest week so far (a
            labelled conservative cap), a lighter week every cutback_every_weeks build weeks,
            and speed or hills only from intensity_from_percent of the target.

Everywhere: no run longer than the runner's usual run (pre-injury minutes / runs, rounded up),
no week above their usual week, the protocol's schedule (no back-to-back days, rest days).

What the engine returns (sessions, weeks, guardrails, the plan and its JSON form) is
in `plan_result.py`.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Any

from calculators.catalogue import Build, Catalogue, Condition, FractureSite, Level, Protocol, Source
from calculators.inputs import NOT_SURE_SITE, PlanInput
from calculators.plan_result import Guardrail, Plan, Session, Week
from calculators.self_check import urgency_text
from calculators.vocabulary import URGENCIES, PlanStatus, Urgency

WALK_RUN_DAYS = {1: (0,), 2: (0, 3), 3: (0, 2, 4)}
"""Every other day: never two running days in a row, also across the week boundary."""
BUILD_DAYS = {
    1: (0,),
    2: (0, 3),
    3: (0, 2, 4),
    4: (0, 1, 3, 5),
    5: (0, 1, 2, 4, 5),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}
"""Build weeks; the last session is the longest and is followed by a rest day when n < 7."""
MOST_WITHOUT_BACK_TO_BACK = 3
"""Days 0, 2 and 4: the most runs a week with never two days in a row, across weeks too."""
MAX_BUILD_WEEKS = 200


@dataclass(frozen=True)
class _Limits:
    """What no session or week may pass, and how many runs a build week may hold."""

    session: int
    """The runner's usual run: pre-injury weekly minutes / runs a week, rounded up."""
    week: int
    """The runner's usual week."""
    build_runs: int
    """Most runs in a continuous-running week: usual runs, days free and the schedule."""
    back_to_back_always: bool

    @property
    def build_target(self) -> int:
        """The weekly running the plan returns to: the usual week, or less if the runs the
        schedule allows, each no longer than the usual run, cannot hold it."""
        return min(self.week, self.build_runs * self.session)


def _limits(inp: PlanInput, protocol: Protocol) -> _Limits:
    schedule = protocol.schedule
    always = schedule.no_back_to_back == "always"
    most = MOST_WITHOUT_BACK_TO_BACK if always else 7 - schedule.min_rest_days_per_week
    runs = min(inp.pre_injury_runs_per_week, inp.running_days_per_week, most)
    target = inp.target_minutes_per_week
    return _Limits(max(1, -(-target // inp.pre_injury_runs_per_week)), target, max(1, runs), always)


def _build_days(n: int, limits: _Limits) -> tuple[int, ...]:
    return WALK_RUN_DAYS[n] if limits.back_to_back_always else BUILD_DAYS[n]


class _Calendar:
    """Places sessions on running days, n a week, never on back-to-back days, and never more
    running in one week than the runner's usual week (a session moves to the next week)."""

    def __init__(self, per_week: int, week_cap: int) -> None:
        self.days = WALK_RUN_DAYS[per_week]
        self.week_cap = week_cap
        self.week = 0
        self.slot = 0
        self.week_running = 0
        self.sessions: list[Session] = []

    def new_week(self) -> None:
        if self.slot:
            self.week += 1
            self.slot = 0
            self.week_running = 0

    def place(self, phase: str, level: int, label: str, *, run: int, walk: int, reps: int) -> None:
        if self.slot and self.week_running + run * reps > self.week_cap:
            self.new_week()
        day = self.week * 7 + self.days[self.slot]
        self.sessions.append(Session(day, phase, level, label, run, walk, reps))
        self.week_running += run * reps
        self.slot += 1
        if self.slot == len(self.days):
            self.new_week()


def _walking(cal: _Calendar, protocol: Protocol, per_week: int) -> None:
    for walk in protocol.walking_phase:
        cal.new_week()
        for _ in range(walk.weeks * per_week):
            cal.place("walking", 0, walk.label, run=0, walk=walk.walk_minutes, reps=1)


def _fit(level: Level, reps: int, cap: int) -> tuple[int, int, int, str]:
    """The ladder's session, trimmed only if its running would pass the runner's usual run:
    fewer repetitions of the same blocks, or a shorter continuous run."""
    if level.run_minutes * reps <= cap:
        return level.run_minutes, level.walk_minutes, reps, level.label
    label = f"{level.label}, shortened to your usual run"
    if level.walk_minutes == 0 or cap < level.run_minutes:
        return min(level.run_minutes, cap), level.walk_minutes, 1, label
    return level.run_minutes, level.walk_minutes, cap // level.run_minutes, label


def _ladder(
    cal: _Calendar,
    protocol: Protocol,
    per_week: int,
    hold_weeks: int,
    limits: _Limits,
    *,
    walk_weeks: int,
    amber: bool,
) -> None:
    minutes = protocol.entry_gate.walk_minutes
    if walk_weeks:
        cal.new_week()
        for _ in range(walk_weeks * per_week):
            cal.place("walking", 0, f"Brisk walk {minutes} minutes", run=0, walk=minutes, reps=1)
    elif amber:
        # Amber means hold: the first session stays at the entry level, a walk.
        cal.place(
            "walking",
            0,
            f"Brisk walk {minutes} minutes (entry level: today's check was amber)",
            run=0,
            walk=minutes,
            reps=1,
        )
    held: list[tuple[int, int, int, str]] = []

    def no_step_down(fitted: tuple[int, int, int, str]) -> tuple[int, int, int, str]:
        # Trimming to the usual run can make a level shorter than the one before (2 x 5 =
        # 10 minutes, then 3 x 3 = 9): a trim never steps down, so it repeats the blocks
        # before. (A published ladder's own step to longer blocks with less running stays.)
        trimmed = fitted[3].endswith("shortened to your usual run")
        if trimmed and held and fitted[0] * fitted[2] < held[-1][0] * held[-1][2]:
            run, walk, reps, _ = held[-1]
            fitted = (run, walk, reps, f"{fitted[3].split(',')[0]}, held at your usual run")
        held.append(fitted)
        return fitted

    for number, level in enumerate(protocol.levels, start=1):
        if level.weeks is not None:
            for week in range(level.weeks):
                cal.new_week()
                fitted = [
                    no_step_down(
                        _fit(
                            level,
                            level.reps[min(week * per_week + i, len(level.reps) - 1)],
                            limits.session,
                        )
                    )
                    for i in range(per_week)
                ]
                count = max(1, min(per_week, limits.week // max(f[0] * f[2] for f in fitted)))
                for run, walk, reps, label in fitted[:count]:
                    cal.place("walk_run", number, label, run=run, walk=walk, reps=reps)
        else:
            for reps in level.reps:
                run, walk, fitted_reps, label = no_step_down(_fit(level, reps, limits.session))
                cal.place("walk_run", number, label, run=run, walk=walk, reps=fitted_reps)
    last = protocol.levels[-1]
    run = min(last.run_minutes, limits.session)
    # Consolidation weeks repeat the last level, never above the usual weekly time.
    sessions = max(1, min(per_week, limits.week // run))
    for _ in range(hold_weeks):
        cal.new_week()
        for _ in range(sessions):
            cal.place(
                "walk_run",
                len(protocol.levels),
                f"{last.label} again (consolidation)",
                run=run,
                walk=0,
                reps=1,
            )
    cal.new_week()


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


def _week_sessions(
    window: _Window, days: list[int], wanted: int, b: Build, cap: int
) -> list[Session]:
    """One build week: equal runs no longer than the recent longest, then one long run of at
    most session_cap_percent more (the week's only possible new longest run); none longer
    than the runner's usual run (`cap`)."""
    sessions = []
    base = wanted // len(days)
    for day in days[:-1]:
        limit = min(window.longest_before(day), cap)
        session = Session(day, "build", 0, "Continuous running", max(1, min(base, limit)), 0, 1)
        window.add(session)
        sessions.append(session)
    limit = max(window.longest_before(days[-1]), 1)
    remaining = wanted - sum(s.running_minutes for s in sessions)
    long_run = max(1, min(limit * (100 + b.session_cap_percent) // 100, remaining, cap))
    session = Session(
        days[-1], "build", 0, "Continuous running", long_run, 0, 1, new_longest=long_run > limit
    )
    window.add(session)
    sessions.append(session)
    return sessions


def _runs_needed(
    wanted: int, *, target: int, runs: int, least: int, longest: int, b: Build, cap: int
) -> int:
    """Sessions this week: grow with the volume, and add a day when the session cap would
    otherwise stop the week reaching its minutes."""
    n = max(least, -(-wanted * runs // target))
    usual = min(longest, cap)
    long_cap = min(longest * (100 + b.session_cap_percent) // 100, cap)
    while n < runs and (n - 1) * usual + long_cap < wanted:
        n += 1
    return min(n, runs)


def _build(
    protocol: Protocol,
    *,
    history: list[Session],
    first_week: int,
    limits: _Limits,
    ladder_per_week: int,
    week_totals: list[int],
) -> tuple[list[Session], int, dict[int, tuple[bool, str]]]:
    """Continuous running up to the return target; returns sessions, the return week
    (0-based) and per-week (cutback, intensity) marks. Stops early, at the volume reached,
    if whole minutes can no longer grow within the caps."""
    b = protocol.build
    target, runs = limits.build_target, limits.build_runs
    loading_max = max(week_totals, default=0)
    last_loading = week_totals[-1] if week_totals else 0
    window = _Window(b.session_window_days, history)
    added: list[Session] = []
    marks: dict[int, tuple[bool, str]] = {}
    introduced = False
    stalled = 0
    previous, previous_cutback = last_loading, False  # the week just before
    for build_week in range(1, MAX_BUILD_WEEKS + 1):
        week = first_week + build_week - 1
        cutback = build_week % b.cutback_every_weeks == 0
        if cutback:
            wanted = last_loading * (100 - b.cutback_percent) // 100
        else:
            wanted = min(target, loading_max * (100 + b.weekly_cap_percent) // 100)
        intensity = "quality_allowed" if introduced else "easy"
        if (
            not cutback
            and not introduced
            and not previous_cutback
            and (previous * 100 >= b.intensity_from_percent * limits.week)
        ):
            # Duration before intensity, one change at a time: the week speed or hills come
            # back, the time does not go up over the week before. So it waits for a week
            # after one already at the threshold (never right after a lighter week or a
            # half-empty last ladder week), and holds that week's time.
            introduced, intensity = True, "introduce"
            wanted = min(wanted, previous)
        longest = max(window.longest_before(week * 7), 1)
        n = _runs_needed(
            wanted,
            target=target,
            runs=runs,
            least=min(ladder_per_week, runs),
            longest=longest,
            b=b,
            cap=limits.session,
        )
        days = [week * 7 + d for d in _build_days(n, limits)]
        sessions = _week_sessions(window, days, max(wanted, 1), b, limits.session)
        total = sum(s.running_minutes for s in sessions)
        added += sessions
        marks[week] = (cutback, intensity)
        previous, previous_cutback = total, cutback
        if not cutback:
            grew = total > last_loading or intensity == "introduce"
            stalled = 0 if grew else stalled + 1
            loading_max = max(loading_max, total)
            last_loading = total
            if total >= target or stalled >= 2:
                return added, week, marks
    raise RuntimeError("the build did not reach the target; the protocol's caps are too tight")


def _first_run_day(
    catalogue: Catalogue, condition: Condition, inp: PlanInput, protocol: Protocol
) -> int:
    """Day offset before which no run may be scheduled (0 = none)."""
    rule = protocol.min_time_off
    if rule is None or condition.tissue not in rule.tissues:
        return 0
    return max(0, math.ceil(condition.timeline.min_weeks * 7) - inp.days_since_stopped)


def _referral(catalogue: Catalogue, urgency: Urgency, reasons: list[str]) -> dict[str, Any]:
    return {"urgency": urgency, "text": urgency_text(catalogue, urgency), "reasons": reasons}


def build_plan(catalogue: Catalogue, inp: PlanInput, protocol: Protocol) -> Plan:
    """The whole plan for validated input. Pure: the same input always gives the same plan."""
    condition = catalogue.conditions[inp.condition]
    family = catalogue.self_checks[condition.self_check]
    per_week = min(protocol.max_sessions_per_week, inp.running_days_per_week)
    limits = _limits(inp, protocol)
    target = inp.target_minutes_per_week
    warnings: list[str] = []
    guardrails = _guardrails(protocol, limits, condition)
    site = _site(protocol, condition, inp.fracture_site)
    assumptions = {
        "today_colour": inp.today_colour,
        "red_flags": list(inp.red_flags),
        "fracture_site": None if site is None else site.text,
        "days_since_stopped": inp.days_since_stopped,
        "entry_gate_passed": inp.walk_test_passed
        and (not protocol.entry_gate.hop_test or bool(inp.hop_test_passed)),
    }

    def plan(
        status: PlanStatus,
        message: str,
        weeks: list[Week],
        return_week: int | None,
        *,
        race: dict[str, Any] | None = None,
        referral: dict[str, Any] | None = None,
        returned: int | None = None,
        length: dict[str, Any] | None = None,
    ) -> Plan:
        return Plan(
            status,
            message,
            condition.slug,
            condition.name,
            protocol,
            family,
            tuple(weeks),
            target,
            limits.build_runs,
            return_week,
            tuple(warnings),
            guardrails,
            race,
            referral,
            returned,
            limits.session,
            length,
            assumptions,
        )

    stop = _no_running(catalogue, protocol, condition, inp, site)
    if stop is not None:
        return plan(stop[0], stop[1], [], None, referral=stop[2])
    if inp.goal_race_date is not None and not assumptions["entry_gate_passed"]:
        warnings.append(
            "No return date can be estimated for your race until the plan can "
            "start: see the message above."
        )
    if not assumptions["entry_gate_passed"]:
        cal = _Calendar(per_week, limits.week)
        _walking(cal, protocol, per_week)
        weeks = [Week(i + 1, tuple(ws)) for i, ws in enumerate(_weeks(cal.sessions))]
        return plan(
            "not_yet",
            "Not yet: build up your walking first. Start the running plan "
            f"when this is true: {protocol.entry_gate.text}",
            weeks,
            None,
        )

    warnings += _warnings(inp, protocol, per_week, limits)
    first_run = _first_run_day(catalogue, condition, inp, protocol)
    walk_weeks = max(protocol.walk_before_running_weeks, -(-first_run // 7))
    if walk_weeks > protocol.walk_before_running_weeks:
        warnings.append(
            f"No running before week {walk_weeks + 1}: the shortest typical recovery on this "
            f"page is {condition.timeline.min_weeks:g} weeks and you stopped "
            f"{inp.days_since_stopped} days ago, so the plan walks until then."
        )
    hold_weeks = 0
    while True:
        cal = _Calendar(per_week, limits.week)
        _ladder(
            cal,
            protocol,
            per_week,
            hold_weeks,
            limits,
            walk_weeks=walk_weeks,
            amber=inp.today_colour == "amber",
        )
        ladder_weeks = _weeks(cal.sessions)
        totals = [sum(s.running_minutes for s in w) for w in ladder_weeks]
        build, return_index, marks = _build(
            protocol,
            history=cal.sessions,
            first_week=cal.week,
            limits=limits,
            ladder_per_week=per_week,
            week_totals=totals,
        )
        grouped = _weeks(cal.sessions + build)
        if protocol.min_weeks is None or return_index + 1 >= protocol.min_weeks:
            break
        hold_weeks += protocol.min_weeks - (return_index + 1)
    weeks = [Week(i + 1, tuple(ws), *marks.get(i, (False, "easy"))) for i, ws in enumerate(grouped)]
    returned = weeks[return_index].running_minutes
    if returned < target:
        warnings.append(_short_of_target(inp, protocol, limits, returned))
    length = _length(condition, protocol, weeks, return_index, cal.week)
    if length["longer_than_typical"]:
        warnings.append(length["reason"])
    status: PlanStatus
    if inp.today_colour == "amber":
        status, message = (
            "hold",
            (
                "Today's self-check was amber, so hold: your first session is the entry level, a "
                f"{protocol.entry_gate.walk_minutes}-minute brisk walk, not a run. Move on to the "
                "running sessions only after a green check."
            ),
        )
    else:
        status, message = (
            "ready",
            (
                f"Start on day 1. You should be back to {returned} minutes a week in week "
                f"{return_index + 1}, if every check stays green."
            ),
        )
    race = _race(inp, weeks, return_index, warnings)
    return plan(
        status, message, weeks, return_index + 1, race=race, returned=returned, length=length
    )


def _no_running(
    catalogue: Catalogue,
    protocol: Protocol,
    condition: Condition,
    inp: PlanInput,
    site: FractureSite | None,
) -> tuple[PlanStatus, str, dict[str, Any]] | None:
    """Red flags always win, then today's colour, then a high-risk site: no running at all."""
    flags = [f for f in condition.red_flags if f.id in inp.red_flags]
    today = inp.today_urgency if inp.today_colour == "red" else None
    if flags:
        urgency = max([f.urgency for f in flags] + ([today] if today else []), key=URGENCIES.index)
        return (
            "refer",
            "You ticked a warning sign, so there is no running plan. Do not run; "
            "get help as below.",
            _referral(catalogue, urgency, [f.text for f in flags]),
        )
    if inp.today_colour == "red":
        family = catalogue.self_checks[condition.self_check]
        reasons = (
            []
            if today
            else [
                "Your self-check was red, but no urgency came with it, so this assumes the "
                "slowest one (see a clinician soon). If the check named a warning sign that needs "
                "faster help, follow the check's advice."
            ]
        )
        return (
            "stop",
            "Today's self-check was red. Do not start the plan and schedule no "
            "running: " + family.after_red.text,
            _referral(catalogue, today or "soon", reasons),
        )
    if site is not None and site.high_risk:
        assert protocol.fracture_sites is not None
        return (
            "clinician_led",
            protocol.fracture_sites.clinician_led,
            _referral(catalogue, "soon", [site.text]),
        )
    gate = protocol.entry_gate
    failed = [
        g
        for g, passed in (
            (gate.failed_walk, inp.walk_test_passed),
            (gate.failed_hop, inp.hop_test_passed),
        )
        if g and not passed
    ]
    if failed:
        urgency = max((g.urgency for g in failed), key=URGENCIES.index)
        return (
            "refer",
            "Your answers to the entry tests are a warning sign for this injury, "
            "so there is no walking or running plan. Get help as below.",
            _referral(catalogue, urgency, [g.reason for g in failed]),
        )
    return None


def _site(protocol: Protocol, condition: Condition, answer: str | None) -> FractureSite | None:
    if answer is None or protocol.fracture_sites is None:
        return None
    sites = protocol.fracture_sites.conditions.get(condition.slug, ())
    found = next((s for s in sites if s.id == answer), None)
    return found or FractureSite(
        id=NOT_SURE_SITE,
        text="You are not sure where the fracture is, or a clinician has not confirmed it",
        high_risk=True,
    )


def _length(
    condition: Condition,
    protocol: Protocol,
    weeks: list[Week],
    return_index: int,
    ladder_weeks: int,
) -> dict[str, Any]:
    """The plan's length against the page's typical recovery, and why if it is longer."""
    total = return_index + 1
    low, high = condition.timeline.min_weeks, condition.timeline.max_weeks
    longer = total > high
    build_weeks = total - ladder_weeks
    start = max((w.running_minutes for w in weeks[:ladder_weeks]), default=0)
    reasons = []
    returned = weeks[return_index].running_minutes
    if build_weeks > 0 and returned <= start:
        reasons.append(
            f"{build_weeks} of them keep your weekly running at about {returned} minutes while "
            "the ladder's walk breaks give way to continuous runs, because no run grows by more "
            f"than {protocol.build.session_cap_percent}% over your longest recent run"
        )
    elif build_weeks > 0:
        reasons.append(
            f"{build_weeks} of them rebuild your weekly running from {start} to "
            f"{weeks[return_index].running_minutes} minutes, because weekly running rises by at "
            f"most {protocol.build.weekly_cap_percent}% over your highest week and no run by "
            f"more than {protocol.build.session_cap_percent}%"
        )
    if protocol.min_weeks is not None and total <= protocol.min_weeks:
        reasons.append(
            f"the {protocol.name} never reaches full running in under {protocol.min_weeks} weeks"
        )
    reason = (
        (
            f"This plan takes {total} weeks, longer than the {low:g} to {high:g} weeks this page "
            f"gives as a typical recovery. The first {ladder_weeks} weeks are walking and the "
            "walk/run ladder; " + "; ".join(reasons or ["the ladder itself is this long"]) + ". "
            "The extra time is rebuilding, not healing: if every check is green, a clinician or "
            "coach may let you build faster."
        )
        if longer
        else None
    )
    return {
        "weeks": total,
        "typical_min_weeks": low,
        "typical_max_weeks": high,
        "longer_than_typical": longer,
        "reason": reason,
    }


def _short_of_target(inp: PlanInput, protocol: Protocol, limits: _Limits, returned: int) -> str:
    why = []
    if limits.build_runs * limits.session < limits.week:
        rule = (
            "never runs two days in a row"
            if limits.back_to_back_always
            else f"keeps {protocol.schedule.min_rest_days_per_week} rest day a week"
        )
        why.append(
            f"the plan never makes a run longer than your usual run (about {limits.session} "
            f"minutes), and {limits.build_runs} runs a week is the most it can give you (your "
            f"running days, your usual number of runs, and the {protocol.name}, which {rule})"
        )
    else:
        why.append("with runs this short, the caps cannot add another whole minute a week")
    return (
        f"This plan brings you back to {returned} of your usual {inp.target_minutes_per_week} "
        f"minutes a week: " + "; ".join(why) + ". Add running days before adding time, "
        "and ask a clinician or coach before going further."
    )


def _race(
    inp: PlanInput, weeks: list[Week], return_index: int, warnings: list[str]
) -> dict[str, Any] | None:
    if inp.goal_race_date is None:
        return None
    # parse_plan_input requires start_date; only a hand-built PlanInput could leave it out.
    assert inp.start_date is not None, "a goal race date is counted from the start date"
    race_day = (inp.goal_race_date - inp.start_date).days
    return_day = weeks[return_index].sessions[0].day
    before = [
        s.running_minutes
        for w in weeks
        for s in w.sessions
        if s.day < race_day and s.phase == "build"
    ]
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
    return {
        "day": race_day + 1,
        "realistic": realistic,
        "longest_run_minutes": longest,
        "longest_run_km": longest_km,
        "distance_km": inp.goal_race_km,
    }


def _warnings(inp: PlanInput, protocol: Protocol, per_week: int, limits: _Limits) -> list[str]:
    warnings = []
    if inp.target_from_km:
        warnings.append(
            f"Your weekly kilometres were turned into {inp.target_minutes_per_week} minutes at "
            f"{inp.easy_pace_min_per_km:g} minutes per km; give easy_pace_min_per_km to use "
            "your own easy pace."
        )
    if (
        protocol.intended_min_days_off is not None
        and inp.days_since_stopped < protocol.intended_min_days_off
    ):
        warnings.append(
            f"This programme was written for runners off running for at least "
            f"{protocol.intended_min_days_off} days; you stopped {inp.days_since_stopped} days "
            "ago. It may feel easy; still move up only when the self-check allows."
        )
    if limits.build_runs < per_week:
        warnings.append(
            f"The walk/run weeks use up to {per_week} sessions a week even though you will run "
            f"{limits.build_runs} times a week later: short, frequent sessions are gentler than "
            "a few long ones."
        )
    return warnings


def _guardrails(p: Protocol, limits: _Limits, condition: Condition) -> tuple[Guardrail, ...]:
    b, schedule = p.build, p.schedule

    def g(text: str, src: Source) -> Guardrail:
        return Guardrail(text + (f" {src.note}" if src.note else ""), src.reference, src.grade)

    never = (
        "in any week of the plan"
        if schedule.no_back_to_back == "always"
        else "during the walk/run weeks"
    )
    rails = [
        g(
            f"No running on two days in a row {never}: every other day on the walk/run ladder, "
            f"at most {p.max_sessions_per_week} sessions a week (fewer only when your usual week "
            "is shorter than the ladder's).",
            schedule.no_back_to_back_source,
        ),
        g(
            f"At least {schedule.min_rest_days_per_week} rest day with no run every week.",
            schedule.rest_day_source,
        ),
        g(
            f"No run longer than your usual run before the injury (about {limits.session} "
            f"minutes), and no week above your usual {limits.week} minutes.",
            schedule.pre_injury_cap_source,
        ),
    ]
    if p.min_time_off is not None and condition.tissue in p.min_time_off.tissues:
        rails.append(
            g(
                f"No running until {condition.timeline.min_weeks:g} weeks after your last run, the "
                "shortest typical recovery on this page.",
                p.min_time_off.source,
            )
        )
    rails += [
        g(
            "The walk/run weeks follow the published ladder, whose steps can be more than 10% "
            "apart: during the ladder, the ladder applies (trimmed only to stay within your usual "
            f"run). From the first run after it, no run is more than {b.session_cap_percent}% "
            f"longer than your longest run in the previous {b.session_window_days} days, and at "
            f"most {b.new_longest_per_week} new longest run a week.",
            b.session_cap_source,
        ),
        g(
            f"Weekly running rises by at most {b.weekly_cap_percent}% over your highest week so "
            f"far. {b.weekly_cap_label}",
            b.weekly_cap_source,
        ),
        g(
            f"Every {b.cutback_every_weeks}th week of continuous running is a lighter week "
            f"({b.cutback_percent}% less).",
            b.cutback_source,
        ),
        g(
            f"Time before speed: easy running only until you are back to "
            f"{b.intensity_from_percent}% of your usual weekly running. Then add strides or hills "
            "to one run a week, in a week when the time does not go up.",
            b.intensity_source,
        ),
    ]
    return tuple(rails)
