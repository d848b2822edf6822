"""Parse the catalogue (plain JSON data built from the content YAML) into frozen dataclasses.

The catalogue is produced by `macros.catalogue.build_catalogue` after pydantic has validated
every file, so this parser only checks what the calculators rely on and reports the first
thing out of shape as a `CatalogueError`. It never reads files: callers pass the data.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from calculators.errors import CatalogueError

COLOURS = ("green", "amber", "red")
ACTIONS = ("progress", "hold", "step_back", "stop_and_see_clinician")
URGENCIES = ("soon", "same_day", "emergency")
"""Least to most urgent."""


@dataclass(frozen=True)
class RedFlag:
    id: str
    text: str
    urgency: str


@dataclass(frozen=True)
class Condition:
    slug: str
    name: str
    tissue: str
    self_check: str
    protocol: str | None
    self_managed: bool
    red_flags: tuple[RedFlag, ...]
    timeline_min_weeks: float
    timeline_max_weeks: float
    timeline_note: str | None

    def red_flag(self, flag_id: str) -> RedFlag | None:
        return next((f for f in self.red_flags if f.id == flag_id), None)


@dataclass(frozen=True)
class Source:
    reference: str
    grade: str
    note: str | None


@dataclass(frozen=True)
class Outcome:
    colour: str
    next_step: str
    levels: int
    urgency: str | None
    reason: str
    reference: str | None
    grade: str | None

    def severity(self) -> tuple[int, int, int]:
        return COLOURS.index(self.colour), ACTIONS.index(self.next_step), self.levels


@dataclass(frozen=True)
class Rule:
    id: str
    measure: str | None
    above: int | None
    sign: str | None
    trend: str | None
    outcome: Outcome


@dataclass(frozen=True)
class ZoneOption:
    key: str
    safe_max: int
    acceptable_max: int
    as_published: str
    reference: str
    grade: str

    def zone_of(self, value: int) -> str:
        if value <= self.safe_max:
            return "safe"
        return "acceptable" if value <= self.acceptable_max else "above"


@dataclass(frozen=True)
class GapDecision:
    source: str
    value: int
    zone: str
    reason: str


@dataclass(frozen=True)
class PainZones:
    measure: str
    options: tuple[ZoneOption, ...]
    chosen: str
    reason: str
    gap_decisions: tuple[GapDecision, ...]
    outcomes: Mapping[str, Outcome]
    """safe, acceptable (when the chosen option has that band) and above."""

    @property
    def chosen_option(self) -> ZoneOption:
        return next(o for o in self.options if o.key == self.chosen)


@dataclass(frozen=True)
class Ceiling:
    """An absolute limit: a value above `above` gives at least `outcome`."""

    above: int
    outcome: Outcome
    note: str | None


@dataclass(frozen=True)
class Ceilings:
    """Absolute pain limits: `pain` for during, after and next morning, `usual` for rest days.
    Each tuple runs from the lowest limit to the highest."""

    reason: str
    pain: tuple[Ceiling, ...]
    usual: tuple[Ceiling, ...]

    @staticmethod
    def highest_passed(limits: tuple[Ceiling, ...], value: int) -> Ceiling | None:
        passed = [c for c in limits if value > c.above]
        return passed[-1] if passed else None


@dataclass(frozen=True)
class FormWords:
    pain_legend: str
    signs_legend: str
    signs_help: str


@dataclass(frozen=True)
class SessionAdvice:
    action: str
    levels: int
    text: str
    reference: str
    grade: str


@dataclass(frozen=True)
class Family:
    key: str
    name: str
    summary: str
    answer_style: str
    asks_pain: bool
    signs: tuple[str, ...]
    pain_zones: PainZones | None
    ceilings: Ceilings | None
    questions: FormWords | None
    rules: tuple[Rule, ...]
    after_amber: SessionAdvice
    after_red: SessionAdvice
    references: tuple[str, ...]


@dataclass(frozen=True)
class GateReferral:
    """A failed entry test that refers instead of giving the walking build-up."""

    urgency: str
    reason: str
    source: Source


@dataclass(frozen=True)
class EntryGate:
    walk_minutes: int
    hop_test: bool
    hops: int | None
    text: str
    source: Source
    failed_walk: GateReferral | None = None
    failed_hop: GateReferral | None = None


@dataclass(frozen=True)
class WalkLevel:
    label: str
    walk_minutes: int
    weeks: int


@dataclass(frozen=True)
class Level:
    label: str
    run_minutes: int
    walk_minutes: int
    reps: tuple[int, ...]
    weeks: int | None
    note: str | None


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Schedule:
    no_back_to_back: str
    """"ladder" (walking and walk/run weeks) or "always" (continuous running weeks too)."""
    no_back_to_back_source: Source
    min_rest_days_per_week: int
    rest_day_source: Source
    pre_injury_cap_source: Source


@dataclass(frozen=True)
class TimeOff:
    tissues: tuple[str, ...]
    source: Source


@dataclass(frozen=True)
class FractureSite:
    id: str
    text: str
    high_risk: bool


@dataclass(frozen=True)
class FractureSites:
    high_risk_sites: tuple[str, ...]
    conditions: Mapping[str, tuple[FractureSite, ...]]
    clinician_led: str
    source: Source


@dataclass(frozen=True)
class Protocol:
    key: str
    name: str
    summary: str
    references: tuple[str, ...]
    grade: str
    how_encoded: str
    intended_min_days_off: int | None
    entry_gate: EntryGate
    walking_phase: tuple[WalkLevel, ...]
    walk_before_running_weeks: int
    walk_before_running_source: Source | None
    block_order: str
    min_sessions_per_week: int
    max_sessions_per_week: int
    levels: tuple[Level, ...]
    min_weeks: int | None
    min_weeks_source: Source | None
    progression: tuple[str, ...]
    schedule: Schedule
    min_time_off: TimeOff | None
    fracture_sites: FractureSites | None
    build: Build


@dataclass(frozen=True)
class Reference:
    key: str
    title: str
    authors: str
    year: int
    grade: str | None
    url: str | None

    @property
    def short(self) -> str:
        """A short citation such as "Silbernagel 2007"."""
        acronym = self.authors.rpartition("(")[2].rstrip(") ")
        if acronym.isalpha() and acronym.isupper():  # an organisation: "... (NICE)"
            return f"{acronym} {self.year}"
        first = self.authors.split(",")[0].split(" ")[0].strip("() ")
        if first and first[0].isupper() and first.lower() != "unnamed":
            return f"{first} {self.year}"
        title = self.title.split(":")[0].split("(")[0].strip()
        return f"{title} {self.year}"


@dataclass(frozen=True)
class Catalogue:
    """Everything the calculators know: conditions, protocols, self-check families, settings."""

    conditions: Mapping[str, Condition]
    protocols: Mapping[str, Protocol]
    families: Mapping[str, Family]
    references: Mapping[str, Reference]
    emergency_number: str | None
    urgent_number: str | None

    def cite(self, key: str | None) -> str:
        if key is None:
            return ""
        ref = self.references.get(key)
        return ref.short if ref else key


class _Reader:
    """Typed access to one mapping, naming the path of anything out of shape."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, Mapping):
            raise CatalogueError(where, "expected an object")
        self.data = data
        self.where = where

    def _get(self, key: str, kinds: tuple[type, ...], optional: bool) -> Any:
        if key not in self.data or self.data[key] is None:
            if optional:
                return None
            raise CatalogueError(f"{self.where}.{key}", "missing")
        value = self.data[key]
        if isinstance(value, bool) and bool not in kinds:
            raise CatalogueError(f"{self.where}.{key}", "expected a number, got true/false")
        if not isinstance(value, kinds):
            names = " or ".join(k.__name__ for k in kinds)
            raise CatalogueError(f"{self.where}.{key}", f"expected {names}")
        return value

    def str(self, key: str) -> str:
        return self._get(key, (str,), False)

    def opt_str(self, key: str) -> str | None:
        return self._get(key, (str,), True)

    def int(self, key: str, default: int | None = None) -> int:
        value = self._get(key, (int,), default is not None)
        return default if value is None else value

    def opt_int(self, key: str) -> int | None:
        return self._get(key, (int,), True)

    def num(self, key: str) -> float:
        return float(self._get(key, (int, float), False))

    def bool(self, key: str) -> bool:
        return self._get(key, (bool,), False)

    def choice(self, key: str, allowed: tuple[str, ...], optional: bool = False) -> Any:
        value = self._get(key, (str,), optional)
        if value is not None and value not in allowed:
            raise CatalogueError(f"{self.where}.{key}", f"expected one of {', '.join(allowed)}")
        return value

    def list(self, key: str, optional: bool = False) -> list[Any]:
        value = self._get(key, (list,), optional)
        return [] if value is None else value

    def sub(self, key: str) -> _Reader:
        return _Reader(self._get(key, (Mapping,), False), f"{self.where}.{key}")

    def opt_sub(self, key: str) -> _Reader | None:
        value = self._get(key, (Mapping,), True)
        return None if value is None else _Reader(value, f"{self.where}.{key}")

    def items(self, key: str) -> list[tuple[str, _Reader]]:
        mapping = self._get(key, (Mapping,), False)
        return [(k, _Reader(v, f"{self.where}.{key}.{k}")) for k, v in mapping.items()]

    def each(self, key: str, optional: bool = False) -> list[_Reader]:
        return [
            _Reader(v, f"{self.where}.{key}[{i}]")
            for i, v in enumerate(self.list(key, optional))
        ]

    def strings(self, key: str, optional: bool = False) -> tuple[str, ...]:
        values = self.list(key, optional)
        if not all(isinstance(v, str) for v in values):
            raise CatalogueError(f"{self.where}.{key}", "expected a list of text")
        return tuple(values)

    def ints(self, key: str) -> tuple[int, ...]:
        values = self.list(key)
        if not values or not all(type(v) is int and v >= 1 for v in values):
            raise CatalogueError(f"{self.where}.{key}", "expected a list of whole numbers >= 1")
        return tuple(values)


