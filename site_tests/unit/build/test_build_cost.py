"""What a build does only once, or only when its input changed: the content is read and
linted once, the Pyodide runtime is linked rather than copied, the icons are made only for a
new logo, templates are compiled only when they changed, and only hand-written pages are
rendered again to look for scripts."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from macros.browser import pwa, runtime
from macros.build import staging
from macros.build.generators import GENERATORS
from macros.content.loader import CONTENT_DIR
from macros.lint import content_rules
from macros.pages import render
from site_tests.conftest import PROJECT_ROOT

LOGO = PROJECT_ROOT / "docs" / "assets" / "images" / "logo.svg"
WHITE = "#ffffff"


def _counting(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[object]:
    calls: list[object] = []
    original = getattr(module, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_staging_reads_and_lints_the_content_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    loads = _counting(monkeypatch, content_rules, "load_handbook")
    lints = _counting(monkeypatch, content_rules, "lint_handbook")
    checks = _counting(monkeypatch, staging, "check_content")
    staged = staging.stage(staging.Sources(CONTENT_DIR), tmp_path, GENERATORS["mkdocs"])
    assert (len(loads), len(lints), len(checks)) == (1, 1, 1)
    assert staged.book.conditions  # the one loaded handbook is the one the pages are made from


def test_only_hand_written_and_clinic_pages_are_rendered_to_look_for_scripts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    checked: list[str] = []
    monkeypatch.setattr(staging, "refuse_scripts", lambda files, _config: checked.extend(files))
    clinic = PROJECT_ROOT / "clinics" / "example"
    staged = staging.stage(staging.Sources(CONTENT_DIR, clinic), tmp_path, GENERATORS["mkdocs"])
    assert "about.md" in checked
    assert any(name.startswith(f"{staging.CLINIC_PAGES}/") for name in checked)
    assert not any(name.startswith(("conditions/", "regions/")) for name in checked)
    assert list((staged.docs_dir / "conditions").glob("*.md"))  # made, only not rendered


def test_the_runtime_in_the_site_is_the_npm_packages_files_linked_not_copied(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    folder = runtime.copy_runtime(site)
    for name in runtime.RUNTIME_FILES:
        assert (folder / name).samefile(runtime.PYODIDE_PACKAGE / name), name
    # A second build into the same folder links again rather than failing on the old link.
    runtime.copy_runtime(site)
    assert (folder / "pyodide.asm.wasm").samefile(runtime.PYODIDE_PACKAGE / "pyodide.asm.wasm")


def test_the_runtime_is_copied_with_its_time_where_no_link_can_be_made(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def cross_device(_source: object, _target: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    folder = runtime.copy_runtime(tmp_path / "site")
    for name in runtime.RUNTIME_FILES:
        copied, package = folder / name, runtime.PYODIDE_PACKAGE / name
        assert not copied.samefile(package)
        assert copied.read_bytes() == package.read_bytes()
        assert copied.stat().st_mtime == package.stat().st_mtime  # the same Last-Modified


def test_icons_are_made_once_per_logo_and_again_when_it_changes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    made = _counting(monkeypatch, pwa, "render_icons")
    cache = tmp_path / "cache"
    logo = tmp_path / "logo.svg"
    logo.write_bytes(LOGO.read_bytes())
    first = pwa.write_icons(logo, tmp_path / "one", WHITE, cache)
    second = pwa.write_icons(logo, tmp_path / "two", WHITE, cache)
    assert len(made) == 1
    assert [p.name for p in first] == [p.name for p in second] == list(pwa.ICON_FILES)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]

    logo.write_text(LOGO.read_text(encoding="utf-8").replace("#17466e", "#6e1746"))
    changed = pwa.write_icons(logo, tmp_path / "three", WHITE, cache)
    assert len(made) == 2
    assert changed[0].read_bytes() != first[0].read_bytes()
    # A new background is a new set too: the maskable icon is drawn on it.
    pwa.write_icons(logo, tmp_path / "four", "#000000", cache)
    assert len(made) == 3


def test_cached_icons_are_the_icons_a_fresh_render_makes(tmp_path: Path) -> None:
    cached = pwa.write_icons(LOGO, tmp_path / "cached", WHITE, tmp_path / "cache")
    fresh = pwa.write_icons(LOGO, tmp_path / "fresh", WHITE, cache=None)
    assert [p.read_bytes() for p in cached] == [p.read_bytes() for p in fresh]
    assert not list((tmp_path / "cache").glob(".making-*"))  # nothing half-made is left


def test_templates_are_compiled_once_then_kept_for_later_builds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(render, "TEMPLATE_CACHE", tmp_path)
    compiled = _counting(monkeypatch, jinja2.Environment, "compile")
    try:
        render.environment.cache_clear()  # a new build's environment
        render.environment().get_template("condition.md.j2")
        first = len(compiled)
        assert first >= 1
        assert list(tmp_path.rglob("*.cache"))
        render.environment.cache_clear()  # the next build
        render.environment().get_template("condition.md.j2")
        assert len(compiled) == first
    finally:
        render.environment.cache_clear()  # later tests get the real folder's environment
