"""Catalog sync and the gate: each product published in Saleor while it may be sold here, unpublished otherwise.

Whether a product may be sold is always ``product.is_listable()`` (catalog's listing rule) plus a store
listing with a price. Nothing here calls Saleor inside an open transaction.
"""

import logging
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from catalog.models import Product
from storefront.models import ProductListing
from storefront.saleor_app import documents as doc
from storefront.saleor_app.client import SaleorError, SaleorMutationError
from storefront.saleor_app.models import SaleorInstance, SaleorProduct, SyncReport

from .setup import EXTERNAL_REFERENCE_PREFIX, PUBLISHED, UNPUBLISHED, client_for, ensure_setup

logger = logging.getLogger(__name__)
# --- catalog sync and the gate -----------------------------------------------------------------------


def _listing_of(product: Product) -> ProductListing | None:
    return ProductListing.objects.filter(product=product).first()


def is_sellable(product: Product, listing: ProductListing | None = None) -> bool:
    """Python form of ``Product.objects.sellable()`` for one product whose listing is at hand."""
    if listing is None:
        listing = _listing_of(product)
    return listing is not None and product.is_listable()


def _attribute_values(setup: dict, product: Product) -> list[dict]:
    attrs = setup["attributes"]
    certificate = product.current_certificate
    values = [
        {"id": attrs["ocop-stars"], "dropdown": {"value": f"{product.certified_stars} sao"}},
        {
            "id": attrs["ocop-product-group"],
            "dropdown": {"value": f"{product.group.code}. {product.group.name_vi}"},
        },
        {"id": attrs["ocop-producer"], "plainText": product.producer.name},
    ]
    if certificate is not None:
        values.append({"id": attrs["ocop-decision-number"], "plainText": certificate.decision.number})
    return values


def _product_input(setup: dict, product: Product) -> dict:
    return {
        "name": product.name_vi,
        "category": setup["category"],
        "attributes": _attribute_values(setup, product),
        "metadata": [
            {"key": "ocop.product_id", "value": str(product.pk)},
            {"key": "ocop.stars", "value": str(product.certified_stars or "")},
            {
                "key": "ocop.certified_until",
                "value": product.certified_until.isoformat() if product.certified_until else "",
            },
        ],
    }


def _price(amount: Decimal) -> int | float:
    """A JSON number for PositiveDecimal (never a string)."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _create_in_saleor(instance, client, setup, product, listing) -> SaleorProduct:
    """Create the product and its variant, or adopt the one Saleor already has under our external reference
    (made by a concurrent sync, or left when our mapping was lost): never a duplicate."""
    reference = f"{EXTERNAL_REFERENCE_PREFIX}{product.pk}"
    existing = client.execute(doc.PRODUCT_BY_REFERENCE, {"externalReference": reference}).get("product")
    if existing is None:
        try:
            created = client.mutate(
                doc.PRODUCT_CREATE,
                {
                    "input": {
                        **_product_input(setup, product),
                        "productType": setup["product_type"],
                        "slug": f"{slugify(product.name_vi)[:40]}-{product.pk}".strip("-"),
                        "externalReference": reference,
                    }
                },
            )["product"]
            existing = {"id": created["id"], "variants": []}
        except SaleorMutationError as exc:
            if "UNIQUE" not in exc.codes:
                raise
            existing = client.execute(doc.PRODUCT_BY_REFERENCE, {"externalReference": reference}).get("product")
            if existing is None:
                raise
    saleor_product_id = existing["id"]
    variants = existing.get("variants") or []
    if variants:
        variant_id = variants[0]["id"]
        mapping = SaleorProduct(saleor_product_id=saleor_product_id, saleor_variant_id=variant_id)
        _update_in_saleor(client, setup, product, listing, mapping)
    else:
        variant_id = client.mutate(
            doc.VARIANT_CREATE,
            {
                "input": {
                    "product": saleor_product_id,
                    "sku": listing.sku,
                    "name": product.name_vi,
                    "attributes": [],
                    "trackInventory": True,
                    "stocks": [{"warehouse": setup["warehouse"], "quantity": listing.stock}],
                }
            },
        )["productVariant"]["id"]
    mapping, _created = SaleorProduct.objects.update_or_create(
        instance=instance,
        product=product,
        defaults={"saleor_product_id": saleor_product_id, "saleor_variant_id": variant_id, "published": False},
    )
    return mapping


def _update_in_saleor(client, setup, product, listing, mapping) -> None:
    client.mutate(doc.PRODUCT_UPDATE, {"id": mapping.saleor_product_id, "input": _product_input(setup, product)})
    client.mutate(
        doc.VARIANT_STOCKS_UPDATE,
        {
            "variantId": mapping.saleor_variant_id,
            "stocks": [{"warehouse": setup["warehouse"], "quantity": listing.stock}],
        },
    )


def publish(instance: SaleorInstance, mapping: SaleorProduct, listing: ProductListing, client=None) -> None:
    """Product listing first, then the variant's price (else PRODUCT_NOT_ASSIGNED_TO_CHANNEL)."""
    client = client or client_for(instance)
    channels = instance.channels
    client.mutate(
        doc.PRODUCT_CHANNEL_LISTING_UPDATE,
        {
            "id": mapping.saleor_product_id,
            "input": {"updateChannels": [{"channelId": c["id"], **PUBLISHED} for c in channels]},
        },
    )
    client.mutate(
        doc.VARIANT_CHANNEL_LISTING_UPDATE,
        {
            "id": mapping.saleor_variant_id,
            "input": [{"channelId": c["id"], "price": _price(listing.price)} for c in channels],
        },
    )
    SaleorProduct.objects.filter(pk=mapping.pk).update(published=True, synced_at=timezone.now())


