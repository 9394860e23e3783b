"""A participant's post-event sales report: from the form or a CSV/XLSX file, checked line by line.

The same reading and the same all-or-nothing rule as the sales points' reports (``ocop.spreadsheets``):
if any line is wrong nothing is written, and each problem names its row, its column and what is wrong, in
Vietnamese and in English.
"""

import dataclasses
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from catalog.models import Product
from ocop import spreadsheets
from ocop.spreadsheets import Column, SheetIssue, blank, parse_whole

MAX_ROWS = 500
MAX_UPLOAD_BYTES = 2 * 1024 * 1024

COLUMNS = (
    Column("product", "Mã sản phẩm", _("Product id"), True, ("Sản phẩm", "product_id", "ID sản phẩm")),
    Column("quantity", "Số lượng bán", _("Quantity sold"), True, ("SL bán", "Số lượng", "quantity_sold")),
    Column("revenue", "Doanh thu (VNĐ)", _("Revenue (VND)"), True, ("Doanh thu", "revenue_vnd")),
)


class Issue(SheetIssue):
    columns = {column.key: column for column in COLUMNS}


#: The template participants fill in; ``TEMPLATE.read(content, filename)`` gives its rows or the file's problems.
TEMPLATE = spreadsheets.UploadTemplate(COLUMNS, Issue, max_rows=MAX_ROWS, max_bytes=MAX_UPLOAD_BYTES)


class EventSalesInvalid(Exception):
    def __init__(self, issues: list[Issue]):
        super().__init__(f"{len(issues)} problem(s)")
        self.issues = issues


@dataclasses.dataclass(frozen=True)
class Line:
    row: int | None
    product: Product
    quantity: int
    revenue: Decimal


def check_lines(rows: list[tuple[int | None, dict]], *, participation) -> tuple[list[Line], list[Issue]]:
    """Raw lines (row number, {product, quantity, revenue}) checked against the products the participant
    showed at the event. Nothing is written here."""
    shown = {product.pk: product for product in participation.products.all()}
    lines, issues, seen = [], [], {}
    for row, values in rows:
        problems = []
        for column in COLUMNS:
            if blank(values.get(column.key)):
                problems.append(Issue(_("This value is required."), row=row, column=column.key))
        product = None
        if not blank(values.get("product")):
            product = shown.get(parse_whole(values["product"]))
            if product is None:
                problems.append(
                    Issue(
                        _("The product “%(value)s” is not one you showed at this event."),
                        row=row,
                        column="product",
                        params={"value": str(values["product"]).strip()},
                    )
                )
        numbers = {}
        for key in ("quantity", "revenue"):
            if not blank(values.get(key)):
                numbers[key] = parse_whole(values[key])
                if numbers[key] is None:
                    problems.append(
                        Issue(
                            _("Write a whole number of 0 or more, not “%(value)s”."),
                            row=row,
                            column=key,
                            params={"value": str(values[key]).strip()},
                        )
                    )
        if not problems and product.pk in seen:
            problems.append(
                Issue(_("This product already appears on row %(row)s."), row=row, params={"row": seen[product.pk]})
            )
        if problems:
            issues.extend(problems)
            continue
        seen[product.pk] = row
        lines.append(Line(row=row, product=product, quantity=numbers["quantity"], revenue=Decimal(numbers["revenue"])))
    if not rows:
        issues.append(Issue(_("Report at least one product.")))
    return lines, issues


def template_csv(participation) -> bytes:
    rows = [[column.header_vi for column in COLUMNS]]
    rows += [[product.pk, "", ""] for product in participation.products.order_by("name_vi")]
    return spreadsheets.csv_bytes(rows)
