"""Render the handbook into Markdown pages with Jinja. No MkDocs import here.

Every value from YAML is autoescaped and emitted inside HTML blocks, which
Markdown passes through untouched: content text can never become markup or
script, and stray Markdown syntax in a symptom stays literal text.
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from calculators import inputs, journal_format
from calculators.vocabulary import URGENCY_ORDER, URGENCY_TITLES
from macros.content.loader import Handbook
from macros.content.problems import display_path
from macros.pages.body_map import VIEW_BOX, body_map
from macros.pages.calculator_views import calculator_ranges
from macros.pages.clinician_view import explain_calculators

TEMPLATES = Path(__file__).resolve().parent / "templates"
# Compiled templates, kept between builds (compiling them was a tenth of staging's time).
# Jinja checks each against its template's checksum; the folder is named for this module's
# source, whose environment settings (trim_blocks and the like) shape the compiled code too.
TEMPLATE_CACHE = Path(__file__).resolve().parents[2] / ".cache" / "jinja"
JOURNAL_PAGE = "journal.md"


@dataclass(frozen=True)
class GeneratedPage:
    """A page the build adds: where it goes, what it says, which file to edit."""

    src_uri: str
    markdown: str
    edit_path: str | None


@dataclass(frozen=True)
class Contacts:
    """The numbers red-flag callouts show. None means generic wording."""

    emergency_number: str | None = None
    urgent_number: str | None = None
    urgent_label: str | None = None


def page_url(src_uri: str) -> str:
    """The directory URL MkDocs gives a Markdown source, e.g. regions/hip.md -> regions/hip/."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


def relative_url(from_src: str, to_src: str) -> str:
    """A link from one page to another that works under any site sub-path.

    Raw HTML links are not rewritten by MkDocs, so we compute them ourselves.
    """
    here, there = page_url(from_src), page_url(to_src)
    rel = posixpath.relpath(there or ".", here or ".")
    return "./" if rel == "." else f"{rel}/"


_MARKDOWN_SPECIAL = set("\\`*_{}[]()>#+-.!")  # Python-Markdown's escapable characters


def markdown_escape(text: str) -> str:
    """Backslash-escape Markdown punctuation, for the few YAML strings used in headings."""
    return "".join(f"\\{ch}" if ch in _MARKDOWN_SPECIAL else ch for ch in text)


@cache
def environment() -> jinja2.Environment:
    # Jinja checks each template's own source, but not its own version: a compiled template
    # from another Jinja must not be loaded, so the version is part of the folder's name.
    source = Path(__file__).read_bytes() + jinja2.__version__.encode()
    settings = hashlib.sha256(source).hexdigest()[:16]
    compiled = TEMPLATE_CACHE / settings
    try:
        compiled.mkdir(parents=True, exist_ok=True)
        kept: jinja2.BytecodeCache | None = jinja2.FileSystemBytecodeCache(str(compiled))
    except OSError:  # a read-only checkout compiles every build, as before
        kept = None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        bytecode_cache=kept,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
    )
    env.globals["URGENCY_ORDER"] = URGENCY_ORDER
    env.globals["URGENCY_TITLES"] = URGENCY_TITLES
    env.globals["relative_url"] = relative_url
    env.filters["md_escape"] = markdown_escape
    return env


def _render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)


def book_contacts(book: Handbook) -> Contacts:
    """The numbers this copy's settings give (a clinic's, in a clinic's copy)."""
    settings = book.settings
    return Contacts(settings.emergency_number, settings.urgent_number, settings.urgent_label)


def _contacts(book: Handbook, contacts: Contacts | None) -> Contacts:
    return contacts or book_contacts(book)


def render_condition(
    book: Handbook,
    slug: str,
    contacts: Contacts | None = None,
    extra: dict[str, Any] | None = None,
    *,
    journal: bool = False,
) -> str:
    """One condition page. `extra` carries optional sections (e.g. build-time calculators);
    `journal` links its plan to the "My recovery" page."""
    condition = book.conditions[slug]
    # The page lists its own references and then the source of every red flag.
    cited = [*condition.references, *(flag.reference for flag in condition.red_flags)]
    return _render(
        "condition.md.j2",
        book=book,
        c=condition,
        references=list(dict.fromkeys(cited)),
        contacts=_contacts(book, contacts),
        exercises={use.key: book.exercises.get(use.key) for use in condition.exercises},
        review_due=book.settings.review_due(condition.last_reviewed),
        extra=extra or {},
        journal_link=relative_url(f"conditions/{slug}.md", JOURNAL_PAGE) if journal else None,
    )


def render_region(book: Handbook, region: str, contacts: Contacts | None = None) -> str:
    return _render(
        "region.md.j2",
        book=book,
        key=region,
        region=book.regions[region],
        conditions=book.conditions_in(region),
        contacts=_contacts(book, contacts),
    )


def render_home(book: Handbook) -> str:
    return _render("home.md.j2", book=book, body_map=body_map(book), view_box=VIEW_BOX)


