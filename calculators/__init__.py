"""Return-to-run calculators: a traffic-light self-check and a return-to-run plan.

Standard library only, no I/O and no clock in the engines, so the same code runs on CPython
and in the browser under Pyodide. The JSON boundary is `calculators.bridge`.
"""

from __future__ import annotations

from calculators.bridge import Bridge, call, configure
from calculators.catalogue import Catalogue, load_catalogue, parse_catalogue_json
from calculators.defaults import default_plan
from calculators.errors import CatalogueError, FieldError, InputError
from calculators.plan import build_plan
from calculators.self_check import describe_rules, run_self_check

__all__ = [
    "Bridge",
    "Catalogue",
    "CatalogueError",
    "FieldError",
    "InputError",
    "build_plan",
    "call",
    "configure",
    "default_plan",
    "describe_rules",
    "load_catalogue",
    "parse_catalogue_json",
    "run_self_check",
]
