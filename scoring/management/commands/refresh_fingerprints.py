"""python manage.py refresh_fingerprints: recompute the duplicate fingerprints of credited pages
(run once after upgrading to a new text normalisation)."""

from district_site.management.base import DistrictCommand
from scoring import services


class Command(DistrictCommand):
    help = "Tính lại dấu vân nội dung của các bài đã được tính điểm (dùng để phát hiện bài trùng)."

    def handle(self, *args, **options):
        changed = services.refresh_credit_fingerprints()
        self.stdout.write(f"Đã cập nhật dấu vân nội dung của {changed} bài.")
