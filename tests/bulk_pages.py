"""Bulk filler for scale tests and benchmarks: many published news pages in a few INSERTs.

Not a service: it bypasses Wagtail's save (no revisions, no log entries, no signals) so that a
test can hold 1,000 pages, or a benchmark 100,000, in seconds. The writes being measured always
go through the real services; this only makes the database big. It fills what the site needs to
serve and search the pages: the tree (paths, url paths, numchild), the page and news tables,
the project's accent-free `search_text`, and (optionally) Wagtail's search index.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.db.models.sql import InsertQuery
from django.utils import timezone
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from home.text import strip_accents
from school_site.models import NewsPage

WORDS = (
    "khai giảng năm học mới hội thi giáo viên dạy giỏi thông báo lịch họp phụ huynh học sinh "
    "hội khỏe phù đổng trải nghiệm sáng tạo tuyên truyền an toàn giao thông ngày hội đọc sách "
    "tổng kết thi đua chuyên đề toán tiếng việt lễ tri ân nhà giáo kỷ niệm ngày thành lập"
).split()
CHUNK = 1000


def _title(n: int) -> str:
    # Titles of 4 to 12 words, deterministic, so norms and averages vary like real ones.
    length = 4 + n % 9
    return " ".join(WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(length)).capitalize()


def _insert(model, fields, objs) -> None:
    query = InsertQuery(model)
    query.insert_values(fields, objs)
    query.get_compiler(connection=connection).execute_sql()


def bulk_news(
    news_index: Page, count: int, *, start: int = 0, search_index: bool = True
) -> list[int]:
    """Add `count` live news pages under `news_index` (which may already have children)."""
    content_type_id = ContentType.objects.get_for_model(NewsPage).pk
    news_index.refresh_from_db()
    now = timezone.now()
    created: list[int] = []
    base_fields = [f for f in Page._meta.local_concrete_fields if not f.primary_key]
    news_fields = list(NewsPage._meta.local_concrete_fields)
    with transaction.atomic():
        first_step = news_index.numchild + 1
        for chunk_start in range(0, count, CHUNK):
            pages = []
            for i in range(chunk_start, min(count, chunk_start + CHUNK)):
                n = start + i
                title = _title(n)
                slug = f"tin-{n}"
                page = NewsPage(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    content_type_id=content_type_id,
                    path=Page._get_path(news_index.path, news_index.depth + 1, first_step + i),
                    depth=news_index.depth + 1,
                    numchild=0,
                    url_path=f"{news_index.url_path}{slug}/",
                    locale_id=news_index.locale_id,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=now,
                    last_published_at=now,
                    date=datetime.date(2026, 9, 5) - datetime.timedelta(days=n % 300),
                    intro=f"Tin số {n}: {title}.",
                )
                page.search_text = strip_accents(f"{title} {page.intro}")
                pages.append(page)
            _insert(Page, base_fields, pages)
            ids = dict(
                Page.objects.filter(path__in=[p.path for p in pages]).values_list("path", "pk")
            )
            for page in pages:
                page.pk = page.id = page.page_ptr_id = ids[page.path]
            _insert(NewsPage, news_fields, pages)
            if search_index:
                get_search_backend().add_bulk(NewsPage, pages)
            created += [p.pk for p in pages]
        Page.objects.filter(pk=news_index.pk).update(numchild=F("numchild") + count)
    news_index.refresh_from_db()
    return created
