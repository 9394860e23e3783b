"""What Saleor tells us, acted on: product changes checked against the gate (unpublish what may not be sold)
and orders recorded with their lines."""

from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from catalog.models import Product
from ocop.outbox import services as outbox
from storefront.models import ProductListing
from storefront.saleor_app.models import SaleorInstance, SaleorOrder, SaleorOrderLine, SaleorProduct

from .catalog_sync import is_sellable, unpublish
from .reconciliation import _product_id_from_reference
from .setup import SALEOR_PRODUCT_CHECK


def handle_product_webhook(*, instance: SaleorInstance, event: str, payload: dict) -> bool:
    """React to PRODUCT_CREATED/UPDATED/DELETED. Returns True when an unpublish was queued."""
    product_data = (payload or {}).get("product") or {}
    saleor_id = product_data.get("id")
    if not saleor_id:
        return False
    if event == "product_deleted":
        SaleorProduct.objects.filter(instance=instance, saleor_product_id=saleor_id).delete()
        return False
    mapping = SaleorProduct.objects.filter(instance=instance, saleor_product_id=saleor_id).first()
    product_id = mapping.product_id if mapping else _product_id_from_reference(product_data.get("externalReference"))
    if product_id is None:
        return False  # not one of ours
    listings = product_data.get("channelListings")
    live = listings is None or any(
        c.get("isPublished") or c.get("isAvailableForPurchase") or c.get("visibleInListings") for c in listings
    )
    product = Product.objects.filter(pk=product_id).first()
    if not live or (product is not None and is_sellable(product)):
        return False
    with transaction.atomic():
        outbox.record(
            SALEOR_PRODUCT_CHECK,
            key=saleor_id,
            payload={"instance_id": instance.pk, "saleor_product_id": saleor_id, "product_id": product_id},
        )
    return True


def enforce_gate(*, instance_id: int, saleor_product_id: str, product_id: int | None) -> list[str]:
    """Unpublish a Saleor product unless its registry product is sellable now (re-checked)."""
    instance = SaleorInstance.objects.filter(pk=instance_id, is_active=True).first()
    if instance is None:
        return []
    product = Product.objects.filter(pk=product_id).first() if product_id else None
    if product is not None and is_sellable(product):
        return []
    return unpublish(instance, saleor_product_id)


def _money(value: dict | None) -> tuple[Decimal | None, str]:
    gross = (value or {}).get("gross") or {}
    amount = gross.get("amount")
    return (Decimal(str(amount)) if amount is not None else None), gross.get("currency", "")


def record_order(*, instance: SaleorInstance, event: str, payload: dict) -> SaleorOrder:
    """Record ORDER_FULLY_PAID / ORDER_CANCELLED against the products (later the lots) sold. Idempotent."""
    data = payload["order"]
    status = SaleorOrder.Status.CANCELLED if event == "order_cancelled" else SaleorOrder.Status.PAID
    total, currency = _money(data.get("total"))
    now = timezone.now()
    with transaction.atomic():
        order, created = SaleorOrder.objects.select_for_update().get_or_create(
            instance=instance,
            saleor_id=data["id"],
            defaults={"number": str(data.get("number", "")), "status": status},
        )
        order.number = str(data.get("number", order.number))
        order.email = data.get("userEmail") or order.email
        order.status = status
        order.total, order.currency = (total, currency) if total is not None else (order.total, order.currency)
        if status == SaleorOrder.Status.PAID:
            order.paid_at = order.paid_at or now
        else:
            order.cancelled_at = order.cancelled_at or now
        order.payload = payload
        order.save()
        if created or status == SaleorOrder.Status.PAID:
            order.lines.all().delete()
            SaleorOrderLine.objects.bulk_create(_order_line(instance, order, line) for line in data.get("lines") or [])
    return order


def _order_line(instance, order, line) -> SaleorOrderLine:
    variant_id = (line.get("variant") or {}).get("id") or ""
    sku = line.get("productSku") or ""
    mapping = (
        SaleorProduct.objects.filter(instance=instance, saleor_variant_id=variant_id).first() if variant_id else None
    )
    product_id = (
        mapping.product_id
        if mapping
        else (ProductListing.objects.filter(sku=sku).values_list("product_id", flat=True).first() if sku else None)
    )
    unit_price, currency = _money(line.get("unitPrice"))
    return SaleorOrderLine(
        order=order,
        product_id=product_id,
        saleor_variant_id=variant_id,
        sku=sku,
        quantity=line.get("quantity") or 0,
        unit_price=unit_price,
        currency=currency,
        lot_number=_current_lot_number(product_id, order),
    )


def _current_lot_number(product_id: int | None, order: SaleorOrder) -> str:
    """The lot the goods came from, when traceability can tell without guessing: the product's only lot
    produced by the order date and not expired then. Several current lots (or none): left blank."""
    if product_id is None or not apps.is_installed("traceability"):
        return ""
    from traceability.models import Lot

    day = timezone.localdate(order.paid_at or timezone.now())
    numbers = list(
        Lot.objects.filter(product_id=product_id, produced_on__lte=day)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
        .values_list("number", flat=True)[:2]
    )
    return numbers[0] if len(numbers) == 1 else ""
