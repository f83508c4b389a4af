import shutil
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page

from district_site.factories import make_member, make_school
from district_site.models import DISTRICT_ADMINS_GROUP, School


def pytest_sessionfinish(session, exitstatus):
    """Remove this process's media folder (district_site/settings/test.py names it after the
    process, so that two passes side by side do not share one); nothing else is left in it."""
    media = Path(settings.MEDIA_ROOT)
    if media.parent.name == "test-artifacts" and media.name.startswith("media-"):
        shutil.rmtree(media, ignore_errors=True)


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: the locmem cache outlives a test's database, and
    a page cached by one test (same hostname, same URL) would otherwise be served in the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page_cache_off(settings):
    """For tests that measure what rendering a page costs (a cache miss): warming a page up
    would otherwise store it, and the measured request would be a cache hit. The same holds
    for the per-site fragments (home/templatetags/fragment_tags.py): a cold render."""
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = False


@pytest.fixture
def school_a(db) -> School:
    return make_school("th-a", kind=School.Kind.PRIMARY, name="Trường Tiểu học A")


@pytest.fixture
def school_b(db) -> School:
    return make_school("mn-b", kind=School.Kind.PRESCHOOL, name="Trường Mầm non B")


@pytest.fixture
def two_schools(school_a, school_b) -> list[School]:
    return [school_a, school_b]


@pytest.fixture
def board_a(school_a):
    return make_member(school_a, "board_a", board=True)


@pytest.fixture
def editor_a(school_a):
    return make_member(school_a, "editor_a")


@pytest.fixture
def board_b(school_b):
    return make_member(school_b, "board_b", board=True)


@pytest.fixture
def migrated_rows(transactional_db):
    """The rows the data migrations create, rebuilt if an earlier transactional test flushed them.

    pytest-django runs transactional tests after the others and empties every table after each
    one (re-creating only content types and permissions), so a second transactional test finds
    no tree root, no root collection and no review workflow. Django's `serialized_rollback`
    would reload them, but clashes with the content types re-created by that flush unless every
    transactional test uses it; this rebuilds the few rows instead, with the migrations' code.
    """
    if Page.objects.filter(depth=1).exists():
        return
    if not ContentType.objects.exists():
        emit_post_migrate_signal(0, False, DEFAULT_DB_ALIAS)
    ContentType.objects.clear_cache()
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    Page.add_root(instance=Page(title="Root", slug="root"))
    Collection.add_root(name="Root")
    # The district admins' group with its rights (the flush dropped the group's permission
    # rows too; without them a district admin is refused the admin).
    admins, _ = Group.objects.get_or_create(name=DISTRICT_ADMINS_GROUP)
    granted = import_module("district_site.migrations.0002_district_admins_group")
    for app_label, codename in granted.DISTRICT_PERMISSIONS:
        admins.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    import_module("school_site.migrations.0003_board_review_workflow").forwards(django_apps, None)
    import_module("school_site.migrations.0011_leader_step_in_the_workflow").forwards(
        django_apps, None
    )
