"""The writer's page editor and "Gửi duyệt" cost the same SQL with 2 or 12 schools and with few or
many posts in the section (timings: benchmarks/admin_speed.py). The dashboards and the approval
are counted in test_review_performance.py, test_contributor_panels.py and
test_publish_queries.py."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import TaskState

from district_site.factories import make_school
from tests.form_fields import FormFields
from tests.school_site.test_review_workflow import draft_news

pytestmark = pytest.mark.django_db


def _editor_and_submit(client, school, writer, title: str) -> tuple[int, int]:
    """Queries of opening the editor on a new draft, and of submitting it from there."""
    page = draft_news(school, writer, title)
    url = f"/admin/pages/{page.pk}/edit/"
    with CaptureQueriesContext(connection) as opened:
        response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 200
    parser = FormFields()
    parser.feed(response.content.decode())
    fields = dict(parser.fields, **{"action-submit": "1"})
    with CaptureQueriesContext(connection) as submitted:
        response = client.post(url, fields, HTTP_HOST="localhost")
    assert response.status_code == 302
    assert TaskState.objects.filter(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    ).exists()
    return len(opened), len(submitted)


def test_editor_and_submit_cost_the_same_with_more_schools_and_posts(
    client, school_a, school_b, editor_a
):
    client.force_login(editor_a)
    _editor_and_submit(client, school_a, editor_a, "Bài làm nóng bộ nhớ đệm")
    few = _editor_and_submit(client, school_a, editor_a, "Bài thứ nhất")
    for i in range(10):
        make_school(f"th-{i:02d}")
    for i in range(10):
        draft_news(school_a, editor_a, f"Bài khác {i}")
    many = _editor_and_submit(client, school_a, editor_a, "Bài thứ hai")
    assert few == many == (EDITOR_QUERIES, SUBMIT_QUERIES)


# Measured with the caches warm, the same at 2 and 12 schools and with 1 or 11 other posts in
# the section: opening the editor 71 (Wagtail's edit view: the page, its revisions, workflow
# and locks, the panels' choosers and the credit fields' querysets); "Gửi duyệt" 145 on
# PostgreSQL and 149 on SQLite (saving the revision, the search index, starting the workflow:
# the group leader's step, skipped here, and the board's step, and queueing the board's mail).
# Both were 2 and 6 more before a page built from a revision checked its foreign keys once per
# related model (home/revision_fks.py).
EDITOR_QUERIES = 71
SUBMIT_QUERIES = 149 if connection.vendor == "sqlite" else 145
