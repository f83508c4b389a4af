"""What a shared link and a search engine see: canonical URL, Open Graph, Twitter card, JSON-LD
and the site's icons, all from the page and the site's branding.

Parents mostly arrive from a link shared on Zalo or Facebook; those read Open Graph tags
(`og:image` at 1200×630, the size both crop to). JSON-LD follows schema.org: `NewsArticle` for
a news item, `EducationalOrganization` on a school's home, `GovernmentOrganization` on the
district portal's. The page types are recognised by model name because this base layer may not
import school_site (see .importlinter).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django import template
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from home.images import ICON_SPEC, SHARE_SPEC, TOUCH_ICON_SPEC, spec_filter
from home.templatetags.site_tags import current_site, site_branding, site_name, site_relative_url

register = template.Library()

OG_IMAGE_SPEC = SHARE_SPEC
# Page types whose pages are articles (og:type article, JSON-LD NewsArticle).
ARTICLE_MODELS = {"newspage"}
DESCRIPTION_LENGTH = 200


@dataclass
class ShareMeta:
    title: str
    site_name: str
    description: str
    canonical: str
    og_type: str
    image_url: str = ""
    image_width: int = 0
    image_height: int = 0
    image_alt: str = ""
    published: str = ""
    modified: str = ""
    icon_url: str = ""
    touch_icon_url: str = ""
    json_ld: dict = field(default_factory=dict)

    @property
    def json_ld_script(self) -> str:
        """The JSON-LD as a <script> data block; `<`, `>` and `&` escaped so no text can close it."""
        if not self.json_ld:
            return ""
        text = json.dumps(self.json_ld, ensure_ascii=False)
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return mark_safe(f'<script type="application/ld+json">{text}</script>')


def _description(page, branding) -> str:
    text = (getattr(page, "search_description", "") or getattr(page, "intro", "") or "").strip()
    if not text and branding is not None:
        text = (branding.footer_text or "").strip()
    return Truncator(strip_tags(text)).chars(DESCRIPTION_LENGTH)


def _share_image(page, branding):
    """The page's own picture if it has one, else the site's banner, else its logo."""
    for image in (
        getattr(page, "feed_image", None),
        getattr(branding, "banner", None),
        getattr(branding, "logo", None),
    ):
        if image is not None:
            return image
    return None


def _iso(value) -> str:
    return value.isoformat() if value else ""


@register.simple_tag(takes_context=True)
def share_meta(context) -> ShareMeta | None:
    request = context.get("request")
    page = context.get("page")
    site = current_site(request) if request is not None else None
    if site is None or page is None or not hasattr(page, "url_path"):
        return None
    branding = site_branding(context)
    name = site_name(context)
    canonical = request.build_absolute_uri(site_relative_url(request, page))
    is_root = page.pk == site.root_page_id
    model_name = page._meta.model_name
    is_article = model_name in ARTICLE_MODELS
    title = page.seo_title or page.title
    meta = ShareMeta(
        title=name if is_root else title,
        site_name=name,
        description=_description(page, branding),
        canonical=canonical,
        og_type="article" if is_article else "website",
    )
    image = _share_image(page, branding)
    if image is not None:
        rendition = image.get_rendition(spec_filter(OG_IMAGE_SPEC))
        meta.image_url = request.build_absolute_uri(rendition.url)
        meta.image_width, meta.image_height = rendition.width, rendition.height
        meta.image_alt = rendition.alt or title
    logo = getattr(branding, "logo", None)
    if logo is not None:
        meta.icon_url = logo.get_rendition(spec_filter(ICON_SPEC)).url
        meta.touch_icon_url = logo.get_rendition(spec_filter(TOUCH_ICON_SPEC)).url

    organisation = _organisation(request, site, branding, name)
    if is_article:
        meta.published = _iso(page.first_published_at)
        meta.modified = _iso(page.last_published_at)
        date = getattr(page, "date", None)
        meta.json_ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": Truncator(title).chars(110),
            "description": meta.description,
            "mainEntityOfPage": canonical,
            "url": canonical,
            "inLanguage": "vi-VN",
            "datePublished": _iso(date) or meta.published,
            "dateModified": meta.modified or _iso(date),
            "publisher": organisation,
        }
        if meta.image_url:
            meta.json_ld["image"] = [meta.image_url]
    elif is_root:
        meta.json_ld = {"@context": "https://schema.org", **organisation}
    return meta


def _organisation(request, site, branding, name: str) -> dict:
    school = getattr(site, "school", None)
    home = request.build_absolute_uri("/")
    data = {
        "@type": "EducationalOrganization" if school is not None else "GovernmentOrganization",
        "name": name,
        "url": home,
    }
    if branding is not None:
        if branding.logo is not None:
            data["logo"] = request.build_absolute_uri(
                branding.logo.get_rendition(spec_filter(TOUCH_ICON_SPEC)).url
            )
        address = branding.address or (school.address if school is not None else "")
        if address:
            data["address"] = {
                "@type": "PostalAddress",
                "streetAddress": address,
                "addressCountry": "VN",
            }
        if branding.phone:
            data["telephone"] = branding.phone
        if branding.email:
            data["email"] = branding.email
    return data
