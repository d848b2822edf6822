"""One-page printable handouts, one per condition, and what the take-away tools need to know
about the copy being built (its address, and the clinic if it is a clinic's copy).

Each condition gets `conditions/<slug>/handout/`: a page made to be printed in black and white
on one A4 or US Letter sheet, with a QR code back to the condition's page drawn at build time.
The same page prints a runner's own plan: opened with a `#plan=` link, the page script swaps
the default plan for the runner's and draws a second QR code for that link in the browser.

Plain functions over data, like render.py; the build's staging stage (macros/build/
staging.py) calls:

    takeaways = Takeaways.for_build(site_url, clinic, clinic_logo_path)
    extras = with_takeaways(condition_extras(catalogue), takeaways)
    pages = site_pages(...) + handout_pages(book, extras, takeaways)

and keeps the handouts out of the navigation with the `not_in_nav` pattern below.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import posixpath
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from calculators.plan_view import weeks_table
from macros.browser import qr
from macros.browser.qr import qr_svg
from macros.clinic.model import Clinic
from macros.content.loader import Handbook
from macros.pages.render import (
    GeneratedPage,
    book_contacts,
    environment,
    page_url,
    relative_url,
)

# Each handout's QR code, kept between builds: drawing one (segno tries eight masks) was a
# seventh of staging's time. Named for what decides the drawing: the text, the title, segno's
# version and the drawing code, so any change to them draws it again.
QR_CACHE = Path(__file__).resolve().parents[2] / ".cache" / "qr"
# A code not used for this long is deleted when a new one is kept. Every use refreshes a
# file's time, so the folder holds what recent builds drew (test sites, each on its own
# port, draw new ones on every run), not everything ever drawn.
QR_KEPT_FOR = timedelta(days=14)


@cache
def _drawing_code() -> bytes:
    return Path(qr.__file__).read_bytes() + importlib.metadata.version("segno").encode("utf-8")


def kept_qr_svg(text: str, title: str, folder: Path = QR_CACHE) -> str:
    """qr_svg(text, title), from the cache when it was drawn by an earlier build."""
    key = hashlib.sha256(_drawing_code())
    for part in (text, title):
        key.update(b"\0" + part.encode("utf-8"))
    kept = folder / f"{key.hexdigest()}.svg"
    try:
        svg = kept.read_text(encoding="utf-8")
    except OSError:
        pass
    else:
        with contextlib.suppress(OSError):  # a read-only cache is still read
            os.utime(kept)
        return svg
    svg = qr_svg(text, title)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _forget_unused(folder)
        partial = kept.with_name(f"{kept.name}.{os.getpid()}.partial")
        partial.write_text(svg, encoding="utf-8")
        partial.replace(kept)  # whole or not at all, for builds running side by side
    except OSError:
        pass  # a read-only checkout draws it every build
    return svg


@cache
def _forget_unused(folder: Path) -> None:
    """Delete the codes no build has used for QR_KEPT_FOR, once per process and folder."""
    oldest = time.time() - QR_KEPT_FOR.total_seconds()
    for file in folder.glob("*.svg"):
        try:
            if file.stat().st_mtime < oldest:
                file.unlink()
        except OSError:
            pass  # another build deleted or refreshed it first


HANDOUT_WEEKS = 3
"""The default plan's first weeks on a condition's handout: what fits on one sheet, with a
clinic's details, for the longest condition (calf strain) on US Letter."""
HANDOUT_EXERCISES = 5
HANDOUTS_NOT_IN_NAV = "/conditions/*/handout.md"
"""The handouts as a `not_in_nav` pattern (gitignore style, as MkDocs reads it)."""


@dataclass(frozen=True)
class ClinicCard:
    """The clinic's details a handout prints. `logo` is the logo's site-relative path."""

    name: str
    phone: str
    address_lines: tuple[str, ...]
    email: str | None
    booking_url: str | None
    logo: str
    disclaimer: str | None = None

    @classmethod
    def of(cls, clinic: Clinic, logo: str) -> ClinicCard:
        contacts = clinic.contacts
        lines = tuple(line.strip() for line in (contacts.address or "").splitlines())
        return cls(
            name=clinic.name,
            phone=contacts.phone,
            address_lines=tuple(line for line in lines if line),
            email=contacts.email,
            booking_url=contacts.booking_url,
            logo=logo,
            disclaimer=clinic.disclaimer,
        )


@dataclass(frozen=True)
class Takeaways:
    """What the build knows that a handout and the share tools need: the copy's address
    (QR codes must hold absolute addresses) and the clinic, if this is a clinic's copy."""

    site_url: str
    clinic: ClinicCard | None = None

    @classmethod
    def for_build(cls, site_url: str | None, clinic: Clinic | None, logo: str | None) -> Takeaways:
        card = ClinicCard.of(clinic, logo) if clinic is not None and logo else None
        return cls(site_url or "/", card)

    def address(self, src_uri: str) -> str:
        """The absolute address of a page, from its Markdown source."""
        base = self.site_url if self.site_url.endswith("/") else self.site_url + "/"
        return urljoin(base, page_url(src_uri))


def asset_url(from_src: str, asset: str) -> str:
    """A link from a page to a site file (an image), under any site sub-path."""
    return posixpath.relpath(asset, page_url(from_src) or ".")


def handout_src(slug: str) -> str:
    return f"conditions/{slug}/handout.md"


def with_takeaways(
    extras: dict[str, dict[str, Any]], takeaways: Takeaways
) -> dict[str, dict[str, Any]]:
    """Each condition's extras plus what its page's take-away tools show: the handout's
    link and, in a clinic's copy, the "prescribe" fields."""
    return {
        slug: {
            **extra,
            "takeaway": {
                "handout": relative_url(f"conditions/{slug}.md", handout_src(slug)),
                "prescribe": takeaways.clinic is not None,
            },
        }
        for slug, extra in extras.items()
    }


def render_handout(
    book: Handbook, slug: str, extra: dict[str, Any] | None, takeaways: Takeaways
) -> str:
    condition = book.conditions[slug]
    src = handout_src(slug)
    page = f"conditions/{slug}.md"
    address = takeaways.address(page)
    plan = (extra or {}).get("plan")
    table = "\n".join(weeks_table(plan["weeks"][:HANDOUT_WEEKS])) if plan else None
    clinic = takeaways.clinic
    return (
        environment()
        .get_template("handout.md.j2")
        .render(
            book=book,
            c=condition,
            src=src,
            page_link=relative_url(src, page),
            address=address,
            qr=kept_qr_svg(address, f"QR code: {address}"),
            contacts=book_contacts(book),
            exercises=[
                (use, book.exercises[use.key]) for use in condition.exercises[:HANDOUT_EXERCISES]
            ],
            plan=plan,
            weeks_table=table,
            review_due=condition.last_reviewed + timedelta(days=book.settings.review_interval_days),
            clinic=clinic,
            logo=asset_url(src, clinic.logo) if clinic else None,
            chunk=((extra or {}).get("form") or {}).get("chunk", ""),
        )
    )


def handout_pages(
    book: Handbook, extras: dict[str, dict[str, Any]], takeaways: Takeaways
) -> list[GeneratedPage]:
    """Every condition's handout page (outside the navigation: HANDOUTS_NOT_IN_NAV)."""
    return [
        GeneratedPage(
            handout_src(slug),
            render_handout(book, slug, extras.get(slug), takeaways),
            f"content/conditions/{slug}.yml",
        )
        for slug in book.conditions
    ]
