"""The recovery journal's engine: today's self-check, today's session and the adjusted plan.

`run_journal(catalogue, journal, today)` follows the active recovery's plan through its log.
It has no clock: `today` is always an argument (the device's local calendar date), and dates
are plain calendar dates, so a daylight-saving change or a new time zone changes nothing but
which date the device reports.

How the log is read (every threshold is the protocol's `journal` data or the family's rules):
  * A session's check uses the pain during and after it; the next morning's pain (the
    highest waking pain logged after it, up to and including the next session's morning:
    "pending" the day after, then "missing", and a session without it is not cleared, so
    green becomes hold) against the usual level (the morning before it, or the latest morning
    in the week before); the signs logged from the session to the decision; every red flag
    ever logged; and the week-on-week trend worked out from the log (`trend`), never asked.
  * Before each session, and today, the previous session's check decides the next session:
    green (done as planned or more) moves on one session; green after doing less, or amber
    "hold", repeats it; amber "step back N" goes back N levels; red stops the plan. A level is
    one rung of the plan: a ladder level, or one week of walking or of continuous running.
  * More than `missed.more_than_days` without a session steps back that rule's levels.
  * A red flag logged on any day stops the plan for good: a clinician decides the restart,
    which is a new recovery.
  * The upcoming sessions are the plan's own, in its order, with its own spacing, so its
    schedule rules still hold; the first is never the day after a run where the protocol
    forbids back-to-back runs, and no continuous run passes the 10% single-run rule against
    what was really run lately (else the plan steps back a level).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from calculators.catalogue import Catalogue, Family, Protocol, SessionAdvice, Source
from calculators.errors import FieldError, InputError
from calculators.inputs import SelfCheckInput
from calculators.journal_format import Entry, Journal, Recovery
from calculators.plan import build_plan
from calculators.plan_result import Plan, Session, describe_session
from calculators.self_check import Reason, SelfCheckResult, run_self_check, urgency_text
from calculators.vocabulary import COLOUR_LIGHTS

CLOCK_TOLERANCE_DAYS = 2
"""An entry may be dated up to this many days after `today`: crossing time zones moves the
device's date by at most about a day either way (UTC-12 to UTC+14 is 26 hours). Later than
that is a wrong clock, reported at the entry."""
USUAL_LOOKBACK_DAYS = 7
"""The usual level is the morning before a session, or the latest waking pain this many
days before it (a week of rest-day mornings)."""
SIGNS_LOOKBACK_DAYS = 2
"""With no session logged yet, signs ticked in this many recent days count."""


# ---- the plan as a sequence of sessions ------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    index: int
    session: Session
    week: int
    level: int
    """1-based: the rung of the plan this session belongs to."""


def _steps(plan: Plan) -> list[_Step]:
    """Every session of the plan in order, with its level: a ladder level, or one week of
    walking or continuous running."""
    steps: list[_Step] = []
    level, key = 0, None
    for week in plan.weeks:
        for s in week.sessions:
            this = (s.phase, s.level) if s.phase == "walk_run" else (s.phase, week.number)
            if this != key:
                level, key = level + 1, this
            steps.append(_Step(len(steps), s, week.number, level))
    return steps


def _first_of_level(steps: list[_Step], level: int) -> int:
    return next(s.index for s in steps if s.level >= level)


def _min_gap(protocol: Protocol, phase: str) -> int:
    """Days from one run to the next allowed one."""
    if protocol.schedule.no_back_to_back == "always" or phase != "build":
        return 2
    return 1


# ---- reading the log --------------------------------------------------------------------------


def _worst(entry: Entry) -> int | None:
    pains = [p for p in (entry.pain_morning, entry.pain_during, entry.pain_after) if p is not None]
    return max(pains) if pains else None


def trend_of(protocol: Protocol, worst: dict[date, int], as_of: date) -> dict[str, Any]:
    """This window's average daily worst pain (`worst`: day -> that day's highest pain)
    against the window before, in integer arithmetic so every platform agrees."""
    rule = protocol.journal.trend
    n = rule.window_days

    def window(end: date) -> list[int]:
        days = (end - timedelta(days=i) for i in range(n))
        return [worst[d] for d in days if d in worst]

    this, last = window(as_of), window(as_of - timedelta(days=n))
    known = len(this) >= rule.min_days and len(last) >= rule.min_days
    trend = "same"
    if known:
        # mean(this) - mean(last) >= worse_by, without dividing
        diff = sum(this) * len(last) - sum(last) * len(this)
        step = rule.worse_by * len(this) * len(last)
        trend = "worse" if diff >= step else "better" if -diff >= step else "same"
    return {
        "trend": trend,
        "known": known,
        "this_week_days": len(this),
        "last_week_days": len(last),
        "this_week_mean": round(sum(this) / len(this), 1) if this else None,
        "last_week_mean": round(sum(last) / len(last), 1) if last else None,
        "window_days": n,
        "worse_by": rule.worse_by,
        "text": _trend_text(trend, known, rule.min_days, n),
    }


def _trend_text(trend: str, known: bool, min_days: int, n: int) -> str:
    if not known:
        return (
            f"Not enough answers yet to compare weeks (it needs at least {min_days} days with "
            f"a pain answer in each of the last two {n}-day spells)."
        )
    return {
        "worse": "Worse than last week: your average daily worst pain went up.",
        "better": "Better than last week: your average daily worst pain went down.",
        "same": "About the same as last week.",
    }[trend]


@dataclass(frozen=True, eq=False)
class _Log:
    """One recovery's log and what reading it needs."""

    catalogue: Catalogue
    recovery: Recovery
    protocol: Protocol
    by_day: dict[date, Entry]

    @cached_property
    def days(self) -> list[date]:
        return sorted(self.by_day)

    @cached_property
    def worst(self) -> dict[date, int]:
        """Each day's highest pain answer, for the trend."""
        return {d: w for d, e in self.by_day.items() if (w := _worst(e)) is not None}

    @cached_property
    def flagged(self) -> list[Entry]:
        return [self.by_day[d] for d in self.days if self.by_day[d].red_flags]

    def between(self, first: date, last: date) -> list[Entry]:
        """The entries from `first` to `last`, both included, in date order."""
        low, high = bisect_left(self.days, first), bisect_right(self.days, last)
        return [self.by_day[d] for d in self.days[low:high]]

    @property
    def family(self) -> Family:
        return self.catalogue.self_checks[
            self.catalogue.conditions[self.recovery.condition].self_check
        ]


