"""The HB6xx rules of a clinic copy: what the file's shape alone cannot say.

Colours and their contrast, included conditions and regions that exist, a logo and extra
pages inside the clinic folder, and full web addresses. The rules read the raw YAML, so they
run even when the shape is wrong and one run shows every problem.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from calculators.terminal import printable
from macros.clinic.colour import WCAG_AA_TEXT, WHITE, contrast_ratio, is_hex_colour, ratio_text
from macros.clinic.logo import check_logo
from macros.clinic.page import check_page
from macros.content.loader import Origin
from macros.content.model import UNSAFE_URL_MESSAGE, has_unsafe_url_characters, web_address_problem
from macros.content.problems import Problem, display_path

LOGO_SUFFIXES = (".svg", ".png")


@dataclass(frozen=True)
class Checked:
    """What the HB6xx rules look at. `data` is the raw YAML, so they run even when the
    shape is wrong and one run shows every problem."""

    data: Any
    origin: Origin
    folder: Path
    root: Path
    known_conditions: Mapping[str, str]
    known_regions: AbstractSet[str]

    def text(self, *path: str | int) -> str | None:
        """The raw string at `path`, or None when absent or not text (shape rules say so)."""
        value = self.data
        for part in path:
            if isinstance(part, str) and isinstance(value, Mapping):
                value = value.get(part)
            elif isinstance(part, int) and isinstance(value, list) and part < len(value):
                value = value[part]
            else:
                return None
        return value if isinstance(value, str) else None

    def length(self, *path: str) -> int:
        value = self.data
        for part in path:
            value = value.get(part) if isinstance(value, Mapping) else None
        return len(value) if isinstance(value, list) else 0

    def problem(self, code: str, message: str, *where: str | int) -> Problem:
        path, line, col = self.origin.at(*where)
        return Problem(path, line, col, code, message)

    @property
    def shown_folder(self) -> str:
        return display_path(self.folder, self.root) + "/"


def _colour_problems(checked: Checked) -> Iterator[Problem]:
    uses = {
        "primary": "the white header text and the white page",
        "accent": "the white page (links under the pointer)",
    }
    for name, against in uses.items():
        colour = checked.text("colours", name)
        if colour is None:
            continue
        if not is_hex_colour(colour):
            yield checked.problem(
                "HB601",
                f"colours.{name} '{colour}' is not a colour; write a CSS hex colour in quotes, "
                "'#rrggbb' or '#rgb', e.g. '#17466e'",
                "colours",
                name,
            )
            continue
        ratio = contrast_ratio(colour, WHITE)
        if ratio < WCAG_AA_TEXT:
            yield checked.problem(
                "HB602",
                f"colours.{name} '{colour}' has contrast {ratio_text(ratio)} against {against}; "
                f"WCAG AA needs at least {WCAG_AA_TEXT:g}:1 — use a darker colour",
                "colours",
                name,
            )


def _include_problems(checked: Checked) -> Iterator[Problem]:
    for i in range(checked.length("include", "conditions")):
        slug = checked.text("include", "conditions", i)
        if slug is not None and slug not in checked.known_conditions:
            close = difflib.get_close_matches(slug, list(checked.known_conditions), n=1)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else "use a file name from content/conditions/ without .yml"
            )
            yield checked.problem(
                "HB603", f"unknown condition '{slug}'; {hint}", "include", "conditions", i
            )
    for i in range(checked.length("include", "regions")):
        region = checked.text("include", "regions", i)
        if region is not None and region not in checked.known_regions:
            known = ", ".join(sorted(checked.known_regions))
            yield checked.problem(
                "HB604", f"unknown region '{region}'; known: {known}", "include", "regions", i
            )


def _unusable_name(name: str) -> bool:
    """A control character (a NUL above all) makes the operating system refuse the path, so
    the name is refused here, at its line, before any path is built from it."""
    return any(not char.isprintable() for char in name)


def _inside_folder(relative: str, folder: Path) -> bool:
    """Clinic files must live in the clinic folder, so a copy is one self-contained folder."""
    return (folder / relative).resolve().is_relative_to(folder.resolve())


def _looks_like(path: Path, suffix: str) -> bool:
    """A cheap content sniff, so a renamed JPEG fails here rather than in the icon step."""
    with path.open("rb") as file:
        head = file.read(512)  # never the whole file: its size is checked later (HB620)
    return head.startswith(b"\x89PNG\r\n\x1a\n") if suffix == ".png" else b"<svg" in head


def _logo_problems(checked: Checked) -> Iterator[Problem]:
    logo = checked.text("logo")
    if logo is None:
        return
    suffix = Path(logo).suffix.lower()
    if _unusable_name(logo):
        message = f"logo '{printable(logo, 80)}' has a control character in its file name"
    elif suffix not in LOGO_SUFFIXES:
        message = f"logo '{logo}' must be an .svg or .png file"
    elif not _inside_folder(logo, checked.folder):
        message = f"logo '{logo}' must be a file inside {checked.shown_folder}"
    elif not (checked.folder / logo).is_file():
        message = f"logo '{logo}' is not a file in {checked.shown_folder}; add it or fix the name"
    elif not _looks_like(checked.folder / logo, suffix):
        message = f"logo '{logo}' is not really {suffix.upper().lstrip('.')} image data"
    else:
        yield from _logo_content_problems(checked, logo)
        return
    yield checked.problem("HB605", message, "logo")


def _logo_content_problems(checked: Checked, logo: str) -> Iterator[Problem]:
    """HB620-HB625, at their place in the SVG when known, else at the clinic's logo line."""
    path = checked.folder / logo
    for found in check_logo(path):
        if found.line is None:
            yield checked.problem(found.code, f"logo '{logo}' {found.message}", "logo")
        else:
            shown_path = display_path(path, checked.root)
            yield Problem(shown_path, found.line, found.col or 1, found.code, found.message)


