"""One producer's dashboard as tables (+ charts), from ``producer_figures``: the portal's home page and its XLSX
export are built from the same tables. Registered with the portal in ``integrations/apps.py``."""

from django.utils.translation import gettext as _

from catalog import formats

from . import charts, exports
from . import producer_figures as reports
from .exports import to_xlsx

__all__ = ["summary", "tables", "to_xlsx"]


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _scan_counts(key, title, label, counts, *, chart=charts.bar_chart, chart_counts=None) -> exports.Table:
    """A two-column table of scan counts with its chart (``chart_counts`` when the chart labels them shorter)."""
    table = exports.Table(key, title, [label, _("Scans")], [list(row) for row in counts])
    if chart:
        table.chart = chart(chart_counts or counts, title=title)
    return table


def tables(producer, *, year: int, today) -> list[exports.Table]:
    products = exports.Table(
        "products",
        _("Where your products are listed"),
        [
            _("Product"),
            _("Stars"),
            _("Certified until"),
            _("Online store"),
            _("Marketplaces"),
            _("Sales points"),
        ],
        [
            [
                row["product"].name_vi,
                f"{row['stars']}★" if row["stars"] else "—",
                row["certified_until"].strftime("%d/%m/%Y") if row["certified_until"] else "—",
                (
                    _("listed, %(price)s, stock %(stock)s")
                    % {"price": formats.money(row["offer"].price), "stock": formats.number(row["offer"].stock)}
                )
                if row["in_store"]
                else (_("not listable") if not row["listable"] else _("no store offer")),
                ", ".join(row["marketplaces"]) or "—",
                ", ".join(row["sales_points"]) or "—",
            ]
            for row in reports.products(producer, today=today)
        ],
    )

    by_month = [(f"{m:%m/%Y}", n) for m, n in reports.scans_by_month(producer, year=year)]
    by_day = reports.scans_by_day(producer, today=today)
    scan_tables = [
        _scan_counts(
            "scans_month",
            _("Scans of your codes by month, %(year)s") % {"year": year},
            _("Month"),
            by_month,
            chart=charts.column_chart,
        ),
        _scan_counts(
            "scans_day",
            _("Scans of your codes, last 30 days"),
            _("Day"),
            [(f"{d:%d/%m/%Y}", n) for d, n in by_day],
            chart=charts.column_chart,
            chart_counts=[(f"{d:%d/%m}", n) for d, n in by_day],
        ),
        _scan_counts(
            "scans_point",
            _("Scans by sales point, %(year)s") % {"year": year},
            _("Sales point"),
            reports.scans_by_sales_point(producer, year=year),
        ),
        _scan_counts(
            "scans_place",
            _("Scans by approximate location (about 11 km), %(year)s") % {"year": year},
            _("Latitude, longitude"),
            reports.scans_by_location(producer, year=year),
        ),
        _scan_counts(
            "scans_product",
            _("Scans by product, %(year)s") % {"year": year},
            _("Product"),
            reports.scans_by_product(producer, year=year),
            chart=None,
        ),
    ]

    flagged = exports.Table(
        "flags",
        _("Flagged codes"),
        [
            _("Serial"),
            _("Product"),
            _("Lot"),
            _("Reason"),
            _("Detail"),
            _("Flagged at"),
            _("Reviewed"),
        ],
        [
            [
                flag.item.serial,
                flag.item.lot.product.name_vi,
                flag.item.lot.number,
                flag.get_reason_display(),
                flag.detail,
                flag.flagged_at.strftime("%d/%m/%Y %H:%M"),
                _yes_no(flag.reviewed),
            ]
            for flag in reports.flags(producer)
        ],
    )

    sales = reports.sales_by_month(producer, year=year)
    sales_month = exports.Table(
        "sales_month",
        _("Sales by month, %(year)s") % {"year": year},
        [
            _("Month"),
            _("Online store: quantity"),
            _("Online store: revenue (VND)"),
            _("Sales points: quantity"),
            _("Sales points: revenue (VND)"),
        ],
        [
            [f"{r['month']:%m/%Y}", r["store_quantity"], r["store_revenue"], r["points_quantity"], r["points_revenue"]]
            for r in sales
        ],
    )
    sales_month.chart = charts.column_chart(
        [(f"{r['month']:%m/%Y}", r["store_revenue"] + r["points_revenue"]) for r in sales],
        title=sales_month.title,
        money=True,
    )
    sales_product = exports.Table(
        "sales_product",
        _("Sales by product, %(year)s") % {"year": year},
        [
            _("Product"),
            _("Online store: quantity"),
            _("Online store: revenue (VND)"),
            _("Sales points: quantity"),
            _("Sales points: revenue (VND)"),
        ],
        [
            [r["product"], r["store_quantity"], r["store_revenue"], r["points_quantity"], r["points_revenue"]]
            for r in reports.sales_by_product(producer, year=year)
        ],
    )
    by_sales_point = reports.sales_by_point(producer, year=year)
    sales_point = exports.Table(
        "sales_point",
        _("Sales at each sales point, %(year)s") % {"year": year},
        [_("Sales point"), _("Quantity sold"), _("Revenue (VND)")],
        [list(row) for row in by_sales_point],
    )
    sales_point.chart = charts.bar_chart(
        [(name, revenue) for name, _q, revenue in by_sales_point], title=sales_point.title, money=True
    )
    return [
        products,
        *scan_tables,
        flagged,
        sales_month,
        sales_product,
        sales_point,
    ]


def summary(producer, tables, *, today) -> dict:
    """The four figures above the tables."""
    by_key = {table.key: table for table in tables}
    return {
        "scans": sum(row[1] for row in by_key["scans_month"].rows),
        "flags": len(by_key["flags"].rows),
        "revenue": sum(row[2] + row[4] for row in by_key["sales_month"].rows),
        "in_store": sum(1 for row in reports.products(producer, today=today) if row["in_store"]),
    }
