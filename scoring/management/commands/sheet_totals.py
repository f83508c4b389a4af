"""python manage.py sheet_totals [--rebuild]: check the district sheet's running totals against
the ledger, or derive them from it again.

The totals (scoring.models.totals) are kept by the ledger's trigger on every append, and the
app's database role may only read them (deploy/postgres-grants.sql). The check runs nightly
(deploy/systemd/district-portal-sheet-totals.*), as the app role: when the totals differ from
the ledger it logs an error (journald, and Sentry when SENTRY_DSN is set) and exits with status
1. Rebuild after restoring a backup taken mid-write, after a change of TIME_ZONE, or after the
check found drift: `--rebuild` writes the totals, so it runs as the owner role, like migrate
(docs/deploy.md)."""

import logging

from django.core.management.base import CommandError
from django.db import DatabaseError

from district_site.management.base import DistrictCommand
from scoring.models import rebuild_sheet_totals, sheet_totals_drift

logger = logging.getLogger("scoring.sheet_totals")

# PostgreSQL's insufficient_privilege: the app role asked to rewrite the totals.
INSUFFICIENT_PRIVILEGE = "42501"


class Command(DistrictCommand):
    help = "Kiểm tra (hoặc tính lại từ sổ ghi điểm) bảng tổng điểm dùng cho bảng điểm toàn Phòng."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Tính lại bảng tổng điểm từ sổ ghi điểm (chạy với vai trò chủ sở hữu CSDL).",
        )

    def handle(self, *args, **options):
        if options["rebuild"]:
            try:
                rows = rebuild_sheet_totals()
            except DatabaseError as exc:
                if getattr(exc.__cause__, "pgcode", None) != INSUFFICIENT_PRIVILEGE:
                    raise
                raise CommandError(
                    "Vai trò CSDL của ứng dụng không được ghi bảng tổng điểm: chạy --rebuild "
                    "với vai trò chủ sở hữu CSDL (như khi chạy migrate)."
                ) from exc
            self.stdout.write(f"Đã tính lại bảng tổng điểm từ sổ ghi điểm: {rows} dòng.")
            return
        drift = sheet_totals_drift()
        if drift:
            # An ERROR record, not only the exit status: the nightly timer's journal line, and
            # an event in Sentry when it is configured (its logging integration sends errors).
            logger.error(
                "Sheet totals differ from the ledger in %d rows; run sheet_totals --rebuild "
                "as the database owner role.",
                drift,
                extra={"drift_rows": drift},
            )
            raise CommandError(
                f"Bảng tổng điểm lệch với sổ ghi điểm ở {drift} dòng: "
                "chạy lại với --rebuild (vai trò chủ sở hữu CSDL) để tính lại."
            )
        self.stdout.write("Bảng tổng điểm khớp với sổ ghi điểm.")
