"""Stock and sales reported by a point's operator: per point, product and month.

Three ways in — the form, a CSV/XLSX upload and the token API — end in the same check (``check_lines``) and
the same all-or-nothing write (``services.record_sales``): if any line is wrong nothing is written, and each
problem names its row, its column and what is wrong, in Vietnamese and in English.
"""

import csv
import dataclasses
import datetime
import io
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from catalog.importing import fold
from catalog.models import Product
from catalog.querysets import local_today

MAX_ROWS = 5000
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    header_vi: str
    label: Promise
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("point", "Mã điểm bán", _("Point code"), ("Điểm bán", "point_code")),
    Column("product", "Mã sản phẩm", _("Product id"), ("Sản phẩm", "product_id", "ID sản phẩm")),
    Column("month", "Tháng", _("Month"), ("Kỳ báo cáo",)),
    Column("quantity_sold", "Số lượng bán", _("Quantity sold"), ("SL bán", "Số lượng")),
    Column("revenue", "Doanh thu (VNĐ)", _("Revenue (VND)"), ("Doanh thu", "revenue_vnd")),
    Column("closing_stock", "Tồn cuối tháng", _("Stock at month end"), ("Tồn kho", "Tồn")),
)
LABELS = {column.key: column for column in COLUMNS}

#: Vietnamese for the messages below until the lead's catalog has them.
VIETNAMESE = {
    "Upload a .csv or .xlsx file.": "Hãy tải lên tệp .csv hoặc .xlsx.",
    "The file is larger than 5 MB.": "Tệp lớn hơn 5 MB.",
    "The file could not be read.": "Không đọc được tệp.",
    "The file has no data rows.": "Tệp không có dòng dữ liệu nào.",
    "The file has more than %(max)s rows; split it.": "Tệp có hơn %(max)s dòng; hãy chia nhỏ tệp.",
    "Required column “%(name)s” is missing.": "Thiếu cột bắt buộc “%(name)s”.",
    "This value is required.": "Giá trị này là bắt buộc.",
    "No sales point has the code “%(value)s”.": "Không có điểm bán mã “%(value)s”.",
    "You may not report for the point “%(value)s”.": "Bạn không được báo cáo cho điểm bán “%(value)s”.",
    "The point “%(value)s” is not approved; it cannot report sales.":
        "Điểm bán “%(value)s” chưa được phê duyệt hoặc đang bị đình chỉ/đóng; không thể báo cáo.",
    "No OCOP product has the id “%(value)s”.": "Không có sản phẩm OCOP mã “%(value)s”.",
    "Write the month as yyyy-mm (or mm/yyyy), not “%(value)s”.":
        "Hãy ghi tháng dạng yyyy-mm (hoặc mm/yyyy), không phải “%(value)s”.",
    "The month %(value)s has not begun yet.": "Tháng %(value)s chưa bắt đầu.",
    "Write a whole number of 0 or more, not “%(value)s”.": "Hãy ghi số nguyên từ 0 trở lên, không phải “%(value)s”.",
    "This point, product and month already appear on row %(row)s.":
        "Điểm bán, sản phẩm và tháng này đã có ở dòng %(row)s.",
}


def _in_language(value: Any, language: str) -> str:
    with translation.override(language):
        text = str(value)
    if language == "vi" and isinstance(value, Promise):
        with translation.override("en"):
            msgid = str(value)
        if text == msgid:
            return VIETNAMESE.get(msgid, text)
    return text


@dataclasses.dataclass
class Issue:
    """One problem: on a row (None for the file), in a column (None for the whole row)."""

    message: Any
    row: int | None = None
    column: str | None = None
    params: dict = dataclasses.field(default_factory=dict)

    def text(self, language: str) -> str:
        message = _in_language(self.message, language)
        return message % {k: _in_language(v, language) for k, v in self.params.items()} if self.params else message

    @property
    def text_vi(self) -> str:
        return self.text("vi")

    @property
    def text_en(self) -> str:
        return self.text("en")

    def column_label(self, language: str) -> str:
        if self.column is None:
            return ""
        column = LABELS.get(self.column)
        return (column.header_vi if language == "vi" else _in_language(column.label, "en")) if column else self.column

    @property
    def column_vi(self) -> str:
        return self.column_label("vi")

    @property
    def column_en(self) -> str:
        return self.column_label("en")

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "column_vi": self.column_vi, "column_en": self.column_en,
                "message_vi": self.text_vi, "message_en": self.text_en}


class SalesReportInvalid(Exception):
    def __init__(self, issues: list[Issue]):
        super().__init__(f"{len(issues)} problem(s)")
        self.issues = issues


@dataclasses.dataclass(frozen=True)
class SalesLine:
    row: int | None
    point: Any  # SalesPoint
    product: Product
    month: datetime.date
    quantity_sold: int
    revenue: Decimal
    closing_stock: int


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