@dataclass(frozen=True)
class _Judged:
    result: SelfCheckResult
    session_day: date | None
    until: date
    next_morning: str
    """recorded | pending (may still be answered) | missing | none (no session to judge)"""
    next_morning_pain: int | None
    usual: int | None
    usual_day: date | None
    trend: dict[str, Any]


def _judge(
    log: _Log, session_day: date | None, until: date, *, decided_on: date | None = None
) -> _Judged:
    """The self-check for the session on `session_day` with what the log knows by `until`
    (with no session: a rest-day check of the last days' mornings and signs). `decided_on`
    is the day of the next session, whose waking pain is this session's next morning too."""
    family = log.family
    since = session_day or until - timedelta(days=SIGNS_LOOKBACK_DAYS - 1)
    recent = log.between(since, until)
    signs = {s for e in recent for s in e.signs}
    if "swelling" in family.signs and any(e.swelling == "more" for e in recent):
        signs.add("swelling")
    anchor = session_day or until
    lookback = anchor - timedelta(days=USUAL_LOOKBACK_DAYS)
    usual_entry = next(
        (e for e in reversed(log.between(lookback, anchor)) if e.pain_morning is not None), None
    )
    usual = usual_entry.pain_morning if usual_entry else None
    session = log.by_day.get(session_day) if session_day else None
    mornings = [e for e in recent if e.day > anchor]
    if decided_on is not None and decided_on in log.by_day:
        mornings.append(log.by_day[decided_on])
    state, next_pain = _next_morning(
        session,
        mornings,
        final=decided_on is not None
        or (session_day is not None and until > session_day + timedelta(days=1)),
    )
    trend = trend_of(log.protocol, log.worst, until)
    pains = {
        "pain_during": (session.pain_during or 0) if session else 0,
        "pain_after": (session.pain_after or 0) if session else 0,
        "pain_next_morning": next_pain if next_pain is not None else (usual or 0),
        "pain_baseline": usual or 0,
    }
    if not family.asks_pain:
        pains = dict.fromkeys(pains, 0)
    answers = SelfCheckInput(
        condition=log.recovery.condition,
        # Every red flag ever logged: a warning sign is not undone by later days.
        red_flags=tuple(
            dict.fromkeys(f for e in log.flagged if e.day <= until for f in e.red_flags)
        ),
        trend=trend["trend"],
        signs=tuple(s for s in family.signs if s in signs),
        **pains,
    )
    result = run_self_check(log.catalogue, answers)
    if state == "missing" and family.asks_pain and result.next_step == "progress":
        result = replace(
            result,
            next_step="hold",
            reasons=(
                *result.reasons,
                Reason("next-morning-missing", NO_MORNING, "green", None, None),
            ),
        )
    return _Judged(
        result=result,
        session_day=session_day,
        until=until,
        next_morning=state,
        next_morning_pain=next_pain if state != "none" else None,
        usual=usual,
        usual_day=usual_entry.day if usual_entry else None,
        trend=trend,
    )


