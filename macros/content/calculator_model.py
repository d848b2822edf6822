"""Models for the calculators' data: return-to-run protocols and self-check families.

Shape and single-file consistency only. Whether a reference key exists, or a threshold's
grade is stronger than its source's, is checked across files in `macros/lint/calculator_rules.py`.
The calculators (`calculators/`) never import this module (they run in the browser without
pydantic): `macros/browser/catalogue.py` dumps these models and `calculators/catalogue.py` reads the
dump into dataclasses with the same fields (site_tests/calculators/test_calc_data_shape.py).
The word lists both sides use live in `calculators/vocabulary.py`.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Literal

from pydantic import Field, model_validator

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
    zone_of,
)
from macros.content.model import Key, StrictModel, Text


class Source(StrictModel):
    """A number's source."""

    reference: Key
    grade: Grade
    note: Text | None = None


class Outcome(StrictModel):
    """What a matched rule says: a colour, the next step and the reason in plain words."""

    colour: Colour
    next_step: NextStep
    levels: int = Field(default=0, ge=0, le=5, description="Levels to step back (step_back).")
    urgency: Urgency | None = Field(
        default=None, description="Required when red: how soon to see a clinician."
    )
    reason: Text = Field(description="Plain words, shown to the runner as the reason.")

    @model_validator(mode="after")
    def _consistent(self) -> Outcome:
        if (self.next_step == "step_back") != (self.levels > 0):
            raise ValueError("levels must be 1 or more exactly when next_step is step_back")
        if (self.colour == "red") != (self.next_step == "stop_and_see_clinician"):
            raise ValueError("red, and only red, means stop_and_see_clinician")
        if (self.colour == "red") != (self.urgency is not None):
            raise ValueError("urgency is required when red and not allowed otherwise")
        if self.colour == "green" and self.next_step not in ("progress", "hold"):
            raise ValueError("green can only progress or hold")
        return self

    def severity(self) -> tuple[int, int, int]:
        return COLOURS.index(self.colour), NEXT_STEPS.index(self.next_step), self.levels


class ZoneOutcome(Outcome):
    """A pain band's outcome. A step back names its source, since the level count is a rule."""

    source: Source | None = None

    @model_validator(mode="after")
    def _sourced(self) -> ZoneOutcome:
        if self.next_step == "step_back" and self.source is None:
            raise ValueError("a step back needs a source (reference and grade)")
        return self


class When(StrictModel):
    """One condition: a measure above a number, a sign ticked, or a trend."""

    measure: Measure | None = None
    above: int | None = Field(default=None, ge=-10, le=10)
    sign: Sign | None = None
    trend: Literal["worse"] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> When:
        kinds = [self.measure is not None, self.sign is not None, self.trend is not None]
        if sum(kinds) != 1:
            raise ValueError("give exactly one of measure (with above), sign or trend")
        if (self.measure is None) != (self.above is None):
            raise ValueError("measure and above go together")
        return self


class Rule(Outcome):
    """A traffic-light rule with its source. Every threshold carries a reference and grade."""

    id: Key
    when: When
    reference: Key
    grade: Grade


class Ceiling(Outcome):
    """An absolute limit: a value above `above` gives at least this outcome, whatever else."""

    above: int = Field(ge=0, le=9)
    reference: Key
    grade: Grade
    note: Text | None = Field(default=None, description="Why this number, when it is a judgement.")


class Ceilings(StrictModel):
    """Absolute pain limits. `pain` applies to each of during, after and the next morning;
    `usual` to the rest-day level. No rule can turn an answer above a limit back into green."""

    reason: Text
    pain: list[Ceiling] = Field(min_length=1)
    usual: list[Ceiling] = Field(
        default_factory=list, description="Required on a 0-10 scale; a yes/no check has none."
    )

    @model_validator(mode="after")
    def _ordered(self) -> Ceilings:
        for name, limits in (("pain", self.pain), ("usual", self.usual)):
            if any(c.colour == "green" for c in limits):
                raise ValueError(f"{name}: a ceiling is never green")
            for lower, higher in pairwise(limits):
                if higher.above <= lower.above:
                    raise ValueError(f"{name}: list the limits from lowest to highest")
                if higher.severity() < lower.severity():
                    raise ValueError(f"{name}: a higher limit must never give a milder outcome")
        return self


class GapDecision(StrictModel):
    """A pain value a source leaves unassigned, and the zone this family puts it in."""

    source: Key = Field(description="The reference whose scale leaves the gap.")
    value: int = Field(ge=0, le=10)
    zone: Zone
    reason: Text


