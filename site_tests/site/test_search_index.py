"""The one search: Pagefind's index of the built site, with names and aliases weighted, region
and tissue as filters, calculators out of it, and every file of it saved for offline use."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from macros.browser.pwa import precache_entries
from macros.browser.search_index import INDEX_DIR, UNUSED_FILES, indexed_pages
from macros.content.loader import CONTENT_DIR
from macros.lint.content_rules import check_content
from site_tests.conftest import build_site

pytestmark = pytest.mark.build


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())


@pytest.fixture(scope="module")
def pages(built_site: Path) -> dict[str, dict]:
    return indexed_pages(built_site)


def test_the_theme_search_is_off_and_pagefind_is_on(built_site: Path) -> None:
    """No lunr index is published or loaded; Pagefind's files are, without its spare UIs."""
    assert not (built_site / "search").exists()
    home = (built_site / "index.html").read_text()
    assert "search_index.json" not in home
    assert "md-search" not in home
    assert "assets/javascripts/search/ui.mjs" in home
    index = built_site / INDEX_DIR
    assert (index / "pagefind.js").is_file()
    assert [name for name in UNUSED_FILES if (index / name).exists()] == []


def test_every_condition_is_indexed_with_its_names_aliases_and_filters(
    pages: dict[str, dict],
) -> None:
    """Each condition page carries its name (title), aliases (weighted metadata) and its
    region and tissue as filters."""
    book, problems = check_content()
    assert not problems
    assert book is not None
    for slug, condition in book.conditions.items():
        page = pages[f"/conditions/{slug}/"]
        assert page["meta"]["title"] == condition.name
        if condition.aliases:
            aliases = _fold(page["meta"]["aliases"])
            for alias in condition.aliases:
                assert _fold(alias) in aliases, (slug, alias)
        assert page["filters"]["region"] == [book.regions[condition.region].name]
        assert page["filters"]["tissue"] == [book.tissues[condition.tissue].name]
        assert "¶" not in page["content"]


def test_names_and_aliases_outweigh_body_text(built_site: Path) -> None:
    """The "Also called" list is marked with Pagefind's top weight on every condition page."""
    html = (built_site / "conditions" / "patellofemoral-pain" / "index.html").read_text()
    assert re.search(r'<dd data-pagefind-weight="10" data-pagefind-meta="aliases">', html)


def test_calculators_rule_lists_plan_tables_and_reference_lists_stay_out(
    built_site: Path, pages: dict[str, dict]
) -> None:
    """The forms, the full rule lists and the week-by-week plans are on the page but not in
    its indexed text; neither are link lists that only name other pages."""
    page = (built_site / "conditions" / "calf-strain" / "index.html").read_text()
    markers = ("Week-by-week plan", "The rules in full", "Days since your last run")
    for marker in markers:
        assert marker in page
    text = pages["/conditions/calf-strain/"]["content"]
    for marker in markers:
        assert marker not in text
    assert "Evidence grade" not in text  # the references list
    home = pages["/"]["content"]
    assert "Mid-portion Achilles tendinopathy" not in home  # the region lists of links


def test_only_real_pages_are_indexed(built_site: Path, pages: dict[str, dict]) -> None:
    """Every indexed address is a published page; the offline fallback and 404 are not in."""
    for url in pages:
        assert (built_site / url.lstrip("/") / "index.html").is_file(), url
    assert "/offline/" not in pages
    assert not any("404" in url for url in pages)
    entry = json.loads((built_site / INDEX_DIR / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == len(pages)


def test_every_index_file_is_precached_with_a_revision(built_site: Path) -> None:
    """The service worker saves the whole index, each file under its content hash, and
    leaves the theme's unused search worker and languages out."""
    listed = {entry.path: entry for entry in precache_entries(built_site)}
    on_disk = {
        path.relative_to(built_site).as_posix()
        for path in (built_site / INDEX_DIR).rglob("*")
        if path.is_file()
    }
    assert on_disk
    assert on_disk <= set(listed)
    assert {listed[path].group for path in on_disk} == {"core"}
    worker = (built_site / "sw.js").read_text()
    for path in on_disk:
        assert json.dumps([path, listed[path].revision])[:-1] in worker
    assert not [path for path in listed if path.startswith("assets/javascripts/workers/search")]


def test_a_content_update_changes_only_some_index_files(
    built_site: Path, tmp_path: Path, site_url: str
) -> None:
    """One condition's summary changes: Pagefind's code and most of its chunks keep their
    revisions, so an update downloads only what changed."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    condition = content / "conditions" / "calf-strain.yml"
    data = yaml.safe_load(condition.read_text(encoding="utf-8"))
    data["summary"] += " Unmistakablewordforthistest."
    condition.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    updated = tmp_path / "site"
    result = build_site(updated, SITE_URL=site_url, HANDBOOK_CONTENT=str(content))
    assert result.returncode == 0, result.stdout + result.stderr

    def revisions(site: Path) -> dict[str, str]:
        return {
            e.path: e.revision for e in precache_entries(site) if e.path.startswith(INDEX_DIR + "/")
        }

    before, after = revisions(built_site), revisions(updated)
    changed = {path for path, rev in after.items() if before.get(path) != rev}
    assert "pagefind/pagefind.js" not in changed
    assert "pagefind/wasm.en.pagefind" not in changed
    fragments = {path for path in changed if path.startswith("pagefind/fragment/")}
    assert len(fragments) == 1, sorted(changed)
    assert len(changed) < len(after) / 4, sorted(changed)
    assert any(
        "Unmistakablewordforthistest" in page["content"] for page in indexed_pages(updated).values()
    )
