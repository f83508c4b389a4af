"""manage.py backup_site DIR: database dump, media files and a manifest with checksums."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from district_site.backup import BackupError, backup


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu PostgreSQL, các tệp media và một manifest có mã kiểm tra vào DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="thư mục mới hoặc trống để ghi bản sao lưu")

    def handle(self, *args, directory, **options):
        try:
            manifest = backup(
                target=Path(directory),
                settings_dict=connection.settings_dict,
                media_root=Path(settings.MEDIA_ROOT),
                connection=connection,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu vào {directory}: cơ sở dữ liệu {manifest['database']['size']:,} byte, "
                f"{manifest['media']['files']} tệp media, phiên bản {manifest['app_version'][:12]}."
            )
        )
