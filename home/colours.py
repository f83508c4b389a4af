"""WCAG 2.x contrast of the branding colours.

A school's primary colour is used as text on white (links, the school's name) and as the
background of white text (menu, buttons, footer, table headers), and as link text on the light
grey page background; each pair must reach 4.5:1 (WCAG AA, normal text). The accent colour only
draws borders and lines next to text, never text itself (static_src/css/site.css), so it needs
no ratio.

A colour saved before this rule existed is darkened when the page is rendered
(`readable_on_white`), so an old preschool pink still reads; a new one is refused in the admin
with an explanation (home.branding_form).
"""

from __future__ import annotations

import re

WHITE = "#ffffff"
# The page background (--bg in site.css), the darkest light surface links sit on (breadcrumbs);
# a colour readable on it is readable on white too.
PAGE_BG = "#f5f7fa"
AA_TEXT = 4.5
_HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def parse_hex(value: str) -> tuple[int, int, int] | None:
    match = _HEX.match((value or "").strip())
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def to_hex(rgb: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    a, b = parse_hex(first), parse_hex(second)
    if a is None or b is None:
        raise ValueError("not a hex colour")
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def passes(value: str, ratio: float = AA_TEXT) -> bool:
    """Whether `value` reaches `ratio` against both white and the page background."""
    return min(contrast_ratio(value, WHITE), contrast_ratio(value, PAGE_BG)) >= ratio


def readable_on_white(value: str, ratio: float = AA_TEXT) -> str:
    """The colour itself if it reaches `ratio` against white and the page background, else the
    nearest darker shade that does (same hue, every channel scaled down by the same factor)."""
    rgb = parse_hex(value)
    if rgb is None:
        return value
    if passes(to_hex(rgb), ratio):
        return to_hex(rgb)
    factor = 1.0
    while factor > 0:
        factor -= 0.01
        darker = to_hex(tuple(c * factor for c in rgb))  # type: ignore[arg-type]
        if passes(darker, ratio):
            return darker
    return "#000000"
