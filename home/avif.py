"""The AVIF encoder's speed, from the `IMAGE_AVIF_SPEED` setting.

Why: Pillow encodes AVIF at speed 6 of 0–10 unless told otherwise, and neither Willow's
`save_as_avif` nor Wagtail's `format-avif` filter passes a speed. At 6 one 960×640 rendition
costs ~0.33 s of CPU; at 8 ~0.1 s for a file ~9 % larger, at 9 ~0.02 s for ~22 % larger
(measured here, Pillow 13.0). Production keeps Pillow's 6 (the smallest files for parents on
mobile data; the background worker pays the CPU, not a visitor). The test settings choose 9:
the suite makes thousands of renditions (every uploaded test image gets its upload renditions
inline, with the immediate task backend), and what the tests check of a rendition is its
format, size and markup, not its compression ratio.

How: Pillow's own extension point. `Image.register_save` replaces the AVIF save handler with
one that fills in the speed when the caller did not pass one, then calls Pillow's handler.
"""

from __future__ import annotations

from functools import partial

from PIL import Image, features

# Pillow's default, for the record (PIL.AvifImagePlugin._save).
PILLOW_DEFAULT_SPEED = 6


def _save_with_speed(original, speed: int, im, fp, filename, *args, **kwargs):
    # `im.encoderinfo` is the dict `Image.save` just built from its keyword arguments; an
    # explicit speed= from the caller wins.
    im.encoderinfo = {"speed": speed, **im.encoderinfo}
    return original(im, fp, filename, *args, **kwargs)


def install_avif_speed(speed: int | None) -> None:
    """Encode AVIF at `speed` (0 slowest and smallest … 10 fastest) unless a caller says
    otherwise. None, or a Pillow without AVIF: nothing changes."""
    if speed is None or not features.check("avif"):
        return
    if not 0 <= speed <= 10:
        raise ValueError(f"IMAGE_AVIF_SPEED must be between 0 and 10, not {speed}.")
    from PIL import AvifImagePlugin

    fmt = AvifImagePlugin.AvifImageFile.format
    # Always wrap Pillow's own handlers, so that calling this twice (tests) does not stack.
    Image.register_save(fmt, partial(_save_with_speed, AvifImagePlugin._save, speed))
    Image.register_save_all(fmt, partial(_save_with_speed, AvifImagePlugin._save_all, speed))