def render_clinician_guide(book: Handbook, contacts: Contacts | None = None) -> str:
    """'When to see a clinician': every red flag of every condition, by urgency."""
    by_urgency: dict[str, list[tuple[str, str, str]]] = {u: [] for u in URGENCY_ORDER}
    for slug, condition in book.conditions.items():
        for flag in condition.red_flags:
            by_urgency[flag.urgency].append((flag.text, slug, condition.name))
    return _render(
        "when-to-see-a-clinician.md.j2",
        book=book,
        by_urgency=by_urgency,
        contacts=_contacts(book, contacts),
    )


def render_calculator_rules(book: Handbook, catalogue: dict[str, Any]) -> str:
    """'How the calculators decide', for clinicians, from the calculators' own data."""
    return _render(
        "how-the-calculators-decide.md.j2",
        grades=book.grades,
        **explain_calculators(catalogue),
    )


def render_guide_references(book: Handbook, keys: list[str]) -> str:
    """The 'Sources' list a guide's `references:` front matter asks for (keys checked by lint)."""
    return _render("guide-references.md.j2", book=book, keys=keys)


def journal_words() -> dict[str, Any]:
    """The check-in's words and ranges, from the journal engine's own format."""
    low, high = inputs.PAIN_RANGE
    pain_words = {low: "no pain", (low + high) // 2: "moderate", high: "worst imaginable"}
    mood_low, mood_high = journal_format.MOOD_RANGE
    mood_words = {mood_low: "low", mood_high: "great"}
    return {
        "JOURNAL_FORMAT": journal_format.FORMAT,
        "JOURNAL_VERSION": journal_format.VERSION,
        "MINUTES_RANGE": journal_format.MINUTES_RANGE,
        "SLEEP_RANGE": journal_format.SLEEP_RANGE,
        "MOOD_RANGE": journal_format.MOOD_RANGE,
        "MAX_NOTES_CHARS": journal_format.MAX_NOTES_CHARS,
        "PAIN_WORDS": pain_words,
        "DONE_OPTIONS": [(value, DONE_LABELS[value], "") for value in journal_format.DONE],
        "SWELLING_OPTIONS": [
            (value, SWELLING_LABELS[value], "") for value in journal_format.SWELLING
        ],
        "MOOD_OPTIONS": [(n, n, mood_words.get(n, "")) for n in range(mood_low, mood_high + 1)],
    }


# How the check-in names the engine's values (journal_format.DONE and SWELLING).
DONE_LABELS = {"planned": "As planned", "less": "Less", "more": "More", "skipped": "Skipped"}
SWELLING_LABELS = {"none": "None", "usual": "As usual", "more": "More than usual"}


def journal_conditions(
    book: Handbook, extras: dict[str, dict[str, Any]]
) -> list[tuple[Any, dict[str, Any]]]:
    """The conditions a recovery can be kept for: those with a self-managed plan and its form."""
    return [
        (condition, extras[slug])
        for slug, condition in book.conditions.items()
        if slug in extras and extras[slug].get("plan") and extras[slug]["form"]["plan"]
    ]


def render_journal(
    book: Handbook, extras: dict[str, dict[str, Any]], contacts: Contacts | None = None
) -> str:
    """'My recovery': the journal app, with each plan condition's questions as templates."""
    return _render(
        "journal.md.j2",
        conditions=journal_conditions(book, extras),
        ranges=calculator_ranges(),
        contacts=_contacts(book, contacts),
        **journal_words(),
    )


def render_exercise_library(book: Handbook) -> str:
    users: dict[str, list[tuple[str, str]]] = {key: [] for key in book.exercises}
    for slug, condition in book.conditions.items():
        for use in condition.exercises:
            users.setdefault(use.key, []).append((slug, condition.name))
    return _render("exercises.md.j2", book=book, users=users)


def site_pages(
    book: Handbook,
    content_root: Path,
    contacts: Contacts | None = None,
    condition_extras: dict[str, dict[str, Any]] | None = None,
    catalogue: dict[str, Any] | None = None,
    *,
    journal: bool | None = None,
) -> list[GeneratedPage]:
    """Every generated page of the site, in a stable order. Without "My recovery" (a clinic
    that turned it off: `book.settings.journal`, unless `journal` says) there is no journal
    page and no link to it."""
    extras = condition_extras or {}
    journal = book.settings.journal if journal is None else journal
    content_dir = display_path(content_root, content_root.parent)
    pages = [
        GeneratedPage("index.md", render_home(book), None),
        GeneratedPage("when-to-see-a-clinician.md", render_clinician_guide(book, contacts), None),
        GeneratedPage(
            "exercises.md", render_exercise_library(book), f"{content_dir}/exercises.yml"
        ),
    ]
    if catalogue is not None:
        pages.append(
            GeneratedPage(
                "how-the-calculators-decide.md", render_calculator_rules(book, catalogue), None
            )
        )
    pages += [
        GeneratedPage(f"regions/{key}.md", render_region(book, key, contacts), None)
        for key, _region in book.regions_in_order()
        if book.conditions_in(key)  # a clinic's subset may leave a region empty
    ]
    pages += [
        GeneratedPage(
            f"conditions/{slug}.md",
            render_condition(book, slug, contacts, extras.get(slug), journal=journal),
            f"{content_dir}/conditions/{slug}.yml",
        )
        for slug in book.conditions
    ]
    if journal:
        pages.append(GeneratedPage(JOURNAL_PAGE, render_journal(book, extras, contacts), None))
    return pages
