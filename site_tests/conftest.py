"""Shared test set-up: Hypothesis profiles, the project root and one built site per session."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent

settings.register_profile(
    "default", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=2000, deadline=None)
# `make check` is the quick loop; `make test`, which CI runs, uses the default profile.
settings.register_profile(
    "quick", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
DEFAULT_EXAMPLES = 200


def examples(count: int) -> settings:
    """`count` examples under the default profile (`make test`), scaled with the profile
    elsewhere: a fifth in `make check`'s quick loop (never under 10), ten times when thorough."""
    return settings(max_examples=max(10, count * settings.default.max_examples // DEFAULT_EXAMPLES))


# Each slow stage has its own folder, so a test is marked by where it lives and `make check`
# (`-m "not slow"`) can never pick up a build or a browser by accident.
STAGE_MARKS = {"site": "build", "browser": "browser", "node": "node", "generators": "generators"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        stage = Path(item.path).relative_to(PROJECT_ROOT / "site_tests").parts[0]
        if stage in STAGE_MARKS:
            item.add_marker(STAGE_MARKS[stage])
            item.add_marker("slow")


def build_site(site_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Build exactly as `make site` does, into `site_dir`."""
    return subprocess.run(
        [sys.executable, "-m", "macros", "build", "--site-dir", str(site_dir)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def site_url() -> str:
    """Where the browser tests serve the site. Material's instant navigation only follows
    links under site_url, so the site is built for the exact address it is served from."""
    return f"http://127.0.0.1:{free_port()}/"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, site_url: str) -> Path:
    """The real handbook, built once per session."""
    site = tmp_path_factory.mktemp("site")
    result = build_site(site, SITE_URL=site_url)
    assert result.returncode == 0, result.stdout + result.stderr
    return site