def parse_month(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    text = str(value).strip()
    for pattern, order in ((r"^(\d{4})-(\d{1,2})(?:-01)?$", "ym"), (r"^(\d{1,2})[/.-](\d{4})$", "my")):
        match = re.match(pattern, text)
        if match:
            first, second = (int(g) for g in match.groups())
            year, month = (first, second) if order == "ym" else (second, first)
            if 1 <= month <= 12 and 2000 <= year <= 2100:
                return datetime.date(year, month, 1)
    return None


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_lines(rows: list[tuple[int | None, dict]], *, points, today: datetime.date | None = None
                ) -> tuple[list[SalesLine], list[Issue]]:
    """Check raw lines (row number, {column: value}); ``points`` = the points the reporter may report for.

    Each line's ``point`` is a point code (str) or a ``SalesPoint``. Nothing is written here.
    """
    from .models import SalesPoint

    today = today or local_today()
    this_month = today.replace(day=1)
    allowed = {point.code: point for point in points}
    codes = {str(v["point"]).strip() for _r, v in rows if isinstance(v.get("point"), str)}
    known = {point.code: point for point in SalesPoint.objects.filter(code__in=codes)}
    product_ids = {parse_whole(v.get("product")) for _r, v in rows if not _blank(v.get("product"))} - {None}
    products = Product.objects.filter(pk__in=product_ids, current_certificate__isnull=False).in_bulk()
    lines, issues, seen = [], [], {}
    for row, values in rows:
        problems = []

        def problem(column, message, **params):
            problems.append(Issue(message, row=row, column=column, params=params))  # noqa: B023

        for column in COLUMNS:
            if _blank(values.get(column.key)):
                problem(column.key, _("This value is required."))
        point = values.get("point")
        point_code = point.code if isinstance(point, SalesPoint) else str(point or "").strip()
        point = None
        if point_code:
            if point_code not in known and point_code not in allowed:
                problem("point", _("No sales point has the code “%(value)s”."), value=point_code)
            elif point_code not in allowed:
                problem("point", _("You may not report for the point “%(value)s”."), value=point_code)
            else:
                point = allowed[point_code]
                if point.status != SalesPoint.Status.APPROVED:
                    problem("point", _("The point “%(value)s” is not approved; it cannot report sales."),
                            value=point_code)
        product = None
        if not _blank(values.get("product")):
            product = products.get(parse_whole(values["product"]))
            if product is None:
                problem("product", _("No OCOP product has the id “%(value)s”."), value=str(values["product"]).strip())
        month = None
        if not _blank(values.get("month")):
            month = parse_month(values["month"])
            if month is None:
                problem("month", _("Write the month as yyyy-mm (or mm/yyyy), not “%(value)s”."),
                        value=str(values["month"]).strip())
            elif month > this_month:
                problem("month", _("The month %(value)s has not begun yet."), value=f"{month:%Y-%m}")
        numbers = {}
        for key in ("quantity_sold", "revenue", "closing_stock"):
            if not _blank(values.get(key)):
                numbers[key] = parse_whole(values[key])
                if numbers[key] is None:
                    problem(key, _("Write a whole number of 0 or more, not “%(value)s”."),
                            value=str(values[key]).strip())
        if not problems:
            key = (point.pk, product.pk, month)
            if key in seen:
                problem(None, _("This point, product and month already appear on row %(row)s."), row=seen[key])
            seen.setdefault(key, row)
        if problems:
            issues.extend(problems)
            continue
        lines.append(SalesLine(row=row, point=point, product=product, month=month,
                               quantity_sold=numbers["quantity_sold"], revenue=Decimal(numbers["revenue"]),
                               closing_stock=numbers["closing_stock"]))
    return lines, issues


def _header_index() -> dict[str, str]:
    index = {}
    for column in COLUMNS:
        for name in (column.key, column.header_vi, _in_language(column.label, "en"), *column.aliases):
            index[fold(name)] = column.key
    return index


def read_sheet(content: bytes, *, filename: str) -> tuple[list[tuple[int, dict]], list[Issue]]:
    """Rows of a CSV or XLSX file as (sheet row number, {column key: value}); file-level issues if unreadable."""
    name = filename.lower()
    if not name.endswith((".csv", ".xlsx")):
        return [], [Issue(_("Upload a .csv or .xlsx file."))]
    if len(content) > MAX_UPLOAD_BYTES:
        return [], [Issue(_("The file is larger than 5 MB."))]
    try:
        if name.endswith(".xlsx"):
            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            table = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        else:
            table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    except Exception:  # any unreadable file is one issue for the user, not a server error
        return [], [Issue(_("The file could not be read."))]
    if not table:
        return [], [Issue(_("The file has no data rows."))]
    index = _header_index()
    header = [index.get(fold(cell)) for cell in table[0]]
    missing = [column for column in COLUMNS if column.key not in header]
    if missing:
        return [], [Issue(_("Required column “%(name)s” is missing."), column=column.key,
                          params={"name": column.header_vi}) for column in missing]
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if all(_blank(cell) for cell in cells):
            continue
        rows.append((number, {key: cells[i] if i < len(cells) else None for i, key in enumerate(header) if key}))
    if not rows:
        return [], [Issue(_("The file has no data rows."))]
    if len(rows) > MAX_ROWS:
        return [], [Issue(_("The file has more than %(max)s rows; split it."), params={"max": MAX_ROWS})]
    return rows, []


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header_vi for column in COLUMNS])
    writer.writerow(["bmt-airport", "1", "2026-10", "25", "3750000", "12"])
    return buffer.getvalue().encode("utf-8-sig")
