"""Read YAML while remembering where every value sits, so errors can point at it.

PyYAML's composer gives us nodes with marks; we construct plain Python data from
them and keep a map from each value's path (a tuple of keys and indexes) to its
1-based (line, column). Dates are left as strings so that the model, not the
YAML parser, decides what a valid date is.

Content is plain data, so the YAML features that only serve to repeat, retype or
hide values are refused, each at its place: anchors and aliases (which also make a
7 KB "billion laughs" file expand to gigabytes), explicit tags, merge keys and keys
written twice. Nesting is capped, so a file of 5,000 `[` is an error, not a crash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml._yaml import CParser

from macros.content.problems import shown

Location = tuple[int, int]
DataPath = tuple[str | int, ...]

# The deepest content file nests 4 levels; 20 leaves room and stops runaway recursion.
MAX_DEPTH = 20
# Past this many, more problems in one file are counted, not listed.
MAX_PROBLEMS_PER_FILE = 25

_STANDARD_TAGS = "tag:yaml.org,2002:"
_MERGE_TAG = _STANDARD_TAGS + "merge"
_WRITE_IT_OUT = "content files write every value out in full"


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


@dataclass(frozen=True, order=True)
class YamlProblem:
    """One located reason the file cannot be read as content; `code` is an HB1xx rule."""

    line: int
    col: int
    code: str
    message: str


class YamlRefused(Exception):
    """The file is not valid YAML, or uses YAML that content does not allow: every reason."""

    def __init__(self, problems: list[YamlProblem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(f"{p.line}:{p.col}: {p.code} {p.message}" for p in problems))


def _position(mark: yaml.Mark) -> Location:
    return mark.line + 1, mark.column + 1


class _AliasNode(yaml.ScalarNode):
    """Stands in for `*name`, so an alias is reported where it is and never expanded."""

    def __init__(self, anchor: str, start_mark: yaml.Mark, end_mark: yaml.Mark) -> None:
        super().__init__("tag:yaml.org,2002:null", "", start_mark, end_mark)
        self.anchor = anchor


class _ContentComposer(yaml.composer.Composer, yaml.resolver.Resolver):
    """Composes nodes while refusing anchors, aliases and tags, and capping the depth."""

    problems: list[YamlProblem]
    _depth: int

    if TYPE_CHECKING:  # given by the parser and constructor each loader below is made with

        def check_event(self, *choices: Any) -> bool: ...
        def peek_event(self) -> Any: ...
        def get_event(self) -> Any: ...
        def construct_object(self, node: yaml.Node, deep: bool = False) -> Any: ...

    def refuse(self, mark: yaml.Mark, code: str, message: str) -> None:
        self.problems.append(YamlProblem(*_position(mark), code, message))

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        # PyYAML's own compose_node, minus anchors: an alias becomes a placeholder and no
        # anchor is registered, so nothing can be expanded and nothing is composed twice.
        # types-PyYAML types compose_*_node's anchor as a dict, where PyYAML passes the anchor
        # or None (hence the ignores below).
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()
            return _AliasNode(event.anchor, event.start_mark, event.end_mark)
        event = self.peek_event()
        if event.anchor is not None:
            self.refuse(
                event.start_mark,
                "HB111",
                f"anchor &{shown(event.anchor)}: anchors and aliases are not used; "
                + _WRITE_IT_OUT,
            )
        if event.tag not in (None, "!"):
            self.refuse(
                event.start_mark,
                "HB112",
                f"tag {shown(_as_written(event.tag))}: YAML tags are not used; write the value "
                "plainly, with quotes around text that could be read as a number or true/false",
            )
            event.tag = None  # read it as if untagged, so the rest of the file is still checked
        self.descend_resolver(parent, index)
        node: yaml.Node
        if self.check_event(yaml.ScalarEvent):
            node = self.compose_scalar_node(None)  # type: ignore[arg-type]
        else:
            self._depth += 1
            if self._depth > MAX_DEPTH:
                self.refuse(
                    event.start_mark,
                    "HB114",
                    f"lists and mappings are nested more than {MAX_DEPTH} levels deep here",
                )
                raise YamlRefused(self.problems)
            if self.check_event(yaml.SequenceStartEvent):
                node = self.compose_sequence_node(None)  # type: ignore[arg-type]
            else:
                node = self.compose_mapping_node(None)  # type: ignore[arg-type]
            self._depth -= 1
        self.ascend_resolver()
        return node


class _ContentLoader(_ContentComposer, _NoDatesLoader):
    """PyYAML's own reader, scanner and parser in Python: what every problem is reported by."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.problems = []
        self._depth = 0


