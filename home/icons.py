"""/favicon.ico of each site: browsers and crawlers ask for it whatever the page says.

A redirect rather than an .ico file: the school's logo as a small PNG rendition (every current
browser accepts PNG there), or the district's generic icon when the school has no logo.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from home.images import ICON_SPEC
from home.models import SiteBranding
from home.templatetags.site_tags import current_site


@require_GET
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    site = current_site(request)
    branding = (
        SiteBranding.objects.select_related("logo").filter(site=site).first() if site else None
    )
    if branding is not None and branding.logo is not None:
        url = branding.logo.get_rendition(ICON_SPEC).url
    else:
        url = static("img/favicon.svg")
    response = HttpResponseRedirect(url)
    # Browsers ask on every visit; let them and nginx keep the answer for a day.
    response["Cache-Control"] = "public, max-age=86400"
    return response
