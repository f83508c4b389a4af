"""Run inside the deployed stack's environment (`manage.py shell < this file`, production
settings): seed what the two-app-server test needs, or find it in the demo, and print JSON.

With STACK_SEED=light: two schools first. Then (after `seed_demo` too, whose pages are all
decided) two board members and a writer in the first school and one news item submitted for
review; then look up what the test needs.
"""

import json
import os

from django.contrib.auth import get_user_model
from wagtail.models import Site, TaskState

from district_site.factories import DEFAULT_PASSWORD, UserFactory, make_school
from district_site.models import School
from school_site.models import NewsIndexPage, NewsPage, SchoolBoardReviewTask

TITLE = "Ngày hội đọc sách qua hai máy chủ"

if os.environ.get("STACK_SEED") == "light":
    make_school("th-a", name="Trường Tiểu học A")
    make_school("mn-b", name="Trường Mầm non B")
school = School.objects.filter(status=School.Status.ACTIVE).order_by("pk").first()
if not NewsPage.objects.filter(title=TITLE).exists():
    writer = UserFactory(username="writer_a")
    writer.groups.add(school.editors_group)
    for name in ("board_a1", "board_a2"):
        UserFactory(username=name).groups.add(school.board_group)
    index = NewsIndexPage.objects.child_of(school.site.root_page).get()
    page = NewsPage(title=TITLE, author=writer, owner=writer, live=False)
    index.add_child(instance=page)
    page.save_revision(user=writer)
    page.get_workflow().start(page, writer)

# A review waiting for the board, and a board member whom the two-person rule lets approve it.
review = None
for state in TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS).order_by("pk"):
    task = state.task.specific
    if not isinstance(task, SchoolBoardReviewTask):
        continue
    page = state.workflow_state.content_object.specific
    site = page.get_site()
    school = getattr(site, "school", None)
    if school is None or page.live:
        continue
    for user in get_user_model().objects.filter(groups=school.board_group, is_active=True):
        if any(name == "approve" for name, *_ in task.get_actions(page, user)):
            latest = page.get_latest_revision_as_object()
            review = {
                "page_id": page.pk,
                "task_state_id": state.pk,
                "approver": user.username,
                "host": site.hostname,
                "path": latest.get_url_parts()[2] if latest.get_url_parts() else page.url_path,
                "title": latest.title,
            }
            break
    if review:
        break

sites = [
    {"host": site.hostname, "name": site.site_name or site.root_page.title}
    for site in Site.objects.select_related("root_page").order_by("hostname")
]
print(
    "STACK_JSON="
    + json.dumps(
        {"review": review, "sites": sites, "password": DEFAULT_PASSWORD}, ensure_ascii=False
    )
)
