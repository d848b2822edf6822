"""Catalogues for the calculator tests: a small fixture one and the real one, made from content/."""

from __future__ import annotations

import json

import pytest

from calculators.catalogue import Catalogue, parse_catalogue_json
from site_tests.calculators.fixtures import fixture_catalogue, fixture_data
from site_tests.real_catalogue import real_catalogue_json


@pytest.fixture(scope="session")
def fixture_cat() -> Catalogue:
    return fixture_catalogue()


@pytest.fixture(scope="session")
def fixture_json() -> str:
    return json.dumps(fixture_data())


@pytest.fixture(scope="session")
def real_json() -> str:
    return real_catalogue_json()


@pytest.fixture(scope="session")
def real_cat(real_json: str) -> Catalogue:
    return parse_catalogue_json(real_json)
