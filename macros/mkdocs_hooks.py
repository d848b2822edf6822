"""The thin MkDocs adapter: load and check content (and a clinic, if any), add the generated
pages, then publish the browser runtime, the search index and the offline files.

Everything else (the model, rendering, calculators, branding, the service worker) is plain
Python that does not know MkDocs exists, so a later host such as Zensical can drive it.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# MkDocs imports hook files by path; make the project's packages importable by name.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from macros.browser import pwa, runtime, search_index, security
from macros.browser.catalogue import build_catalogue, dumps_catalogue
from macros.clinic.model import Clinic
from macros.clinic.subset import branded, load_clinic_for
from macros.clinic.theme import brand_css
from macros.content.loader import CONTENT_DIR, Handbook
from macros.content.problems import ContentError
from macros.lint.content_rules import check_content
from macros.pages.calculator_views import condition_extras
from macros.pages.handout import Takeaways, handout_pages, with_takeaways
from macros.pages.navigation import site_nav
from macros.pages.render import render_guide_references, site_pages

CLINIC_ASSETS = "assets/clinic"
CLINIC_CSS = "assets/stylesheets/clinic.css"
CLINIC_PAGES = "clinic"


@dataclass(frozen=True)
class _Build:
    """What one build loaded in on_config and uses in the later events."""

    content_dir: Path
    book: Handbook
    catalogue: dict[str, Any]
    bundle: runtime.CalculatorBundle
    clinic: Clinic | None
    logo: Path


_current: list[_Build] = []
_command: list[str] = []


def _content_dir() -> Path:
    # Tests build the site from other content; a real build uses content/.
    return Path(os.environ.get("HANDBOOK_CONTENT") or CONTENT_DIR).resolve()


def on_startup(*, command: str, dirty: bool) -> None:
    # `mkdocs serve` gets no service worker: a cache-first worker would hide live edits.
    _command[:] = [command]


def _apply_clinic(config: MkDocsConfig, clinic: Clinic) -> None:
    """Name, colours, logo, contacts and address of the clinic's copy."""
    config.site_name = clinic.name
    if not os.environ.get("SITE_URL"):  # tests serve a copy at their own address
        config.site_url = clinic.site_url
    config.extra["short_name"] = clinic.short_name
    config.extra["theme_colour"] = clinic.colours.primary
    logo = f"{CLINIC_ASSETS}/logo{clinic.logo_path.suffix.lower()}"
    config.theme["logo"] = logo
    config.theme["favicon"] = logo
    config.extra_css.append(CLINIC_CSS)
    config.extra["clinic"] = {
        "name": clinic.name,
        "contacts": clinic.contacts.model_dump(),
        "emergency": clinic.emergency.model_dump(),
        "disclaimer": clinic.disclaimer,
    }


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    content_dir = _content_dir()
    book, problems = check_content(content_dir)
    if problems or book is None:
        # PluginError ends the build with this message and no traceback.
        raise PluginError(str(ContentError(problems)))
    clinic = None
    logo = Path(config.docs_dir) / config.extra["logo_source"]
    if os.environ.get("HANDBOOK_CLINIC"):
        clinic, problems = load_clinic_for(book, Path(os.environ["HANDBOOK_CLINIC"]))
        if clinic is None:
            raise PluginError(str(ContentError(problems)))
        book = branded(book, clinic)
        _apply_clinic(config, clinic)
        logo = clinic.logo_path
    catalogue = build_catalogue(book)
    bundle = runtime.build_bundle(dumps_catalogue(catalogue))
    _current[:] = [_Build(content_dir, book, catalogue, bundle, clinic, logo)]
    # Pages name the content-hashed bundle, so a new build can never mix old and new code.
    config.extra["calculators_bundle"] = bundle.path
    config.extra["calculators_words"] = runtime.page_words_json()
    try:
        config.extra["pyodide_runtime"] = runtime.runtime_dir(runtime.pyodide_version())
    except runtime.RuntimeMissingError as exc:
        raise PluginError(str(exc)) from exc
    config.extra["service_worker"] = _command != ["serve"]
    docs = Path(config.docs_dir)
    guides = sorted(p.name for p in (docs / "guides").glob("*.md"))
    clinic_pages = (
        [(page.title, f"{CLINIC_PAGES}/{page.file}") for page in clinic.extra_pages]
        if clinic
        else []
    )
    config.nav = site_nav(
        book,
        guides,
        developers_page=(docs / "developers.md").exists() and (docs / "clinics.md").exists(),
        clinic_pages=clinic_pages,
    )
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    build = _current[0]
    for existing in files:
        if existing.generated_by is None:
            existing.edit_uri = f"docs/{existing.src_uri}"
    logo = config.theme["logo"] if build.clinic else None
    takeaways = Takeaways.for_build(config.site_url, build.clinic, logo)
    extras = with_takeaways(condition_extras(build.catalogue), takeaways)
    pages = site_pages(
        build.book, build.content_dir, condition_extras=extras, catalogue=build.catalogue
    ) + handout_pages(build.book, extras, takeaways)
    for page in pages:
        inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
        generated = File.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion)
        generated.edit_uri = page.edit_path
        files.append(generated)
    if build.clinic is not None:
        clinic = build.clinic
        files.append(File.generated(config, config.theme["logo"], abs_src_path=str(build.logo)))
        files.append(File.generated(config, CLINIC_CSS, content=brand_css(clinic)))
        for extra_page in clinic.extra_pages:
            source_path = str(clinic.page_path(extra_page))
            files.append(
                File.generated(
                    config, f"{CLINIC_PAGES}/{extra_page.file}", abs_src_path=source_path
                )
            )
    return files


def on_page_markdown(markdown: str, *, page: Any, config: MkDocsConfig, files: Files) -> str:
    """A guide's `references:` front matter becomes its Sources list (keys checked by lint)."""
    keys = page.meta.get("references")
    if not page.file.src_uri.startswith("guides/") or not keys:
        return markdown
    return markdown.rstrip("\n") + "\n" + render_guide_references(_current[0].book, keys)


def on_page_content(html: str, *, page: Any, config: MkDocsConfig, files: Files) -> str:
    try:
        security.refuse_scripts_in_content(html, page.file.src_uri)
    except security.PolicyError as exc:
        raise PluginError(str(exc)) from exc
    return html


def on_post_build(config: MkDocsConfig) -> None:
    build = _current[0]
    site_dir = Path(config.site_dir)
    runtime.copy_runtime(site_dir)
    runtime.write_bundle(site_dir, build.bundle)
    try:
        search_index.index_site(site_dir)
    except search_index.SearchIndexError as exc:
        raise PluginError(str(exc)) from exc
    if not config.extra["service_worker"]:
        # `mkdocs serve` injects an inline live-reload script that a strict policy would block.
        return
    try:
        security.apply(site_dir)
    except security.PolicyError as exc:
        raise PluginError(str(exc)) from exc
    identity = pwa.AppIdentity(
        name=config.site_name,
        short_name=config.extra["short_name"],
        description=config.site_description or config.site_name,
        site_url=config.site_url or "/",
        theme_colour=config.extra["theme_colour"],
        background_colour=config.extra["background_colour"],
    )
    pwa.publish(site_dir, identity, build.logo, runtime.pyodide_version())
