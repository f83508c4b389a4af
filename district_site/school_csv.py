"""The district's school CSV: Vietnamese column names (English ones still accepted), every row
checked before anything is created, then every school in one transaction (or none).

Columns: `ten_truong, cap_hoc, ten_mien` (required; or `name, kind, hostname`), optionally
`dia_chi, ma_truong` (`address, short_code`) and the principal as a pair
`hieu_truong, email_hieu_truong` (`principal_name, principal_email`). The kind is one of
`provisioning.KIND_ALIASES` (`mam_non, tieu_hoc, thcs, lien_cap`) or its English code.
"""

from __future__ import annotations

import csv
import io

from django.db import transaction

from district_site.provisioning import (
    CsvValidation,
    ProvisioningError,
    ProvisionResult,
    check_conflicts,
    clean_spec,
    provision_school,
)
from home.csv_upload import RowError

# Header (lower-cased) -> `clean_spec` argument.
HEADER_ALIASES = {
    "ten_truong": "name",
    "name": "name",
    "cap_hoc": "kind",
    "kind": "kind",
    "ten_mien": "hostname",
    "hostname": "hostname",
    "dia_chi": "address",
    "address": "address",
    "ma_truong": "short_code",
    "short_code": "short_code",
    "hieu_truong": "principal_name",
    "principal_name": "principal_name",
    "email_hieu_truong": "principal_email",
    "principal_email": "principal_email",
}
REQUIRED = {"name": "ten_truong", "kind": "cap_hoc", "hostname": "ten_mien"}
ENGLISH = {"name": "name", "kind": "kind", "hostname": "hostname"}

# The downloadable template: its header and one example row.
TEMPLATE_HEADER = (
    "ten_truong",
    "cap_hoc",
    "ten_mien",
    "dia_chi",
    "hieu_truong",
    "email_hieu_truong",
)
TEMPLATE_ROW = (
    "Trường Mầm non Hoa Sen",
    "mam_non",
    "mn-hoasen.example.edu.vn",
    "Xã Hoa Sen",
    "Nguyễn Thị Mai",
    "mai.nguyen@example.edu.vn",
)


def _read_header(header: list[str]) -> tuple[list[str | None], list[RowError]]:
    columns: list[str | None] = []
    errors: list[RowError] = []
    for name in header:
        key = name.strip().lower()
        column = HEADER_ALIASES.get(key)
        if column is None and key:
            errors.append(RowError(1, f"Cột “{name.strip()}” không hợp lệ."))
        elif column is not None and column in columns:
            errors.append(RowError(1, f"Cột “{name.strip()}” bị lặp."))
        columns.append(column)
    missing = [f"{vi} (hoặc {ENGLISH[c]})" for c, vi in REQUIRED.items() if c not in columns]
    if missing:
        errors.append(RowError(1, "Thiếu cột: " + ", ".join(missing) + "."))
    return columns, errors


def validate_csv(text: str) -> CsvValidation:
    """Check every row of the file before anything is created."""
    result = CsvValidation()
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        result.errors.append(RowError(1, "Tệp trống hoặc không đọc được."))
        return result
    columns, errors = _read_header(header)
    if errors:
        result.errors.extend(errors)
        return result
    seen_hosts: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            row = {c: v for c, v in zip(columns, cells, strict=False) if c}
            try:
                spec = clean_spec(**{c: row.get(c) or "" for c in set(HEADER_ALIASES.values())})
                if spec.hostname in seen_hosts:
                    raise ProvisioningError(
                        f"Tên miền “{spec.hostname}” trùng với dòng {seen_hosts[spec.hostname]}."
                    )
                if spec.name in seen_names:
                    raise ProvisioningError(
                        f"Tên trường “{spec.name}” trùng với dòng {seen_names[spec.name]}."
                    )
                check_conflicts(spec)
            except ProvisioningError as exc:
                result.errors.append(RowError(line, str(exc)))
                continue
            seen_hosts[spec.hostname] = line
            seen_names[spec.name] = line
            result.specs.append(spec)
    except csv.Error:
        result.errors.append(
            RowError(reader.line_num, "Dòng không đọc được (dấu ngoặc kép chưa đóng?).")
        )
    if not result.specs and not result.errors:
        result.errors.append(RowError(1, "Tệp không có dòng dữ liệu nào."))
    return result


def provision_from_csv(text: str) -> tuple[CsvValidation, list[ProvisionResult]]:
    """Validate the whole file, then create every school in one transaction, or none."""
    validation = validate_csv(text)
    if validation.errors:
        return validation, []
    with transaction.atomic():
        results = [
            provision_school(
                name=s.name,
                kind=s.kind,
                hostname=s.hostname,
                address=s.address,
                short_code=s.short_code,
                principal_name=s.principal_name,
                principal_email=s.principal_email,
            )
            for s in validation.specs
        ]
    return validation, results
