"""manage.py restore_site DIR: verify a backup's checksums, then restore it into an empty
database and media folder (those of the settings, or --database-url / --media-root)."""

from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from district_site.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Phục hồi một bản sao lưu của backup_site vào cơ sở dữ liệu và thư mục media trống, "
        "sau khi kiểm tra mã sha256 của từng tệp."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="thư mục bản sao lưu (có manifest.json)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="xoá dữ liệu đang có trong cơ sở dữ liệu và thư mục media đích rồi ghi đè",
        )
        parser.add_argument(
            "--database-url",
            help="phục hồi vào cơ sở dữ liệu này thay vì DATABASE_URL (ví dụ để diễn tập)",
        )
        parser.add_argument("--media-root", help="phục hồi media vào đây thay vì MEDIA_ROOT")

    def handle(self, *args, directory, force, database_url, media_root, **options):
        settings_dict = (
            dj_database_url.parse(database_url) if database_url else connection.settings_dict
        )
        try:
            manifest = restore(
                source=Path(directory),
                settings_dict=settings_dict,
                media_root=Path(media_root or settings.MEDIA_ROOT),
                force=force,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã phục hồi bản sao lưu ngày {manifest['created_at'][:10]} "
                f"(phiên bản {manifest['app_version'][:12]}, {manifest['media']['files']} tệp "
                f"media) vào cơ sở dữ liệu {settings_dict['NAME']}."
            )
        )
