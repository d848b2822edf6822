"""The catalogue's data classes, written once, and one reader from plain JSON data.

The catalogue is the content the calculators need, built by `macros.browser.catalogue` after
pydantic
has validated every file. Each class here has exactly the fields of its pydantic model in
`macros/content/calculator_model.py` (a test keeps them in step), so the reader needs no per-class
code: it
follows the type hints. It checks types and words (a value out of shape is a `CatalogueError`
naming its path) and the references between parts of the catalogue that no single pydantic
model can see; the value rules (ordered limits, red means urgent...) are pydantic's. It never
reads files: callers pass the data.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Mapping
from dataclasses import MISSING, Field, dataclass, field, fields, is_dataclass
from functools import cached_property
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

from calculators.errors import CatalogueError
from calculators.vocabulary import (
    COLOURS,
    NEXT_STEPS,
    AnswerStyle,
    BackToBack,
    BlockOrder,
    Colour,
    Grade,
    Measure,
    NextStep,
    SessionAction,
    Sign,
    Urgency,
    Zone,
)

FROM_KEY = "from_key"
"""Field metadata: the field holds the key its object is filed under, not a value inside it."""


def _filed_key() -> Any:
    return field(metadata={FROM_KEY: True})


@dataclass(frozen=True, kw_only=True)
class Source:
    reference: str
    grade: Grade
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class RedFlag:
    id: str
    text: str
    urgency: Urgency
    reference: str
    grade: Grade
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Timeline:
    min_weeks: float
    max_weeks: float
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Condition:
    """A condition's calculator facts: `self_check`, `protocol` and `timeline` come from its
    `return_to_run` (the family resolved through the tissue when the page names none)."""

    slug: str
    name: str
    tissue: str
    self_check: str
    protocol: str | None
    self_managed: bool
    red_flags: tuple[RedFlag, ...]
    timeline: Timeline

    def red_flag(self, flag_id: str) -> RedFlag | None:
        return next((f for f in self.red_flags if f.id == flag_id), None)


@dataclass(frozen=True, kw_only=True)
class Outcome:
    colour: Colour
    next_step: NextStep
    levels: int = 0
    urgency: Urgency | None = None
    reason: str

    def severity(self) -> tuple[int, int, int]:
        return COLOURS.index(self.colour), NEXT_STEPS.index(self.next_step), self.levels


@dataclass(frozen=True, kw_only=True)
class ZoneOutcome(Outcome):
    source: Source | None = None


@dataclass(frozen=True, kw_only=True)
class When:
    measure: Measure | None = None
    above: int | None = None
    sign: Sign | None = None
    trend: Literal["worse"] | None = None


@dataclass(frozen=True, kw_only=True)
class Rule(Outcome):
    id: str
    when: When
    reference: str
    grade: Grade


@dataclass(frozen=True, kw_only=True)
class Ceiling(Outcome):
    """An absolute limit: a value above `above` gives at least this outcome."""

    above: int
    reference: str
    grade: Grade
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Ceilings:
    """Absolute pain limits: `pain` for during, after and next morning, `usual` for rest days.
    Each tuple runs from the lowest limit to the highest."""

    reason: str
    pain: tuple[Ceiling, ...]
    usual: tuple[Ceiling, ...] = ()

    @staticmethod
    def highest_passed(limits: tuple[Ceiling, ...], value: int) -> Ceiling | None:
        passed = [c for c in limits if value > c.above]
        return passed[-1] if passed else None


@dataclass(frozen=True, kw_only=True)
class GapDecision:
    source: str
    value: int
    zone: Zone
    reason: str


@dataclass(frozen=True, kw_only=True)
class ZoneOption:
    key: str
    safe_max: int
    acceptable_max: int
    as_published: str
    reference: str
    grade: Grade


@dataclass(frozen=True, kw_only=True)
class PainZones:
    measure: Measure
    options: tuple[ZoneOption, ...]
    chosen: str
    reason: str
    gap_decisions: tuple[GapDecision, ...] = ()
    safe: ZoneOutcome
    acceptable: ZoneOutcome | None = None
    above: ZoneOutcome

    @property
    def chosen_option(self) -> ZoneOption:
        return next(o for o in self.options if o.key == self.chosen)

    def outcome(self, zone: Zone) -> ZoneOutcome:
        """The outcome of one band; the reader makes sure the chosen option's bands all have one."""
        found = {"safe": self.safe, "acceptable": self.acceptable, "above": self.above}[zone]
        assert found is not None, zone
        return found


@dataclass(frozen=True, kw_only=True)
class FormWords:
    pain_legend: str
    signs_legend: str
    signs_help: str


@dataclass(frozen=True, kw_only=True)
class SessionAdvice:
    action: SessionAction
    levels: int = 0
    text: str
    reference: str
    grade: Grade


