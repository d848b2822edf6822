"""Colour arithmetic for clinic brands: hex colours, WCAG 2.x contrast and readable shades.

Pure functions over '#rrggbb' strings, used by the contrast rule (HB602) and the theme.
"""

from __future__ import annotations

import colorsys
import math
import re

WHITE = "#ffffff"
BLACK = "#000000"
# Material's slate background is hsla(var(--md-hue), 15%, 14%) (palette.css) with --md-hue
# 225deg (main.css). Derived rather than copied as #1e2129, so the numbers that define it
# are the ones the dark-mode link colours are checked against.
SLATE_HUE, SLATE_SATURATION, SLATE_LIGHTNESS = 225, 0.15, 0.14
WCAG_AA_TEXT = 4.5
_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def is_hex_colour(text: str) -> bool:
    return bool(_HEX_COLOUR.match(text))


def rgb(colour: str) -> tuple[int, int, int]:
    if not is_hex_colour(colour):
        raise ValueError(f"{colour!r} is not a #rrggbb or #rgb colour")
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(2 * digit for digit in digits)
    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return red, green, blue


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(channel):02x}" for channel in rgb)


def normalise_colour(colour: str) -> str:
    """'#ABC' -> '#aabbcc', so CSS and comparisons see one spelling."""
    return _hex(rgb(colour))


def _linear(channel: int) -> float:
    value = channel / 255
    # WCAG 2.x quotes 0.03928, a typo for sRGB's 0.04045; no 8-bit value lies between them.
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    red, green, blue = (_linear(channel) for channel in rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio of two hex colours, from 1.0 (same) to 21.0 (black/white)."""
    lighter, darker = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(colour: str, toward: str, amount: float) -> str:
    """`amount` 0 keeps `colour`, 1 gives `toward`."""
    start, end = rgb(colour), rgb(toward)
    mixed = tuple(s + (e - s) * amount for s, e in zip(start, end, strict=True))
    return _hex((mixed[0], mixed[1], mixed[2]))


def slate_background() -> str:
    red, green, blue = colorsys.hls_to_rgb(SLATE_HUE / 360, SLATE_LIGHTNESS, SLATE_SATURATION)
    return _hex((red * 255, green * 255, blue * 255))


def readable_shade(colour: str, background: str, minimum: float = WCAG_AA_TEXT) -> str:
    """The nearest tint or shade of `colour` that reaches `minimum` contrast on `background`.

    Moving toward white on dark backgrounds (black on light ones) keeps the hue, so a
    clinic's blue stays recognisably its blue in dark mode.
    """
    toward = (
        WHITE if contrast_ratio(WHITE, background) > contrast_ratio(BLACK, background) else BLACK
    )
    for step in range(21):
        candidate = mix(colour, toward, step / 20)
        if contrast_ratio(candidate, background) >= minimum:
            return candidate
    return toward


def ratio_text(ratio: float) -> str:
    # Truncated, never rounded up: 4.47 must not print as a passing "4.5".
    return f"{math.floor(ratio * 100) / 100:g}:1"