def _source(r: _Reader) -> Source:
    return Source(r.str("reference"), r.str("grade"), r.opt_str("note"))


def _gate_referral(r: _Reader | None) -> GateReferral | None:
    if r is None:
        return None
    return GateReferral(r.choice("urgency", URGENCIES), r.str("reason"), _source(r.sub("source")))


def _outcome(r: _Reader, reference: str | None, grade: str | None) -> Outcome:
    outcome = Outcome(
        colour=r.choice("colour", COLOURS),
        next_step=r.choice("next_step", ACTIONS),
        levels=r.int("levels", 0),
        urgency=r.choice("urgency", URGENCIES, optional=True),
        reason=r.str("reason"),
        reference=reference,
        grade=grade,
    )
    if (outcome.colour == "red") != (outcome.urgency is not None):
        raise CatalogueError(r.where, "urgency is required exactly when the colour is red")
    return outcome


def _zone_outcome(r: _Reader, option: ZoneOption) -> Outcome:
    source = r.opt_sub("source")
    if source is not None:
        return _outcome(r, source.str("reference"), source.str("grade"))
    return _outcome(r, option.reference, option.grade)


def _ceiling_list(r: _Reader, key: str, optional: bool = False) -> tuple[Ceiling, ...]:
    limits = tuple(
        Ceiling(c.int("above"), _outcome(c, c.str("reference"), c.str("grade")), c.opt_str("note"))
        for c in r.each(key, optional)
    )
    if not limits and not optional:
        raise CatalogueError(f"{r.where}.{key}", "needs at least one limit")
    if any(c.outcome.colour == "green" for c in limits):
        raise CatalogueError(f"{r.where}.{key}", "a ceiling is never green")
    if any(b.above <= a.above for a, b in pairwise(limits)):
        raise CatalogueError(f"{r.where}.{key}", "limits must run from lowest to highest")
    return limits


