"""Spreadsheet cells from user-given text.

A spreadsheet program treats a cell whose text starts with `=`, `+`, `-` or `@` as a formula
(and a leading tab or carriage return can be used to hide one), so a group called
`=HYPERLINK("http://…","Bấm vào đây")` would run in the principal's Excel when the score sheet is
opened ("CSV/formula injection", OWASP). Every text cell of every CSV and XLSX export goes through
`safe_cell`, which prefixes such text with an apostrophe: Excel and LibreOffice then show it as
plain text. Numbers stay numbers (a negative bonus is -2, not the text "'-2"), so sums and
sorting in the sheet keep working.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value to write into a CSV or XLSX cell: text that a spreadsheet would read as a
    formula is prefixed with `'`; anything that is not text is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_wagtail_csv_exports() -> None:
    """Make Wagtail's own CSV exports (the admin's reports, listings with "Download CSV", form
    submissions) write their cells through `safe_cell`.

    Wagtail turns formulas into text in its XLSX exports but writes CSV cells as they are, and a
    report lists page titles that any teacher typed. Its `SpreadsheetExportMixin` has no setting
    for this, so its three-line CSV row writer is replaced (called from HomeConfig.ready, once).
    Check it against `SpreadsheetExportMixin.write_csv_row` when upgrading Wagtail;
    tests/security/test_input.py fails if the export is no longer neutralised.
    """
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: safe_cell(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )

    SpreadsheetExportMixin.write_csv_row = write_csv_row
