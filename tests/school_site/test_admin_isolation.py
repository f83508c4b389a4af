"""Permission matrix of the board's review and of each school's sealed admin.

Roles × actions × own school / other school. Every refusal also asserts that nothing changed
and that the other school's titles did not appear in the response.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, TaskState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from district_site.factories import UserFactory, make_member
from district_site.models import DISTRICT_ADMINS_GROUP
from school_site.models import ContributorGroup, NewsPage
from school_site.review import SELF_PUBLISH_REFUSED
from tests.school_site.test_review_workflow import (
    action_url,
    current_task_state,
    draft_news,
    news_index,
    submit,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "contributor",
    "group_leader",
    "board",
    "principal",
    "district_admin",
    "other_school",
    "anonymous",
]


@dataclass
class World:
    school_a: object
    school_b: object
    users: dict
    draft: NewsPage  # school A, written by a teacher, awaiting the board
    live: NewsPage  # school A, published
    draft_b: NewsPage  # school B, awaiting B's board
    image_b: Image
    document_b: Document


@pytest.fixture
def world(school_a, school_b) -> World:
    writer = make_member(school_a, "writer_a")
    contributor = make_member(school_a, "contributor_a")
    leader = make_member(school_a, "leader_a")
    group = ContributorGroup.objects.create(school=school_a, name="Tổ Toán", leader=leader)
    group.members.add(leader, contributor)
    board = make_member(school_a, "board_a", board=True)
    principal = make_member(school_a, "principal_a", board=True)
    school_a.principal = principal
    school_a.save()
    district = UserFactory(username="district")
    district.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
    other = make_member(school_b, "board_b", board=True)
    writer_b = make_member(school_b, "writer_b")

    draft = draft_news(school_a, writer, "Bản nháp trường A chờ duyệt")
    submit(draft, writer)
    live = draft_news(school_a, writer, "Tin đã đăng của trường A")
    live.save_revision(user=writer).publish(user=principal)
    draft_b = draft_news(school_b, writer_b, "Bản nháp kín của trường B")
    submit(draft_b, writer_b)
    image_b = Image.objects.create(
        title="Ảnh kín của trường B", file=get_test_image_file(), collection=school_b.collection
    )
    document_b = Document.objects.create(
        title="Tệp kín của trường B",
        file=ContentFile(b"noi dung", name="kin.txt"),
        collection=school_b.collection,
    )
    users = {
        "contributor": contributor,
        "group_leader": leader,
        "board": board,
        "principal": principal,
        "district_admin": district,
        "other_school": other,
        "anonymous": None,
    }
    return World(school_a, school_b, users, draft, live, draft_b, image_b, document_b)


def login(client, world, role):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return user


def snapshot() -> list:
    """Everything an action could change on pages and reviews."""
    pages = list(
        Page.objects.order_by("pk").values_list(
            "pk", "path", "title", "live", "has_unpublished_changes", "latest_revision_id", "locked"
        )
    )
    states = list(TaskState.objects.order_by("pk").values_list("pk", "status"))
    return [pages, states]


def edit_data(page, action: str, title: str | None = None) -> dict:
    """The news editor's form as the browser posts it, with one action button pressed."""
    return nested_form_data(
        {
            "title": title or page.title,
            "slug": page.slug,
            "category": page.category,
            "date": page.date.isoformat(),
            "intro": page.intro,
            "body": streamfield([]),
            "author": page.author_id or "",
            "comments": inline_formset([]),
            action: "1",
        }
    )


def refused(response) -> bool:
    """Wagtail refuses with a redirect (to the dashboard or login), 403 or 404."""
    return response.status_code in (302, 403, 404)


# --- reading: own school allowed by role, other school never ---------------------------------

READ_ACTIONS = {
    "view_draft": lambda w, p: f"/admin/pages/{p.pk}/view_draft/",
    "edit_form": lambda w, p: f"/admin/pages/{p.pk}/edit/",
    "history": lambda w, p: f"/admin/pages/{p.pk}/history/",
    "compare": lambda w, p: f"/admin/pages/{p.pk}/revisions/compare/earliest...latest/",
    "preview_revision": lambda w, p: f"/admin/pages/{p.pk}/revisions/{p.latest_revision_id}/view/",
    "workflow_history": lambda w, p: f"/admin/pages/{p.pk}/workflow_history/",
}
# Roles with rights on school A's pages (provisioning gives both groups rights on the subtree).
READERS_OF_A = {"contributor", "group_leader", "board", "principal"}


