"""The app runs as a PostgreSQL role that owns nothing (deploy/postgres-roles.sql and
deploy/postgres-grants.sql), so the credit ledger stays append-only even against the app's own
connection: no UPDATE, DELETE or TRUNCATE, no disabling its trigger.

The test runs the real scripts with psql on a fresh database, migrates it as the owner role
(proving migrations need no superuser), runs the app's own code as the app role (provisioning a
school, publishing a credited post: inserts and reads everywhere, including the ledger), then
tries to rewrite the ledger as the app role.

The sheet totals (the ledger's running sums, which the district's sheets read) are read-only to
the app role as well: publishing as the app role still adds to them (the ledger's trigger runs
as its owner, SECURITY DEFINER), the nightly check runs as the app role, and any write on them
by the app role is refused; `sheet_totals --rebuild` works as the owner role only.
"""

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from psycopg2 import errors

ROOT = Path(__file__).resolve().parents[2]

# No django_db: the test makes its own database and does not use the test database.
pytestmark = [pytest.mark.postgres]

# The app's work, as the app role: a school, a teacher's post approved by a board member.
APP_WORK = """
from django.utils import timezone
from district_site.factories import make_member
from district_site.provisioning import provision_school
from scoring import services
from scoring.models import CreditEvent
from tests.scoring.helpers import draft_news, publish
school = provision_school(name="Trường Tiểu học Vai Trò", kind="primary", hostname="vaitro.localhost").school
services.school_year_for(moment=timezone.now())
writer = make_member(school, "gv_vaitro")
board = make_member(school, "bqt_vaitro", board=True)
publish(draft_news(school, writer), board)
print("ledger rows:", CreditEvent.objects.count())
"""


@pytest.fixture
def roles_database():
    if connection.vendor != "postgresql":
        pytest.skip("Database roles are PostgreSQL's; this runs in CI's PostgreSQL pass.")
    if shutil.which("psql") is None:
        pytest.fail("psql is needed to run deploy/postgres-roles.sql.")
    db = settings.DATABASES["default"]
    suffix = f"{os.getpid()}_{secrets.token_hex(3)}"
    names = {
        "db": f"roles_check_{suffix}",
        "owner": f"roles_owner_{suffix}",
        "app": f"roles_app_{suffix}",
        "owner_password": secrets.token_urlsafe(16),
        "app_password": secrets.token_urlsafe(16),
    }
    server = {"host": db["HOST"] or "127.0.0.1", "port": str(db["PORT"] or 5432)}

    def url(role: str, password: str) -> str:
        return f"postgres://{role}:{password}@{server['host']}:{server['port']}/{names['db']}"

    def psql(target: str, script: str, **variables) -> None:
        args = ["psql", target, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(ROOT / script)]
        for key, value in variables.items():
            args += ["-v", f"{key}={value}"]
        result = subprocess.run(args, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr

    superuser = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{server['host']}:{server['port']}/postgres"
    )
    try:
        psql(superuser, "deploy/postgres-roles.sql", **names)
        yield {"names": names, "url": url, "psql": psql, "server": server}
    finally:
        cleanup = psycopg2.connect(superuser)
        cleanup.autocommit = True
        with cleanup.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{names["db"]}" WITH (FORCE)')
            for role in (names["app"], names["owner"]):
                cursor.execute(f'DROP ROLE IF EXISTS "{role}"')
        cleanup.close()


def manage(database_url: str, *args, ok: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url}
    env["DJANGO_SETTINGS_MODULE"] = "district_site.settings.test"
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert (result.returncode == 0) == ok, result.stdout[-2000:] + result.stderr[-4000:]
    return result


