"""Stage 2 of a build: write the whole handbook as plain Markdown into a folder of its own.

The staging folder holds everything a generator needs and nothing it has to compute:
`docs/` (the hand-written pages, copied, plus every page generated from content and the
clinic's logo, CSS and pages), `overrides/` (the theme blocks) and the generator's
configuration. `docs/` in the repository is never written to. Any generator that reads
`mkdocs.yml` builds the same handbook from it, because nothing is left to hooks or plugins.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
import yaml

from macros.browser import journal_schema, runtime, security, snapshot
from macros.browser.catalogue import build_catalogue
from macros.build import config as generator_config
from macros.build.generators import Generator
from macros.clinic.model import Clinic
from macros.clinic.subset import branded, load_clinic_for
from macros.clinic.theme import brand_css
from macros.content.loader import Handbook
from macros.content.problems import ContentError, Problem
from macros.lint.content_rules import check_content
from macros.pages.calculator_views import condition_extras
from macros.pages.handout import HANDOUTS_NOT_IN_NAV, Takeaways, handout_pages, with_takeaways
from macros.pages.navigation import site_nav
from macros.pages.render import render_guide_references, site_pages

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DOCS_DIR = PROJECT_ROOT / "docs"
THEME_DIR = PROJECT_ROOT / "overrides"
CLINIC_ASSETS = "assets/clinic"
CLINIC_CSS = "assets/stylesheets/clinic.css"
CLINIC_PAGES = "clinic"
CONFIG_FILE = "mkdocs.yml"
PREVIEW_INDEX = "pagefind/"


@dataclass(frozen=True)
class Sources:
    """What a build is made from."""

    content_dir: Path
    clinic_dir: Path | None = None
    docs_dir: Path = DOCS_DIR


@dataclass(frozen=True)
class Staged:
    """One staged handbook: where it is, and what the publishing stage needs from it."""

    root: Path
    config_file: Path
    config: dict[str, Any]
    book: Handbook
    bundle: runtime.CalculatorBundle
    clinic: Clinic | None
    logo: Path
    memory_snapshot: snapshot.MemorySnapshot | None = None

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"


def load(sources: Sources) -> tuple[Handbook, Clinic | None]:
    """Stage 1: every content and clinic problem, located; ContentError if there are any."""
    book, problems = check_content(sources.content_dir)
    clinic = None
    clinic_problems: list[Problem] = []
    if book is not None and sources.clinic_dir is not None:
        clinic, clinic_problems = load_clinic_for(book, sources.clinic_dir)
    problems = sorted(problems + clinic_problems)
    if problems or book is None:
        raise ContentError(problems)
    return (branded(book, clinic), clinic) if clinic else (book, None)


def _front_matter(text: str) -> tuple[str, str]:
    """(front matter lines, body) of a Markdown page; ("", text) when it has none."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 3)
        if end != -1:
            return text[4 : end + 1], text[end + 5 :]
    return "", text


def with_meta(markdown: str, meta: dict[str, str]) -> str:
    """The page with these front matter keys added, its own keys and comments kept."""
    if not meta:
        return markdown
    front, body = _front_matter(markdown)
    added = yaml.safe_dump(meta, sort_keys=True, allow_unicode=True, width=1000)
    return f"---\n{front}{added}---\n{body}"


