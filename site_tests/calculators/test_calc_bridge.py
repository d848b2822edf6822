"""The JSON boundary: always JSON, deterministic bytes, configure once and call many times."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from calculators import bridge
from calculators.defaults import default_payload
from site_tests.calculators.fixtures import fixture_catalogue
from site_tests.calculators.strategies import hostile_payloads, plan_payloads
from site_tests.real_catalogue import real_catalogue_json

REAL = real_catalogue_json()


def _is_answer(text: str) -> dict:
    data = json.loads(text)
    assert isinstance(data["ok"], bool)
    if data["ok"]:
        assert set(data) == {"ok", "result"}
    else:
        assert set(data) == {"ok", "errors"}
        assert data["errors"]
        for error in data["errors"]:
            assert set(error) == {"field", "message"}
            assert isinstance(error["field"], str)
            assert isinstance(error["message"], str)
    return data


@given(st.sampled_from(["self_check", "return_to_run_plan", "nope", ""]),
       hostile_payloads(fixture_catalogue()))
def test_hostile_input_always_returns_json(name: str, payload: str) -> None:
    """Whatever the payload, the bridge answers with JSON, never an exception."""
    from site_tests.calculators.fixtures import fixture_data  # noqa: PLC0415

    _is_answer(bridge.call(name, payload, json.dumps(fixture_data())))


@given(plan_payloads(fixture_catalogue()), st.data())
def test_mutated_plans_always_return_json(payload: dict, data: st.DataObject) -> None:
    """Valid plan payloads with one field replaced by anything still get a JSON answer."""
    from site_tests.calculators.fixtures import fixture_data  # noqa: PLC0415

    key = data.draw(st.sampled_from(sorted(payload)))
    payload[key] = data.draw(st.one_of(st.none(), st.integers(), st.text(max_size=5),
                                       st.floats(), st.lists(st.integers(), max_size=2)))
    _is_answer(bridge.call("return_to_run_plan", json.dumps(payload),
                           json.dumps(fixture_data())))


def test_output_is_canonical_and_deterministic(fixture_json: str) -> None:
    """Answers are byte-identical across calls, with sorted keys and no spaces."""
    payload = json.dumps(default_payload("sore-tendon"))
    first = bridge.call("return_to_run_plan", payload, fixture_json)
    second = bridge.Bridge.from_json(fixture_json).call("return_to_run_plan", payload)
    assert first == second
    assert first == json.dumps(json.loads(first), sort_keys=True, separators=(",", ":"))
    assert first.isascii()


def test_configure_then_call() -> None:
    """configure() loads the catalogue once; later calls need only the name and payload."""
    answer = _is_answer(bridge.configure(REAL))
    assert answer["ok"]
    assert answer["result"]["calculators"] == ["return_to_run_plan", "self_check"]
    assert "tendon" in answer["result"]["self_checks"]
    slug = answer["result"]["conditions"][0]
    assert _is_answer(bridge.call("self_check", json.dumps({"condition": slug})))


def test_bad_catalogue_is_an_error_not_an_exception() -> None:
    """A broken catalogue gives a 'catalogue' error from configure and call."""
    for text in ("{", "[]", json.dumps({"settings": {}})):
        assert _is_answer(bridge.configure(text))["errors"][0]["field"] == "catalogue"
        answer = _is_answer(bridge.call("self_check", "{}", text))
        assert answer["errors"][0]["field"] == "catalogue"


def test_unknown_calculator_lists_known_names(fixture_json: str) -> None:
    """An unknown calculator name is a 'name' error listing the real ones."""
    answer = _is_answer(bridge.call("plan", "{}", fixture_json))
    assert answer["errors"] == [{"field": "name", "message":
                                 "unknown calculator 'plan'; known: return_to_run_plan, "
                                 "self_check"}]
