"""Template tags of the public sites: branding, menu, breadcrumbs, URLs and Vietnamese dates.

Every tag here works from `Site.find_for_request(request)`, which returns the site
SchoolSiteMiddleware resolved (with the root page already joined), and caches what it loads on the request, so a page costs the same
few queries whichever school it belongs to and however many pages that school has.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page, Site, get_page_models

from home.colours import readable_on_white
from home.images import (
    ICON_SPEC,
    SHARE_SPEC,
    TOUCH_ICON_SPEC,
    prefetch_renditions,
    spec_filter,
    specs_for,
)
from home.models import SiteBranding
from home.page_cache import (
    SITE_BUNDLE_ATTR,
    fragment_key,
    fragments_enabled,
    get_fragment,
    keep_in_site_bundle,
    set_fragment,
    site_wide_fragment,
)
from home.visibility import live_public

register = template.Library()

DEFAULT_PRIMARY = "#0b5394"
_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
NAV_CACHE_ATTR = "_site_tags_nav"
SITE_PICTURE_SPECS = (SHARE_SPEC, ICON_SPEC, TOUCH_ICON_SPEC)


def current_site(request) -> Site | None:
    """The Site the middleware resolved; None on an unknown host or a non-site path.

    On an unknown host the middleware stores None, which is kept as is: there is no default
    site to fall back to, and the 404 page for that host must render without one.
    """
    # Wagtail returns what the middleware cached on the request (None included), and resolves
    # and caches the site of a request the middleware skipped (e.g. an admin URL).
    return Site.find_for_request(request)


def load_branding(site: Site) -> SiteBranding:
    """The site's branding with logo and banner and their renditions, in two queries.

    Never writes on a GET: a site whose board has not saved its branding yet gets an unsaved
    default row (Wagtail's `for_request()` would create one, and query again without the
    pictures).
    """
    branding = SiteBranding.objects.select_related("logo", "banner").filter(site=site).first()
    if branding is None:
        return SiteBranding(site=site)
    # Both pictures' renditions in one more query: base.html's, and the share image and
    # icons of home/templatetags/share_tags.py.
    prefetch_renditions(
        [branding.logo, branding.banner], "logo", "banner", extra=SITE_PICTURE_SPECS
    )
    return branding


def complete_branding_renditions(branding: SiteBranding) -> None:
    """Create the renditions of the logo and banner that every page asks for and that do not
    exist yet (an image saved before its upload task ran), adding them to the prefetched ones.

    Needed before a branding is kept across requests (district_site/middleware.py): Wagtail
    trusts a prefetch, so a kept copy lacking a spec would render that file again on every
    request instead of once. Raises what Wagtail raises for a missing original file.
    """
    for image, preset in ((branding.logo, "logo"), (branding.banner, "banner")):
        if image is not None:
            image.get_renditions(
                *(spec_filter(spec) for spec in (*specs_for(preset), *SITE_PICTURE_SPECS))
            )


def attach_branding(request, branding: SiteBranding) -> None:
    """Give the request its site's branding, where `site_branding` and Wagtail look for it."""
    # Private to Wagtail's BaseSiteSetting (its `for_request()` sets it, and `page_url`
    # reads it): no public setter in Wagtail 8.0.1.
    branding._request = request
    # Where Wagtail's own `settings` context processor looks for it, so
    # `settings.home.SiteBranding` in any template reuses it without another query.
    setattr(request, SiteBranding.get_cache_attr_name(), branding)


@register.simple_tag(takes_context=True)
def site_branding(context) -> SiteBranding | None:
    """The current site's branding with logo and banner, loaded at most once per request
    (and usually not at all: the middleware hands over the copy kept in the site's bundle,
    see district_site/middleware.py; the first request that loads it keeps it there)."""
    request = context.get("request")
    site = current_site(request)
    if site is None:
        return None
    branding = getattr(request, SiteBranding.get_cache_attr_name(), None)
    if branding is None:
        branding = load_branding(site)
        if getattr(request, SITE_BUNDLE_ATTR, None) is not None:
            try:
                complete_branding_renditions(branding)
            except Exception:  # noqa: BLE001 - any failure only means: do not keep it
                # A logo whose original file is missing: not kept, every request loads it
                # (and the picture tags show nothing for it), as before the bundle.
                pass
            else:
                keep_in_site_bundle(request, "branding", branding)
        attach_branding(request, branding)
    return branding


