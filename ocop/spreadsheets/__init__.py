"""Spreadsheets in and out: reading uploaded CSV/XLSX files against a template of columns (``reading``), and
writing the CSV/XLSX files we hand out so that no cell runs as a formula (``writing``)."""

from .reading import (
    NO_HEADER_ROW,
    TOO_LARGE,
    UNREADABLE,
    Column,
    Sheet,
    SheetIssue,
    SheetRefused,
    UploadTemplate,
    blank,
    fold,
    header_index,
    in_language,
    parse_whole,
    read_sheet,
)
from .writing import FORMULA_TRIGGERS, append_row, csv_bytes, csv_cell, is_formula_like, xlsx_bytes

__all__ = [
    "FORMULA_TRIGGERS",
    "NO_HEADER_ROW",
    "UNREADABLE",
    "Column",
    "Sheet",
    "SheetIssue",
    "SheetRefused",
    "TOO_LARGE",
    "UploadTemplate",
    "append_row",
    "blank",
    "csv_bytes",
    "csv_cell",
    "fold",
    "header_index",
    "in_language",
    "is_formula_like",
    "parse_whole",
    "read_sheet",
    "xlsx_bytes",
]
