"""The journal's JSON Schema and its parser agree on every fixture, valid and invalid."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest

from calculators.catalogue import Catalogue
from calculators.journal_format import parse_document
from calculators.journal_schema import journal_schema
from site_tests.calculators.journal_fixtures import fixture, invalid_names, valid_names

BEYOND_THE_SCHEMA = {
    "two-entries-one-day.json": "one entry a day compares entries with each other",
    "unknown-active.json": "`active` must name a recovery in the same file",
    "bad-plan-condition.json": "the plan's condition must be the recovery's",
}
"""Invalid fixtures only the parser can refuse, and why: a JSON Schema checks each value's
shape, not one value against another."""


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = journal_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _schema_ok(validator: Any, document: Any) -> bool:
    return not list(validator.iter_errors(document))


@pytest.mark.parametrize("name", [n for n in valid_names() if "-v0-" not in n])
def test_valid_fixtures_pass_both(name: str, validator: Any, real_cat: Catalogue) -> None:
    assert parse_document(fixture(name), real_cat).errors == ()
    assert _schema_ok(validator, fixture(name)), list(validator.iter_errors(fixture(name)))


def test_a_migrated_file_passes_the_schema(validator: Any, real_cat: Catalogue) -> None:
    """Version 0 is not this schema's shape, but what the parser makes of it is."""
    old = fixture("valid-v0-calf.json")
    assert not _schema_ok(validator, old)
    parsed = parse_document(old, real_cat)
    assert parsed.journal is not None
    assert _schema_ok(validator, parsed.journal.to_dict())


@pytest.mark.parametrize("name", invalid_names())
def test_invalid_fixtures_fail_both(name: str, validator: Any, real_cat: Catalogue) -> None:
    document = fixture(f"invalid/{name}")
    assert parse_document(document, real_cat).errors
    assert _schema_ok(validator, document) == (name in BEYOND_THE_SCHEMA)


MUTATIONS: list[tuple[str, Any]] = [
    ("entries.0.pain_morning", -1),
    ("entries.0.pain_during", 10.5),
    ("entries.0.done", "jogged"),
    ("entries.0.minutes", 601),
    ("entries.0.sleep_hours", 25),
    ("entries.0.swelling", "lots"),
    ("entries.0.mood", 0),
    ("entries.0.notes", "n" * 501),
    ("entries.0.updated", "2026-03-02 07:30"),
    ("entries.0.date", "2 March 2026"),
    ("entries.0.extra", True),
    ("entries.1.pain_after", 2),
    ("id", "has spaces"),
    ("created", 20260302),
    ("plan.running_days_per_week", 8),
    ("plan.today_colour", "blue"),
    ("plan.surprise", 1),
]


@pytest.mark.parametrize(("path", "value"), MUTATIONS, ids=[p for p, _ in MUTATIONS])
def test_each_shape_rule_is_in_both(
    path: str, value: Any, validator: Any, real_cat: Catalogue
) -> None:
    """One bad value at a time: the parser names that field and the schema refuses it."""
    document = copy.deepcopy(fixture("valid-v1-achilles.json"))
    target: Any = document["recoveries"][0]
    *parents, last = path.split(".")
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[last] = value
    parsed = parse_document(document, real_cat)
    assert parsed.errors, path
    assert not _schema_ok(validator, document), path
