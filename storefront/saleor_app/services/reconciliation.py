"""Reconciliation: compare what Saleor publishes with what may be sold here, and repair every drift."""

import logging

from django.utils import timezone

from catalog.models import Product
from storefront.saleor_app import documents as doc
from storefront.saleor_app.client import SaleorError
from storefront.saleor_app.models import SaleorInstance, SaleorProduct, SyncReport

from .catalog_sync import _listing_of, is_sellable, publish, sync_product, unpublish
from .setup import EXTERNAL_REFERENCE_PREFIX, client_for, ensure_setup

logger = logging.getLogger(__name__)


def _saleor_products(client, product_type: str):
    after = None
    while True:
        page = client.execute(doc.PRODUCTS_OF_TYPE, {"productTypes": [product_type], "after": after})["products"]
        for edge in page["edges"]:
            yield edge["node"]
        if not page["pageInfo"]["hasNextPage"]:
            return
        after = page["pageInfo"]["endCursor"]


def _product_id_from_reference(reference: str | None) -> int | None:
    if reference and reference.startswith(EXTERNAL_REFERENCE_PREFIX):
        tail = reference[len(EXTERNAL_REFERENCE_PREFIX) :]
        return int(tail) if tail.isdigit() else None
    return None


def reconcile(*, instance: SaleorInstance) -> SyncReport:
    """Compare what Saleor publishes (read with the app token) with what is listable; repair and report."""
    report = SyncReport.objects.create(instance=instance, kind=SyncReport.Kind.RECONCILE)
    client = client_for(instance)
    setup = ensure_setup(instance, client)
    configured = {c["id"] for c in setup["channels"]}
    mappings = {m.saleor_product_id: m for m in instance.products.select_related("product")}
    seen_products = set()

    def fix(action, saleor_product_id, product_id, **extra):
        report.fixes.append(
            {"action": action, "saleor_product_id": saleor_product_id, "product_id": product_id, **extra}
        )

    for node in _saleor_products(client, setup["product_type"]):
        report.checked += 1
        mapping = mappings.get(node["id"])
        product_id = mapping.product_id if mapping else _product_id_from_reference(node.get("externalReference"))
        product = Product.objects.filter(pk=product_id).first() if product_id else None
        live = [
            c["channel"]["slug"]
            for c in node["channelListings"] or []
            if c["isPublished"] or c["isAvailableForPurchase"] or c["visibleInListings"]
        ]
        try:
            if product is None or not is_sellable(product):
                if live:
                    unpublish(instance, node["id"], client)
                    fix("unpublished", node["id"], product_id, channels=live)
                continue
            seen_products.add(product.pk)
            if mapping is None:
                variant_id = (node["variants"] or [{}])[0].get("id", "")
                mapping, _ = SaleorProduct.objects.update_or_create(
                    instance=instance,
                    product=product,
                    defaults={"saleor_product_id": node["id"], "saleor_variant_id": variant_id},
                )
            ok = {
                c["channel"]["id"]
                for c in node["channelListings"] or []
                if c["isPublished"] and c["isAvailableForPurchase"] and c["visibleInListings"]
            }
            if configured - ok:
                publish(instance, mapping, _listing_of(product), client)
                fix("published", node["id"], product.pk)
        except SaleorError as exc:
            report.errors.append({"saleor_product_id": node["id"], "error": str(exc)})

    missing = Product.objects.sellable().exclude(pk__in=seen_products).order_by("pk")
    for product in missing:
        SaleorProduct.objects.filter(instance=instance, product=product).delete()  # gone from Saleor
        try:
            sync_product(instance=instance, product=product, client=client)
            fix("created", "", product.pk)
        except SaleorError as exc:
            report.errors.append({"product_id": product.pk, "error": str(exc)})
    report.finished_at = timezone.now()
    report.save()
    if report.fixes:
        logger.warning("Saleor reconciliation repaired %d drift(s): %s", len(report.fixes), report.fixes)
    return report
