"""The two dashboards as tables (+ charts): the page, the XLSX workbook and the PDF are built from the same data."""

import datetime

from django.utils.translation import gettext as _

from catalog import reports as registry_reports
from catalog.models.reference import in_reader_language
from catalog.querysets import local_today

from . import charts
from . import point_figures as point_reports
from .exports import Table


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _group_name(row) -> str:
    return in_reader_language(row["name_vi"], row["name_en"])


def ocop_office(*, today: datetime.date | None = None, year: int | None = None) -> list[Table]:
    today = today or local_today()
    progress = registry_reports.plan_progress(year=year, today=today)
    targets = progress.targets
    share = progress.retained_share
    plan = Table(
        "plan",
        _("Progress against the plan, %(year)s") % {"year": progress.year},
        [_("Indicator"), _("Value"), _("Target"), _("On target")],
        [
            [
                _("Share of the 2018–2020 products still certified"),
                "—"
                if share is None
                else f"{share:g}% ({progress.first_period_still_certified}/{progress.first_period_products})",
                f"> {targets['retained_share_min']}%",
                _yes_no(progress.retained_on_target),
            ],
            [
                _("New 3★+ products this year"),
                progress.new_products,
                f"{targets['new_products_min']}–{targets['new_products_max']}",
                _yes_no(progress.new_products_on_target),
            ],
            [
                _("5★ candidates sent to the central level this year"),
                progress.central_candidates,
                f"≥ {targets['central_candidates_min']}",
                _yes_no(progress.central_candidates_on_target),
            ],
        ],
    )
    stars = registry_reports.products_by_stars(today)
    by_stars = Table(
        "stars", _("Certified products by stars"), [_("Stars"), _("Products")], [[f"{s}★", n] for s, n in stars]
    )
    by_stars.chart = charts.bar_chart([(f"{s}★", n) for s, n in stars], title=by_stars.title)
    groups = registry_reports.products_by_group(today)
    by_group = Table(
        "groups",
        _("Certified products by group"),
        [_("Code"), _("Group"), _("Products")],
        [[g["code"], _group_name(g), g["count"]] for g in groups],
    )
    by_group.chart = charts.bar_chart([(_group_name(g), g["count"]) for g in groups], title=by_group.title)
    communes = registry_reports.products_by_commune(today)
    by_commune = Table(
        "communes",
        _("Certified products by commune"),
        [_("Commune"), _("District"), _("Products")],
        [[c["commune"], c["district"], c["count"]] for c in communes],
    )
    by_commune.chart = charts.bar_chart([(c["commune"], c["count"]) for c in communes[:15]], title=by_commune.title)
    expiring = Table(
        "expiring",
        _("Certificates expiring in the next 90 days"),
        [_("Product"), _("Producer"), _("Commune"), _("Stars"), _("Certificate"), _("Valid until"), _("Days left")],
        [
            [
                p.name_vi,
                p.producer.name,
                p.producer.commune.name,
                p.certified_stars,
                p.current_certificate.decision.number if p.current_certificate else "",
                p.certified_until,
                (p.certified_until - today).days,
            ]
            for p in registry_reports.expiring_certificates(today, days=90)
        ],
    )
    return [plan, pipeline_table(progress), by_stars, by_group, by_commune, expiring]


def pipeline_table(progress) -> Table:
    """The year's pipeline of potential products, feeding the plan's target of new products."""
    from catalog.programme import querysets as programme

    year = {row["key"]: row for row in programme.pipeline_counts(by="year")}.get(progress.year, {})
    targets = progress.targets
    table = Table(
        "pipeline",
        _("Potential products recorded by communes in %(year)s") % {"year": progress.year},
        [_("Stage"), _("Potential products")],
        [[str(stage.label), year.get(stage.value, 0)] for stage in programme.PIPELINE_STAGES]
        + [
            [
                _("New 3★+ products this year (target %(min)s–%(max)s)")
                % {"min": targets["new_products_min"], "max": targets["new_products_max"]},
                progress.new_products,
            ]
        ],
    )
    table.chart = charts.bar_chart(
        [(str(stage.label), year.get(stage.value, 0)) for stage in programme.PIPELINE_STAGES], title=table.title
    )
    return table


def department(points, *, year: int) -> list[Table]:
    statuses = point_reports.points_by_status(points)
    by_status = Table(
        "status", _("Sales points by status"), [_("Status"), _("Points")], [[label, n] for _v, label, n in statuses]
    )
    by_status.chart = charts.bar_chart([(label, n) for _v, label, n in statuses], title=by_status.title)
    per_point = point_reports.sales_by_point(points, year=year)
    by_point = Table(
        "sales_point",
        _("Sales by point, %(year)s") % {"year": year},
        [_("Sales point"), _("Quantity sold"), _("Revenue (VND)")],
        [[r["point"], r["quantity"], r["revenue"]] for r in per_point],
    )
    by_point.chart = charts.bar_chart([(r["point"], r["revenue"]) for r in per_point], title=by_point.title, money=True)
    per_month = point_reports.sales_by_month(points, year=year)
    by_month = Table(
        "sales_month",
        _("Sales by month, %(year)s") % {"year": year},
        [_("Month"), _("Quantity sold"), _("Revenue (VND)")],
        [[f"{r['month']:%m/%Y}", r["quantity"], r["revenue"]] for r in per_month],
    )
    by_month.chart = charts.column_chart(
        [(f"{r['month']:%m/%Y}", r["revenue"]) for r in per_month], title=by_month.title, money=True
    )
    per_product = point_reports.sales_by_product(points, year=year)
    by_product = Table(
        "sales_product",
        _("Sales by product, %(year)s") % {"year": year},
        [_("Product"), _("Quantity sold"), _("Revenue (VND)")],
        [[r["product"], r["quantity"], r["revenue"]] for r in per_product],
    )
    detail = Table(
        "sales_detail",
        _("Sales by point, product and month, %(year)s") % {"year": year},
        [_("Sales point"), _("Product"), _("Month"), _("Quantity sold"), _("Revenue (VND)"), _("Stock at month end")],
        [
            [r.point.name, r.product.name_vi, f"{r.month:%m/%Y}", r.quantity_sold, r.revenue, r.closing_stock]
            for r in point_reports.sales_rows(points, year=year)
        ],
    )
    outcomes = point_reports.inspection_outcomes(points, year=year)
    inspections = Table(
        "inspections",
        _("Inspection outcomes, %(year)s") % {"year": year},
        [_("Inspections"), _("Passed"), _("Failed"), _("Open follow-up actions")],
        [[outcomes["total"], outcomes["passed"], outcomes["failed"], outcomes["open_follow_ups"]]],
    )
    inspections.chart = charts.bar_chart(
        [(_("Passed"), outcomes["passed"]), (_("Failed"), outcomes["failed"])], title=inspections.title
    )
    failures = Table(
        "failures",
        _("Failed criteria, %(year)s") % {"year": year},
        [_("Criterion"), _("Failures")],
        [[str(r["criterion"]), r["failures"]] for r in outcomes["by_criterion"]],
    )
    listed = point_reports.listed_by_destination()
    marketplaces = Table(
        "marketplaces",
        _("Products listed on each marketplace"),
        [_("Marketplace"), _("Products listed"), _("Products")],
        [[str(r["destination"]), r["count"], ", ".join(p.name_vi for p in r["products"])] for r in listed],
    )
    marketplaces.chart = charts.bar_chart(
        [(r["destination"].name, r["count"]) for r in listed], title=marketplaces.title
    )
    return [by_status, by_point, by_month, by_product, detail, inspections, failures, marketplaces]
