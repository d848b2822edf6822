"""The YAML reader keeps 1-based locations for values and keys."""

from __future__ import annotations

import pytest

from macros.yaml_source import YamlSyntaxError, load_with_locations


def test_values_and_keys_are_located() -> None:
    """Locations are 1-based (line, column) for both a key and its value."""
    data, smap = load_with_locations("name: Knee\nred_flags:\n  - id: a\n    text: b\n")
    assert data == {"name": "Knee", "red_flags": [{"id": "a", "text": "b"}]}
    assert smap.values[("name",)] == (1, 7)
    assert smap.keys[("red_flags",)] == (2, 1)
    assert smap.values[("red_flags", 0, "text")] == (4, 11)


def test_locate_falls_back_to_the_nearest_parent() -> None:
    """A path that does not exist (a missing field) points at its parent mapping."""
    _data, smap = load_with_locations("self_care:\n  first_days: [x]\n")
    assert smap.locate(("self_care", "after")) == (2, 3)


def test_dates_stay_text_for_the_model_to_judge() -> None:
    """An impossible date is not a YAML error; the model reports it as HB106."""
    data, _smap = load_with_locations("last_reviewed: 2026-13-45\n")
    assert data == {"last_reviewed": "2026-13-45"}


def test_duplicate_keys_are_an_error() -> None:
    """PyYAML silently keeps the last duplicate; we refuse, pointing at the second one."""
    with pytest.raises(YamlSyntaxError) as caught:
        load_with_locations("a: 1\nb: 2\na: 3\n")
    assert (caught.value.line, caught.value.col) == (3, 1)
    assert "appears twice" in caught.value.message


def test_syntax_errors_are_located() -> None:
    """A YAML syntax error carries the 1-based line and column of the problem."""
    with pytest.raises(YamlSyntaxError) as caught:
        load_with_locations("a: [1, 2\nb: 3\n")
    assert (caught.value.line, caught.value.col) == (2, 2)
