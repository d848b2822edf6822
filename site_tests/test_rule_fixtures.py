"""Every rule code has a failing fixture that prints exactly the lines its header expects.

One harness for the content rules and the clinic rules; site_tests/rule_fixtures.py says how a
fixture is written and how to add one.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from macros.content.problems import RULES
from site_tests.rule_fixtures import (
    FIXTURE_FOLDERS,
    GROWING,
    Known,
    code_of,
    expected_lines,
    fixture_paths,
    known_conditions_and_regions,
    place,
    read_fixture,
    run_checker,
    suggested_header,
)

FIXTURES = fixture_paths()


@pytest.fixture(scope="module")
def known() -> Known:
    return known_conditions_and_regions()


def test_every_rule_has_a_failing_fixture() -> None:
    """A rule without a fixture is an untested rule; a code that is in no rule is a typo."""
    assert sorted({code_of(path) for path in FIXTURES}) == sorted(RULES)


def test_each_checker_has_one_fixture_per_rule() -> None:
    """HB102 and HB104 are both content and clinic rules, so each folder has one of its own."""
    for folder in FIXTURE_FOLDERS:
        counts = Counter(code_of(path) for path in FIXTURES if path.parent == folder)
        assert [code for code, count in counts.items() if count > 1] == [], folder


def test_every_file_beside_the_fixtures_is_used() -> None:
    """A logo or page next to the fixtures belongs to one of them, so none lies there unused."""
    used = {
        fixture.path.parent / source
        for fixture in map(read_fixture, FIXTURES)
        for source, _target in fixture.also_copy
    }
    for folder in FIXTURE_FOLDERS:
        assert {path for path in folder.iterdir() if path.suffix != ".yml"} <= used, folder


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: path.name)
def test_fixture_prints_exactly_its_expected_lines(
    path: Path, tmp_path: Path, known: Known
) -> None:
    fixture = read_fixture(path)
    if not fixture.expected:
        header = suggested_header(fixture, tmp_path, known)
        pytest.fail(
            f"{path.name} has no '# expect:' lines; paste these under its header:\n{header}"
        )
    assert any(f" {fixture.code} " in line for line in fixture.expected), (
        f"{path.name} must expect at least one {fixture.code} line"
    )
    start = place(fixture, tmp_path)
    printed = run_checker(fixture, tmp_path, known)
    expected = expected_lines(fixture, start)
    assert len(printed) == len(expected), "\n".join(printed)
    for line, want in zip(printed, expected, strict=True):
        if want.endswith(GROWING):
            assert line.startswith(want.removesuffix(GROWING))
        else:
            assert line == want
