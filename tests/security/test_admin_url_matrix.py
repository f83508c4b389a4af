"""Every admin URL pattern × every school role × the other school's ids (DESIGN.md, decision 8).

The URL list is read from the URL configuration itself, not written down here: a Wagtail upgrade
(or a new hook) that adds a route is requested too. For a school user (editor, board member,
principal of school A) each route must either be refused by the seal (its name is not on
`district_site.admin_allowlist.ALLOWED`), or, being allowlisted, answer without showing anything of
school B (titles, people, tags, file names, its site) and without changing school B's rows,
whatever ids of school B it is given (GET, and POST with an empty form or a pressed action).

One test builds the two schools once and walks every request in a savepoint that is rolled
back, so a POST that changed something of school A cannot disturb the next request. Failures
are collected and reported together.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from taggit.models import Tag
from wagtail.admin.models import EditingSession
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import (
    Collection,
    Page,
    Revision,
    TaskState,
    UploadedFile,
    Workflow,
    WorkflowState,
)

from district_site.admin_allowlist import ALLOWED
from district_site.admin_scoping import REFUSED_MESSAGE
from district_site.factories import make_member
from district_site.models import School
from home.models import SiteBranding
from school_site.models import ContributorGroup
from tests.school_site.test_review_workflow import draft_news, submit

pytestmark = pytest.mark.django_db

ADMIN_PREFIX = "admin/"
# Every text of school B the matrix plants carries this token (ASCII, so it survives HTML and
# JSON escaping unchanged); school B's own name and hostname come from the fixtures.
SECRET = "bsecret"
SEARCH = SECRET[:5]
# The group leader is a contributor who leads a contributor group: the first step of the review
# (school_site/leader_review.py) is theirs for that group's posts, in their own school only.
ROLES = ("editor", "leader", "board", "principal")


# --- the URL configuration ------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None  # namespaced view name; None for unnamed patterns
    route: str  # the pattern as text, for messages
    params: tuple[str, ...]  # keyword arguments the pattern takes


def _params(pattern) -> tuple[str, ...]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return tuple(converters)
    regex = getattr(pattern, "regex", None)
    return tuple(regex.groupindex) if regex is not None else ()


def admin_routes() -> list[Route]:
    """Every URL pattern under the admin prefix, includes followed, in resolver order."""

    def walk(patterns, prefix: str, namespaces: tuple[str, ...], params: tuple[str, ...]):
        for entry in patterns:
            text = prefix + str(entry.pattern)
            found = params + _params(entry.pattern)
            if isinstance(entry, URLResolver):
                spaces = namespaces + ((entry.namespace,) if entry.namespace else ())
                yield from walk(entry.url_patterns, text, spaces, found)
            elif isinstance(entry, URLPattern):
                name = ":".join(namespaces + (entry.name,)) if entry.name else None
                yield Route(name, text, found)

    return [
        route
        for route in walk(get_resolver().url_patterns, "", (), ())
        if route.route.startswith(ADMIN_PREFIX)
    ]


# --- the two schools ------------------------------------------------------------------------


@dataclass
class World:
    school_a: School
    school_b: School
    users: dict
    ids_b: dict  # parameter name -> school B's id (or a fitting string)
    ids_a: dict
    secrets: tuple[str, ...]


def _school_objects(school: School, tag: str, people: dict) -> dict:
    """Pages, a review waiting at the group leader's first step, files, a contributor group and
    an editing session."""
    writer, board = people["editor"], people["board"]
    group = ContributorGroup.objects.create(
        school=school, name=f"Tổ {tag}group", leader=people["leader"]
    )
    group.members.add(writer, people["leader"])
    School.objects.filter(pk=school.pk).update(leader_review=True)
    draft = draft_news(school, writer, f"Bản nháp {tag}draft")
    draft.contributor_group = group
    submit(draft, writer)
    live = draft_news(school, writer, f"Tin {tag}live")
    live.save_revision(user=writer).publish(user=board)
    live.locked, live.locked_by, live.locked_at = True, board, timezone.now()
    live.save()
    image = Image.objects.create(
        title=f"Ảnh {tag}image",
        file=get_test_image_file(filename=f"{tag}imagefile.png"),
        collection=school.collection,
    )
    image.tags.add(f"{tag}tag")
    document = Document.objects.create(
        title=f"Tệp {tag}doc",
        file=ContentFile(b"noi dung", name=f"{tag}docfile.txt"),
        collection=school.collection,
    )
    document.tags.add(f"{tag}doctag")
    uploaded = UploadedFile.objects.create(
        file=ContentFile(b"x", name=f"{tag}upload.txt"), uploaded_by_user=board
    )
    session = EditingSession.objects.create(
        user=board,
        content_type=ContentType.objects.get_for_model(Page),
        object_id=str(draft.pk),
        last_seen_at=timezone.now(),
        is_editing=True,
    )
    task_state = TaskState.objects.filter(
        workflow_state__object_id=str(draft.pk), status=TaskState.STATUS_IN_PROGRESS
    ).get()
    workflow = Workflow.objects.filter(active=True).first()
    return {
        "page": draft.pk,
        "live_page": live.pk,
        "home_page": school.site.root_page_id,
        "revision": draft.latest_revision_id,
        "task_state": task_state.pk,
        "workflow_state": task_state.workflow_state_id,
        "task": task_state.task_id,
        "workflow": workflow.pk if workflow else 1,
        "image": image.pk,
        "document": document.pk,
        "collection": school.collection_id,
        "site": school.site_id,
        "user": writer.pk,
        "group": school.board_group_id,
        "contributor_group": group.pk,
        "school": school.pk,
        "uploaded_file": uploaded.pk,
        "session": session.pk,
        "tag": f"{tag}tag",
    }


@pytest.fixture
def world(school_a, school_b) -> World:
    people_a = {
        "editor": make_member(school_a, "editor_a"),
        "leader": make_member(school_a, "leader_a"),
        "board": make_member(school_a, "board_a", board=True),
        "principal": make_member(school_a, "principal_a", board=True),
    }
    school_a.principal = people_a["principal"]
    school_a.save()
    people_b = {
        "editor": make_member(
            school_b, f"{SECRET}_editor", first_name=f"{SECRET}first", last_name=f"{SECRET}last"
        ),
        "leader": make_member(
            school_b, f"{SECRET}_leader", first_name=f"{SECRET}lfirst", last_name=f"{SECRET}llast"
        ),
        "board": make_member(
            school_b,
            f"{SECRET}_board",
            board=True,
            first_name=f"{SECRET}bfirst",
            last_name=f"{SECRET}blast",
        ),
    }
    school_b.principal = people_b["board"]
    school_b.save()
    ids_a = _school_objects(school_a, "aown", people_a)
    ids_b = _school_objects(school_b, SECRET, people_b)
    secrets = (
        SECRET,
        school_b.name,
        school_b.site.hostname,
        # JSON answers escape non-ASCII letters.
        school_b.name.encode("ascii", "backslashreplace").decode(),
    )
    return World(school_a, school_b, people_a, ids_b, ids_a, secrets)


def snapshot_b(world: World) -> list:
    """School B's rows that any admin action could change."""
    school = world.school_b
    root_path = school.site.root_page.path
    group_ids = [school.board_group_id, school.editors_group_id]
    return [
        list(
            Page.objects.filter(path__startswith=root_path)
            .order_by("pk")
            .values_list(
                "pk",
                "path",
                "title",
                "slug",
                "live",
                "has_unpublished_changes",
                "latest_revision_id",
                "locked",
                "locked_by_id",
                "owner_id",
                "view_restrictions__id",
            )
        ),
        list(
            Revision.page_revisions.filter(object_id__in=[str(world.ids_b["page"])])
            .order_by("pk")
            .values_list("pk", "approved_go_live_at")
        ),
        list(
            WorkflowState.objects.filter(object_id=str(world.ids_b["page"]))
            .order_by("pk")
            .values_list("pk", "status")
        ),
        list(
            TaskState.objects.filter(workflow_state__object_id=str(world.ids_b["page"]))
            .order_by("pk")
            .values_list("pk", "status")
        ),
        list(
            Image.objects.filter(collection__path__startswith=school.collection.path)
            .order_by("pk")
            .values_list("pk", "title", "file", "collection_id")
        ),
        list(
            Document.objects.filter(collection__path__startswith=school.collection.path)
            .order_by("pk")
            .values_list("pk", "title", "file", "collection_id")
        ),
        list(Collection.objects.filter(pk=school.collection_id).values_list("name", "path")),
        list(
            Group.objects.filter(pk__in=group_ids)
            .order_by("pk")
            .values_list("pk", "name", "user__id", "user__is_active", "user__password")
        ),
        list(
            ContributorGroup.objects.filter(school=school)
            .order_by("pk")
            .values_list("pk", "name", "leader_id", "members__id")
        ),
        list(
            School.objects.filter(pk=school.pk).values_list(
                "name", "status", "principal_id", "leader_review"
            )
        ),
        list(SiteBranding.objects.filter(site_id=school.site_id).values()),
        sorted(Tag.objects.filter(name__startswith=SECRET).values_list("name", flat=True)),
    ]


