"""Responsive pictures: the renditions every public template shows, in one place.

A preset names what a template needs (a news card, a gallery thumbnail, the banner); the
`responsive_image` tag (home/templatetags/image_tags.py) renders it as a <picture> with
AVIF and WebP sources and a fallback <img> in the original format, and the upload task
(home/tasks.py) creates the very same renditions in the background worker. `UPLOAD_SPECS` is
that one list, so the first visitor after an upload never waits for Pillow.

Fetching: `Image.get_renditions(*specs)` looks for every spec of one image in one query (or
Wagtail's rendition cache). For a page that shows many images, `prefetch_renditions` fetches
every rendition of every image in one query beforehand and hangs them on the image objects
(Wagtail's own `prefetched_renditions` attribute), after which `get_renditions` neither queries
nor touches the rendition cache. That matters with Redis: without a prefetch, Wagtail 8.0.1
reads the cache and writes every hit back, twice per image per request.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from PIL import features
from wagtail.images import get_image_model
from wagtail.images.models import Filter

logger = logging.getLogger(__name__)

# AVIF only where this Pillow can write it (Pillow ≥ 11.3 built with libavif); WebP always.
SOURCE_FORMATS: tuple[str, ...] = (("avif",) if features.check("avif") else ()) + ("webp",)
MIME_TYPES = {"avif": "image/avif", "webp": "image/webp"}

# The gallery's lightbox shows one large picture; also the target of the thumbnail's link
# when JavaScript is off. WebP: every browser that can open the dialog can show it.
LIGHTBOX_SPEC = "max-1600x1600|format-webp"
# The picture a shared link shows on Zalo and Facebook, and the site's icons made from its
# logo (home/templatetags/share_tags.py, home/icons.py).
SHARE_SPEC = "fill-1200x630"
ICON_SPEC = "fill-32x32|format-png"
TOUCH_ICON_SPEC = "fill-180x180|format-png"


@dataclass(frozen=True)
class Preset:
    """Rendition sizes of one use of an image.

    `bases` are Wagtail filter specs from smallest to largest; each is rendered once per
    source format, and the first once more in the original format as the fallback <img>.
    `density`: describe the candidates as 1x, 2x… (a fixed-size picture: logo, portrait)
    instead of by width with `sizes` (a picture as wide as its column).
    """

    bases: tuple[str, ...]
    sizes: str = ""
    density: bool = False

    @property
    def fallback_spec(self) -> str:
        return self.bases[0]

    def source_specs(self, fmt: str) -> list[str]:
        return [f"{base}|format-{fmt}" for base in self.bases]

    @property
    def specs(self) -> list[str]:
        return [spec for fmt in SOURCE_FORMATS for spec in self.source_specs(fmt)] + [
            self.fallback_spec
        ]


PRESETS: dict[str, Preset] = {
    # News, lecture and album cards, the portal's news, gallery thumbnails: 3:2 like the
    # cards' CSS aspect-ratio. A card is at most ~24rem wide, the full width on a phone.
    "card": Preset(
        bases=("fill-480x320", "fill-960x640"),
        sizes="(max-width: 40rem) 100vw, 24rem",
    ),
    "thumb": Preset(
        bases=("fill-480x320", "fill-960x640"),
        sizes="(max-width: 40rem) 50vw, 12rem",
    ),
    # A picture in an article's body (the image block).
    "article": Preset(
        bases=("width-480", "width-960"),
        sizes="(max-width: 62rem) 100vw, 60rem",
    ),
    # Staff portraits, shown 120×150 (CSS), uncropped.
    "portrait": Preset(bases=("max-120x150", "max-240x300"), density=True),
    # The site's banner across the top of every page, and its logo (48px high).
    "banner": Preset(bases=("fill-800x160", "fill-1600x320"), sizes="100vw"),
    "logo": Preset(bases=("height-48", "height-96"), density=True),
}


def _unique(specs: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(specs))


# Every rendition a public page may ask for: what the upload task creates.
UPLOAD_SPECS: list[str] = _unique(
    [spec for preset in PRESETS.values() for spec in preset.specs]
    + [LIGHTBOX_SPEC, SHARE_SPEC, ICON_SPEC, TOUCH_ICON_SPEC]
)


def specs_for(*preset_names: str) -> list[str]:
    return _unique(spec for name in preset_names for spec in PRESETS[name].specs)


@cache
def spec_filter(spec: str) -> Filter:
    """One shared Wagtail `Filter` per spec, parsed once per process.

    `get_renditions("fill-480x320")` builds a new Filter for every spec on every call, and a
    new Filter parses its spec again the first time it is used (each operation's arguments
    through `inspect.getcallargs`): on a school's home, ~100 parses per request, about a tenth
    of the page's CPU. A Filter holds nothing about an image (its `get_cache_key(image)` reads
    the image each time), so one instance per spec can serve every image and request.
    """
    return Filter(spec=spec)


def prefetch_renditions(images: Iterable, *preset_names: str, extra: Iterable[str] = ()) -> None:
    """Fetch the presets' renditions of all `images` in one query (None entries are skipped).

    Every spec the page will ask of these objects must be listed: Wagtail trusts a prefetch
    and, for a spec missing from it, renders the file again before finding the existing row.
    The same image may come as several objects (one news item's feed image and another's):
    Django's prefetch hands each of them the rows of its id. Renditions still missing (an
    image uploaded before the upload task existed) are created by `get_renditions` later.
    """
    images = [image for image in images if image is not None]
    if not images:
        return
    specs = _unique([*specs_for(*preset_names), *extra])
    rendition_model = get_image_model().get_rendition_model()
    prefetch_related_objects(
        images,
        Prefetch(
            "renditions",
            queryset=rendition_model.objects.filter(filter_spec__in=specs),
            to_attr="prefetched_renditions",
        ),
    )


def stream_images(stream) -> list:
    """The images of a StreamField body's image blocks (home/blocks.py), in order."""
    if not stream:
        return []
    return [
        child.value["image"]
        for child in stream
        if child.block_type == "image" and child.value.get("image") is not None
    ]