NO_MORNING = (
    "There is no answer for the morning after your last session, and the next morning is "
    'part of the check: repeat the session, and answer "How is it this morning?" next time.'
)


def _next_morning(
    session: Entry | None, after: list[Entry], *, final: bool
) -> tuple[str, int | None]:
    """The next morning after a session: the highest waking pain logged after it. Without
    one it is "pending" while that morning may still be answered, then "missing"."""
    if session is None:
        return "none", None
    pains = [e.pain_morning for e in after if e.pain_morning is not None]
    if pains:
        return "recorded", max(pains)
    return ("missing" if final else "pending"), None


# ---- following the plan ---------------------------------------------------------------------


@dataclass
class _Follow:
    """Where the runner is in the plan, worked out entry by entry."""

    steps: list[_Step]
    start: date
    pos: int = 0
    due: date | None = None
    last_run: date | None = None
    last_done: str | None = None
    stopped: _Judged | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)
    judged: dict[date, _Judged] = field(default_factory=dict)
    done_at: dict[date, int] = field(default_factory=dict)
    """session day -> the step done that day"""

    def level(self) -> int:
        return self.steps[min(self.pos, len(self.steps) - 1)].level if self.steps else 0

    def change(self, when: date, kind: str, text: str, before: int, **extra: Any) -> None:
        self.changes.append(
            {
                "date": when.isoformat(),
                "kind": kind,
                "text": text,
                "from_level": before,
                "to_level": self.level() if kind != "stop" else 0,
                **extra,
            }
        )

    def stop(self, judged: _Judged, when: date) -> None:
        r = judged.result
        self.stopped = judged
        self.change(
            when, "stop", CHANGE_WORDS["stop"], self.level(), colour="red", urgency=r.urgency
        )


CHANGE_WORDS = {
    "progress": "Green: on to the next session of the plan.",
    "hold": "Repeat this session before moving on.",
    "less": "You did less than planned: repeat this session before moving on.",
    "step_back": "Go back {levels} level{s} at your next session.",
    "stop": "Red: the plan stops here. Do not run; get help as the check says.",
}


def _source(catalogue: Catalogue, src: Source) -> dict[str, Any]:
    return {
        "reference": src.reference,
        "citation": catalogue.cite(src.reference),
        "grade": src.grade,
        "note": src.note,
    }


def _missed(log: _Log, follow: _Follow, when: date) -> None:
    """Step back after a long gap without a session, by the protocol's rule for that gap."""
    gap = (when - (follow.last_run or follow.start)).days
    rules = log.protocol.journal.missed
    rule = next((r for r in reversed(rules) if gap > r.more_than_days), None)
    if rule is None or follow.pos >= len(follow.steps) or follow.level() <= 1:
        return
    before = follow.level()
    follow.pos = _first_of_level(follow.steps, max(1, before - rule.levels))
    follow.due = when
    follow.change(
        when,
        "missed",
        f"{gap} days since your last session. {rule.reason}",
        before,
        source=_source(log.catalogue, rule.source),
    )


