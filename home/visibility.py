"""What a visitor may see: live pages that no view restriction hides.

Shared by every listing of the public sites (school sections, the portal's home, the menu), so
it lives in the base layer and depends on Wagtail only.
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import StartsWith
from wagtail.models import PageViewRestriction


def not_restricted_q() -> Q:
    """Pages with no view restriction on themselves or any ancestor, as one SQL subquery.

    A restriction on page R hides every page whose path starts with R.path. Wagtail's
    `.public()` first loads all restrictions (one more query per listing); this asks the
    database instead, so a listing stays a single query.
    """
    restricted = PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))
    return ~Q(Exists(restricted))


def live_public(qs: QuerySet) -> QuerySet:
    """Only what a visitor may see: live and not under a view restriction."""
    return qs.filter(live=True).filter(not_restricted_q())
