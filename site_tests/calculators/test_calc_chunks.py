"""The catalogue in per-condition chunks (calculators/chunks.py): each chunk holds only its
condition, and the shared data plus the chunks a call wants answers every call exactly as the
whole catalogue does."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from calculators import bridge
from calculators.catalogue import load_catalogue
from calculators.chunks import split_catalogue, wanted_conditions, with_chunk
from calculators.defaults import default_payload
from calculators.errors import CatalogueError
from site_tests.calculators.cases import parity_cases, parity_catalogue
from site_tests.real_catalogue import real_catalogue_json

WHOLE: dict[str, Any] = json.loads(real_catalogue_json())
PARITY: dict[str, Any] = parity_catalogue(real_catalogue_json())


@cache
def _parts(which: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    return split_catalogue(WHOLE if which == "real" else PARITY)


@cache
def _whole(which: str) -> bridge.Bridge:
    return bridge.Bridge(load_catalogue(WHOLE if which == "real" else PARITY))


@cache
def _chunked(which: str, slugs: tuple[str, ...]) -> bridge.Bridge:
    shared, chunks = _parts(which)
    catalogue = load_catalogue(shared)
    for slug in slugs:  # as the worker does, a slug with no chunk is left to the engine
        if slug in chunks:
            catalogue = with_chunk(catalogue, chunks[slug])
    return bridge.Bridge(catalogue)


def _condition_cases(slug: str) -> list[tuple[str, dict[str, Any]]]:
    condition = WHOLE["conditions"][slug]
    flag = condition["red_flags"][0]["id"] if condition["red_flags"] else "none"
    plan = default_payload(slug)
    fragment = json.loads(_whole("real").call("share_link", json.dumps(plan)))
    check = {"condition": slug, "trend": "same", "red_flags": [], "signs": []}
    pain = {"pain_during": 2, "pain_after": 3, "pain_next_morning": 1}
    opened = (
        [("open_share", {"link": "#" + fragment["result"]["fragment"]})] if fragment["ok"] else []
    )
    return [
        *opened,
        ("return_to_run_plan", plan),
        ("return_to_run_plan", {**plan, "today_colour": "amber", "red_flags": [flag]}),
        ("plan_calendar", plan),
        ("share_link", plan),
        ("self_check", check),
        ("self_check", {**check, **pain, "trend": "worse"}),
        ("self_check", {**check, **pain, "red_flags": [flag]}),
    ]


def _same_answer(which: str, name: str, payload: dict[str, Any]) -> tuple[str, str]:
    text = json.dumps(payload)
    wanted = tuple(json.loads(bridge.wanted(name, text)))
    return _chunked(which, wanted).call(name, text), _whole(which).call(name, text)


@pytest.mark.parametrize("slug", sorted(WHOLE["conditions"]))
def test_one_conditions_chunk_answers_as_the_whole_catalogue(slug: str) -> None:
    for name, payload in _condition_cases(slug):
        assert json.loads(bridge.wanted(name, json.dumps(payload))) == [slug], name
        chunked, whole = _same_answer("real", name, payload)
        assert chunked == whole, (name, payload)


def test_the_golden_and_journal_cases_answer_as_the_whole_catalogue() -> None:
    cases = parity_cases(PARITY)
    assert any(name == "journal" for name, _ in cases)
    unknown = 0
    for name, payload in cases:
        chunked, whole = _same_answer("parity", name, payload)
        if all(slug in PARITY["conditions"] for slug in wanted_conditions(name, payload)):
            assert chunked == whole, (name, payload)
        else:
            # Refused either way; only the list of known conditions in the message differs.
            unknown += 1
            assert json.loads(chunked)["ok"] is json.loads(whole)["ok"] is False
    assert unknown < len(cases) // 4


def test_each_chunk_holds_only_its_condition_and_its_fracture_sites() -> None:
    shared, chunks = _parts("real")
    assert shared["conditions"] == {}
    assert all(
        not (p.get("fracture_sites") or {}).get("conditions") for p in shared["protocols"].values()
    )
    assert set(chunks) == set(WHOLE["conditions"])
    with_sites = 0
    for slug, chunk in chunks.items():
        assert set(chunk) == {"conditions", "fracture_sites"}
        assert chunk["conditions"] == {slug: WHOLE["conditions"][slug]}
        for key, sites in chunk["fracture_sites"].items():
            assert set(sites) == {slug}
            assert sites[slug] == WHOLE["protocols"][key]["fracture_sites"]["conditions"][slug]
            with_sites += 1
    assert with_sites > 0  # the real content has conditions with fracture sites


def test_all_chunks_together_are_the_whole_catalogue() -> None:
    shared, chunks = _parts("real")
    catalogue = load_catalogue(shared)
    for slug in sorted(chunks, reverse=True):  # the order chunks arrive in does not matter
        catalogue = with_chunk(catalogue, chunks[slug])
    assert catalogue == load_catalogue(WHOLE)


def test_the_bridge_adds_chunks_to_the_configured_catalogue() -> None:
    shared, chunks = _parts("real")
    slug = "mid-portion-achilles-tendinopathy"
    payload = json.dumps(default_payload(slug))
    assert json.loads(bridge.configure(json.dumps(shared)))["result"]["conditions"] == []
    before = json.loads(bridge.call("return_to_run_plan", payload))
    assert before["ok"] is False
    assert before["errors"][0]["field"] == "condition"
    added = json.loads(bridge.add_conditions(json.dumps(chunks[slug])))
    assert added == {"ok": True, "result": {"conditions": [slug]}}
    assert bridge.call("return_to_run_plan", payload) == _whole("real").call(
        "return_to_run_plan", payload
    )


def test_a_chunk_that_does_not_fit_is_refused_and_changes_nothing() -> None:
    shared, chunks = _parts("real")
    bridge.configure(json.dumps(shared))
    broken = {"conditions": {"x": {"slug": "x"}}, "fracture_sites": {}}
    answer = json.loads(bridge.add_conditions(json.dumps(broken)))
    assert answer["ok"] is False
    assert "conditions.x" in answer["errors"][0]["message"]
    stray = {"conditions": {}, "fracture_sites": {"no-such-protocol": {}}}
    assert json.loads(bridge.add_conditions(json.dumps(stray)))["ok"] is False
    assert json.loads(bridge.add_conditions("not json"))["ok"] is False
    added = json.loads(bridge.add_conditions(json.dumps(chunks["ankle-sprain"])))
    assert added["result"]["conditions"] == ["ankle-sprain"]
    with pytest.raises(CatalogueError):
        with_chunk(load_catalogue(shared), {"other": 1})


def test_wanted_reads_the_conditions_a_call_names() -> None:
    assert wanted_conditions("self_check", {"condition": "a"}) == ["a"]
    journal = {"journal": {"recoveries": [{"condition": "a"}, {"condition": "b"}]}}
    merge = {**journal, "incoming": {"recoveries": [{"condition": "c", "plan": {}}]}}
    assert wanted_conditions("journal_merge", merge) == ["a", "b", "c"]
    assert wanted_conditions("open_share", {"link": "#plan=broken"}) == []
    assert wanted_conditions("self_check", {"condition": 3}) == []
    assert json.loads(bridge.wanted("self_check", "not json")) == []
    many = {"recoveries": [{"condition": str(i)} for i in range(1000)]}
    assert len(wanted_conditions("journal", many)) <= 200


def test_wanted_never_raises_on_any_payload() -> None:
    """The worker asks before every call; a payload the bridge cannot read wants nothing, and
    the call itself then reports the problem at its field."""
    deep = '{"condition": "a", "x": ' + "[" * 50_000 + "]" * 50_000 + "}"
    assert json.loads(bridge.wanted("journal", deep)) == []
    assert json.loads(bridge.wanted("open_share", '{"link": 7}')) == []
    assert json.loads(bridge.wanted("open_share", "[]")) == []