def _decide(log: _Log, follow: _Follow, judged: _Judged, when: date) -> None:
    """Move along the plan after the session `judged` checks (decided on `when`)."""
    assert judged.session_day is not None
    done_index = follow.done_at[judged.session_day]
    r = judged.result
    before = follow.steps[done_index].level
    follow.judged[judged.session_day] = judged
    if r.colour == "red":
        follow.stop(judged, when)
        return
    if r.next_step == "step_back":
        kind = "step_back"
        follow.pos = _first_of_level(follow.steps, max(1, before - r.levels))
    elif r.next_step == "hold" or follow.last_done == "less":
        kind = "hold" if r.next_step == "hold" else "less"
        follow.pos = done_index
    else:
        kind = "progress"
        follow.pos = done_index + 1
    text = CHANGE_WORDS[kind].format(levels=r.levels, s="s" if r.levels != 1 else "")
    follow.change(when, kind, text, before, colour=r.colour)
    steps = follow.steps
    gap = (
        steps[done_index + 1].session.day - steps[done_index].session.day
        if done_index + 1 < len(steps)
        else 1
    )
    if follow.pos < len(steps):
        gap = max(gap, _min_gap(log.protocol, steps[follow.pos].session.phase))
    follow.due = judged.session_day + timedelta(days=gap)


def _session_logged(log: _Log, follow: _Follow, entry: Entry, previous: date | None) -> None:
    """A session on `entry.day`: first decide what was due (from the session before), then
    record it as done."""
    day = entry.day
    judged = _judge(log, previous, day - timedelta(days=1), decided_on=day)
    if previous is not None:
        _decide(log, follow, judged, day)
    elif judged.result.colour == "red":
        follow.stop(judged, day)
    if follow.stopped:
        return
    _missed(log, follow, day)
    follow.pos = min(follow.pos, len(follow.steps) - 1)  # after the last: more of the last
    follow.done_at[day] = follow.pos
    follow.last_run, follow.last_done = day, entry.done


def _follow(log: _Log, plan: Plan, today: date) -> tuple[_Follow, _Judged]:
    start = log.recovery.plan.start_date or log.recovery.created
    follow = _Follow(_steps(plan), start)
    if not follow.steps:
        return follow, _judge(log, None, today)
    follow.due = start + timedelta(days=follow.steps[0].session.day)
    previous: date | None = None
    for day in sorted(d for d in log.by_day if d <= today):
        entry = log.by_day[day]
        if entry.red_flags:
            # Red flags always win, whatever else the log says.
            judged = _judge(log, previous, day)
            follow.stop(judged, day)
            return follow, judged
        if entry.had_session:
            _session_logged(log, follow, entry, previous)
            if follow.stopped:
                return follow, follow.stopped
            previous = day
        elif entry.done == "skipped" and follow.due is not None and day >= follow.due:
            follow.due = day + timedelta(days=1)
    judged = _judge(log, previous, today)
    if previous is not None:
        _decide(log, follow, judged, today)
    elif judged.result.colour == "red":
        follow.stop(judged, today)
    if follow.stopped:
        return follow, judged
    _missed(log, follow, today)
    if follow.due is not None and follow.due < today:
        follow.due = today
    return follow, judged


# ---- the answer -------------------------------------------------------------------------------


def _session_dict(step: _Step, when: date, protocol: Protocol, levels: int) -> dict[str, Any]:
    s = step.session
    text = describe_session(s, protocol.block_order)
    return {
        "date": when.isoformat(),
        "level": step.level,
        "levels": levels,
        "plan_week": step.week,
        "phase": s.phase,
        "label": s.label,
        "text": text,
        "run_minutes": s.run_minutes,
        "walk_minutes": s.walk_minutes,
        "reps": s.reps,
        "running_minutes": s.running_minutes,
        "total_minutes": s.total_minutes,
        "done_means": (
            f"Done means you did all of it as written: {text}. If you stopped early or cut it "
            "short, choose 'less' and give the minutes you did; the plan then repeats it."
        ),
    }


def _upcoming(follow: _Follow, protocol: Protocol) -> list[tuple[_Step, date]]:
    if follow.stopped or follow.due is None or follow.pos >= len(follow.steps):
        return []
    first = follow.steps[follow.pos]
    due = follow.due
    if follow.last_run is not None:
        due = max(due, follow.last_run + timedelta(days=_min_gap(protocol, first.session.phase)))
    return [
        (s, due + timedelta(days=s.session.day - first.session.day))
        for s in follow.steps[follow.pos :]
    ]


