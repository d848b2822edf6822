"""A clinic copy's theme: its brand colours for both schemes and a printed clinic header.

The CSS itself is `templates/theme.css.j2`; this module works out the values. Load the result
after handbook.css: it uses the same selectors, so order decides.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import jinja2

from macros.clinic.colour import (
    BLACK,
    WHITE,
    mix,
    normalise_colour,
    readable_shade,
    rgb,
    slate_background,
)
from macros.clinic.model import Clinic

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _css_string(text: str) -> str:
    """A CSS string literal; `<` is escaped too because the CSS may be inlined in <style>."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return '"' + escaped.replace("\r", "").replace("\n", "\\A ") + '"'


def _rgba(colour: str, alpha: float) -> str:
    red, green, blue = rgb(colour)
    return f"rgba({red}, {green}, {blue}, {alpha:g})"


def _print_lines(clinic: Clinic) -> list[str]:
    contacts = clinic.contacts
    lines = [clinic.name, f"Phone {contacts.phone}"]
    if contacts.email:
        lines[-1] += f" · {contacts.email}"
    if contacts.address:
        lines.append(", ".join(part.strip() for part in contacts.address.splitlines()))
    lines.append(contacts.booking_url or clinic.site_url)
    return lines


@cache
def _environment() -> jinja2.Environment:
    # CSS, not HTML, so no HTML autoescaping (it would corrupt the quotes). Every value is a
    # normalised hex colour, an rgba() made from one, or text through `css_string`.
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = _css_string
    env.filters["rgba"] = _rgba
    return env


def brand_css(clinic: Clinic) -> str:
    """Theme overrides for both schemes, plus a printed clinic header.

    --hb-danger is deliberately left alone: red flags stay red whatever the brand.
    """
    primary = normalise_colour(clinic.colours.primary)
    accent = normalise_colour(clinic.colours.accent)
    # The folder name lands in a CSS comment: keep only name-like characters, so a folder
    # called `x*/ body{…}` cannot end the comment and add rules.
    folder = re.sub(r"[^A-Za-z0-9._-]", "-", clinic.id)
    slate = slate_background()
    return (
        _environment()
        .get_template("theme.css.j2")
        .render(
            clinic_id=folder,
            primary=primary,
            primary_light=mix(primary, WHITE, 0.2),
            primary_dark=mix(primary, BLACK, 0.3),
            accent=accent,
            slate=slate,
            dark_link=readable_shade(primary, slate),
            dark_accent=readable_shade(accent, slate),
            white=WHITE,
            black=BLACK,
            print_header="\n".join(_print_lines(clinic)),
        )
    )
