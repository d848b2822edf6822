"""The content linter on the real content, and on failing fixtures combined in one run.

Each rule's own fixture is checked by site_tests/test_rule_fixtures.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from macros.lint.content_rules import check_content
from site_tests.rule_fixtures import CONTENT_FIXTURES, TODAY, place, read_fixture

REAL_CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch project holding a copy of the real content."""
    shutil.copytree(REAL_CONTENT, tmp_path / "content")
    return tmp_path


def _place(code: str, project: Path) -> None:
    place(read_fixture(CONTENT_FIXTURES / f"{code}.yml"), project)


def test_real_content_is_clean(project: Path) -> None:
    """The shipped content is the passing corpus: no problems at all."""
    _book, problems = check_content(project / "content", TODAY)
    assert [str(p) for p in problems] == []


def test_missing_file_is_reported_not_raised(project: Path) -> None:
    """HB100: a deleted vocabulary gives a located message instead of a traceback."""
    (project / "content" / "exercises.yml").unlink()
    _book, problems = check_content(project / "content", TODAY)
    assert "content/exercises.yml:1:1: HB100 cannot read the file: No such file or directory" in [
        str(p) for p in problems
    ]


def test_every_problem_in_every_file_is_reported_in_one_run(project: Path) -> None:
    """Three broken files give three problems in one run, sorted by path."""
    for code in ("HB101", "HB203", "HB106"):
        _place(code, project)
    _book, problems = check_content(project / "content", TODAY)
    assert [p.code for p in problems] == ["HB101", "HB106", "HB203"]


def test_a_see_a_clinician_condition_offers_no_protocol(project: Path) -> None:
    """HB310's other half: with its urgent notice, a see-a-clinician page still has no plan."""
    _place("HB310", project)
    target = project / "content" / "conditions" / "fixture-hb310.yml"
    text = target.read_text(encoding="utf-8").replace(
        "self_managed: false\n", "self_managed: false\nurgent_notice: Get seen today.\n"
    )
    target.write_text(
        text.replace("  self_check: generic", "  protocol: oxford-walk-run\n  self_check: generic"),
        encoding="utf-8",
    )
    _book, problems = check_content(project / "content", TODAY)
    assert [str(p) for p in problems] == [
        "content/conditions/fixture-hb310.yml:10:15: HB310 a see-a-clinician condition needs "
        "urgent_notice and no protocol"
    ]
