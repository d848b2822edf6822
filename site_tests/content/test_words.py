"""The words: every named condition is findable, nothing is copied, nothing is sold."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
import yaml

from site_tests.conftest import PROJECT_ROOT

CONTENT = PROJECT_ROOT / "content"
SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"
PROSE_FILES = [
    *sorted((CONTENT / "conditions").glob("*.yml")),
    CONTENT / "exercises.yml",
    *sorted((PROJECT_ROOT / "docs").rglob("*.md")),
]

# Every condition the seed articles discuss (issue 6), as a runner might type it. Each must be
# a page name or an alias, so a condition cannot silently disappear from the handbook.
NAMED_CONDITIONS = [
    # Hip, pelvis, groin, buttock
    "lateral hip pain",
    "greater trochanteric pain syndrome",
    "trochanteric bursitis",
    "gluteal tendinopathy",
    "hip flexor strain",
    "hamstring strain",
    "proximal hamstring tendinopathy",
    "high hamstring tendinopathy",
    "adductor strain",
    "groin strain",
    "athletic pubalgia",
    "sports hernia",
    "femoral neck stress fracture",
    "hip stress fracture",
    "femoroacetabular impingement",
    "hip labral tear",
    "piriformis syndrome",
    "deep gluteal pain",
    "hip osteoarthritis",
    # Knee and thigh
    "iliotibial band syndrome",
    "patellofemoral pain",
    "runner's knee",
    "patellar tendinopathy",
    "meniscus tear",
    "ACL injury",
    # Shin, calf and Achilles
    "medial tibial stress syndrome",
    "shin splints",
    "tibial stress fracture",
    "calf strain",
    "tennis leg",
    "exercise-associated muscle cramps",
    "chronic exertional compartment syndrome",
    "mid-portion Achilles tendinopathy",
    "insertional Achilles tendinopathy",
    "Achilles tendon rupture",
    "deep vein thrombosis",
    "calf clot",
    # Foot and ankle
    "plantar heel pain",
    "plantar fasciitis",
    "heel spur",
    "calcaneal stress fracture",
    "metatarsal stress fracture",
    "navicular stress fracture",
    "broken toe",
    "black toenail",
    "subungual haematoma",
    "ankle sprain",
    "chronic ankle instability",
    "tarsal tunnel syndrome",
    # Back
    "low back pain",
    "sciatica",
    "sacroiliac joint pain",
    # Breathing
    "runner's cough",
    "exercise-induced bronchoconstriction",
    "cold-air cough",
    "postnasal drip",
    "seasonal allergies",
    "exercise-related reflux",
    "vocal cord dysfunction",
    "exercise-induced laryngeal obstruction",
    # Whole body
    "delayed-onset muscle soreness",
    "overtraining",
    "under-recovery",
    "relative energy deficiency in sport",
    "RED-S",
    "side stitch",
]

# Product and brand names found in the seed articles, plus common ones in the same trade.
BRANDS = re.compile(
    r"\b(kt ?tape|kinesio|rocktape|amazon|strava|runsource|injurymap|oofos|nike|hoka|asics|"
    r"brooks|saucony|garmin|theragun|hyperice|voltaren|advil|tylenol|nurofen|gatorade)\b",
    re.IGNORECASE,
)
SHINGLE = 10  # words in a row that may not be shared with a seed


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())


@cache
def _names_and_aliases() -> frozenset[str]:
    found = set()
    for path in (CONTENT / "conditions").glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found.update(_fold(name) for name in [data["name"], *data.get("aliases", [])])
    return frozenset(found)


@pytest.mark.parametrize("name", NAMED_CONDITIONS)
def test_every_named_condition_is_a_page_name_or_alias(name: str) -> None:
    """Search weighs names and aliases above body text, so each of these finds its page."""
    known = _names_and_aliases()
    assert _fold(name) in known or any(_fold(name) in k for k in known), name


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key != "references":
                yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


@cache
def _prose(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return [text]
    return list(_strings(yaml.safe_load(text)))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.replace("’", "'").casefold())


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


@pytest.fixture(scope="module")
def seed_shingles() -> set[tuple[str, ...]]:
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.fail(f"the seed articles are missing from {SEEDS}")
    return set().union(*(_shingles(_words(p.read_text(encoding="utf-8"))) for p in seeds))


@pytest.mark.parametrize("path", PROSE_FILES, ids=lambda p: p.relative_to(PROJECT_ROOT).as_posix())
def test_no_sentence_is_copied_from_the_seeds(
    path: Path, seed_shingles: set[tuple[str, ...]]
) -> None:
    """No run of ten words in our text also appears in a seed article."""
    copied = [
        " ".join(shingle)
        for text in _prose(path)
        for shingle in _shingles(_words(text))
        if shingle in seed_shingles
    ]
    assert copied == []


@pytest.mark.parametrize("path", PROSE_FILES, ids=lambda p: p.relative_to(PROJECT_ROOT).as_posix())
def test_no_product_plugs(path: Path) -> None:
    """No brand or product names in the handbook's own words."""
    hits = [match.group(0) for text in _prose(path) for match in BRANDS.finditer(text)]
    assert hits == []


# A reader of about twelve is US school grade 6 to 7. Medical names ("tendinopathy") add
# syllables no rewording can remove, so a summary may reach grade 9 but no further.
MAX_SUMMARY_GRADE = 9.0


def _syllables(word: str) -> int:
    word = re.sub(r"(?:es|ed|e)$", "", word.casefold().strip("'")) if len(word) > 3 else word
    return max(1, len(re.findall(r"[aeiouy]+", word)))


def flesch_kincaid_grade(text: str) -> float:
    sentences = max(1, len(re.findall(r"[.!?]+(?:\s|$)", text)))
    words = re.findall(r"[A-Za-z']+", text)
    syllables = sum(_syllables(word) for word in words)
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59


def test_readability_formula_on_known_sentences() -> None:
    """Short words and sentences score low; long words and sentences score high."""
    assert flesch_kincaid_grade("The cat sat on the mat. It was warm.") < 2
    assert (
        flesch_kincaid_grade(
            "Intermittent musculoskeletal symptomatology necessitates comprehensive "
            "multidisciplinary evaluation."
        )
        > 16
    )


@pytest.mark.parametrize(
    "path", sorted((CONTENT / "conditions").glob("*.yml")), ids=lambda p: p.stem
)
def test_summaries_read_at_about_age_twelve(path: Path) -> None:
    """Each summary stays within plain English for a reader of about twelve."""
    summary = yaml.safe_load(path.read_text(encoding="utf-8"))["summary"]
    assert flesch_kincaid_grade(summary) <= MAX_SUMMARY_GRADE
