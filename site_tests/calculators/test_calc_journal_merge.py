"""Import that merges: `journal_merge` keeps what is on the device and adds the file's entries."""

from __future__ import annotations

import copy
from typing import Any

from site_tests.calculators.helpers import errors, result
from site_tests.calculators.journal_fixtures import fixture


def _merge(current: Any, incoming: Any, catalogue_json: str) -> dict[str, Any]:
    return result("journal_merge", {"journal": current, "incoming": incoming}, catalogue_json)


def test_merging_a_journal_with_itself_changes_nothing(real_json: str) -> None:
    doc = fixture("valid-v1-achilles.json")
    normal = result("journal", {"journal": doc, "today": "2026-03-16"}, real_json)["journal"]
    merged = _merge(doc, doc, real_json)
    assert merged["journal"] == normal
    assert (merged["added_entries"], merged["replaced_entries"]) == (0, 0)
    assert merged["added_recoveries"] == []


def test_the_newer_entry_for_a_day_wins_and_new_days_are_added(real_json: str) -> None:
    current = fixture("valid-v1-achilles.json")
    incoming = copy.deepcopy(current)
    theirs = incoming["recoveries"][0]["entries"]
    theirs[0] = {**theirs[0], "pain_morning": 3, "updated": "2026-03-02T09:00:00.250Z"}
    theirs[1] = {**theirs[1], "pain_morning": 5, "updated": "2026-03-01T00:00:00Z"}  # older
    theirs.append({"date": "2026-03-16", "updated": "2026-03-16T07:00:00Z", "pain_morning": 0})
    merged = _merge(current, incoming, real_json)
    entries = merged["journal"]["recoveries"][0]["entries"]
    assert entries[0]["pain_morning"] == 3
    assert entries[1]["pain_morning"] == current["recoveries"][0]["entries"][1]["pain_morning"]
    assert entries[-1]["date"] == "2026-03-16"
    assert (merged["added_entries"], merged["replaced_entries"]) == (1, 1)


def test_a_fraction_of_a_second_later_is_newer(real_json: str) -> None:
    """Times compare as times, not as text ("07:30:00.5Z" sorts before "07:30:00Z" as text)."""
    current = fixture("valid-v1-achilles.json")
    incoming = copy.deepcopy(current)
    entry = incoming["recoveries"][0]["entries"][0]
    entry.update({"pain_morning": 4, "updated": entry["updated"].replace("Z", ".5Z")})
    merged = _merge(current, incoming, real_json)
    assert merged["journal"]["recoveries"][0]["entries"][0]["pain_morning"] == 4


def test_another_recovery_is_added_and_a_clashing_id_renamed(real_json: str) -> None:
    current = fixture("valid-v1-achilles.json")
    old = result(
        "journal", {"journal": fixture("valid-v0-calf.json"), "today": "2026-10-23"}, real_json
    )["journal"]
    clash = copy.deepcopy(old)
    clash["recoveries"][0]["id"] = "achilles-2026"  # same id, another condition
    clash["active"] = "achilles-2026"
    merged = _merge(current, clash, real_json)
    ids = [r["id"] for r in merged["journal"]["recoveries"]]
    assert ids == ["achilles-2026", "achilles-2026-2"]
    assert merged["journal"]["active"] == "achilles-2026"
    assert merged["added_recoveries"] == ["achilles-2026-2"]
    assert merged["migrated_from"] == {"journal": None, "incoming": None}


def test_an_old_file_migrates_as_it_merges(real_json: str) -> None:
    merged = _merge(fixture("valid-v1-achilles.json"), fixture("valid-v0-calf.json"), real_json)
    assert merged["migrated_from"] == {"journal": None, "incoming": 0}
    assert [r["condition"] for r in merged["journal"]["recoveries"]] == [
        "mid-portion-achilles-tendinopathy",
        "calf-strain",
    ]


def test_a_bad_file_changes_nothing_and_says_where(real_json: str) -> None:
    found = errors(
        "journal_merge",
        {
            "journal": fixture("valid-v1-achilles.json"),
            "incoming": fixture("invalid/pain-out-of-range.json"),
        },
        real_json,
    )
    assert list(found) == ["incoming.recoveries[0].entries[3].pain_during"]
    foreign = errors(
        "journal_merge",
        {"journal": fixture("valid-v1-achilles.json"), "incoming": {"hello": 1}},
        real_json,
    )
    assert list(foreign) == ["incoming.format"]


def test_merging_past_the_caps_is_refused(real_json: str) -> None:
    current = fixture("valid-v1-achilles.json")
    incoming = copy.deepcopy(current)
    base = incoming["recoveries"][0]
    incoming["recoveries"] = [{**copy.deepcopy(base), "id": f"r{i}"} for i in range(20)]
    incoming["active"] = "r0"
    found = errors("journal_merge", {"journal": current, "incoming": incoming}, real_json)
    assert list(found) == ["incoming"]
    assert "21 recoveries" in found["incoming"]
