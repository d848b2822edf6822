"""Guides cite references.yml by key in front matter; lint checks the keys, the build lists them."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from macros.content.loader import PROJECT_ROOT, load_handbook
from macros.lint.content_rules import check_content
from macros.lint.guide_rules import guide_problems
from macros.pages.render import render_guide_references

REAL_CONTENT = PROJECT_ROOT / "content"
REAL_GUIDES = PROJECT_ROOT / "docs" / "guides"


@pytest.fixture(scope="module")
def book():
    loaded, problems = load_handbook(REAL_CONTENT)
    assert problems == []
    assert loaded is not None
    return loaded


def test_every_guide_cites_known_references(book) -> None:
    guides = sorted(REAL_GUIDES.glob("*.md"))
    assert guides, "no guides found"
    for guide in guides:
        assert guide.read_text(encoding="utf-8").startswith("---\n"), (
            f"{guide.name}: no front matter"
        )
    assert list(guide_problems(REAL_GUIDES, book)) == []


def test_an_unknown_key_is_located_in_the_guide(tmp_path: Path) -> None:
    root = tmp_path / "handbook"
    shutil.copytree(REAL_CONTENT, root / "content")
    guides = root / "docs" / "guides"
    guides.mkdir(parents=True)
    (guides / "a-guide.md").write_text(
        "---\nreferences:\n  - buist-2008\n  - no-such-paper-1999\n---\n\n# A guide\n",
        encoding="utf-8",
    )
    _book, problems = check_content(root / "content", date(2026, 11, 21))
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.line, problem.col, problem.code) == (4, 5, "HB201")
    assert problem.path.endswith("docs/guides/a-guide.md")
    assert "unknown reference 'no-such-paper-1999'" in problem.message


def test_sources_list_shows_each_reference_with_its_grade_and_escapes_text(book) -> None:
    html = render_guide_references(book, ["heiderscheit-2011", "nigg-2015"])
    assert html.count("<li>") == 2
    assert 'href="https://doi.org/10.1249/MSS.0b013e3181ebedf4"' in html
    assert "Evidence grade C: Limited" in html
    # Nigg's title has quotes; they must reach the page as text, never as markup.
    assert "&#39;preferred movement path&#39;" in html
