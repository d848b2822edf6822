"""The site's one search: a Pagefind index of the built pages, written into the site.

Plain Python over a built site folder, run after the generator has written every page and
before the offline files are listed, so the service worker precaches the index with the rest.
Any generator's output can be indexed: pages opt in with `data-pagefind-body` and mark their
weights, filters and exclusions in their own markup.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

from pagefind.service import get_executable

INDEX_DIR = "pagefind"
LANGUAGE = "en"
# The "¶" permalink that Markdown's table of contents adds to every heading is not text.
NOT_TEXT = [".headerlink"]
# Pagefind also writes ready-made interfaces; the handbook ships its own small one
# (docs/assets/javascripts/search/), so these are never published or precached.
UNUSED_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
    "wasm.unknown.pagefind",  # for pages without a language; every page here is English
)


class SearchIndexError(RuntimeError):
    """The index could not be built, or holds no pages."""


def _write_index(site_dir: Path, output: Path) -> None:
    # The command line, not the package's async service: the command exits only when every
    # file is written, where the service was seen to return before its entry file was. The
    # binary itself, not `python -m pagefind`, which only starts Python to exec it.
    executable = get_executable()
    if executable is None:
        raise SearchIndexError("search index: the Pagefind binary is not installed")
    command = [str(executable), "--site", str(site_dir)]
    command += ["--output-path", str(output), "--force-language", LANGUAGE, "--quiet"]
    for selector in NOT_TEXT:
        command += ["--exclude-selectors", selector]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SearchIndexError(f"search index: Pagefind failed: {done.stderr or done.stdout}")


def index_site(site_dir: Path) -> Path:
    """Index every page of the built site into site_dir/pagefind and return that folder."""
    output = site_dir / INDEX_DIR
    shutil.rmtree(output, ignore_errors=True)
    _write_index(site_dir, output)
    entry = output / "pagefind-entry.json"
    if not entry.is_file():
        raise SearchIndexError(f"search index: Pagefind wrote no {entry.name}")
    pages = sum(lang["page_count"] for lang in json.loads(entry.read_text())["languages"].values())
    if pages == 0:
        raise SearchIndexError("search index: no page is marked data-pagefind-body")
    for name in UNUSED_FILES:
        (output / name).unlink(missing_ok=True)
    return output


FRAGMENT_SIGNATURE = b"pagefind_dcd"


def indexed_pages(site_dir: Path) -> dict[str, dict[str, object]]:
    """What the index holds for each page, by address: Pagefind's record of its text, metadata
    and filters. For checks and measurements; the browser reads the same files."""
    pages = {}
    for fragment in sorted((site_dir / INDEX_DIR / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data.removeprefix(FRAGMENT_SIGNATURE))
        pages[record["url"]] = record
    return pages