def _running_done(log: _Log, follow: _Follow) -> list[tuple[date, int]]:
    """Running actually done on each logged session: as planned, or no more than the
    minutes logged when it was less."""
    done = []
    for day, index in sorted(follow.done_at.items()):
        entry, planned = log.by_day[day], follow.steps[index].session.running_minutes
        less = entry.done == "less" and entry.minutes is not None
        done.append((day, min(planned, entry.minutes or 0) if less else planned))
    return done


def _over_single_run_cap(
    protocol: Protocol, done: list[tuple[date, int]], upcoming: list[tuple[_Step, date]]
) -> bool:
    """Whether an upcoming continuous run is more than session_cap_percent longer than the
    longest run (logged or planned) in the window before it."""
    b = protocol.build
    runs = done + [(d, s.session.running_minutes) for s, d in upcoming]
    for step, day in upcoming:
        if step.session.phase != "build":
            continue
        start = day - timedelta(days=b.session_window_days)
        window = [m for d, m in runs if start <= d < day and m > 0]
        if (
            window
            and step.session.running_minutes > max(window) * (100 + b.session_cap_percent) // 100
        ):
            return True
    return False


def _within_single_run_cap(log: _Log, follow: _Follow, today: date) -> list[tuple[_Step, date]]:
    """The upcoming sessions, stepped back a level at a time while a continuous run would
    pass the 10% single-run rule against what was really run lately (holds and breaks can
    leave the long runs the plan built on more than a window ago)."""
    protocol = log.protocol
    done = _running_done(log, follow)
    upcoming = _upcoming(follow, protocol)
    before = follow.level()
    while upcoming and follow.level() > 1 and _over_single_run_cap(protocol, done, upcoming):
        follow.pos = _first_of_level(follow.steps, follow.level() - 1)
        upcoming = _upcoming(follow, protocol)
    if follow.level() != before:
        b = protocol.build
        follow.change(
            today,
            "single_run_cap",
            f"Back to level {follow.level()}: no run may be more than {b.session_cap_percent}% "
            f"longer than your longest run of the last {b.session_window_days} days.",
            before,
            source=_source(log.catalogue, b.session_cap_source),
        )
    return upcoming


STEP_WORDS = {
    "progress": "Progress: your next session is the next one in the plan.",
    "hold": "Hold: repeat this session before moving on.",
}
"""The journal moves session by session, so its green and amber words say so (a plan level
can hold several sessions)."""


def _check_dict(catalogue: Catalogue, judged: _Judged) -> dict[str, Any]:
    colour = judged.result.colour
    check = judged.result.to_dict(catalogue)
    step = check["next_step"]
    if judged.result.has_plan and step["action"] in STEP_WORDS:
        check["next_step"] = {**step, "text": STEP_WORDS[step["action"]]}
    return {
        **check,
        "light": next(v for k, v in COLOUR_LIGHTS.items() if k == colour),
        "session_date": judged.session_day.isoformat() if judged.session_day else None,
        "next_morning": judged.next_morning,
        "next_morning_pain": judged.next_morning_pain,
        "usual_pain": judged.usual,
        "usual_pain_date": judged.usual_day.isoformat() if judged.usual_day else None,
        "trend": judged.trend,
    }


def _status(follow: _Follow, plan: Plan, upcoming: list[tuple[_Step, date]]) -> tuple[str, str]:
    if follow.stopped is not None:
        if any(reason.rule.startswith("red-flag:") for reason in follow.stopped.result.reasons):
            return "refer", (
                "You logged a warning sign, so the plan has stopped. Do not run; get help as "
                "below. When a clinician has seen you, set up a new recovery with their advice."
            )
        return "stop", (
            "A check was red, so the plan has stopped. "
            + plan.family.after_red.text
            + " When you restart, set up a new recovery."
        )
    if plan.status in ("refer", "stop", "clinician_led"):
        return plan.status, plan.message
    if plan.status == "not_yet":
        return "not_yet", plan.message if upcoming else (
            "You have done the walking build-up. Running starts when this is true: "
            f"{plan.protocol.entry_gate.text} Then set up the plan again with the walk "
            "test passed."
        )
    if not upcoming:
        return "finished", (
            "You have done every session of the plan. Keep checking in after your runs, and "
            "keep to your usual running."
        )
    return "ready", "Follow the sessions below; each check-in adjusts them."


