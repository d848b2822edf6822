"""Properties of the journal over every planned condition and any log.

- every valid journal gets an answer whose adjusted plan obeys the plan's rules;
- making the newest entry worse never makes today's answer milder;
- a red flag logged on any day always stops running;
- a hostile payload gets field errors, never an internal error.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from calculators.catalogue import Catalogue, parse_catalogue_json
from calculators.vocabulary import COLOURS, NEXT_STEPS
from site_tests.calculators.helpers import run
from site_tests.calculators.journal_invariants import check_adjusted, upcoming
from site_tests.calculators.journal_strategies import journals, steady_journals
from site_tests.calculators.strategies import json_values
from site_tests.real_catalogue import real_catalogue_json

REAL_JSON = real_catalogue_json()
# A journal call reads a whole log, so these run a quarter as many examples as the profile's
# (quick: 10, default: 50, thorough: 500); `make test --hypothesis-profile thorough` for more.
SCALED = settings(max_examples=max(10, settings.default.max_examples // 4))
REAL = parse_catalogue_json(REAL_JSON)


def _journal(document: dict[str, Any], today: str) -> dict[str, Any]:
    answer = run("journal", {"journal": document, "today": today}, REAL_JSON)
    assert answer["ok"], answer
    return answer["result"]


def _rank(r: dict[str, Any]) -> tuple[int, int, int]:
    check = r["today"]["check"]
    step = check["next_step"]
    return COLOURS.index(check["colour"]), NEXT_STEPS.index(step["action"]), step["levels"]


def _next_level(r: dict[str, Any]) -> int:
    sessions = upcoming(r)
    return sessions[0]["level"] if sessions else 0


@SCALED
@given(st.one_of(journals(REAL), steady_journals(REAL)))
def test_adjusted_plan_obeys_the_plan_rules(case: tuple[dict[str, Any], str]) -> None:
    document, today = case
    r = _journal(document, today)
    base = run("return_to_run_plan", document["recoveries"][0]["plan"], REAL_JSON)
    assert base["ok"], base
    check_adjusted(REAL, document, r, base["result"])


def _worse(
    slug: str, entry: dict[str, Any], had_session_before: bool, data: st.DataObject
) -> dict[str, Any]:
    """The same entry with one thing worse. The morning of a session day is left alone: it is
    the usual level that session is compared with, which is not monotone (see strategies.worsen)."""
    condition = REAL.conditions[slug]
    family = REAL.self_checks[condition.self_check]
    worse = copy.deepcopy(entry)
    options = ["signs"] if set(family.signs) - set(entry.get("signs", ())) else []
    # A pain is made worse only where it was answered: an answer where there was none is
    # more to go on, not a worse day (a missing next morning holds the plan).
    if family.asks_pain and entry.get("done") in ("planned", "less", "more"):
        options += ["pain_during", "pain_after"]
    elif family.asks_pain and had_session_before and "pain_morning" in entry:
        options.append("pain_morning")
    if not options:
        return worse
    what = data.draw(st.sampled_from(options))
    if what == "signs":
        extra = sorted(set(family.signs) - set(entry.get("signs", ())))
        worse["signs"] = [*entry.get("signs", ()), data.draw(st.sampled_from(extra))]
    else:
        worse[what] = data.draw(st.integers(entry[what], 10))
    return worse


@SCALED
@given(journals(REAL, flags=False), st.data())
def test_a_worse_newest_entry_never_gives_a_milder_today(
    case: tuple[dict[str, Any], str], data: st.DataObject
) -> None:
    document, today = case
    entries = document["recoveries"][0]["entries"]
    assume(entries)
    had_session = any(e.get("done") in ("planned", "less", "more") for e in entries[:-1])
    worse_doc = copy.deepcopy(document)
    worse_doc["recoveries"][0]["entries"][-1] = _worse(
        document["recoveries"][0]["condition"], entries[-1], had_session, data
    )
    better, worse = _journal(document, today), _journal(worse_doc, today)
    assert _rank(worse) >= _rank(better), (entries[-1], worse_doc["recoveries"][0]["entries"][-1])
    if worse["today"]["check"]["colour"] != "red":
        assert _next_level(worse) <= _next_level(better)


@SCALED
@given(journals(REAL, flags=False), st.data())
def test_a_red_flag_on_any_day_stops_running(
    case: tuple[dict[str, Any], str], data: st.DataObject
) -> None:
    document, today = case
    entries = document["recoveries"][0]["entries"]
    assume(entries)
    condition = REAL.conditions[document["recoveries"][0]["condition"]]
    index = data.draw(st.integers(0, len(entries) - 1))
    flag = data.draw(st.sampled_from([f.id for f in condition.red_flags]))
    entries[index]["red_flags"] = [flag]
    r = _journal(document, today)
    assert r["today"]["check"]["colour"] == "red"
    assert r["plan"]["status"] == "refer"
    assert upcoming(r) == []
    assert r["today"]["session"]["status"] == "stopped"
    assert r["plan"]["urgency_text"]


@SCALED
@given(
    st.one_of(
        json_values,
        st.fixed_dictionaries({"journal": json_values, "today": json_values}),
        journals(REAL).map(lambda c: {"journal": _scramble(c[0]), "today": c[1]}),
    )
)
def test_hostile_payloads_get_field_errors(payload: Any) -> None:
    answer = run("journal", json.dumps(payload), REAL_JSON)
    assert answer["ok"] or answer["errors"]
    assert all(e["field"] != "internal" for e in answer.get("errors", ())), answer


def _scramble(document: dict[str, Any]) -> dict[str, Any]:
    """A real journal with a value swapped for the wrong type here and there."""
    scrambled = copy.deepcopy(document)
    for entry in scrambled["recoveries"][0]["entries"][::3]:
        entry["pain_morning"] = "high"
    return scrambled


def test_properties_use_the_real_catalogue(real_cat: Catalogue) -> None:
    assert set(REAL.conditions) == set(real_cat.conditions)
