"""The catalogue and the package's promises: generated from content, stdlib only, pure engines."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import calculators
import calculators.cli
from macros.content import calculator_model
from macros.content.loader import CONTENT_DIR
from macros.lint.content_rules import check_content
from site_tests.calculators.fixtures import fixture_data
from site_tests.conftest import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "calculators"
ENGINE_MODULES = [
    "catalogue",
    "errors",
    "inputs",
    "self_check",
    "plan",
    "plan_result",
    "defaults",
    "bridge",
]


def test_no_generated_catalogue_is_committed() -> None:
    """The catalogue is made from content/ whenever it is needed, so no copy can go stale."""
    tracked = subprocess.run(
        ["git", "ls-files", "calculators"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert tracked, "git ls-files found nothing: the test must run inside the repository"
    assert not [name for name in tracked if name.endswith(".json")]


def test_the_cli_default_catalogue_is_the_contents(real_json: str) -> None:
    """`python -m calculators` with no --catalogue reads exactly what the build bundles."""
    assert calculators.cli.catalogue_from_content() == real_json


def test_catalogue_parses_into_the_calculators(real_cat: calculators.Catalogue) -> None:
    """The real catalogue loads, and every condition's family and protocol exist."""
    assert {"tendon", "bone", "muscle", "nerve", "respiratory", "generic"} <= set(
        real_cat.self_checks
    )
    assert {"oxford-walk-run", "osu-phases", "bone-stress", "muscle-strain"} <= set(
        real_cat.protocols
    )
    for condition in real_cat.conditions.values():
        assert condition.self_check in real_cat.self_checks
        assert condition.protocol is None or condition.protocol in real_cat.protocols


def test_fixture_data_passes_the_content_models() -> None:
    """The unit-test fixture families and protocol are valid content by the pydantic models."""
    data = fixture_data()
    for family in data["self_checks"].values():
        calculator_model.SelfCheckFamily.model_validate(family)
    for protocol in data["protocols"].values():
        calculator_model.Protocol.model_validate(protocol)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda f: f["pain_zones"].update(chosen="four"), "is not one of the options"),
        (
            lambda f: f["pain_zones"]["gap_decisions"][0].update(zone="safe"),
            "gap decision puts 3/10",
        ),
        (lambda f: f["rules"][2].update(urgency=None), "urgency is required when red"),
        (lambda f: f["rules"][0].update(levels=0), "levels must be 1 or more"),
        (
            lambda f: f["pain_zones"].update(
                acceptable=f["pain_zones"]["above"], above=f["pain_zones"]["safe"]
            ),
            "never give a milder",
        ),
        (lambda f: f["rules"][2]["when"].update(sign="chest_pain"), "not in signs"),
        (lambda f: f.update(ceilings=None), "give ceilings exactly when asks_pain"),
        (lambda f: f["ceilings"].update(usual=[]), "high usual pain counts"),
        (
            lambda f: f["ceilings"]["pain"].insert(
                0,
                {
                    **f["ceilings"]["pain"][0],
                    "above": 2,
                    "colour": "green",
                    "next_step": "progress",
                    "urgency": None,
                },
            ),
            "a ceiling is never green",
        ),
        (
            lambda f: f["ceilings"]["pain"].append({**f["ceilings"]["pain"][0], "above": 3}),
            "from lowest to highest",
        ),
        (
            lambda f: f["ceilings"]["pain"].append(
                {
                    **f["ceilings"]["pain"][0],
                    "above": 8,
                    "colour": "amber",
                    "next_step": "hold",
                    "urgency": None,
                }
            ),
            "higher limit must never give a milder",
        ),
    ],
)
def test_family_model_rejects_inconsistent_rules(change: object, words: str) -> None:
    """The family model catches a missing choice, a wrong gap, red without urgency, a green or
    unordered ceiling, a pain family without ceilings, and more."""
    family = fixture_data()["self_checks"]["pain"]
    change(family)  # type: ignore[operator]
    with pytest.raises(ValueError, match=words):
        calculator_model.SelfCheckFamily.model_validate(family)


def _copy_content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def _codes(content: Path, path_part: str) -> list[str]:
    _book, problems = check_content(content, date(2026, 11, 21))
    return [p.code for p in problems if path_part in p.path]


def test_lint_flags_unknown_reference(tmp_path: Path) -> None:
    """A protocol citing a reference key missing from references.yml is HB207, located."""
    content = _copy_content(tmp_path)
    path = content / "protocols" / "osu-phases.yml"
    path.write_text(path.read_text().replace("  - osu-2019\n", "  - osu-2091\n", 1))
    _book, problems = check_content(content, date(2026, 11, 21))
    found = [p for p in problems if p.code == "HB207"]
    assert len(found) == 1
    assert found[0].path.endswith("protocols/osu-phases.yml")
    assert found[0].line == 7


def test_lint_flags_grade_stronger_than_source(tmp_path: Path) -> None:
    """A rule graded A on a grade D source is HB306."""
    content = _copy_content(tmp_path)
    path = content / "self-check" / "respiratory.yml"
    text = path.read_text()
    path.write_text(text.replace("    grade: D\n", "    grade: A\n", 1))
    assert "HB306" in _codes(content, "respiratory.yml")


def test_lint_flags_missing_tissue_family(tmp_path: Path) -> None:
    """A tissue whose default self-check family has no file is HB208."""
    content = _copy_content(tmp_path)
    (content / "self-check" / "respiratory.yml").unlink()
    assert "HB208" in _codes(content, "tissues.yml")


def test_my_files_lint_clean() -> None:
    """The protocols and self-check families in content/ have no problems."""
    _book, problems = check_content(CONTENT_DIR, date(2026, 11, 21))
    mine = [str(p) for p in problems if "/protocols/" in p.path or "/self-check/" in p.path]
    assert mine == []


