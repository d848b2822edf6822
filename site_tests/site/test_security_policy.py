"""The built site's Content-Security-Policy and referrer policy, page by page and in _headers."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from macros.browser.security import (
    HEADERS_FILE,
    PolicyError,
    read_headers_file,
    site_policy,
    source_hash,
)
from site_tests.conftest import PROJECT_ROOT, build_site
from site_tests.inline_code_oracle import ParsedInlineCode

pytestmark = pytest.mark.build

EXAMPLE_CLINIC = PROJECT_ROOT / "clinics" / "example"

META_POLICY = re.compile(
    r'<head>\s*<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="([^"]+)">'
)
REQUIRED = {
    "default-src": ["'self'"],
    "connect-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "style-src": ["'self'"],
}


def _directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in policy.split(";"):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


def _pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 50
    return pages


def _policy_of(page: Path) -> str:
    match = META_POLICY.search(page.read_text(encoding="utf-8"))
    assert match, f"{page}: the policy must come first in <head>, before any script"
    return match.group(1)


def test_every_page_carries_one_strict_policy_first_in_its_head(built_site: Path) -> None:
    policies = {_policy_of(page) for page in _pages(built_site)}
    assert len(policies) == 1, "instant navigation keeps the first page's policy: one for all"
    directives = _directives(policies.pop())
    for name, sources in REQUIRED.items():
        assert directives[name] == sources, name
    scripts = directives["script-src"]
    assert scripts[:2] == ["'self'", "'wasm-unsafe-eval'"]
    assert all(source.startswith("'sha256-") for source in scripts[2:])
    everywhere = {source for sources in directives.values() for source in sources}
    assert not {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "blob:"} & everywhere
    assert [name for name, sources in directives.items() if "data:" in sources] == ["img-src"]


def test_the_policy_allows_exactly_the_inline_scripts_the_pages_carry(built_site: Path) -> None:
    """Hashed from the built pages: every inline script is allowed, and nothing more. Read
    here by html.parser, independently of the build's own reader."""
    needed: set[str] = set()
    for page in _pages(built_site):
        found = ParsedInlineCode.of(page.read_text(encoding="utf-8"))
        assert found.blocked_attributes == [], page
        assert found.styles == [], f"{page}: an inline <style> (style-src has no hash for it)"
        needed |= {source_hash(script) for script in found.scripts}
    allowed = _directives(_policy_of(built_site / "index.html"))["script-src"][2:]
    assert needed
    assert set(allowed) == needed


@pytest.mark.parametrize(
    ("tag", "added"),
    [("<div", ' style="color:red"'), ("<a ", 'onclick="go()" '), ("<svg", " ONLOAD=go()")],
)
def test_a_style_attribute_or_handler_on_any_built_page_is_refused(
    built_site: Path, tmp_path: Path, tag: str, added: str
) -> None:
    """Every kind of page (home, condition, handout, region, guide, journal, 404), wherever
    the theme or the content put the tag: the policy stage reads every page in full."""
    for page in _pages(built_site):
        html = page.read_text(encoding="utf-8")
        at = html.rfind(tag)  # the last one: in the footer's or the page's own markup
        assert at != -1, page
        rel = page.relative_to(built_site).as_posix()
        folder = tmp_path / rel.replace("/", "_")
        copy = folder / rel
        copy.parent.mkdir(parents=True)
        copy.write_text(html[: at + len(tag)] + added + html[at + len(tag) :], encoding="utf-8")
        with pytest.raises(PolicyError, match=rf"^{re.escape(rel)}: <"):
            site_policy(folder)


def test_every_page_sends_no_referrer(built_site: Path) -> None:
    for page in _pages(built_site):
        assert '<meta name="referrer" content="no-referrer">' in page.read_text("utf-8"), page


def test_headers_file_repeats_the_policy_and_forbids_framing_elsewhere(built_site: Path) -> None:
    rules = read_headers_file((built_site / HEADERS_FILE).read_text(encoding="utf-8"))
    assert [pattern for pattern, _headers in rules] == ["/*"]
    headers = dict(rules[0][1])
    meta = _policy_of(built_site / "index.html")
    assert headers["Content-Security-Policy"] == f"{meta}; frame-ancestors 'self'"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_headers_file_is_never_precached(built_site: Path) -> None:
    """Hosts that read _headers do not serve it; precaching it would fail the install."""
    worker = (built_site / "sw.js").read_text(encoding="utf-8")
    listed = json.loads(re.search(r"const ENTRIES = (\[.*?\]);\n", worker, re.S).group(1))
    assert HEADERS_FILE not in {path for path, *_rest in listed}


def test_search_terms_never_go_into_addresses(built_site: Path) -> None:
    """search.highlight adds ?h=<what was searched> to result links, search.share ?q=."""
    config = re.search(
        r'<script id="__config" type="application/json">(.*?)</script>',
        (built_site / "index.html").read_text(encoding="utf-8"),
        re.S,
    )
    assert config
    features = json.loads(config.group(1))["features"]
    assert "navigation.instant" in features
    assert not {"search.highlight", "search.share"} & set(features)


def test_a_script_in_a_clinic_page_stops_the_build_naming_the_page(tmp_path: Path) -> None:
    """Only the theme's own inline scripts are hashed; one written into a page never runs."""
    clinic = tmp_path / "clinic"
    shutil.copytree(EXAMPLE_CLINIC, clinic)
    page = clinic / "our-team.md"
    page.write_text(page.read_text("utf-8") + "\n<script>alert(1)</script>\n", "utf-8")
    result = build_site(tmp_path / "site", HANDBOOK_CLINIC=str(clinic))
    assert result.returncode != 0
    assert "clinic/our-team.md: <script> in the page's text" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
