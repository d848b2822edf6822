"""Small helpers shared by the calculator tests."""

from __future__ import annotations

import json
from typing import Any

from calculators.bridge import call


def run(name: str, payload: dict[str, Any] | str, catalogue_json: str) -> dict[str, Any]:
    """Call the bridge and decode its JSON answer."""
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return json.loads(call(name, text, catalogue_json))


def result(name: str, payload: dict[str, Any], catalogue_json: str) -> dict[str, Any]:
    """The result of a call that must succeed."""
    answer = run(name, payload, catalogue_json)
    assert answer["ok"], answer
    return answer["result"]


def errors(name: str, payload: dict[str, Any] | str, catalogue_json: str) -> dict[str, str]:
    """field -> message for a call that must fail."""
    answer = run(name, payload, catalogue_json)
    assert not answer["ok"], answer
    return {e["field"]: e["message"] for e in answer["errors"]}
