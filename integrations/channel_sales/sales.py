"""Sales across every channel in one figure and one table, by product, producer, channel and month.

Four channels, each read where it is recorded: the online store (paid Saleor orders, from its order webhooks),
the marketplaces (orders pulled through each platform's adapter, cancelled ones left out), the OCOP sales points
(the operators' monthly reports) and events (the participants' post-event reports, in the month the event ends).
Who sees which rows is the one rule: ``products`` is the caller's ``scope`` of the registry's products.
"""

import dataclasses
import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from catalog.programme.models import EventSale
from storefront.saleor_app.models import SaleorOrder, SaleorOrderLine

from ..models import SalesReport
from .models import MarketplaceOrderLine

STORE, MARKETPLACE, SALES_POINT, EVENT = "store", "marketplace", "sales_point", "event"
CHANNELS = {
    STORE: _("Online store"),
    MARKETPLACE: _("Marketplaces"),
    SALES_POINT: _("OCOP sales points"),
    EVENT: _("Fairs and events"),
}


@dataclasses.dataclass(frozen=True)
class Sale:
    channel: str
    month: datetime.date
    product_id: int
    product: str
    producer_id: int
    producer: str
    quantity: int
    revenue: Decimal

    @property
    def channel_label(self) -> str:
        return str(CHANNELS[self.channel])


def _zone():
    return ZoneInfo(settings.TIME_ZONE)


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=_zone())


def _line_total():
    return ExpressionWrapper(
        F("quantity") * F("unit_price"), output_field=DecimalField(max_digits=18, decimal_places=2)
    )


_NAMES = ("product__name_vi", "product__producer_id", "product__producer__name")


def _rows(channel: str, queryset, month_expression, quantity, revenue) -> list[Sale]:
    rows = (
        queryset.filter(product__isnull=False)
        .annotate(sale_month=month_expression)
        .values("sale_month", "product_id", *_NAMES)
        .annotate(q=Sum(quantity), r=Sum(revenue))
        .order_by()
    )
    return [
        Sale(
            channel=channel,
            month=_as_date(row["sale_month"]),
            product_id=row["product_id"],
            product=row["product__name_vi"],
            producer_id=row["product__producer_id"],
            producer=row["product__producer__name"],
            quantity=int(row["q"] or 0),
            revenue=Decimal(row["r"] or 0).quantize(Decimal(1)),
        )
        for row in rows
    ]


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def sales(start: datetime.date, end: datetime.date, *, products) -> list[Sale]:
    """Every channel's sales from ``start`` to ``end`` (inclusive) of ``products``, one row per channel, month
    and product, sorted by month, channel and product."""
    since, until = _midnight(start), _midnight(end + datetime.timedelta(days=1))
    store = SaleorOrderLine.objects.filter(
        product__in=products, order__status=SaleorOrder.Status.PAID, order__paid_at__gte=since, order__paid_at__lt=until
    )
    market = MarketplaceOrderLine.objects.filter(
        product__in=products, order__cancelled=False, order__ordered_at__gte=since, order__ordered_at__lt=until
    )
    points = SalesReport.objects.filter(product__in=products, month__gte=start.replace(day=1), month__lte=end)
    events = EventSale.objects.filter(product__in=products, participation__event__ends_on__range=(start, end))
    rows = (
        _rows(STORE, store, TruncMonth("order__paid_at", tzinfo=_zone()), "quantity", _line_total())
        + _rows(MARKETPLACE, market, TruncMonth("order__ordered_at", tzinfo=_zone()), "quantity", _line_total())
        + _rows(SALES_POINT, points, F("month"), "quantity_sold", "revenue")
        + _rows(EVENT, events, TruncMonth("participation__event__ends_on"), "quantity", "revenue")
    )
    order = list(CHANNELS)
    return sorted(rows, key=lambda s: (s.month, order.index(s.channel), s.producer, s.product))


def total(rows: list[Sale]) -> tuple[int, Decimal]:
    """The one figure: quantity and revenue (VND) over every channel."""
    return sum(row.quantity for row in rows), sum((row.revenue for row in rows), Decimal(0))


def by(rows: list[Sale], *keys: str) -> list[dict]:
    """Quantity and revenue grouped by attributes of ``Sale`` (channel, month, product, producer…), largest first
    (by month in order when grouping by month)."""
    grouped: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(getattr(row, name) for name in keys)
        entry = grouped.setdefault(key, {**dict(zip(keys, key, strict=True)), "quantity": 0, "revenue": Decimal(0)})
        entry["quantity"] += row.quantity
        entry["revenue"] += row.revenue
    values = list(grouped.values())
    if "month" in keys:
        return sorted(values, key=lambda e: tuple(str(e[k]) for k in keys))
    return sorted(values, key=lambda e: (-e["revenue"], tuple(str(e[k]) for k in keys)))


def by_channel(rows: list[Sale]) -> list[dict]:
    """Every channel, zeros included, in the fixed order."""
    found = {entry["channel"]: entry for entry in by(rows, "channel")}
    return [
        found.get(channel, {"channel": channel, "quantity": 0, "revenue": Decimal(0)}) | {"label": label}
        for channel, label in CHANNELS.items()
    ]
