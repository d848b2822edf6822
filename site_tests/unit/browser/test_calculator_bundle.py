"""The calculators' browser bundle grows with the page, not the catalogue: the code zip, the QR
zip and the shared data are the same bytes for the real 46 conditions and for a corpus twice
that size (benchmarks/corpus.py, fracture sites copied too), and a page's chunk is the same
file, so a condition page's bytes to its first result do not change as conditions are added."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from benchmarks.corpus import write_corpus
from macros.browser import pwa
from macros.browser.catalogue import catalogue_from_content
from macros.browser.runtime import (
    BUNDLE_DIR,
    NOT_IN_THE_BROWSER,
    CalculatorBundle,
    build_bundle,
    build_code_zip,
)
from site_tests.calculators.cases import parity_cases, parity_catalogue
from site_tests.conftest import PROJECT_ROOT
from site_tests.real_catalogue import real_catalogue_json

REAL: dict[str, Any] = json.loads(real_catalogue_json())
LARGER = 2 * len(REAL["conditions"])  # every real condition copied once


@pytest.fixture(scope="module")
def small() -> CalculatorBundle:
    return build_bundle(REAL)


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> CalculatorBundle:
    content = tmp_path_factory.mktemp("corpus") / "content"
    write_corpus(content, LARGER)
    return build_bundle(catalogue_from_content(content))


def _names(data: bytes) -> list[str]:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return archive.namelist()


def _first_result(bundle: CalculatorBundle, slug: str) -> int:
    files = (bundle.code, bundle.shared, bundle.conditions[slug])
    return sum(len(gzip.compress(file.data)) for file in files)


def test_code_qr_and_shared_data_do_not_change_with_the_catalogue(
    small: CalculatorBundle, large: CalculatorBundle
) -> None:
    assert len(large.conditions) == LARGER
    assert large.code.data == small.code.data
    assert large.qr.data == small.qr.data
    assert large.shared.data == small.shared.data
    for slug, chunk in small.conditions.items():  # the real pages name the very same files
        assert large.conditions[slug].path == chunk.path
    for slug in ("calf-strain", "tibial-stress-fracture"):
        assert _first_result(large, slug) == _first_result(small, slug)


def test_a_derived_conditions_chunk_is_the_size_of_its_source_and_names_only_it(
    small: CalculatorBundle, large: CalculatorBundle
) -> None:
    added = sorted(set(large.conditions) - set(small.conditions))
    assert len(added) == len(small.conditions)
    biggest_real = max(len(chunk.data) for chunk in small.conditions.values())
    for slug in added:
        chunk = json.loads(large.conditions[slug].data)
        assert list(chunk["conditions"]) == [slug]
        assert all(list(sites) == [slug] for sites in chunk["fracture_sites"].values())
        assert len(large.conditions[slug].data) < 1.2 * biggest_real
    with_sites = [s for s in added if json.loads(large.conditions[s].data)["fracture_sites"]]
    assert with_sites  # the copies of fracture-site conditions carry their own sites


def test_the_code_zip_holds_code_only_and_the_qr_zip_the_encoder(
    small: CalculatorBundle,
) -> None:
    code = _names(small.code.data)
    assert "calculators/bridge.py" in code
    assert all(name.startswith("calculators/") and name.endswith(".py") for name in code)
    qr = _names(small.qr.data)
    assert "hb_qr.py" in qr
    assert "segno/__init__.py" in qr
    assert small.shared.path.startswith(f"{BUNDLE_DIR}/shared-")
    index = json.loads(small.index.data)
    assert {slug: f"{BUNDLE_DIR}/{path}" for slug, path in index.items()} == {
        slug: chunk.path for slug, chunk in small.conditions.items()
    }
    assert small.conditions["calf-strain"].path.startswith(f"{BUNDLE_DIR}/conditions/calf-strain-")


def test_every_bundle_file_is_saved_on_install_for_offline_use(
    small: CalculatorBundle, tmp_path: Path
) -> None:
    for path, data in small.files().items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    entries = pwa.precache_entries(tmp_path)
    assert {entry.path for entry in entries} == set(small.files())
    assert {entry.group for entry in entries} == {"core"}


def test_no_bridge_call_imports_a_module_the_code_zip_leaves_out() -> None:
    """The worker only ever calls the bridge: every golden and journal case, run in a fresh
    interpreter that imports nothing else, imports none of the modules the zip omits."""
    catalogue = json.dumps(parity_catalogue(real_catalogue_json()))
    cases = [[name, json.dumps(payload)] for name, payload in parity_cases(json.loads(catalogue))]
    script = (
        "import json, sys\n"
        "from calculators import bridge\n"
        "catalogue, cases = json.load(sys.stdin)\n"
        "for name, payload in cases:\n"
        "    bridge.call(name, payload, catalogue)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('calculators'))))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps([catalogue, cases]),
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
    )
    loaded = {name.rpartition(".")[2] + ".py" for name in json.loads(run.stdout)}
    assert "journal_chart.py" in loaded  # imported inside a call, so the run reached it
    assert not loaded & set(NOT_IN_THE_BROWSER)
    shipped = {name.rpartition("/")[2] for name in _names(build_code_zip().data)}
    assert loaded - {"calculators.py"} <= shipped
