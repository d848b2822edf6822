"""Catalogues for the calculator tests: a small fixture one and the real committed one."""

from __future__ import annotations

import json

import pytest

from calculators.catalogue import Catalogue, parse_catalogue_json
from site_tests.calculators.fixtures import fixture_catalogue, fixture_data
from site_tests.conftest import PROJECT_ROOT

CATALOGUE_FILE = PROJECT_ROOT / "calculators" / "catalogue.json"


@pytest.fixture(scope="session")
def fixture_cat() -> Catalogue:
    return fixture_catalogue()


@pytest.fixture(scope="session")
def fixture_json() -> str:
    return json.dumps(fixture_data())


@pytest.fixture(scope="session")
def real_json() -> str:
    return CATALOGUE_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def real_cat(real_json: str) -> Catalogue:
    return parse_catalogue_json(real_json)
