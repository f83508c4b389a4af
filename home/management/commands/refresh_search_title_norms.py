"""Refresh the search index's title-length statistic (run hourly; see docs/search-indexing.md)."""

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = (
        "Tính lại độ dài tiêu đề trung bình của chỉ mục tìm kiếm (PostgreSQL) và cập nhật "
        "hệ số xếp hạng; chạy định kỳ mỗi giờ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--full", action="store_true", help="Ghi lại hệ số của mọi mục, kể cả khi ít thay đổi."
        )

    def handle(self, *args, full=False, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("Cơ sở dữ liệu không phải PostgreSQL: không có gì để làm.")
            return
        from home.search_backend import refresh_title_norms

        result = refresh_title_norms(full=full)
        if result.average is None:
            self.stdout.write("Chỉ mục tìm kiếm đang trống.")
            return
        self.stdout.write(
            f"Độ dài tiêu đề trung bình {result.average:.3f} trên {result.entries} mục; "
            f"đã cập nhật {result.rewritten} mục."
        )
