"""`python -m macros build` publishes only a finished build: staged beside the site, then swapped.

The generator is replaced here by stand-ins that fail in each way a real build can, part-way
through writing pages; site_tests/site/ runs real builds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from macros.build import pipeline
from macros.build.generators import GENERATORS
from macros.build.staging import Sources


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


def _run(site: Path, monkeypatch: pytest.MonkeyPatch, mkdocs: Callable[..., int]) -> int:
    def stage(sources: Sources, root: Path, generator: object, serving: bool) -> SimpleNamespace:
        return SimpleNamespace(config_file=root / "mkdocs.yml", site_dir=root / "site")

    monkeypatch.setattr(pipeline.staging, "stage", stage)
    monkeypatch.setattr(pipeline.publish, "publish", lambda site_dir, staged, generator: None)
    monkeypatch.setattr(pipeline, "run_generator", lambda generator, args, cwd: mkdocs(*args))
    return pipeline.build(Sources(Path("content")), site, GENERATORS["mkdocs"])


def _site_dir_of(args: tuple[str, ...]) -> Path:
    """The folder the stand-in generator writes, created as a generator would."""
    site_dir = Path(args[args.index("--site-dir") + 1])
    site_dir.mkdir(parents=True, exist_ok=True)
    return site_dir


def test_a_finished_build_replaces_the_earlier_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    _earlier_build(site)

    def mkdocs(*args: str) -> int:
        staged = _site_dir_of(args)
        assert staged.parent.parent == tmp_path
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

    def mkdocs(*args: str) -> int:
        (_site_dir_of(args) / "index.html").write_text("new")
        return 0

    assert _run(site, monkeypatch, mkdocs) == 0
    assert [p.name for p in site.iterdir()] == ["index.html"]


def test_a_build_that_fails_part_way_publishes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    _earlier_build(site)

    def mkdocs(*args: str) -> int:
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

    def mkdocs(*args: str) -> int:
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

    def mkdocs(*args: str) -> int:
        return 1

    assert _run(site, monkeypatch, mkdocs) == 1
    assert [p.name for p in site.iterdir()] == ["todo.txt"]
