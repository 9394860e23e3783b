"""Operations of the Saleor app: setup, catalog sync, the gate, reconciliation and orders (the install: ``install``;
receiving webhooks: ``webhooks``).

Whether a product may be sold is always ``product.is_listable()`` (catalog's listing rule) plus a store
listing with a price. Nothing here calls Saleor inside an open transaction.
"""

import logging
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from catalog.models import Product
from ocop.outbox import services as outbox
from storefront.models import ProductListing

from . import documents as doc
from . import manifest
from .client import SaleorClient, SaleorError, SaleorMutationError, normalize_api_url
from .models import SaleorInstance, SaleorOrder, SaleorOrderLine, SaleorProduct, SyncReport

logger = logging.getLogger(__name__)

PRODUCT_TYPE_SLUG = "ocop"
CATEGORY_SLUG = "ocop"
EXTERNAL_REFERENCE_PREFIX = "ocop-product-"
#: Saleor attributes of the OCOP product type: slug → (name, input type).
ATTRIBUTES = {
    "ocop-stars": ("OCOP stars", "DROPDOWN"),
    "ocop-product-group": ("OCOP product group", "DROPDOWN"),
    "ocop-producer": ("OCOP producer", "PLAIN_TEXT"),
    "ocop-decision-number": ("OCOP certification decision", "PLAIN_TEXT"),
}
UNPUBLISHED = {"isPublished": False, "isAvailableForPurchase": False, "visibleInListings": False}
PUBLISHED = {"isPublished": True, "isAvailableForPurchase": True, "visibleInListings": True}

#: Outbox topic: a Saleor product may be published while it must not be; check and unpublish.
SALEOR_PRODUCT_CHECK = "saleor.product_check"


class SetupError(Exception):
    pass


def client_for(instance: SaleorInstance) -> SaleorClient:
    return SaleorClient(instance.api_url, instance.token)


def configured_api_url() -> str:
    return normalize_api_url(settings.SALEOR_API_URL) if settings.SALEOR_API_URL else ""


# --- setup -------------------------------------------------------------------------------------------


def _first_node(connection: dict | None) -> dict | None:
    edges = (connection or {}).get("edges") or []
    return edges[0]["node"] if edges else None


def _find_or_create(find, create, *, looked_up: bool = False) -> dict:
    """Find by slug, else create; when a concurrent setup (a sync and ``saleor_app_register``) created it
    meanwhile, Saleor answers UNIQUE: take the one that exists."""
    found = None if looked_up else find()
    if found is not None:
        return found
    try:
        return create()
    except SaleorMutationError as exc:
        found = find() if "UNIQUE" in exc.codes else None
        if found is None:
            raise
        return found