class ZoneOption(StrictModel):
    """One published version of the pain bands, kept even when not chosen."""

    key: Key
    safe_max: int = Field(ge=0, le=10)
    acceptable_max: int = Field(ge=0, le=10)
    as_published: Text
    reference: Key
    grade: Grade

    @model_validator(mode="after")
    def _ordered(self) -> ZoneOption:
        if self.acceptable_max < self.safe_max:
            raise ValueError("acceptable_max must not be less than safe_max")
        return self


class PainZones(StrictModel):
    """Pain bands on one measure: safe, acceptable and above, from the chosen option."""

    measure: Measure
    options: list[ZoneOption] = Field(min_length=1)
    chosen: Key
    reason: Text = Field(description="Why this option, when sources disagree.")
    gap_decisions: list[GapDecision] = Field(default_factory=list)
    safe: ZoneOutcome
    acceptable: ZoneOutcome | None = None
    above: ZoneOutcome

    def chosen_option(self) -> ZoneOption:
        return next(o for o in self.options if o.key == self.chosen)

    @model_validator(mode="after")
    def _consistent(self) -> PainZones:
        keys = [o.key for o in self.options]
        if len(set(keys)) != len(keys):
            raise ValueError("option keys must be unique")
        if self.chosen not in keys:
            raise ValueError(f"chosen '{self.chosen}' is not one of the options: {keys}")
        option = self.chosen_option()
        if option.acceptable_max > option.safe_max and self.acceptable is None:
            raise ValueError("the chosen option has an acceptable band, so give its outcome")
        ladder = [self.safe, *([self.acceptable] if self.acceptable else []), self.above]
        for lower, higher in pairwise(ladder):
            if higher.severity() < lower.severity():
                raise ValueError("a higher pain band must never give a milder outcome")
        for gap in self.gap_decisions:
            zone = zone_of(option.safe_max, option.acceptable_max, gap.value)
            if zone != gap.zone:
                raise ValueError(
                    f"gap decision puts {gap.value}/10 in '{gap.zone}' but the chosen option "
                    f"puts it in '{zone}'"
                )
        return self


class SessionAdvice(StrictModel):
    """What the plan tells the runner to do after an amber or red session."""

    action: SessionAction
    levels: int = Field(default=0, ge=0, le=5)
    text: Text
    reference: Key
    grade: Grade

    @model_validator(mode="after")
    def _levels(self) -> SessionAdvice:
        if (self.action == "step_back") != (self.levels > 0):
            raise ValueError("levels must be 1 or more exactly when action is step_back")
        return self


class FormWords(StrictModel):
    """The form's own words for a family whose questions are not about a sore spot (nerve)."""

    pain_legend: Text
    signs_legend: Text
    signs_help: Text


class SelfCheckFamily(StrictModel):
    """content/self-check/<key>.yml: the traffic-light rules for one kind of tissue."""

    name: Text
    summary: Text
    answer_style: AnswerStyle = Field(
        description="yes_no: ask 'any pain?' rather than a 0-10 number (bone)."
    )
    asks_pain: bool = Field(description="Whether the check asks the 0-10 pain questions.")
    signs: list[Sign] = Field(description="The yes/no signs this check asks, in order.")
    pain_zones: PainZones | None = None
    ceilings: Ceilings | None = Field(
        default=None, description="Required when the check asks pain: the absolute limits."
    )
    questions: FormWords | None = None
    rules: list[Rule] = Field(min_length=1)
    after_amber: SessionAdvice
    after_red: SessionAdvice
    references: list[Key] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> SelfCheckFamily:
        ids = [r.id for r in self.rules]
        if len(set(ids)) != len(ids):
            raise ValueError("rule ids must be unique")
        if len(set(self.signs)) != len(self.signs):
            raise ValueError("signs must not repeat")
        for rule in self.rules:
            if rule.when.sign is not None and rule.when.sign not in self.signs:
                raise ValueError(f"rule '{rule.id}' uses sign '{rule.when.sign}' not in signs")
            if rule.when.measure is not None and not self.asks_pain:
                raise ValueError(f"rule '{rule.id}' uses a pain measure but asks_pain is false")
        if self.pain_zones is not None and not self.asks_pain:
            raise ValueError("pain_zones needs asks_pain: true")
        if (self.ceilings is not None) != self.asks_pain:
            raise ValueError("give ceilings exactly when asks_pain is true")
        if self.ceilings is not None and self.answer_style == "scale" and not self.ceilings.usual:
            raise ValueError("ceilings.usual is required on a 0-10 scale: high usual pain counts")
        if self.after_red.action != "stop_and_see_clinician":
            raise ValueError("after_red must be stop_and_see_clinician")
        return self