@register.simple_tag(takes_context=True)
def site_name(context) -> str:
    branding = site_branding(context)
    site = current_site(context.get("request"))
    if branding is not None and branding.display_name:
        return branding.display_name
    if site is not None:
        school = getattr(site, "school", None)
        return site.site_name or (school.name if school else "") or site.root_page.title
    return "Cổng thông tin Phòng Giáo dục và Đào tạo"


@register.filter
def readable_colour(value) -> str:
    """A branding colour darkened, if needed, to WCAG AA contrast against white (home/colours).

    The admin refuses such colours now; this keeps sites saved before that readable.
    """
    return readable_on_white(value)


@register.filter
def css_colour(value, default: str = DEFAULT_PRIMARY) -> str:
    """A hex colour safe to put inside a <style> block; anything else becomes the default."""
    value = (value or "").strip()
    return value if _HEX_COLOUR.match(value) else default


# --- URLs ------------------------------------------------------------------------------------


def site_relative_url(request, page) -> str:
    """The page's URL on the current site, computed from url_path (no query).

    Wagtail's url_path includes the site root's slug ("/th-a/tin-tuc/"); on the site itself
    the part after the root's url_path is the path. Pages of another site fall back to
    Page.get_url, which uses Wagtail's cached site root paths.
    """
    site = current_site(request)
    url_path = getattr(page, "url_path", "") or ""
    if site is not None:
        root_path = site.root_page.url_path
        if url_path.startswith(root_path):
            return "/" + url_path[len(root_path) :]
    return page.get_url(request) or ""


@register.simple_tag(takes_context=True)
def page_link(context, page) -> str:
    return site_relative_url(context.get("request"), page)


# --- Menu and breadcrumbs --------------------------------------------------------------------


@dataclass
class NavItem:
    title: str
    url: str
    path: str
    depth: int
    active: bool = False
    children: list[NavItem] = field(default_factory=list)


def _menu_content_type_ids() -> list[int]:
    """Content types that always show in the menu: the page types that say so with
    `always_in_menu = True` (the sections provisioning creates), whatever app defines them.

    ContentType lookups are cached for the life of the process, so this costs no query
    after the first request.
    """
    models = [m for m in get_page_models() if getattr(m, "always_in_menu", False)]
    return [ct.pk for ct in ContentType.objects.get_for_models(*models).values()]


def site_navigation(request) -> list[NavItem]:
    """Two levels of the current site's tree for the menu, in one query, cached per request.

    Level one is the site root's live children that are sections or marked "show in menus";
    level two their children of the same kind (e.g. Ban quản trị, Đội ngũ under Giới thiệu).
    """
    if request is None:
        return []
    cached = getattr(request, NAV_CACHE_ATTR, None)
    if cached is not None:
        return cached
    site = current_site(request)
    if site is None:
        return []
    root = site.root_page
    current = request.path
    top: list[NavItem] = []
    by_path: dict[str, NavItem] = {}
    for title, url, path, depth in _menu_rows(request, site):
        item = NavItem(title=title, url=url, path=path, depth=depth, active=current.startswith(url))
        by_path[path] = item
        if depth == root.depth + 1:
            top.append(item)
        else:
            parent = by_path.get(path[: -Page.steplen])
            if parent is not None:  # a child of a page left out of the menu stays out too
                parent.children.append(item)
    setattr(request, NAV_CACHE_ATTR, top)
    return top


