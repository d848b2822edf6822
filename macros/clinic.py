"""Clinic copies: one small `clinics/<id>/clinic.yml` plus a logo brands a copy of the handbook.

Pure functions, no MkDocs: the build calls `load_clinic`, then `brand_css` and
`selected_conditions`. Shape errors (missing field, unknown key, wrong type) reuse the
content loader's HB1xx codes; rules that need colour arithmetic, the content or the
clinic folder are HB6xx. Every problem in the file is reported in one run.
"""

from __future__ import annotations

import colorsys
import dataclasses
import difflib
import math
import re
from collections.abc import Callable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from calculators.terminal import printable
from macros.clinic_page import check_page

# The content loader's reader gives the same HB100/HB101 messages for an unreadable or bad file.
from macros.loader import Origin, problems_from_validation, read_yaml_file, validate_record
from macros.logo import check_logo
from macros.model import (
    UNSAFE_URL_MESSAGE,
    StrictModel,
    Text,
    TitleText,
    has_unsafe_url_characters,
    no_markup,
    web_address_problem,
)
from macros.problems import Problem, display_path

CLINIC_FILE = "clinic.yml"

# The handbook's own palette (docs/assets/stylesheets/handbook.css), used when a clinic
# gives no colours.
HANDBOOK_PRIMARY = "#17466e"
HANDBOOK_ACCENT = "#a3122f"

WHITE = "#ffffff"
BLACK = "#000000"
# Material's slate background is hsla(var(--md-hue), 15%, 14%) (palette.css) with --md-hue
# 225deg (main.css). Derived rather than copied as #1e2129, so the numbers that define it
# are the ones the dark-mode link colours are checked against.
SLATE_HUE, SLATE_SATURATION, SLATE_LIGHTNESS = 225, 0.15, 0.14
WCAG_AA_TEXT = 4.5

LOGO_SUFFIXES = (".svg", ".png")
_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_EMERGENCY_NUMBER = re.compile(r"^[0-9]{2,4}$")


# --- the file's shape -------------------------------------------------------------------


def _quoted_colour(value: Any) -> Any:
    """An unquoted `#17466e` is a YAML comment, so the value arrives empty: say why."""
    if value is None:
        raise PydanticCustomError(
            "colour_comment",
            "is empty: YAML reads an unquoted # as a comment, so put the colour in quotes, "
            "e.g. '#17466e'",
        )
    return value


# Checked for form and contrast by `_colour_problems` (HB601/HB602), which can say more.
Colour = Annotated[str, BeforeValidator(_quoted_colour)]
ShortName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=12, strip_whitespace=True),
    AfterValidator(no_markup),
]


class Colours(StrictModel):
    primary: Colour = Field(
        default=HANDBOOK_PRIMARY,
        description="Header background and link colour; white text must be readable on it.",
    )
    accent: Colour = Field(
        default=HANDBOOK_ACCENT, description="Links under the pointer or keyboard focus."
    )


class Contacts(StrictModel):
    phone: Text
    email: Text | None = None
    address: Text | None = None
    booking_url: Text | None = Field(default=None, description="An http(s) address.")
    opening_hours: Text | None = None

    @field_validator("email")
    @classmethod
    def _looks_like_email(cls, value: str | None) -> str | None:
        # Loose on purpose: the only aim is to catch a phone number or a name pasted here.
        if value is not None and not _EMAIL.match(value):
            raise PydanticCustomError(
                "email", "should be an email address, e.g. 'reception@clinic.example'"
            )
        return value


class Emergency(StrictModel):
    emergency_number: Text = Field(description="What to dial in an emergency: 999, 911, 112.")
    urgent_number: Text | None = Field(default=None, description="Urgent, not emergency: 111.")
    urgent_label: Text | None = Field(default=None, description="How to name it: 'NHS 111'.")

    @field_validator("emergency_number")
    @classmethod
    def _short_digits(cls, value: str) -> str:
        # Pages print "call 999 now"; a long number or words here would read wrongly.
        if not _EMERGENCY_NUMBER.match(value):
            raise PydanticCustomError(
                "emergency_number",
                "should be the short number people dial, digits only, e.g. '999', '911' or '112'",
            )
        return value

    @model_validator(mode="after")
    def _label_needs_number(self) -> Emergency:
        if self.urgent_label is not None and self.urgent_number is None:
            raise PydanticCustomError(
                "urgent_label", "urgent_label names urgent_number, so give urgent_number too"
            )
        return self


class Include(StrictModel):
    """Which conditions the copy shows. Names are checked against the content (HB603/HB604)."""

    regions: list[Text] = Field(default_factory=list)
    conditions: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> Include:
        # An empty include would build a handbook with no conditions at all.
        if not self.regions and not self.conditions:
            raise PydanticCustomError(
                "include_empty",
                "list at least one region or condition, or leave include out to show them all",
            )
        return self


class ExtraPage(StrictModel):
    title: TitleText
    file: Text = Field(description="A Markdown file in the clinic folder.")


