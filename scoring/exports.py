"""The score sheet in the official form: CSV with Vietnamese headers, an XLSX laid out like the
signed emulation score sheet, and the heading both share with the printable HTML view.

Who signs follows the level of the sheet: a sheet of several schools (the district's ranking,
its per-author or per-group sheets) is issued by the department and signed "TRƯỞNG PHÒNG" under
"PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"; one school's sheet is signed "HIỆU TRƯỞNG" under the school's name.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from home.exports import safe_cell
from scoring.models import ContentKind, SchoolYear
from scoring.selectors import KINDS, SheetBy, SheetRow

DISTRICT_UNIT = "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"
# The place printed before the date ("Tam Nông, ngày …"): the district's name, from the
# DISTRICT_PLACE_NAME setting; the demo district's when it is not set.
DEFAULT_PLACE_NAME = "Tam Nông"
TITLES = {
    "school": "BẢNG XẾP HẠNG THI ĐUA CÁC TRƯỜNG",
    "author": "BẢNG ĐIỂM THI ĐUA THEO CÁ NHÂN",
    "group": "BẢNG ĐIỂM THI ĐUA THEO TỔ CHỨC, TỔ CHUYÊN MÔN",
}
KIND_HEADERS = [ContentKind(k).label for k in KINDS]
# Machine-readable columns the `score_sheet` command adds after the Vietnamese ones, for
# scripts that join the sheet with other data: the school's hostname and the author's username.
MACHINE_COLUMNS = {"school": ["school"], "author": ["school", "author"], "group": ["school"]}


def place_name() -> str:
    return getattr(settings, "DISTRICT_PLACE_NAME", "") or DEFAULT_PLACE_NAME


@dataclass(frozen=True)
class SheetHeading:
    """What is printed around the table of a sheet, in every format."""

    unit: str  # top left: who issues the sheet
    title: str
    period: str  # "Năm học 2026-2027 (từ 01/09/2026 đến 31/08/2027)"
    place_date: str  # "Tam Nông, ngày 27 tháng 11 năm 2026"
    signatory: str  # "TRƯỞNG PHÒNG" or "HIỆU TRƯỞNG"
    district: bool


def sheet_heading(
    *,
    by: SheetBy,
    school_year: SchoolYear,
    school_name: str | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    today: datetime.date | None = None,
) -> SheetHeading:
    """The heading of a sheet; `school_name` set means one school's sheet (the principal's),
    None a sheet of the district."""
    today = today or timezone.localdate()
    first, last = start or school_year.start_date, end or school_year.end_date
    period = f"Năm học {school_year.label} (từ {first:%d/%m/%Y} đến {last:%d/%m/%Y})"
    district = school_name is None
    return SheetHeading(
        unit=DISTRICT_UNIT if district else school_name.upper(),
        title=TITLES[by],
        period=period,
        place_date=(
            f"{place_name()}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}"
        ),
        signatory="TRƯỞNG PHÒNG" if district else "HIỆU TRƯỞNG",
        district=district,
    )


def csv_columns(by: SheetBy, *, machine: bool = False) -> list[str]:
    """Vietnamese headers; with `machine`, the hostname and username columns after them."""
    who = {"school": [], "author": ["Họ và tên"], "group": ["Tổ chức, tổ chuyên môn"]}[by]
    columns = ["Hạng", "Trường", *who, *KIND_HEADERS, "Tổng số bài", "Điểm", "Điểm cộng"]
    columns.append("Tổng điểm")
    return columns + (MACHINE_COLUMNS[by] if machine else [])


def _csv_values(row: SheetRow, by: SheetBy, *, machine: bool) -> list:
    who = {"school": [], "author": [row.author_name], "group": [row.group_name]}[by]
    values = [row.rank, row.school_name, *who, *(row.counts[k] for k in KINDS)]
    values += [row.pages, row.points, row.bonus, row.total]
    if machine:
        values += {"school": [row.hostname], "author": [row.hostname, row.username]}.get(
            by, [row.hostname]
        )
    return values


def sheet_csv(*, rows: list[SheetRow], by: SheetBy, machine: bool = False) -> str:
    """The sheet as CSV, one header row in Vietnamese. `machine` (the command's CSV) adds the
    `school` (hostname) and, per author, `author` (username) columns."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_columns(by, machine=machine))
    for row in rows:
        writer.writerow([safe_cell(v) for v in _csv_values(row, by, machine=machine)])
    return out.getvalue()


def sheet_xlsx(
    *,
    rows: list[SheetRow],
    by: SheetBy,
    school_year: SchoolYear,
    heading: SheetHeading | None = None,
) -> bytes:
    """One worksheet: the national heading, the title, the year and its period, the table with
    Vietnamese headers, totals, then the place and date and the signature blocks (see
    `sheet_heading`; by default a district sheet of the whole year)."""
    heading = heading or sheet_heading(by=by, school_year=school_year)
    wb = Workbook()
    ws = wb.active
    ws.title = "Bảng điểm"
    who = {
        "school": ["Trường", "Tên miền"],
        "author": ["Trường", "Họ và tên", "Tài khoản"],
        "group": ["Trường", "Tổ chức, tổ chuyên môn"],
    }[by]
    kinds = [ContentKind(k).label for k in KINDS]
    headers = ["STT", *who, *kinds, "Tổng số bài", "Điểm", "Điểm cộng", "Tổng điểm", "Xếp hạng"]
    width = len(headers)
    last = get_column_letter(width)
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)

    half = max(2, width // 2)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=half - 1)
    ws.cell(1, 1, safe_cell(heading.unit)).font = bold
    ws.merge_cells(start_row=1, start_column=half, end_row=1, end_column=width)
    ws.cell(1, half, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").font = bold
    ws.merge_cells(start_row=2, start_column=half, end_row=2, end_column=width)
    ws.cell(2, half, "Độc lập – Tự do – Hạnh phúc").font = Font(bold=True, underline="single")
    for r in (1, 2):
        for c in (1, half):
            ws.cell(r, c).alignment = centre
    ws.merge_cells(f"A4:{last}4")
    ws["A4"] = heading.title
    ws["A4"].font = Font(bold=True, size=14)
    ws["A4"].alignment = centre
    ws.merge_cells(f"A5:{last}5")
    ws["A5"] = f"Nội dung: tin, bài đăng trên trang thông tin điện tử – {heading.period}"
    ws["A5"].alignment = centre

    header_row = 7
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(header_row, col, text)
        cell.font, cell.alignment, cell.border = bold, centre, box
    for index, row in enumerate(rows, start=1):
        names = {
            "school": [row.school_name, row.hostname],
            "author": [row.school_name, row.author_name, row.username],
            "group": [row.school_name, row.group_name],
        }[by]
        values = [
            index,
            *names,
            *(row.counts[k] for k in KINDS),
            row.pages,
            float(row.points),
            float(row.bonus),
            float(row.total),
            row.rank,
        ]
        for col, value in enumerate(values, start=1):
            # Names are user-given: written as text, never as a formula (home.exports).
            cell = ws.cell(header_row + index, col, safe_cell(value))
            cell.border = box
    total_row = header_row + len(rows) + 1
    ws.cell(total_row, 1, "Cộng").font = bold
    first_number = 2 + len(who)
    for col in range(first_number, width):
        letter = get_column_letter(col)
        cell = ws.cell(total_row, col, f"=SUM({letter}{header_row + 1}:{letter}{total_row - 1})")
        cell.font = bold
    for col in range(1, width + 1):
        ws.cell(total_row, col).border = box

    sign_row = total_row + 2
    ws.merge_cells(start_row=sign_row, start_column=half, end_row=sign_row, end_column=width)
    ws.cell(sign_row, half, safe_cell(heading.place_date)).alignment = centre
    ws.merge_cells(
        start_row=sign_row + 1, start_column=1, end_row=sign_row + 1, end_column=half - 1
    )
    ws.cell(sign_row + 1, 1, "NGƯỜI LẬP BẢNG").font = bold
    ws.merge_cells(
        start_row=sign_row + 1, start_column=half, end_row=sign_row + 1, end_column=width
    )
    ws.cell(sign_row + 1, half, heading.signatory).font = bold
    ws.cell(sign_row + 2, 1, "(Ký, ghi rõ họ tên)")
    ws.cell(sign_row + 2, half, "(Ký tên, đóng dấu)")
    for r in (sign_row + 1, sign_row + 2):
        ws.cell(r, 1).alignment = centre
        ws.cell(r, half).alignment = centre

    ws.column_dimensions["A"].width = 6
    for col in range(2, 2 + len(who)):
        ws.column_dimensions[get_column_letter(col)].width = 28
    for col in range(2 + len(who), width + 1):
        ws.column_dimensions[get_column_letter(col)].width = 11
    ws.row_dimensions[header_row].height = 32
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