def _extra_page_problems(checked: Checked) -> Iterator[Problem]:
    for i in range(checked.length("extra_pages")):
        file = checked.text("extra_pages", i, "file")
        if file is None:
            continue
        if _unusable_name(file):
            message = f"extra page '{printable(file, 80)}' has a control character in its name"
        elif Path(file).suffix != ".md":
            message = f"extra page '{file}' must be a Markdown file ending in .md"
        elif not _inside_folder(file, checked.folder):
            message = f"extra page '{file}' must be a file inside {checked.shown_folder}"
        elif not (checked.folder / file).is_file():
            message = (
                f"extra page '{file}' is not a file in {checked.shown_folder}; "
                "add it or fix the name"
            )
        else:
            found = check_page(checked.folder / file)
            if found is not None:
                shown_path = display_path(checked.folder / file, checked.root)
                yield Problem(shown_path, found.line, found.col, "HB626", found.message)
            continue
        yield checked.problem("HB606", message, "extra_pages", i, "file")


def _url_problems(checked: Checked) -> Iterator[Problem]:
    site_url = checked.text("site_url")
    if site_url is not None:
        if has_unsafe_url_characters(site_url):
            # Printed into every page's head and the manifest: refused outright.
            yield checked.problem(
                "HB607", f"site_url '{site_url}' {UNSAFE_URL_MESSAGE}", "site_url"
            )
        elif web_address_problem(site_url) or urlsplit(site_url)[3:] != ("", ""):
            yield checked.problem(
                "HB607",
                f"site_url '{site_url}' is not a full web address; write where the handbook "
                "will be served from, with https:// in front and / at the end, "
                "e.g. 'https://clinic.example/handbook/'",
                "site_url",
            )
        elif not site_url.endswith("/"):
            yield checked.problem(
                "HB607",
                f"site_url '{site_url}' must end with '/', i.e. '{site_url}/'",
                "site_url",
            )
    booking_url = checked.text("contacts", "booking_url")
    if booking_url is None:
        return
    if has_unsafe_url_characters(booking_url):
        yield checked.problem(
            "HB607",
            f"contacts.booking_url '{booking_url}' {UNSAFE_URL_MESSAGE}",
            "contacts",
            "booking_url",
        )
    elif web_address_problem(booking_url):
        yield checked.problem(
            "HB607",
            f"contacts.booking_url '{booking_url}' is not a full web address; write it with "
            "https:// in front, e.g. 'https://clinic.example/book'",
            "contacts",
            "booking_url",
        )


CLINIC_RULES: tuple[Callable[[Checked], Iterator[Problem]], ...] = (
    _colour_problems,
    _include_problems,
    _logo_problems,
    _extra_page_problems,
    _url_problems,
)
