"""The traffic-light self-check: red flags first, then the family's pain bands and rules.

Every threshold comes from the family's data. The result's colour is the worst colour of
any matched rule, so a red can never be averaged away; a ticked red flag is always red.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from calculators.catalogue import (
    Catalogue,
    Ceiling,
    Ceilings,
    Family,
    Outcome,
    PainZones,
    Rule,
)
from calculators.inputs import SelfCheckInput
from calculators.vocabulary import (
    COLOURS,
    NEXT_STEP_WORDS,
    NEXT_STEPS,
    RELATIVE_MEASURES,
    URGENCIES,
    Measure,
    Sign,
    Urgency,
    Zone,
    zone_of,
)


@dataclass(frozen=True, kw_only=True)
class Verdict(Outcome):
    """An outcome the check reached, with its rule's source (none for a red flag)."""

    reference: str | None = None
    grade: str | None = None


def _verdict(
    outcome: Outcome, reference: str | None, grade: str | None, reason: str | None = None
) -> Verdict:
    return Verdict(
        colour=outcome.colour,
        next_step=outcome.next_step,
        levels=outcome.levels,
        urgency=outcome.urgency,
        reason=outcome.reason if reason is None else reason,
        reference=reference,
        grade=grade,
    )


def _zone_verdict(zones: PainZones, zone: Zone, reason: str | None = None) -> Verdict:
    """A band's outcome, sourced by its own source or else by the chosen option's."""
    outcome = zones.outcome(zone)
    source = outcome.source or zones.chosen_option
    return _verdict(outcome, source.reference, source.grade, reason)


GREEN_BY_DEFAULT = Verdict(
    colour="green",
    next_step="progress",
    reason="None of your answers is a warning sign.",
)

MEASURE_WORDS: dict[Measure, str] = {
    "pain_during": "pain during the run",
    "pain_after": "pain after the run",
    "pain_next_morning": "pain the next morning",
    "peak_pain": "the higher of your pain during and after the run",
    "any_pain": "pain during the run, after it or the next morning",
    "next_morning_rise": "next-morning pain above your usual level",
    "rise_over_baseline": "pain above your usual level (during, after or the next morning)",
}
SIGN_WORDS: dict[Sign, str] = {
    "sharp_or_stabbing": "the pain is sharp or stabbing",
    "limp_or_changed_gait": "you limp or your stride changes",
    "swelling": "there is new or more swelling",
    "numbness_or_tingling": "you have numbness or tingling",
    "night_or_rest_pain": "it hurts at rest or at night",
    "pain_on_hop": "hopping on the injured leg hurts",
    "bone_point_tenderness": "one spot on the bone hurts when pressed",
    "pain_worsening_during_run": "the pain builds up during the run",
    "pulling_or_tightness": "you feel pulling or tightness in the muscle",
    "cough_or_wheeze_during_run": "you cough or wheeze during the run",
    "cough_or_wheeze_hours_after": "a cough or wheeze lasts for hours after the run",
    "chest_pain": "you have chest pain",
    "fainting_or_dizziness": "you faint, nearly faint or feel dizzy",
    "morning_stiffness_worse": "the next morning it was stiffer than usual",
    "symptoms_spreading_further": (
        "your symptoms spread further down the leg or foot (further from the back) during the "
        "run or by the next morning"
    ),
    "symptoms_moving_back": (
        "your symptoms moved back up the leg, towards the back, during the run or by the next "
        "morning"
    ),
    "numbness_new_or_spreading": (
        "the numbness or pins and needles is new, or covers a bigger area than usual"
    ),
    "weakness_or_foot_slap": (
        "your foot slaps down, your toes catch or drag, or the leg feels weak"
    ),
    "symptoms_in_both_legs": "you have pain, numbness, pins and needles or weakness in both legs",
    "saddle_numbness": (
        "you have numbness or tingling between your legs or around your bottom (the saddle area)"
    ),
    "bladder_or_bowel_change": (
        "you have new trouble passing urine or controlling your bladder or bowels, or you cannot "
        "feel when you need to go"
    ),
}
PAIN_WHEN_WORDS = {
    "pain_during": "during the run",
    "pain_after": "after it",
    "pain_next_morning": "the next morning",
}
URGENCY_WORDS: dict[Urgency, str] = {
    "emergency": "Call {emergency} now.",
    "same_day": "Get seen today{urgent}.",
    "soon": "Book a clinician (a GP or physiotherapist) within the next few days.",
}


