"""`python manage.py seed_demo`: the Tam Nông demo district, ready to click through."""

import os
import time

from district_site.demo import COUNTER_LABELS, seed_demo
from district_site.management.base import DistrictCommand


class Command(DistrictCommand):
    help = (
        "Tạo dữ liệu mẫu: cổng thông tin Phòng GD&ĐT Tam Nông, mỗi cấp học một trường với "
        "tài khoản, tổ chức và tin, bài, văn bản, bài giảng, thư viện ảnh. Chạy lại không tạo trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT", "8000")),
            help="Cổng của máy chủ chạy thử, dùng trong các đường dẫn in ra (mặc định: $PORT hoặc 8000).",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        report = seed_demo(port=options["port"])
        elapsed = time.monotonic() - started
        write = self.stdout.write

        if report.changed:
            made = ", ".join(
                f"{report.created[key]} {label}"
                for key, label in COUNTER_LABELS.items()
                if report.created[key]
            )
            write(self.style.SUCCESS(f"Đã tạo dữ liệu mẫu: {made}."))
        else:
            write(self.style.SUCCESS("Dữ liệu mẫu đã có đủ; không thay đổi gì."))
        write(f"Thời gian chạy: {elapsed:.1f} giây.".replace(".", ",", 1))
        write("")
        write(f"Trang quản trị:            {report.admin_url}")
        write(f"Cổng thông tin Phòng GD&ĐT: {report.portal_url}")
        write("Trang web các trường:")
        for site in report.sites:
            write(f"  - {site.name}: {site.url}")
        write("")
        write("Tài khoản dùng thử:")
        for account in report.accounts:
            write(
                f"  - {account.username} / mật khẩu: {account.password} — {account.full_name}, "
                f"{account.role} ({account.where})"
            )
