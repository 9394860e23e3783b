"""The register as a spreadsheet (XLSX or CSV), cells neutralised as every export is (``catalog.spreadsheets``)."""

import datetime

from django.utils.translation import gettext as _

from ocop.spreadsheets import append_row, csv_bytes, xlsx_bytes

from .queries import STATUS_LABELS, status_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header() -> list[str]:
    return [
        _("Product"),
        _("Product (English)"),
        _("Stars"),
        _("Product group"),
        _("Producer"),
        _("Commune"),
        _("Address before 07/2025"),
        _("Decision"),
        _("Date signed"),
        _("Issuing authority"),
        _("Valid until"),
        _("Status"),
    ]


def row(product, today: datetime.date) -> list:
    certificate = product.current_certificate
    decision = certificate.decision
    commune = product.producer.commune
    return [
        product.name_vi,
        product.name_en,
        product.certified_stars,
        f"{product.group.code}. {product.group.name_vi}",
        product.producer.name,
        commune.name,
        product.producer.shown_former_address,
        decision.number,
        decision.signed_on.strftime("%d/%m/%Y"),
        decision.authority_name,
        certificate.valid_until.strftime("%d/%m/%Y"),
        str(STATUS_LABELS[status_of(product, today)]),
    ]


def document(products, *, fmt: str, today: datetime.date) -> tuple[bytes, str]:
    rows = [header(), *(row(product, today) for product in products)]
    if fmt == "csv":
        return csv_bytes(rows), "text/csv; charset=utf-8"
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "OCOP"
    append_row(sheet, rows[0], font=Font(bold=True))
    for values in rows[1:]:
        append_row(sheet, values)
    return xlsx_bytes(workbook), XLSX