@dataclass(frozen=True)
class Reason:
    """One answer that led to the colour, in plain words, with its source."""

    rule: str
    text: str
    colour: str
    reference: str | None
    grade: str | None


@dataclass(frozen=True)
class SelfCheckResult:
    condition: str
    family: str
    family_name: str
    colour: str
    next_step: str
    levels: int
    urgency: Urgency | None
    reasons: tuple[Reason, ...]
    has_plan: bool = True
    """False when the condition has no return-to-run plan, so no levels to move along."""

    def to_dict(self, catalogue: Catalogue) -> dict[str, Any]:
        return {
            "condition": self.condition,
            "family": self.family,
            "family_name": self.family_name,
            "colour": self.colour,
            "next_step": {
                "action": self.next_step,
                "levels": self.levels,
                "text": next_step_text(self.next_step, self.levels, has_plan=self.has_plan),
            },
            "urgency": self.urgency,
            "urgency_text": urgency_text(catalogue, self.urgency),
            "reasons": [
                {
                    "rule": r.rule,
                    "text": r.text,
                    "colour": r.colour,
                    "reference": r.reference,
                    "citation": catalogue.cite(r.reference) or None,
                    "grade": r.grade,
                }
                for r in self.reasons
            ],
        }


NO_PLAN_WORDS = {
    "progress": "No warning signs in this check. It asks about pain and a few signs only, and "
    "there is no step-by-step plan for this condition: carry on as this page advises, and see a "
    "clinician if it is not getting better.",
    "hold": "Hold: add no running until a check is green, and keep to what this page advises.",
    "step_back": "Ease off: run less, and more gently, than last time, as this page advises.",
}
"""A condition without a plan has no levels: its next steps never mention one."""


def next_step_text(action: str, levels: int, *, has_plan: bool = True) -> str:
    if not has_plan and action in NO_PLAN_WORDS:
        return NO_PLAN_WORDS[action]
    if action in NEXT_STEP_WORDS:
        name, words = NEXT_STEP_WORDS[action]
        return f"{name}: {words}."
    if action == "step_back":
        return f"Go back {levels} level{'s' if levels != 1 else ''} at your next session."
    return "Stop running and see a clinician."


def urgency_text(catalogue: Catalogue, urgency: Urgency | None) -> str | None:
    if urgency is None:
        return None
    settings = catalogue.settings
    emergency = settings.emergency_number or "your local emergency number"
    urgent = f" (call {settings.urgent_number})" if settings.urgent_number else ""
    return URGENCY_WORDS[urgency].format(emergency=emergency, urgent=urgent)


def measures(answers: SelfCheckInput) -> dict[str, int]:
    """The derived pain measures the rules compare; higher is always worse."""
    during, after = answers.pain_during, answers.pain_after
    morning, baseline = answers.pain_next_morning, answers.pain_baseline
    peak = max(during, after)
    worst = max(peak, morning)
    return {
        "pain_during": during,
        "pain_after": after,
        "pain_next_morning": morning,
        "peak_pain": peak,
        "any_pain": worst,
        "next_morning_rise": morning - baseline,
        "rise_over_baseline": worst - baseline,
    }


def _matches(rule: Rule, answers: SelfCheckInput, values: dict[str, int]) -> bool:
    when = rule.when
    if when.sign is not None:
        return when.sign in answers.signs
    if when.trend is not None:
        return answers.trend == when.trend
    return when.measure is not None and when.above is not None and values[when.measure] > when.above


