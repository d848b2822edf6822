"""The catalogue in parts, so a browser loads only the conditions a page uses.

    shared, chunks = split_catalogue(catalogue_data)     # at build time, plain JSON data
    catalogue = load_catalogue(shared)                   # every family, protocol, reference
    catalogue = with_chunk(catalogue, chunks["achilles-tendinopathy"])

`shared` is the catalogue with no conditions and no protocol's per-condition fracture sites:
what every condition needs, so its size does not grow with the number of conditions. A chunk
holds one condition and its fracture sites, in the shape of a partial catalogue:

    {"conditions": {slug: {...}}, "fracture_sites": {protocol_key: {slug: [...]}}}

A catalogue made from `shared` and chunks answers every call about those conditions exactly
as the whole catalogue does (a test checks it for every condition). `wanted_conditions` says
which chunks a call needs, read from its payload before the call.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from calculators.catalogue import (
    Catalogue,
    Condition,
    FractureSite,
    check_references,
    read_value,
)
from calculators.errors import CatalogueError, InputError
from calculators.share import decode

CHUNK_FIELDS = ("conditions", "fracture_sites")
MAX_WANTED = 200
"""A journal names at most a few conditions; a hostile payload must not make the worker
fetch the whole catalogue."""


def split_catalogue(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The shared part and one chunk per condition slug, from whole catalogue data."""
    shared = copy.deepcopy(dict(data))
    conditions = shared.pop("conditions")
    shared["conditions"] = {}
    chunks: dict[str, dict[str, Any]] = {
        slug: {"conditions": {slug: condition}, "fracture_sites": {}}
        for slug, condition in conditions.items()
    }
    for key, protocol in shared["protocols"].items():
        sites = protocol.get("fracture_sites")
        if not sites:
            continue
        for slug, listed in sites["conditions"].items():
            if slug in chunks:
                chunks[slug]["fracture_sites"].setdefault(key, {})[slug] = listed
        sites["conditions"] = {}
    return shared, chunks


def with_chunk(catalogue: Catalogue, chunk: Any, where: str = "chunk") -> Catalogue:
    """`catalogue` with the conditions and fracture sites of `chunk` added; raises
    CatalogueError, naming the place, for a chunk out of shape or one naming unknown parts."""
    if not isinstance(chunk, Mapping):
        raise CatalogueError(where, "expected an object")
    unknown = sorted(str(name) for name in chunk if name not in CHUNK_FIELDS)
    if unknown:
        raise CatalogueError(f"{where}.{unknown[0]}", "unknown field")
    conditions = dict(catalogue.conditions)
    added = read_value(Mapping[str, Condition], chunk.get("conditions", {}), f"{where}.conditions")
    conditions.update(added)
    protocols = dict(catalogue.protocols)
    sites_by_protocol = chunk.get("fracture_sites", {})
    if not isinstance(sites_by_protocol, Mapping):
        raise CatalogueError(f"{where}.fracture_sites", "expected an object")
    for key, sites in sites_by_protocol.items():
        here = f"{where}.fracture_sites.{key}"
        protocol = protocols.get(key)
        if protocol is None or protocol.fracture_sites is None:
            raise CatalogueError(here, f"'{key}' is not a protocol with fracture sites")
        listed = read_value(Mapping[str, tuple[FractureSite, ...]], sites, here)
        merged = {**protocol.fracture_sites.conditions, **listed}
        protocols[key] = replace(
            protocol,
            fracture_sites=replace(
                protocol.fracture_sites, conditions={k: merged[k] for k in sorted(merged)}
            ),
        )
    joined = replace(
        catalogue,
        conditions={slug: conditions[slug] for slug in sorted(conditions)},
        protocols=protocols,
    )
    check_references(joined)
    return joined


def _named_conditions(data: Any, found: list[str]) -> None:
    """Every text under a "condition" key, in a journal document of any version."""
    if len(found) >= MAX_WANTED:
        return
    if isinstance(data, Mapping):
        for key, value in data.items():
            if key == "condition" and isinstance(value, str):
                if value not in found:
                    found.append(value)
            else:
                _named_conditions(value, found)
    elif isinstance(data, list):
        for item in data:
            _named_conditions(item, found)


def wanted_conditions(name: str, payload: Any) -> list[str]:
    """The condition slugs a call on `payload` reads, so their chunks can be loaded first.
    Anything unreadable wants nothing: the call itself then reports the problem."""
    if name == "open_share":
        link = payload.get("link") if isinstance(payload, Mapping) else None
        try:
            payload = decode(link).payload
        except InputError:
            return []
    found: list[str] = []
    _named_conditions(payload, found)
    return found[:MAX_WANTED]
