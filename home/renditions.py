"""Image renditions on the public pages with fewer cache round trips than Wagtail 8.0.1 makes.

Why: every `{% image %}` calls `AbstractImage.get_rendition()`, which in Wagtail 8.0.1 reads
the rendition from the cache (one round trip to Redis in production) and then writes it back
to the cache on every request, even when it was just read from there. With a dozen pictures on
a school's home that is two dozen round trips per uncached page; measured under gunicorn, the
page got *slower* with Redis than with the in-process cache. Upstream fixed both halves in
wagtail PR #14541 (commit c1c39fe, "don't write cached renditions back"), after 8.0.1.

`install_rendition_cache_fix()` (called from `HomeConfig.ready`) backports that fix on
Wagtail 8.0.x only: a rendition found in the cache or among prefetched renditions is marked
`_from_cache` and not written back. Remove it when upgrading to a Wagtail that has the fix;
tests/home/test_renditions.py proves the behaviour either way.

Listings and pages also prefetch their renditions in one query (`home.images.prefetch_renditions`),
so their `{% responsive_image %}` tags find them without touching the cache.
"""

from __future__ import annotations

from wagtail import VERSION as WAGTAIL_VERSION
from wagtail.images.exceptions import InvalidFilterSpecError
from wagtail.images.models import AbstractImage, Filter

_original_find_existing_renditions = AbstractImage.find_existing_renditions
_original_get_rendition = AbstractImage.get_rendition  # kept for benchmarks comparing both


def _find_existing_renditions(self, *filters: Filter) -> dict:
    """Wagtail's lookup, but renditions read from the cache are marked as such.

    Wagtail 8.0.1 marks only prefetched renditions `_from_cache`. Here, when nothing is
    prefetched, the cache is read first (one `get_many`, as Wagtail does) and, if it holds every
    requested rendition, they are returned marked; otherwise Wagtail's own lookup runs (cache,
    then database), which happens once per new rendition, not on every request.
    """
    if self._get_prefetched_renditions() is None and filters:
        Rendition = self.get_rendition_model()
        by_key = {
            Rendition.construct_cache_key(self, f.get_cache_key(self), f.spec): f for f in filters
        }
        cached = Rendition.cache_backend.get_many(list(by_key))
        if len(cached) == len(by_key):
            found = {}
            for key, rendition in cached.items():
                rendition.image = self  # keeps this instance's contextual alt text, as Wagtail
                rendition._from_cache = True
                found[by_key[key]] = rendition
            return found
    return _original_find_existing_renditions(self, *filters)


def _get_rendition(self, filter: Filter | str):
    """`AbstractImage.get_rendition` through `get_renditions`, which already skips writing
    renditions marked `_from_cache` back to the cache (8.0.1's singular method does not)."""
    if not isinstance(filter, (str, Filter)):
        raise InvalidFilterSpecError(
            "Unrecognised filter format - string or Filter instance expected"
        )
    (rendition,) = self.get_renditions(filter).values()
    return rendition


def install_rendition_cache_fix() -> None:
    if WAGTAIL_VERSION[:2] != (8, 0):
        # Written against 8.0.1. On an upgrade, check that the release has wagtail PR #14541;
        # tests/home/test_renditions.py fails if cached renditions are written back again.
        return
    AbstractImage.find_existing_renditions = _find_existing_renditions
    AbstractImage.get_rendition = _get_rendition
