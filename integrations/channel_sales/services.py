"""Pulling marketplace orders: each enabled marketplace's adapter lists the orders of a time range, and each is
written (again) as the platform reports it, so a repeated pull changes nothing and a cancellation is picked up."""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from integrations.marketplaces.adapters import adapter_for
from storefront.models import ProductListing

from ..models import Destination
from .models import MarketplaceOrder, MarketplaceOrderLine

logger = logging.getLogger(__name__)

#: How far back each periodic pull looks (orders change status for a while after they are placed).
LOOKBACK = datetime.timedelta(days=3)


@transaction.atomic
def record_orders(destination: Destination, orders) -> int:
    """Write ``orders`` (``adapters.base.PulledOrder``) of ``destination``; lines map to products by store SKU."""
    skus = {line.sku for order in orders for line in order.lines}
    products = dict(ProductListing.objects.filter(sku__in=skus).values_list("sku", "product_id"))
    for pulled in orders:
        order, _created = MarketplaceOrder.objects.update_or_create(
            destination=destination,
            external_id=pulled.external_id,
            defaults={"status": pulled.status[:64], "cancelled": pulled.cancelled, "ordered_at": pulled.ordered_at},
        )
        order.lines.all().delete()
        MarketplaceOrderLine.objects.bulk_create(
            MarketplaceOrderLine(
                order=order,
                product_id=products.get(line.sku),
                sku=line.sku[:64],
                quantity=line.quantity,
                unit_price=line.unit_price,
            )
            for line in pulled.lines
            if line.quantity > 0
        )
    return len(orders)


def pull_orders(destination: Destination, *, since=None, until=None, adapter=None) -> int:
    """Pull the orders of [since, until) (by default the last ``LOOKBACK``) from one marketplace."""
    until = until or timezone.now()
    since = since or until - LOOKBACK
    adapter = adapter or adapter_for(destination)
    return record_orders(destination, adapter.fetch_orders(since, until))


def pull_all() -> dict[str, int | str]:
    """Pull every enabled marketplace; one failing platform does not stop the others."""
    results: dict[str, int | str] = {}
    for destination in Destination.objects.filter(enabled=True):
        try:
            results[destination.name] = pull_orders(destination)
        except Exception as exc:  # a platform down or refusing: logged, retried at the next run
            logger.warning("Could not pull the orders of %s", destination.name, exc_info=True)
            results[destination.name] = f"{type(exc).__name__}: {exc}"
    return results
