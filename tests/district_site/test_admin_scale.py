"""A school user's admin screens cost the same with a few pages and with many (issue 16).

For each screen a board member of school A uses (dashboard, explorer of the school root and of
the news section, page chooser, admin search, the locked / aging pages and site history
reports) and the district's score sheets: the query count with more posts in A's section than
one listing page shows (so the paginators are on), then again after bulk-loading four times as
many into A and B; the two must be equal, and within the count measured for each. Larger sizes and server times:
`benchmarks/admin_scale.py`. Each screen is also checked for the seal: none of school B's
titles shows on school A's screens.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from district_site.factories import UserFactory, make_member
from district_site.models import DISTRICT_ADMINS_GROUP
from scoring.models import SchoolYear
from tests.bulk_pages import bulk_news
from tests.school_site.test_review_workflow import draft_news, news_index

pytestmark = pytest.mark.django_db

# Measured on PostgreSQL and SQLite alike (caches warm): the point is that they do not move when
# pages are added, and a regression that adds a query per row shows here first. The page
# chooser cost 97 with 25 rows (three queries per row) before home/admin_listing.py.
BOARD_SCREENS = {
    "dashboard": 28,
    # Wagtail counts the children of each page type with a per-parent limit (one query per
    # type the school home may hold; the honour board added one).
    "explorer root": 48,
    "explorer section": 34,
    "page chooser": 24,
    # 25 and 44 before district_site.admin_scoping served both by the school's path prefix
    # (the facet/count/results of the search; the report's filters read in one query).
    "admin search": 22,
    "locked pages": 14,
    "aging pages": 18,
    "site history": 33,
}
DISTRICT_SCREENS = {"sheet by author": 23, "sheet by school": 22}
# More rows than one page of the explorer (50), the chooser (25) and the search (20).
MANY = 60


def urls(school) -> dict[str, tuple[str, dict]]:
    section = news_index(school)
    return {
        "dashboard": (reverse("wagtailadmin_home"), {}),
        "explorer root": (reverse("wagtailadmin_explore", args=[school.site.root_page_id]), {}),
        "explorer section": (reverse("wagtailadmin_explore", args=[section.pk]), {}),
        "page chooser": (reverse("wagtailadmin_choose_page_child", args=[section.pk]), {}),
        "admin search": (reverse("wagtailadmin_pages:search"), {"q": "khai giảng"}),
        "locked pages": (reverse("wagtailadmin_reports:locked_pages"), {}),
        "aging pages": (reverse("wagtailadmin_reports:aging_pages"), {}),
        "site history": (reverse("wagtailadmin_reports:site_history"), {}),
        "sheet by author": (reverse("scoring_admin:report"), {"by": "author"}),
        "sheet by school": (reverse("scoring_admin:report"), {"by": "school"}),
    }


def measure(client, path: str, params: dict) -> tuple[int, str]:
    client.get(path, params)  # warm the caches (content types, site root paths, templates)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200, path
    return len(captured), response.content.decode()


@pytest.fixture
def district_client(client, db):
    SchoolYear.objects.create(
        label="2026-2027",
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2027, 8, 31),
    )
    user = UserFactory(username="phong_gd")
    user.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
    return user


def test_a_board_members_screens_cost_the_same_with_few_or_many_pages(
    client, two_schools, board_a, editor_a
):
    school_a, school_b = two_schools
    writer_b = make_member(school_b, "gv_b")
    draft_news(school_a, editor_a, "Khai giảng năm học mới ở trường A")
    draft_news(school_b, writer_b, "Khai giảng bí mật của trường B")
    client.force_login(board_a)
    screens = urls(school_a)

    bulk_news(news_index(school_a), MANY)
    bulk_news(news_index(school_b), MANY, start=MANY)
    few = {}
    for name, bound in BOARD_SCREENS.items():
        few[name], body = measure(client, *screens[name])
        assert few[name] <= bound, (name, few[name])
        assert "bí mật của trường B" not in body, name

    bulk_news(news_index(school_a), 4 * MANY, start=2 * MANY)
    bulk_news(news_index(school_b), 4 * MANY, start=6 * MANY)

    for name in BOARD_SCREENS:
        many, body = measure(client, *screens[name])
        assert many == few[name], (name, few[name], many)
        assert "bí mật của trường B" not in body, name


def test_the_district_score_sheets_cost_the_same_with_few_or_many_rows(
    client, two_schools, district_client
):
    from scoring.models import CreditEvent

    school_a, school_b = two_schools
    authors = {s.pk: [make_member(s, f"gv_{s.pk}_{n}") for n in (1, 2)] for s in two_schools}
    client.force_login(district_client)
    screens = urls(school_a)
    year = SchoolYear.objects.get()

    def credit(pages: list[int], school) -> None:
        CreditEvent.objects.bulk_create(
            CreditEvent(
                kind="earned",
                school_year=year,
                school=school,
                page_id=page_id,
                page_title=f"Tin {page_id}",
                content_kind="news",
                author=authors[school.pk][n % 2],
                pages=1,
                points=1,
                created_at=timezone.now(),
            )
            for n, page_id in enumerate(pages)
        )

    credit(bulk_news(news_index(school_a), 2), school_a)
    credit(bulk_news(news_index(school_b), 2, start=2), school_b)
    few = {name: measure(client, *screens[name])[0] for name in DISTRICT_SCREENS}
    credit(bulk_news(news_index(school_a), MANY, start=4), school_a)
    credit(bulk_news(news_index(school_b), MANY, start=4 + MANY), school_b)
    for name, bound in DISTRICT_SCREENS.items():
        many, body = measure(client, *screens[name])
        assert few[name] <= bound, (name, few[name])
        assert many == few[name], (name, few[name], many)
        assert school_a.name in body and school_b.name in body


def test_site_history_and_admin_search_show_a_school_user_their_school_only(
    client, two_schools, board_a, editor_a
):
    """The scoped site history and admin search (district_site.admin_scoping): school A's board
    member sees school A's entries and pages, never school B's, in the list, in the filter
    drawer (users, actions) and in the search's counts; a superuser (Wagtail's own rule) sees
    both, so the entries and pages are there to be hidden."""
    from wagtail.models import PageLogEntry

    school_a, school_b = two_schools
    writer_b = make_member(school_b, "gv_b_kin", first_name="Kín", last_name="Trường B")
    page_a = draft_news(school_a, editor_a, "Khai giảng năm học mới ở trường A")
    page_b = draft_news(school_b, writer_b, "Khai giảng bí mật của trường B")
    PageLogEntry.objects.log_action(page_a, "wagtail.lock", user=editor_a)
    PageLogEntry.objects.log_action(page_b, "wagtail.unlock", user=writer_b)
    history = reverse("wagtailadmin_reports:site_history")
    search = reverse("wagtailadmin_pages:search")

    client.force_login(board_a)
    response = client.get(history)
    body = response.content.decode()
    assert response.status_code == 200
    labels = {entry.label for entry in response.context["object_list"]}
    assert "Khai giảng năm học mới ở trường A" in labels
    assert not any("trường B" in label for label in labels)
    assert "bí mật của trường B" not in body and "gv_b_kin" not in body and "Kín" not in body
    drawer = response.context["filters"].form
    assert writer_b not in drawer.fields["user"].queryset
    assert editor_a in drawer.fields["user"].queryset
    actions = {value for value, _label in drawer.fields["action"].choices}
    assert "wagtail.lock" in actions and "wagtail.unlock" not in actions

    for url in (search, reverse("wagtailadmin_pages:search_results")):
        response = client.get(url, {"q": "khai giảng"})
        body = response.content.decode()
        assert response.status_code == 200
        assert "Khai giảng năm học mới ở trường A" in body
        assert "bí mật của trường B" not in body
        assert response.context["items_count"] == 1

    client.force_login(UserFactory(username="quantri", is_superuser=True))
    labels = {entry.label for entry in client.get(history).context["object_list"]}
    assert {"Khai giảng năm học mới ở trường A", "Khai giảng bí mật của trường B"} <= labels
    assert client.get(search, {"q": "khai giảng"}).context["items_count"] == 2
