"""Reading an uploaded CSV file: the one size and encoding check, and the error on one of its
lines, and the downloadable template of an upload screen. The school registry's bulk import and
a school's people import both use them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse


@dataclass(frozen=True)
class RowError:
    """A problem on line `line` of an uploaded file (1 is the header), said in Vietnamese."""

    line: int
    message: str


def _size_label(max_bytes: int) -> str:
    if max_bytes % (1024 * 1024) == 0:
        return f"{max_bytes // (1024 * 1024)} MB"
    return f"{max_bytes // 1024} KB"


def decode_csv_upload(upload: UploadedFile, *, max_bytes: int) -> str:
    """The file's text, without Excel's byte-order mark.

    ValidationError (Vietnamese) when the file is over `max_bytes` (checked before reading it)
    or not saved as UTF-8, which is what a spreadsheet's plain "CSV" export does.
    """
    if upload.size > max_bytes:
        raise ValidationError(f"Tệp quá lớn (tối đa {_size_label(max_bytes)}).")
    try:
        return upload.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            "Tệp phải được lưu với bảng mã UTF-8 (trong Excel: “CSV UTF-8”)."
        ) from exc


def csv_template_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[str]] = ()
) -> HttpResponse:
    """A template CSV to download: the header and example rows, UTF-8 with a byte-order mark.

    Excel reads a CSV without the mark in the machine's legacy code page and shows "Nguyá»…n"
    for "Nguyễn"; with it, Excel opens the file as UTF-8 and `decode_csv_upload` strips it again.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse(
        ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