# --- filling a URL with school B's ids ------------------------------------------------------


def _value(route: Route, param: str, ids: dict, world: World):
    """The id (or string) of the given school's object that `param` names in `route`."""
    name = route.name or ""
    if param in ("page_id", "parent_page_id", "page_to_move_id"):
        return ids["page"]
    if param == "destination_id":
        return ids["home_page"]
    if param in ("revision_id", "revision_id_a", "revision_id_b"):
        return ids["revision"]
    simple = {
        "task_state_id": "task_state",
        "workflow_state_id": "workflow_state",
        "task_id": "task",
        "image_id": "image",
        "document_id": "document",
        "doc_id": "document",
        "collection_id": "collection",
        "uploaded_file_id": "uploaded_file",
        "session_id": "session",
        "school_id": "school",
        "user_id": "user",
        "workflow_pk": "workflow",
        "page_pk": "page",
        "redirect_id": "page",
    }
    if param in simple:
        return ids[simple[param]]
    if param == "object_id":
        return str(ids["page"])
    if param == "instance_pk":
        return ids["school" if name.startswith("district_site") else "contributor_group"]
    if param == "pk":
        for prefix, key in (
            ("wagtailimages_chooser", "image"),
            ("wagtaildocs_chooser", "document"),
            ("wagtailadmin_api:images", "image"),
            ("wagtailadmin_api:documents", "document"),
            ("wagtailadmin_collections", "collection"),
            ("wagtailsites", "site"),
            ("wagtailsettings", "site"),
            ("wagtailusers_users", "user"),
            ("wagtailusers_groups", "group"),
            ("wagtailadmin_workflows:edit_task", "task"),
            ("wagtailadmin_workflows:disable_task", "task"),
            ("wagtailadmin_workflows:enable_task", "task"),
            ("wagtailadmin_workflows", "workflow"),
        ):
            if name.startswith(prefix):
                return ids[key]
        return ids["page"]  # pages API, revision comparison, scoring years
    strings = {
        "content_type_app_name": "school_site",
        "content_type_model_name": "newspage",
        "app_name": "home" if name.startswith("wagtailsettings") else "taggit",
        "model_name": "sitebranding" if name.startswith("wagtailsettings") else "tag",
        "action_name": "approve",
        "filter_spec": "original",
        "fmt": "xlsx",
        "uidb64": "MQ",
        "token": "abc-123",
    }
    if name == "wagtail_bulk_action":
        strings.update(app_label="wagtailcore", model_name="page", action="delete")
    elif name.startswith("wagtailadmin_editing_sessions"):
        strings.update(app_label="wagtailcore", model_name="page")
    elif name == "wagtailadmin_pages:choose_parent":
        strings.update(app_label="school_site", model_name="newspage")
    elif name.startswith("wagtailadmin_workflows"):
        strings.update(app_label="wagtailcore", model_name="task")
    if param in strings:
        return strings[param]
    raise AssertionError(f"The matrix does not know how to fill {param!r} of {route.route}")


