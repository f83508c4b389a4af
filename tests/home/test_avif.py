"""home/avif.py: the AVIF encoder's speed comes from IMAGE_AVIF_SPEED.

The encoder is deterministic for the same picture and options, so the bytes of a save tell
which speed was used: no mock of Pillow needed.
"""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from PIL import Image, features

from home.avif import PILLOW_DEFAULT_SPEED, install_avif_speed

pytestmark = pytest.mark.skipif(not features.check("avif"), reason="this Pillow has no AVIF")


def _picture() -> Image.Image:
    return Image.effect_mandelbrot((320, 200), (-2, -1.5, 1, 1.5), 100).convert("RGB")


def _avif(**options) -> bytes:
    out = io.BytesIO()
    _picture().save(out, "AVIF", **options)
    return out.getvalue()


@pytest.fixture
def restore_speed():
    yield
    install_avif_speed(settings.IMAGE_AVIF_SPEED)


def test_the_setting_chooses_the_speed_and_an_explicit_speed_still_wins(restore_speed):
    install_avif_speed(9)
    fast = _avif()
    assert fast == _avif(speed=9)
    install_avif_speed(PILLOW_DEFAULT_SPEED)
    default = _avif()
    assert default == _avif(speed=PILLOW_DEFAULT_SPEED)
    assert default != fast
    # A caller's own speed= is kept whatever the setting.
    install_avif_speed(9)
    assert _avif(speed=PILLOW_DEFAULT_SPEED) == default
    # Installing twice does not wrap the wrapper.
    install_avif_speed(9)
    assert _avif() == fast


def test_a_rendition_is_still_an_avif_file(restore_speed):
    install_avif_speed(9)
    with Image.open(io.BytesIO(_avif(quality=80))) as opened:
        assert opened.format == "AVIF"
        assert opened.size == (320, 200)


def test_production_keeps_pillows_default_and_a_wrong_speed_is_refused():
    from district_site.settings import base

    assert base.IMAGE_AVIF_SPEED == PILLOW_DEFAULT_SPEED
    with pytest.raises(ValueError, match="IMAGE_AVIF_SPEED"):
        install_avif_speed(11)
