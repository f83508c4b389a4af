from pathlib import Path

from django.core.management.base import CommandError

from district_site.management.base import DistrictCommand
from district_site.school_csv import provision_from_csv, validate_csv


class Command(DistrictCommand):
    help = (
        "Tạo nhiều trường từ tệp CSV có các cột ten_truong,cap_hoc,ten_mien (tuỳ chọn: dia_chi, "
        "ma_truong, hieu_truong, email_hieu_truong; tên cột tiếng Anh name,kind,hostname vẫn "
        "dùng được). Cấp học: mam_non, tieu_hoc, thcs, lien_cap. Kiểm tra mọi dòng trước; "
        "nếu có dòng sai thì không tạo trường nào."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp CSV (UTF-8).")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không tạo gì.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError as exc:
            raise CommandError(f"Không tìm thấy tệp “{path}”.") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"Tệp “{path}” không phải văn bản UTF-8.") from exc

        if options["dry_run"]:
            validation, results = validate_csv(text), []
        else:
            validation, results = provision_from_csv(text)
        if validation.errors:
            for error in validation.errors:
                self.stderr.write(f"Dòng {error.line}: {error.message}")
            raise CommandError(
                f"Có {len(validation.errors)} dòng sai; chưa tạo trường nào. Sửa tệp rồi chạy lại."
            )
        if options["dry_run"]:
            self.stdout.write(f"Tệp hợp lệ: {len(validation.specs)} trường sẵn sàng để tạo.")
            return
        for result in results:
            self.stdout.write(result.message)
        created = sum(r.created for r in results)
        self.stdout.write(
            f"Xong: tạo mới {created} trường, {len(results) - created} trường đã có sẵn."
        )