@pytest.mark.parametrize("action", sorted(READ_ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_reading_a_draft(client, world, role, action):
    login(client, world, role)
    before = snapshot()
    own = client.get(READ_ACTIONS[action](world, world.draft), HTTP_HOST="localhost")
    if role in READERS_OF_A:
        assert own.status_code == 200
    else:
        assert refused(own)
        assert "Bản nháp trường A" not in own.content.decode()
    # School B's draft: refused for every school-A role, with nothing shown.
    other = client.get(READ_ACTIONS[action](world, world.draft_b), HTTP_HOST="localhost")
    if role != "other_school":
        assert refused(other)
        assert "kín của trường B" not in other.content.decode()
    assert snapshot() == before


# --- listing and choosing: own school's items only ------------------------------------------

LISTINGS = {
    "choose_pages_root": "/admin/choose-page/",
    "choose_pages_search": "/admin/choose-page/search/?q=B%E1%BA%A3n+nh%C3%A1p",
    "admin_search": "/admin/pages/search/?q=B%E1%BA%A3n+nh%C3%A1p",
    "choose_images": "/admin/images/chooser/?q=k%C3%ADn",
    "choose_documents": "/admin/documents/chooser/?q=k%C3%ADn",
    "images": "/admin/images/",
    "documents": "/admin/documents/",
    "dashboard": "/admin/",
    "report_locked": "/admin/reports/locked/",
    "report_workflow": "/admin/reports/workflow/",
    "report_workflow_tasks": "/admin/reports/workflow_tasks/",
    "report_site_history": "/admin/reports/site-history/",
    "report_aging": "/admin/reports/aging-pages/",
    "report_page_types": "/admin/reports/page-types-usage/",
    "pages_of_type": "/admin/pages/usage/school_site/newspage/",
    "admin_api_search": "/admin/api/main/pages/?search=B%E1%BA%A3n+nh%C3%A1p",
}
SCHOOL_A_ROLES = ["contributor", "group_leader", "board", "principal"]


@pytest.mark.parametrize("listing", sorted(LISTINGS))
@pytest.mark.parametrize("role", SCHOOL_A_ROLES)
def test_school_users_never_see_another_schools_titles(client, world, role, listing):
    login(client, world, role)
    response = client.get(LISTINGS[listing], HTTP_HOST="localhost")
    body = response.content.decode()
    for secret in ("kín của trường B", "k\\u00edn c\\u1ee7a tr\\u01b0\\u1eddng B", "Mầm non B"):
        assert secret not in body, f"{listing} shows {secret!r} to {role}"
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("role", SCHOOL_A_ROLES)
def test_own_school_items_are_found(client, world, role):
    login(client, world, role)
    chooser = client.get(LISTINGS["choose_pages_search"], HTTP_HOST="localhost")
    assert "Bản nháp trường A chờ duyệt" in chooser.content.decode()
    search = client.get(LISTINGS["admin_search"], HTTP_HOST="localhost")
    assert "Bản nháp trường A chờ duyệt" in search.content.decode()


@pytest.mark.parametrize("role", SCHOOL_A_ROLES)
def test_the_chooser_opened_on_another_schools_page_is_refused(client, world, role):
    login(client, world, role)
    response = client.get(
        f"/admin/choose-page/{world.school_b.site.root_page_id}/", HTTP_HOST="localhost"
    )
    assert refused(response)
    assert "Mầm non B" not in response.content.decode()


def test_the_district_admin_still_sees_every_school_in_the_chooser(client, world):
    login(client, world, "district_admin")
    body = client.get(LISTINGS["choose_pages_root"], HTTP_HOST="localhost").content.decode()
    assert "Tr\\u01b0\\u1eddng M\\u1ea7m non B" in body or "Trường Mầm non B" in body


# --- the review: approve / request changes ----------------------------------------------------

REVIEWERS_OF_A = {"board", "principal"}


@pytest.mark.parametrize("action", ["approve", "reject"])
@pytest.mark.parametrize("role", ROLES)
def test_reviewing(client, world, role, action):
    login(client, world, role)
    state = current_task_state(world.draft)
    before = snapshot()
    response = client.post(
        action_url(world.draft, action, state), {"comment": "Nhận xét của người duyệt."}
    )
    world.draft.refresh_from_db()
    state.refresh_from_db()
    if role in REVIEWERS_OF_A:
        assert response.status_code == 302
        expected = TaskState.STATUS_APPROVED if action == "approve" else TaskState.STATUS_REJECTED
        assert state.status == expected
        assert state.finished_by == world.users[role]
        assert world.draft.live is (action == "approve")
    else:
        assert refused(response)
        assert state.status == TaskState.STATUS_IN_PROGRESS
        assert snapshot() == before


def test_a_crafted_url_cannot_approve_another_schools_task_state(client, world):
    """Page id of one's own school, task state id of the other school's review."""
    login(client, world, "board")
    state_b = current_task_state(world.draft_b)
    before = snapshot()
    response = client.post(action_url(world.draft, "approve", state_b), {"comment": ""})
    assert refused(response)
    state_b.refresh_from_db()
    assert state_b.status == TaskState.STATUS_IN_PROGRESS
    assert snapshot() == before


def test_a_board_members_own_post_needs_another_board_member(client, world):
    board = world.users["board"]
    own = draft_news(world.school_a, board, "Bài của chính thành viên Ban quản trị")
    submit(own, board)
    client.force_login(board)
    before = snapshot()
    response = client.post(action_url(own, "approve", current_task_state(own)), {"comment": ""})
    assert refused(response)
    assert snapshot() == before
    # Nor by pressing "Publish" in the editor (not offered; a crafted POST is refused, unsaved).
    response = client.post(f"/admin/pages/{own.pk}/edit/", edit_data(own, "action-publish"))
    assert response.status_code == 200
    assert SELF_PUBLISH_REFUSED in response.content.decode()
    assert snapshot() == before
    client.force_login(world.users["principal"])
    client.post(action_url(own, "approve", current_task_state(own)), {"comment": ""})
    own.refresh_from_db()
    assert own.live


# --- writing: publish / unpublish / delete / move / copy ---------------------------------------

PUBLISHERS_OF_A = {"board", "principal"}


@pytest.mark.parametrize("role", ROLES)
def test_unpublish(client, world, role):
    login(client, world, role)
    before = snapshot()
    response = client.post(f"/admin/pages/{world.live.pk}/unpublish/")
    world.live.refresh_from_db()
    if role in PUBLISHERS_OF_A:
        assert response.status_code == 302
        assert not world.live.live
    else:
        assert refused(response)
        assert snapshot() == before


@pytest.mark.parametrize("role", ROLES)
def test_delete_a_live_page(client, world, role):
    login(client, world, role)
    before = snapshot()
    response = client.post(f"/admin/pages/{world.live.pk}/delete/")
    exists = NewsPage.objects.filter(pk=world.live.pk).exists()
    if role in PUBLISHERS_OF_A:
        assert response.status_code == 302
        assert not exists
    else:
        assert refused(response)
        assert exists
        assert snapshot() == before


@pytest.mark.parametrize("role", ROLES)
def test_move_form(client, world, role):
    login(client, world, role)
    response = client.get(f"/admin/pages/{world.live.pk}/move/")
    if role in PUBLISHERS_OF_A:
        assert response.status_code == 200
    else:
        assert refused(response)


@pytest.mark.parametrize("role", ROLES)
def test_copy_into_another_school_is_refused(client, world, role):
    login(client, world, role)
    before = snapshot()
    target = news_index(world.school_b)
    response = client.post(
        f"/admin/pages/{world.live.pk}/copy/",
        {
            "new_title": "Bản sao sang trường B",
            "new_slug": "ban-sao-sang-truong-b",
            "new_parent_page": target.pk,
            "copy_subpages": "false",
            "publish_copies": "false",
            "alias": "false",
        },
    )
    assert not NewsPage.objects.filter(slug="ban-sao-sang-truong-b").exists()
    assert snapshot() == before
    assert response.status_code in (200, 302, 403, 404)


@pytest.mark.parametrize("role", ROLES)
def test_submit_and_publish(client, world, role):
    """Contributors submit, board publishes directly (a page they did not write)."""
    login(client, world, role)
    before = snapshot()
    title = "Tin đã đăng của trường A (sửa)"
    submitted = client.post(
        f"/admin/pages/{world.live.pk}/edit/", edit_data(world.live, "action-submit", title)
    )
    world.live.refresh_from_db()
    if role in READERS_OF_A:
        assert submitted.status_code == 302
        assert world.live.workflow_in_progress
        assert world.live.title == "Tin đã đăng của trường A"  # live content unchanged
    else:
        assert refused(submitted)
        assert snapshot() == before
    published = client.post(
        f"/admin/pages/{world.live.pk}/edit/", edit_data(world.live, "action-publish", title)
    )
    world.live.refresh_from_db()
    if role in PUBLISHERS_OF_A:
        # They submitted this version themselves: the two-person rule leaves publishing it to
        # the other board member (tests/security/test_two_person.py), who does.
        assert world.live.title == "Tin đã đăng của trường A"
        other = "principal" if role == "board" else "board"
        login(client, world, other)
        client.post(
            f"/admin/pages/{world.live.pk}/edit/", edit_data(world.live, "action-publish", title)
        )
        world.live.refresh_from_db()
        assert world.live.title == "Tin đã đăng của trường A (sửa)"
    else:
        assert world.live.title == "Tin đã đăng của trường A"
        assert published.status_code in (200, 302, 403)