@dataclass(frozen=True, kw_only=True)
class Family:
    """One self-check family (pydantic: `SelfCheckFamily`)."""

    key: str = _filed_key()
    name: str
    summary: str
    answer_style: AnswerStyle
    asks_pain: bool
    signs: tuple[Sign, ...]
    pain_zones: PainZones | None = None
    ceilings: Ceilings | None = None
    questions: FormWords | None = None
    rules: tuple[Rule, ...]
    after_amber: SessionAdvice
    after_red: SessionAdvice
    references: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class GateReferral:
    """A failed entry test that refers instead of giving the walking build-up."""

    urgency: Urgency
    reason: str
    source: Source


@dataclass(frozen=True, kw_only=True)
class EntryGate:
    walk_minutes: int
    hop_test: bool
    hops: int | None = None
    text: str
    source: Source
    failed_walk: GateReferral | None = None
    failed_hop: GateReferral | None = None


@dataclass(frozen=True, kw_only=True)
class WalkLevel:
    label: str
    walk_minutes: int
    weeks: int = 1


@dataclass(frozen=True, kw_only=True)
class Level:
    label: str
    run_minutes: int
    walk_minutes: int
    reps: tuple[int, ...]
    weeks: int | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Build:
    weekly_cap_percent: int
    weekly_cap_label: str
    weekly_cap_source: Source
    session_cap_percent: int
    session_window_days: int
    new_longest_per_week: int
    session_cap_source: Source
    cutback_every_weeks: int
    cutback_percent: int
    cutback_source: Source
    intensity_from_percent: int
    intensity_source: Source
    default_easy_pace_min_per_km: float
    pace_source: Source


@dataclass(frozen=True, kw_only=True)
class Schedule:
    no_back_to_back: BackToBack
    """"ladder" (walking and walk/run weeks) or "always" (continuous running weeks too)."""
    no_back_to_back_source: Source
    min_rest_days_per_week: int
    rest_day_source: Source
    pre_injury_cap_source: Source


@dataclass(frozen=True, kw_only=True)
class TimeOff:
    tissues: tuple[str, ...]
    source: Source


@dataclass(frozen=True, kw_only=True)
class FractureSite:
    id: str
    text: str
    high_risk: bool


@dataclass(frozen=True, kw_only=True)
class FractureSites:
    high_risk_sites: tuple[str, ...]
    conditions: Mapping[str, tuple[FractureSite, ...]]
    clinician_led: str
    source: Source


@dataclass(frozen=True, kw_only=True)
class TrendRule:
    window_days: int
    min_days: int
    worse_by: int
    reason: str
    source: Source


@dataclass(frozen=True, kw_only=True)
class MissedDays:
    more_than_days: int
    levels: int
    reason: str
    source: Source


@dataclass(frozen=True, kw_only=True)
class JournalRules:
    trend: TrendRule
    missed: tuple[MissedDays, ...]


@dataclass(frozen=True, kw_only=True)
class Protocol:
    key: str = _filed_key()
    name: str
    summary: str
    references: tuple[str, ...]
    grade: Grade
    how_encoded: str
    intended_min_days_off: int | None = None
    entry_gate: EntryGate
    walking_phase: tuple[WalkLevel, ...]
    walk_before_running_weeks: int = 0
    walk_before_running_source: Source | None = None
    block_order: BlockOrder
    min_sessions_per_week: int
    max_sessions_per_week: int
    levels: tuple[Level, ...]
    min_weeks: int | None = None
    min_weeks_source: Source | None = None
    progression: tuple[str, ...]
    schedule: Schedule
    min_time_off: TimeOff | None = None
    fracture_sites: FractureSites | None = None
    build: Build
    journal: JournalRules


@dataclass(frozen=True, kw_only=True)
class Reference:
    key: str = _filed_key()
    title: str
    authors: str
    year: int
    grade: Grade | None = None
    url: str | None = None

    @cached_property
    def short(self) -> str:
        """A short citation such as "Silbernagel 2007" (worked out once: plans cite often)."""
        acronym = self.authors.rpartition("(")[2].rstrip(") ")
        if acronym.isalpha() and acronym.isupper():  # an organisation: "... (NICE)"
            return f"{acronym} {self.year}"
        first = self.authors.split(",")[0].split(" ")[0].strip("() ")
        if first and first[0].isupper() and first.lower() != "unnamed":
            return f"{first} {self.year}"
        title = self.title.split(":")[0].split("(")[0].strip()
        return f"{title} {self.year}"


@dataclass(frozen=True, kw_only=True)
class Settings:
    emergency_number: str | None = None
    urgent_number: str | None = None


@dataclass(frozen=True, kw_only=True)
class Catalogue:
    """Everything the calculators know: conditions, protocols, self-check families, settings."""

    version: int
    settings: Settings
    conditions: Mapping[str, Condition]
    protocols: Mapping[str, Protocol]
    self_checks: Mapping[str, Family]
    references: Mapping[str, Reference]

    def cite(self, key: str | None) -> str:
        if key is None:
            return ""
        ref = self.references.get(key)
        return ref.short if ref else key


# ---- the reader ----------------------------------------------------------------------------

T = TypeVar("T")
_SCALARS: dict[type, str] = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
}


_SHAPES: dict[type[Any], tuple[tuple[Field[Any], Any], ...]] = {}