def _url(route: Route, values: dict) -> str:
    if route.name is None:
        # Unnamed patterns: Wagtail's test404 page and its catch-all 404 route.
        literal = route.route.replace("^", "").replace("$", "").replace(".*", "no-such-route")
        return "/" + literal
    return reverse(route.name, kwargs=values)


def _bulk_variants(route: Route, world: World) -> list[tuple[dict, str]]:
    """Bulk actions on each kind of object, with school B's ids in the query string."""
    ids = world.ids_b
    return [
        ({"app_label": "wagtailcore", "model_name": "page", "action": action}, query)
        for action in ("delete", "publish", "unpublish", "move")
        for query in (f"id={ids['page']}&id={ids['live_page']}", f"id=all&childOf={ids['home_page']}")
    ] + [
        ({"app_label": "wagtailimages", "model_name": "image", "action": "delete"}, f"id={ids['image']}"),
        ({"app_label": "wagtaildocs", "model_name": "document", "action": "delete"}, f"id={ids['document']}"),
        ({"app_label": "wagtailimages", "model_name": "image", "action": "add_tags"}, "id=all"),
        ({"app_label": "wagtailusers", "model_name": "user", "action": "delete"}, f"id={ids['user']}"),
    ]  # fmt: skip


def requests_for(route: Route, world: World) -> list[str]:
    """URLs to request for `route`: all ids of school B, and own ids mixed with school B's;
    each without a query string and with one naming school B's things (a search term, ids)."""
    ids_b, ids_a = world.ids_b, world.ids_a
    if route.name == "wagtail_bulk_action":
        return [
            f"{reverse(route.name, kwargs=kwargs)}?{query}"
            for kwargs, query in _bulk_variants(route, world)
        ]
    if (route.name or "").startswith("wagtailadmin_api:"):
        # The admin API answers 400 to parameters it does not know: its own ones.
        queries = ["", f"search={SEARCH}", f"child_of={ids_b['home_page']}"]
    else:
        # A search term that finds school B's things without being the token itself
        # (searches echo their term back), and ids for the views reading `?id=`.
        queries = [
            "",
            f"q={SEARCH}&search={SEARCH}&term={SEARCH[:3]}"
            f"&id={ids_b['page']}&id={ids_b['image']}&id={ids_b['document']}",
        ]
    values = {param: _value(route, param, ids_b, world) for param in route.params}
    paths = [_url(route, values)]
    id_params = [p for p in route.params if isinstance(values[p], int)]
    if len(id_params) >= 2:
        # School A's own first object with school B's others (move A's page into B, act on
        # B's task state through A's page, view B's revision through A's page...).
        mixed = dict(values, **{id_params[0]: _value(route, id_params[0], ids_a, world)})
        paths.append(_url(route, mixed))
    return [f"{path}?{query}" if query else path for path in paths for query in queries]


