"""Reading uploaded spreadsheets (CSV or XLSX) against a template of columns, and the problems found in them.

Shared by the registry import (``catalog.importing``) and the sales-point reports
(``integrations.salespoints.sales_reports``); each of them keeps its own columns and the checks of its values.

- ``Column``: one template column — its English key, Vietnamese header, English label and other names a file
  may use for it; ``header_index`` finds a column from any of them, ignoring accents, case and spacing (``fold``).
- ``read_sheet``: the rows of a file, numbered as the spreadsheet shows them, blank rows left out; a file that
  cannot be used at all raises ``SheetRefused`` with the reason.
- ``SheetIssue``: one problem on a row and column, its message rendered in Vietnamese and in English.
"""

import csv
import dataclasses
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: How many known headers make a row the header row when the header is searched for below a title.
HEADER_MATCHES = 3
#: What ``read_sheet`` says by default of a file it cannot parse (``%(kind)s``: CSV or Excel) or that is empty.
UNREADABLE = _("The file could not be read as %(kind)s.")
NO_HEADER_ROW = _("The file has no header row.")
#: What ``read_sheet`` says of a file over ``max_bytes`` unless told otherwise (``%(size)s``: the limit in MB).
TOO_LARGE = _("The file is larger than %(size)s MB.")


# --- Columns and headers -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    header_vi: str
    label: Promise
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: Promise | str = ""
    example: str = ""


def fold(text: Any) -> str:
    """Accent-, case- and spacing-insensitive form of a label: 'Xã/Phường ' → 'xa/phuong'."""
    text = unicodedata.normalize("NFD", str(text or "").replace("đ", "d").replace("Đ", "D"))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return re.sub(r"[_\s]+", " ", text).strip(" *:")


def header_index(columns: Iterable[Column], ignored: Iterable[str] = ()) -> dict[str, str | None]:
    """Folded header → column key, from each column's key, Vietnamese header, English label and aliases;
    → None for the ``ignored`` headers (ordinal numbers, remarks)."""
    index: dict[str, str | None] = {}
    for column in columns:
        for name in (column.key, column.header_vi, in_language(column.label, "en"), *column.aliases):
            index[fold(name)] = column.key
    for name in ignored:
        index[fold(name)] = None
    return index


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_THOUSANDS = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")


