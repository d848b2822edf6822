"""Read YAML while remembering where every value sits, so errors can point at it.

PyYAML's composer gives us nodes with marks; we construct plain Python data from
them and keep a map from each value's path (a tuple of keys and indexes) to its
1-based (line, column). Dates are left as strings so that the model, not the
YAML parser, decides what a valid date is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Location = tuple[int, int]
DataPath = tuple[str | int, ...]


class _NoDatesLoader(yaml.SafeLoader):
    """SafeLoader without the implicit timestamp resolver."""


_NoDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class SourceMap:
    """Where each value and each mapping key came from."""

    values: dict[DataPath, Location] = field(default_factory=dict)
    keys: dict[DataPath, Location] = field(default_factory=dict)

    def locate(self, path: DataPath, *, key: bool = False) -> Location:
        """The nearest known location for `path`, walking up to its parents."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))


class YamlSyntaxError(Exception):
    """Bad YAML, or a key written twice in one mapping (PyYAML would silently keep the last)."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def _position(node: yaml.Node) -> Location:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _build(node: yaml.Node, path: DataPath, smap: SourceMap, loader: yaml.SafeLoader) -> Any:
    smap.values[path] = _position(node)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            key = key if isinstance(key, str) else str(key)
            if (*path, key) in smap.keys:
                line, col = _position(key_node)
                raise YamlSyntaxError(line, col, f"the key '{key}' appears twice in one mapping")
            smap.keys[(*path, key)] = _position(key_node)
            result[key] = _build(value_node, (*path, key), smap, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), smap, loader) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def load_with_locations(text: str) -> tuple[Any, SourceMap]:
    """Parse one YAML document; raise YamlSyntaxError with a 1-based location."""
    loader = _NoDatesLoader(text)
    try:
        node = loader.get_single_node()
        smap = SourceMap()
        data = None if node is None else _build(node, (), smap, loader)
    except YamlSyntaxError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlSyntaxError(line, col, f"{exc.problem or exc.context}") from exc
    finally:
        loader.dispose()
    return data, smap


def read_yaml(path: Path) -> tuple[Any, SourceMap]:
    return load_with_locations(path.read_text(encoding="utf-8"))