def _shape(cls: type[Any]) -> tuple[tuple[Field[Any], Any], ...]:
    """A dataclass's fields with their resolved type hints (the annotations are strings),
    worked out once per class: resolving hints is most of the reader's cost."""
    if cls not in _SHAPES:
        hints = typing.get_type_hints(cls)
        _SHAPES[cls] = tuple((f, hints[f.name]) for f in fields(cls))
    return _SHAPES[cls]


def read(cls: type[T], data: Any, where: str, key: str | None = None) -> T:
    """One dataclass from plain data, by its type hints; `key` fills a `FROM_KEY` field."""
    if not isinstance(data, Mapping):
        raise CatalogueError(where, "expected an object")
    shape = _shape(cls)
    unknown = sorted(str(name) for name in data if name not in {f.name for f, _ in shape})
    if unknown:
        raise CatalogueError(f"{where}.{unknown[0]}", "unknown field")
    values: dict[str, Any] = {}
    for f, hint in shape:
        if f.metadata.get(FROM_KEY):
            values[f.name] = key
            continue
        here = f"{where}.{f.name}"
        value = data.get(f.name)
        if value is None:
            if _allows_none(hint):
                values[f.name] = None
            elif f.default is not MISSING:
                values[f.name] = f.default
            else:
                raise CatalogueError(here, "missing")
            continue
        values[f.name] = _value(hint, value, here)
    return cls(**values)


def read_value(hint: Any, value: Any, where: str) -> Any:
    """A value of type `hint` (a dataclass, mapping, tuple...) from plain data."""
    return _value(hint, value, where)


def _allows_none(hint: Any) -> bool:
    return _is_union(hint) and type(None) in get_args(hint)


def _is_union(hint: Any) -> bool:
    return get_origin(hint) in (Union, types.UnionType)


def _value(hint: Any, value: Any, where: str, key: str | None = None) -> Any:
    origin = get_origin(hint)
    if _is_union(hint):
        (arm,) = [a for a in get_args(hint) if a is not type(None)]
        return _value(arm, value, where, key)
    if origin is Literal:
        words = get_args(hint)
        if value not in words or not isinstance(value, str):
            raise CatalogueError(where, f"expected one of {', '.join(words)}")
        return value
    if origin is tuple:
        if not isinstance(value, list):
            raise CatalogueError(where, "expected a list")
        item = get_args(hint)[0]
        return tuple(_value(item, v, f"{where}[{i}]") for i, v in enumerate(value))
    if origin is Mapping:
        if not isinstance(value, Mapping):
            raise CatalogueError(where, "expected an object")
        item = get_args(hint)[1]
        return {str(k): _value(item, v, f"{where}.{k}", str(k)) for k, v in value.items()}
    if isinstance(hint, type) and is_dataclass(hint):
        return read(hint, value, where, key)
    if hint in _SCALARS:
        ok = (isinstance(value, hint) or (hint is float and isinstance(value, int))) and (
            hint is bool or not isinstance(value, bool)
        )
        if not ok:
            raise CatalogueError(where, f"expected {_SCALARS[hint]}")
        return float(value) if hint is float else value
    raise TypeError(f"{where}: the reader has no rule for {hint!r}")  # a new field's type


# ---- what no single pydantic model can see ---------------------------------------------------


def check_references(catalogue: Catalogue) -> None:
    for slug, condition in catalogue.conditions.items():
        where = f"catalogue.conditions.{slug}"
        if condition.self_check not in catalogue.self_checks:
            raise CatalogueError(
                f"{where}.self_check", f"unknown self-check family '{condition.self_check}'"
            )
        if condition.protocol is not None and condition.protocol not in catalogue.protocols:
            raise CatalogueError(f"{where}.protocol", f"unknown protocol '{condition.protocol}'")
    for key, family in catalogue.self_checks.items():
        zones = family.pain_zones
        if zones is None:
            continue
        where = f"catalogue.self_checks.{key}.pain_zones"
        option = next((o for o in zones.options if o.key == zones.chosen), None)
        if option is None:
            raise CatalogueError(f"{where}.chosen", f"'{zones.chosen}' is not one of the options")
        if option.acceptable_max > option.safe_max and zones.acceptable is None:
            raise CatalogueError(f"{where}.acceptable", "missing: the chosen option has that band")
    for key, protocol in catalogue.protocols.items():
        for slug in protocol.fracture_sites.conditions if protocol.fracture_sites else ():
            known = catalogue.conditions.get(slug)
            if known is not None and known.protocol != key:
                raise CatalogueError(
                    f"catalogue.protocols.{key}.fracture_sites.conditions",
                    f"'{slug}' does not use this protocol",
                )


def load_catalogue(data: Mapping[str, Any]) -> Catalogue:
    """Turn catalogue data (as produced by `python -m macros catalogue`) into dataclasses."""
    catalogue = read(Catalogue, data, "catalogue")
    check_references(catalogue)
    return catalogue


def parse_catalogue_json(text: str) -> Catalogue:
    """Parse catalogue JSON text; bad JSON is reported as a `CatalogueError` too."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise CatalogueError("json", f"not valid JSON: {exc}") from None
    return load_catalogue(data)
