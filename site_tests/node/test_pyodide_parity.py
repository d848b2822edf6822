"""The engines' golden and table cases give byte-identical JSON under Pyodide in Node."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from calculators import bridge
from macros.browser.qr import qr_svg
from macros.browser.runtime import build_bundle, pyodide_version
from macros.browser.snapshot import memory_snapshot
from site_tests.calculators.cases import parity_cases, parity_catalogue
from site_tests.conftest import PROJECT_ROOT
from site_tests.real_catalogue import real_catalogue_json

pytestmark = pytest.mark.node

HARNESS = Path(__file__).with_name("run_bridge.mjs")


@pytest.mark.parametrize("start", ["normal", "snapshot"])
def test_pyodide_and_cpython_give_the_same_bytes(tmp_path: Path, start: str) -> None:
    """Every case's answer from Pyodide (Python 3.14, in Node), configured from the shipped
    shared data and condition chunks as the worker is, equals CPython's from the whole
    catalogue exactly, whether Python started normally or was restored from the build's
    memory snapshot."""
    node = shutil.which("node")
    assert node, "Node.js is needed to run the calculators under Pyodide"
    catalogue_json = json.dumps(parity_catalogue(real_catalogue_json()))
    cases = [
        (name, json.dumps(payload)) for name, payload in parity_cases(json.loads(catalogue_json))
    ]
    shipped = build_bundle(json.loads(catalogue_json))
    bundle = tmp_path / "calculators.zip"
    bundle.write_bytes(shipped.code.data)
    qr_zip = tmp_path / "qr.zip"
    qr_zip.write_bytes(shipped.qr.data)
    chunks = [shipped.conditions[slug].data.decode() for slug in sorted(shipped.conditions)]
    codes = [
        ("https://handbook.example/conditions/plantar-heel-pain/handout/#plan=1~cx~#0", "Scan"),
        ("http://127.0.0.1:8000/" + "x" * 300, 'Title with <markup> & "quotes"'),
    ]
    (tmp_path / "cases.json").write_text(
        json.dumps(
            {
                "shared": shipped.shared.data.decode(),
                "chunks": chunks,
                "cases": cases,
                "qr": codes,
            }
        )
    )
    run = subprocess.run(
        [
            node,
            str(HARNESS),
            str(bundle),
            str(qr_zip),
            str(tmp_path / "cases.json"),
            str(tmp_path / "answers.json"),
            *([str(memory_snapshot().file)] if start == "snapshot" else []),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    under_pyodide = json.loads((tmp_path / "answers.json").read_text())
    assert under_pyodide["python"].startswith("3.14"), under_pyodide["python"]
    expected = [bridge.call(name, payload, catalogue_json) for name, payload in cases]
    assert len(cases) > 40
    mismatches = [
        (name, payload)
        for (name, payload), got, want in zip(
            cases, under_pyodide["answers"], expected, strict=True
        )
        if got != want
    ]
    assert mismatches == []
    # The worker's QR codes are the build's, symbol for symbol.
    assert under_pyodide["qr"] == [qr_svg(text, title) for text, title in codes]


def test_the_parity_run_uses_the_pinned_runtime() -> None:
    """The Node run loads the same pinned npm package that the site copies."""
    package = PROJECT_ROOT / "package.json"
    pinned = json.loads(package.read_text(encoding="utf-8"))["dependencies"]["pyodide"]
    assert pyodide_version() == pinned
