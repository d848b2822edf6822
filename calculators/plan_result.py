"""What a return-to-run plan is: its sessions, weeks and guardrails, and its JSON-ready form.

The engine (`plan.py`) builds these; `Plan.to_dict` turns one into the data the bridge, the
build and the browser show. Days are offsets from the start date; dates appear only here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from calculators.catalogue import Catalogue, Family, Protocol
from calculators.vocabulary import PlanStatus


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
        object.__setattr__(self, "running_minutes", sum(s.running_minutes for s in self.sessions))

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
    status: PlanStatus
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
    referral: dict[str, Any] | None = field(default=None)
    return_minutes_per_week: int | None = field(default=None)
    session_cap_minutes: int = 0
    length: dict[str, Any] | None = field(default=None)
    assumptions: dict[str, Any] = field(default_factory=dict)

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
        dates: dict[int, str] = {}  # most days are asked for twice (a week's and a session's)

        def when(day: int | None) -> str | None:
            if start is None or day is None:
                return None
            iso = dates.get(day)
            if iso is None:
                iso = dates[day] = date.fromordinal(base + day).isoformat()
            return iso

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
            "return_minutes_per_week": self.return_minutes_per_week,
            "session_cap_minutes": self.session_cap_minutes,
            "referral": self.referral,
            "length": self.length,
            "assumptions": self.assumptions,
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
                {
                    "text": g.text,
                    "reference": g.reference,
                    "citation": catalogue.cite(g.reference),
                    "grade": g.grade,
                }
                for g in self.guardrails
            ],
            "warnings": list(self.warnings),
            "race": None
            if self.race is None
            else {
                **self.race,
                "date": when(self.race["day"] - 1),
            },
        }


def _advice(catalogue: Catalogue, advice: Any) -> dict[str, Any]:
    return {
        "action": advice.action,
        "levels": advice.levels,
        "text": advice.text,
        "reference": advice.reference,
        "citation": catalogue.cite(advice.reference),
        "grade": advice.grade,
    }


def describe_session(s: Session, block_order: str) -> str:
    if s.phase == "walking":
        return f"Brisk walk {s.walk_minutes} min"
    if s.walk_minutes == 0:
        return f"Run {s.running_minutes} min continuously"
    run, walk = f"run {s.run_minutes} min", f"walk {s.walk_minutes} min"
    block = f"{run} / {walk}" if block_order == "run_walk" else f"{walk} / {run}"
    return f"{s.reps} × ({block}), {s.total_minutes} min in all"