def generate_upload_renditions(image) -> int:
    """Create every rendition of UPLOAD_SPECS that `image` lacks; return how many exist now.

    `get_renditions` opens the original once for all missing specs and skips those that
    exist (for the image's current focal point), so running it twice creates nothing.
    """
    return len(image.get_renditions(*UPLOAD_SPECS))


def _candidates(renditions: list, density: bool) -> str:
    """A srcset: 'url 480w, url 960w' (or '1x, 2x'); equal widths (a small original that
    Wagtail does not enlarge) are listed once."""
    seen: set[int] = set()
    parts = []
    for index, rendition in enumerate(renditions, start=1):
        if rendition.width in seen:
            continue
        seen.add(rendition.width)
        descriptor = f"{index}x" if density else f"{rendition.width}w"
        parts.append(f"{rendition.url} {descriptor}")
    return ", ".join(parts)


def picture_html(
    image,
    preset_name: str,
    *,
    alt: str | None = None,
    eager: bool = False,
    priority: bool = False,
    css_class: str = "",
    sizes: str = "",
) -> str:
    """The <picture> for `image` in preset `preset_name`; empty if its file is missing.

    `eager`: a picture above the fold (the logo) is fetched at once; `priority`: the first
    and largest one (the banner) also with high priority. Every other picture loads lazily
    and decodes off the main thread. `width` and
    `height` come from the fallback rendition, so the browser reserves the space before
    the file arrives and nothing below it shifts.
    """
    preset = PRESETS[preset_name]
    try:
        renditions = image.get_renditions(*(spec_filter(spec) for spec in preset.specs))
    except OSError:  # Wagtail's SourceImageIOError: the original file is missing
        logger.warning("Image %s has no readable file; not shown", image.pk)
        return ""
    sizes = "" if preset.density else (sizes or preset.sizes)
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}"{}>',
        (
            (
                MIME_TYPES[fmt],
                _candidates([renditions[s] for s in preset.source_specs(fmt)], preset.density),
                format_html(' sizes="{}"', sizes) if sizes else "",
            )
            for fmt in SOURCE_FORMATS
        ),
    )
    fallback = renditions[preset.fallback_spec]
    if priority:
        loading = ' fetchpriority="high"'
    elif eager:
        loading = ""
    else:
        loading = ' loading="lazy" decoding="async"'
    return format_html(
        '<picture>{}<img src="{}" width="{}" height="{}" alt="{}"{}{}></picture>',
        sources,
        fallback.url,
        fallback.width,
        fallback.height,
        image.default_alt_text if alt is None else alt,
        format_html(' class="{}"', css_class) if css_class else "",
        mark_safe(loading),
    )
