"""`{% responsive_image image "card" %}`: a picture in one of the presets of home/images.py."""

from __future__ import annotations

from django import template

from home.images import LIGHTBOX_SPEC, picture_html, spec_filter

register = template.Library()


@register.simple_tag
def responsive_image(
    image,
    preset: str,
    alt: str | None = None,
    eager: bool = False,
    priority: bool = False,
    css_class: str = "",
    sizes: str = "",
) -> str:
    """Nothing when there is no image. `alt=""` for a decorative picture (the default is the
    image's own title); `eager=True` above the fold, `priority=True` for the banner only."""
    if not image:
        return ""
    return picture_html(
        image, preset, alt=alt, eager=eager, priority=priority, css_class=css_class, sizes=sizes
    )


@register.simple_tag
def lightbox_url(image) -> str:
    """URL of the large picture a gallery thumbnail opens (one rendition, see LIGHTBOX_SPEC)."""
    if not image:
        return ""
    return image.get_renditions(spec_filter(LIGHTBOX_SPEC))[LIGHTBOX_SPEC].url
