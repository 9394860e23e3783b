"""Figures of one producer's dashboard: where its products are listed, scans of its codes, flagged codes, sales.

Every query is restricted to the producer first (its products, their lots' items), so another producer's scans
or sales can never be counted.
"""

import datetime
import zoneinfo
from collections import Counter

from django.conf import settings
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Sum
from django.db.models.functions import TruncDay, TruncMonth

from catalog.models import Product
from catalog.permissions import of_producer
from catalog.querysets import local_today
from integrations.models import Assortment, ListingState, SalesPoint, SalesReport
from storefront.saleor_app.models import SaleorOrder, SaleorOrderLine
from traceability.models import ScanEvent, SerialFlag

#: Most coarse locations listed (the rest are summed as "elsewhere").
TOP_PLACES = 15


def _zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=_zone())


def products(producer, *, today: datetime.date | None = None) -> list[dict]:
    """Each product with where it is offered: the store (``sellable``), marketplaces, sales points."""
    today = today or local_today()
    own = of_producer(Product.objects.all(), producer)
    items = list(own.select_related("store_listing").order_by("name_vi"))
    listable = set(own.listable(today).values_list("pk", flat=True))
    sellable = set(own.sellable(today).values_list("pk", flat=True))
    marketplaces, points = {}, {}
    for product_id, name in (
        ListingState.objects.filter(product__producer=producer, listed=True)
        .values_list("product_id", "destination__name")
        .order_by("destination__name")
    ):
        marketplaces.setdefault(product_id, []).append(name)
    for product_id, name in (
        Assortment.objects.filter(product__producer=producer)
        .values_list("product_id", "point__name")
        .order_by("point__name")
    ):
        points.setdefault(product_id, []).append(name)
    rows = []
    for product in items:
        offer = getattr(product, "store_listing", None)
        rows.append(
            {
                "product": product,
                "listable": product.pk in listable,
                "stars": product.certified_stars,
                "certified_until": product.certified_until,
                "offer": offer,
                "in_store": product.pk in sellable,
                "marketplaces": marketplaces.get(product.pk, []),
                "sales_points": points.get(product.pk, []),
            }
        )
    return rows


def producer_scans(producer):
    return of_producer(ScanEvent.objects.all(), producer)


