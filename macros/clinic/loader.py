"""Read and check `clinics/<id>/clinic.yml`, collecting every problem in one run.

Shape errors (missing field, unknown key, wrong type) reuse the content loader's HB1xx codes,
with field-name hints from the clinic model; the HB6xx rules in `rules.py` run on the same file.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from macros.clinic.model import (
    CLINIC_FILE,
    Clinic,
    ClinicFile,
    Colours,
    Contacts,
    Emergency,
    ExtraPage,
    Include,
)
from macros.clinic.rules import CLINIC_RULES, Checked

# The content loader's reader gives the same HB100/HB101 messages for an unreadable or bad file.
from macros.content.loader import Origin, problems_from_validation, read_yaml_file, validate_record
from macros.content.problems import Problem

_CLINIC_FIELD_NAMES = sorted(
    {
        name
        for cls in (ClinicFile, Colours, Contacts, Emergency, Include, ExtraPage)
        for name in cls.model_fields
    }
)


def _with_clinic_hint(problem: Problem, detail: Mapping[str, Any]) -> Problem:
    """The content loader suggests content field names for a typo; suggest clinic ones."""
    if detail["type"] != "extra_forbidden":
        return problem
    head = problem.message.split("; did you mean", 1)[0]
    close = difflib.get_close_matches(str(detail["loc"][-1]), _CLINIC_FIELD_NAMES, n=1)
    suggestion = f"; did you mean '{close[0]}'?" if close else ""
    return dataclasses.replace(problem, message=head + suggestion)


def _shape_problems(error: ValidationError, origin: Origin) -> Iterator[Problem]:
    # problems_from_validation yields exactly one problem per pydantic error, in order.
    details = error.errors(include_url=False)
    pairs = zip(problems_from_validation(error, origin), details, strict=True)
    return (_with_clinic_hint(problem, detail) for problem, detail in pairs)


def load_clinic(
    clinic_dir: Path,
    *,
    known_conditions: dict[str, str],
    known_regions: set[str],
    root: Path,
) -> tuple[Clinic | None, list[Problem]]:
    """Read and check `clinic_dir/clinic.yml`; the Clinic is None unless there are no problems.

    `known_conditions` maps each condition slug to its region. Problem paths are shown
    relative to `root`, as a clinic would type them (clinics/<id>/clinic.yml).
    """
    problems: list[Problem] = []
    loaded = read_yaml_file(clinic_dir / CLINIC_FILE, problems, root)
    if loaded is None:
        return None, problems
    data, origin = loaded
    shape = validate_record(ClinicFile, data, origin, problems, convert=_shape_problems)
    checked = Checked(data, origin, clinic_dir, root, known_conditions, known_regions)
    for rule in CLINIC_RULES:
        problems.extend(rule(checked))
    if shape is None or problems:
        return None, sorted(problems)
    fields = {name: getattr(shape, name) for name in ClinicFile.model_fields}
    return Clinic(**fields, id=clinic_dir.name, folder=clinic_dir.resolve()), []
