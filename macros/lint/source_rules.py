"""Rules about sources: every red flag cites a known reference no surer than itself, and every
rule that sends a runner to emergency or same-day care rests on a source a clinician accepts.

A blog, a clinic's web page or a patient leaflet can frame advice, but it cannot on its own be
the reason to call an ambulance or to be seen today (HB307).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from calculators.vocabulary import SERIOUS_URGENCIES
from macros.content.loader import Handbook
from macros.content.model import CLINICAL_KINDS
from macros.content.problems import Problem
from macros.lint.calculator_rules import GRADE_STRENGTH

_KINDS = (("protocol", "protocols"), ("self_check", "self_checks"))

DataPath = tuple[str | int, ...]


def _own_citations(data: dict[str, Any]) -> list[str]:
    """The reference keys one rule cites itself: `reference`, `source` or `source.reference`."""
    cited = [data[f] for f in ("reference", "source") if isinstance(data.get(f), str)]
    source = data.get("source")
    if isinstance(source, dict) and isinstance(source.get("reference"), str):
        cited.append(source["reference"])
    references = data.get("references")
    if isinstance(references, list):
        cited += [ref for ref in references if isinstance(ref, str)]
    return cited


def _serious_rules(
    data: Any, path: DataPath = (), inherited: tuple[str, ...] = ()
) -> Iterator[tuple[DataPath, str, list[str]]]:
    """(path, urgency, cited keys) for every emergency or same-day rule in dumped data.

    A pain band's outcome cites nothing itself; it rests on the chosen published option.
    """
    if isinstance(data, dict):
        if data.get("urgency") in SERIOUS_URGENCIES:
            yield path, data["urgency"], _own_citations(data) or list(inherited)
        if isinstance(data.get("options"), list) and isinstance(data.get("chosen"), str):
            chosen = [o for o in data["options"] if o.get("key") == data["chosen"]]
            inherited = tuple(_own_citations(chosen[0])) if chosen else inherited
        for key, value in data.items():
            if isinstance(value, dict | list):
                yield from _serious_rules(value, (*path, key), inherited)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _serious_rules(item, (*path, i), inherited)


def _places(book: Handbook) -> Iterator[tuple[str, str, DataPath, str, list[str]]]:
    """(origin kind, record key, path, urgency, cited keys) across conditions and calculators."""
    for stem, condition in book.conditions.items():
        for i, flag in enumerate(condition.red_flags):
            if flag.urgency in SERIOUS_URGENCIES:
                yield "condition-file", stem, ("red_flags", i), flag.urgency, [flag.reference]
    for kind, attr in _KINDS:
        for key, record in getattr(book, attr).items():
            for path, urgency, cited in _serious_rules(record.model_dump(mode="json")):
                yield kind, key, path, urgency, cited


def serious_rules_cite_clinical_sources(book: Handbook, _today: date) -> Iterator[Problem]:
    for kind, key, path, urgency, cited in _places(book):
        known = [ref for ref in cited if ref in book.references]
        if len(known) < len(cited):
            continue  # an unknown key is reported by HB201 or HB207
        if any(book.references[ref].kind in CLINICAL_KINDS for ref in known):
            continue
        kinds = ", ".join(f"'{ref}' ({book.references[ref].kind})" for ref in known)
        file, line, col = book.origin(kind, key).at(*path, "urgency")
        yield Problem(
            file,
            line,
            col,
            "HB307",
            f"this {urgency.replace('_', '-')} rule cites only {kinds or 'nothing'}; cite a "
            "guideline, peer-reviewed paper or book (where none exists, the closest one, "
            "graded D: expert opinion)",
        )


def red_flag_sources_exist(book: Handbook, _today: date) -> Iterator[Problem]:
    for stem, condition in book.conditions.items():
        for i, flag in enumerate(condition.red_flags):
            origin = book.origin("condition-file", stem)
            source = book.references.get(flag.reference)
            if source is None:
                file, line, col = origin.at("red_flags", i, "reference")
                known = ", ".join(sorted(book.references)) or "none"
                yield Problem(
                    file,
                    line,
                    col,
                    "HB201",
                    f"unknown reference '{flag.reference}'; known: {known}",
                )
            elif source.grade and GRADE_STRENGTH[flag.grade] > GRADE_STRENGTH[source.grade]:
                file, line, col = origin.at("red_flags", i, "grade")
                yield Problem(
                    file,
                    line,
                    col,
                    "HB306",
                    f"grade {flag.grade} is stronger than reference '{flag.reference}' (grade "
                    f"{source.grade}); a rule cannot be surer than its source",
                )


SOURCE_RULES = (red_flag_sources_exist, serious_rules_cite_clinical_sources)