def ensure_setup(instance: SaleorInstance, client: SaleorClient | None = None) -> dict:
    """Find or create what the sync needs in Saleor; remember the ids on the instance."""
    if instance.setup.get("product_type") and instance.setup.get("channels"):
        return instance.setup
    client = client or client_for(instance)
    channels = client.execute(doc.CHANNELS)["channels"]
    if settings.SALEOR_CHANNELS:
        chosen = [c for c in channels if c["slug"] in settings.SALEOR_CHANNELS]
    else:
        chosen = [c for c in channels if c["currencyCode"] == "VND" and c["isActive"]]
    if not chosen:
        raise SetupError("Saleor has no active VND channel for the store (set SALEOR_CHANNELS)")
    warehouses = [w for c in chosen for w in c["warehouses"]]
    if settings.SALEOR_WAREHOUSE:
        warehouses = [w for w in warehouses if w["slug"] == settings.SALEOR_WAREHOUSE]
    if not warehouses:
        raise SetupError("No warehouse serves the store's channels (set SALEOR_WAREHOUSE)")

    category = _find_or_create(
        lambda: _first_node(client.execute(doc.CATEGORIES_BY_SLUG, {"slugs": [CATEGORY_SLUG]})["categories"]),
        lambda: client.mutate(doc.CATEGORY_CREATE, {"input": {"name": "OCOP Đắk Lắk", "slug": CATEGORY_SLUG}})[
            "category"
        ],
    )

    found = client.execute(doc.ATTRIBUTES_BY_SLUG, {"slugs": list(ATTRIBUTES)})["attributes"]["edges"]
    attributes = {edge["node"]["slug"]: edge["node"]["id"] for edge in found}
    for slug, (name, input_type) in ATTRIBUTES.items():
        if slug not in attributes:
            created = _find_or_create(
                lambda slug=slug: _first_node(client.execute(doc.ATTRIBUTES_BY_SLUG, {"slugs": [slug]})["attributes"]),
                lambda slug=slug, name=name, input_type=input_type: client.mutate(
                    doc.ATTRIBUTE_CREATE,
                    {
                        "input": {
                            "name": name,
                            "slug": slug,
                            "type": "PRODUCT_TYPE",
                            "inputType": input_type,
                            "valueRequired": False,
                            "filterableInStorefront": input_type == "DROPDOWN",
                        }
                    },
                )["attribute"],
                looked_up=True,
            )
            attributes[slug] = created["id"]

    product_type = _find_or_create(
        lambda: _first_node(client.execute(doc.PRODUCT_TYPES_BY_SLUG, {"slugs": [PRODUCT_TYPE_SLUG]})["productTypes"]),
        lambda: client.mutate(
            doc.PRODUCT_TYPE_CREATE,
            {
                "input": {
                    "name": "OCOP",
                    "slug": PRODUCT_TYPE_SLUG,
                    "kind": "NORMAL",
                    "hasVariants": False,
                    "isShippingRequired": True,
                    "productAttributes": [attributes[s] for s in ATTRIBUTES],
                }
            },
        )["productType"],
    )

    instance.setup = {
        "channels": [{"id": c["id"], "slug": c["slug"]} for c in chosen],
        "warehouse": warehouses[0]["id"],
        "category": category["id"],
        "attributes": attributes,
        "product_type": product_type["id"],
    }
    SaleorInstance.objects.filter(pk=instance.pk).update(setup=instance.setup)
    return instance.setup


def ensure_webhooks(instance: SaleorInstance, client: SaleorClient | None = None) -> list[str]:
    """Bring the webhooks Saleor keeps for our App in line with the manifest; returns the names created or updated.

    Saleor reads the manifest only when it installs the App, so an App installed by an earlier release keeps its
    old subscriptions (without the signed envelope the webhook endpoint now requires) until this runs:
    ``saleor_app_register`` calls it on every release. The app token may manage its own webhooks."""
    client = client or client_for(instance)
    app = client.execute(doc.APP_WEBHOOKS).get("app") or {}
    current = {hook["name"]: hook for hook in app.get("webhooks") or []}
    target = manifest.absolute("saleor_app:webhook")
    changed = []
    for name, event, query in manifest.WEBHOOKS:
        hook = current.get(name)
        wanted = {"targetUrl": target, "query": query, "asyncEvents": [event], "isActive": True}
        if hook is None:
            client.mutate(doc.WEBHOOK_CREATE, {"input": {"name": name, **wanted}})
        elif (hook["subscriptionQuery"], hook["targetUrl"], hook["isActive"]) != (query, target, True) or [
            e["eventType"] for e in hook["asyncEvents"]
        ] != [event]:
            client.mutate(doc.WEBHOOK_UPDATE, {"id": hook["id"], "input": wanted})
        else:
            continue
        changed.append(name)
    return changed


# --- catalog sync and the gate -----------------------------------------------------------------------


def _listing_of(product: Product) -> ProductListing | None:
    return ProductListing.objects.filter(product=product).first()


def is_sellable(product: Product, listing: ProductListing | None = None) -> bool:
    """Listable by catalog's rule, and the store has a price for it."""
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
    ids = set(Product.objects.listable().filter(store_listing__isnull=False).values_list("pk", flat=True))
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


# --- reconciliation ----------------------------------------------------------------------------------


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

    missing = (
        Product.objects.listable().filter(store_listing__isnull=False).exclude(pk__in=seen_products).order_by("pk")
    )
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


# --- webhooks ----------------------------------------------------------------------------------------


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
