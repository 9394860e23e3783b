"""Writing CSV and XLSX files that are safe to open: no cell we write ever runs as a formula.

Every spreadsheet the platform hands out (dashboard workbooks, import and report templates, lists of serials)
is written through here, because much of what goes in its cells was typed by someone else: a product's or a
point's name, the ``?sp=`` value of a scan. A spreadsheet program runs a cell that starts with ``=``, ``+``,
``-`` or ``@`` as a formula (a leading tab or carriage return can hide such a start), so whoever typed the
name could run a formula, or exfiltrate the sheet, on the computer of whoever opens the export (OWASP "CSV
injection"). Feeds are not spreadsheets: their readers are machines and they keep the values as they are.

- CSV has no types: such a text is written with a leading single quote, which spreadsheet programs take as
  "this is text" (OWASP's advice). Numbers are written as they are.
- XLSX has types: such a text is stored as a text cell, never a formula, with Excel's quote-prefix style so
  that editing the cell keeps it text. The value itself is unchanged.
"""

import csv
import io
from collections.abc import Iterable
from typing import Any

#: What makes a spreadsheet program read a cell as a formula (or hide that it starts like one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    """A text that a spreadsheet program would evaluate if written as it is."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: a formula-like text gets a leading single quote."""
    return f"'{value}" if is_formula_like(value) else value


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """A CSV file of ``rows`` that Excel opens as UTF-8 (with a byte order mark), formula-like texts neutralised."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def append_row(sheet, values: Iterable[Any], *, font=None) -> None:
    """Append a row to an openpyxl worksheet; a formula-like text becomes a text cell with a quote prefix."""
    from openpyxl.cell import Cell

    cells = []
    for value in values:
        cell = Cell(sheet, value=value)
        if is_formula_like(value):
            cell.data_type = "s"  # openpyxl would store a text starting with "=" as a formula
            cell.quotePrefix = True
        if font is not None:
            cell.font = font
        cells.append(cell)
    sheet.append(cells)


def xlsx_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