def scans_by_month(producer, *, year: int) -> list[tuple[datetime.date, int]]:
    """Twelve (first day of month, scans) pairs, local time, months without scans at zero."""
    start, end = _local_midnight(datetime.date(year, 1, 1)), _local_midnight(datetime.date(year + 1, 1, 1))
    counts = {
        row["month"].date(): row["n"]
        for row in producer_scans(producer)
        .filter(scanned_at__gte=start, scanned_at__lt=end)
        .annotate(month=TruncMonth("scanned_at", tzinfo=_zone()))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return [(datetime.date(year, m, 1), counts.get(datetime.date(year, m, 1), 0)) for m in range(1, 13)]


def scans_by_day(producer, *, days: int = 30, today: datetime.date | None = None) -> list[tuple[datetime.date, int]]:
    today = today or local_today()
    first = today - datetime.timedelta(days=days - 1)
    counts = {
        row["day"].date(): row["n"]
        for row in producer_scans(producer)
        .filter(scanned_at__gte=_local_midnight(first), scanned_at__lt=_local_midnight(today + datetime.timedelta(1)))
        .annotate(day=TruncDay("scanned_at", tzinfo=_zone()))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return [(first + datetime.timedelta(n), counts.get(first + datetime.timedelta(n), 0)) for n in range(days)]


def _year_scans(producer, year: int):
    start, end = _local_midnight(datetime.date(year, 1, 1)), _local_midnight(datetime.date(year + 1, 1, 1))
    return producer_scans(producer).filter(scanned_at__gte=start, scanned_at__lt=end)


def scans_by_sales_point(producer, *, year: int) -> list[tuple[str, int]]:
    """Scans at each sales point (by the code the point's shelf labels carry); scans elsewhere last."""
    counts = dict(_year_scans(producer, year).values_list("sales_point_code").annotate(n=Count("pk")).order_by())
    names = dict(SalesPoint.objects.filter(code__in=[c for c in counts if c]).values_list("code", "name"))
    elsewhere = counts.pop("", 0)
    rows = sorted(((names.get(code, code), n) for code, n in counts.items()), key=lambda r: (-r[1], r[0]))
    return rows + ([("—", elsewhere)] if elsewhere else [])


def scans_by_location(producer, *, year: int) -> list[tuple[str, int]]:
    """Scans per coarse location (0.1°, shared only with the visitor's consent); the rest as one row."""
    counts = Counter()
    located = (
        _year_scans(producer, year)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .values_list("latitude", "longitude")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    for lat, lon, n in located:
        counts[f"{lat}, {lon}"] += n
    top = counts.most_common(TOP_PLACES)
    rest = sum(counts.values()) - sum(n for _place, n in top)
    return top + ([("…", rest)] if rest else [])


def scans_by_product(producer, *, year: int) -> list[tuple[str, int]]:
    return list(
        _year_scans(producer, year)
        .values_list("item__lot__product__name_vi")
        .annotate(n=Count("pk"))
        .order_by("-n", "item__lot__product__name_vi")
    )


def flags(producer, *, limit: int = 100):
    return (
        of_producer(SerialFlag.objects.all(), producer)
        .select_related("item__lot__product")
        .order_by("reviewed", "-flagged_at")[:limit]
    )


def _paid_lines(producer, year: int):
    start, end = _local_midnight(datetime.date(year, 1, 1)), _local_midnight(datetime.date(year + 1, 1, 1))
    return SaleorOrderLine.objects.filter(
        product__producer=producer,
        order__status=SaleorOrder.Status.PAID,
        order__paid_at__gte=start,
        order__paid_at__lt=end,
    )


_LINE_TOTAL = ExpressionWrapper(
    F("quantity") * F("unit_price"), output_field=DecimalField(max_digits=16, decimal_places=2)
)


def sales_by_month(producer, *, year: int) -> list[dict]:
    """Per month: the online store's paid orders and the sales points' reports (quantity and revenue, VND)."""
    store = {
        row["month"].date(): row
        for row in _paid_lines(producer, year)
        .annotate(month=TruncMonth("order__paid_at", tzinfo=_zone()))
        .values("month")
        .annotate(sold=Sum("quantity"), takings=Sum(_LINE_TOTAL))
        .order_by()
    }
    points = {
        row["month"]: row
        for row in SalesReport.objects.filter(product__producer=producer, month__year=year)
        .values("month")
        .annotate(quantity=Sum("quantity_sold"), revenue=Sum("revenue"))
        .order_by()
    }
    rows = []
    for m in range(1, 13):
        first = datetime.date(year, m, 1)
        s, p = store.get(first, {}), points.get(first, {})
        rows.append(
            {
                "month": first,
                "store_quantity": s.get("sold") or 0,
                "store_revenue": s.get("takings") or 0,
                "points_quantity": p.get("quantity") or 0,
                "points_revenue": p.get("revenue") or 0,
            }
        )
    return rows


def sales_by_product(producer, *, year: int) -> list[dict]:
    rows = {}
    for name, quantity, revenue in (
        _paid_lines(producer, year)
        .values_list("product__name_vi")
        .annotate(q=Sum("quantity"), r=Sum(_LINE_TOTAL))
        .order_by()
    ):
        rows.setdefault(
            name, {"product": name, "store_quantity": 0, "store_revenue": 0, "points_quantity": 0, "points_revenue": 0}
        ).update(store_quantity=quantity or 0, store_revenue=revenue or 0)
    for name, quantity, revenue in (
        SalesReport.objects.filter(product__producer=producer, month__year=year)
        .values_list("product__name_vi")
        .annotate(q=Sum("quantity_sold"), r=Sum("revenue"))
        .order_by()
    ):
        rows.setdefault(
            name, {"product": name, "store_quantity": 0, "store_revenue": 0, "points_quantity": 0, "points_revenue": 0}
        ).update(points_quantity=quantity or 0, points_revenue=revenue or 0)
    return sorted(rows.values(), key=lambda r: (-(r["store_revenue"] + r["points_revenue"]), r["product"]))


def sales_by_point(producer, *, year: int) -> list[tuple[str, int, int]]:
    return list(
        SalesReport.objects.filter(product__producer=producer, month__year=year)
        .values_list("point__name")
        .annotate(q=Sum("quantity_sold"), r=Sum("revenue"))
        .order_by("-r", "point__name")
    )
