import datetime
from decimal import Decimal

from django.urls import reverse

from catalog import services as catalog_services
from catalog.models import Certificate, Product
from ocop.outbox import services as outbox
from ocop.outbox.models import OutboxDelivery
from storefront.models import ProductListing
from storefront.saleor_app import documents, handlers, services
from storefront.saleor_app.models import SaleorProduct, SyncReport

UNPUBLISHED = {"isPublished": False, "isAvailableForPurchase": False, "visibleInListings": False}


def vnd_channels(fake):
    return {c["id"]: c["slug"] for c in fake.channels.values() if c["currencyCode"] == "VND"}


def listing_states(fake, saleor_product_id):
    product = fake.products[saleor_product_id]
    return {
        fake.channels[cid]["slug"]: {k: v[k] for k in ("isPublished", "isAvailableForPurchase", "visibleInListings")}
        for cid, v in product["channelListings"].items()
    }


def test_a_listable_product_is_pushed_with_its_type_attributes_sku_stock_price_and_listings(
    saleor_configured, saleor_instance, store_listing
):
    fake = saleor_configured

    action = services.sync_product(instance=saleor_instance, product=store_listing.product)

    assert action == "created"
    mapping = SaleorProduct.objects.get(product=store_listing.product)
    product = fake.products[mapping.saleor_product_id]
    assert fake.product_types[product["productType"]]["slug"] == "ocop"
    assert {a["slug"] for a in fake.product_types[product["productType"]]["productAttributes"]} == set(
        services.ATTRIBUTES
    )
    values = {a["attribute"]["slug"]: a["values"][0]["name"] for a in product["attributes"]}
    assert values["ocop-stars"] == "4 sao"
    assert values["ocop-producer"] == "HTX Cà phê Buôn Ma Thuột"
    assert values["ocop-decision-number"] == store_listing.product.current_certificate.decision.number
    variant = fake.variants[mapping.saleor_variant_id]
    assert variant["sku"] == "CF-BMT-500"
    assert variant["stocks"] == {fake.warehouse["id"]: 40}
    # Published in every VND channel (not in the USD one), priced in VND as a number
    assert set(listing_states(fake, mapping.saleor_product_id)) == {"ocop-vnd", "ocop-wholesale"}
    assert all(all(state.values()) for state in listing_states(fake, mapping.saleor_product_id).values())
    assert variant["channelListings"] == {cid: Decimal("185000") for cid in vnd_channels(fake)}
    # Product listing before variant listing (the other order fails with PRODUCT_NOT_ASSIGNED_TO_CHANNEL)
    order = [c["field"] for c in fake.calls]
    assert order.index("productChannelListingUpdate") < order.index("productVariantChannelListingUpdate")


def test_a_product_that_is_not_listable_is_not_pushed(saleor_configured, saleor_instance, product):
    ProductListing.objects.create(product=product, price=Decimal("90000"), stock=5, sku="NOT-CERT")

    assert services.sync_product(instance=saleor_instance, product=product) == "skipped"
    assert saleor_configured.products == {}


def test_a_revocation_unpublishes_the_product_in_every_channel_through_the_outbox(
    saleor_configured, synced_product, revoke_certificate
):
    fake = saleor_configured
    # Given the product is also listed in a channel someone added from Saleor's dashboard
    usd = next(cid for cid, c in fake.channels.items() if c["currencyCode"] == "USD")
    fake.products[synced_product.saleor_product_id]["channelListings"][usd] = {
        "isPublished": True,
        "isAvailableForPurchase": True,
        "visibleInListings": True,
        "availableForPurchaseAt": None,
        "publishedAt": None,
    }

    # When its certificate is revoked and the outbox is delivered
    revoke_certificate(synced_product.product)
    outbox.drain()

    # Then it is unpublished and unpurchasable in every channel, with all three flags sent
    states = listing_states(fake, synced_product.saleor_product_id)
    assert states == {"ocop-vnd": UNPUBLISHED, "ocop-wholesale": UNPUBLISHED, "default-usd": UNPUBLISHED}
    last = fake.listing_updates(synced_product.saleor_product_id)[-1]["input"]["updateChannels"]
    assert all(update | UNPUBLISHED == update for update in last)
    synced_product.refresh_from_db()
    assert synced_product.published is False
    assert (
        OutboxDelivery.objects.get(
            subscriber=handlers.GATE_SUBSCRIBER,
            event__key=str(synced_product.product_id),
            event__payload__status="revoked",
        ).status
        == OutboxDelivery.Status.DONE
    )


def test_an_expired_certificate_unpublishes_the_product(saleor_configured, synced_product):
    # Given the certificate's last valid day has passed
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    Certificate.objects.filter(product=synced_product.product).update(valid_until=yesterday)
    Product.objects.filter(pk=synced_product.product_id).update(certified_until=yesterday)

    # When the expiry job runs and the outbox is delivered
    catalog_services.record_expiries()
    outbox.drain()

    # Then the product can no longer be bought in any channel
    assert set(
        map(
            frozenset, [s.items() for s in listing_states(saleor_configured, synced_product.saleor_product_id).values()]
        )
    ) == {frozenset(UNPUBLISHED.items())}


