"""Turn the handbook into one clinic's copy: its numbers, and only its chosen conditions.

Everything downstream (pages, search, region lists, the red-flag index, the calculators'
catalogue and the offline precache) is derived from the handbook this returns, so a subset
here leaves the other conditions out everywhere, and no link can point at a missing page.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from macros.clinic import Clinic, load_clinic, selected_conditions
from macros.loader import PROJECT_ROOT, Handbook
from macros.problems import Problem


def load_clinic_for(book: Handbook, clinic_dir: Path) -> tuple[Clinic | None, list[Problem]]:
    known = {slug: condition.region for slug, condition in book.conditions.items()}
    return load_clinic(
        clinic_dir, known_conditions=known, known_regions=set(book.regions), root=PROJECT_ROOT
    )


def branded(book: Handbook, clinic: Clinic) -> Handbook:
    """A copy of the handbook with the clinic's numbers and only its conditions."""
    known = {slug: condition.region for slug, condition in book.conditions.items()}
    keep = selected_conditions(clinic, known)
    settings = book.settings.model_copy(
        update={
            "emergency_number": clinic.emergency.emergency_number,
            "urgent_number": clinic.emergency.urgent_number,
            "urgent_label": clinic.emergency.urgent_label,
        }
    )
    return dataclasses.replace(
        book,
        settings=settings,
        conditions={slug: c for slug, c in book.conditions.items() if slug in keep},
        condition_files={s: slug for s, slug in book.condition_files.items() if slug in keep},
    )