def unpublish(instance: SaleorInstance, saleor_product_id: str, client=None) -> list[str]:
    """Make a product unpublished and unpurchasable in EVERY channel it is in. Returns the channel slugs.

    All three flags are sent: ``availableForPurchaseAt: null`` alone is silently ignored by Saleor.
    """
    client = client or client_for(instance)
    channels = {c["id"]: c["slug"] for c in instance.channels}
    current = client.execute(doc.PRODUCT_LISTINGS, {"id": saleor_product_id}).get("product")
    if current is None:  # deleted in Saleor: nothing can be sold
        SaleorProduct.objects.filter(instance=instance, saleor_product_id=saleor_product_id).delete()
        return []
    for listing in current["channelListings"] or []:
        channels[listing["channel"]["id"]] = listing["channel"]["slug"]
    client.mutate(
        doc.PRODUCT_CHANNEL_LISTING_UPDATE,
        {
            "id": saleor_product_id,
            "input": {"updateChannels": [{"channelId": cid, **UNPUBLISHED} for cid in channels]},
        },
    )
    now = timezone.now()
    SaleorProduct.objects.filter(instance=instance, saleor_product_id=saleor_product_id).update(
        published=False, unpublished_at=now, synced_at=now
    )
    logger.info("Unpublished Saleor product %s in %s", saleor_product_id, ", ".join(sorted(channels.values())))
    return sorted(channels.values())


def sync_product(*, instance: SaleorInstance, product: Product, client=None) -> str:
    """Bring one product in Saleor in line with the listing rule. Idempotent. Returns what it did."""
    client = client or client_for(instance)
    product = Product.objects.select_related("group", "producer", "current_certificate__decision").get(pk=product.pk)
    listing = _listing_of(product)
    mapping = SaleorProduct.objects.filter(instance=instance, product=product).first()
    if not is_sellable(product, listing):
        if mapping is None:
            return "skipped"
        unpublish(instance, mapping.saleor_product_id, client)
        return "unpublished"
    setup = ensure_setup(instance, client)
    action = "updated"
    if mapping is not None:
        try:
            _update_in_saleor(client, setup, product, listing, mapping)
        except SaleorMutationError as exc:
            if "NOT_FOUND" not in exc.codes:
                raise
            mapping.delete()  # deleted in Saleor's dashboard: create it again
            mapping = None
    if mapping is None:
        mapping = _create_in_saleor(instance, client, setup, product, listing)
        action = "created"
    publish(instance, mapping, listing, client)
    return action


def sync_product_everywhere(product_id: int) -> None:
    """The gate's entry point: one product, every active Saleor instance."""
    product = Product.objects.filter(pk=product_id).first()
    if product is None:
        return
    for instance in SaleorInstance.objects.filter(is_active=True):
        sync_product(instance=instance, product=product)


def full_sync(*, instance: SaleorInstance) -> SyncReport:
    report = SyncReport.objects.create(instance=instance, kind=SyncReport.Kind.FULL_SYNC)
    client = client_for(instance)
    ensure_setup(instance, client)
    ids = set(Product.objects.sellable().values_list("pk", flat=True))
    ids |= set(instance.products.values_list("product_id", flat=True))
    for product in Product.objects.filter(pk__in=ids).order_by("pk"):
        report.checked += 1
        try:
            action = sync_product(instance=instance, product=product, client=client)
        except SaleorError as exc:
            report.errors.append({"product_id": product.pk, "error": str(exc)})
            continue
        if action in ("created", "unpublished"):
            report.fixes.append({"action": action, "product_id": product.pk})
    report.finished_at = timezone.now()
    report.save()
    return report