def parse_whole(value) -> int | None:
    """A whole number ≥ 0: 12, "12", 12.0, "1.500.000", "1 500 000"; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float | Decimal):
        return int(value) if value >= 0 and value == int(value) else None
    text = str(value).strip()
    if _THOUSANDS.match(text):
        text = re.sub(r"[.,\s]", "", text)
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number != number.to_integral_value():
        return None
    return int(number)


# --- Reading CSV and XLSX ------------------------------------------------------------------------------


class SheetRefused(Exception):
    """The file as a whole cannot be used; ``message`` (with ``params``) says why, for the user."""

    def __init__(self, message: Promise, **params: Any):
        super().__init__(message)
        self.message = message
        self.params = params


@dataclasses.dataclass
class Sheet:
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cells), blank rows left out
    max_rows: int

    def records(self, keys: Mapping[int, str | None]) -> list[tuple[int, dict[str, Any]]]:
        """Each data row as (row number, {column key: cell}), given the column key at each position (None: not
        read); refused when there is no data row or more than ``max_rows``."""
        if not self.rows:
            raise SheetRefused(_("The file has no data rows."))
        if len(self.rows) > self.max_rows:
            raise SheetRefused(_("The file has more than %(max)s rows; split it."), max=self.max_rows)
        return [
            (number, {key: cells[position] if position < len(cells) else None for position, key in keys.items() if key})
            for number, cells in self.rows
        ]


def _read_csv(data: bytes) -> Iterable[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1258", errors="replace")  # Vietnamese Windows exports
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text, newline=""), dialect)


def _read_xlsx(data: bytes) -> Iterator[tuple[Any, ...]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    finally:
        workbook.close()


def read_sheet(
    data: bytes,
    filename: str,
    *,
    max_rows: int,
    max_bytes: int | None = None,
    too_large: Promise | None = None,
    index: Mapping[str, str | None] | None = None,
    header_search_rows: int = 1,
    unreadable: Promise = UNREADABLE,
    empty: Promise = NO_HEADER_ROW,
) -> Sheet:
    """The first worksheet of an XLSX file, or a CSV file (UTF-8 or Windows-1258; comma, semicolon or tab).

    The header row is the first non-blank row, or — with an ``index`` — the first of the first
    ``header_search_rows`` non-blank rows that has ``HEADER_MATCHES`` known headers (government sheets often
    start with a title). Raises ``SheetRefused`` (with ``unreadable``, ``empty`` or ``too_large`` as the message
    where given) for a file of another type, larger than ``max_bytes``, unreadable or empty.
    """
    name = filename.lower()
    if name.endswith(".csv"):
        reader, kind = _read_csv, _("CSV")
    elif name.endswith(".xlsx"):
        reader, kind = _read_xlsx, _("Excel (XLSX)")
    else:
        raise SheetRefused(_("Upload a .csv or .xlsx file."))
    if max_bytes is not None and len(data) > max_bytes:
        raise SheetRefused(too_large or TOO_LARGE, size=max(1, round(max_bytes / 2**20)))
    # Blank rows are skipped (sheets are often formatted far below their data); reading stops one row past
    # the limit so that an oversized file is refused rather than truncated.
    numbered: list[tuple[int, list[Any]]] = []
    try:
        for number, cells in enumerate(reader(data), start=1):
            if not all(map(blank, cells)):
                numbered.append((number, list(cells)))
                if len(numbered) > max_rows + header_search_rows:
                    break
    except Exception as exc:  # a corrupt upload: any parser error means the same to the user
        raise SheetRefused(unreadable, kind=kind) from exc
    if not numbered:
        raise SheetRefused(empty)
    header_at = 0
    if index is not None:
        for position, (_number, cells) in enumerate(numbered[:header_search_rows]):
            if sum(1 for cell in cells if index.get(fold(cell))) >= HEADER_MATCHES:
                header_at = position
                break
    header_row, headers = numbered[header_at]
    return Sheet(
        header_row, ["" if cell is None else str(cell).strip() for cell in headers], numbered[header_at + 1 :], max_rows
    )


@dataclasses.dataclass(frozen=True)
class UploadTemplate:
    """A template users fill in and upload: its ``columns``, the ``issue`` class its problems are reported as,
    and its limits."""

    columns: Sequence[Column]
    issue: type["SheetIssue"]
    max_rows: int
    max_bytes: int

    def read(self, data: bytes, filename: str) -> tuple[list[tuple[int, dict]], list["SheetIssue"]]:
        """Rows of an upload as (sheet row number, {column key: value}) against the template (the header is the
        first row; columns not in the template are left out), or the file-level problems that make it unusable:
        another type, too large, unreadable, empty, or a template column missing."""
        try:
            sheet = read_sheet(
                data,
                filename,
                max_rows=self.max_rows,
                max_bytes=self.max_bytes,
                unreadable=_("The file could not be read."),
                empty=_("The file has no data rows."),
            )
            index = header_index(self.columns)
            keys = {position: index.get(fold(header)) for position, header in enumerate(sheet.headers)}
            missing = [column for column in self.columns if column.key not in keys.values()]
            if missing:
                return [], [
                    self.issue(
                        _("Required column “%(name)s” is missing."),
                        column=column.key,
                        params={"name": column.header_vi},
                    )
                    for column in missing
                ]
            return sheet.records(keys), []
        except SheetRefused as refused:
            return [], [self.issue(refused.message, params=refused.params)]


# --- Problems, in two languages ------------------------------------------------------------------------


def in_language(value: Any, language: str) -> str:
    """A translatable (lazy) text in ``language``; any other value (names, numbers) as it is."""
    if isinstance(value, Promise):
        with translation.override(language):
            return str(value)
    return str(value)


@dataclasses.dataclass
class SheetIssue:
    """One problem: on a row (None for the file), in a column (None for the whole row).

    ``message`` is a lazy translatable text with ``%(name)s`` placeholders filled from ``params`` (which may be
    lazy texts too); ``header`` is the column's header as the file wrote it. A subclass names its template's
    columns in ``columns`` (key → ``Column``) so that the column can be shown in both languages.
    """

    message: Any
    row: int | None = None
    column: str | None = None
    header: str = ""
    params: dict = dataclasses.field(default_factory=dict)
    code: str = "invalid"

    columns: ClassVar[Mapping[str, Column]] = {}

    def text(self, language: str) -> str:
        message = in_language(self.message, language)
        if not self.params:
            return message
        return message % {name: in_language(value, language) for name, value in self.params.items()}

    @property
    def text_vi(self) -> str:
        return self.text("vi")

    @property
    def text_en(self) -> str:
        return self.text("en")

    def column_in(self, language: str) -> str:
        """The column in ``language``: its Vietnamese header or English label ('' for none)."""
        if self.column is None:
            return ""
        column = self.columns.get(self.column)
        if column is None:
            return self.column
        return column.header_vi if language == "vi" else in_language(column.label, "en")

    @property
    def column_vi(self) -> str:
        return self.column_in("vi")

    @property
    def column_en(self) -> str:
        return self.column_in("en")

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "column_vi": self.column_vi,
            "column_en": self.column_en,
            "message_vi": self.text_vi,
            "message_en": self.text_en,
        }
