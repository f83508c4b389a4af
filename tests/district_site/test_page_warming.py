"""After a change, the pages it shows on are rendered again in the background as an anonymous
visitor (home/page_warming.py, wired in district_site/cache_invalidation.py), so the first reader
after a publish gets a stored page. Two schools and the portal: a publish in school A warms A's
home, the post, its section and the portal's home, and never renders or stores anything of B's;
nothing a visitor could not fetch anonymously is ever stored; one task per transaction, none for
a rolled-back change or with the setting off."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks import default_task_backend
from wagtail.models import PageViewRestriction

from home.page_cache import STATUS_HEADER
from home.page_warming import warm_pages, warm_pages_task
from tests.district_site.test_page_cache import (
    PORTAL_HOST,
    draft_news,
    get,
    news_index,
    portal,  # noqa: F401 (fixture)
    publish,
    site_path,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def warming(settings, school_a, school_b):
    # After the schools (and a portal requested before it) exist: in a test everything runs
    # in one transaction, and their creation's warm-ups would join the test's.
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_WARM = True


@pytest.fixture
def queued_tasks(settings):
    """The warm-up tasks queued: recorded, not run (django-tasks' own dummy backend), without
    Wagtail's search and reference index jobs."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()

    def warm_ups() -> list:
        return [r for r in default_task_backend.results if r.task.func is warm_pages_task.func]

    yield warm_ups
    default_task_backend.clear()


def url(school, path: str = "/") -> str:
    return f"http://{school.site.hostname}{path}"


def test_a_publish_leaves_its_pages_stored_for_the_first_reader(
    client,
    portal,  # noqa: F811
    warming,
    school_a,
    school_b,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    news = draft_news(school_a, "Hội khỏe Phù Đổng cấp trường")
    host_a, host_b = school_a.site.hostname, school_b.site.hostname
    with django_capture_on_commit_callbacks(execute=True):
        publish(news)

    # The worker's renders (inline here: the immediate task backend) stored each page under
    # the tokens the publish left: the first visitor's request runs no SQL at all.
    with django_assert_num_queries(0):
        home = get(client, host_a, "/")
    assert home[STATUS_HEADER] == "hit"
    assert news.title in home.content.decode()
    for host, path in (
        (host_a, site_path(school_a, news)),
        (host_a, site_path(school_a, news_index(school_a))),
        (PORTAL_HOST, "/"),
    ):
        response = get(client, host, path)
        assert response[STATUS_HEADER] == "hit", (host, path)
        assert news.title in response.content.decode(), (host, path)

    # School B was neither made stale nor rendered: its first request is a miss, without A's post.
    other = get(client, host_b, "/")
    assert other[STATUS_HEADER] == "miss"
    assert news.title not in other.content.decode()


def test_a_restricted_page_is_rendered_but_never_stored(
    client, warming, school_a, school_b, django_capture_on_commit_callbacks
):
    news = draft_news(school_a, "Thông báo nội bộ tổ chuyên môn")
    PageViewRestriction.objects.create(
        page=news, restriction_type=PageViewRestriction.PASSWORD, password="matkhau-123"
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish(news)
    path = site_path(school_a, news)
    # Wagtail answers an anonymous visitor with its password form, which the page cache never
    # keeps (it uses the CSRF token): the warm-up stored nothing and the visitor gets the form.
    assert warm_pages([url(school_a, path)]) == {url(school_a, path): ""}
    response = client.get(path, HTTP_HOST=school_a.site.hostname)
    assert response.get(STATUS_HEADER) != "hit"
    assert news.title not in response.content.decode()
    # The home was warmed, without the restricted post.
    home = get(client, school_a.site.hostname, "/")
    assert home[STATUS_HEADER] == "hit" and news.title not in home.content.decode()


def test_one_task_per_transaction_none_after_a_rollback(
    portal,  # noqa: F811
    warming,
    school_a,
    school_b,
    queued_tasks,
    django_capture_on_commit_callbacks,
):
    pages_a = [draft_news(school_a, f"Tin số {n} của trường A") for n in range(3)]
    page_b = draft_news(school_b, "Tin của trường B")
    with django_capture_on_commit_callbacks(execute=True):
        for page in [*pages_a, page_b]:
            publish(page)
    assert len(queued_tasks()) == 1
    urls = set(queued_tasks()[0].kwargs["urls"])
    expected = {url(school_a), url(school_b), f"http://{PORTAL_HOST}/"}
    expected |= {
        url(school, site_path(school, news_index(school))) for school in (school_a, school_b)
    }
    expected |= {url(school_a, site_path(school_a, p)) for p in pages_a}
    expected.add(url(school_b, site_path(school_b, page_b)))
    assert urls == expected

    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                publish(draft_news(school_a, "Tin bị hủy"))
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert queued_tasks() == []

    # A change after the rollback still queues its own task, with its own URLs only.
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft_news(school_b, "Tin sau khi hủy"))
    assert len(queued_tasks()) == 1
    assert url(school_a) not in queued_tasks()[0].kwargs["urls"]


def test_a_bulk_change_warms_homes_and_sections_first_up_to_the_limit(
    settings,
    portal,  # noqa: F811
    warming,
    school_a,
    school_b,
    queued_tasks,
    django_capture_on_commit_callbacks,
):
    settings.PAGE_CACHE_WARM_MAX_PAGES = 5
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            publish(draft_news(school_a, f"Tin nhập hàng loạt số {n}"))
        publish(draft_news(school_b, "Tin của trường B"))
    (task,) = queued_tasks()
    homes = [url(school_a), url(school_b), f"http://{PORTAL_HOST}/"]
    sections = [url(s, site_path(s, news_index(s))) for s in (school_a, school_b)]
    # 3 homes, 2 sections and 5 posts stale: the homes and the sections, no post.
    assert sorted(task.kwargs["urls"]) == sorted(homes + sections)
    assert task.kwargs["urls"][:3] == sorted(homes)


def test_nothing_is_queued_when_warming_is_off(
    settings, school_a, queued_tasks, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_WARM = False
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft_news(school_a, "Tin không làm nóng"))
    assert queued_tasks() == []


def test_behind_tls_the_warm_up_stores_what_https_visitors_ask_for(
    client, settings, warming, school_a
):
    # Production: sites saved with port 80 (Wagtail's root URL says http://), nginx terminating
    # TLS, every visitor redirected to https://: the stored page must be under the https key.
    settings.SECURE_SSL_REDIRECT = True
    assert warm_pages([url(school_a)]) == {url(school_a): "miss"}
    response = client.get("/", HTTP_HOST=school_a.site.hostname, secure=True)
    assert response.status_code == 200
    assert response[STATUS_HEADER] == "hit"