def _with_set_up(plan: Plan, judged: _Judged) -> _Judged:
    """A plan set up on a red check, or refused for a warning sign, stays red: a quiet log
    afterwards must not read as green."""
    if plan.status not in ("refer", "stop") or judged.result.colour == "red":
        return judged
    assert plan.referral is not None
    result = SelfCheckResult(
        condition=judged.result.condition,
        family=judged.result.family,
        family_name=judged.result.family_name,
        colour="red",
        next_step="stop_and_see_clinician",
        levels=0,
        urgency=plan.referral["urgency"],
        reasons=(Reason("plan-set-up", plan.message, "red", None, None),),
    )
    return replace(judged, result=result)


def _today_session(
    log: _Log,
    follow: _Follow,
    upcoming: list[tuple[_Step, date]],
    when: date,
    status: tuple[str, str],
) -> dict[str, Any]:
    levels = follow.steps[-1].level if follow.steps else 0
    entry = log.by_day.get(when)
    if status[0] in ("refer", "stop", "clinician_led"):
        return {"status": "stopped", "date": when.isoformat(), "text": "No running today."}
    if entry is not None and when in follow.done_at:
        step = follow.steps[follow.done_at[when]]
        return {**_session_dict(step, when, log.protocol, levels), "status": "done"}
    if entry is not None and entry.done == "skipped":
        return {"status": "skipped", "date": when.isoformat(), "text": "Skipped today."}
    if upcoming and upcoming[0][1] == when:
        return {**_session_dict(upcoming[0][0], when, log.protocol, levels), "status": "planned"}
    if upcoming:
        return {
            "status": "rest",
            "date": when.isoformat(),
            "text": f"Rest day. Your next session is on {upcoming[0][1].isoformat()}.",
        }
    return {"status": "finished", "date": when.isoformat(), "text": status[1]}


def check_today(journal: Journal, today: date) -> None:
    """Raise InputError for entries dated further ahead than a time-zone change explains."""
    limit = today + timedelta(days=CLOCK_TOLERANCE_DAYS)
    errors = [
        FieldError(
            f"recoveries[{i}].entries[{j}].date",
            f"{entry.day.isoformat()} is after today ({today.isoformat()}); check the "
            "device's date, or remove this entry",
        )
        for i, recovery in enumerate(journal.recoveries)
        if recovery.id == journal.active
        for j, entry in enumerate(recovery.entries)
        if entry.day > limit
    ]
    if errors:
        raise InputError(errors)


def run_journal(catalogue: Catalogue, journal: Journal, today: date) -> dict[str, Any]:
    """Today's check, today's session and the adjusted plan for the active recovery."""
    check_today(journal, today)
    recovery = journal.active_recovery
    if recovery is None:
        return {"today": None, "plan": None, "chart_svg": "", "table": None, "weeks": []}
    condition = catalogue.conditions[recovery.condition]
    assert condition.protocol is not None  # parse_plan accepted it
    protocol = catalogue.protocols[condition.protocol]
    plan = build_plan(catalogue, recovery.plan, protocol)
    log = _Log(catalogue, recovery, protocol, {e.day: e for e in recovery.entries})
    # A device that moved west may be a day behind its own last entry: the log never goes back.
    used = max([today, *log.by_day])
    follow, judged = _follow(log, plan, used)
    if any(e.red_flags for d, e in log.by_day.items() if d <= used):
        # Every red flag logged so far, even after the plan stopped for another reason, sets
        # today's answer and its urgency.
        judged = _judge(log, follow.stopped.session_day if follow.stopped else None, used)
        follow.stopped = judged
    judged = _with_set_up(plan, judged)
    upcoming = _within_single_run_cap(log, follow, used)
    status = _status(follow, plan, upcoming)
    levels = follow.steps[-1].level if follow.steps else 0
    yesterday = log.by_day.get(used - timedelta(days=1))
    today_entry = log.by_day.get(used)
    morning_prompt = (
        follow.stopped is None
        and yesterday is not None
        and yesterday.had_session
        and (today_entry is None or today_entry.pain_morning is None)
        and log.family.asks_pain
    )
    from calculators.journal_chart import chart_parts  # noqa: PLC0415 - the chart needs _Follow

    chart_svg, table, summaries = chart_parts(catalogue, recovery, follow, used)
    return {
        "today": {
            "date": used.isoformat(),
            "device_date": today.isoformat(),
            "check": _check_dict(catalogue, judged),
            "session": _today_session(log, follow, upcoming, used, status),
            "next_session": next(
                (_session_dict(s, d, protocol, levels) for s, d in upcoming if d > used), None
            ),
            "morning_prompt": morning_prompt,
        },
        "plan": _plan_dict(log, plan, follow, upcoming, status),
        "chart_svg": chart_svg,
        "table": table,
        "weeks": summaries,
    }


