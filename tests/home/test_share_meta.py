"""Open Graph, Twitter card, canonical URL, JSON-LD and icons of the public pages."""

from __future__ import annotations

import datetime
import json
from html.parser import HTMLParser

import pytest
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from district_site.portal import setup_district_portal
from home.models import SiteBranding
from school_site.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db

Image = get_image_model()


class HeadParser(HTMLParser):
    """Collects <meta>, <link> and JSON-LD blocks of a page."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.json_ld: list[dict] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.meta[attrs.get("property") or attrs.get("name") or ""] = attrs["content"]
        elif tag == "link":
            self.links.setdefault(attrs.get("rel", ""), attrs.get("href", ""))
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True

    def handle_endtag(self, tag):
        self._in_ld = False if tag == "script" else self._in_ld

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld.append(json.loads(data))  # fails the test if it is not valid JSON


def head_of(client, host: str, path: str) -> HeadParser:
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, path
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def make_image(school, title="Ảnh"):
    return Image.objects.create(
        title=title, file=get_test_image_file(size=(1600, 900)), collection=school.collection
    )


def test_news_article_has_open_graph_twitter_canonical_and_news_article(client, school_a):
    index = NewsIndexPage.objects.descendant_of(school_a.site.root_page).get()
    news = NewsPage(
        title="Học sinh đạt giải <Toán> & Tin",
        intro="Các em đã đạt giải nhất cấp huyện.",
        date=datetime.date(2024, 10, 2),
        feed_image=make_image(school_a),
    )
    index.add_child(instance=news)
    news.save_revision().publish()

    head = head_of(client, school_a.site.hostname, "/tin-tuc/hoc-sinh-dat-giai-toan-tin/")
    url = "http://th-a.localhost/tin-tuc/hoc-sinh-dat-giai-toan-tin/"
    assert head.links["canonical"] == url
    assert head.meta["og:type"] == "article"
    assert head.meta["og:title"] == "Học sinh đạt giải <Toán> & Tin"
    assert head.meta["og:url"] == url
    assert head.meta["og:locale"] == "vi_VN"
    assert head.meta["og:site_name"] == "Trường Tiểu học A"
    assert head.meta["og:description"] == "Các em đã đạt giải nhất cấp huyện."
    assert head.meta["og:image"].startswith("http://th-a.localhost/media/images/")
    assert ".fill-1200x630" in head.meta["og:image"]
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1200", "630")
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["twitter:image"] == head.meta["og:image"]

    (article,) = head.json_ld
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == "Học sinh đạt giải <Toán> & Tin"
    assert article["datePublished"] == "2024-10-02"
    assert article["mainEntityOfPage"] == url
    assert article["image"] == [head.meta["og:image"]]
    assert article["publisher"]["@type"] == "EducationalOrganization"
    # The title's "<" cannot close the script block.
    html = client.get("/tin-tuc/hoc-sinh-dat-giai-toan-tin/", HTTP_HOST="th-a.localhost")
    assert "\\u003cToán\\u003e" in html.content.decode()


def test_school_home_is_an_educational_organisation_and_portal_a_government_one(client, school_a):
    branding, _ = SiteBranding.objects.get_or_create(site=school_a.site)
    branding.address = "Số 1 đường Lê Lợi"
    branding.phone = "0277 123 456"
    branding.logo = make_image(school_a, "Logo")
    branding.save()
    head = head_of(client, school_a.site.hostname, "/")
    (org,) = head.json_ld
    assert org["@type"] == "EducationalOrganization"
    assert org["name"] == "Trường Tiểu học A"
    assert org["url"] == "http://th-a.localhost/"
    assert org["telephone"] == "0277 123 456"
    assert org["address"]["streetAddress"] == "Số 1 đường Lê Lợi"
    assert head.meta["og:type"] == "website"
    assert ".fill-180x180" in head.links["apple-touch-icon"]
    assert ".fill-32x32" in head.links["icon"]

    setup_district_portal()
    portal = head_of(client, "localhost", "/")
    (gov,) = portal.json_ld
    assert gov["@type"] == "GovernmentOrganization"
    assert portal.links["canonical"] == "http://localhost/"


def test_favicon_answers_on_every_site(client, school_a, school_b):
    branding, _ = SiteBranding.objects.get_or_create(site=school_a.site)
    branding.logo = make_image(school_a, "Logo")
    branding.save()
    with_logo = client.get("/favicon.ico", HTTP_HOST=school_a.site.hostname)
    assert with_logo.status_code == 302
    assert ".fill-32x32" in with_logo["Location"]
    without = client.get("/favicon.ico", HTTP_HOST=school_b.site.hostname)
    assert without.status_code == 302
    assert without["Location"] == "/static/img/favicon.svg"
    assert "max-age=86400" in without["Cache-Control"]


def test_every_page_has_a_meta_description_for_search_engines(client, school_a, school_b):
    """Lighthouse's SEO audit: the page's intro, else the site's footer text, else its title."""
    index = NewsIndexPage.objects.descendant_of(school_a.site.root_page).get()
    index.add_child(instance=NewsPage(title="Hội thao", intro="Trường tổ chức hội thao."))
    index.add_child(instance=NewsPage(title="Hội khỏe Phù Đổng", intro=""))
    branding, _ = SiteBranding.objects.get_or_create(site=school_b.site)
    branding.footer_text = "Trường Mầm non B, xã Phú Đức."
    branding.save()
    index_b = NewsIndexPage.objects.descendant_of(school_b.site.root_page).get()
    index_b.add_child(instance=NewsPage(title="Bé vui Trung thu", intro=""))

    def description(host, path):
        return head_of(client, host, path).meta["description"]

    assert description("th-a.localhost", "/tin-tuc/hoi-thao/") == "Trường tổ chức hội thao."
    assert description("mn-b.localhost", "/tin-tuc/be-vui-trung-thu/") == (
        "Trường Mầm non B, xã Phú Đức."
    )
    assert description("th-a.localhost", "/tin-tuc/hoi-khoe-phu-dong/") in (
        "Hội khỏe Phù Đổng",
        (SiteBranding.objects.filter(site=school_a.site).first() or SiteBranding()).footer_text,
    )
    assert description("mn-b.localhost", "/").startswith("Chào mừng")  # the home's intro
