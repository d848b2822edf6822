"""The site's navigation, as MkDocs' `nav` structure: plain lists and dicts."""

from __future__ import annotations

from macros.content.loader import Handbook
from macros.pages.render import JOURNAL_PAGE

NavEntry = str | dict[str, "str | list[NavEntry]"]


def site_nav(
    book: Handbook,
    guide_files: list[str],
    *,
    developers_page: bool = False,
    clinic_pages: list[tuple[str, str]] | None = None,
    journal: bool | None = None,
) -> list[NavEntry]:
    """The nav; "My recovery" is listed when the copy has it (`book.settings.journal`, unless
    `journal` says), exactly as `site_pages` makes the page."""
    journal = book.settings.journal if journal is None else journal
    regions: list[NavEntry] = []
    for key, region in book.regions_in_order():
        conditions = book.conditions_in(key)
        if not conditions:
            continue
        children: list[NavEntry] = [{"Overview": f"regions/{key}.md"}]
        children += [{c.name: f"conditions/{c.slug}.md"} for c in conditions]
        regions.append({region.name: children})
    nav: list[NavEntry] = [
        {"Home": "index.md"},
        {"Body regions": regions},
        {"When to see a clinician": "when-to-see-a-clinician.md"},
        {"How the calculators decide": "how-the-calculators-decide.md"},
        {"Exercise library": "exercises.md"},
    ]
    if journal:  # a clinic copy may turn the journal off: then no page and no entry
        nav.insert(1, {"My recovery": JOURNAL_PAGE})
    if guide_files:
        nav.append({"Guides": [f"guides/{name}" for name in guide_files]})
    if clinic_pages:
        nav.append({"Your clinic": [{title: path} for title, path in clinic_pages]})
    nav.append({"About this handbook": "about.md"})
    if developers_page:
        nav.append(
            {
                "For developers and clinics": [
                    "developers.md",
                    {"Host your clinic's copy": "clinics.md"},
                ]
            }
        )
    return nav
