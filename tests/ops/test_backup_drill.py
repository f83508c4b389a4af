"""The restore drill: seed the demo, back it up, restore it into a second database and media
folder, and compare every school's pages, revisions, workflow states, ledger sums and media.

PostgreSQL only (pg_dump/pg_restore). The data must be committed for pg_dump to see it, so the
test is transactional; the second database is created and dropped here (pytest-django only
knows its own test database).
"""

import hashlib
import json
import os
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.images import get_image_model

from district_site.backup import Database
from district_site.factories import make_member
from district_site.models import School
from home.images import generate_upload_renditions
from tests.school_site.test_review_workflow import draft_news, submit

pytestmark = [pytest.mark.postgres]

PER_SCHOOL_PAGES = """
    SELECT s.name, p.path, p.title, p.slug, p.live, p.url_path, p.has_unpublished_changes,
           ct.app_label || '.' || ct.model, p.latest_revision_id, p.live_revision_id
    FROM district_site_school s
    JOIN wagtailcore_site site ON site.id = s.site_id
    JOIN wagtailcore_page root ON root.id = site.root_page_id
    JOIN wagtailcore_page p ON p.path LIKE root.path || '%%'
    JOIN django_content_type ct ON ct.id = p.content_type_id
    ORDER BY s.name, p.path
"""
QUERIES = {
    "schools": "SELECT id, name, status, site_id FROM district_site_school ORDER BY id",
    "pages": PER_SCHOOL_PAGES,
    "all_pages": "SELECT count(*), md5(string_agg(path || title, ',' ORDER BY path)) FROM wagtailcore_page",
    "revisions": """
        SELECT object_id, count(*), md5(string_agg(content::text, '|' ORDER BY id))
        FROM wagtailcore_revision GROUP BY object_id ORDER BY object_id""",
    "workflow_states": """
        SELECT ws.object_id, ws.status, ws.requested_by_id, ts.status, ts.finished_by_id, ts.comment
        FROM wagtailcore_workflowstate ws
        LEFT JOIN wagtailcore_taskstate ts ON ts.workflow_state_id = ws.id
        ORDER BY ws.id, ts.id""",
    "ledger": """
        SELECT school_id, kind, count(*), sum(pages), sum(points), sum(bonus_points)
        FROM scoring_creditevent GROUP BY school_id, kind ORDER BY school_id, kind""",
    "users": "SELECT username, password, is_active FROM auth_user ORDER BY username",
    "images": "SELECT file, collection_id, file_hash FROM wagtailimages_image ORDER BY id",
    "documents": "SELECT file, collection_id, file_hash FROM wagtaildocs_document ORDER BY id",
    "renditions": """
        SELECT r.file, r.filter_spec, i.file FROM wagtailimages_rendition r
        JOIN wagtailimages_image i ON i.id = r.image_id ORDER BY r.file""",
    "queued_tasks": """
        SELECT task_path, status, args_kwargs::text FROM django_tasks_database_dbtaskresult
        ORDER BY enqueued_at, id""",
    "migrations": "SELECT app, name FROM django_migrations ORDER BY app, name",
}


def snapshot(database: Database) -> dict:
    conn = database.connect()
    try:
        with conn.cursor() as cursor:
            result = {}
            for name, sql in QUERIES.items():
                cursor.execute(sql)
                result[name] = [tuple(str(v) for v in row) for row in cursor.fetchall()]
            return result
    finally:
        conn.close()


def media_checksums(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def admin_connection(settings_dict: dict):
    conn = psycopg2.connect(
        dbname="postgres",
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
    )
    conn.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
    return conn


@pytest.fixture
def second_database():
    if connection.vendor != "postgresql":
        pytest.skip("The restore drill needs PostgreSQL (pg_dump, pg_restore).")
    settings_dict = dict(connection.settings_dict)
    name = f"{settings_dict['NAME']}_restored_{os.getpid()}"
    conn = admin_connection(settings_dict)
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**settings_dict, "NAME": name}
    finally:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_a_second_database_gives_the_same_site(
    migrated_rows, second_database, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Production's task backend (the database queue the worker reads), not the tests'
    # immediate one: the demo's uploads leave their renditions queued, as a backup taken
    # during a busy afternoon would find them, and the queue is compared after the restore.
    # (Run inline, the demo's ~12 AVIF renditions per picture were most of this test's time.)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))
    # Some pictures rendered, as the worker would have done for earlier uploads: rendition
    # rows and files must come back together.
    for image in get_image_model().objects.order_by("pk")[:2]:
        assert generate_upload_renditions(image)
    # The demo's reviews are all decided; leave one waiting so a workflow in progress is carried.
    school = School.objects.order_by("pk").first()
    writer = make_member(school, "drill_writer")
    submit(draft_news(school, writer, "Bài chờ duyệt khi sao lưu"), writer)
    original_media = media_checksums(settings.MEDIA_ROOT)
    assert original_media, "the demo uploads images; the drill must carry some media"

    backup_dir = tmp_path / "backup"
    call_command("backup_site", str(backup_dir), stdout=open(os.devnull, "w"))
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert manifest["media"]["files"] == len(original_media)
    assert manifest["app_version"]
    assert "district_site" in manifest["migrations"]

    restored_media = tmp_path / "restored-media"
    target_url = (
        f"postgres://{second_database.get('USER') or ''}:{second_database.get('PASSWORD') or ''}"
        f"@{second_database.get('HOST') or '127.0.0.1'}:{second_database.get('PORT') or 5432}"
        f"/{second_database['NAME']}"
    )
    call_command(
        "restore_site",
        str(backup_dir),
        database_url=target_url,
        media_root=str(restored_media),
        stdout=open(os.devnull, "w"),
    )

    before = snapshot(Database.from_settings(connection.settings_dict))
    after = snapshot(Database.from_settings(second_database))
    assert len({row[0] for row in before["pages"]}) >= 3, "every demo school is compared"
    assert before["ledger"], "the demo earns credit; the ledger must be compared"
    assert before["workflow_states"], "the demo has reviews in progress"
    assert before["renditions"], "rendered pictures must be compared"
    assert any(
        row[0] == "home.tasks.generate_renditions_task" and row[1] == "READY"
        for row in before["queued_tasks"]
    ), "the renditions still queued must be carried"
    for name in QUERIES:
        assert after[name] == before[name], f"{name} differs after restore"
    assert media_checksums(restored_media) == original_media

    # A second restore onto the now non-empty targets is refused, in Vietnamese ...
    with pytest.raises(CommandError, match="đã có .* bảng"):
        call_command(
            "restore_site", str(backup_dir), database_url=target_url, media_root=str(restored_media)
        )
    # ... and a tampered backup is refused before anything is touched.
    with (backup_dir / "media.tar").open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(CommandError, match="không khớp mã kiểm tra"):
        call_command(
            "restore_site",
            str(backup_dir),
            database_url=target_url,
            media_root=str(tmp_path / "elsewhere"),
            force=True,
        )
    assert not (tmp_path / "elsewhere").exists()


def test_backup_refuses_sqlite(tmp_path):
    with pytest.raises(Exception, match="chỉ dùng với PostgreSQL"):
        Database.from_settings({"ENGINE": "django.db.backends.sqlite3", "NAME": "x"})
    assert settings.DATABASES  # the settings are untouched
