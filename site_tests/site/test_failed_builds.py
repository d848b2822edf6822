"""Whole-site builds that fail: located messages, no traceback, and nothing half-built left."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from macros.content.loader import CONTENT_DIR
from site_tests.conftest import PROJECT_ROOT, build_site

pytestmark = pytest.mark.build

EXAMPLE = PROJECT_ROOT / "clinics" / "example"
FAILING = PROJECT_ROOT / "site_tests" / "clinic" / "fixtures" / "failing"


def _earlier_build(site: Path) -> None:
    (site / ".git").mkdir(parents=True)  # e.g. a gh-pages checkout: never ours to delete
    (site / "sitemap.xml").write_text("<urlset/>")
    (site / "conditions").mkdir()


def _build(clinic: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "macros", "build", "--clinic", str(clinic), "--site-dir", str(site)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_hostile_yaml_stops_the_build_with_located_errors(tmp_path: Path) -> None:
    """5,000 `[` and a billion-laughs file: located errors, no traceback, no earlier site left."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    (content / "conditions" / "plantar-heel-pain.yml").write_text("[" * 5000)
    laughs = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
        for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
    )
    (content / "conditions" / "patellofemoral-pain.yml").write_text(laughs)
    site = tmp_path / "site"
    _earlier_build(site)
    run = build_site(site, HANDBOOK_CONTENT=str(content))
    output = run.stdout + run.stderr
    assert run.returncode == 1
    assert "content/conditions/plantar-heel-pain.yml:1:21: HB114 " in output
    assert "content/conditions/patellofemoral-pain.yml:1:4: HB111 anchor &a" in output
    assert "Traceback" not in output
    assert [entry.name for entry in site.iterdir()] == [".git"]


def test_a_build_mkdocs_stops_after_writing_pages_leaves_nothing(tmp_path: Path) -> None:
    """A broken link in a clinic page fails the strict build after every page is written."""
    clinic = tmp_path / "clinics" / "linked"
    shutil.copytree(EXAMPLE, clinic)
    with (clinic / "our-team.md").open("a", encoding="utf-8") as page:
        page.write("\nSee [our prices](prices.md).\n")
    site = tmp_path / "out" / "site"
    _earlier_build(site)
    run = _build(clinic, site)
    assert run.returncode == 1
    assert "prices.md" in run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert "nothing was published" in run.stderr
    assert [entry.name for entry in site.iterdir()] == [".git"]
    assert [entry.name for entry in site.parent.iterdir()] == ["site"]  # no staging folder left


@pytest.mark.parametrize(
    "logo",
    [
        "HB623-logo-cut-short.png",
        "HB621-logo-too-many-pixels.png",
        "HB624-logo-with-script.svg",
        "HB620-logo-too-large.svg",
    ],
)
def test_a_bad_logo_stops_the_build_before_any_page(tmp_path: Path, logo: str) -> None:
    """Each of these crashed the build after the pages were written; now none is written."""
    clinic = tmp_path / "clinics" / "bad-logo"
    shutil.copytree(EXAMPLE, clinic)
    suffix = Path(logo).suffix
    shutil.copy(FAILING / logo, clinic / f"logo{suffix}")
    config = clinic / "clinic.yml"
    config.write_text(config.read_text().replace("logo: logo.svg", f"logo: logo{suffix}"))
    site = tmp_path / "site"
    _earlier_build(site)
    run = _build(clinic, site)
    assert run.returncode == 1
    assert f" {logo[:5]} " in run.stdout
    assert "Traceback" not in run.stdout + run.stderr
    assert [entry.name for entry in site.iterdir()] == [".git"]


def test_a_page_too_deep_for_markdown_stops_the_build_before_any_page(tmp_path: Path) -> None:
    """300 nested list levels made MkDocs end with a RecursionError traceback."""
    clinic = tmp_path / "clinics" / "deep-page"
    shutil.copytree(EXAMPLE, clinic)
    deep = "".join("    " * level + "- deeper\n" for level in range(300))
    (clinic / "our-team.md").write_text("# Our team\n\n" + deep, encoding="utf-8")
    site = tmp_path / "site"
    _earlier_build(site)
    run = _build(clinic, site)
    assert run.returncode == 1
    assert "clinics/deep-page/our-team.md:19:1: HB626 " in run.stdout
    assert "Traceback" not in run.stdout + run.stderr
    assert [entry.name for entry in site.iterdir()] == [".git"]
