"""Vietnamese formats for what people read, in every language of the interface: numbers grouped with dots
(``12.640.000``), money in đồng (``12.640.000 ₫``), dates day first (``30/11/2026``). Pages, charts and PDF
reports use these; XLSX workbooks keep real numbers and dates with the matching number formats."""

import datetime
from decimal import Decimal

from django.utils import timezone

#: Number formats of XLSX cells (openpyxl), shown as above in a spreadsheet program.
XLSX_NUMBER = "#,##0"
XLSX_DECIMAL = "#,##0.0"
XLSX_MONEY = '#,##0 "₫"'
XLSX_DATE = "dd/mm/yyyy"


def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def number(value, decimals: int | None = None) -> str:
    """1500000 → "1.500.000"; 2.5 → "2,5"; 59.25 → "59,25" (the decimals there are, up to two, unless given)."""
    if value is None or value == "":
        return ""
    value = Decimal(str(value))
    if decimals is None:
        decimals = min(max(-value.normalize().as_tuple().exponent, 0), 2)
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def money(value) -> str:
    """120000 → "120.000 ₫"."""
    if value is None or value == "":
        return ""
    return f"{number(int(Decimal(str(value))))} ₫"


def date(value) -> str:
    """A date (or an aware datetime, in Asia/Ho_Chi_Minh) → "30/11/2026"."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime("%d/%m/%Y")


def cell(value) -> str:
    """Any table cell as text: numbers and dates in Vietnamese formats, the rest as it is."""
    if is_number(value):
        return number(value)
    if isinstance(value, datetime.date):
        return date(value)
    return "" if value is None else str(value)
