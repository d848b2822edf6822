"""One real build per generator (and one clinic copy each), shared by the comparison tests.

Browser fixtures come from site_tests/browser/conftest.py, so the smoke tests here drive
Chromium exactly as the default generator's browser tests do.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from macros.build.generators import DEFAULT, GENERATORS, ensure_installed
from site_tests.browser.conftest import (  # noqa: F401 (fixtures and the report hook)
    browser,
    no_csp_violations,
    playwright,
    pytest_runtest_makereport,
)
from site_tests.conftest import PROJECT_ROOT, build_site

OTHER_GENERATORS = sorted(name for name in GENERATORS if name != DEFAULT)
SITE_URL = "http://127.0.0.1:8765/"
EXAMPLE_CLINIC = PROJECT_ROOT / "clinics" / "example"


@pytest.fixture(scope="session", autouse=True)
def generator_environments(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each generator's environment, made before any build: with `pytest -n`, two workers
    building with the same generator would otherwise both create its .venv at once. The
    workers of one run share their base temp folder's parent, so the lock file lives there."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    with (shared / "generator-environments.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for name in OTHER_GENERATORS:
            ensure_installed(GENERATORS[name])
        fcntl.flock(lock, fcntl.LOCK_UN)


def _build(
    tmp_path_factory: pytest.TempPathFactory, generator: str, label: str = "", **env: str
) -> Path:
    site = tmp_path_factory.mktemp(f"{generator}{label}") / "site"
    result = build_site(site, GENERATOR=generator, SITE_URL=SITE_URL, **env)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The handbook built by each generator, for the same address."""
    return {name: _build(tmp_path_factory, name) for name in sorted(GENERATORS)}


@pytest.fixture(scope="session")
def clinic_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example clinic's copy built by each generator."""
    return {
        name: _build(tmp_path_factory, name, "-clinic", HANDBOOK_CLINIC=str(EXAMPLE_CLINIC))
        for name in sorted(GENERATORS)
    }
