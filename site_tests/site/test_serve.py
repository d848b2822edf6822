"""`make serve`: the generator's own server on the staged pages, restaged on every edit."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from macros.content.loader import CONTENT_DIR
from site_tests.conftest import PROJECT_ROOT, free_port

STARTUP = 240.0  # s: the first stage and preview build on a loaded 2-core machine
REBUILD = 180.0


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def _wait(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(1)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    log = tmp_path / "serve.log"
    address = f"127.0.0.1:{free_port()}"
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "macros",
                "serve",
                "--content",
                str(content),
                *("--address", address),
            ],
            cwd=PROJECT_ROOT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield f"http://{address}/", content, log
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_an_edit_is_served_and_a_broken_file_keeps_the_last_good_site(
    served: tuple[str, Path, Path],
) -> None:
    url, content, log = served
    page = f"{url}conditions/calf-strain/"
    _wait(lambda: "Calf strain" in _get(page), STARTUP, "the first page")
    assert '"page_count":' in _get(f"{url}pagefind/pagefind-entry.json")  # search works too
    condition = content / "conditions" / "calf-strain.yml"
    text = condition.read_text(encoding="utf-8")
    condition.write_text(text.replace("summary: >-", "summary: >-\n  SERVE-EDIT-MARKER.", 1))
    _wait(lambda: "SERVE-EDIT-MARKER" in _get(page), REBUILD, "the edit to be served")

    condition.write_text(condition.read_text().replace("region:", "regoin:", 1))
    # The server says it kept the last good site only after the failed restage has printed.
    _wait(lambda: "Still serving" in log.read_text(), REBUILD, "the failed restage to finish")
    output = log.read_text()
    assert "HB104 unknown key 'regoin'" in output
    assert "conditions/calf-strain.yml:" in output
    assert "Still serving the last good version." in output
    assert "Traceback" not in output
    assert "SERVE-EDIT-MARKER" in _get(page)