def _zone_detail(family: Family, measure: str, value: int, safe_max: int) -> str:
    """The runner's own number next to the band, so the reason shows its threshold."""
    if measure in RELATIVE_MEASURES:
        return f" (yours: {value} above your usual level)" if value > 0 else ""
    if family.answer_style == "yes_no":
        return " (you reported pain)" if value > safe_max else ""
    return f" (yours: {value}/10; safe up to {safe_max}/10)"


def run_self_check(catalogue: Catalogue, answers: SelfCheckInput) -> SelfCheckResult:
    """The colour, next step, urgency and reasons for one set of answers."""
    condition = catalogue.conditions[answers.condition]
    family = catalogue.self_checks[condition.self_check]
    matched: list[tuple[str, Verdict]] = []
    for flag_id in answers.red_flags:
        flag = condition.red_flag(flag_id)
        if flag is not None:
            matched.append(
                (
                    f"red-flag:{flag.id}",
                    Verdict(
                        colour="red",
                        next_step="stop_and_see_clinician",
                        urgency=flag.urgency,
                        reason=f"Red flag: {flag.text}",
                    ),
                )
            )
    if not condition.self_managed:
        matched.append(
            (
                "not-self-managed",
                Verdict(
                    colour="red",
                    next_step="stop_and_see_clinician",
                    urgency="soon",
                    reason=f"{condition.name} needs a clinician's care: this check cannot "
                    "clear you to run. Follow your clinician's plan.",
                ),
            )
        )
    values = measures(answers)
    zones = family.pain_zones
    zone_outcome: Verdict | None = None
    if zones is not None and family.asks_pain:
        option = zones.chosen_option
        value = values[zones.measure]
        zone = zone_of(option.safe_max, option.acceptable_max, value)
        zone_outcome = _zone_verdict(zones, zone)
        detail = _zone_detail(family, zones.measure, value, option.safe_max)
        matched.append(
            (
                f"pain-zone:{zone}",
                _verdict(
                    zone_outcome,
                    zone_outcome.reference,
                    zone_outcome.grade,
                    zone_outcome.reason + detail,
                ),
            )
        )
    if family.asks_pain and family.ceilings is not None:
        for rule_id, outcome in _ceiling_matches(family, family.ceilings, answers):
            # A pain band that already says as much on an absolute measure needs no echo.
            echoed = (
                rule_id.startswith("ceiling:pain")
                and zone_outcome is not None
                and zones is not None
                and zones.measure not in RELATIVE_MEASURES
                and values[zones.measure] == values["any_pain"]
                and zone_outcome.severity() >= outcome.severity()
            )
            if not echoed:
                matched.append((rule_id, outcome))
    for rule in family.rules:
        if _matches(rule, answers, values):
            matched.append((rule.id, _verdict(rule, rule.reference, rule.grade)))
    if not matched:
        matched.append(("no-warning-signs", GREEN_BY_DEFAULT))
    worst = max(COLOURS.index(o.colour) for _, o in matched)
    deciding = [(rule_id, o) for rule_id, o in matched if COLOURS.index(o.colour) == worst]
    step = max(deciding, key=lambda item: item[1].severity())[1]
    urgencies = [o.urgency for _, o in deciding if o.urgency is not None]
    urgency = max(urgencies, key=URGENCIES.index) if urgencies else None
    ordered = sorted(
        deciding,
        key=lambda item: (
            not item[0].startswith("red-flag:"),
            -URGENCIES.index(item[1].urgency) if item[1].urgency else 0,
            -NEXT_STEPS.index(item[1].next_step),
        ),
    )
    return SelfCheckResult(
        condition=condition.slug,
        family=family.key,
        family_name=family.name,
        colour=COLOURS[worst],
        next_step=step.next_step,
        levels=step.levels,
        urgency=urgency,
        reasons=tuple(
            Reason(rule_id, o.reason, o.colour, o.reference, o.grade) for rule_id, o in ordered
        ),
        has_plan=condition.protocol is not None,
    )


