"""One shape for the calculator data: the stdlib dataclasses mirror the pydantic models.

The build validates content with pydantic (macros/) and the calculators read the result with
their own dataclasses (calculators/catalogue.py). These tests keep the two field for field, so
a field added on one side and not the other fails here, not in a runner's browser.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from pydantic import BaseModel

from calculators import catalogue as data
from calculators import vocabulary
from macros.content import calculator_model, model

SAME_FIELDS: dict[type, type[BaseModel]] = {
    data.Source: calculator_model.Source,
    data.RedFlag: model.RedFlag,
    data.Timeline: model.Timeline,
    data.Outcome: calculator_model.Outcome,
    data.ZoneOutcome: calculator_model.ZoneOutcome,
    data.When: calculator_model.When,
    data.Rule: calculator_model.Rule,
    data.Ceiling: calculator_model.Ceiling,
    data.Ceilings: calculator_model.Ceilings,
    data.GapDecision: calculator_model.GapDecision,
    data.ZoneOption: calculator_model.ZoneOption,
    data.PainZones: calculator_model.PainZones,
    data.SessionAdvice: calculator_model.SessionAdvice,
    data.FormWords: calculator_model.FormWords,
    data.Family: calculator_model.SelfCheckFamily,
    data.EntryGate: calculator_model.EntryGate,
    data.GateReferral: calculator_model.GateReferral,
    data.WalkLevel: calculator_model.WalkLevel,
    data.Level: calculator_model.Level,
    data.Build: calculator_model.Build,
    data.Schedule: calculator_model.Schedule,
    data.TimeOff: calculator_model.TimeOff,
    data.FractureSite: calculator_model.FractureSite,
    data.FractureSites: calculator_model.FractureSites,
    data.Protocol: calculator_model.Protocol,
    data.TrendRule: calculator_model.TrendRule,
    data.MissedDays: calculator_model.MissedDays,
    data.JournalRules: calculator_model.JournalRules,
}
"""Each dataclass and the model whose `model_dump` it reads."""
SUBSET_OF: dict[type, tuple[type[BaseModel], ...]] = {
    data.Condition: (model.Condition, model.ReturnToRun),
    data.Reference: (model.Reference,),
    data.Settings: (model.SiteSettings,),
}
"""The catalogue carries only part of these models (`macros.browser.catalogue.build_catalogue`)."""


def _fields(cls: type) -> dict[str, dataclasses.Field[Any]]:
    """The fields read from the data, leaving out those filled from the object's key."""
    return {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get(data.FROM_KEY)}


def test_every_data_class_is_paired() -> None:
    """No dataclass in calculators/catalogue.py escapes the comparison below."""
    classes = {
        value
        for value in vars(data).values()
        if isinstance(value, type)
        and dataclasses.is_dataclass(value)
        and value.__module__ == data.__name__
    }
    assert classes == set(SAME_FIELDS) | set(SUBSET_OF) | {data.Catalogue}


@pytest.mark.parametrize("cls", list(SAME_FIELDS), ids=lambda cls: cls.__name__)
def test_dataclass_has_the_models_fields(cls: type) -> None:
    """Same names, and a field is optional on one side exactly when it is on the other."""
    mine = _fields(cls)
    theirs = SAME_FIELDS[cls].model_fields
    assert set(mine) == set(theirs)
    for name, field in mine.items():
        has_default = field.default is not dataclasses.MISSING
        assert has_default == (not theirs[name].is_required()), name


@pytest.mark.parametrize("cls", list(SUBSET_OF), ids=lambda cls: cls.__name__)
def test_subset_dataclass_is_what_the_catalogue_carries(cls: type, real_json: str) -> None:
    """Each field exists on one of the models, and the built catalogue holds exactly them."""
    known = set().union(*(m.model_fields for m in SUBSET_OF[cls]))
    assert set(_fields(cls)) <= known
    built = json.loads(real_json)
    section = {data.Condition: "conditions", data.Reference: "references"}.get(cls)
    entries = [built["settings"]] if section is None else list(built[section].values())
    assert entries
    for entry in entries:
        assert set(entry) == set(_fields(cls))


def test_catalogue_has_the_built_sections(real_json: str) -> None:
    """The top level of the built catalogue is exactly the `Catalogue` dataclass."""
    assert set(json.loads(real_json)) == set(_fields(data.Catalogue))


def test_word_lists_are_the_models_words() -> None:
    """The pydantic models take their words from calculators/vocabulary.py, not a copy."""
    hints = {
        (calculator_model.Outcome, "colour"): vocabulary.Colour,
        (calculator_model.Outcome, "next_step"): vocabulary.NextStep,
        (calculator_model.Outcome, "urgency"): vocabulary.Urgency | None,
        (model.RedFlag, "urgency"): vocabulary.Urgency,
        (calculator_model.When, "measure"): vocabulary.Measure | None,
        (calculator_model.When, "sign"): vocabulary.Sign | None,
        (calculator_model.GapDecision, "zone"): vocabulary.Zone,
    }
    for (cls, name), hint in hints.items():
        assert cls.model_fields[name].annotation == hint, (cls.__name__, name)


def test_zone_of_has_one_home() -> None:
    """The pain-band arithmetic is written once, in the vocabulary both sides import."""
    assert not hasattr(calculator_model.ZoneOption, "zone_of")
    assert not hasattr(data.ZoneOption, "zone_of")
    assert calculator_model.zone_of is vocabulary.zone_of
    assert [vocabulary.zone_of(2, 5, v) for v in (0, 2, 3, 5, 6)] == [
        "safe",
        "safe",
        "acceptable",
        "acceptable",
        "above",
    ]
