"""The word lists are written once, in calculators/vocabulary.py, and reach the page as data."""

from __future__ import annotations

import json
from typing import get_args

import pytest

from calculators import vocabulary
from macros.browser import runtime
from site_tests.conftest import PROJECT_ROOT

PAGE_SCRIPT = PROJECT_ROOT / "docs" / "assets" / "javascripts" / "calculators" / "page.mjs"


def test_the_page_gets_exactly_the_vocabulary() -> None:
    assert json.loads(runtime.page_words_json()) == vocabulary.for_the_page()


def test_the_data_block_cannot_be_closed_from_inside(monkeypatch: pytest.MonkeyPatch) -> None:
    """The theme prints the block unescaped, so the build escapes anything that could end it."""
    hostile = {"title": "</script><script>alert(1)</script> & <!--"}
    monkeypatch.setattr(runtime, "for_the_page", lambda: hostile)
    text = runtime.page_words_json()
    assert not {"<", ">", "&"} & set(text)
    assert json.loads(text) == hostile


def test_the_page_script_has_no_copy_of_the_words() -> None:
    """Every title the page shows for a colour or an urgency comes from the page's data block."""
    script = PAGE_SCRIPT.read_text(encoding="utf-8")
    assert 'getElementById("hb-calculator-words")' in script
    titles = [light["title"] for light in vocabulary.COLOUR_LIGHTS.values()]
    for words in [*titles, *vocabulary.URGENCY_TITLES.values()]:
        assert words not in script, words


def test_each_word_list_has_one_name_per_word() -> None:
    """The tuples are the Literal types' words, in their order, with nothing repeated."""
    pairs = [
        (vocabulary.Colour, vocabulary.COLOURS),
        (vocabulary.NextStep, vocabulary.NEXT_STEPS),
        (vocabulary.Urgency, vocabulary.URGENCY_ORDER),
        (vocabulary.Trend, vocabulary.TRENDS),
        (vocabulary.Zone, vocabulary.ZONES),
        (vocabulary.Measure, vocabulary.MEASURES),
        (vocabulary.Sign, vocabulary.SIGNS),
        (vocabulary.PlanStatus, vocabulary.PLAN_STATUSES),
    ]
    for literal, words in pairs:
        assert words == get_args(literal)
        assert len(set(words)) == len(words)
    assert tuple(reversed(vocabulary.URGENCY_ORDER)) == vocabulary.URGENCIES
    assert set(vocabulary.COLOUR_LIGHTS) == set(vocabulary.COLOURS)
    assert set(vocabulary.URGENCY_TITLES) == set(vocabulary.URGENCIES)
    assert set(vocabulary.NEXT_STEP_WORDS) <= set(vocabulary.NEXT_STEPS)
    assert set(vocabulary.RELATIVE_MEASURES) <= set(vocabulary.MEASURES)


def test_plan_statuses_are_the_ones_the_invariants_expect() -> None:
    """The property tests predict each plan's status from its inputs; every status they can
    predict is in the vocabulary and every vocabulary status is predictable."""
    from site_tests.calculators import plan_invariants  # noqa: PLC0415

    predicted = {*plan_invariants.STARTED, *plan_invariants.NO_RUNNING, "not_yet"}
    assert predicted == set(vocabulary.PLAN_STATUSES)


def test_every_word_has_its_sentence() -> None:
    """The engine words every sign, measure and urgency in the vocabulary, and nothing else."""
    from calculators import self_check  # noqa: PLC0415

    assert set(self_check.SIGN_WORDS) == set(vocabulary.SIGNS)
    assert set(self_check.MEASURE_WORDS) == set(vocabulary.MEASURES)
    assert set(self_check.URGENCY_WORDS) == set(vocabulary.URGENCIES)
    assert set(vocabulary.TREND_LABELS) == set(vocabulary.TRENDS)
    assert set(vocabulary.COLOUR_NAMES) == set(vocabulary.COLOURS)
