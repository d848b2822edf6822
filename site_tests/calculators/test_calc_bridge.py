"""The JSON boundary: always JSON, deterministic bytes, configure once and call many times."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from calculators import bridge
from calculators.defaults import default_payload
from calculators.errors import FIELD_MAX_CHARS, MESSAGE_MAX_CHARS, FieldError, clip
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
        assert len(data["errors"]) <= bridge.MAX_ERRORS
        for error in data["errors"]:
            assert set(error) == {"field", "message"}
            assert isinstance(error["field"], str)
            assert isinstance(error["message"], str)
            assert len(error["field"]) <= FIELD_MAX_CHARS
            assert len(error["message"]) <= MESSAGE_MAX_CHARS
    return data


@given(
    st.sampled_from(["self_check", "return_to_run_plan", "nope", ""]),
    hostile_payloads(fixture_catalogue()),
)
def test_hostile_input_always_returns_json(name: str, payload: str) -> None:
    """Whatever the payload, the bridge answers with JSON, never an exception."""
    from site_tests.calculators.fixtures import fixture_data  # noqa: PLC0415

    _is_answer(bridge.call(name, payload, json.dumps(fixture_data())))


@given(plan_payloads(fixture_catalogue()), st.data())
def test_mutated_plans_always_return_json(payload: dict, data: st.DataObject) -> None:
    """Valid plan payloads with one field replaced by anything still get a JSON answer."""
    from site_tests.calculators.fixtures import fixture_data  # noqa: PLC0415

    key = data.draw(st.sampled_from(sorted(payload)))
    payload[key] = data.draw(
        st.one_of(
            st.none(),
            st.integers(),
            st.text(max_size=5),
            st.floats(),
            st.lists(st.integers(), max_size=2),
        )
    )
    _is_answer(bridge.call("return_to_run_plan", json.dumps(payload), json.dumps(fixture_data())))


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
    assert answer["result"]["calculators"] == [
        "journal",
        "journal_merge",
        "open_share",
        "plan_calendar",
        "return_to_run_plan",
        "self_check",
        "share_link",
    ]
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
    assert answer["errors"] == [
        {
            "field": "name",
            "message": (
                "unknown calculator 'plan'; known: journal, journal_merge, open_share, "
                "plan_calendar, return_to_run_plan, self_check, share_link"
            ),
        }
    ]


def test_a_huge_unknown_key_gives_a_short_answer(fixture_json: str) -> None:
    """A 1 MB unknown key is named by its first characters, not echoed whole."""
    payload = {**default_payload("sore-tendon"), "x" * 1_000_000: 1}
    text = bridge.call("return_to_run_plan", json.dumps(payload), fixture_json)
    assert len(text) < 2_000
    (error,) = _is_answer(text)["errors"]
    assert error["field"] == "x" * (FIELD_MAX_CHARS - 3) + "..."
    assert error["message"].startswith("unknown field; allowed fields: condition,")


def test_many_unknown_keys_give_few_errors_and_keep_real_ones(fixture_json: str) -> None:
    """100,000 junk keys: ten are named, the rest counted, and real field errors still come."""
    payload = {
        **default_payload("sore-tendon"),
        "days_since_stopped": -1,
        **{f"junk{i}": i for i in range(100_000)},
    }
    text = bridge.call("return_to_run_plan", json.dumps(payload), fixture_json)
    assert len(text) < 10_000
    found = _is_answer(text)["errors"]
    assert [e["field"] for e in found[:10]] == [f"junk{i}" for i in range(10)]
    assert found[10]["field"] == "payload"
    assert found[10]["message"].startswith("99990 more unknown fields")
    assert any(e["field"] == "days_since_stopped" for e in found)


def test_many_unknown_names_in_a_list_give_a_short_message(fixture_json: str) -> None:
    """A list of huge unknown red-flag ids is summarised, each id cut short."""
    flags = ["y" * 100_000] * 3 + [str(i) for i in range(500)]
    payload = {
        "condition": "sore-tendon",
        "pain_during": 0,
        "pain_after": 0,
        "pain_next_morning": 0,
        "red_flags": flags,
    }
    found = _is_answer(bridge.call("self_check", json.dumps(payload), fixture_json))["errors"]
    (error,) = found
    assert error["field"] == "red_flags"
    assert "and 481 more" in error["message"]


def test_the_number_of_errors_is_capped() -> None:
    """More errors than MAX_ERRORS: the first ones, then one that counts the rest."""
    many = [FieldError(f"f{i}", "bad") for i in range(bridge.MAX_ERRORS * 3)]
    answer = json.loads(bridge.failed(many))
    assert len(answer["errors"]) == bridge.MAX_ERRORS
    assert answer["errors"][-1] == {
        "field": "payload",
        "message": f"{bridge.MAX_ERRORS * 2 + 1} more problems not listed; fix these first",
    }


def test_field_errors_are_clipped_at_construction() -> None:
    """Whoever builds a FieldError, neither part can exceed its cap."""
    error = FieldError("k" * 10_000, "m" * 10_000)
    assert (len(error.field), len(error.message)) == (FIELD_MAX_CHARS, MESSAGE_MAX_CHARS)
    assert clip("short", 10) == "short"
    assert clip("abcdefghijk", 10) == "abcdefg..."
