"""Hypothesis strategies for recovery journals: any planned condition, any log."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from calculators.catalogue import Catalogue
from calculators.defaults import default_payload
from calculators.journal_format import FORMAT, VERSION

LOW_PAIN = st.one_of(st.integers(0, 2), st.integers(0, 10))
"""Mostly low, as a runner following a plan reports; sometimes anything."""


def planned_slugs(catalogue: Catalogue) -> list[str]:
    return sorted(s for s, c in catalogue.conditions.items() if c.protocol and c.self_managed)


@st.composite
def journal_plans(draw: st.DrawFn, catalogue: Catalogue) -> dict[str, Any]:
    slug = draw(st.sampled_from(planned_slugs(catalogue)))
    protocol = catalogue.protocols[catalogue.conditions[slug].protocol or ""]
    start = draw(st.dates(date(2024, 1, 1), date(2030, 12, 31)))
    return {
        **default_payload(slug, catalogue),
        "start_date": start.isoformat(),
        "pre_injury_minutes_per_week": draw(st.integers(20, 600)),
        "pre_injury_runs_per_week": draw(st.integers(1, 7)),
        "running_days_per_week": draw(st.integers(protocol.min_sessions_per_week, 7)),
        "days_since_stopped": draw(st.integers(0, 120)),
        "today_colour": draw(st.sampled_from(["green", "green", "amber"])),
    }


@st.composite
def journal_entries(
    draw: st.DrawFn, catalogue: Catalogue, slug: str, day: date, *, flags: bool = False
) -> dict[str, Any]:
    condition = catalogue.conditions[slug]
    family = catalogue.self_checks[condition.self_check]
    kind = draw(st.sampled_from(["morning", "session", "session", "skipped", "rest"]))
    entry: dict[str, Any] = {"date": day.isoformat(), "updated": f"{day.isoformat()}T08:00:00Z"}
    if family.asks_pain and kind != "rest" and draw(st.booleans()):
        entry["pain_morning"] = draw(LOW_PAIN)
    if kind == "session":
        done = draw(st.sampled_from(["planned", "planned", "less", "more"]))
        entry["done"] = done
        if family.asks_pain:
            entry["pain_during"] = draw(LOW_PAIN)
            entry["pain_after"] = draw(LOW_PAIN)
        if done != "planned" or draw(st.booleans()):
            entry["minutes"] = draw(st.integers(0, 120))
    elif kind == "skipped":
        entry["done"] = "skipped"
    if family.signs and draw(st.integers(0, 9)) == 0:
        entry["signs"] = [draw(st.sampled_from(family.signs))]
    if flags and condition.red_flags and draw(st.integers(0, 30)) == 0:
        entry["red_flags"] = [draw(st.sampled_from([f.id for f in condition.red_flags]))]
    return entry


@st.composite
def journals(
    draw: st.DrawFn, catalogue: Catalogue, *, flags: bool = True, max_days: int = 45
) -> tuple[dict[str, Any], str]:
    """A journal and the date to judge it on (on or after its last entry)."""
    plan = draw(journal_plans(catalogue))
    start = date.fromisoformat(plan["start_date"])
    offsets = draw(st.lists(st.integers(0, max_days), unique=True, max_size=30))
    entries = [
        draw(journal_entries(catalogue, plan["condition"], start + timedelta(days=o), flags=flags))
        for o in sorted(offsets)
    ]
    today = start + timedelta(days=max(offsets, default=0) + draw(st.integers(0, 10)))
    document = {
        "format": FORMAT,
        "version": VERSION,
        "active": "r",
        "recoveries": [
            {
                "id": "r",
                "condition": plan["condition"],
                "created": plan["start_date"],
                "plan": plan,
                "entries": entries,
            }
        ],
    }
    return document, today.isoformat()


@st.composite
def steady_journals(draw: st.DrawFn, catalogue: Catalogue) -> tuple[dict[str, Any], str]:
    """A runner who follows the plan for weeks: a check-in every morning, a session every
    other day, mostly no pain, now and then a sore day, a skipped day or a break: the logs
    that reach the continuous running weeks."""
    plan = draw(journal_plans(catalogue))
    start = date.fromisoformat(plan["start_date"])
    condition = catalogue.conditions[plan["condition"]]
    family = catalogue.self_checks[condition.self_check]
    days = draw(st.integers(20, 150))
    breaks = set(draw(st.lists(st.integers(0, days), max_size=3)))
    entries, off = [], 0
    for i in range(days):
        if i in breaks:
            off = draw(st.integers(3, 35))
        if off:
            off -= 1
            continue
        day = (start + timedelta(days=i)).isoformat()
        entry: dict[str, Any] = {"date": day, "updated": f"{day}T07:00:00Z"}
        if family.asks_pain:
            entry["pain_morning"] = draw(st.sampled_from([0] * 60 + [1, 2, 4]))
        if i % 2 == 0:
            entry["done"] = draw(st.sampled_from(["planned"] * 8 + ["less", "more", "skipped"]))
            if entry["done"] in ("less", "more"):
                entry["minutes"] = draw(st.integers(5, 90))
            if family.asks_pain and entry["done"] != "skipped":
                entry["pain_during"] = draw(st.sampled_from([0] * 60 + [1, 2, 3]))
                entry["pain_after"] = draw(st.sampled_from([0] * 60 + [1, 2]))
        entries.append(entry)
    today = start + timedelta(days=days + draw(st.integers(0, 3)))
    document = {
        "format": FORMAT,
        "version": VERSION,
        "active": "r",
        "recoveries": [
            {
                "id": "r",
                "condition": plan["condition"],
                "created": plan["start_date"],
                "plan": plan,
                "entries": entries,
            }
        ],
    }
    return document, today.isoformat()
