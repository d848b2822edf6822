"""The thin MkDocs adapter: load and check content, then add the generated pages.

Everything else (the model, rendering, calculators) is plain Python that does not
know MkDocs exists, so a later host such as Zensical can drive the same code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# MkDocs imports hook files by path; make the project's packages importable by name.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from macros.lint import check_content
from macros.loader import CONTENT_DIR, Handbook
from macros.navigation import site_nav
from macros.problems import ContentError
from macros.render import site_pages

_loaded: dict[str, Handbook] = {}


def _content_dir() -> Path:
    # Tests build the site from fixture content; a real build uses content/.
    return Path(os.environ.get("HANDBOOK_CONTENT") or CONTENT_DIR).resolve()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    book, problems = check_content(_content_dir())
    if problems or book is None:
        # PluginError ends the build with this message and no traceback.
        raise PluginError(str(ContentError(problems)))
    _loaded["book"] = book
    docs = Path(config.docs_dir)
    guides = sorted(p.name for p in (docs / "guides").glob("*.md"))
    config.nav = site_nav(book, guides, developers_page=(docs / "developers.md").exists())
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for existing in files:
        if existing.generated_by is None:
            existing.edit_uri = f"docs/{existing.src_uri}"
    for page in site_pages(_loaded["book"], _content_dir()):
        generated = File.generated(config, page.src_uri, content=page.markdown)
        generated.edit_uri = page.edit_path
        files.append(generated)
    return files
