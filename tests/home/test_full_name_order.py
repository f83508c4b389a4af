"""Wagtail's own screens name people in Vietnamese order (home.text.use_vietnamese_full_name):
Wagtail calls `user.get_full_name()`, which Django writes "first last" ("Mai Nguyễn Thị")."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.admin.utils import get_user_display_name
from wagtail.log_actions import log

from district_site.factories import make_member
from tests.school_site.test_review_workflow import draft_news

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_get_full_name_is_in_vietnamese_order():
    user = User(username="mai", first_name="Mai", last_name="Nguyễn Thị")
    assert user.get_full_name() == "Nguyễn Thị Mai"
    assert get_user_display_name(user) == "Nguyễn Thị Mai"
    assert get_user_display_name(User(username="gv01")) == "gv01"


def test_wagtail_page_history_shows_the_vietnamese_order(client, school_a, school_b):
    principal = make_member(school_a, "ht_a", board=True, first_name="Lan", last_name="Trần Thị")
    writer = make_member(school_a, "mai_a", first_name="Mai", last_name="Nguyễn Thị")
    make_member(school_b, "mai_b", first_name="Hoa", last_name="Bùi Thị")
    page = draft_news(school_a, writer)
    log(instance=page, action="wagtail.edit", user=writer)
    client.force_login(principal)
    response = client.get(
        reverse("wagtailadmin_pages:history", args=[page.pk]), HTTP_HOST="localhost"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nguyễn Thị Mai" in html
    assert "Mai Nguyễn Thị" not in html and "Bùi Thị Hoa" not in html
