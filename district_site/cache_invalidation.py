"""Which sites' cached pages go stale when content changes (see home/page_cache.py).

A page belongs to the site whose root is its ancestor; its site's pages may list it (home,
section indexes, feeds, sitemap, menu), and the district portal aggregates every school's news
and lists the schools by name. So a change to a school's page, branding or registry entry
invalidates that school's hostname and the portal's; a change to the portal's own pages
invalidates the portal only. The receivers are thin adapters around `invalidate_for_paths`.

After the commit the background worker renders the pages such a change shows on first (each
stale site's home, a published page and its section) as an anonymous visitor, so the first
readers find them cached (home/page_warming.py).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from district_site.models import School
from home.frontend_purge import is_configured as frontend_purge_configured
from home.frontend_purge import purge_hosts
from home.models import SiteBranding
from home.page_cache import invalidate_all, invalidate_hosts
from home.page_warming import warm_after_commit, warming_enabled


def stale_hosts(hostnames, *, also_warm: tuple[str, ...] = ()) -> None:
    """The page cache's copies of these sites' pages, and nginx's or a CDN's, go stale.

    After the commit the worker renders each site's home again, and the URLs `also_warm`.
    """
    hostnames = set(hostnames)
    invalidate_hosts(hostnames)
    purge_hosts(hostnames)
    if warming_enabled():
        roots = root_urls(hostnames)
        warm_after_commit([*(f"{root}/" for root in roots.values()), *also_warm])


def root_urls(hostnames) -> dict[str, str]:
    """Each hostname's root URL ("https://host" or "http://host:port"), from Wagtail's cached
    list of site roots (no query when it is cached)."""
    wanted = {h.lower() for h in hostnames if h}
    return {
        host: root.root_url
        for root in Site.get_site_root_paths()
        if (host := _hostname(root.root_url)) in wanted
    }


def _hostname(root_url: str) -> str:
    return root_url.split("://", 1)[-1].split(":")[0].lower()


def stale_everywhere(*also: str) -> None:
    """Every site's pages (and `also`: a hostname being saved, not yet in the database)."""
    invalidate_all()
    if frontend_purge_configured():  # no query for the hostnames unless they are purged
        purge_hosts([*Site.objects.values_list("hostname", flat=True), *also])


def portal_hostnames() -> list[str]:
    """Hostnames of the sites that are not a school's: the district portal."""
    return list(Site.objects.filter(school__isnull=True).values_list("hostname", flat=True))


def _site_root_of_path(url_path: str):
    """Wagtail's cached root entry of the site whose root's url_path starts `url_path`."""
    best = None
    for root in Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            if best is None or len(root.root_path) > len(best.root_path):
                best = root
    return best


def hostname_of_path(url_path: str) -> str | None:
    """The hostname of the site whose root's url_path starts `url_path` (Wagtail's cached list)."""
    root = _site_root_of_path(url_path)
    return _hostname(root.root_url) if root else None


def public_url_of_path(url_path: str) -> str | None:
    """The absolute URL a visitor opens for a page with this url_path, if a site serves it."""
    root = _site_root_of_path(url_path)
    if root is None:
        return None
    return root.root_url + url_path[len(root.root_path) - 1 :]


def invalidate_for_paths(*url_paths: str, also_warm: tuple[str, ...] = ()) -> None:
    hosts = {h for h in (hostname_of_path(p) for p in url_paths if p) if h}
    # A school's page may appear on the portal (latest news); the portal's own pages only
    # on the portal, which the line below covers too.
    stale_hosts(hosts | set(portal_hostnames()), also_warm=also_warm)


def published_page_urls(url_path: str) -> tuple[str, ...]:
    """What a publish warms besides the homes: the page itself (the link shared with parents)
    and its parent (its section's listing)."""
    parent = url_path.rstrip("/").rsplit("/", 1)[0] + "/"
    return tuple(filter(None, (public_url_of_path(url_path), public_url_of_path(parent))))


def on_page_published(sender, instance: Page, **kwargs) -> None:
    invalidate_for_paths(instance.url_path, also_warm=published_page_urls(instance.url_path))


def on_page_changed(sender, instance: Page, **kwargs) -> None:
    invalidate_for_paths(instance.url_path)


def on_page_deleted(sender, instance, **kwargs) -> None:
    # post_delete fires once per model of a multi-table page (Page, then its subclass);
    # invalidating twice is harmless.
    if isinstance(instance, Page):
        invalidate_for_paths(instance.url_path)


def on_page_moved(sender, instance: Page, url_path_before: str, url_path_after: str, **kwargs):
    invalidate_for_paths(url_path_before, url_path_after)


def on_view_restriction_changed(sender, instance: PageViewRestriction, **kwargs) -> None:
    # Listings, the menu and the feeds leave restricted pages out (home.visibility), and the
    # per-site fragments serve logged-in users too: adding or lifting a restriction changes
    # what every page of the site, and the portal, may list.
    if instance.page.depth == 1:
        # On the tree's root, above every site: each site's cached root page says whether it
        # is restricted (district_site/middleware.py), so every site is stale.
        stale_everywhere()
        return
    invalidate_for_paths(instance.page.url_path)


def on_branding_saved(sender, instance: SiteBranding, **kwargs) -> None:
    # The school's name and colours show on every page of its site, its name on the portal.
    stale_hosts({instance.site.hostname, *portal_hostnames()})


def on_school_saved(sender, instance: School, **kwargs) -> None:
    # A rename shows on the school's pages and the portal; an archived school must answer 404
    # at once and leave the portal's lists.
    stale_hosts({instance.site.hostname, *portal_hostnames()})


def on_site_changing(sender, instance: Site, **kwargs) -> None:
    # A changed hostname or root page: every host's keys are suspect (the old hostname must
    # stop answering, the new one may have been cached as another site's). Rare, so everything.
    stale_everywhere(instance.hostname)


def connect() -> None:
    """Called once from DistrictSiteConfig.ready()."""
    uid = "district_site.cache_invalidation"
    page_published.connect(on_page_published, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(on_page_changed, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid=f"{uid}.moved")
    post_delete.connect(on_page_deleted, dispatch_uid=f"{uid}.deleted")
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"{uid}.restriction_{name}",
        )
    post_save.connect(on_branding_saved, sender=SiteBranding, dispatch_uid=f"{uid}.branding")
    post_save.connect(on_school_saved, sender=School, dispatch_uid=f"{uid}.school")
    post_delete.connect(on_school_saved, sender=School, dispatch_uid=f"{uid}.school_deleted")
    pre_save.connect(on_site_changing, sender=Site, dispatch_uid=f"{uid}.site")
    post_delete.connect(on_site_changing, sender=Site, dispatch_uid=f"{uid}.site_deleted")
