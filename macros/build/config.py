"""The generator's configuration: `mkdocs.yml` with every value this build decides filled in.

`mkdocs.yml` stays the one hand-written configuration. Each build reads it, resolves its
`!ENV` tags, points it at the staging folder and adds what the content decides (navigation,
a clinic's name and colours, the calculators' bundle). The result is plain YAML with no tags
and no hooks, which MkDocs, ProperDocs and Zensical all read the same way.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import yaml

from macros.build.generators import Generator

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BASE_CONFIG = PROJECT_ROOT / "mkdocs.yml"


class _EnvLoader(yaml.SafeLoader):
    """PyYAML's safe loader that also reads MkDocs' `!ENV NAME` and `!ENV [NAME, default]`."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        values = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, default = values[:-1], values[-1]
    for name in names:
        if os.environ.get(str(name)):
            return os.environ[str(name)]
    return default


_EnvLoader.add_constructor("!ENV", _env_tag)


def read_base_config(path: Path = BASE_CONFIG) -> dict[str, Any]:
    with path.open(encoding="utf-8") as stream:
        data = yaml.load(stream, Loader=_EnvLoader)  # a SafeLoader subclass
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a mapping")
    return data


def generator_config(
    base: dict[str, Any],
    generator: Generator,
    *,
    docs_dir: Path,
    site_dir: Path,
    theme_dir: Path,
    nav: list[Any],
    extra: dict[str, Any],
    overrides: dict[str, Any],
) -> dict[str, Any]:
    """The configuration one generator builds this handbook from."""
    config = copy.deepcopy(base)
    config.pop("hooks", None)  # nothing runs inside the generator
    config.pop("watch", None)  # `python -m macros serve` watches the sources itself
    config["docs_dir"] = str(docs_dir)
    config["site_dir"] = str(site_dir)
    config["theme"]["custom_dir"] = str(theme_dir)
    config["theme"].update(generator.theme_settings)
    config["nav"] = nav
    config["extra"] = {**config.get("extra", {}), **extra}
    config["plugins"] = generator.search_off
    for key, value in overrides.items():
        if key == "theme":
            config["theme"].update(value)
        else:
            config[key] = value
    for key in generator.unsupported_settings:
        config.pop(key, None)
    return config


def write_config(config: dict[str, Any], path: Path) -> Path:
    text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)
    path.write_text("# Written by `python -m macros build` from mkdocs.yml; do not edit.\n" + text)
    return path
