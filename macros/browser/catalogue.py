"""The calculators' catalogue: the content the calculators need, as JSON-ready data.

`build_catalogue(book)` is pure. The build puts the result in the browser bundle, and
`python -m macros catalogue` prints it for the calculators' CLI. Nothing generated is committed:
every reader gets it fresh from `content/`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from macros.content.loader import CONTENT_DIR, Handbook, load_handbook
from macros.content.problems import ContentError

CATALOGUE_VERSION = 1
FALLBACK_FAMILY = "generic"


def _family_for(book: Handbook, slug: str) -> str:
    condition = book.conditions[slug]
    if condition.return_to_run.self_check is not None:
        return condition.return_to_run.self_check
    tissue = book.tissues.get(condition.tissue)
    return tissue.default_self_check if tissue is not None else FALLBACK_FAMILY


def _cited(book: Handbook) -> list[str]:
    keys: set[str] = set()
    for protocol in book.protocols.values():
        keys.update(protocol.references)
        dumped = protocol.model_dump(mode="json")
        keys.update(_references_in(dumped))
    for family in book.self_checks.values():
        keys.update(family.references)
        keys.update(_references_in(family.model_dump(mode="json")))
    return sorted(k for k in keys if k in book.references)


def _references_in(data: Any) -> set[str]:
    """Every value under a `reference` or `source` key that names a reference."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("reference", "source") and isinstance(value, str):
                found.add(value)
            else:
                found |= _references_in(value)
    elif isinstance(data, list):
        for item in data:
            found |= _references_in(item)
    return found


def build_catalogue(book: Handbook) -> dict[str, Any]:
    """Everything the calculators need, as plain JSON-ready data (no dates, no clock)."""
    conditions = {}
    for slug in sorted(book.conditions):
        c = book.conditions[slug]
        conditions[slug] = {
            "slug": c.slug,
            "name": c.name,
            "tissue": c.tissue,
            "self_check": _family_for(book, slug),
            "protocol": c.return_to_run.protocol,
            "self_managed": c.self_managed,
            "red_flags": [flag.model_dump(mode="json") for flag in c.red_flags],
            "timeline": c.return_to_run.timeline.model_dump(mode="json"),
        }
    references = {}
    for key in _cited(book):
        ref = book.references[key]
        references[key] = {
            "title": ref.title,
            "authors": ref.authors,
            "year": ref.year,
            "grade": ref.grade,
            "url": ref.url,
        }
    return {
        "version": CATALOGUE_VERSION,
        "settings": {
            "emergency_number": book.settings.emergency_number,
            "urgent_number": book.settings.urgent_number,
        },
        "conditions": conditions,
        "protocols": {
            key: book.protocols[key].model_dump(mode="json") for key in sorted(book.protocols)
        },
        "self_checks": {
            key: book.self_checks[key].model_dump(mode="json") for key in sorted(book.self_checks)
        },
        "references": references,
    }


def dumps_catalogue(catalogue: dict[str, Any]) -> str:
    """Stable text: sorted keys, stable layout, trailing newline, so two builds compare equal."""
    return json.dumps(catalogue, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def catalogue_from_content(content_dir: Path = CONTENT_DIR) -> dict[str, Any]:
    """Load the content and build the catalogue; raise ContentError if any file failed."""
    book, problems = load_handbook(content_dir)
    if book is None or problems:
        raise ContentError(problems)
    return build_catalogue(book)
