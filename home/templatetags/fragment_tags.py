"""`{% site_fragment "name" part… %}…{% endsite_fragment %}`: a piece of a public page cached
per site, keyed and invalidated with the page cache's tokens (home/page_cache.py).

On a miss the enclosed template renders as usual and its output is stored; on a hit nothing
inside is evaluated, so the queries behind it must run lazily from the template (a page's
`get_context` passes them as lazy objects). Only what is identical for every visitor of the
site may be enclosed: no user, CSRF token, request path or query string.

Nothing is cached (the block simply renders) without a resolved site, in a preview (an editor
must see the truth, not a copy), or with FRAGMENT_CACHE_ENABLED=false.

`{% site_fragment sitewide "name" part… %}` marks a fragment that is the same on every page of
the site (the header's pictures, the footer): it is kept inside the site's bundle, which the
middleware reads anyway (home/page_cache.py, `site_wide_fragment`), so it costs no cache read
of its own.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList

from home.page_cache import (
    fragment_key,
    fragments_enabled,
    get_fragment,
    set_fragment,
    site_wide_fragment,
)
from home.templatetags.site_tags import current_site

register = template.Library()


class SiteFragmentNode(template.Node):
    def __init__(self, nodelist: NodeList, parts: list[FilterExpression], sitewide: bool):
        self.nodelist = nodelist
        self.parts = parts
        self.sitewide = sitewide

    def render(self, context) -> str:
        request = context.get("request")
        site = current_site(request) if request is not None else None
        if site is None or not fragments_enabled() or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        if self.sitewide:
            # Inside the request's site bundle, itself keyed by the site's host and tokens.
            name = ":".join(str(part.resolve(context)) for part in self.parts)
            return site_wide_fragment(request, name, lambda: str(self.nodelist.render(context)))
        # The Site's pk as well as its hostname: two sites never share a key, even if a
        # hostname were reused after a site's deletion within a token's lifetime.
        parts = [site.pk, *(part.resolve(context) for part in self.parts)]
        key = fragment_key(request, site.hostname, *parts)
        html = get_fragment(key)
        if html is None:
            html = self.nodelist.render(context)
            set_fragment(key, str(html))
        return html


@register.tag
def site_fragment(parser, token) -> SiteFragmentNode:
    bits = token.split_contents()[1:]
    sitewide = bool(bits) and bits[0] == "sitewide"
    if sitewide:
        bits = bits[1:]
    if not bits:
        raise template.TemplateSyntaxError("site_fragment needs a name")
    nodelist = parser.parse(("endsite_fragment",))
    parser.delete_first_token()
    return SiteFragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits], sitewide)