def _ceilings(r: _Reader | None) -> Ceilings | None:
    if r is None:
        return None
    return Ceilings(r.str("reason"), _ceiling_list(r, "pain"),
                    _ceiling_list(r, "usual", optional=True))


def _form_words(r: _Reader | None) -> FormWords | None:
    if r is None:
        return None
    return FormWords(r.str("pain_legend"), r.str("signs_legend"), r.str("signs_help"))


def _family(key: str, r: _Reader) -> Family:
    zones = None
    z = r.opt_sub("pain_zones")
    if z is not None:
        options = tuple(
            ZoneOption(
                o.str("key"), o.int("safe_max"), o.int("acceptable_max"),
                o.str("as_published"), o.str("reference"), o.str("grade"),
            )
            for o in z.each("options")
        )
        chosen = z.str("chosen")
        option = next((o for o in options if o.key == chosen), None)
        if option is None:
            raise CatalogueError(f"{z.where}.chosen", f"'{chosen}' is not one of the options")
        outcomes = {"safe": _zone_outcome(z.sub("safe"), option),
                    "above": _zone_outcome(z.sub("above"), option)}
        acceptable = z.opt_sub("acceptable")
        if acceptable is not None:
            outcomes["acceptable"] = _zone_outcome(acceptable, option)
        elif option.acceptable_max > option.safe_max:
            raise CatalogueError(f"{z.where}.acceptable", "missing")
        zones = PainZones(
            measure=z.str("measure"),
            options=options,
            chosen=chosen,
            reason=z.str("reason"),
            gap_decisions=tuple(
                GapDecision(g.str("source"), g.int("value"), g.str("zone"), g.str("reason"))
                for g in z.each("gap_decisions", optional=True)
            ),
            outcomes=outcomes,
        )
    rules = []
    for rr in r.each("rules"):
        when = rr.sub("when")
        rules.append(Rule(
            id=rr.str("id"),
            measure=when.opt_str("measure"),
            above=when.opt_int("above"),
            sign=when.opt_str("sign"),
            trend=when.opt_str("trend"),
            outcome=_outcome(rr, rr.str("reference"), rr.str("grade")),
        ))
    return Family(
        key=key,
        name=r.str("name"),
        summary=r.str("summary"),
        answer_style=r.choice("answer_style", ("scale", "yes_no")),
        asks_pain=r.bool("asks_pain"),
        signs=r.strings("signs"),
        pain_zones=zones,
        ceilings=_ceilings(r.opt_sub("ceilings")),
        questions=_form_words(r.opt_sub("questions")),
        rules=tuple(rules),
        after_amber=_advice(r.sub("after_amber")),
        after_red=_advice(r.sub("after_red")),
        references=r.strings("references"),
    )


