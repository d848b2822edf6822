"""Hypothesis strategies over the whole input space of both calculators."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from calculators import inputs, vocabulary
from calculators.catalogue import Catalogue
from calculators.inputs import PLAN_FIELDS, SELF_CHECK_FIELDS, fracture_site_ids

PAIN = st.integers(min_value=inputs.PAIN_RANGE[0], max_value=inputs.PAIN_RANGE[1])
TRENDS = st.sampled_from(vocabulary.TRENDS)
COLOURS = st.sampled_from(vocabulary.COLOURS)
START_DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2098, 12, 31))

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def self_check_answers(
    draw: st.DrawFn, catalogue: Catalogue, family: str | None = None
) -> dict[str, Any]:
    """A valid self-check payload for any condition (or any condition of one family)."""
    slugs = sorted(
        s for s, c in catalogue.conditions.items() if family is None or c.self_check == family
    )
    slug = draw(st.sampled_from(slugs))
    condition = catalogue.conditions[slug]
    fam = catalogue.self_checks[condition.self_check]
    payload: dict[str, Any] = {
        "condition": slug,
        "red_flags": draw(
            st.lists(st.sampled_from([f.id for f in condition.red_flags]), unique=True, max_size=3)
        )
        if condition.red_flags
        else [],
        "trend": draw(TRENDS),
        "signs": draw(st.lists(st.sampled_from(fam.signs), unique=True)) if fam.signs else [],
    }
    if fam.asks_pain:
        for name in ("pain_during", "pain_after", "pain_next_morning", "pain_baseline"):
            payload[name] = draw(PAIN)
    return payload


def worsen(payload: dict[str, Any], catalogue: Catalogue, data: st.DataObject) -> dict[str, Any]:
    """The same answers with one thing made worse (more pain, a sign, a flag, a worse trend).

    The usual level is never changed: it is not monotone, since a higher usual level explains
    pain above it yet is itself a finding once above the family's ceiling."""
    condition = catalogue.conditions[payload["condition"]]
    fam = catalogue.self_checks[condition.self_check]
    worse = dict(payload)
    options = ["trend"]
    if fam.asks_pain:
        options += ["pain_during", "pain_after", "pain_next_morning"]
    if set(fam.signs) - set(payload["signs"]):
        options.append("signs")
    if {f.id for f in condition.red_flags} - set(payload["red_flags"]):
        options.append("red_flags")
    what = data.draw(st.sampled_from(options))
    if what == "trend":
        order = ["better", "same", "worse"]
        worse["trend"] = data.draw(st.sampled_from(order[order.index(payload["trend"]) :]))
    elif what.startswith("pain_"):
        worse[what] = data.draw(st.integers(payload[what], 10))
    elif what == "signs":
        extra = sorted(set(fam.signs) - set(payload["signs"]))
        worse["signs"] = [*payload["signs"], data.draw(st.sampled_from(extra))]
    else:
        extra = sorted({f.id for f in condition.red_flags} - set(payload["red_flags"]))
        worse["red_flags"] = [*payload["red_flags"], data.draw(st.sampled_from(extra))]
    return worse


@st.composite
def plan_payloads(
    draw: st.DrawFn, catalogue: Catalogue, protocol: str | None = None
) -> dict[str, Any]:
    """A valid plan payload anywhere in the input space."""
    slugs = sorted(
        s
        for s, c in catalogue.conditions.items()
        if c.protocol is not None
        and c.self_managed
        and (protocol is None or c.protocol == protocol)
    )
    slug = draw(st.sampled_from(slugs))
    proto = catalogue.protocols[catalogue.conditions[slug].protocol or ""]
    start = draw(START_DATES)
    payload: dict[str, Any] = {
        "condition": slug,
        "days_since_stopped": draw(st.integers(0, 3650)),
        "walk_test_passed": draw(st.booleans()),
        "hop_test_passed": draw(st.booleans())
        if proto.entry_gate.hop_test
        else draw(st.none() | st.booleans()),
        "pre_injury_runs_per_week": draw(st.integers(1, 14)),
        "running_days_per_week": draw(st.integers(proto.min_sessions_per_week, 7)),
        "start_date": start.isoformat(),
        "today_colour": draw(COLOURS),
    }
    condition = catalogue.conditions[slug]
    if draw(st.integers(0, 5)) == 0 and condition.red_flags:
        payload["red_flags"] = draw(
            st.lists(
                st.sampled_from([f.id for f in condition.red_flags]),
                unique=True,
                min_size=1,
                max_size=3,
            )
        )
    if payload["today_colour"] == "red" and draw(st.booleans()):
        payload["today_urgency"] = draw(st.sampled_from(["soon", "same_day", "emergency"]))
    sites = fracture_site_ids(proto, slug)
    if sites is not None:
        payload["fracture_site"] = draw(st.sampled_from(sites))
    if draw(st.booleans()):
        payload["pre_injury_minutes_per_week"] = draw(st.integers(20, 1200))
    else:
        pace_given = draw(st.booleans())
        pace = (
            draw(st.floats(3.0, 15.0).map(lambda x: round(x, 2)))
            if pace_given
            else proto.build.default_easy_pace_min_per_km
        )
        low, high = max(3.0, 20 / pace + 0.1), min(250.0, 1200 / pace - 0.1)
        payload["pre_injury_km_per_week"] = draw(st.floats(low, high).map(lambda x: round(x, 1)))
        if pace_given:
            payload["easy_pace_min_per_km"] = pace
    if draw(st.booleans()):
        race = start + timedelta(days=draw(st.integers(1, 730)))
        payload["goal_race_date"] = race.isoformat()
        if draw(st.booleans()):
            payload["goal_race_km"] = draw(st.sampled_from([5, 10, 21.1, 42.2, 100]))
    return payload


@st.composite
def hostile_payloads(draw: st.DrawFn, catalogue: Catalogue) -> str:
    """Anything at all: text, random JSON, or real field names with random values."""
    kind = draw(st.sampled_from(["text", "json", "fields"]))
    if kind == "text":
        return draw(st.text(max_size=40))
    import json  # noqa: PLC0415 - only needed here

    if kind == "json":
        return json.dumps(draw(json_values))
    names = st.sampled_from(sorted({*PLAN_FIELDS, *SELF_CHECK_FIELDS, "unknown"}))
    good = st.sampled_from(sorted(catalogue.conditions))
    value = st.one_of(json_values, good, PAIN, START_DATES.map(date.isoformat))
    return json.dumps(draw(st.dictionaries(names, value, max_size=10)))
