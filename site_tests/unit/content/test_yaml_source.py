"""The YAML reader keeps 1-based locations, and refuses hostile or surprising YAML by place."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.content.yaml_source import (
    MAX_DEPTH,
    MAX_PROBLEMS_PER_FILE,
    SourceMap,
    YamlProblem,
    YamlRefused,
    _build,
    _ContentLoader,
    _load_clean,
    load_with_locations,
)
from site_tests.conftest import PROJECT_ROOT


def _refused(text: str) -> list[YamlProblem]:
    with pytest.raises(YamlRefused) as caught:
        load_with_locations(text)
    return caught.value.problems


def _codes_at(text: str) -> list[tuple[int, int, str]]:
    return [(p.line, p.col, p.code) for p in _refused(text)]


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


def test_every_duplicate_key_is_reported() -> None:
    """PyYAML silently keeps the last duplicate; we refuse each one, at the repeat."""
    problems = _refused("a: 1\nb: 2\na: 3\nb: 4\nc:\n  d: 1\n  d: 2\n")
    assert [(p.line, p.col, p.code) for p in problems] == [
        (3, 1, "HB110"),
        (4, 1, "HB110"),
        (7, 3, "HB110"),
    ]
    assert problems[0].message == (
        "the key 'a' appears twice in one mapping (first on line 1); keep one"
    )


def test_syntax_errors_are_located() -> None:
    """A YAML syntax error carries the 1-based line and column of the problem."""
    assert _refused("a: [1, 2\nb: 3\n") == [
        YamlProblem(2, 2, "HB101", "YAML syntax: expected ',' or ']', but got ':'")
    ]


def test_a_billion_laughs_file_is_refused_without_expanding() -> None:
    """Nine levels of nine aliases would expand to 10^9 strings; each alias is refused instead.

    Aliases are never expanded, so this returns as fast as the file parses; the list of
    problems is capped so the output stays readable.
    """
    lines = ['lol0: &lol0 ["' + "lol" * 2200 + '"]']
    for level in range(1, 10):
        aliases = ", ".join([f"*lol{level - 1}"] * 9)
        lines.append(f"lol{level}: &lol{level} [{aliases}]")
    text = "\n".join(lines) + "\n"
    assert 7_000 < len(text.encode()) < 8_000
    problems = _refused(text)
    assert (problems[0].line, problems[0].col, problems[0].code) == (1, 7, "HB111")
    assert {p.code for p in problems} == {"HB111"}
    assert len(problems) == MAX_PROBLEMS_PER_FILE + 1
    assert problems[-1].message.startswith("and ")
    assert problems[-1].message.endswith(" more problems like these in this file, not listed")


@pytest.mark.parametrize("opening", ["[", "{a: "], ids=["lists", "mappings"])
def test_deep_nesting_is_a_located_error_not_a_recursion_error(opening: str) -> None:
    text = opening * 5000
    problems = _refused(text)
    assert len(problems) == 1
    assert problems[0].code == "HB114"
    assert problems[0].line == 1
    assert problems[0].col == 1 + MAX_DEPTH * len(opening)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a: !!set {x, y}\n", "!!set"),
        ("a: !foo [1]\n", "!foo"),
        ("a: !!omap [b: 1]\n", "!!omap"),
        ("a: !!binary aGk=\n", "!!binary"),
        ("a: !!python/object:os.system ls\n", "!!python/object:os.system"),
    ],
)
def test_tags_are_refused_at_their_place(text: str, shown: str) -> None:
    """A tag on a list or mapping used to vanish silently; every tag is now an error."""
    assert _refused(text) == [
        YamlProblem(
            1,
            4,
            "HB112",
            f"tag {shown}: YAML tags are not used; write the value plainly, with quotes "
            "around text that could be read as a number or true/false",
        )
    ]


def test_tagged_values_do_not_hide_later_problems() -> None:
    assert _codes_at("a: !foo [1]\nb: !bar x\nb: 2\n") == [
        (1, 4, "HB112"),
        (2, 4, "HB112"),
        (3, 1, "HB110"),
    ]


def test_a_merge_key_has_its_own_message() -> None:
    problems = _refused("base: &base {a: 1}\nother:\n  <<: *base\n  b: 2\n")
    assert [(p.line, p.col, p.code) for p in problems] == [(1, 7, "HB111"), (3, 3, "HB113")]
    assert problems[1].message == (
        "merge keys (<<) are not used; write the keys of this mapping out in full"
    )


def test_aliases_in_keys_and_undefined_aliases_are_refused() -> None:
    assert _codes_at("? *nowhere\n: 1\nb: *also-nowhere\n") == [(1, 3, "HB111"), (3, 4, "HB111")]


def test_a_control_character_is_a_located_error() -> None:
    assert _refused("a: ok\nb: x\x1by\n") == [
        YamlProblem(2, 5, "HB101", "YAML syntax: the character U+001B is not allowed in YAML")
    ]


def test_a_number_too_long_to_read_is_a_located_error() -> None:
    assert _refused("a: 1\nb: " + "9" * 5000 + "\n") == [
        YamlProblem(2, 4, "HB101", "this number is too long to read")
    ]


def test_quoted_values_are_cut_in_messages() -> None:
    """A hostile key a megabyte long is not echoed in full."""
    key = "k" * 1_000_000
    (problem,) = _refused(f"? {key}\n: 1\n? {key}\n: 2\n")
    assert problem.code == "HB110"
    assert len(problem.message) < 200


def _read_by_python(text: str) -> tuple[object, SourceMap]:
    loader = _ContentLoader(text)
    try:
        smap = SourceMap()
        return _build(loader.get_single_node(), (), smap, loader), smap
    finally:
        loader.dispose()


@pytest.mark.parametrize(
    "path", sorted((PROJECT_ROOT / "content").rglob("*.yml")), ids=lambda p: p.name
)
def test_libyaml_reads_every_content_file_as_the_python_reader_does(path: Path) -> None:
    """Clean files are read by libyaml: the same data, and every value and key at the same
    line and column (non-ASCII text included)."""
    text = path.read_text(encoding="utf-8")
    clean = _load_clean(text)
    assert clean is not None
    data, smap = _read_by_python(text)
    assert clean[0] == data
    assert (clean[1].values, clean[1].keys) == (smap.values, smap.keys)


@pytest.mark.parametrize(
    "text",
    ["a: &x 1\nb: *x\n", "a: !!str 1\n", "a: 1\na: 2\n", "a: [1\n", "a: \x1b\n", "<<: {b: 1}\n"],
)
def test_a_file_with_any_problem_is_left_to_the_python_reader(text: str) -> None:
    """So every message and location stays the one the Python reader gives."""
    assert _load_clean(text) is None
    with pytest.raises(YamlRefused):
        load_with_locations(text)
