"""docs/developers.md: every documented request gives the documented response."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from calculators.bridge import call
from site_tests.conftest import PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "developers.md"
BLOCK = re.compile(
    r"<!-- example: (\w+) (request|response)( selected)? -->\s*```json\n(.*?)\n```", re.DOTALL
)


def _examples() -> list[tuple[str, Any, Any, bool]]:
    blocks = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    pairs = []
    for (name, kind, _, text), (name2, kind2, selected, answer) in zip(
        blocks[::2], blocks[1::2], strict=True
    ):
        assert (kind, kind2, name) == ("request", "response", name2), "examples come in pairs"
        pairs.append((name, json.loads(text), json.loads(answer), bool(selected)))
    return pairs


def _contains(actual: Any, documented: Any, where: str = "") -> None:
    """Documented objects may leave keys out ('selected fields'); everything shown must match."""
    if isinstance(documented, dict):
        assert isinstance(actual, dict), where
        for key, value in documented.items():
            assert key in actual, f"{where}.{key} is documented but not returned"
            _contains(actual[key], value, f"{where}.{key}")
    else:
        assert actual == documented, where


def test_the_page_has_examples_of_both_calculators() -> None:
    """The page documents requests and responses for both calculators, errors included."""
    examples = _examples()
    assert {name for name, *_ in examples} == {"self_check", "return_to_run_plan"}
    assert any(not answer["ok"] for *_, answer, _ in examples)


@pytest.mark.parametrize(("name", "request_", "response", "selected"), _examples())
def test_documented_example_is_what_the_bridge_returns(
    real_json: str, name: str, request_: Any, response: Any, selected: bool
) -> None:
    """Running the documented request through the bridge gives the documented response."""
    actual = json.loads(call(name, json.dumps(request_), real_json))
    if selected:
        _contains(actual, response)
    else:
        assert actual == response
