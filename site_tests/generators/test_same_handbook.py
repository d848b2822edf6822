"""MkDocs, ProperDocs and Zensical build the same handbook from the same staged pages.

Each generator's site is compared with the default's on what a runner relies on: the same
condition pages, the same red flags word for word, the same calculator forms, the same files
saved for offline use, and a clinic copy with the same name, colours and numbers.
"""

from __future__ import annotations

import html as html_text
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from macros.build.generators import DEFAULT
from site_tests.generators.conftest import OTHER_GENERATORS

pytestmark = pytest.mark.parametrize("generator", OTHER_GENERATORS)


class _PageParts(HTMLParser):
    """The red-flag callout's text and each calculator form's field names, from one page."""

    def __init__(self) -> None:
        super().__init__()
        self.red_flags: list[str] = []
        self.forms: dict[str, list[str]] = {}
        self._flag_depth = 0
        self._form: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {key: value or "" for key, value in attrs}
        if self._flag_depth:
            self._flag_depth += tag == "div"
        elif tag == "div" and "hb-red-flags" in named.get("class", "").split():
            self._flag_depth = 1
        if tag == "form" and "data-calculator" in named:
            self._form = named["data-calculator"]
            self.forms[self._form] = []
        elif self._form and tag in {"input", "select", "textarea"} and named.get("name"):
            self.forms[self._form].append(named["name"])

    def handle_endtag(self, tag: str) -> None:
        if self._flag_depth and tag == "div":
            self._flag_depth -= 1
        if tag == "form":
            self._form = None

    def handle_data(self, data: str) -> None:
        if self._flag_depth and data.strip():
            self.red_flags.append(" ".join(data.split()))


def _parts(page: Path) -> _PageParts:
    parts = _PageParts()
    parts.feed(page.read_text(encoding="utf-8"))
    return parts


def _condition_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.glob("conditions/*/index.html")}


# Material's and Zensical's own scripts and stylesheets have names of their own (content
# hashes, and Zensical's folder per look); every other file must match name for name.
_THEME_FILE = re.compile(
    r"^assets/(javascripts|stylesheets)/(classic/)?"
    r"(bundle|main|palette|workers/search)\.[0-9a-f]{8}\.min\.(js|css)$"
    r"|^assets/javascripts/LICENSE$"
)
# Pagefind names its files by hashes of what it indexed, and two themes' markup gives it
# slightly different text (and 1.5.2 renames its filter files on every run), so the search
# files are compared by kind and number: one fragment per page, and an index.
_SEARCH_FILE = re.compile(
    r"^pagefind/(fragment|index|filter)/en_[0-9a-f]+\.pf_\w+$"
    r"|^pagefind/pagefind\.en_[0-9a-f]+\.pf_meta$"
)
_ENTRY = re.compile(r'\["([^"]+)", "[0-9a-f]{16}", \d+, "(?:core|runtime)"\]')


def _precached(site: Path) -> tuple[set[str], set[str]]:
    """(the handbook's own files, the theme's files) in the service worker's list."""
    names = set(_ENTRY.findall((site / "sw.js").read_text(encoding="utf-8")))
    assert len(names) > 100, "no precache list found in sw.js"
    theme = {name for name in names if _THEME_FILE.match(name)}
    search = [name for name in names if _SEARCH_FILE.match(name)]
    fragments = sum(name.startswith("pagefind/fragment/") for name in search)
    assert any(name.startswith("pagefind/index/") for name in search)
    own = names - theme - set(search)
    return own | {f"pagefind: {fragments} page fragments"}, theme


def test_the_same_condition_pages(sites: dict[str, Path], generator: str) -> None:
    pages = _condition_pages(sites[DEFAULT])
    assert len(pages) >= 46
    assert _condition_pages(sites[generator]) == pages


def test_the_same_red_flags_word_for_word(sites: dict[str, Path], generator: str) -> None:
    for page in sorted(_condition_pages(sites[DEFAULT])):
        expected = _parts(sites[DEFAULT] / page).red_flags
        assert expected, page
        assert _parts(sites[generator] / page).red_flags == expected, page


def test_the_same_calculator_forms(sites: dict[str, Path], generator: str) -> None:
    for page in sorted(_condition_pages(sites[DEFAULT])):
        expected = _parts(sites[DEFAULT] / page).forms
        assert _parts(sites[generator] / page).forms == expected, page


def test_the_same_files_saved_for_offline(sites: dict[str, Path], generator: str) -> None:
    expected, _default_theme = _precached(sites[DEFAULT])
    assert "conditions/calf-strain/index.html" in expected
    own, theme = _precached(sites[generator])
    assert own == expected
    # The theme's own files that a page loads are saved too.
    page = (sites[generator] / "conditions/calf-strain/index.html").read_text(encoding="utf-8")
    loaded = set(re.findall(r'(?:href|src)="(?:\.\./)*(assets/[^"?]+)"', page))
    assert {name for name in loaded if _THEME_FILE.match(name)} <= theme
    assert any(name.endswith(".css") for name in theme)


def test_every_page_carries_the_content_security_policy(
    sites: dict[str, Path], generator: str
) -> None:
    for page in sites[generator].rglob("*.html"):
        assert 'http-equiv="Content-Security-Policy"' in page.read_text(encoding="utf-8"), page


def _title(html: str) -> str:
    """The page title as text (Jinja writes ' as &#39;, MiniJinja as &#x27;)."""
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title
    return html_text.unescape(title.group(1))


def _clinic_footer(html: str) -> str:
    """The clinic's contact block as text: name, numbers, address and disclaimer."""
    footer = re.search(r'<aside class="hb-clinic-footer.*?</aside>', html, re.S)
    assert footer
    return " ".join(html_text.unescape(re.sub(r"<[^>]+>", " ", footer.group(0))).split())


def test_the_same_clinic_copy(clinic_sites: dict[str, Path], generator: str) -> None:
    default, other = clinic_sites[DEFAULT], clinic_sites[generator]
    css = "assets/stylesheets/clinic.css"
    assert (other / css).read_text() == (default / css).read_text()
    assert _condition_pages(other) == _condition_pages(default)
    for page in ["index.html", *sorted(_condition_pages(default))[:3]]:
        expected, built = (default / page).read_text(), (other / page).read_text()
        assert _title(built) == _title(expected), page
        assert _clinic_footer(built) == _clinic_footer(expected), page
        assert "assets/stylesheets/clinic.css" in built, page
        assert _parts(other / page).red_flags == _parts(default / page).red_flags, page
