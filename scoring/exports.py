"""The score sheet as CSV and as an XLSX laid out like a school's emulation score sheet."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from home.exports import safe_cell
from scoring.models import ContentKind, SchoolYear
from scoring.selectors import KINDS, SheetBy, SheetRow

CSV_KIND_COLUMNS = list(KINDS)
TITLES = {
    "school": "BẢNG XẾP HẠNG THI ĐUA CÁC TRƯỜNG",
    "author": "BẢNG ĐIỂM THI ĐUA THEO CÁ NHÂN",
    "group": "BẢNG ĐIỂM THI ĐUA THEO TỔ CHỨC, TỔ CHUYÊN MÔN",
}


def csv_columns(by: SheetBy) -> list[str]:
    who = {"school": ["school_name"], "author": ["author", "author_name"], "group": ["group"]}
    return ["rank", "school"] + who[by] + CSV_KIND_COLUMNS + ["pages", "points", "bonus", "total"]


def _csv_value(row: SheetRow, column: str):
    values = {
        "rank": row.rank,
        "school": row.hostname,
        "school_name": row.school_name,
        "author": row.username,
        "author_name": row.author_name,
        "group": row.group_name,
        "pages": row.pages,
        "points": row.points,
        "bonus": row.bonus,
        "total": row.total,
    }
    return values[column] if column in values else row.counts[column]


def sheet_csv(*, rows: list[SheetRow], by: SheetBy) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = csv_columns(by)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(_csv_value(row, c)) for c in columns])
    return out.getvalue()


def sheet_xlsx(
    *,
    rows: list[SheetRow],
    by: SheetBy,
    school_year: SchoolYear,
    unit: str = "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
) -> bytes:
    """One worksheet: the national heading, the title and year, the table with Vietnamese
    headers, totals, then the place, date and signature blocks a principal signs."""
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
    ws.cell(1, 1, safe_cell(unit.upper())).font = bold
    ws.merge_cells(start_row=1, start_column=half, end_row=1, end_column=width)
    ws.cell(1, half, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").font = bold
    ws.merge_cells(start_row=2, start_column=half, end_row=2, end_column=width)
    ws.cell(2, half, "Độc lập – Tự do – Hạnh phúc").font = Font(bold=True, underline="single")
    for r in (1, 2):
        for c in (1, half):
            ws.cell(r, c).alignment = centre
    ws.merge_cells(f"A4:{last}4")
    ws["A4"] = TITLES[by]
    ws["A4"].font = Font(bold=True, size=14)
    ws["A4"].alignment = centre
    ws.merge_cells(f"A5:{last}5")
    ws["A5"] = f"Nội dung: tin, bài đăng trên trang thông tin điện tử – Năm học {school_year.label}"
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

    today = timezone.localdate()
    sign_row = total_row + 2
    ws.merge_cells(start_row=sign_row, start_column=half, end_row=sign_row, end_column=width)
    ws.cell(
        sign_row, half, f"……, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}"
    ).alignment = centre
    ws.merge_cells(
        start_row=sign_row + 1, start_column=1, end_row=sign_row + 1, end_column=half - 1
    )
    ws.cell(sign_row + 1, 1, "NGƯỜI LẬP BẢNG").font = bold
    ws.merge_cells(
        start_row=sign_row + 1, start_column=half, end_row=sign_row + 1, end_column=width
    )
    ws.cell(sign_row + 1, half, "TRƯỞNG PHÒNG" if by == "school" else "HIỆU TRƯỞNG").font = bold
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
