"""'My recovery': the journal page, its links from condition pages and the nav, and a clinic's
switch that leaves all of them out together."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import markdown
import pytest

from macros.browser.catalogue import build_catalogue
from macros.browser.security import refuse_scripts_in_content
from macros.clinic.model import Clinic
from macros.clinic.subset import branded
from macros.content.loader import CONTENT_DIR, Handbook
from macros.lint.content_rules import check_content
from macros.pages.calculator_views import condition_extras
from macros.pages.navigation import site_nav
from macros.pages.render import (
    JOURNAL_PAGE,
    Contacts,
    GeneratedPage,
    journal_conditions,
    render_journal,
    site_pages,
)


@pytest.fixture(scope="module")
def book() -> Handbook:
    handbook, problems = check_content(CONTENT_DIR)
    assert problems == []
    assert handbook is not None
    return handbook


@pytest.fixture(scope="module")
def extras(book: Handbook) -> dict[str, dict[str, Any]]:
    return condition_extras(build_catalogue(book))


def pages(
    book: Handbook, extras: dict[str, dict[str, Any]], *, journal: bool
) -> dict[str, GeneratedPage]:
    generated = site_pages(book, CONTENT_DIR, condition_extras=extras, journal=journal)
    return {page.src_uri: page for page in generated}


def to_html(text: str) -> str:
    body = text.split("---\n", 2)[2]
    return markdown.markdown(body, extensions=["admonition", "attr_list", "toc", "tables"])


def nav_pages(nav: list) -> list[str]:
    found: list[str] = []
    for entry in nav:
        for value in entry.values() if isinstance(entry, dict) else [entry]:
            found += nav_pages(value) if isinstance(value, list) else [value]
    return found


def test_every_plan_links_the_journal_and_the_nav_lists_it(
    book: Handbook, extras: dict[str, dict[str, Any]]
) -> None:
    built = pages(book, extras, journal=True)
    assert JOURNAL_PAGE in built
    followed = {c.slug for c, _extra in journal_conditions(book, extras)}
    assert len(followed) > 10
    for slug in book.conditions:
        text = built[f"conditions/{slug}.md"].markdown
        linked = 'href="../../journal/">My recovery</a>' in text
        assert linked == (slug in followed), slug
    assert JOURNAL_PAGE in nav_pages(site_nav(book, [], journal=True))


def test_a_clinic_that_turns_the_journal_off_gets_no_page_and_no_links(
    book: Handbook, extras: dict[str, dict[str, Any]]
) -> None:
    built = pages(book, extras, journal=False)
    assert JOURNAL_PAGE not in built
    assert not [uri for uri, page in built.items() if "journal/" in page.markdown]
    assert JOURNAL_PAGE not in nav_pages(site_nav(book, [], journal=False))


def test_the_page_says_what_it_is_without_scripts_and_asks_each_plans_questions(
    book: Handbook, extras: dict[str, dict[str, Any]]
) -> None:
    html = to_html(pages(book, extras, journal=True)[JOURNAL_PAGE].markdown)
    refuse_scripts_in_content(html, JOURNAL_PAGE)  # the strict policy allows no inline code
    followed = [c.slug for c, _extra in journal_conditions(book, extras)]
    # Without JavaScript: what the page is, and every condition's build-time plan.
    assert "The journal needs JavaScript and WebAssembly" in html
    fallback = re.findall(r'href="\.\./conditions/([a-z-]+)/#your-return-to-running-plan"', html)
    assert fallback == followed
    # With it: the plan form's own questions, and the check-in's, for each condition.
    assert re.findall(r'data-journal-plan-for="([a-z-]+)"', html) == followed
    assert re.findall(r'data-journal-checkin-for="([a-z-]+)"', html) == followed
    assert "<p><template" not in html  # Markdown left the templates alone
    # Search finds a condition's own page, not the journal's copies of its questions.
    assert (
        '<div class="hb-journal-templates" data-journal-templates data-pagefind-ignore="all"'
        in html
    )
    assert '<section class="hb-calc hb-journal" data-hb-journal' in html
    assert html.count('data-pagefind-ignore="all"') >= 2
    for name in ("pain_morning", "pain_during", "pain_after"):
        assert html.count(f'name="{name}" value=') == 11  # one segment per point, 0 to 10


def test_a_red_result_names_the_copys_own_numbers(book: Handbook, extras: dict[str, Any]) -> None:
    """The journal shows a red result with the page's urgency words, which carry the clinic's
    emergency and urgent numbers, exactly as a condition page's red-flag callout does."""
    html = render_journal(book, extras, Contacts("999", "111", "NHS 111"))
    actions = dict(re.findall(r'<p hidden data-urgency-action="([a-z_]+)">([^<]+)</p>', html))
    assert actions["emergency"].startswith("Call 999 now")
    assert "call NHS 111 on 111" in actions["same_day"]
    generic = render_journal(book, extras)
    assert "Call your local emergency number now" in generic


def test_a_clinic_copy_has_the_journal_unless_its_file_turns_it_off(
    book: Handbook, extras: dict[str, Any], tmp_path: Path
) -> None:
    """`journal: false` in clinic.yml reaches the pages and the nav through the branded
    handbook, with nothing else to pass; the default is on."""
    fields = {
        "name": "Clinic",
        "short_name": "Clinic",
        "logo": "logo.svg",
        "contacts": {"phone": "01632 960000"},
        "emergency": {"emergency_number": "999"},
        "site_url": "https://clinic.example/",
        "id": "clinic",
        "folder": tmp_path,
    }
    assert Clinic(**fields).journal is True
    for setting in (True, False):
        copy = branded(book, Clinic(**fields, journal=setting))
        generated = site_pages(copy, CONTENT_DIR, condition_extras=extras)
        assert (JOURNAL_PAGE in [page.src_uri for page in generated]) is setting
        assert (JOURNAL_PAGE in nav_pages(site_nav(copy, []))) is setting
