"""The home page's body map: a schematic figure, front and back, with one shape per region.

Shapes are drawn here, not in content/: they are pictures of the vocabulary's regions, and a
test fails if a region in content/vocabularies/regions.yml has none. Coordinates are in a
120 x 260 box per view. The whole-body region is the figure itself, drawn under the others,
so tapping anywhere no other region covers means "all over".
"""

from __future__ import annotations

from dataclasses import dataclass

from macros.content.loader import Handbook

VIEW_BOX = "0 0 120 260"  # wide and tall enough for the figure and its feet


def _box(x: float, y: float, width: float, height: float, radius: float = 6) -> str:
    """A rounded rectangle as an SVG path."""
    r = min(radius, width / 2, height / 2)
    return (
        f"M{x + r},{y}h{width - 2 * r}a{r},{r} 0 0 1 {r},{r}v{height - 2 * r}"
        f"a{r},{r} 0 0 1 -{r},{r}h-{width - 2 * r}a{r},{r} 0 0 1 -{r},-{r}"
        f"v-{height - 2 * r}a{r},{r} 0 0 1 {r},-{r}z"
    )


def _pair(x: float, y: float, width: float, height: float, radius: float = 6) -> tuple[str, str]:
    """The same shape on the left leg and, mirrored about the middle, on the right."""
    return _box(x, y, width, height, radius), _box(120 - x - width, y, width, height, radius)


# Head, then one outline for neck, arms, trunk and legs (the legs part at the crotch).
FIGURE = (
    "M60,7a13,13 0 1 1 0,26a13,13 0 1 1 0,-26z"
    "M53,33h14v7l21,4q8,2 9,12l7,62q1,6 -5,6l-6,-2l-5,-52h-2v48l-2,10l-4,108l2,10q1,6 -6,6"
    "h-12q-3,-2 -2,-8v-104h-4v104q1,6 -2,8h-12q-7,0 -6,-6l2,-10l-4,-108l-2,-10v-48h-2"
    "l-5,52l-6,2q-6,0 -5,-6l7,-62q1,-10 9,-12l21,-4z"
)

# Region key -> view -> the shapes drawn for it there.
REGION_SHAPES: dict[str, dict[str, tuple[str, ...]]] = {
    "whole-body": {"front": (FIGURE,), "back": (FIGURE,)},
    "breathing": {"front": (_box(42, 46, 36, 30, 12),)},
    "back": {"back": (_box(40, 84, 40, 26),)},
    "hip": {"front": (_box(36, 110, 48, 30, 8),), "back": (_box(36, 110, 48, 32, 10),)},
    "knee": {"front": _pair(38, 142, 19, 50), "back": _pair(38, 144, 19, 48)},
    "shin-calf-achilles": {"front": _pair(40, 194, 16, 40, 5), "back": _pair(40, 194, 16, 42, 5)},
    # Feet reach a little past the outline, so a fingertip-sized target (24 px) stays one.
    "foot-ankle": {"front": _pair(36, 235, 22, 22, 6), "back": _pair(38, 236, 19, 21, 6)},
}

VIEWS = (("front", "Front"), ("back", "Back"))


@dataclass(frozen=True)
class MapRegion:
    key: str
    name: str
    shapes: tuple[str, ...]
    linked: bool  # False when this copy covers none of the region's conditions


@dataclass(frozen=True)
class MapView:
    key: str
    name: str
    regions: tuple[MapRegion, ...]


def regions_without_shapes(book: Handbook) -> list[str]:
    return [key for key, _region in book.regions_in_order() if key not in REGION_SHAPES]


def body_map(book: Handbook) -> list[MapView]:
    """Each view's regions, bottom layer first; a region this copy leaves empty is drawn but
    is not a link, so a clinic's copy never links to a panel it does not have."""
    order = ["whole-body"] + [key for key, _region in book.regions_in_order()]
    views = []
    for view, view_name in VIEWS:
        regions = tuple(
            MapRegion(key, book.regions[key].name, shapes, bool(book.conditions_in(key)))
            for key in dict.fromkeys(order)
            if key in book.regions and (shapes := REGION_SHAPES.get(key, {}).get(view))
        )
        views.append(MapView(view, view_name, regions))
    return views