def _advice(r: _Reader) -> SessionAdvice:
    return SessionAdvice(
        r.str("action"), r.int("levels", 0), r.str("text"), r.str("reference"), r.str("grade")
    )


def _sites_by_condition(r: _Reader) -> dict[str, tuple[FractureSite, ...]]:
    conditions = r.sub("conditions")
    return {
        slug: tuple(FractureSite(s.str("id"), s.str("text"), s.bool("high_risk"))
                    for s in conditions.each(slug))
        for slug in conditions.data
    }


def _protocol(key: str, r: _Reader) -> Protocol:
    gate = r.sub("entry_gate")
    b = r.sub("build")
    levels = tuple(
        Level(
            label=lv.str("label"),
            run_minutes=lv.int("run_minutes"),
            walk_minutes=lv.int("walk_minutes"),
            reps=lv.ints("reps"),
            weeks=lv.opt_int("weeks"),
            note=lv.opt_str("note"),
        )
        for lv in r.each("levels")
    )
    if not levels:
        raise CatalogueError(f"{r.where}.levels", "needs at least one level")
    sched = r.sub("schedule")
    time_off = r.opt_sub("min_time_off")
    sites = r.opt_sub("fracture_sites")
    walk_src = r.opt_sub("walk_before_running_source")
    min_src = r.opt_sub("min_weeks_source")
    protocol = Protocol(
        key=key,
        name=r.str("name"),
        summary=r.str("summary"),
        references=r.strings("references"),
        grade=r.str("grade"),
        how_encoded=r.str("how_encoded"),
        intended_min_days_off=r.opt_int("intended_min_days_off"),
        entry_gate=EntryGate(
            gate.int("walk_minutes"), gate.bool("hop_test"), gate.opt_int("hops"),
            gate.str("text"), _source(gate.sub("source")),
            _gate_referral(gate.opt_sub("failed_walk")),
            _gate_referral(gate.opt_sub("failed_hop")),
        ),
        walking_phase=tuple(
            WalkLevel(w.str("label"), w.int("walk_minutes"), w.int("weeks", 1))
            for w in r.each("walking_phase")
        ),
        walk_before_running_weeks=r.int("walk_before_running_weeks", 0),
        walk_before_running_source=_source(walk_src) if walk_src else None,
        block_order=r.choice("block_order", ("run_walk", "walk_run")),
        min_sessions_per_week=r.int("min_sessions_per_week"),
        max_sessions_per_week=r.int("max_sessions_per_week"),
        levels=levels,
        min_weeks=r.opt_int("min_weeks"),
        min_weeks_source=_source(min_src) if min_src else None,
        progression=r.strings("progression"),
        schedule=Schedule(
            no_back_to_back=sched.choice("no_back_to_back", ("ladder", "always")),
            no_back_to_back_source=_source(sched.sub("no_back_to_back_source")),
            min_rest_days_per_week=sched.int("min_rest_days_per_week"),
            rest_day_source=_source(sched.sub("rest_day_source")),
            pre_injury_cap_source=_source(sched.sub("pre_injury_cap_source")),
        ),
        min_time_off=None if time_off is None else TimeOff(
            time_off.strings("tissues"), _source(time_off.sub("source"))
        ),
        fracture_sites=None if sites is None else FractureSites(
            high_risk_sites=sites.strings("high_risk_sites"),
            conditions=_sites_by_condition(sites),
            clinician_led=sites.str("clinician_led"),
            source=_source(sites.sub("source")),
        ),
        build=Build(
            weekly_cap_percent=b.int("weekly_cap_percent"),
            weekly_cap_label=b.str("weekly_cap_label"),
            weekly_cap_source=_source(b.sub("weekly_cap_source")),
            session_cap_percent=b.int("session_cap_percent"),
            session_window_days=b.int("session_window_days"),
            new_longest_per_week=b.int("new_longest_per_week"),
            session_cap_source=_source(b.sub("session_cap_source")),
            cutback_every_weeks=b.int("cutback_every_weeks"),
            cutback_percent=b.int("cutback_percent"),
            cutback_source=_source(b.sub("cutback_source")),
            intensity_from_percent=b.int("intensity_from_percent"),
            intensity_source=_source(b.sub("intensity_source")),
            default_easy_pace_min_per_km=b.num("default_easy_pace_min_per_km"),
            pace_source=_source(b.sub("pace_source")),
        ),
    )
    last = levels[-1]
    if last.walk_minutes != 0 or last.reps[-1] != 1:
        raise CatalogueError(f"{r.where}.levels", "the last level must be continuous running")
    if not 1 <= protocol.min_sessions_per_week <= protocol.max_sessions_per_week <= 3:
        raise CatalogueError(r.where, "sessions per week must satisfy 1 <= min <= max <= 3")
    if not protocol.walking_phase:
        raise CatalogueError(f"{r.where}.walking_phase", "needs at least one level")
    return protocol


