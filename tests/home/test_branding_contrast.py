"""Branding colours meet WCAG AA: the admin refuses a primary colour that fails, in Vietnamese,
and a colour saved before the rule is rendered darkened until it passes."""

from __future__ import annotations

import pytest
from wagtail.contrib.settings.views import get_setting_edit_handler

from home.branding_form import BrandingForm
from home.colours import PAGE_BG, WHITE, contrast_ratio, readable_on_white
from home.models import SiteBranding
from school_site import defaults

pytestmark = pytest.mark.django_db


def test_contrast_ratio_matches_the_wcag_reference_values():
    assert contrast_ratio("#000000", WHITE) == pytest.approx(21.0)
    assert contrast_ratio("#777777", WHITE) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#d5426e", WHITE) == pytest.approx(4.34, abs=0.01)
    assert contrast_ratio("#e69138", WHITE) == pytest.approx(2.48, abs=0.01)


@pytest.mark.parametrize("colour", ["#d5426e", "#e69138", "#f1c232", "#0b5394", "#abc"])
def test_readable_on_white_reaches_aa_and_keeps_good_colours(colour):
    adjusted = readable_on_white(colour)
    assert contrast_ratio(adjusted, PAGE_BG) >= 4.5
    if contrast_ratio(colour, PAGE_BG) >= 4.5:
        assert adjusted == colour  # already readable: left alone


def test_every_default_school_colour_passes():
    for kind in ("preschool", "primary", "lower_secondary", "combined"):
        primary, _accent = defaults.colours(kind)
        assert contrast_ratio(primary, PAGE_BG) >= 4.5, kind


def form_for(school, **colours):
    branding = SiteBranding.objects.get(site=school.site)
    # The very form class the admin's settings screen builds.
    form_class = get_setting_edit_handler(SiteBranding).get_form_class()
    assert issubclass(form_class, BrandingForm)
    data = {
        "display_name": "",
        "primary_colour": colours.get("primary", "#0b5394"),
        "accent_colour": colours.get("accent", "#e69138"),
        "address": "",
        "phone": "",
        "email": "",
        "principal_name": "",
        "footer_text": "",
    }
    return form_class(data, instance=branding, for_user=None)


def test_the_admin_form_refuses_a_pale_primary_colour_in_vietnamese(school_a):
    form = form_for(school_a, primary="#d5426e")
    assert not form.is_valid()
    (message,) = form.errors["primary_colour"]
    assert "độ tương phản với nền sáng của trang chỉ đạt 4.0:1" in message
    assert "WCAG AA" in message
    assert readable_on_white("#d5426e") in message

    ok = form_for(school_a, primary="#C2185B", accent="#f1c232")
    assert ok.is_valid(), ok.errors
    assert ok.cleaned_data["primary_colour"] == "#c2185b"


def test_a_legacy_pale_colour_is_rendered_darkened(client, school_b):
    SiteBranding.objects.filter(site=school_b.site).update(primary_colour="#d5426e")
    html = client.get("/", HTTP_HOST=school_b.site.hostname).content.decode()
    assert f"--primary:{readable_on_white('#d5426e')}" in html
    assert "--primary:#d5426e" not in html
    assert "{#" not in html and "{%" not in html  # no template comment leaks into the page
