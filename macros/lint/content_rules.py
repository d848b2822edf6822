"""Rules that need more than one file: keys that must exist, names that must be unique,
and the clinical-safety rules. Each rule is a small generator of located problems.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path

from macros.content.loader import CONTENT_DIR, Handbook, load_handbook
from macros.content.problems import Problem
from macros.lint.calculator_rules import CALCULATOR_RULES
from macros.lint.guide_rules import guide_problems
from macros.lint.source_rules import SOURCE_RULES

Rule = Callable[[Handbook, date], Iterator[Problem]]


def _problem(
    book: Handbook, stem: str, code: str, message: str, *where: str | int, key: bool = False
) -> Problem:
    path, line, col = book.origin("condition-file", stem).at(*where, key=key)
    return Problem(path, line, col, code, message)


def slug_matches_file_name(book: Handbook, _today: date) -> Iterator[Problem]:
    for stem, slug in book.condition_files.items():
        if slug != stem:
            yield _problem(
                book,
                stem,
                "HB501",
                f"slug '{slug}' differs from the file name '{stem}.yml'",
                "slug",
            )


def slugs_and_aliases_are_unique(book: Handbook, _today: date) -> Iterator[Problem]:
    """A clash is reported in every file involved, each naming the others."""
    slug_files: dict[str, list[str]] = {}
    for stem, slug in sorted(book.condition_files.items()):
        slug_files.setdefault(slug, []).append(stem)
    for slug, stems in slug_files.items():
        for stem in stems if len(stems) > 1 else []:
            others = ", ".join(f"{other}.yml" for other in stems if other != stem)
            yield _problem(book, stem, "HB502", f"slug '{slug}' is also used by {others}", "slug")
    places: dict[str, list[tuple[str, tuple[str | int, ...], str]]] = {}
    for stem, condition in sorted(book.conditions.items()):
        named: list[tuple[tuple[str | int, ...], str]] = [(("name",), condition.name)]
        named += [(("aliases", i), alias) for i, alias in enumerate(condition.aliases)]
        for where, text in named:
            places.setdefault(text.casefold(), []).append((stem, where, text))
    for uses in places.values():
        stems = sorted({stem for stem, _where, _text in uses})
        if len(stems) < 2:  # a page may repeat its own name as an alias
            continue
        for stem, where, text in uses:
            others = ", ".join(f"{other}.yml" for other in stems if other != stem)
            yield _problem(
                book, stem, "HB503", f"'{text}' is also a name or alias of {others}", *where
            )


def keys_exist(book: Handbook, _today: date) -> Iterator[Problem]:
    for stem, c in book.conditions.items():
        if c.region not in book.regions:
            yield _problem(
                book, stem, "HB203", _unknown("region", c.region, book.regions), "region"
            )
        if c.tissue not in book.tissues:
            yield _problem(
                book, stem, "HB204", _unknown("tissue", c.tissue, book.tissues), "tissue"
            )
        for i, ref in enumerate(c.references):
            if ref not in book.references:
                yield _problem(
                    book,
                    stem,
                    "HB201",
                    _unknown("reference", ref, book.references),
                    "references",
                    i,
                )
        for i, use in enumerate(c.exercises):
            if use.key not in book.exercises:
                yield _problem(
                    book,
                    stem,
                    "HB202",
                    _unknown("exercise", use.key, book.exercises),
                    "exercises",
                    i,
                    "key",
                )
        rtr = c.return_to_run
        if rtr.protocol is not None and rtr.protocol not in book.protocols:
            yield _problem(
                book,
                stem,
                "HB205",
                _unknown("protocol", rtr.protocol, book.protocols),
                "return_to_run",
                "protocol",
            )
        if rtr.self_check is not None and rtr.self_check not in book.self_checks:
            yield _problem(
                book,
                stem,
                "HB206",
                _unknown("self-check family", rtr.self_check, book.self_checks),
                "return_to_run",
                "self_check",
            )


def _unknown(kind: str, key: str, known: Mapping[str, object]) -> str:
    return f"unknown {kind} '{key}'; known: {', '.join(sorted(known)) or 'none'}"


def red_flags_present(book: Handbook, _today: date) -> Iterator[Problem]:
    for stem, c in book.conditions.items():
        if not c.red_flags:
            yield _problem(
                book,
                stem,
                "HB301",
                "red_flags is empty; every condition needs at least one",
                "red_flags",
            )


def bone_uses_bone_rules(book: Handbook, _today: date) -> Iterator[Problem]:
    for stem, c in book.conditions.items():
        family = c.return_to_run.self_check
        if c.tissue == "bone" and family not in (None, "bone"):
            yield _problem(
                book,
                stem,
                "HB302",
                f"tissue is bone but self_check is '{family}'; bone must be pain-free,"
                " so use 'bone'",
                "return_to_run",
                "self_check",
            )


def references_are_graded(book: Handbook, _today: date) -> Iterator[Problem]:
    for key, ref in book.references.items():
        if ref.grade is None:
            path, line, col = book.origin("reference", key).at(key=True)
            yield Problem(
                path,
                line,
                col,
                "HB303",
                f"reference '{key}' has no evidence grade; add grade: A, B, C or D",
            )


def reviews_are_recent(book: Handbook, today: date) -> Iterator[Problem]:
    for stem, c in book.conditions.items():
        if today > book.settings.review_due(c.last_reviewed):
            yield _problem(
                book,
                stem,
                "HB304",
                f"last reviewed {c.last_reviewed.isoformat()}, more than "
                f"{book.settings.review_interval_days} days ago; review it and update the date",
                "last_reviewed",
            )


def emergencies_come_first(book: Handbook, _today: date) -> Iterator[Problem]:
    for stem, c in book.conditions.items():
        emergency = any(flag.urgency == "emergency" for flag in c.red_flags)
        offers_plan = c.self_managed and c.return_to_run.protocol is not None
        if emergency and offers_plan and c.urgent_notice is None:
            yield _problem(
                book,
                stem,
                "HB305",
                "this condition offers a self-managed plan and has an emergency red "
                "flag; add urgent_notice so the page says so first",
                "red_flags",
            )


def clinician_conditions_send_people_first(book: Handbook, _today: date) -> Iterator[Problem]:
    for stem, c in book.conditions.items():
        if not c.self_managed and (c.urgent_notice is None or c.return_to_run.protocol):
            yield _problem(
                book,
                stem,
                "HB310",
                "a see-a-clinician condition needs urgent_notice and no protocol",
                "self_managed",
            )


RULES: tuple[Rule, ...] = (
    slug_matches_file_name,
    slugs_and_aliases_are_unique,
    keys_exist,
    red_flags_present,
    bone_uses_bone_rules,
    references_are_graded,
    reviews_are_recent,
    emergencies_come_first,
    clinician_conditions_send_people_first,
    *CALCULATOR_RULES,
    *SOURCE_RULES,
)


def lint_handbook(book: Handbook, today: date) -> list[Problem]:
    return [problem for rule in RULES for problem in rule(book, today)]


def check_content(
    content_dir: Path = CONTENT_DIR, today: date | None = None
) -> tuple[Handbook | None, list[Problem]]:
    """Load, validate and lint everything; the handbook is only safe to use if no problems."""
    book, problems = load_handbook(content_dir)
    if book is not None:
        problems += lint_handbook(book, today or date.today())
        # The guides live beside content/ in docs/guides/ and cite references.yml by key.
        problems += guide_problems(content_dir.parent / "docs" / "guides", book)
    return book, sorted(problems)