def _plan_dict(
    log: _Log,
    plan: Plan,
    follow: _Follow,
    upcoming: list[tuple[_Step, date]],
    status: tuple[str, str],
) -> dict[str, Any]:
    catalogue, protocol = log.catalogue, log.protocol
    condition = catalogue.conditions[log.recovery.condition]
    levels = follow.steps[-1].level if follow.steps else 0
    red = follow.stopped.result if follow.stopped else None
    urgency = (red.urgency or "soon") if red else None
    if urgency is None and plan.referral is not None:
        urgency = plan.referral["urgency"]
    weeks: dict[int, list[dict[str, Any]]] = {}
    for step, when in upcoming:
        weeks.setdefault(step.week, []).append(_session_dict(step, when, protocol, levels))
    rules = protocol.journal
    return {
        "status": status[0],
        "message": status[1],
        "condition": condition.slug,
        "condition_name": condition.name,
        "protocol": protocol.key,
        "protocol_name": protocol.name,
        "plan_status": plan.status,
        "start_date": follow.start.isoformat(),
        "level": follow.level() if upcoming else levels,
        "levels": levels,
        "changes": follow.changes,
        "history": _history(log, follow, levels),
        "urgency": urgency,
        "urgency_text": urgency_text(catalogue, urgency),
        "referral": plan.referral,
        "remaining_sessions": len(upcoming),
        "finish_date": upcoming[-1][1].isoformat() if upcoming else None,
        "weeks": [
            {
                "plan_week": number,
                "start_date": sessions[0]["date"],
                "running_minutes": sum(s["running_minutes"] for s in sessions),
                "sessions": sessions,
            }
            for number, sessions in weeks.items()
        ],
        "after_amber": _advice(catalogue, plan.family.after_amber),
        "after_red": _advice(catalogue, plan.family.after_red),
        "guardrails": [
            {
                "text": g.text,
                "reference": g.reference,
                "citation": catalogue.cite(g.reference),
                "grade": g.grade,
            }
            for g in plan.guardrails
        ],
        "rules": {
            "trend": {"text": rules.trend.reason, **_source(catalogue, rules.trend.source)},
            "missed": [
                {
                    "more_than_days": r.more_than_days,
                    "levels": r.levels,
                    "text": r.reason,
                    **_source(catalogue, r.source),
                }
                for r in rules.missed
            ],
        },
        "warnings": list(plan.warnings),
    }


def _history(log: _Log, follow: _Follow, levels: int) -> list[dict[str, Any]]:
    """Each logged session: the plan's session it counted as, what was done, and its check."""
    rows = []
    running = dict(_running_done(log, follow))
    for day, index in sorted(follow.done_at.items()):
        entry = log.by_day[day]
        step = follow.steps[index]
        judged = follow.judged.get(day)
        rows.append(
            {
                **_session_dict(step, day, log.protocol, levels),
                "done": entry.done,
                "minutes": entry.minutes,
                "running_done": running[day],
                "colour": judged.result.colour if judged else None,
            }
        )
    return rows


def _advice(catalogue: Catalogue, advice: SessionAdvice) -> dict[str, Any]:
    return {
        "action": advice.action,
        "levels": advice.levels,
        "text": advice.text,
        "citation": catalogue.cite(advice.reference),
        "grade": advice.grade,
    }