class ClinicFile(StrictModel):
    """Exactly what `clinics/<id>/clinic.yml` may contain."""

    name: TitleText
    short_name: ShortName = Field(description="At most 12 characters: the home-screen label.")
    logo: Text = Field(description="An .svg or .png file in the clinic folder.")
    colours: Colours = Field(default_factory=Colours)
    contacts: Contacts
    emergency: Emergency
    include: Include | None = Field(default=None, description="Leave out to show everything.")
    extra_pages: list[ExtraPage] = Field(default_factory=list)
    disclaimer: Text | None = None
    site_url: Text = Field(description="Where the copy is served, ending with '/'.")


class Clinic(ClinicFile):
    """A validated clinic: the file's settings plus where its folder is."""

    id: str = Field(description="The folder name under clinics/.")
    folder: Path

    @property
    def logo_path(self) -> Path:
        return self.folder / self.logo

    def page_path(self, page: ExtraPage) -> Path:
        return self.folder / page.file


_CLINIC_FIELD_NAMES = sorted(
    {
        name
        for cls in (ClinicFile, Colours, Contacts, Emergency, Include, ExtraPage)
        for name in cls.model_fields
    }
)


# --- colours ----------------------------------------------------------------------------


def is_hex_colour(text: str) -> bool:
    return bool(_HEX_COLOUR.match(text))


def _rgb(colour: str) -> tuple[int, int, int]:
    if not is_hex_colour(colour):
        raise ValueError(f"{colour!r} is not a #rrggbb or #rgb colour")
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(2 * digit for digit in digits)
    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return red, green, blue


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(channel):02x}" for channel in rgb)


def normalise_colour(colour: str) -> str:
    """'#ABC' -> '#aabbcc', so CSS and comparisons see one spelling."""
    return _hex(_rgb(colour))