# --- judging an answer ----------------------------------------------------------------------


def shows_school_b(response, world: World) -> str | None:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", "replace").lower()
    location = response.get("Location", "").lower()
    for secret in world.secrets:
        if secret.lower() in text or secret.lower() in location:
            return secret
    return None


def is_refusal(response, method: str) -> bool:
    """The seal's answer: back to the dashboard (GET), or 403 with the Vietnamese message."""
    if method == "GET" and response.status_code == 302:
        return response["Location"] == reverse("wagtailadmin_home")
    return response.status_code == 403 and REFUSED_MESSAGE in response.content.decode()


# An action button pressed, otherwise an empty form. Wagtail 8.0.1's external link chooser
# crashes (500, not a leak) on a POST without its url field, so that field is sent, empty.
POST_DATA = {"action-publish": "1", "action": "1", "external-link-chooser-url": ""}


class _RollBack(Exception):
    pass


def _request(client, method: str, url: str, world: World, before: list):
    """One request in a savepoint rolled back afterwards; returns (response, B changed?)."""
    outcome = {}
    try:
        with transaction.atomic():
            if method == "GET":
                outcome["response"] = client.get(url, HTTP_HOST="localhost")
            else:
                outcome["response"] = client.post(url, POST_DATA, HTTP_HOST="localhost")
            outcome["changed"] = snapshot_b(world) != before
            raise _RollBack
    except _RollBack:
        pass
    return outcome["response"], outcome["changed"]


