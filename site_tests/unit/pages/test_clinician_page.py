"""'How the calculators decide' shows every sourced rule of the calculators' data."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest

from macros.content.loader import CONTENT_DIR, Handbook, load_handbook
from macros.pages.clinician_view import decisions, explain_calculators
from macros.pages.render import render_calculator_rules
from site_tests.real_catalogue import real_catalogue_json


def _cited_nodes(data: Any) -> int:
    """How many dicts anywhere in `data` name a reference: counted independently of the walker."""
    if isinstance(data, list):
        return sum(_cited_nodes(item) for item in data)
    if not isinstance(data, dict):
        return 0
    return int(isinstance(data.get("reference"), str)) + sum(
        _cited_nodes(value) for value in data.values()
    )


@pytest.fixture(scope="module")
def book() -> Handbook:
    loaded, problems = load_handbook(CONTENT_DIR)
    assert loaded is not None
    assert not problems
    return loaded


@pytest.fixture(scope="module")
def catalogue() -> dict[str, Any]:
    return dict(json.loads(real_catalogue_json()))


def test_every_cited_node_becomes_a_row(catalogue: dict[str, Any]) -> None:
    for group in ("self_checks", "protocols"):
        for key, data in catalogue[group].items():
            assert len(list(decisions(data))) == _cited_nodes(data), f"{group}/{key}"


def test_the_page_shows_each_rule_with_its_source_and_grade(
    book: Handbook, catalogue: dict[str, Any]
) -> None:
    page = html.unescape(render_calculator_rules(book, catalogue))
    context = explain_calculators(catalogue)
    rows = [d for part in context["families"] + context["protocols"] for d in part["decisions"]]
    assert len(rows) > 50
    lines = iter(page.splitlines())  # rows appear in data order, so scan forward only
    for row in rows:
        ref = catalogue["references"][row.reference]
        start = f'<tr><th scope="row">{row.where}</th>'
        line = next((line for line in lines if line.startswith(start)), None)
        assert line is not None, row.where
        assert f"{ref['authors']} {ref['year']}" in line
        assert f"<td>{row.grade}</td>" in line
        assert row.values in line


def test_every_family_and_protocol_has_a_section(book: Handbook, catalogue: dict[str, Any]) -> None:
    page = html.unescape(render_calculator_rules(book, catalogue))
    for family in catalogue["self_checks"].values():
        assert f"### {family['name']}" in page
    for protocol in catalogue["protocols"].values():
        assert f"### {protocol['name']}" in page
