"""One rule for every address the site prints: https:// (http:// only for a local preview),
a host, and no character that could end an HTML attribute or a CSS string."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from macros.content.model import Reference, web_address_problem

HOSTILE = [
    'https://x.example/"><script>alert(1)</script>/',
    "https://x.example/' onmouseover='alert(1)",
    "https://x.example/<img src=x onerror=alert(1)>",
    "https://x.example/ page",
    "https://x.example/\\..\\",
    "https://x.example/`x`",
    "https://x.example/\x1b[2K",
    "https://x.example/\nSet-Cookie: a=b",
    "javascript:alert(1)",
    "JavaScript:alert(1)//https://x.example/",
    "data:text/html,<script>alert(1)</script>",
    "http://x.example/",  # plain http anywhere but this machine
    "https:///no-host",
    "https://[::1/",
    "//x.example/",
]
SAFE = [
    "https://x.example/",
    "https://clinic.example/handbook/?a=1&b=2#top",
    "https://bjsm.bmj.com/content/49/6/370",
    "http://localhost:8000/",
    "http://127.0.0.1:8000/handbook/",
]


@pytest.mark.parametrize("address", HOSTILE)
def test_hostile_addresses_are_refused(address: str) -> None:
    assert web_address_problem(address) is not None


@pytest.mark.parametrize("address", SAFE)
def test_ordinary_addresses_pass(address: str) -> None:
    assert web_address_problem(address) is None


def test_a_reference_link_uses_the_same_rule() -> None:
    fields = {"title": "T", "authors": "A", "year": 2020, "source": "S", "kind": "peer_reviewed"}
    assert Reference(**fields, url=SAFE[0]).url == SAFE[0]
    with pytest.raises(ValidationError, match="must not contain spaces, quotes"):
        Reference(**fields, url=HOSTILE[0])
    with pytest.raises(ValidationError, match="starting with https://"):
        Reference(**fields, url="javascript:alert(1)")