def _plan(route: Route, allowed: bool, world: World) -> list[tuple[str, str]]:
    """(method, URL) pairs to request. A route off the allowlist is refused by its name alone:
    one GET and one POST. An allowlisted one: GET every variant; POST the paths (school B's
    ids, and own ids mixed with B's) without query string, and every bulk action (which reads
    its ids from the query string)."""
    urls = requests_for(route, world)
    if not allowed:
        return [("GET", urls[0]), ("POST", urls[0])]
    bulk = route.name == "wagtail_bulk_action"
    posts = [url for url in urls if bulk or "?" not in url]
    return [("GET", url) for url in urls] + [("POST", url) for url in posts]


def test_every_admin_route_is_refused_or_sealed_for_every_school_role(client, world):
    routes = admin_routes()
    assert len(routes) > 150, "the URL configuration was not walked"
    before = snapshot_b(world)
    client.raise_request_exception = False
    failures: list[str] = []
    for role in ROLES:
        client.force_login(world.users[role])
        for route in routes:
            allowed = route.name in ALLOWED
            for method, url in _plan(route, allowed, world):
                response, changed = _request(client, method, url, world, before)
                if route.name == "wagtailadmin_logout":
                    client.force_login(world.users[role])
                where = f"{role} {method} {url} ({route.name or route.route})"
                if response.status_code >= 500:
                    error = getattr(response, "exc_info", None)
                    failures.append(f"{where}: server error {error and error[1]!r}")
                if changed:
                    failures.append(f"{where}: changed school B's data")
                secret = shows_school_b(response, world)
                if secret:
                    failures.append(f"{where}: shows {secret!r}")
                if not allowed and not is_refusal(response, method):
                    failures.append(
                        f"{where}: not on the allowlist, yet answered {response.status_code}"
                    )
    assert snapshot_b(world) == before
    assert not failures, f"{len(failures)} unsealed answers:\n" + "\n".join(failures)


def test_the_allowlist_names_only_routes_that_exist():
    names = {route.name for route in admin_routes()}
    assert ALLOWED <= names, sorted(ALLOWED - names)


def test_a_route_added_by_an_upgrade_is_refused(client, world):
    """A made-up admin route (as a Wagtail upgrade might add) is refused to school users."""
    from django.urls import clear_url_caches, include, path

    from district_site import urls as project_urls

    def new_view(request):
        from django.http import HttpResponse

        return HttpResponse(f"{SECRET} everything")

    original = list(project_urls.urlpatterns)
    project_urls.urlpatterns.insert(
        0, path("admin/brand-new/", include(([path("", new_view, name="list")], "upgrade")))
    )
    clear_url_caches()
    try:
        client.force_login(world.users["board"])
        response = client.get("/admin/brand-new/", HTTP_HOST="localhost")
        assert is_refusal(response, "GET")
        assert SECRET not in response.content.decode()
    finally:
        project_urls.urlpatterns[:] = original
        clear_url_caches()


def test_the_refusal_is_friendly_and_in_vietnamese(client, world):
    client.force_login(world.users["editor"])
    response = client.get(reverse("wagtailusers_users:index"), HTTP_HOST="localhost", follow=True)
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home")
    assert REFUSED_MESSAGE in response.content.decode()
    ajax = client.get(
        reverse("wagtailusers_users:index"),
        HTTP_HOST="localhost",
        HTTP_ACCEPT="application/json",
    )
    assert ajax.status_code == 403