class GateReferral(StrictModel):
    """A failed entry test that is a warning sign in itself: no walking plan, a referral."""

    urgency: Urgency
    reason: Text = Field(description="Plain words, shown to the runner as the reason.")
    source: Source


class EntryGate(StrictModel):
    walk_minutes: int = Field(ge=5, le=120, description="Pain-free brisk walking needed.")
    hop_test: bool = Field(description="Whether a pain-free hop test is also required.")
    hops: int | None = Field(default=None, ge=1, le=100)
    text: Text
    source: Source
    failed_walk: GateReferral | None = Field(
        default=None, description="When pain or a limp on walking means see a clinician."
    )
    failed_hop: GateReferral | None = Field(
        default=None, description="When pain on hopping means see a clinician."
    )

    @model_validator(mode="after")
    def _hops(self) -> EntryGate:
        if self.hop_test != (self.hops is not None):
            raise ValueError("give hops exactly when hop_test is true")
        if self.failed_hop is not None and not self.hop_test:
            raise ValueError("failed_hop needs hop_test: true")
        return self


class WalkLevel(StrictModel):
    label: Text
    walk_minutes: int = Field(ge=5, le=120)
    weeks: int = Field(default=1, ge=1, le=4)


class Level(StrictModel):
    """One rung of a walk/run ladder, copied from the published table."""

    label: Text
    run_minutes: int = Field(ge=1, le=120)
    walk_minutes: int = Field(ge=0, le=30)
    reps: list[int] = Field(
        min_length=1,
        description="Repetitions of run+walk, session by session; the last repeats to fill "
        "`weeks` when weeks is given.",
    )
    weeks: int | None = Field(
        default=None,
        ge=1,
        le=4,
        description="Lasts this many weeks at the runner's frequency; if null, lasts one "
        "session per entry in reps.",
    )
    note: Text | None = None

    @model_validator(mode="after")
    def _reps(self) -> Level:
        if any(r < 1 or r > 60 for r in self.reps):
            raise ValueError("each entry of reps must be between 1 and 60")
        return self


class Build(StrictModel):
    """From continuous running back to pre-injury volume: the guardrails, each sourced."""

    weekly_cap_percent: int = Field(ge=1, le=30)
    weekly_cap_label: Text
    weekly_cap_source: Source
    session_cap_percent: int = Field(ge=1, le=30)
    session_window_days: int = Field(ge=7, le=60)
    new_longest_per_week: int = Field(ge=1, le=3)
    session_cap_source: Source
    cutback_every_weeks: int = Field(ge=3, le=6)
    cutback_percent: int = Field(ge=5, le=50)
    cutback_source: Source
    intensity_from_percent: int = Field(ge=0, le=100)
    intensity_source: Source
    default_easy_pace_min_per_km: float = Field(ge=3, le=15)
    pace_source: Source


class Schedule(StrictModel):
    """Which days may hold a run, as the protocol itself states it: plans obey it exactly."""

    no_back_to_back: BackToBack = Field(
        description="ladder: never two running days in a row while walking or on the walk/run "
        "ladder; always: never, in the continuous running weeks too."
    )
    no_back_to_back_source: Source
    min_rest_days_per_week: int = Field(ge=0, le=6, description="Days with no run, each week.")
    rest_day_source: Source
    pre_injury_cap_source: Source = Field(
        description="No run longer than the runner's usual run and no week above their usual "
        "week: the plan's goal is the pre-injury running, never more."
    )


class TimeOff(StrictModel):
    """No run before the shortest typical recovery the condition's page gives, counted from the
    last run, for conditions of these tissues (bone: running too early can widen the crack)."""

    tissues: list[Key] = Field(min_length=1)
    source: Source


class FractureSite(StrictModel):
    id: Key
    text: Text = Field(description="Where it is, in words a runner and a clinician both use.")
    high_risk: bool


