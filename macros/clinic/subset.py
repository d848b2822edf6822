"""Turn the handbook into one clinic's copy: its numbers, and only its chosen conditions.

Everything downstream (pages, search, region lists, the red-flag index, the calculators'
catalogue and the offline precache) is derived from the handbook this returns, so a subset
here leaves the other conditions out everywhere, and no link can point at a missing page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

from macros.clinic.loader import load_clinic
from macros.clinic.model import Clinic
from macros.content.loader import PROJECT_ROOT, Handbook
from macros.content.problems import Problem


def load_clinic_for(book: Handbook, clinic_dir: Path) -> tuple[Clinic | None, list[Problem]]:
    known = {slug: condition.region for slug, condition in book.conditions.items()}
    return load_clinic(
        clinic_dir, known_conditions=known, known_regions=set(book.regions), root=PROJECT_ROOT
    )


def branded(book: Handbook, clinic: Clinic) -> Handbook:
    """A copy of the handbook with the clinic's numbers, its journal choice and only its
    conditions."""
    known = {slug: condition.region for slug, condition in book.conditions.items()}
    keep = selected_conditions(clinic, known)
    settings = book.settings.model_copy(
        update={
            "emergency_number": clinic.emergency.emergency_number,
            "urgent_number": clinic.emergency.urgent_number,
            "urgent_label": clinic.emergency.urgent_label,
            "journal": clinic.journal,
        }
    )
    return dataclasses.replace(
        book,
        settings=settings,
        conditions={slug: c for slug, c in book.conditions.items() if slug in keep},
        condition_files={s: slug for s, slug in book.condition_files.items() if slug in keep},
    )


def selected_conditions(clinic: Clinic, known_conditions: Mapping[str, str]) -> set[str]:
    """Slugs the copy shows: all without `include`, else those listed or in a listed region."""
    if clinic.include is None:
        return set(known_conditions)
    regions, slugs = set(clinic.include.regions), set(clinic.include.conditions)
    return {slug for slug, region in known_conditions.items() if slug in slugs or region in regions}
