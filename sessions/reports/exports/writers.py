"""A Table as CSV, as an Excel workbook, and as localised text for a page.

Files are data: numbers keep a dot for decimals and months are YYYY-MM whatever the language
(spreadsheets parse them; Excel shows the workbook's numbers in the reader's own locale), while
the labels are translated. The page shows numbers and months in the user's language."""

import csv
import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# Excel reads a UTF-8 file right (accents included) only when it starts with a BOM.
BOM = "\ufeff"
# A text cell starting with one of these is a formula to a spreadsheet: quote it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The workbook: title, period and sites on rows 1-3, the table's header on HEADER_ROW.
HEADER_ROW = 5
PERCENT_FORMAT = "0.0"
MONTH_FORMAT = "yyyy-mm"
DATE_FORMAT = "yyyy-mm-dd"
SHEET_TITLE_MAX = 31
MIN_WIDTH, MAX_WIDTH = 8, 60


def safe_text(value):
    value = str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_value(column, value):
    """One value as the CSV writes it. Strings (an anonymised "<5" or "—", a label) pass as
    they are."""
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    if column.kind == "count":
        return int(value)
    if column.kind == "percent":
        return f"{value:.1f}"
    if column.kind == "month":
        return value.strftime("%Y-%m")
    return safe_text(value)


def csv_rows(table):
    """The header of translated labels, then the rows."""
    yield table.header()
    for row in table.values():
        yield [csv_value(column, value) for column, value in zip(table.columns, row, strict=True)]


def write_csv(out, tables, preamble=(), titles=False):
    """Write `tables` to the file-like `out`, after the `preamble` lines; with `titles`, each
    table is preceded by its title line and followed by a blank line."""
    out.write(BOM)
    writer = csv.writer(out)
    for line in preamble:
        writer.writerow([safe_text(cell) for cell in line])
    for table in tables:
        if titles:
            writer.writerow([safe_text(table.title)])
        writer.writerows(csv_rows(table))
        if titles:
            writer.writerow([])


def sheet_title(title):
    cleaned = re.sub(r"[\[\]:*?/\\]", "", str(title)).strip().strip("'")
    return cleaned[:SHEET_TITLE_MAX].strip() or "Sheet1"


def _set_text(cell, value):
    cell.value = str(value)
    cell.data_type = "s"  # never a formula, whatever it starts with


def _write_value(cell, column, value):
    if value is None:
        return
    if isinstance(value, str):
        _set_text(cell, value)
    elif column.kind == "count":
        cell.value = int(value)
    elif column.kind == "percent":
        cell.value = round(float(value), 1)
        cell.number_format = PERCENT_FORMAT
    elif column.kind == "month":
        cell.value = value
        cell.number_format = MONTH_FORMAT
    else:
        cell.value = value


def _width(column, values):
    texts = [str(column.label)] + [csv_value(column, value) for value in values]
    return max(MIN_WIDTH, min(MAX_WIDTH, max(len(str(text)) for text in texts) + 2))


def xlsx_bytes(table, *, date_from, date_to, sites):
    """The table as an .xlsx file: its title, period and sites on rows 1-3, the bold header on
    row HEADER_ROW and the rows below it, numbers as numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(table.title)
    _set_text(sheet.cell(1, 1), table.title)
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    _set_text(sheet.cell(2, 1), _("Period"))
    for col, day in ((2, date_from), (3, date_to)):
        sheet.cell(2, col, day).number_format = DATE_FORMAT
    _set_text(sheet.cell(3, 1), _("Sites"))
    _set_text(sheet.cell(3, 2), ", ".join(sites))
    for col, column in enumerate(table.columns, start=1):
        header = sheet.cell(HEADER_ROW, col)
        _set_text(header, column.label)
        header.font = Font(bold=True)
    rows = table.values()
    for offset, row in enumerate(rows, start=1):
        for col, (column, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            _write_value(sheet.cell(HEADER_ROW + offset, col), column, value)
    for col, column in enumerate(table.columns, start=1):
        width = _width(column, [row[col - 1] for row in rows])
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    if table.columns:
        last = get_column_letter(len(table.columns))
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + len(rows)}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
