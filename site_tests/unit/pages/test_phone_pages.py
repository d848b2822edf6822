"""Phone-first pages, as rendered: every condition page's first-screen links reach their
sections, long sections fold, the review line comes from the data; the home page's body map
draws every region and lists each region's conditions, in the full handbook and a clinic's."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta
from html.parser import HTMLParser

import markdown
import pytest
from markupsafe import escape

from macros.browser.catalogue import build_catalogue
from macros.clinic.subset import branded, load_clinic_for
from macros.content.loader import CONTENT_DIR, Handbook
from macros.content.model import Region
from macros.lint.content_rules import check_content
from macros.pages.body_map import REGION_SHAPES, regions_without_shapes
from macros.pages.calculator_views import condition_extras
from macros.pages.render import render_condition, render_home
from site_tests.conftest import PROJECT_ROOT

QUICK_ACTIONS = ["Can I run today?", "What to do now", "My plan", "When to get help"]


@pytest.fixture(scope="module")
def book() -> Handbook:
    handbook, problems = check_content(CONTENT_DIR)
    assert problems == []
    assert handbook is not None
    return handbook


@pytest.fixture(scope="module")
def pages(book: Handbook) -> dict[str, str]:
    """Every real condition page as HTML, with its build-time calculators."""
    extras = condition_extras(build_catalogue(book))
    return {
        slug: to_html(render_condition(book, slug, extra=extras.get(slug)))
        for slug in book.conditions
    }


def to_html(text: str) -> str:
    """Convert as MkDocs does, with the same extensions, front matter removed."""
    body = text.split("---\n", 2)[2]
    return markdown.markdown(body, extensions=["admonition", "attr_list", "toc", "tables"])


class Elements(HTMLParser):
    """Every start tag with its attributes and the text inside it, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str], list[str]]] = []
        self._open: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        text: list[str] = []
        self.tags.append((tag, {k: v or "" for k, v in attrs}, text))
        if tag not in {"input", "br", "img", "meta", "link", "path"}:
            self._open.append(text)

    def handle_endtag(self, tag: str) -> None:
        if tag not in {"input", "br", "img", "meta", "link", "path"} and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for text in self._open:
            text.append(data)


def elements(html: str) -> list[tuple[str, dict[str, str], str]]:
    parser = Elements()
    parser.feed(html)
    return [(tag, attrs, "".join(text).strip()) for tag, attrs, text in parser.tags]


def ids(html: str) -> set[str]:
    return {attrs["id"] for _tag, attrs, _text in elements(html) if "id" in attrs}


# ---- condition pages ------------------------------------------------------------------


def test_every_page_starts_with_what_it_is_the_red_flags_and_four_quick_actions(
    book: Handbook, pages: dict[str, str]
) -> None:
    """Before any section: the one-line what-it-is, a link to the red flags, then the four
    quick actions, in order, each an in-page link to an element the page has."""
    for slug, html in pages.items():
        top = html[: html.index("<h2")]
        assert f'<p class="hb-what-it-is">{escape(book.conditions[slug].what_it_is)}</p>' in top
        assert re.search(r'class="hb-red-flag-link"><a href="#red-flags">', top), slug
        nav = top[top.index('<nav class="hb-quick-actions"') :]
        links = re.findall(r'<a href="#([a-z-]+)">([^<]+)</a>', nav)
        assert [name for _target, name in links] == QUICK_ACTIONS, slug
        for target, name in links:
            assert target in ids(html), (slug, name, target)


def test_quick_actions_go_to_the_calculators_where_there_are_any(pages: dict[str, str]) -> None:
    """A self-managed page's actions reach its self-check and plan; a see-a-clinician page's
    "My plan" reaches the line saying a clinician leads the return."""
    targets = {}
    for slug, html in pages.items():
        nav = html[html.index('<nav class="hb-quick-actions"') :]
        targets[slug] = {
            name: target for target, name in re.findall(r'<a href="#([a-z-]+)">([^<]+)</a>', nav)
        }
    assert targets["calf-strain"]["Can I run today?"] == "can-i-run-today"
    assert targets["calf-strain"]["My plan"] == "my-plan"
    assert targets["achilles-tendon-rupture"]["Can I run today?"] == "can-i-run-today"
    assert targets["achilles-tendon-rupture"]["My plan"] == "no-plan"
    assert all(t["When to get help"] == "red-flags" for t in targets.values())
    assert all(t["What to do now"] == "what-to-do-now" for t in targets.values())


