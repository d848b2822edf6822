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
from macros import model, rules_model

SAME_FIELDS: dict[type, type[BaseModel]] = {
    data.Source: rules_model.Source,
    data.RedFlag: model.RedFlag,
    data.Timeline: model.Timeline,
    data.Outcome: rules_model.Outcome,
    data.ZoneOutcome: rules_model.ZoneOutcome,
    data.When: rules_model.When,
    data.Rule: rules_model.Rule,
    data.Ceiling: rules_model.Ceiling,
    data.Ceilings: rules_model.Ceilings,
    data.GapDecision: rules_model.GapDecision,
    data.ZoneOption: rules_model.ZoneOption,
    data.PainZones: rules_model.PainZones,
    data.SessionAdvice: rules_model.SessionAdvice,
    data.FormWords: rules_model.FormWords,
    data.Family: rules_model.SelfCheckFamily,
    data.EntryGate: rules_model.EntryGate,
    data.GateReferral: rules_model.GateReferral,
    data.WalkLevel: rules_model.WalkLevel,
    data.Level: rules_model.Level,
    data.Build: rules_model.Build,
    data.Schedule: rules_model.Schedule,
    data.TimeOff: rules_model.TimeOff,
    data.FractureSite: rules_model.FractureSite,
    data.FractureSites: rules_model.FractureSites,
    data.Protocol: rules_model.Protocol,
}
"""Each dataclass and the model whose `model_dump` it reads."""
SUBSET_OF: dict[type, tuple[type[BaseModel], ...]] = {
    data.Condition: (model.Condition, model.ReturnToRun),
    data.Reference: (model.Reference,),
    data.Settings: (model.SiteSettings,),
}
"""The catalogue carries only part of these models (`macros.catalogue.build_catalogue`)."""


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
        (rules_model.Outcome, "colour"): vocabulary.Colour,
        (rules_model.Outcome, "next_step"): vocabulary.NextStep,
        (rules_model.Outcome, "urgency"): vocabulary.Urgency | None,
        (model.RedFlag, "urgency"): vocabulary.Urgency,
        (rules_model.When, "measure"): vocabulary.Measure | None,
        (rules_model.When, "sign"): vocabulary.Sign | None,
        (rules_model.GapDecision, "zone"): vocabulary.Zone,
    }
    for (cls, name), hint in hints.items():
        assert cls.model_fields[name].annotation == hint, (cls.__name__, name)


def test_zone_of_has_one_home() -> None:
    """The pain-band arithmetic is written once, in the vocabulary both sides import."""
    assert not hasattr(rules_model.ZoneOption, "zone_of")
    assert not hasattr(data.ZoneOption, "zone_of")
    assert rules_model.zone_of is vocabulary.zone_of
    assert [vocabulary.zone_of(2, 5, v) for v in (0, 2, 3, 5, 6)] == [
        "safe",
        "safe",
        "acceptable",
        "acceptable",
        "above",
    ]
