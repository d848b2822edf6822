"""Each generator is pinned in its own lock, installed apart from the project, run as a command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.build.generators import DEFAULT, GENERATORS
from site_tests.conftest import PROJECT_ROOT

PIN = re.compile(r"^[A-Za-z0-9_.-]+==[0-9][^\s;]*$")


def _pins(lock: Path) -> dict[str, str]:
    lines = [line for line in lock.read_text().splitlines() if line and not line.startswith("#")]
    for line in lines:
        assert PIN.match(line), f"{lock.name}: {line!r} is not an exact pin"
    return {name.lower(): version for name, version in (line.split("==") for line in lines)}


def test_the_default_needs_no_install_of_its_own() -> None:
    assert GENERATORS[DEFAULT].lock is None
    assert GENERATORS[DEFAULT].command()[1:] == ["-m", "mkdocs"]


@pytest.mark.parametrize("name", sorted(set(GENERATORS) - {DEFAULT}))
def test_every_other_generator_has_an_exact_lock_of_its_own(name: str) -> None:
    generator = GENERATORS[name]
    assert generator.lock is not None
    pins = _pins(PROJECT_ROOT / generator.lock)
    assert name in pins
    assert generator.command() == [str(PROJECT_ROOT / f".venv-{name}" / "bin" / name)]
    # Its environment is its own: nothing of it reaches the project's lock.
    assert name not in _pins(PROJECT_ROOT / "requirements.lock")


def test_properdocs_runs_the_same_material_as_the_default() -> None:
    default = _pins(PROJECT_ROOT / "requirements.lock")
    properdocs = _pins(PROJECT_ROOT / "requirements-properdocs.lock")
    assert properdocs["mkdocs-material"] == default["mkdocs-material"]


def test_zensical_builds_into_its_configured_folder() -> None:
    zensical = GENERATORS["zensical"]
    args = zensical.build_args(Path("/s/mkdocs.yml"), Path("/s/site"))
    assert args == ["build", "--strict", "-f", "/s/mkdocs.yml"]  # site_dir is in the config
    mkdocs = GENERATORS["mkdocs"].build_args(Path("/s/mkdocs.yml"), Path("/out"))
    assert mkdocs[-2:] == ["--site-dir", "/out"]


def test_make_test_runs_the_generator_comparison() -> None:
    """`make test` runs the comparison: in a pytest run that leaves no marker out, or after."""
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    test_recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    runs = [
        line.split("-m pytest", 1)[1] for line in test_recipe.splitlines() if "-m pytest" in line
    ]
    assert runs
    assert any(" -m " not in run for run in runs) or "$(MAKE) test-generators" in test_recipe
    assert "-m generators" in makefile.split("\ntest-generators:", 1)[1].split("\n\n", 1)[0]
