"""Handout pages from the real content: what each one holds, its QR code, a clinic's card."""

from __future__ import annotations

import os
import re
import time
from datetime import timedelta
from fnmatch import fnmatch
from pathlib import Path

import pytest
from markupsafe import escape

from macros.browser.catalogue import build_catalogue
from macros.browser.qr import qr_svg
from macros.clinic.subset import branded, load_clinic_for
from macros.content.loader import Handbook, load_handbook
from macros.pages import handout
from macros.pages.calculator_views import condition_extras
from macros.pages.handout import (
    HANDOUT_WEEKS,
    HANDOUTS_NOT_IN_NAV,
    Takeaways,
    asset_url,
    handout_pages,
    handout_src,
    with_takeaways,
)
from site_tests.conftest import PROJECT_ROOT

SITE = "https://handbook.example/sub/"


@pytest.fixture(scope="module")
def book() -> Handbook:
    handbook, problems = load_handbook()
    assert problems == []
    assert handbook is not None
    return handbook


@pytest.fixture(scope="module")
def extras(book: Handbook) -> dict[str, dict]:
    return condition_extras(build_catalogue(book))


def _page(pages: list, slug: str) -> str:
    (page,) = [p for p in pages if p.src_uri == handout_src(slug)]
    # MkDocs matches not_in_nav patterns from the docs folder's root, gitignore style.
    assert fnmatch("/" + page.src_uri, HANDOUTS_NOT_IN_NAV)
    return str(page.markdown)


def test_every_condition_has_a_handout_with_what_a_runner_needs(
    book: Handbook, extras: dict[str, dict]
) -> None:
    takeaways = Takeaways.for_build(SITE, None, None)
    pages = handout_pages(book, with_takeaways(extras, takeaways), takeaways)
    assert len(pages) == len(book.conditions)
    for slug, condition in book.conditions.items():
        text = _page(pages, slug)
        assert "search:\n  exclude: true" in text
        address = f"{SITE}conditions/{slug}/"
        assert qr_svg(address, f"QR code: {address}") in text
        for flag in condition.red_flags:
            assert str(escape(flag.text)) in text
        due = condition.last_reviewed + timedelta(days=book.settings.review_interval_days)
        assert f'datetime="{due.isoformat()}"' in text
        plan = extras[slug]["plan"]
        if plan:
            rows = re.findall(r'<tr class="hb-plan-week', text)
            assert len(rows) == min(HANDOUT_WEEKS, len(plan["weeks"]))
        else:
            assert "no self-managed running plan" in text
        assert "\n\n" not in text.split("---\n", 2)[2].strip(), "one HTML block"


def test_a_clinic_handout_carries_the_clinics_card(book: Handbook) -> None:
    clinic, problems = load_clinic_for(book, PROJECT_ROOT / "clinics" / "example")
    assert problems == []
    assert clinic is not None
    copy = branded(book, clinic)
    extras = condition_extras(build_catalogue(copy))
    takeaways = Takeaways.for_build(clinic.site_url, clinic, "assets/clinic/logo.svg")
    pages = handout_pages(copy, with_takeaways(extras, takeaways), takeaways)
    assert len(pages) == 4
    text = _page(pages, "plantar-heel-pain")
    assert 'src="../../../assets/clinic/logo.svg"' in text
    assert 'href="tel:01632960123"' in text
    assert "Unit 4, The Boathouse, Riverside Walk, Exampleton EX1 2RS" in text
    assert 'href="https://riverside-physio.example/book"' in text
    assert "follow the plan your physiotherapist gave you" in text
    assert f"{clinic.site_url}conditions/plantar-heel-pain/" in text


def test_only_a_clinic_copy_prescribes(extras: dict[str, dict], book: Handbook) -> None:
    plain = with_takeaways(extras, Takeaways.for_build(SITE, None, None))
    assert {e["takeaway"]["prescribe"] for e in plain.values()} == {False}
    assert plain["plantar-heel-pain"]["takeaway"]["handout"] == "handout/"
    clinic, _ = load_clinic_for(book, PROJECT_ROOT / "clinics" / "example")
    assert clinic is not None
    prescribing = with_takeaways(extras, Takeaways.for_build(SITE, clinic, "assets/logo.png"))
    assert {e["takeaway"]["prescribe"] for e in prescribing.values()} == {True}


@pytest.mark.parametrize(
    ("src", "asset", "expected"),
    [
        ("conditions/a/handout.md", "assets/clinic/logo.svg", "../../../assets/clinic/logo.svg"),
        ("index.md", "assets/clinic/logo.png", "assets/clinic/logo.png"),
    ],
)
def test_asset_links_work_under_any_sub_path(src: str, asset: str, expected: str) -> None:
    assert asset_url(src, asset) == expected


def test_addresses_are_absolute_from_the_site_url() -> None:
    assert Takeaways("https://a.example/x").address("conditions/b.md") == (
        "https://a.example/x/conditions/b/"
    )


def test_a_qr_code_is_drawn_once_then_kept_for_later_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = handout.kept_qr_svg("https://example.org/a/", "QR code: a", tmp_path)
    assert first == qr_svg("https://example.org/a/", "QR code: a")
    assert len(list(tmp_path.glob("*.svg"))) == 1

    def never(text: str, title: str) -> str:
        raise AssertionError("drawn again")

    monkeypatch.setattr(handout, "qr_svg", never)
    assert handout.kept_qr_svg("https://example.org/a/", "QR code: a", tmp_path) == first
    with pytest.raises(AssertionError, match="drawn again"):
        handout.kept_qr_svg("https://example.org/b/", "QR code: a", tmp_path)


def test_qr_codes_no_build_used_lately_are_deleted_when_a_new_one_is_kept(
    tmp_path: Path,
) -> None:
    handout.kept_qr_svg("https://example.org/used/", "QR code: used", tmp_path)
    handout.kept_qr_svg("https://example.org/unused/", "QR code: unused", tmp_path)
    files = list(tmp_path.glob("*.svg"))
    (unused,) = [file for file in files if "QR code: unused" in file.read_text()]
    (used,) = [file for file in files if file != unused]
    long_ago = time.time() - handout.QR_KEPT_FOR.total_seconds() - 3600
    for file in (used, unused):
        os.utime(file, (long_ago, long_ago))
    # A use refreshes the code's time; the next new code clears out the ones left unused.
    handout.kept_qr_svg("https://example.org/used/", "QR code: used", tmp_path)
    handout._forget_unused.cache_clear()  # it runs once per process: this is a later build
    handout.kept_qr_svg("https://example.org/new/", "QR code: new", tmp_path)
    assert used.exists()
    assert not unused.exists()
    assert len(list(tmp_path.glob("*.svg"))) == 2