def test_standard_library_only() -> None:
    """The package imports with no site-packages at all (python -S -I), as under Pyodide."""
    modules = ", ".join(f"calculators.{m}" for m in [*ENGINE_MODULES, "cli"])
    script = (
        f"import sys; sys.path.insert(0, {str(PROJECT_ROOT)!r}); "
        f"import calculators, {modules}; "
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('pydantic', 'yaml', 'macros', 'jinja2')]; "
        "print('ok' if not bad else bad)"
    )
    out = subprocess.run(
        [sys.executable, "-S", "-I", "-c", script],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_every_import_is_standard_library() -> None:
    """No module in calculators/ imports anything outside the standard library."""
    for path in PACKAGE.glob("*.py"):
        outside = _imports(path) - set(sys.stdlib_module_names) - {"calculators", "__future__"}
        assert not outside, (path.name, outside)


@pytest.mark.parametrize("module", ENGINE_MODULES)
def test_engines_have_no_clock_and_no_io(module: str) -> None:
    """Engine modules never read the clock, files or the network: today is always an argument."""
    source = (PACKAGE / f"{module}.py").read_text(encoding="utf-8")
    for banned in (
        "date.today",
        "datetime.now",
        "time.time",
        "open(",
        "read_text",
        "Path(",
        "random",
        "os.environ",
        "import os",
        "import time",
        "urllib",
        "socket",
    ):
        assert banned not in source, (module, banned)


def test_all_is_sorted_and_complete() -> None:
    """The package's __all__ is sorted and every name in it exists."""
    assert calculators.__all__ == sorted(calculators.__all__)
    for name in calculators.__all__:
        assert hasattr(calculators, name)


def test_dataclasses_are_frozen() -> None:
    """Every dataclass in the engines is frozen."""
    import dataclasses  # noqa: PLC0415

    for module in ENGINE_MODULES:
        mod = __import__(f"calculators.{module}", fromlist=["_"])
        for value in vars(mod).values():
            if (
                dataclasses.is_dataclass(value)
                and isinstance(value, type)
                and value.__module__ == mod.__name__
            ):
                assert value.__dataclass_params__.frozen, value  # type: ignore[attr-defined]


def _set(path: str, value: object) -> object:
    """A change to the fixture data: put `value` at a dotted path (`[n]` for list items)."""

    def change(data: dict[str, Any]) -> None:
        *parents, last = path.replace("[", ".").replace("]", "").split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if value is _DROP:
            del target[last]
        elif isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return change


_DROP = object()


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        (
            _set("self_checks.pain.ceilings.pain[0].above", "five"),
            "self_checks.pain.ceilings.pain[0].above",
            "expected a whole number",
        ),
        (
            _set("self_checks.pain.asks_pain", 1),
            "self_checks.pain.asks_pain",
            "expected true or false",
        ),
        (
            _set("protocols.ladder.min_sessions_per_week", True),
            "protocols.ladder.min_sessions_per_week",
            "expected a whole number",
        ),
        (
            _set("self_checks.pain.rules[0].colour", "purple"),
            "self_checks.pain.rules[0].colour",
            "expected one of green, amber, red",
        ),
        (
            _set("conditions.sore-tendon.red_flags[1].urgency", "later"),
            "conditions.sore-tendon.red_flags[1].urgency",
            "expected one of emergency, same_day, soon",
        ),
        (
            _set("self_checks.pain.signs[0]", "hiccups"),
            "self_checks.pain.signs[0]",
            "expected one of",
        ),
        (_set("protocols.ladder.levels", {}), "protocols.ladder.levels", "expected a list"),
        (
            _set("protocols.ladder.entry_gate", []),
            "protocols.ladder.entry_gate",
            "expected an object",
        ),
        (
            _set("conditions.sore-tendon.timeline.min_weeks", _DROP),
            "conditions.sore-tendon.timeline.min_weeks",
            "missing",
        ),
        (
            _set("protocols.ladder.build.cutback_pct", 10),
            "protocols.ladder.build.cutback_pct",
            "unknown field",
        ),
        (
            _set("conditions.sore-tendon.self_check", "lungs"),
            "conditions.sore-tendon.self_check",
            "unknown self-check family 'lungs'",
        ),
        (
            _set("conditions.sore-tendon.protocol", "sprint"),
            "conditions.sore-tendon.protocol",
            "unknown protocol 'sprint'",
        ),
        (
            _set("self_checks.pain.pain_zones.chosen", "four"),
            "self_checks.pain.pain_zones.chosen",
            "'four' is not one of the options",
        ),
        (
            _set("self_checks.pain.pain_zones.acceptable", None),
            "self_checks.pain.pain_zones.acceptable",
            "the chosen option has that band",
        ),
    ],
    ids=[
        "text-for-number",
        "number-for-flag",
        "flag-for-number",
        "unknown-colour",
        "unknown-urgency",
        "unknown-sign",
        "object-for-list",
        "list-for-object",
        "missing",
        "unknown-field",
        "unknown-family",
        "unknown-protocol",
        "unknown-option",
        "missing-band",
    ],
)
def test_calculators_refuse_bad_catalogues(change: Any, where: str, words: str) -> None:
    """The stdlib reader refuses data out of shape and references to nothing, naming the place,
    so a hand-made catalogue fails with a message instead of a wrong answer or a traceback."""
    data = fixture_data()
    change(data)
    with pytest.raises(calculators.CatalogueError, match=words) as caught:
        calculators.load_catalogue(data)
    assert caught.value.where == f"catalogue.{where}"
