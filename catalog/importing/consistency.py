"""Rows of one decision, producer or product must agree: the same value wherever the sheet repeats it."""

from django.utils.translation import gettext_lazy as _

from catalog.error_codes import CatalogErrorCode
from ocop.spreadsheets import fold

from .parsing import Row
from .results import ImportResult
from .template import DECISION_COLUMNS, PRODUCER_COLUMNS, PRODUCT_COLUMNS


def _canonical(row: Row, column: str):
    """The value of a column as the import understands it (so '1' and 'Thực phẩm' are the same group)."""
    parsed = {
        "producer_type": lambda: row.producer_kind,
        "product_group": lambda: row.group and row.group.pk,
        "product_subgroup": lambda: row.subgroup and row.subgroup.pk,
        "gtin": lambda: row.gtin,
        "decision_date": lambda: row.decision_date,
        "authority_level": lambda: row.authority_level,
    }
    if column in parsed:
        return parsed[column]()
    return fold(row.values[column])


def check_consistency(rows: list[Row], result: ImportResult, headers) -> None:
    """Rows that repeat a producer, product or decision must agree with each other."""
    firsts: dict[tuple, Row] = {}

    def conflicts(kind, key, row, columns, message, **params):
        first = firsts.setdefault((kind, key), row)
        for column in columns if first is not row else ():
            mine, theirs = _canonical(row, column), _canonical(first, column)
            if mine and theirs and mine != theirs:
                result.add(
                    message,
                    row=row.number,
                    column=column,
                    header=headers.get(column, ""),
                    code="conflicting_rows",
                    other_row=first.number,
                    other=first.values[column],
                    **params,
                )
        return first

    for row in rows:
        number = row.values["decision_number"]
        if row.registration_number:
            conflicts(
                "producer",
                row.registration_number,
                row,
                PRODUCER_COLUMNS,
                _(
                    "Registration number %(number)s is also on row %(other_row)s with a different value in "
                    "this column (“%(other)s”)."
                ),
                number=row.registration_number,
            )
            if row.values["product_name"]:
                conflicts(
                    "product",
                    row.product_key,
                    row,
                    PRODUCT_COLUMNS,
                    _(
                        "Product “%(product)s” is also on row %(other_row)s with a different value in this "
                        "column (“%(other)s”)."
                    ),
                    product=row.values["product_name"],
                )
                first = firsts.setdefault(("award", number, row.product_key), row)
                if number and first is not row:
                    result.add(
                        _("Product “%(product)s” is already listed in decision %(number)s on row %(other_row)s."),
                        row=row.number,
                        column="product_name",
                        header=headers.get("product_name", ""),
                        code=CatalogErrorCode.DUPLICATE_PRODUCT_IN_DECISION.value,
                        product=row.values["product_name"],
                        number=number,
                        other_row=first.number,
                    )
        if row.gtin:
            first = firsts.setdefault(("gtin", row.gtin), row)
            if first.product_key != row.product_key:
                result.add(
                    _("GTIN %(gtin)s is also given to another product on row %(other_row)s."),
                    row=row.number,
                    column="gtin",
                    header=headers.get("gtin", ""),
                    code="conflicting_rows",
                    gtin=row.gtin,
                    other_row=first.number,
                )
        if number:
            conflicts(
                "decision",
                number,
                row,
                DECISION_COLUMNS,
                _(
                    "Decision %(number)s is also on row %(other_row)s with a different value in this column "
                    "(“%(other)s”)."
                ),
                number=number,
            )
