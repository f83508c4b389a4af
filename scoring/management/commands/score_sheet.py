"""python manage.py score_sheet --year 2026-2027 --by author|group|school [--school HOST]
--format csv|xlsx [--output FILE]"""

from django.core.management.base import CommandError

from district_site.management.base import DistrictCommand
from district_site.models import School
from scoring import exports, selectors


class Command(DistrictCommand):
    help = "Xuất bảng điểm thi đua của một năm học theo trường, tác giả hoặc tổ chức."

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="Năm học, ví dụ 2026-2027.")
        parser.add_argument(
            "--by",
            choices=selectors.SHEET_KINDS,
            default="school",
            help="Theo trường, tác giả hoặc tổ chức.",
        )
        parser.add_argument("--school", help="Tên miền của một trường, ví dụ th-a.localhost.")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", help="Ghi ra tệp; mặc định CSV ra màn hình.")

    def handle(self, *args, year, by, school, format, output, **options):
        try:
            school_year = selectors.school_year_by_label(label=year)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if school_year is None:
            raise CommandError(f"Chưa có năm học {year}.")
        school_id, school_name = None, None
        if school:
            found = (
                School.objects.filter(site__hostname=school.lower().strip())
                .values_list("pk", "name")
                .first()
            )
            if found is None:
                raise CommandError(f"Không có trường nào ở địa chỉ {school}.")
            school_id, school_name = found
        rows = selectors.score_sheet(school_year=school_year, by=by, school_id=school_id)
        if format == "xlsx":
            if not output:
                raise CommandError("Tệp XLSX cần --output TÊN_TỆP.xlsx.")
            # One school's sheet is the principal's to sign; without --school, the department's.
            heading = exports.sheet_heading(by=by, school_year=school_year, school_name=school_name)
            data = exports.sheet_xlsx(rows=rows, by=by, school_year=school_year, heading=heading)
            with open(output, "wb") as fh:
                fh.write(data)
            self.stdout.write(f"Đã ghi {len(rows)} dòng vào {output}.")
            return
        # Vietnamese headers, then the machine-readable `school` (hostname) and, per author,
        # `author` (username) columns for scripts (README "Cách tính điểm thi đua").
        text = exports.sheet_csv(rows=rows, by=by, machine=True)
        if output:
            with open(output, "w", encoding="utf-8-sig", newline="") as fh:
                fh.write(text)
            self.stdout.write(f"Đã ghi {len(rows)} dòng vào {output}.")
        else:
            self.stdout.write(text, ending="")