def _linear(channel: int) -> float:
    value = channel / 255
    # WCAG 2.x quotes 0.03928, a typo for sRGB's 0.04045; no 8-bit value lies between them.
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    red, green, blue = (_linear(channel) for channel in _rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio of two hex colours, from 1.0 (same) to 21.0 (black/white)."""
    lighter, darker = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _mix(colour: str, toward: str, amount: float) -> str:
    """`amount` 0 keeps `colour`, 1 gives `toward`."""
    start, end = _rgb(colour), _rgb(toward)
    mixed = tuple(s + (e - s) * amount for s, e in zip(start, end, strict=True))
    return _hex((mixed[0], mixed[1], mixed[2]))


def slate_background() -> str:
    red, green, blue = colorsys.hls_to_rgb(SLATE_HUE / 360, SLATE_LIGHTNESS, SLATE_SATURATION)
    return _hex((red * 255, green * 255, blue * 255))


def readable_shade(colour: str, background: str, minimum: float = WCAG_AA_TEXT) -> str:
    """The nearest tint or shade of `colour` that reaches `minimum` contrast on `background`.

    Moving toward white on dark backgrounds (black on light ones) keeps the hue, so a
    clinic's blue stays recognisably its blue in dark mode.
    """
    toward = (
        WHITE if contrast_ratio(WHITE, background) > contrast_ratio(BLACK, background) else BLACK
    )
    for step in range(21):
        candidate = _mix(colour, toward, step / 20)
        if contrast_ratio(candidate, background) >= minimum:
            return candidate
    return toward


def _ratio_text(ratio: float) -> str:
    # Truncated, never rounded up: 4.47 must not print as a passing "4.5".
    return f"{math.floor(ratio * 100) / 100:g}:1"


# --- rules that need more than the shape -------------------------------------------------


@dataclass(frozen=True)
class _Checked:
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


def _colour_problems(checked: _Checked) -> Iterator[Problem]:
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
                f"colours.{name} '{colour}' has contrast {_ratio_text(ratio)} against {against}; "
                f"WCAG AA needs at least {WCAG_AA_TEXT:g}:1 — use a darker colour",
                "colours",
                name,
            )


def _include_problems(checked: _Checked) -> Iterator[Problem]:
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


def _logo_problems(checked: _Checked) -> Iterator[Problem]:
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


def _logo_content_problems(checked: _Checked, logo: str) -> Iterator[Problem]:
    """HB620-HB625, at their place in the SVG when known, else at the clinic's logo line."""
    path = checked.folder / logo
    for found in check_logo(path):
        if found.line is None:
            yield checked.problem(found.code, f"logo '{logo}' {found.message}", "logo")
        else:
            shown_path = display_path(path, checked.root)
            yield Problem(shown_path, found.line, found.col or 1, found.code, found.message)


def _extra_page_problems(checked: _Checked) -> Iterator[Problem]:
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


def _url_problems(checked: _Checked) -> Iterator[Problem]:
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


CLINIC_RULES: tuple[Callable[[_Checked], Iterator[Problem]], ...] = (
    _colour_problems,
    _include_problems,
    _logo_problems,
    _extra_page_problems,
    _url_problems,
)


# --- loading ----------------------------------------------------------------------------


def _with_clinic_hint(problem: Problem, detail: Mapping[str, Any]) -> Problem:
    """The content loader suggests content field names for a typo; suggest clinic ones."""
    if detail["type"] != "extra_forbidden":
        return problem
    head = problem.message.split("; did you mean", 1)[0]
    close = difflib.get_close_matches(str(detail["loc"][-1]), _CLINIC_FIELD_NAMES, n=1)
    suggestion = f"; did you mean '{close[0]}'?" if close else ""
    return dataclasses.replace(problem, message=head + suggestion)


def _shape_problems(error: ValidationError, origin: Origin) -> Iterator[Problem]:
    # problems_from_validation yields exactly one problem per pydantic error, in order.
    details = error.errors(include_url=False)
    pairs = zip(problems_from_validation(error, origin), details, strict=True)
    return (_with_clinic_hint(problem, detail) for problem, detail in pairs)


def load_clinic(
    clinic_dir: Path,
    *,
    known_conditions: dict[str, str],
    known_regions: set[str],
    root: Path,
) -> tuple[Clinic | None, list[Problem]]:
    """Read and check `clinic_dir/clinic.yml`; the Clinic is None unless there are no problems.

    `known_conditions` maps each condition slug to its region. Problem paths are shown
    relative to `root`, as a clinic would type them (clinics/<id>/clinic.yml).
    """
    problems: list[Problem] = []
    loaded = read_yaml_file(clinic_dir / CLINIC_FILE, problems, root)
    if loaded is None:
        return None, problems
    data, origin = loaded
    shape = validate_record(ClinicFile, data, origin, problems, convert=_shape_problems)
    checked = _Checked(data, origin, clinic_dir, root, known_conditions, known_regions)
    for rule in CLINIC_RULES:
        problems.extend(rule(checked))
    if shape is None or problems:
        return None, sorted(problems)
    fields = {name: getattr(shape, name) for name in ClinicFile.model_fields}
    return Clinic(**fields, id=clinic_dir.name, folder=clinic_dir.resolve()), []


def selected_conditions(clinic: Clinic, known_conditions: Mapping[str, str]) -> set[str]:
    """Slugs the copy shows: all without `include`, else those listed or in a listed region."""
    if clinic.include is None:
        return set(known_conditions)
    regions, slugs = set(clinic.include.regions), set(clinic.include.conditions)
    return {slug for slug, region in known_conditions.items() if slug in slugs or region in regions}


# --- CSS --------------------------------------------------------------------------------


def _css_string(text: str) -> str:
    """A CSS string literal; `<` is escaped too because the CSS may be inlined in <style>."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return '"' + escaped.replace("\r", "").replace("\n", "\\A ") + '"'


def _rgba(colour: str, alpha: float) -> str:
    red, green, blue = _rgb(colour)
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


def brand_css(clinic: Clinic) -> str:
    """Theme overrides for both schemes, plus a printed clinic header.

    Load it after handbook.css: it uses the same selectors, so order decides. --hb-danger
    is deliberately left alone: red flags stay red whatever the brand.
    """
    primary = normalise_colour(clinic.colours.primary)
    accent = normalise_colour(clinic.colours.accent)
    # The folder name lands in a CSS comment: keep only name-like characters, so a folder
    # called `x*/ body{…}` cannot end the comment and add rules.
    folder = re.sub(r"[^A-Za-z0-9._-]", "-", clinic.id)
    slate = slate_background()
    dark_link, dark_accent = readable_shade(primary, slate), readable_shade(accent, slate)
    return f"""\
/* Brand colours for {folder}; generated by macros/clinic.py from clinics/{folder}/. */
:root,
[data-md-color-scheme="default"],
[data-md-color-scheme="slate"] {{
  --md-primary-fg-color: {primary};
  --md-primary-fg-color--light: {_mix(primary, WHITE, 0.2)};
  --md-primary-fg-color--dark: {_mix(primary, BLACK, 0.3)};
  --md-primary-bg-color: {WHITE};
  --md-accent-fg-color: {accent};
  --md-accent-fg-color--transparent: {_rgba(accent, 0.1)};
  --md-typeset-a-color: {primary};
}}

/* On the slate background ({slate}) links are lightened to pass WCAG AA. */
[data-md-color-scheme="slate"] {{
  --md-typeset-a-color: {dark_link};
  --md-accent-fg-color: {dark_accent};
  --md-accent-fg-color--transparent: {_rgba(dark_accent, 0.1)};
}}

/* Material hides the header and footer on paper; a printout must still say who to call. */
@media print {{
  .md-content__inner::before {{
    display: block;
    height: auto;
    margin-bottom: 1em;
    padding-bottom: 0.5em;
    border-bottom: 1px solid {BLACK};
    color: {BLACK};
    white-space: pre-line;
    content: {_css_string(chr(10).join(_print_lines(clinic)))};
  }}

  .hb-clinic-contacts {{
    display: block !important;
    color: {BLACK};
  }}
}}
"""
