"""Back up and restore a whole install: the PostgreSQL database, the media files, a manifest.

A backup is a folder:

- `database.dump`: `pg_dump --format=custom`, one consistent snapshot of the database (pg_dump
  reads inside a single repeatable-read transaction, so no half-finished approval is caught);
- `media.tar`: every file under MEDIA_ROOT (uploads; taken after the dump, so it may hold a file
  or two newer than the dump, never fewer);
- `manifest.json`: sha256 and size of both, the app version (git commit), the applied migrations,
  when and from which database.

Restoring checks every checksum before touching anything, and refuses a database that has
tables or a media folder that has files unless told `force`. Used by the `backup_site` and
`restore_site` commands and the nightly timer (deploy/systemd/district-portal-backup.service).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

import psycopg2
from django.db.migrations.recorder import MigrationRecorder

from district_site.version import app_version

MANIFEST = "manifest.json"
DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar"
FORMAT_VERSION = 1


class BackupError(Exception):
    """A message for the person running the command (Vietnamese)."""


@dataclass(frozen=True)
class Database:
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, settings_dict: dict) -> Database:
        if settings_dict.get("ENGINE") != "django.db.backends.postgresql":
            raise BackupError(
                "Sao lưu và phục hồi chỉ dùng với PostgreSQL (DATABASE_URL=postgres://…)."
            )
        return cls(
            name=settings_dict["NAME"],
            user=settings_dict.get("USER") or "",
            password=settings_dict.get("PASSWORD") or "",
            host=settings_dict.get("HOST") or "",
            port=str(settings_dict.get("PORT") or ""),
        )

    def args(self) -> list[str]:
        args = []
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return args

    def env(self) -> dict:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self):
        return psycopg2.connect(
            dbname=self.name,
            user=self.user or None,
            password=self.password or None,
            host=self.host or None,
            port=self.port or None,
        )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _run(command: list[str], database: Database, what: str) -> None:
    try:
        result = subprocess.run(command, env=database.env(), capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(
            f"Không tìm thấy {command[0]}: cài gói postgresql-client (apt-get install -y postgresql-client)."
        ) from exc
    if result.returncode != 0:
        raise BackupError(f"{what} không thành công:\n{result.stderr.strip()}")


def applied_migrations(connection) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def backup(*, target: Path, settings_dict: dict, media_root: Path, connection) -> dict:
    """Write a backup folder; return its manifest."""
    database = Database.from_settings(settings_dict)
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"Thư mục {target} đã có dữ liệu; hãy chọn một thư mục mới hoặc trống.")
    target.mkdir(parents=True, exist_ok=True)

    dump = target / DATABASE_FILE
    _run(
        ["pg_dump", "--format=custom", "--file", str(dump), *database.args(), database.name],
        database,
        "Sao lưu cơ sở dữ liệu (pg_dump)",
    )

    media = target / MEDIA_FILE
    media_root = Path(media_root)
    count = 0
    with tarfile.open(media, "w") as archive:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
                    count += 1

    manifest = {
        "format": FORMAT_VERSION,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "app_version": app_version(),
        "database": {
            "file": DATABASE_FILE,
            "name": database.name,
            "sha256": sha256_of(dump),
            "size": dump.stat().st_size,
        },
        "media": {
            "file": MEDIA_FILE,
            "files": count,
            "sha256": sha256_of(media),
            "size": media.stat().st_size,
        },
        "migrations": applied_migrations(connection),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


def read_manifest(source: Path) -> dict:
    path = Path(source) / MANIFEST
    if not path.is_file():
        raise BackupError(f"Không có {MANIFEST} trong {source}: đây không phải một bản sao lưu.")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Bản sao lưu có định dạng {manifest.get('format')!r}, không đọc được.")
    return manifest


def verify(source: Path, manifest: dict) -> None:
    """Check both files against the manifest before anything is restored."""
    for part in ("database", "media"):
        entry = manifest[part]
        path = Path(source) / entry["file"]
        if not path.is_file():
            raise BackupError(f"Thiếu tệp {entry['file']} trong bản sao lưu.")
        if sha256_of(path) != entry["sha256"]:
            raise BackupError(
                f"Tệp {entry['file']} không khớp mã kiểm tra (sha256) trong manifest: bản sao "
                "lưu bị hỏng hoặc bị sửa. Không phục hồi gì."
            )


def database_table_count(database: Database) -> int:
    conn = database.connect()
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            )
            return cursor.fetchone()[0]
    finally:
        conn.close()


def restore(*, source: Path, settings_dict: dict, media_root: Path, force: bool = False) -> dict:
    """Restore a backup folder into the given database and media folder; return the manifest."""
    source = Path(source)
    manifest = read_manifest(source)
    verify(source, manifest)
    database = Database.from_settings(settings_dict)
    media_root = Path(media_root)

    tables = database_table_count(database)
    media_files = media_root.is_dir() and any(p.is_file() for p in media_root.rglob("*"))
    if not force:
        if tables:
            raise BackupError(
                f"Cơ sở dữ liệu {database.name} đã có {tables} bảng. Chỉ phục hồi vào cơ sở dữ "
                "liệu trống; thêm --force để xoá và ghi đè."
            )
        if media_files:
            raise BackupError(
                f"Thư mục media {media_root} đã có tệp. Chỉ phục hồi vào thư mục trống; thêm "
                "--force để xoá và ghi đè."
            )

    command = ["pg_restore", "--no-owner", "--exit-on-error", *database.args()]
    if force and tables:
        command += ["--clean", "--if-exists"]
    command += ["--dbname", database.name, str(source / DATABASE_FILE)]
    _run(command, database, "Phục hồi cơ sở dữ liệu (pg_restore)")

    if force and media_root.is_dir():
        shutil.rmtree(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA_FILE) as archive:
        # "data": no absolute paths, no "..", no links out of the folder, no device files.
        archive.extractall(media_root, filter="data")
    return manifest
