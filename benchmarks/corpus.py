"""A content folder of N conditions made from the real ones, for measuring the handbook at scale.

    .venv/bin/python benchmarks/corpus.py OUT_DIR --conditions 1000

The folder holds every real file of content/ unchanged, plus N minus 46 derived conditions.
Derived condition i is a full copy of one real condition (taken in turn, in file-name order)
with a made-up eponym of its own in its slug, name and every alias: "Calf strain (Kavori
type)", alias "pulled calf (kavori type)". So each page has a real page's size, structure,
red flags and calculator, names and aliases stay unique (lint's HB501-HB503), and each eponym
adds a new word to the search index as a real condition's name would. A copy of a condition
with fracture sites gets the same sites under its own slug, so the calculators' data grows as
it would with real conditions. The review date is the source's, so the corpus passes lint
exactly when the real content does. The same N always writes the same files.

The build reads a content folder from HANDBOOK_CONTENT:

    HANDBOOK_CONTENT=OUT_DIR .venv/bin/python -m macros build --site-dir SITE_DIR
"""

from __future__ import annotations

import argparse
import copy
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
CONDITIONS = "conditions"
PROTOCOLS = "protocols"

# Eponyms are three syllables from these; a multiplier coprime with their count (70 ** 3 =
# 2**3 * 5**3 * 7**3) maps each index to a different word, so no two derived names clash.
_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aeiou"
_SYLLABLES = [c + v for c in _CONSONANTS for v in _VOWELS]
_WORDS = len(_SYLLABLES) ** 3
_SPREAD = 7919


class _PlainDumper(yaml.SafeDumper):
    """Content refuses YAML anchors and aliases, so a value used twice is written out twice."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def eponym(index: int) -> str:
    """The made-up word for derived condition `index`: different for every index below 343,000."""
    if not 0 <= index < _WORDS:
        raise ValueError(f"only {_WORDS} derived conditions have an eponym")
    number = index * _SPREAD % _WORDS
    syllables = []
    for _ in range(3):
        number, digit = divmod(number, len(_SYLLABLES))
        syllables.append(_SYLLABLES[digit])
    return "".join(syllables)


def _read(path: Path) -> dict[str, Any]:
    # The real files have no anchors, tags or merge keys, so PyYAML's safe loader reads them
    # as the project's own loader does; dates become dates and are written back as dates.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a mapping")
    return data


def _write(path: Path, data: dict[str, Any]) -> None:
    text = yaml.dump(data, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")


def derive(condition: dict[str, Any], word: str) -> dict[str, Any]:
    """A copy of `condition` named for `word`, with its own slug, name and aliases."""
    derived = copy.deepcopy(condition)
    derived["slug"] = f"{condition['slug']}-{word}"
    derived["name"] = f"{condition['name']} ({word.capitalize()} type)"
    derived["aliases"] = [f"{alias} ({word} type)" for alias in condition.get("aliases", [])]
    return derived


def write_corpus(target: Path, conditions: int, source: Path = CONTENT) -> list[str]:
    """Write a content folder of `conditions` conditions into `target` (emptied first) and
    return every condition's slug, the real ones first."""
    real_files = sorted((source / CONDITIONS).glob("*.yml"))
    if conditions < len(real_files):
        raise ValueError(
            f"a corpus keeps all {len(real_files)} real conditions; ask for at least that many"
        )
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    real = [_read(path) for path in real_files]
    slugs = [condition["slug"] for condition in real]

    protocol_files = {path.stem: path for path in sorted((target / PROTOCOLS).glob("*.yml"))}
    protocols = {key: _read(path) for key, path in protocol_files.items()}
    sites_changed: set[str] = set()

    for index in range(conditions - len(real)):
        original = real[index % len(real)]
        derived = derive(original, eponym(index))
        _write(target / CONDITIONS / f"{derived['slug']}.yml", derived)
        slugs.append(derived["slug"])
        protocol = derived.get("return_to_run", {}).get("protocol")
        sites = (protocols.get(protocol) or {}).get("fracture_sites") or {}
        by_condition = sites.get("conditions") or {}
        if original["slug"] in by_condition:
            by_condition[derived["slug"]] = copy.deepcopy(by_condition[original["slug"]])
            sites_changed.add(protocol)
    for key in sorted(sites_changed):
        _write(protocol_files[key], protocols[key])
    return slugs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path, help="the content folder to write (replaced)")
    parser.add_argument("--conditions", type=int, default=1000)
    args = parser.parse_args()
    try:
        slugs = write_corpus(args.target, args.conditions)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"wrote {len(slugs)} conditions into {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
