"""The generated corpus the scale benchmarks build: N conditions made from the real ones, which
pass lint with zero problems, have unique slugs, names and aliases, and come out the same for
the same N."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.corpus import CONTENT, derive, eponym, write_corpus
from macros.content.loader import Handbook
from macros.lint.content_rules import check_content

REAL = sorted(path.name for path in (CONTENT / "conditions").glob("*.yml"))
# Every real condition copied once, so each kind (fracture sites included) is derived.
SIZE = 2 * len(REAL)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("corpus") / "content"
    write_corpus(target, SIZE)
    return target


@pytest.fixture(scope="module")
def book(corpus: Path) -> Handbook:
    """The corpus as the build reads it, after lint found nothing (HB501-503 and HB304 too)."""
    book, problems = check_content(corpus)
    assert [str(problem) for problem in problems] == []
    assert book is not None
    return book


def test_the_corpus_passes_lint_with_every_condition(book: Handbook) -> None:
    assert len(book.conditions) == SIZE


def test_slugs_names_and_aliases_are_unique(book: Handbook) -> None:
    assert sorted(book.condition_files) == sorted(book.condition_files.values())  # HB501
    names = [
        text.casefold()
        for condition in book.conditions.values()
        for text in {condition.name, *condition.aliases}
    ]
    assert len(names) == len(set(names))


def test_real_files_are_kept_and_fracture_sites_follow_their_copies(
    corpus: Path, book: Handbook
) -> None:
    for name in REAL:
        assert (corpus / "conditions" / name).read_bytes() == (
            CONTENT / "conditions" / name
        ).read_bytes()
    sites = book.protocols["bone-stress"].fracture_sites
    assert sites is not None
    real_sites = {slug for slug in sites.conditions if f"{slug}.yml" in REAL}
    assert real_sites
    for slug in real_sites:
        copies = [other for other in sites.conditions if other.startswith(f"{slug}-")]
        assert len(copies) == 1, (slug, copies)
        assert sites.conditions[copies[0]] == sites.conditions[slug]


def test_the_same_size_writes_the_same_files(corpus: Path, tmp_path: Path) -> None:
    again = tmp_path / "content"
    write_corpus(again, SIZE)
    files = sorted(path.relative_to(corpus) for path in corpus.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(again) for path in again.rglob("*") if path.is_file())
    assert [f for f in files if (corpus / f).read_bytes() != (again / f).read_bytes()] == []


def test_a_derived_condition_names_itself_in_every_alias() -> None:
    condition = {"slug": "calf-strain", "name": "Calf strain", "aliases": ["pulled calf"]}
    word = eponym(0)
    assert derive(condition, word) == {
        "slug": f"calf-strain-{word}",
        "name": f"Calf strain ({word.capitalize()} type)",
        "aliases": [f"pulled calf ({word} type)"],
    }
    assert len({eponym(index) for index in range(5000)}) == 5000


def test_a_corpus_smaller_than_the_real_content_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least"):
        write_corpus(tmp_path / "content", len(REAL) - 1)
