"""`python -m macros build` publishes only a finished build: staged beside the site, then swapped.

MkDocs itself is replaced here by stand-ins that fail in each way a real build can, part-way
through writing pages; site_tests/site/ runs real builds.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from macros import __main__ as cli


def _earlier_build(site: Path) -> None:
    """A gh-pages checkout holding an earlier, successful build."""
    (site / ".git").mkdir(parents=True)
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (site / "sitemap.xml").write_text("<urlset/>")
    (site / "old-page").mkdir()
    (site / "old-page" / "index.html").write_text("old")


def _half_build(site_dir: Path) -> None:
    (site_dir / "index.html").write_text("half")
    (site_dir / "conditions").mkdir()


def _run(site: Path, monkeypatch: pytest.MonkeyPatch, mkdocs: object) -> int:
    monkeypatch.setattr(cli, "_check", lambda clinic: True)
    monkeypatch.setattr(cli, "_mkdocs", mkdocs)
    return cli._build(argparse.Namespace(site_dir=str(site), clinic=None))


def _site_dir_of(args: tuple[str, ...]) -> Path:
    return Path(args[args.index("--site-dir") + 1])


def test_a_finished_build_replaces_the_earlier_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    _earlier_build(site)

    def mkdocs(*args: str, clinic: str | None = None) -> int:
        staged = _site_dir_of(args)
        assert staged.parent == tmp_path
        assert staged != site
        (staged / "sitemap.xml").write_text("<urlset>new</urlset>")
        (staged / "index.html").write_text("new")
        return 0

    assert _run(site, monkeypatch, mkdocs) == 0
    assert sorted(p.name for p in site.iterdir()) == [".git", "index.html", "sitemap.xml"]
    assert (site / ".git" / "HEAD").is_file()
    assert (site / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging folder left


def test_a_build_into_a_new_folder_creates_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "out" / "site"

    def mkdocs(*args: str, clinic: str | None = None) -> int:
        (_site_dir_of(args) / "index.html").write_text("new")
        return 0

    assert _run(site, monkeypatch, mkdocs) == 0
    assert [p.name for p in site.iterdir()] == ["index.html"]


def test_a_build_that_fails_part_way_publishes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    _earlier_build(site)

    def mkdocs(*args: str, clinic: str | None = None) -> int:
        _half_build(_site_dir_of(args))
        return 1

    assert _run(site, monkeypatch, mkdocs) == 1
    assert [p.name for p in site.iterdir()] == [".git"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert f"nothing was published in {site}" in capsys.readouterr().err


@pytest.mark.parametrize(
    "error", [RuntimeError("a bug"), KeyboardInterrupt()], ids=["exception", "interrupt"]
)
def test_an_exception_part_way_publishes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    site = tmp_path / "site"
    _earlier_build(site)

    def mkdocs(*args: str, clinic: str | None = None) -> int:
        _half_build(_site_dir_of(args))
        raise error

    with pytest.raises(type(error)):
        _run(site, monkeypatch, mkdocs)
    assert [p.name for p in site.iterdir()] == [".git"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_folder_that_never_held_a_build_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mistyped --site-dir pointing at someone's folder is not emptied by a failed build."""
    site = tmp_path / "notes"
    site.mkdir()
    (site / "todo.txt").write_text("keep me")

    def mkdocs(*args: str, clinic: str | None = None) -> int:
        return 1

    assert _run(site, monkeypatch, mkdocs) == 1
    assert [p.name for p in site.iterdir()] == ["todo.txt"]
