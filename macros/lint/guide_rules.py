"""The hand-written guides (docs/guides/*.md) cite references.yml by key in their front matter.

`references: [key, ...]` is checked like any content citation (HB201, HB103) and the build
lists the references at the end of the page, so a guide can never cite a paper the
handbook does not hold, and every citation shows its evidence grade.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from macros.content.loader import PROJECT_ROOT, Handbook
from macros.content.problems import Problem, display_path
from macros.content.yaml_source import YamlRefused, load_with_locations

FRONT_MATTER = "---\n"


def _front_matter(text: str) -> tuple[str, int] | None:
    """The front matter's YAML and the file line it starts on, if the page has any."""
    if not text.startswith(FRONT_MATTER):
        return None
    end = text.find("\n---\n", len(FRONT_MATTER) - 1)
    if end == -1:
        return None
    return text[len(FRONT_MATTER) : end + 1], 2


def guide_problems(guides_dir: Path, book: Handbook) -> Iterator[Problem]:
    """Every unknown or malformed reference key in every guide's front matter."""
    for path in sorted(guides_dir.glob("*.md")):
        shown = display_path(path, PROJECT_ROOT)
        found = _front_matter(path.read_text(encoding="utf-8"))
        if found is None:
            continue
        text, first_line = found
        try:
            data, smap = load_with_locations(text)
        except YamlRefused as refused:
            for problem in refused.problems:
                yield Problem(
                    shown,
                    problem.line + first_line - 1,
                    problem.col,
                    problem.code,
                    f"front matter: {problem.message}",
                )
            continue
        refs = data.get("references", []) if isinstance(data, dict) else []
        if not isinstance(refs, list):
            line, col = smap.locate(("references",))
            yield Problem(
                shown,
                line + first_line - 1,
                col,
                "HB103",
                "'references': input should be a list of reference keys",
            )
            continue
        for i, key in enumerate(refs):
            if not isinstance(key, str) or key not in book.references:
                line, col = smap.locate(("references", i))
                known = ", ".join(sorted(book.references)) or "none"
                yield Problem(
                    shown,
                    line + first_line - 1,
                    col,
                    "HB201",
                    f"unknown reference '{key}'; known: {known}",
                )
