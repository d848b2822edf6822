"""Cross-file rules for the calculators' data (protocols and self-check families)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from macros.loader import Handbook
from macros.problems import Problem

CALCULATOR_RULES: tuple[Callable[[Handbook, date], Iterator[Problem]], ...] = ()
