"""Cross-file rules for the calculators' data (protocols and self-check families).

Shape and single-file consistency (a chosen zone option that exists, red meaning stop) are
checked by the models in `macros/content/calculator_model.py`; these rules need more than one file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from macros.content.loader import Handbook
from macros.content.problems import Problem

GRADE_STRENGTH = {"A": 4, "B": 3, "C": 2, "D": 1}
_KINDS = (("protocol", "protocols"), ("self_check", "self_checks"))
_REFERENCE_FIELDS = ("reference", "source")


def _walk(
    data: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str, str | None]]:
    """(path, reference key, claimed grade or None) for every citation in dumped data."""
    if isinstance(data, dict):
        for field in _REFERENCE_FIELDS:
            if isinstance(data.get(field), str):
                grade = data.get("grade") if field == "reference" else None
                yield (*path, field), data[field], grade
        for key, value in data.items():
            if key == "references" and isinstance(value, list):
                for i, ref in enumerate(value):
                    yield (*path, key, i), ref, None
            elif isinstance(value, dict | list):
                yield from _walk(value, (*path, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _walk(item, (*path, i))


def _citations(book: Handbook) -> Iterator[tuple[str, str, tuple[str | int, ...], str, str | None]]:
    for kind, attr in _KINDS:
        for key, record in getattr(book, attr).items():
            for path, ref, grade in _walk(record.model_dump(mode="json")):
                yield kind, key, path, ref, grade


def references_exist(book: Handbook, _today: date) -> Iterator[Problem]:
    known = book.references
    for kind, key, path, ref, _grade in _citations(book):
        if ref not in known:
            file, line, col = book.origin(kind, key).at(*path)
            yield Problem(
                file,
                line,
                col,
                "HB207",
                f"unknown reference '{ref}'; add it to content/references.yml or "
                "cite an existing key",
            )


def grades_not_stronger_than_source(book: Handbook, _today: date) -> Iterator[Problem]:
    for kind, key, path, ref, grade in _citations(book):
        source = book.references.get(ref)
        if grade is None or source is None or source.grade is None:
            continue
        if GRADE_STRENGTH[grade] > GRADE_STRENGTH[source.grade]:
            file, line, col = book.origin(kind, key).at(*path[:-1], "grade")
            yield Problem(
                file,
                line,
                col,
                "HB306",
                f"grade {grade} is stronger than reference '{ref}' (grade "
                f"{source.grade}); a rule cannot be surer than its source",
            )


def tissue_defaults_exist(book: Handbook, _today: date) -> Iterator[Problem]:
    if not book.self_checks:
        return
    for key, tissue in book.tissues.items():
        if tissue.default_self_check not in book.self_checks:
            file, line, col = book.origin("tissue", key).at("default_self_check")
            yield Problem(
                file,
                line,
                col,
                "HB208",
                f"default_self_check '{tissue.default_self_check}' is not a file in "
                f"content/self-check/; known: {', '.join(sorted(book.self_checks))}",
            )


def fracture_sites_match_conditions(book: Handbook, _today: date) -> Iterator[Problem]:
    for key, protocol in book.protocols.items():
        sites = protocol.fracture_sites
        for slug in sites.conditions if sites is not None else ():
            condition = book.conditions.get(slug)
            uses = condition.return_to_run.protocol if condition is not None else None
            if uses != key:
                file, line, col = book.origin("protocol", key).at(
                    "fracture_sites", "conditions", slug, key=True
                )
                found = "is not a condition" if condition is None else f"uses '{uses}'"
                yield Problem(
                    file,
                    line,
                    col,
                    "HB209",
                    f"fracture sites for '{slug}', which {found}; list only "
                    f"conditions whose protocol is '{key}'",
                )


CALCULATOR_RULES: tuple[Callable[[Handbook, date], Iterator[Problem]], ...] = (
    references_exist,
    grades_not_stronger_than_source,
    tissue_defaults_exist,
    fracture_sites_match_conditions,
)
