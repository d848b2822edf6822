"""The built site: one page per condition, red flags everywhere, search, and no third parties."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from calculators.journal_schema import journal_schema
from macros.browser.journal_schema import SCHEMA_PATH, journal_schema_text
from macros.content.loader import CONTENT_DIR
from site_tests.conftest import PROJECT_ROOT, build_site

pytestmark = pytest.mark.build

CONDITION_FILES = sorted((CONTENT_DIR / "conditions").glob("*.yml"))
# Strings in Material's own JavaScript that are only fetched for features this site never
# enables: a repository link (repo_url) and Mermaid diagrams. Tests below prove both are off.
DORMANT_THIRD_PARTY_URLS = {
    "https://api.github.com/repos/",
    "https://api.github.com/users/",
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js",
    "https://unpkg.com/resize-observer-polyfill",  # pre-empted by our local shim
}


def test_every_condition_file_has_a_page(built_site: Path) -> None:
    """content/conditions/x.yml becomes /conditions/x/."""
    assert CONDITION_FILES
    for path in CONDITION_FILES:
        assert (built_site / "conditions" / path.stem / "index.html").is_file(), path.name


def test_every_condition_page_has_the_red_flag_callout_near_the_top(built_site: Path) -> None:
    """The red-flag callout sits before the symptoms on every condition page."""
    for path in CONDITION_FILES:
        html = (built_site / "conditions" / path.stem / "index.html").read_text()
        assert 'class="admonition danger hb-red-flags"' in html, path.stem
        assert html.index("hb-red-flags") < html.index('id="symptoms"'), path.stem


def test_edit_links_point_at_the_yaml(built_site: Path) -> None:
    """ "Edit this page" on a condition opens its YAML file, not generated Markdown."""
    html = (built_site / "conditions" / CONDITION_FILES[0].stem / "index.html").read_text()
    assert f"/edit/main/content/conditions/{CONDITION_FILES[0].name}" in html


class _ResourceCollector(HTMLParser):
    """Collects every URL the browser would fetch on its own (not links a user clicks)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        fetched = ["src", "poster", "data"]
        if tag == "link" and values.get("rel") not in {"canonical", "alternate", "prev", "next"}:
            fetched.append("href")
        if tag == "form":
            fetched.append("action")
        for name in fetched:
            if values.get(name):
                self.urls.append(str(values[name]))
        for candidate in (values.get("srcset") or "").split(","):
            if candidate.strip():
                self.urls.append(candidate.split()[0])


def _third_party(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme in {"http", "https"} and parts.hostname not in {"127.0.0.1", "localhost"}


def test_no_page_fetches_from_another_origin(built_site: Path) -> None:
    """No HTML resource attribute and no CSS url() or @import points at another host."""
    offenders = []
    for html in built_site.rglob("*.html"):
        collector = _ResourceCollector()
        collector.feed(html.read_text())
        offenders += [f"{html}: {u}" for u in collector.urls if _third_party(u)]
    css_urls = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)")
    for css in built_site.rglob("*.css"):
        for groups in css_urls.findall(css.read_text()):
            offenders += [f"{css}: {u}" for u in groups if u and _third_party(u)]
    assert offenders == []


def test_scripts_hold_no_third_party_url_except_dormant_ones(built_site: Path) -> None:
    """Scripts the pages load name no other host, except Material's switched-off features."""
    scripts = set()
    for html in built_site.rglob("*.html"):
        scripts.update(re.findall(r'<script src="([^"]+)"', html.read_text()))
    found = set()
    for src in scripts:
        path = (built_site / src.lstrip("./")).resolve()
        for candidate in [path, *sorted(built_site.glob("assets/javascripts/workers/*.js"))]:
            if candidate.is_file():
                found.update(re.findall(r"https?://[\w.-]+[\w./@-]*", candidate.read_text()))
    fetchable = {u for u in found if _third_party(u) and not _is_documentation_link(u)}
    assert fetchable <= DORMANT_THIRD_PARTY_URLS, fetchable - DORMANT_THIRD_PARTY_URLS


def _is_documentation_link(url: str) -> bool:
    # Licence headers and error messages inside minified libraries; never requested.
    return urlsplit(url).netloc in {"clipboardjs.com", "lunrjs.com", "tartarus.org", "bit.ly"}


def test_dormant_features_stay_off() -> None:
    """No repo_url (GitHub API calls) and no Mermaid (CDN script) in the configuration."""
    config = (PROJECT_ROOT / "mkdocs.yml").read_text()
    assert "repo_url" not in config
    assert "mermaid" not in config
    assert "font: false" in config


def test_broken_content_stops_the_build(tmp_path: Path) -> None:
    """A broken YAML file makes the build fail with located errors and no traceback."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    broken = content / "conditions" / CONDITION_FILES[0].name
    broken.write_text(broken.read_text().replace("region:", "regoin:", 1))
    site = tmp_path / "site"
    result = build_site(site, HANDBOOK_CONTENT=str(content))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"content/conditions/{broken.name}:" in output
    assert "HB104 unknown key 'regoin'" in output
    assert "Traceback" not in output


def test_every_page_carries_the_engines_words_as_data(built_site: Path) -> None:
    """page.mjs takes colours and urgencies from a JSON data block the build writes into every
    page (no executable inline script), holding exactly calculators/vocabulary.py's words."""
    from calculators.vocabulary import for_the_page  # noqa: PLC0415

    block = re.compile(
        r'<script type="application/json" id="hb-calculator-words">(.*?)</script>', re.DOTALL
    )
    pages = sorted(built_site.rglob("*.html"))
    assert pages
    for html in pages:
        found = block.findall(html.read_text(encoding="utf-8"))
        assert len(found) == 1, html
        assert json.loads(found[0]) == for_the_page(), html


def test_the_journal_backup_format_is_published(built_site: Path) -> None:
    """The schema of the journal's export sits at /schema/journal.schema.json."""
    written = built_site / SCHEMA_PATH
    assert json.loads(written.read_text(encoding="utf-8")) == journal_schema()
    assert written.read_text(encoding="utf-8") == journal_schema_text()