def test_long_sections_fold_into_disclosures(book: Handbook, pages: dict[str, str]) -> None:
    """Causes, risk factors and references fold in a native <details> under their heading,
    closed, each counting what it holds; the full self-check rules fold too."""
    for slug, html in pages.items():
        condition = book.conditions[slug]
        summaries = re.findall(r'<details class="hb-fold">\n<summary>([^<]+)</summary>', html)
        expected = [f"Show the causes ({len(condition.causes)})"]
        if condition.risk_factors:
            expected.append(f"Show the risk factors ({len(condition.risk_factors)})")
        expected.append(f"Show the references ({html.count('<li>', html.index('hb-references'))})")
        assert summaries == expected, slug
        assert "<details open" not in html, slug
    assert '<details class="hb-rules-details"' in pages["calf-strain"]


def test_each_page_says_when_it_was_reviewed_and_when_it_is_due(
    book: Handbook, pages: dict[str, str]
) -> None:
    """The review line comes from last_reviewed and the site's review interval."""
    interval = timedelta(days=book.settings.review_interval_days)
    for slug, html in pages.items():
        reviewed = book.conditions[slug].last_reviewed
        due = reviewed + interval
        line = (
            f'Reviewed on <time datetime="{reviewed.isoformat()}">'
            f"{reviewed.day} {reviewed:%B %Y}</time> · next review due "
            f'<time datetime="{due.isoformat()}">{due.day} {due:%B %Y}</time>.'
        )
        assert line in html, slug


# ---- the body map -----------------------------------------------------------------------


def test_every_region_in_the_content_has_a_shape(book: Handbook) -> None:
    """A region added to content/vocabularies/regions.yml needs a shape in body_map.py."""
    assert regions_without_shapes(book) == []
    assert set(REGION_SHAPES) >= set(book.regions)
    neck = Region(name="Neck", summary="A region with no shape yet.", order=99)
    grown = dataclasses.replace(book, regions={**book.regions, "neck": neck})
    assert regions_without_shapes(grown) == ["neck"]


def map_links(html: str) -> list[tuple[str, str]]:
    """(target, accessible name) of every link drawn on the map."""
    link = r'<a xlink:href="#([a-z-]+)" role="link" class="hb-map-region[^"]*" aria-label="([^"]+)"'
    return re.findall(link, html)


def panels(html: str) -> dict[str, str]:
    """Each region panel's id and its HTML."""
    pattern = r'<div class="hb-map-panel" id="([a-z-]+)">.*?</ul>'
    return {found.group(1): found.group(0) for found in re.finditer(pattern, html, re.S)}


def check_map(book: Handbook, html: str) -> set[str]:
    """Every region with conditions has a link in each view it is drawn in, named for the
    region, to a panel listing exactly its conditions with what each is and lay names;
    no link or panel for a region without conditions. Returns the regions linked."""
    linked = {target.removeprefix("map-") for target, _name in map_links(html)}
    found = panels(html)
    assert set(found) == {f"map-{key}" for key in linked}
    for target, name in map_links(html):
        key = target.removeprefix("map-")
        assert name == book.regions[key].name
    for key in linked:
        conditions = book.conditions_in(key)
        assert conditions, key
        panel = found[f"map-{key}"]
        assert panel.count("<li>") == len(conditions), key
        for condition in conditions:
            assert f'<a href="conditions/{condition.slug}/">' in panel, condition.slug
            assert escape(condition.what_it_is) in panel, condition.slug
            for alias in condition.aliases[:3]:
                assert escape(alias) in panel, (condition.slug, alias)
    return linked


def test_the_map_links_every_region_to_its_conditions(book: Handbook) -> None:
    html = render_home(book)
    linked = check_map(book, html)
    assert linked == {key for key in book.regions if book.conditions_in(key)}
    # Both views are drawn, and the plain list of regions stays below for screen readers.
    assert html.count('role="group" aria-labelledby="hb-map-') == 2
    assert all(f'id="region-{key}"' in html for key in linked)


def test_a_clinic_copy_maps_only_its_regions(book: Handbook) -> None:
    """The example clinic covers three regions: only they are links, the others are drawn
    faintly and hidden from screen readers, and no link points at a panel that is not there."""
    clinic, problems = load_clinic_for(book, PROJECT_ROOT / "clinics" / "example")
    assert problems == []
    assert clinic is not None
    copy = branded(book, clinic)
    html = render_home(copy)
    linked = check_map(copy, html)
    assert linked == {"knee", "shin-calf-achilles", "foot-ankle"}
    assert html.count('class="hb-map-region hb-map-region--empty" aria-hidden="true"') >= 4
