"""Each page carries only its own part of the navigation, so a page does not grow with the
number of conditions in the handbook, only with the number in its region."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.content.loader import CONTENT_DIR, load_handbook

pytestmark = pytest.mark.build

NAV_LINK = re.compile(r'<a href="([^"]*)" class="md-nav__link[ "]')


def _nav_targets(page: Path) -> set[str]:
    return set(NAV_LINK.findall(page.read_text(encoding="utf-8")))


def test_a_condition_page_lists_its_own_regions_conditions_and_no_others(
    built_site: Path,
) -> None:
    book, problems = load_handbook(CONTENT_DIR)
    assert book is not None, problems
    checked = 0
    for key, _region in book.regions_in_order():
        slugs = {c.slug for c in book.conditions_in(key)}
        if len(slugs) < 2:
            continue
        page = sorted(slugs)[0]
        targets = _nav_targets(built_site / "conditions" / page / "index.html")
        linked = {t.strip("./").split("/")[-1] for t in targets if t.startswith("../") and
                  "/regions/" not in t and t.count("/") == 2}  # fmt: skip
        assert linked == slugs - {page}, key
        # Every other region is one link, to its overview page, not a list of its conditions.
        others = {t for t in targets if "/regions/" in t}
        assert others == {f"../../regions/{other}/" for other, _r in book.regions_in_order()
                          if book.conditions_in(other)}  # fmt: skip
        checked += 1
    assert checked >= 3


def test_the_home_page_lists_regions_not_conditions(built_site: Path) -> None:
    targets = _nav_targets(built_site / "index.html")
    assert any(t.startswith("regions/") for t in targets)
    assert not any(t.startswith("conditions/") for t in targets)
