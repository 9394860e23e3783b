"""Stock and sales reported by a point's operator: per point, product and month.

Three ways in — the form, a CSV/XLSX upload and the token API — end in the same check (``check_lines``) and
the same all-or-nothing write (``services.record_sales``): if any line is wrong nothing is written, and each
problem names its row, its column and what is wrong, in Vietnamese and in English.
"""

import dataclasses
import datetime
import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from catalog.models import Product
from catalog.querysets import local_today
from ocop import spreadsheets
from ocop.spreadsheets import Column, SheetIssue, blank, parse_whole

MAX_ROWS = 5000
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


COLUMNS = (
    Column("point", "Mã điểm bán", _("Point code"), True, ("Điểm bán", "point_code")),
    Column("product", "Mã sản phẩm", _("Product id"), True, ("Sản phẩm", "product_id", "ID sản phẩm")),
    Column("month", "Tháng", _("Month"), True, ("Kỳ báo cáo",)),
    Column("quantity_sold", "Số lượng bán", _("Quantity sold"), True, ("SL bán", "Số lượng")),
    Column("revenue", "Doanh thu (VNĐ)", _("Revenue (VND)"), True, ("Doanh thu", "revenue_vnd")),
    Column("closing_stock", "Tồn cuối tháng", _("Stock at month end"), True, ("Tồn kho", "Tồn")),
)
LABELS = {column.key: column for column in COLUMNS}


class Issue(SheetIssue):
    """One problem of a report; ``as_dict`` is what the token API answers for it."""

    columns = LABELS


#: The template participants fill in; ``TEMPLATE.read(content, filename)`` gives its rows or the file's problems.
TEMPLATE = spreadsheets.UploadTemplate(COLUMNS, Issue, max_rows=MAX_ROWS, max_bytes=MAX_UPLOAD_BYTES)


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


def check_lines(
    rows: list[tuple[int | None, dict]], *, points, today: datetime.date | None = None
) -> tuple[list[SalesLine], list[Issue]]:
    """Check raw lines (row number, {column: value}); ``points`` = the points the reporter may report for.

    Each line's ``point`` is a point code (str) or a ``SalesPoint``. A code that is not one of ``points`` gets
    the same answer whether or not another point has it, so that a report cannot probe which points exist.
    A line's product must be offered at its point: in its assortment, or taken out of it in or after the
    reported month. Nothing is written here.
    """
    from integrations.models import SalesPoint

    from .querysets import offered

    today = today or local_today()
    this_month = today.replace(day=1)
    allowed = {point.code: point for point in points}
    product_ids = {parse_whole(v.get("product")) for _r, v in rows if not blank(v.get("product"))} - {None}
    products = Product.objects.filter(pk__in=product_ids, current_certificate__isnull=False).in_bulk()
    lines, issues, seen, candidates = [], [], {}, []
    for row, values in rows:
        problems = []

        def problem(column, message, **params):
            problems.append(Issue(message, row=row, column=column, params=params))  # noqa: B023

        for column in COLUMNS:
            if blank(values.get(column.key)):
                problem(column.key, _("This value is required."))
        point = values.get("point")
        point_code = point.code if isinstance(point, SalesPoint) else str(point or "").strip()
        point = None
        if point_code:
            if point_code not in allowed:
                problem("point", _("None of your sales points has the code “%(value)s”."), value=point_code)
            else:
                point = allowed[point_code]
                if point.status != SalesPoint.Status.APPROVED:
                    problem(
                        "point", _("The point “%(value)s” is not approved; it cannot report sales."), value=point_code
                    )
        product = None
        if not blank(values.get("product")):
            product = products.get(parse_whole(values["product"]))
            if product is None:
                problem("product", _("No OCOP product has the id “%(value)s”."), value=str(values["product"]).strip())
        month = None
        if not blank(values.get("month")):
            month = parse_month(values["month"])
            if month is None:
                problem(
                    "month",
                    _("Write the month as yyyy-mm (or mm/yyyy), not “%(value)s”."),
                    value=str(values["month"]).strip(),
                )
            elif month > this_month:
                problem("month", _("The month %(value)s has not begun yet."), value=f"{month:%Y-%m}")
        numbers = {}
        for key in ("quantity_sold", "revenue", "closing_stock"):
            if not blank(values.get(key)):
                numbers[key] = parse_whole(values[key])
                if numbers[key] is None:
                    problem(
                        key, _("Write a whole number of 0 or more, not “%(value)s”."), value=str(values[key]).strip()
                    )
        if not problems:
            key = (point.pk, product.pk, month)
            if key in seen:
                problem(None, _("This point, product and month already appear on row %(row)s."), row=seen[key])
            seen.setdefault(key, row)
        if problems:
            issues.extend(problems)
            continue
        candidates.append((row, point, product, month, numbers))
    offers = offered((point.pk, product.pk) for _row, point, product, _month, _numbers in candidates)
    for row, point, product, month, numbers in candidates:
        key = (point.pk, product.pk)
        if key not in offers or (offers[key] is not None and offers[key] < month):
            issues.append(
                Issue(
                    _(
                        "The product %(value)s (%(name)s) is not in the assortment of the point "
                        "“%(point)s”: report only the products the point offers."
                    ),
                    row=row,
                    column="product",
                    params={"value": product.pk, "name": product.name_vi, "point": point.code},
                )
            )
            continue
        lines.append(
            SalesLine(
                row=row,
                point=point,
                product=product,
                month=month,
                quantity_sold=numbers["quantity_sold"],
                revenue=Decimal(numbers["revenue"]),
                closing_stock=numbers["closing_stock"],
            )
        )
    issues.sort(key=lambda issue: issue.row or 0)
    return lines, issues


def template_csv() -> bytes:
    example = ["bmt-airport", "1", "2026-10", "25", "3750000", "12"]
    return spreadsheets.csv_bytes([[column.header_vi for column in COLUMNS], example])