def test_the_app_role_cannot_rewrite_the_ledger(roles_database):
    names, url, psql = roles_database["names"], roles_database["url"], roles_database["psql"]
    owner_url = url(names["owner"], names["owner_password"])
    app_url = url(names["app"], names["app_password"])

    # Migrations run as the owner, which is no superuser; then the grants, as the owner too.
    manage(owner_url, "migrate", "--noinput")
    psql(owner_url, "deploy/postgres-grants.sql", owner=names["owner"], app=names["app"])

    # The app works as the app role: provisioning, users, pages, publishing, the ledger.
    out = manage(app_url, "shell", "-c", APP_WORK).stdout
    assert "ledger rows: 0" not in out and "ledger rows:" in out, out

    app = psycopg2.connect(app_url)
    app.autocommit = True
    with app.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False, False)
        cursor.execute("SELECT count(*) FROM scoring_creditevent")
        assert cursor.fetchone()[0] > 0
        # Ordinary tables: the app may change rows.
        cursor.execute("UPDATE wagtailcore_page SET title = title WHERE depth = 1")

        refused = {
            "UPDATE": "UPDATE scoring_creditevent SET points = points + 100",
            "DELETE": "DELETE FROM scoring_creditevent",
            "TRUNCATE": "TRUNCATE scoring_creditevent",
            "DISABLE TRIGGER": "ALTER TABLE scoring_creditevent DISABLE TRIGGER ALL",
            "DROP TRIGGER": "DROP TRIGGER scoring_creditevent_append_only ON scoring_creditevent",
            "DROP TABLE": "DROP TABLE scoring_creditevent",
            "CREATE TABLE": "CREATE TABLE public.scratch (id int)",
        }
        allowed = []
        for what, sql in refused.items():
            try:
                cursor.execute(sql)
            except errors.InsufficientPrivilege:
                continue
            allowed.append(what)
        assert allowed == [], f"the app role may {allowed} on the ledger"
        cursor.execute("SELECT count(*) FROM scoring_creditevent WHERE points > 100")
        assert cursor.fetchone()[0] == 0
    app.close()

    # The totals: kept by the publication above (the trigger, as its owner), readable, and
    # checked against the ledger by the app role; no write of the app role's own gets in.
    app = psycopg2.connect(app_url)
    app.autocommit = True
    with app.cursor() as cursor:
        for table in ("scoring_sheettotal", "scoring_schoolmonthtotal"):
            cursor.execute(f"SELECT count(*), coalesce(sum(pages), 0) FROM {table}")
            assert cursor.fetchone()[0] > 0, table
        cursor.execute("SELECT school_year_id, school_id, month FROM scoring_sheettotal LIMIT 1")
        year_id, school_id, month = cursor.fetchone()
        refused = {
            "INSERT": (
                "INSERT INTO scoring_sheettotal (school_year_id, month, school_id, author_id, "
                "group_id, news, article, document, lecture, gallery, pages, points, "
                f"bonus_points) VALUES ({year_id}, '2000-01-01', {school_id}, 0, 0, 0, 0, 0, 0, "
                "0, 5, 500, 0)"
            ),
            "UPDATE": "UPDATE scoring_sheettotal SET points = points + 100",
            "DELETE": "DELETE FROM scoring_sheettotal",
            "TRUNCATE": "TRUNCATE scoring_sheettotal",
            "INSERT month": (
                "INSERT INTO scoring_schoolmonthtotal (school_year_id, school_id, month, pages, "
                f"points, bonus_points) VALUES ({year_id}, {school_id}, '2000-01-01', 5, 500, 0)"
            ),
            "UPDATE month": "UPDATE scoring_schoolmonthtotal SET points = points + 100",
            "DELETE month": "DELETE FROM scoring_schoolmonthtotal",
            "TRUNCATE month": "TRUNCATE scoring_schoolmonthtotal",
            "DISABLE TRIGGER": "ALTER TABLE scoring_sheettotal DISABLE TRIGGER ALL",
            "REPLACE FUNCTION": (
                "CREATE OR REPLACE FUNCTION scoring_creditevent_add_totals() RETURNS trigger "
                "AS $$ BEGIN RETURN NULL; END; $$ LANGUAGE plpgsql"
            ),
        }
        allowed = []
        for what, sql in refused.items():
            try:
                cursor.execute(sql)
            except errors.InsufficientPrivilege:
                continue
            allowed.append(what)
        assert allowed == [], f"the app role may {allowed} on the sheet totals"
        cursor.execute(
            "SELECT prosecdef, pg_get_userbyid(proowner), proconfig FROM pg_proc "
            "WHERE proname = 'scoring_creditevent_add_totals'"
        )
        definer, function_owner, config = cursor.fetchone()
        assert definer and function_owner == names["owner"], (definer, function_owner)
        assert config == ["search_path=public, pg_temp"], config
    app.close()
    # Nothing moved: the totals still equal the ledger, checked as the app role (the nightly
    # timer's way); a rebuild is refused to it in Vietnamese and works as the owner.
    assert "khớp" in manage(app_url, "sheet_totals").stdout
    refused_rebuild = manage(app_url, "sheet_totals", "--rebuild", ok=False)
    assert "vai trò chủ sở hữu CSDL" in refused_rebuild.stderr, refused_rebuild.stderr
    assert "Đã tính lại" in manage(owner_url, "sheet_totals", "--rebuild").stdout
    # A second publication as the app role after the rebuild: still kept by the trigger.
    manage(app_url, "shell", "-c", APP_WORK.replace("vaitro", "vaitro2").replace("Vai Trò", "VT2"))
    assert "khớp" in manage(app_url, "sheet_totals").stdout

    # Even the owner cannot edit history: the trigger refuses it.
    owner = psycopg2.connect(owner_url)
    with owner.cursor() as cursor:
        with pytest.raises(errors.RestrictViolation):
            cursor.execute("UPDATE scoring_creditevent SET points = points + 100")
    owner.close()