class FractureSites(StrictModel):
    """Bone plans ask where the fracture is when the page names high-risk sites; a high-risk
    (or unconfirmed) site gets a clinician-led return instead of a self-run plan."""

    high_risk_sites: list[Text] = Field(
        min_length=1, description="Every high-risk site the source names, for the clinician page."
    )
    conditions: dict[Key, list[FractureSite]] = Field(
        description="Per condition slug, the sites its page names, low and high risk."
    )
    clinician_led: Text = Field(description="What a runner with a high-risk site is told.")
    source: Source

    @model_validator(mode="after")
    def _sites(self) -> FractureSites:
        for slug, sites in self.conditions.items():
            ids = [s.id for s in sites]
            if len(set(ids)) != len(ids) or "not-sure" in ids:
                raise ValueError(f"{slug}: site ids must be unique and not 'not-sure'")
            if not any(s.high_risk for s in sites) or all(s.high_risk for s in sites):
                raise ValueError(f"{slug}: name both low-risk and high-risk sites")
        return self


class TrendRule(StrictModel):
    """How the journal works out "worse than last week" from the log, never asking it."""

    window_days: int = Field(ge=3, le=14, description="Compare the last N days with the N before.")
    min_days: int = Field(
        ge=1, le=14, description="Days with a pain answer needed in each window, else no trend."
    )
    worse_by: int = Field(
        ge=1,
        le=10,
        description="How many points (0-10) higher the average day's worst pain must be to count "
        "as worse; as much lower counts as better.",
    )
    reason: Text
    source: Source

    @model_validator(mode="after")
    def _fits(self) -> TrendRule:
        if self.min_days > self.window_days:
            raise ValueError("min_days must not be more than window_days")
        return self


class MissedDays(StrictModel):
    """After more than `more_than_days` without a session, the plan resumes `levels` back."""

    more_than_days: int = Field(ge=1, le=365)
    levels: int = Field(
        ge=1, le=99, description="Levels to step back; more than have been done means the start."
    )
    reason: Text
    source: Source


class JournalRules(StrictModel):
    """What the recovery journal needs beyond the self-check: the trend and missed days."""

    trend: TrendRule
    missed: list[MissedDays] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> JournalRules:
        for shorter, longer in pairwise(self.missed):
            if longer.more_than_days <= shorter.more_than_days:
                raise ValueError("missed: list the gaps from shortest to longest")
            if longer.levels < shorter.levels:
                raise ValueError("missed: a longer gap must never step back fewer levels")
        return self


class Protocol(StrictModel):
    """content/protocols/<key>.yml: one published walk/run progression."""

    name: Text
    summary: Text
    references: list[Key] = Field(min_length=1)
    grade: Grade
    how_encoded: Text = Field(description="How the published table became this data.")
    intended_min_days_off: int | None = Field(default=None, ge=0, le=3650)
    entry_gate: EntryGate
    walking_phase: list[WalkLevel] = Field(
        min_length=1, description="Walking build-up to the entry gate."
    )
    walk_before_running_weeks: int = Field(
        default=0,
        ge=0,
        le=6,
        description="Weeks of pain-free walking at the gate level before the first run, even "
        "when the gate is already passed (bone).",
    )
    walk_before_running_source: Source | None = None
    block_order: BlockOrder = Field(
        description="Whether each block starts with the run (OxSport) or the walk (OSU)."
    )
    min_sessions_per_week: int = Field(ge=1, le=3)
    max_sessions_per_week: int = Field(ge=1, le=3)
    levels: list[Level] = Field(min_length=1)
    min_weeks: int | None = Field(default=None, ge=1, le=52)
    min_weeks_source: Source | None = None
    progression: list[Text] = Field(min_length=1, description="When to move up a level.")
    schedule: Schedule
    min_time_off: TimeOff | None = None
    fracture_sites: FractureSites | None = None
    build: Build
    journal: JournalRules

    @model_validator(mode="after")
    def _consistent(self) -> Protocol:
        if self.max_sessions_per_week < self.min_sessions_per_week:
            raise ValueError("max_sessions_per_week must not be less than min_sessions_per_week")
        last = self.levels[-1]
        if last.walk_minutes != 0 or last.reps[-1] != 1:
            raise ValueError("the last level must be continuous running (walk 0, reps 1)")
        if (self.walk_before_running_weeks > 0) != (self.walk_before_running_source is not None):
            raise ValueError("walk_before_running_weeks and its source go together")
        if self.walking_phase[-1].walk_minutes != self.entry_gate.walk_minutes:
            raise ValueError("the walking phase must end at the entry gate's walking time")
        if (self.min_weeks is None) != (self.min_weeks_source is None):
            raise ValueError("min_weeks and min_weeks_source go together")
        return self
