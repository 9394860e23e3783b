"""The office's pages of sales across every channel and of the consolidated report (page, XLSX, PDF).

For the OCOP office and the Department (``catalog.view_all_records``); the products read are the reader's scope
of the registry (the one rule), so the figures never include what the reader may not see.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from catalog.models import Product
from catalog.permissions import scope
from catalog.querysets import local_today
from integrations.dashboards import charts
from integrations.dashboards.exports import Table
from integrations.salespoints.views import dashboard_response

from . import consolidated, sales
from .consolidated import Period


def _page(view):
    return login_required(
        permission_required("catalog.view_all_records", raise_exception=True)(view), login_url="applications:login"
    )


def _period(request) -> tuple[Period, int, int | None]:
    today = local_today()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = today.year
    year = year if 2000 <= year <= 2100 else today.year
    try:
        quarter = int(request.GET.get("quarter", ""))
    except ValueError:
        quarter = None
    quarter = quarter if quarter in (1, 2, 3, 4) else None
    return Period.of(year, quarter), year, quarter


def sales_tables(period: Period, *, products) -> list[Table]:
    rows = sales.sales(period.start, period.end, products=products)
    quantity, revenue = sales.total(rows)
    channels = sales.by_channel(rows)
    by_channel = Table(
        "channels",
        _("Sales by channel, %(period)s") % {"period": period.label},
        [_("Channel"), _("Quantity sold"), _("Revenue (VND)")],
        [[str(c["label"]), c["quantity"], c["revenue"]] for c in channels] + [[_("All channels"), quantity, revenue]],
    )
    by_channel.chart = charts.bar_chart(
        [(str(c["label"]), c["revenue"]) for c in channels], title=by_channel.title, money=True
    )
    producers = Table(
        "producers",
        _("Sales by producer"),
        [_("Producer"), _("Quantity sold"), _("Revenue (VND)")],
        [[e["producer"], e["quantity"], e["revenue"]] for e in sales.by(rows, "producer")],
    )
    products_table = Table(
        "products",
        _("Sales by product"),
        [_("Product"), _("Producer"), _("Quantity sold"), _("Revenue (VND)")],
        [[e["product"], e["producer"], e["quantity"], e["revenue"]] for e in sales.by(rows, "product", "producer")],
    )
    detail = Table(
        "detail",
        _("Sales by month, channel, producer and product"),
        [_("Month"), _("Channel"), _("Producer"), _("Product"), _("Quantity sold"), _("Revenue (VND)")],
        [[f"{r.month:%m/%Y}", r.channel_label, r.producer, r.product, r.quantity, r.revenue] for r in rows],
    )
    return [by_channel, producers, products_table, detail]


@_page
@require_GET
def sales_page(request):
    period, year, quarter = _period(request)
    products = scope(Product.objects.all(), request.user)
    tables = sales_tables(period, products=products)
    quantity, revenue = sales.total(sales.sales(period.start, period.end, products=products))
    return dashboard_response(
        request,
        title=_("Sales across every channel"),
        tables=tables,
        filename=f"ocop-sales-{year}",
        template="channel_sales/report.html",
        template_context={
            "year": year,
            "quarter": quarter,
            "period": period,
            "figure": {"quantity": quantity, "revenue": revenue},
        },
    )


@_page
@require_GET
def consolidated_report(request):
    period, year, quarter = _period(request)
    tables = consolidated.tables(period, products=scope(Product.objects.all(), request.user))
    title = _("OCOP programme of Đắk Lắk: report to the provincial People's Committee, %(period)s") % {
        "period": period.label
    }
    return dashboard_response(
        request,
        title=title,
        tables=tables,
        template="channel_sales/report.html",
        filename=f"ocop-report-{year}" + (f"-q{quarter}" if quarter else ""),
        template_context={"year": year, "quarter": quarter, "period": period},
    )