def _ceiling_matches(
    family: Family, ceilings: Ceilings, answers: SelfCheckInput
) -> list[tuple[str, Verdict]]:
    """Absolute limits: checked on each pain answer and the usual level, never relative."""
    found: list[tuple[str, Verdict]] = []
    pains = {name: getattr(answers, name) for name in PAIN_WHEN_WORDS}
    limit = Ceilings.highest_passed(ceilings.pain, max(pains.values()))
    if limit is not None:
        over = [name for name, value in pains.items() if value > limit.above]
        if family.answer_style == "yes_no":
            detail = f" (you reported pain {_and_list([PAIN_WHEN_WORDS[n] for n in over])})"
        else:
            yours = _and_list([f"{pains[n]}/10 {PAIN_WHEN_WORDS[n]}" for n in over])
            detail = f" (yours: {yours}; limit {limit.above}/10)"
        found.append(
            (
                f"ceiling:pain-above-{limit.above}",
                _verdict(limit, limit.reference, limit.grade, limit.reason + detail),
            )
        )
    usual = Ceilings.highest_passed(ceilings.usual, answers.pain_baseline)
    if usual is not None:
        detail = (
            " (you reported pain on a rest day)"
            if family.answer_style == "yes_no"
            else f" (yours: {answers.pain_baseline}/10; limit {usual.above}/10)"
        )
        found.append(
            (
                f"ceiling:usual-above-{usual.above}",
                _verdict(usual, usual.reference, usual.grade, usual.reason + detail),
            )
        )
    return found