def test_the_unpublish_is_retried_when_saleor_is_down(saleor_configured, synced_product, revoke_certificate):
    fake = saleor_configured
    fake.outage = 100
    revoke_certificate(synced_product.product)

    outbox.drain()
    delivery = OutboxDelivery.objects.get(subscriber=handlers.GATE_SUBSCRIBER, event__payload__status="revoked")
    assert delivery.status == OutboxDelivery.Status.PENDING
    assert "503" in delivery.last_error
    assert all(listing_states(fake, synced_product.saleor_product_id)[c]["isPublished"] for c in ("ocop-vnd",))

    fake.outage = 0
    OutboxDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=delivery.event.created_at)
    outbox.drain()

    delivery.refresh_from_db()
    assert delivery.status == OutboxDelivery.Status.DONE
    assert not any(s["isPublished"] for s in listing_states(fake, synced_product.saleor_product_id).values())


def post_signed(client, fake, event, body, headers):
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    return client.post(reverse("saleor_app:webhook"), data=body, content_type="application/json", **extra)


def dashboard_publish(fake, saleor_product_id):
    """What a staff member publishing the product from Saleor's dashboard does."""
    for listing in fake.products[saleor_product_id]["channelListings"].values():
        listing.update(isPublished=True, isAvailableForPurchase=True, visibleInListings=True)
    view = fake._product_view(fake.products[saleor_product_id])
    return fake.webhook("product_updated", documents.PRODUCT_UPDATED_SUBSCRIPTION, {"product": view})


def test_publishing_a_non_listable_product_from_saleor_is_undone_at_once(
    client, saleor_configured, synced_product, revoke_certificate
):
    fake = saleor_configured
    revoke_certificate(synced_product.product)
    outbox.drain()

    # When someone publishes it again in Saleor's dashboard (PRODUCT_UPDATED arrives)
    body, headers = dashboard_publish(fake, synced_product.saleor_product_id)
    response = post_signed(client, fake, "product_updated", body, headers)
    assert response.status_code == 200
    outbox.drain()

    # Then it is unpublished again in every channel
    assert not any(any(state.values()) for state in listing_states(fake, synced_product.saleor_product_id).values())


def test_a_product_updated_webhook_for_a_listable_product_changes_nothing(client, saleor_configured, synced_product):
    fake = saleor_configured
    body, headers = dashboard_publish(fake, synced_product.saleor_product_id)

    assert post_signed(client, fake, "product_updated", body, headers).status_code == 200

    assert not OutboxDelivery.objects.filter(subscriber=handlers.CHECK_SUBSCRIBER).exists()


def test_reconciliation_repairs_drift_and_reports_it(
    saleor_configured, saleor_instance, synced_product, other_product, certify
):
    fake = saleor_configured
    # Drift 1: a product no longer listable is still published in Saleor (its unpublish was lost)
    Product.objects.filter(pk=synced_product.product_id).update(certificate_revoked=True)
    # Drift 2: a listable product was unpublished in one channel from the dashboard
    certify(other_product)
    ProductListing.objects.create(product=other_product, price=Decimal("250000"), stock=3, sku="MO-EA-KAO")
    services.sync_product(instance=saleor_instance, product=other_product)
    other = SaleorProduct.objects.get(product=other_product)
    wholesale = next(cid for cid, c in fake.channels.items() if c["slug"] == "ocop-wholesale")
    fake.products[other.saleor_product_id]["channelListings"][wholesale]["isPublished"] = False

    report = services.reconcile(instance=saleor_instance)

    fixes = {(f["action"], f["product_id"]) for f in report.fixes}
    assert fixes == {("unpublished", synced_product.product_id), ("published", other_product.pk)}
    assert not any(any(s.values()) for s in listing_states(fake, synced_product.saleor_product_id).values())
    assert all(all(s.values()) for s in listing_states(fake, other.saleor_product_id).values())
    assert SyncReport.objects.get(pk=report.pk).kind == SyncReport.Kind.RECONCILE
    # A second run finds nothing left to repair
    assert services.reconcile(instance=saleor_instance).fixes == []


def test_reconciliation_recreates_a_listable_product_deleted_in_saleor(
    saleor_configured, saleor_instance, synced_product
):
    fake = saleor_configured
    del fake.products[synced_product.saleor_product_id]
    fake.variants.clear()

    report = services.reconcile(instance=saleor_instance)

    assert [(f["action"], f["product_id"]) for f in report.fixes] == [("created", synced_product.product_id)]
    mapping = SaleorProduct.objects.get(product_id=synced_product.product_id)
    assert mapping.saleor_product_id in fake.products


def test_the_full_sync_task_pushes_every_listable_product_and_reports_it(
    saleor_configured, saleor_instance, store_listing, other_product
):
    from storefront.saleor_app import tasks

    ProductListing.objects.create(product=other_product, price=Decimal("90000"), stock=5, sku="NOT-CERT")

    report = SyncReport.objects.get(pk=tasks.full_sync(saleor_instance.pk))

    assert report.fixes == [{"action": "created", "product_id": store_listing.product_id}]
    assert SaleorProduct.objects.filter(product=other_product).exists() is False
    assert tasks.reconcile_saleor() and SyncReport.objects.filter(kind=SyncReport.Kind.RECONCILE).get().fixes == []