class _FastContentLoader(
    _ContentComposer,
    CParser,  # libyaml, the C scanner and parser PyYAML wraps
    yaml.constructor.SafeConstructor,
    yaml.resolver.Resolver,
):
    """The same composer over libyaml's events, for files that turn out to have no problem.
    Reading a file with Python's scanner was most of a build's time before the generator."""

    yaml_implicit_resolvers = _NoDatesLoader.yaml_implicit_resolvers

    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self.problems = []
        self._depth = 0


def _as_written(tag: str) -> str:
    """The tag as it was written: !!set rather than tag:yaml.org,2002:set."""
    return "!!" + tag.removeprefix(_STANDARD_TAGS) if tag.startswith(_STANDARD_TAGS) else tag


def _construct(node: yaml.Node, loader: _ContentComposer) -> Any:
    try:
        return loader.construct_object(node, deep=True)
    except ValueError:
        # int() refuses numbers of more than 4,300 digits rather than spend quadratic time.
        loader.refuse(node.start_mark, "HB101", "this number is too long to read")
        return None


def _build(node: yaml.Node, path: DataPath, smap: SourceMap, loader: _ContentComposer) -> Any:
    smap.values[path] = _position(node.start_mark)
    if isinstance(node, _AliasNode):
        loader.refuse(
            node.start_mark,
            "HB111",
            f"alias *{shown(node.anchor)} repeats another value; " + _WRITE_IT_OUT,
        )
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                loader.refuse(
                    key_node.start_mark,
                    "HB113",
                    "merge keys (<<) are not used; write the keys of this mapping out in full",
                )
                continue
            key = _build(key_node, (*path, "<key>"), SourceMap(), loader)
            key = key if isinstance(key, str) else str(key)
            if (*path, key) in smap.keys:
                first_line, _first_col = smap.keys[(*path, key)]
                loader.refuse(
                    key_node.start_mark,
                    "HB110",
                    f"the key '{shown(key)}' appears twice in one mapping "
                    f"(first on line {first_line}); keep one",
                )
                continue
            smap.keys[(*path, key)] = _position(key_node.start_mark)
            result[key] = _build(value_node, (*path, key), smap, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), smap, loader) for i, item in enumerate(node.value)]
    return _construct(node, loader)


def _capped(problems: list[YamlProblem]) -> list[YamlProblem]:
    problems = sorted(problems)
    if len(problems) <= MAX_PROBLEMS_PER_FILE:
        return problems
    shown, hidden = problems[:MAX_PROBLEMS_PER_FILE], problems[MAX_PROBLEMS_PER_FILE:]
    first = hidden[0]
    more = YamlProblem(
        first.line,
        first.col,
        first.code,
        f"and {len(hidden)} more problems like these in this file, not listed",
    )
    return [*shown, more]


def _text_position(text: str, index: int) -> Location:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def _load_clean(text: str) -> tuple[Any, SourceMap] | None:
    """The data and where it sits, read by libyaml, or None if libyaml found any problem or
    the composer refused anything: then the Python reader reads the file again and reports,
    so every message and location is the one it has always given. libyaml counts lines and
    columns in characters, as the Python reader does."""
    try:
        loader = _FastContentLoader(text)
    except Exception:  # whatever libyaml objects to, the Python reader reports
        return None
    try:
        node = loader.get_single_node()
        smap = SourceMap()
        data = None if node is None else _build(node, (), smap, loader)
    except Exception:
        return None
    finally:
        loader.dispose()
    return None if loader.problems else (data, smap)


def load_with_locations(text: str) -> tuple[Any, SourceMap]:
    """Parse one YAML document; raise YamlRefused listing every located problem."""
    clean = _load_clean(text)
    if clean is not None:
        return clean
    try:
        # PyYAML checks every character for control codes such as ESC up front.
        loader = _ContentLoader(text)
    except yaml.reader.ReaderError as exc:
        line, col = _text_position(text, exc.position)
        message = f"YAML syntax: the character U+{exc.character:04X} is not allowed in YAML"
        raise YamlRefused([YamlProblem(line, col, "HB101", message)]) from None
    try:
        node = loader.get_single_node()
        smap = SourceMap()
        data = None if node is None else _build(node, (), smap, loader)
    except YamlRefused as exc:
        raise YamlRefused(_capped(exc.problems)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _position(mark) if mark else (1, 1)
        problem = YamlProblem(line, col, "HB101", f"YAML syntax: {exc.problem or exc.context}")
        raise YamlRefused(_capped([*loader.problems, problem])) from None
    finally:
        loader.dispose()
    if loader.problems:
        raise YamlRefused(_capped(loader.problems))
    return data, smap


def read_yaml(path: Path) -> tuple[Any, SourceMap]:
    return load_with_locations(path.read_text(encoding="utf-8"))
