"""The journal document: valid fixtures read, bad ones give located errors, old ones migrate."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from calculators.catalogue import Catalogue
from calculators.journal_format import (
    FORMAT,
    MAX_ENTRIES,
    MAX_ERRORS,
    VERSION,
    parse_document,
)
from site_tests.calculators.journal_fixtures import (
    expected_errors,
    fixture,
    invalid_names,
    valid_names,
)


@pytest.mark.parametrize("name", valid_names())
def test_valid_fixtures_read_and_round_trip(name: str, real_cat: Catalogue) -> None:
    """A valid file reads; its normalised form reads again to the same document."""
    parsed = parse_document(fixture(name), real_cat)
    assert parsed.errors == ()
    assert parsed.journal is not None
    normal = parsed.journal.to_dict()
    assert normal["format"] == FORMAT
    assert normal["version"] == VERSION
    again = parse_document(json.loads(json.dumps(normal)), real_cat)
    assert again.journal is not None
    assert again.journal.to_dict() == normal
    assert again.migrated_from is None


@pytest.mark.parametrize("name", invalid_names())
def test_invalid_fixtures_name_their_fields(name: str, real_cat: Catalogue) -> None:
    parsed = parse_document(fixture(f"invalid/{name}"), real_cat)
    assert parsed.journal is None
    assert [e.field for e in parsed.errors] == expected_errors()[name]
    assert all(e.message for e in parsed.errors)


def test_every_invalid_fixture_has_expectations() -> None:
    assert set(expected_errors()) == set(invalid_names())


def test_version_0_migrates(real_cat: Catalogue) -> None:
    """The flat single-recovery file of version 0 becomes one active recovery."""
    old = fixture("valid-v0-calf.json")
    parsed = parse_document(old, real_cat)
    assert parsed.migrated_from == 0
    assert parsed.journal is not None
    doc = parsed.journal.to_dict()
    (recovery,) = doc["recoveries"]
    assert doc["active"] == recovery["id"] == "recovery-1"
    assert recovery["condition"] == old["condition"]
    assert recovery["created"] == old["started"]
    assert [e["date"] for e in recovery["entries"]] == [e["day"] for e in old["log"]]
    assert recovery["entries"][2]["signs"] == ["pulling_or_tightness"]
    assert recovery["entries"][3]["notes"] == old["log"][3]["note"]
    assert all(e["updated"] == e["date"] + "T00:00:00Z" for e in recovery["entries"])


def test_version_0_unknown_key_is_reported_not_dropped(real_cat: Catalogue) -> None:
    old = {**fixture("valid-v0-calf.json"), "shoe": "left"}
    parsed = parse_document(old, real_cat)
    assert [e.field for e in parsed.errors] == ["recoveries[0].shoe"]


@pytest.mark.parametrize("value", [None, [], "text", 3, {"format": FORMAT}])
def test_not_a_journal_is_one_clear_error(value: Any, real_cat: Catalogue) -> None:
    parsed = parse_document(value, real_cat)
    assert parsed.journal is None
    assert len(parsed.errors) == 1


def test_too_many_entries_is_refused_before_reading_them(real_cat: Catalogue) -> None:
    doc = fixture("valid-v1-achilles.json")
    entry = doc["recoveries"][0]["entries"][0]
    doc["recoveries"][0]["entries"] = [entry] * (MAX_ENTRIES + 1)
    parsed = parse_document(doc, real_cat)
    assert [e.field for e in parsed.errors] == ["recoveries[0].entries"]


def test_errors_are_capped(real_cat: Catalogue) -> None:
    """A hostile file gets a bounded answer, ending with a note that more were left out."""
    doc = fixture("valid-v1-achilles.json")
    doc["recoveries"][0]["entries"] = [{"date": "nope"}] * 500
    parsed = parse_document(doc, real_cat)
    assert len(parsed.errors) == MAX_ERRORS + 1
    assert parsed.errors[-1].field == "journal"


def test_entries_are_sorted_by_date(real_cat: Catalogue) -> None:
    doc = fixture("valid-v1-achilles.json")
    entries = doc["recoveries"][0]["entries"]
    doc["recoveries"][0]["entries"] = list(reversed(entries))
    parsed = parse_document(doc, real_cat)
    assert parsed.journal is not None
    out = parsed.journal.to_dict()["recoveries"][0]["entries"]
    assert [e["date"] for e in out] == sorted(e["date"] for e in entries)


def test_session_pains_need_a_session(real_cat: Catalogue) -> None:
    doc = copy.deepcopy(fixture("valid-v1-achilles.json"))
    entries = doc["recoveries"][0]["entries"]
    entries[1]["pain_during"] = 3  # a rest day
    del entries[0]["pain_after"]  # a session without its pain after
    entries[2]["done"] = "less"  # less needs minutes
    parsed = parse_document(doc, real_cat)
    assert [e.field for e in parsed.errors] == [
        "recoveries[0].entries[0].pain_after",
        "recoveries[0].entries[1].pain_during",
        "recoveries[0].entries[2].minutes",
    ]


def test_plan_must_be_the_recoveries_condition(real_cat: Catalogue) -> None:
    doc = fixture("valid-v1-achilles.json")
    doc["recoveries"][0]["plan"]["condition"] = "calf-strain"
    parsed = parse_document(doc, real_cat)
    assert [e.field for e in parsed.errors] == ["recoveries[0].plan.condition"]


def test_unknown_sign_and_flag_for_the_family(real_cat: Catalogue) -> None:
    doc = fixture("valid-v1-achilles.json")
    entry = doc["recoveries"][0]["entries"][0]
    entry["signs"] = ["pulling_or_tightness"]  # a muscle sign, not a tendon one
    entry["red_flags"] = ["not-a-flag"]
    parsed = parse_document(doc, real_cat)
    assert [e.field for e in parsed.errors] == [
        "recoveries[0].entries[0].red_flags",
        "recoveries[0].entries[0].signs",
    ]
