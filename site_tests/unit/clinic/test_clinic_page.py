"""A clinic's extra page is checked before MkDocs renders it (HB626); the fixture is with the
clinic fixtures, these are the other ways a page is refused, and the page that passes."""

from __future__ import annotations

import sys
from pathlib import Path

import markdown
import pytest

from macros.clinic.page import MAX_NESTING, PageProblem, check_page
from site_tests.conftest import PROJECT_ROOT


def test_the_example_page_passes() -> None:
    assert check_page(PROJECT_ROOT / "clinics" / "example" / "our-team.md") is None


def test_what_the_check_refuses_would_crash_markdown(tmp_path: Path) -> None:
    """The reason for the rule: Python-Markdown recurses once per level of nesting."""
    text = "".join("    " * level + "- x\n" for level in range(sys.getrecursionlimit() // 3))
    with pytest.raises(RecursionError):
        markdown.markdown(text)
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    problem = check_page(page)
    assert problem is not None
    assert problem.line == MAX_NESTING + 1


@pytest.mark.parametrize(
    "line",
    ["> " * 17 + "quoted", "- " * 17 + "listed", "1. " * 17 + "numbered", "\t" * 17 + "- x"],
    ids=["quotes", "bullets", "numbers", "tabs"],
)
def test_every_kind_of_nesting_counts(tmp_path: Path, line: str) -> None:
    page = tmp_path / "page.md"
    page.write_text(f"# Title\n\n{line}\n", encoding="utf-8")
    assert check_page(page) == PageProblem(
        3,
        1,
        "lists or quotes are nested more than 16 levels deep here; Markdown pages for the "
        "handbook nest two or three",
    )


def test_ordinary_nesting_passes(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# T\n\n- a\n    - b\n        - c\n\n> quote\n\n* * *\n", encoding="utf-8")
    assert check_page(page) is None


def test_a_page_that_is_not_utf8_is_located(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"# Team\n\nCaf\xe9 au lait\n")
    assert check_page(page) == PageProblem(3, 1, "the page is not UTF-8 text; save it as UTF-8")


def test_a_huge_page_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("word " * 60_000, encoding="utf-8")
    assert check_page(page) == PageProblem(1, 1, "the page is 293 KB; a page may be at most 256 KB")