def _menu_rows(request, site: Site) -> list[tuple[str, str, str, int]]:
    """(title, url, path, depth) of the menu's pages in tree order, cached per site.

    The rows are the same for every visitor and every page of the site (only which item is
    active depends on the request, computed by the caller), so they are kept with the page
    cache's per-site tokens (home/page_cache.py): every publish, move, unpublish or view
    restriction that makes the site's pages stale (district_site/cache_invalidation.py)
    makes them stale too, and no site reads another's.
    """
    if getattr(request, SITE_BUNDLE_ATTR, None) is not None:
        # Kept in the site's bundle (the middleware read it already): no cache read of its own.
        return site_wide_fragment(request, "menu", lambda: _query_menu_rows(request, site))
    key = None
    if fragments_enabled() and not getattr(request, "is_preview", False):
        key = fragment_key(request, site.hostname, site.pk, "menu")
        rows = get_fragment(key)
        if rows is not None:
            return rows
    rows = _query_menu_rows(request, site)
    if key is not None:
        set_fragment(key, rows)
    return rows


def _query_menu_rows(request, site: Site) -> list[tuple[str, str, str, int]]:
    root = site.root_page
    pages = (
        live_public(
            Page.objects.filter(
                path__startswith=root.path, depth__in=(root.depth + 1, root.depth + 2)
            )
        )
        .filter(Q(show_in_menus=True) | Q(content_type_id__in=_menu_content_type_ids()))
        .order_by("path")
        .only("title", "path", "depth", "url_path")
    )
    return [(p.title, site_relative_url(request, p), p.path, p.depth) for p in pages]


@register.simple_tag(takes_context=True)
def site_menu(context) -> list[NavItem]:
    return site_navigation(context.get("request"))


@register.simple_tag(takes_context=True)
def breadcrumbs(context) -> list[tuple[str, str]]:
    """[(title, url)] from the site's home down to the current page's parent.

    Wagtail's router leaves each page's parent in `_cached_parent_obj` while it walks the
    URL, so a routed page already knows its ancestors; only a page rendered some other way
    (a preview) costs one query for them.
    """
    request = context.get("request")
    page = context.get("page")
    site = current_site(request)
    if site is None or page is None or not getattr(page, "path", None):
        return []
    root = site.root_page
    if page.depth <= root.depth or not page.path.startswith(root.path):
        return []
    ancestors: list = []
    node = getattr(page, "_cached_parent_obj", None)
    while node is not None and node.depth > root.depth:
        ancestors.append(node)
        node = getattr(node, "_cached_parent_obj", None)
    if node is None or node.depth != root.depth:
        ancestors = list(
            Page.objects.ancestor_of(page)
            .filter(depth__gt=root.depth)
            .only("title", "path", "depth", "url_path")
            .order_by("-depth")
        )
    crumbs = [("Trang chủ", "/")]
    crumbs += [(a.title, site_relative_url(request, a)) for a in reversed(ancestors)]
    return crumbs


# --- Formatting ------------------------------------------------------------------------------


@register.filter
def vn_date(value) -> str:
    """dd/mm/yyyy, the way Vietnamese readers write dates; datetimes in local time."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


@register.filter
def youtube_embed_url(url) -> str:
    """A privacy-friendly YouTube embed URL for a watch/short link, or "" for other sites.

    Built locally so a lecture page neither calls an oEmbed provider while rendering nor
    stores anything; other video hosts are shown as a plain link.
    """
    if not url:
        return ""
    parsed = urlparse(str(url))
    host = (parsed.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    video_id = ""
    if host == "youtu.be":
        video_id = parsed.path.lstrip("/").split("/")[0]
    elif host in {"youtube.com", "youtube-nocookie.com"}:
        if parsed.path == "/watch":
            video_id = (parse_qs(parsed.query).get("v") or [""])[0]
        else:
            parts = [p for p in parsed.path.split("/") if p]
            if len(parts) >= 2 and parts[0] in {"embed", "shorts", "live"}:
                video_id = parts[1]
    if not _YOUTUBE_ID.match(video_id or ""):
        return ""
    return f"https://www.youtube-nocookie.com/embed/{video_id}"


@register.simple_tag(takes_context=True)
def page_querystring(context, number) -> str:
    """?page=N keeping the current filters (the view passes them as `querystring`)."""
    rest = context.get("querystring") or ""
    return f"?{rest}&page={number}" if rest else f"?page={number}"
