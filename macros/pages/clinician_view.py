"""'How the calculators decide': every threshold the calculators use, read from their data.

The page is for clinicians who want to check the handbook before they hand it out. It is made
from the same catalogue the calculators run on, so it cannot describe rules the engine does not
apply. Each place in the data that names a `reference` becomes one row, with the numbers that
sit beside it, so a threshold added to the YAML later shows up here without a template change.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# Keys whose values are prose (shown as the row's text) or bookkeeping (not shown as numbers).
TEXT_KEYS = ("reason", "text", "note", "as_published", "label", "summary", "how_encoded")
NOT_NUMBERS = {"reference", "grade", "source", "id", "key", "grade_reason", *TEXT_KEYS}
# A list item is named by the first of these it has, so rows read "rules, sharp pain".
ITEM_NAMES = ("id", "key", "label", "name")


@dataclass(frozen=True)
class Decision:
    """One sourced statement in the calculators' data."""

    where: str
    values: str
    text: str | None
    reference: str
    grade: str | None


def _words(key: str) -> str:
    return key.removesuffix("_source").replace("_", " ").replace("-", " ")


def _scalar(value: Any) -> bool:
    return isinstance(value, (bool, int, float)) or (isinstance(value, str) and len(value) <= 40)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{_words(k)} {_show(v)}" for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value)
    return str(value).replace("_", " ")  # data tokens such as same_day read as words


def _backs(prefix: str | None, key: str) -> bool:
    """Does a `prefix_source` stand beside `key`? `source` alone backs all its neighbours;
    `session_cap_source` backs `session_cap_percent`, `pace_source` backs `…_pace_…`."""
    if prefix is None or key.endswith("source"):
        return False
    return set(prefix.split("_")) - {""} <= set(key.split("_"))


def _values(node: dict[str, Any], siblings: dict[str, Any], prefix: str | None) -> str:
    """The numbers that the source backs: the node's own, and its parent's neighbours that
    the source's key names (e.g. `session_cap_percent` beside `session_cap_source`)."""
    shown = {
        k: v
        for k, v in node.items()
        if k not in NOT_NUMBERS and v is not None and (_scalar(v) or k == "when")
    }
    shown |= {
        k: v
        for k, v in siblings.items()
        if k not in NOT_NUMBERS and v is not None and _scalar(v) and _backs(prefix, k)
    }
    return "; ".join(f"{_words(k)}: {_show(v)}" for k, v in shown.items())


def _item_name(item: Any, index: int) -> str:
    if isinstance(item, dict):
        for key in ITEM_NAMES:
            if isinstance(item.get(key), str):
                return _words(item[key])
    return str(index + 1)


def decisions(
    data: Any,
    where: tuple[str, ...] = (),
    siblings: dict[str, Any] | None = None,
    prefix: str | None = None,
) -> Iterator[Decision]:
    """Every dict under `data` that cites a reference, in document order."""
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield from decisions(item, (*where, _item_name(item, index)))
        return
    if not isinstance(data, dict):
        return
    if isinstance(data.get("reference"), str):
        yield Decision(
            where=" › ".join(where),
            values=_values(data, siblings or {}, prefix),
            text=next((data[k] for k in TEXT_KEYS if isinstance(data.get(k), str)), None),
            reference=data["reference"],
            grade=data.get("grade"),
        )
    for key, value in data.items():
        if isinstance(value, (dict, list)):
            own_prefix = key.removesuffix("source") if key.endswith("source") else None
            # A bare `source` names its parent ("entry gate"), not itself.
            inner = where if key == "source" else (*where, _words(key))
            yield from decisions(value, inner, data, own_prefix)


def explain_calculators(catalogue: dict[str, Any]) -> dict[str, Any]:
    """The page's context: each family and protocol with its users and sourced decisions."""
    conditions = catalogue["conditions"]

    def users(field: str, key: str) -> list[tuple[str, str]]:
        return sorted((c["name"], slug) for slug, c in conditions.items() if c.get(field) == key)

    families = [
        {
            "key": key,
            "data": family,
            "users": users("self_check", key),
            "decisions": list(decisions(family)),
        }
        for key, family in sorted(catalogue["self_checks"].items())
    ]
    protocols = [
        {
            "key": key,
            "data": protocol,
            "users": users("protocol", key),
            "decisions": list(decisions(protocol)),
        }
        for key, protocol in sorted(catalogue["protocols"].items())
    ]
    return {
        "families": families,
        "protocols": protocols,
        "plan_rules": list(decisions(catalogue.get("plan_rules", {}))),
        "references": catalogue["references"],
    }