def _and_list(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _outcome_words(o: Outcome) -> str:
    if o.colour == "red":
        when = {
            "emergency": "call the emergency number now",
            "same_day": "be seen today",
            "soon": "book a clinician soon",
        }[o.urgency or "soon"]
        return f"red: stop running and {when}"
    if o.next_step in NEXT_STEP_WORDS:
        name, words = NEXT_STEP_WORDS[o.next_step]
        return f"{o.colour}, {name.lower()}: {words}"
    return f"{o.colour}: {next_step_text(o.next_step, o.levels)[:-1].lower()}"


def _source_words(catalogue: Catalogue, reference: str | None, grade: str | None) -> str:
    if reference is None:
        return ""
    return f" (source: {catalogue.cite(reference)}, evidence grade {grade})"


def _band(low: int, high: int) -> str:
    return f"{low}/10" if low == high else f"{low} to {high}/10"


def _zone_head(family: Family, measure: Measure, zone: Zone, low: int, high: int) -> str:
    words = MEASURE_WORDS[measure]
    if measure in RELATIVE_MEASURES:
        usual = "your usual level (during, after or the next morning)"
        if zone == "safe":
            return (
                f"Pain no higher than {usual}" if high == 0 else f"Pain up to {high} above {usual}"
            )
        if zone == "above":
            return (
                f"Any rise in pain above {usual}"
                if low == 1
                else f"Pain more than {low - 1} above {usual}"
            )
        return f"Pain {low} to {high} above {usual}"
    if family.answer_style == "yes_no" and high == 0:
        return f"No {words}"
    if family.answer_style == "yes_no" and zone == "above" and low == 1:
        return f"Any {words}"
    return f"{words[0].upper()}{words[1:]} of {_band(low, high)}"


def _zone_lines(catalogue: Catalogue, family: Family) -> list[str]:
    zones = family.pain_zones
    if zones is None:
        return []
    option = zones.chosen_option
    bands: list[tuple[Zone, int, int]] = [("safe", 0, option.safe_max)]
    if option.acceptable_max > option.safe_max:
        bands.append(("acceptable", option.safe_max + 1, option.acceptable_max))
    bands.append(("above", option.acceptable_max + 1, 10))
    lines = []
    for zone, low, high in bands:
        outcome = _zone_verdict(zones, zone)
        head = _zone_head(family, zones.measure, zone, low, high)
        source = _source_words(catalogue, outcome.reference, outcome.grade)
        lines.append(f"{head}: {_outcome_words(outcome)}{source}.")
    lines.append(f"Why these bands: {zones.reason}")
    for other in zones.options:
        if other.key != zones.chosen:
            source = _source_words(catalogue, other.reference, other.grade)
            published = other.as_published.rstrip(".")
            lines.append(f"Also published, not used here: {published}{source}.")
    for gap in zones.gap_decisions:
        lines.append(f"Exactly {gap.value}/10 counts as {gap.zone}: {gap.reason}")
    return lines


def _ceiling_line(catalogue: Catalogue, head: str, limit: Ceiling) -> str:
    o = limit
    source = _source_words(catalogue, o.reference, o.grade)
    note = f" {limit.note}" if limit.note else ""
    return f"{head} above {limit.above}/10: {_outcome_words(o)}{source}.{note}"


def _ceiling_lines(catalogue: Catalogue, family: Family) -> list[str]:
    """Absolute limits first: they hold whatever the usual level and whatever else applies."""
    ceilings = family.ceilings
    if ceilings is None or not family.asks_pain:
        return []
    pain = [c for c in ceilings.pain if not _zone_says_it(family, c)]
    if family.answer_style == "yes_no":
        lines = [
            f"Any pain during the run, after it or the next morning, whatever your usual "
            f"level: {_outcome_words(c)}"
            f"{_source_words(catalogue, c.reference, c.grade)}."
            for c in pain
        ]
    else:
        lines = [
            _ceiling_line(
                catalogue,
                "Absolute limit, whatever your usual level: pain "
                "during the run, after it or the next morning",
                c,
            )
            for c in pain
        ]
    if family.answer_style == "yes_no":
        lines += [
            f"Any pain on a rest day: {_outcome_words(c)}"
            f"{_source_words(catalogue, c.reference, c.grade)}."
            for c in ceilings.usual
        ]
    else:
        lines += [
            _ceiling_line(catalogue, "Your usual level on a rest day", c) for c in ceilings.usual
        ]
    if lines:
        lines.append(f"Why these limits: {ceilings.reason}")
    return lines


def _zone_says_it(family: Family, limit: Ceiling) -> bool:
    """True when the pain bands already judge every answer above `limit` at least as firmly,
    so printing the limit too would only repeat a line (bone: any pain is red)."""
    zones = family.pain_zones
    if zones is None or zones.measure != "any_pain":
        return False
    option = zones.chosen_option
    outcome = zones.outcome(zone_of(option.safe_max, option.acceptable_max, limit.above + 1))
    return outcome.severity() >= limit.severity()


def describe_rules(catalogue: Catalogue, family_key: str) -> list[str]:
    """The family's rules as plain sentences with their thresholds and sources, for HTML."""
    family: Family = catalogue.self_checks[family_key]
    lines = [
        "Any red flag for your condition: red, stop running and see a clinician, as urgently "
        "as the red flag says. Red flags are checked first and override everything else.",
        *_ceiling_lines(catalogue, family),
        *_zone_lines(catalogue, family),
    ]
    for rule in family.rules:
        o, when = rule, rule.when
        if when.sign is not None:
            head = f"If {SIGN_WORDS.get(when.sign, when.sign)}"
        elif when.trend is not None:
            head = "If it is worse than last week"
        else:
            unit = "" if when.measure in RELATIVE_MEASURES else "/10"
            words = MEASURE_WORDS[when.measure] if when.measure else "pain"
            head = f"If {words} is above {when.above}{unit}"
        source = _source_words(catalogue, o.reference, o.grade)
        lines.append(f"{head}: {_outcome_words(o)}{source}.")
    lines.append("The colour is the worst colour any answer gives; a red is never averaged away.")
    return lines