def _condition(slug: str, r: _Reader) -> Condition:
    return Condition(
        slug=slug,
        name=r.str("name"),
        tissue=r.str("tissue"),
        self_check=r.str("self_check"),
        protocol=r.opt_str("protocol"),
        self_managed=r.bool("self_managed"),
        red_flags=tuple(
            RedFlag(f.str("id"), f.str("text"), f.choice("urgency", URGENCIES))
            for f in r.each("red_flags")
        ),
        timeline_min_weeks=r.sub("timeline").num("min_weeks"),
        timeline_max_weeks=r.sub("timeline").num("max_weeks"),
        timeline_note=r.sub("timeline").opt_str("note"),
    )


def load_catalogue(data: Mapping[str, Any]) -> Catalogue:
    """Turn catalogue data (as produced by `python -m macros catalogue`) into dataclasses."""
    root = _Reader(data, "catalogue")
    settings = root.sub("settings")
    catalogue = Catalogue(
        conditions={slug: _condition(slug, r) for slug, r in root.items("conditions")},
        protocols={key: _protocol(key, r) for key, r in root.items("protocols")},
        families={key: _family(key, r) for key, r in root.items("self_checks")},
        references={
            key: Reference(key, r.str("title"), r.str("authors"), r.int("year"),
                           r.opt_str("grade"), r.opt_str("url"))
            for key, r in root.items("references")
        },
        emergency_number=settings.opt_str("emergency_number"),
        urgent_number=settings.opt_str("urgent_number"),
    )
    for condition in catalogue.conditions.values():
        if condition.self_check not in catalogue.families:
            raise CatalogueError(f"catalogue.conditions.{condition.slug}.self_check",
                                 f"unknown self-check family '{condition.self_check}'")
        if condition.protocol is not None and condition.protocol not in catalogue.protocols:
            raise CatalogueError(f"catalogue.conditions.{condition.slug}.protocol",
                                 f"unknown protocol '{condition.protocol}'")
    for key, protocol in catalogue.protocols.items():
        for slug in protocol.fracture_sites.conditions if protocol.fracture_sites else ():
            known = catalogue.conditions.get(slug)
            if known is not None and known.protocol != key:
                raise CatalogueError(f"catalogue.protocols.{key}.fracture_sites.conditions",
                                     f"'{slug}' does not use this protocol")
    return catalogue


def parse_catalogue_json(text: str) -> Catalogue:
    """Parse catalogue JSON text; bad JSON is reported as a `CatalogueError` too."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise CatalogueError("json", f"not valid JSON: {exc}") from None
    return load_catalogue(data)