def _markdown_options(config: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    names: list[str] = []
    options: dict[str, Any] = {}
    for entry in config.get("markdown_extensions", []):
        name, settings = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        options[name] = settings or {}
    return names, options


def refuse_scripts(files: dict[str, FileSource], config: dict[str, Any]) -> None:
    """Every staged page, as the generator's Markdown will turn it into HTML, may hold no
    script, inline style or handler: the policy allows only the theme's own. Checked here, on
    the source, so the message names the file to fix and nothing is built."""
    names, options = _markdown_options(config)
    for rel, text in files.items():
        if rel.endswith(".md") and isinstance(text, str):
            html = markdown.markdown(
                _front_matter(text)[1], extensions=names, extension_configs=options
            )
            security.refuse_scripts_in_content(html, rel)
        elif rel.endswith(".md") and isinstance(text, Path):
            refuse_scripts({rel: text.read_text(encoding="utf-8")}, config)


def _edit_url(template: str | None, path: str | None) -> dict[str, str]:
    return {"edit_url": template.format(path=path)} if template and path else {}


def _hand_written_pages(
    sources: Sources, book: Handbook, edit_template: str | None
) -> dict[str, FileSource]:
    """docs/ as the staged folder holds it: pages with their edit link and, for guides, their
    sources; every other file as it is."""
    files: dict[str, FileSource] = {}
    for path in sorted(sources.docs_dir.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(sources.docs_dir).as_posix()
        if path.suffix != ".md":
            files[rel] = path
            continue
        text = path.read_text(encoding="utf-8")
        front, _body = _front_matter(text)
        keys = (yaml.safe_load(front) or {}).get("references") if front else None
        if rel.startswith("guides/") and keys:
            text = text.rstrip("\n") + "\n" + render_guide_references(book, keys)
        files[rel] = with_meta(text, _edit_url(edit_template, f"docs/{rel}"))
    return files


def _generated_pages(
    sources: Sources,
    book: Handbook,
    catalogue: dict[str, Any],
    edit_template: str | None,
    takeaways: Takeaways,
    *,
    bundle: runtime.CalculatorBundle,
) -> dict[str, str]:
    extras = with_takeaways(condition_extras(catalogue), takeaways)
    for slug, chunk in bundle.conditions.items():
        # The page's calculators load only this condition's data (calculators/chunks.py).
        extras[slug]["form"]["chunk"] = chunk.path
    pages = site_pages(
        book,
        sources.content_dir,
        condition_extras=extras,
        catalogue=catalogue,
    ) + handout_pages(book, extras, takeaways)
    return {
        page.src_uri: with_meta(page.markdown, _edit_url(edit_template, page.edit_path))
        for page in pages
    }


def _clinic_files(clinic: Clinic) -> dict[str, FileSource]:
    files: dict[str, FileSource] = {
        f"{CLINIC_ASSETS}/logo{clinic.logo_path.suffix.lower()}": clinic.logo_path,
        CLINIC_CSS: brand_css(clinic),
    }
    for page in clinic.extra_pages:
        files[f"{CLINIC_PAGES}/{page.file}"] = clinic.page_path(page)
    return files


def _clinic_overrides(clinic: Clinic, site_url_from_env: bool) -> dict[str, Any]:
    """Name, colours, logo, contacts and address of the clinic's copy."""
    logo = f"{CLINIC_ASSETS}/logo{clinic.logo_path.suffix.lower()}"
    overrides: dict[str, Any] = {
        "site_name": clinic.name,
        "theme": {"logo": logo, "favicon": logo},
    }
    if not site_url_from_env:  # tests serve a copy at their own address
        overrides["site_url"] = clinic.site_url
    return overrides


def _clinic_extra(clinic: Clinic) -> dict[str, Any]:
    return {
        "short_name": clinic.short_name,
        "theme_colour": clinic.colours.primary,
        "clinic": {
            "name": clinic.name,
            "contacts": clinic.contacts.model_dump(),
            "emergency": clinic.emergency.model_dump(),
            "disclaimer": clinic.disclaimer,
        },
    }


FileSource = str | bytes | Path
"""A staged file's text, its bytes, or the file to copy."""


def sync_tree(
    files: dict[str, FileSource], target: Path, keep: tuple[str, ...] = (), *, prune: bool = True
) -> None:
    """Make `target` hold exactly these files (and anything under a `keep` prefix; with
    `prune` off, anything already there), rewriting only those that changed, so a
    generator's file watcher rebuilds only what an edit touched.
    New files are written before old ones go, so a rebuild that starts part-way through never
    finds a page's new search files missing."""
    target.mkdir(parents=True, exist_ok=True)
    for rel, source in files.items():
        out = target / rel
        data = (
            source.read_bytes()
            if isinstance(source, Path)
            else source
            if isinstance(source, bytes)
            else source.encode("utf-8")
        )
        if out.is_file() and out.stat().st_size == len(data) and out.read_bytes() == data:
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        # Written beside, then renamed over: a watcher reading it sees the old or new file,
        # never half of one.
        partial = out.with_name(f".{out.name}.partial")
        partial.write_bytes(data)
        partial.replace(out)
    for existing in sorted(target.rglob("*"), reverse=True) if prune else ():
        rel = existing.relative_to(target).as_posix()
        if keep and rel.startswith(keep):
            continue
        if existing.is_file() and rel not in files:
            existing.unlink()
        elif existing.is_dir() and not any(existing.iterdir()):
            existing.rmdir()


def stage(
    sources: Sources,
    root: Path,
    generator: Generator,
    *,
    serving: bool = False,
) -> Staged:
    """Load and check the content, then write the staged handbook into `root`.

    Raises ContentError (every problem, located) or PolicyError (a script written into a
    page) before anything is written."""
    book, clinic = load(sources)
    catalogue = build_catalogue(book)
    bundle = runtime.build_bundle(catalogue)
    memory = snapshot.snapshot_or_none()
    base = generator_config.read_base_config()
    edit_template = base.pop("edit_uri_template", None)
    from_env = bool(os.environ.get("SITE_URL"))
    # Handouts print QR codes of absolute addresses: the copy's own, a clinic's if it has one.
    site_url = clinic.site_url if clinic is not None and not from_env else base.get("site_url")
    clinic_logo = f"{CLINIC_ASSETS}/logo{clinic.logo_path.suffix.lower()}" if clinic else None
    takeaways = Takeaways.for_build(site_url, clinic, clinic_logo)
    # Reached by links from each condition page, never listed in the navigation.
    base["not_in_nav"] = f"{base.get('not_in_nav', '').rstrip()}\n{HANDOUTS_NOT_IN_NAV}\n"
    hand_written = _hand_written_pages(sources, book, edit_template)
    generated = _generated_pages(sources, book, catalogue, edit_template, takeaways, bundle=bundle)
    files: dict[str, FileSource] = {
        **hand_written,
        **generated,
        # The recovery journal's backup format, published beside the pages that export it.
        journal_schema.SCHEMA_PATH.as_posix(): journal_schema.journal_schema_text(),
    }
    extra: dict[str, Any] = {
        # Pages name the content-hashed bundle, so a new build can never mix old and new code.
        "calculators_bundle": bundle.path,
        "calculators_shared": bundle.shared.path,
        "calculators_qr": bundle.qr.path,
        "calculators_index": bundle.index.path,
        "calculators_words": runtime.page_words_json(),
        "pyodide_runtime": runtime.runtime_dir(runtime.pyodide_version()),
        # Empty when Node could not make one: the worker then starts Python normally.
        "pyodide_snapshot": memory.path if memory else "",
        # A served preview has no service worker: a cache-first worker would hide live edits.
        "service_worker": not serving,
        # The header's "My recovery" link, unless a clinic turned the journal off.
        "journal_page": "journal/" if "journal.md" in files else "",
    }
    overrides: dict[str, Any] = {}
    logo = sources.docs_dir / base["extra"]["logo_source"]
    clinic_pages: list[tuple[str, str]] = []
    authored: dict[str, FileSource] = dict(hand_written)
    if clinic is not None:
        authored.update(_clinic_files(clinic))
        files.update(_clinic_files(clinic))
        extra.update(_clinic_extra(clinic))
        overrides.update(_clinic_overrides(clinic, site_url_from_env=from_env))
        base.setdefault("extra_css", []).append(CLINIC_CSS)
        logo = clinic.logo_path
        clinic_pages = [(page.title, f"{CLINIC_PAGES}/{page.file}") for page in clinic.extra_pages]
    guides = sorted(rel.removeprefix("guides/") for rel in files if rel.startswith("guides/"))
    nav = site_nav(
        book,
        [name for name in guides if name.endswith(".md")],
        developers_page={"developers.md", "clinics.md"} <= set(files),
        clinic_pages=clinic_pages,
    )
    # Pages people write are checked as the generator will render them. Generated pages come
    # from autoescaped templates, so no content value can open a tag in them: their source
    # is checked as it is (a template that wrote a <script> would be caught), which costs far
    # less than rendering each once more, and the policy stage still refuses an inline
    # handler or style attribute on every built page.
    refuse_scripts(authored, base)
    for rel, text in generated.items():
        security.refuse_scripts_in_content(_front_matter(text)[1], rel)
    root.mkdir(parents=True, exist_ok=True)
    if serving:
        # A preview is served straight from docs/, so the runtime and bundle go in there;
        # the search index comes after a preview build (python -m macros serve).
        files.update(runtime.runtime_files())
        files.update(bundle.files())
    # In a preview, earlier search files and bundles stay (a page still open may ask for them,
    # and the server may be copying them in a rebuild that has just started).
    preview_keeps = (PREVIEW_INDEX, f"{runtime.BUNDLE_DIR}/")
    sync_tree(files, root / "docs", keep=preview_keeps if serving else ())
    theme = {p.relative_to(THEME_DIR).as_posix(): p for p in THEME_DIR.rglob("*") if p.is_file()}
    sync_tree(dict(theme), root / "overrides")
    config = generator_config.generator_config(
        base,
        generator,
        # Relative to the configuration file, which sits in `root`: Zensical needs both folders
        # inside the folder its configuration is in.
        docs_dir=Path("docs"),
        site_dir=Path("site"),
        theme_dir=Path("overrides"),
        nav=nav,
        extra=extra,
        overrides=overrides,
    )
    config_file = generator_config.write_config(config, root / CONFIG_FILE)
    return Staged(root, config_file, config, book, bundle, clinic, logo, memory)
