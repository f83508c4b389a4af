"""python manage.py sheet_totals [--rebuild]: check the district sheet's running totals against
the ledger (exit status 1 when they differ), or derive them from it again.

The totals (scoring.models.totals) are kept by every append; run this after restoring a backup
taken mid-write, after loading ledger rows behind the ORM (COPY), or on a schedule, since the
app's database role may edit them while the ledger refuses it."""

from django.core.management.base import CommandError

from district_site.management.base import DistrictCommand
from scoring.models import rebuild_sheet_totals, sheet_totals_drift


class Command(DistrictCommand):
    help = "Kiểm tra (hoặc tính lại từ sổ ghi điểm) bảng tổng điểm dùng cho bảng điểm toàn Phòng."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Tính lại bảng tổng điểm từ sổ ghi điểm.",
        )

    def handle(self, *args, **options):
        if options["rebuild"]:
            rows = rebuild_sheet_totals()
            self.stdout.write(f"Đã tính lại bảng tổng điểm từ sổ ghi điểm: {rows} dòng.")
            return
        drift = sheet_totals_drift()
        if drift:
            raise CommandError(
                f"Bảng tổng điểm lệch với sổ ghi điểm ở {drift} dòng: "
                "chạy lại với --rebuild để tính lại."
            )
        self.stdout.write("Bảng tổng điểm khớp với sổ ghi điểm.")
