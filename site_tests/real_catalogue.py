"""The real catalogue, made from `content/` once per test run, never committed."""

from __future__ import annotations

import functools

from macros.browser.catalogue import catalogue_from_content, dumps_catalogue


@functools.cache
def real_catalogue_json() -> str:
    """Exactly the JSON the build puts in the browser bundle, from today's content."""
    return dumps_catalogue(catalogue_from_content())
