"""The whole flow against a real Saleor 3.23: install → sync → publish → signed webhooks → checkout (dummy
gateway and cash on delivery) → revoke → unpublished in every channel within 5 s → checkout refused. Skipped
unless these are set:

- ``SALEOR_API_URL``: e.g. ``http://127.0.0.1:8100/graphql/``; Saleor must reach this test's live server
  (127.0.0.1) for the manifest, the token exchange and the webhooks.
- ``SALEOR_STAFF_EMAIL`` / ``SALEOR_STAFF_PASSWORD``: a staff user allowed to install apps (MANAGE_APPS).
- ``SALEOR_CHANNELS``: slug of a VND channel whose warehouse ships to Vietnam (a shipping zone with VN and a
  shipping method) and that has the dummy payment gateway active.

What the test creates in Saleor (the app, the products) is deleted at the end, so it can run again; the
orders stay (Saleor keeps orders).
"""

import os
import time
import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command

from storefront.models import ProductListing
from storefront.saleor_app import checkout, documents, services, signatures, views
from storefront.saleor_app.client import SaleorClient, SaleorMutationError, normalize_api_url
from storefront.saleor_app.models import SaleorInstance, SaleorOrder, SaleorProduct
from storefront.saleor_app.services.reconciliation import _saleor_products
from tests.worker import wait_until

LIVE = os.environ.get("SALEOR_API_URL") and os.environ.get("SALEOR_STAFF_EMAIL")
pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not LIVE, reason="set SALEOR_API_URL, SALEOR_STAFF_EMAIL/PASSWORD to run against Saleor"),
]

ADDRESS = checkout.VietnamAddress(
    first_name="Lan",
    last_name="Nguyễn",
    street="12 Lê Duẩn",
    city="Buôn Ma Thuột",
    province="Đắk Lắk",
    phone="+842838221234",
)
NOT_LIVE = ("isPublished", "isAvailableForPurchase", "visibleInListings")


def staff_client(api_url: str) -> SaleorClient:
    client = SaleorClient(api_url)
    client.token = client.mutate(
        documents.STAFF_LOGIN,
        {"email": os.environ["SALEOR_STAFF_EMAIL"], "password": os.environ.get("SALEOR_STAFF_PASSWORD", "")},
    )["token"]
    return client


def our_apps(staff) -> list[dict]:
    edges = staff.execute(documents.APPS, {"search": ""})["apps"]["edges"]
    return [e["node"] for e in edges if e["node"]["identifier"] == views.APP_ID]


def delete_leftovers(staff) -> None:
    """Remove what an earlier run may have left: our app and the products of the OCOP product type."""
    for app in our_apps(staff):
        staff.execute(documents.APP_DELETE, {"id": app["id"]})
    found = staff.execute(documents.PRODUCT_TYPES_BY_SLUG, {"slugs": [services.PRODUCT_TYPE_SLUG]})["productTypes"]
    for edge in found["edges"]:
        for node in list(_saleor_products(staff, edge["node"]["id"])):
            staff.execute(documents.PRODUCT_DELETE, {"id": node["id"]})


def channel_listings(instance, saleor_product_id) -> list[dict]:
    product = SaleorClient(instance.api_url, instance.token).execute(
        documents.PRODUCT_LISTINGS, {"id": saleor_product_id}
    )["product"]
    return product["channelListings"] if product else []


def live_somewhere(instance, saleor_product_id) -> bool:
    return any(any(c[flag] for flag in NOT_LIVE) for c in channel_listings(instance, saleor_product_id))


@pytest.fixture
def verified_webhooks(monkeypatch):
    """Every webhook whose Saleor-Signature verified, as (event, instance api url); the live server runs in
    this process, so the real verification is wrapped, not replaced."""
    seen = []
    real_verify = signatures.verify

    def verify(instance, raw_body, signature):
        real_verify(instance, raw_body, signature)
        seen.append(instance.api_url)

    monkeypatch.setattr(signatures, "verify", verify)
    return seen


@pytest.fixture
def worker_env(monkeypatch):
    """The worker process inherits this environment."""
    monkeypatch.setenv("SALEOR_API_URL", os.environ["SALEOR_API_URL"])


@pytest.mark.django_db(transaction=True)
def test_install_sync_publish_revoke_unpublish_and_checkout_against_a_real_saleor(
    certified_product, revoke_certificate, live_server, settings, worker_env, celery_worker_process, verified_webhooks
):
    from ocop.celery import app as celery_app

    api_url = normalize_api_url(os.environ["SALEOR_API_URL"])
    settings.SALEOR_API_URL = api_url
    settings.PUBLIC_BASE_URL = live_server.url
    settings.SALEOR_CHANNELS = [s for s in os.environ.get("SALEOR_CHANNELS", "").split(",") if s]
    staff = staff_client(api_url)
    delete_leftovers(staff)
    ProductListing.objects.create(
        product=certified_product, price=Decimal("185000"), stock=20, sku=f"CF-BMT-LIVE-{uuid.uuid4().hex[:8]}"
    )
    assert wait_until(lambda: celery_app.control.ping(timeout=0.5), timeout=30), "the worker did not start"
    figures = {}
    instance = None
    try:
        # First start in production: ``saleor_app_register`` sends appInstall with our manifest URL; Saleor
        # fetches the manifest from the live server and POSTs the app token to its tokenTargetUrl
        started = time.monotonic()
        call_command("saleor_app_register", "--timeout", "60")
        instance = SaleorInstance.objects.filter(api_url=api_url).first()
        assert instance is not None and instance.app_id in {a["id"] for a in our_apps(staff)}
        call_command("saleor_app_register")  # every release runs it again: nothing is installed twice
        assert len(our_apps(staff)) == 1
        figures["install"] = time.monotonic() - started

        # The first full sync, queued by the install, runs in the worker: the product is published in Saleor
        mapping = wait_until(
            lambda: SaleorProduct.objects.filter(instance=instance, product=certified_product, published=True).first(),
            timeout=60,
        )
        assert mapping is not None, "the first full sync did not publish the product"
        figures["install → published"] = time.monotonic() - started
        instance.refresh_from_db()
        listings = channel_listings(instance, mapping.saleor_product_id)
        assert {c["channel"]["slug"] for c in listings} == {c["slug"] for c in instance.channels}
        assert all(c["isPublished"] and c["isAvailableForPurchase"] and c["visibleInListings"] for c in listings)

        # Saleor's signed webhooks (product created/updated) arrive and verify against its JWKS
        assert wait_until(lambda: verified_webhooks, timeout=30), "no signed webhook from Saleor verified"

        # Checkout through the dummy gateway: a real, paid order, recorded from the ORDER_FULLY_PAID webhook
        created = checkout.create_checkout(lines=[(certified_product, 2)], email="lan@example.vn", address=ADDRESS)
        assert Decimal(str(created["totalPrice"]["gross"]["amount"])) == Decimal("370000")
        chosen = checkout.set_delivery_method(
            checkout_id=created["id"], delivery_method_id=created["shippingMethods"][0]["id"]
        )
        assert Decimal(str(chosen["totalPrice"]["gross"]["amount"])) > Decimal("370000")  # + shipping
        paid = checkout.complete_checkout(checkout_id=created["id"], payment=checkout.PaymentMethod.DUMMY)
        assert paid["number"] and paid["userEmail"] == "lan@example.vn"
        recorded = wait_until(
            lambda: SaleorOrder.objects.filter(instance=instance, number=str(paid["number"])).first(), timeout=30
        )
        assert recorded is not None and recorded.status == SaleorOrder.Status.PAID
        assert [(line.product_id, line.quantity) for line in recorded.lines.all()] == [(certified_product.pk, 2)]
        found = checkout.find_order(email="LAN@example.vn", number=str(paid["number"]))
        assert found is not None and found.number == str(paid["number"])
        assert checkout.find_order(email="other@example.vn", number=str(paid["number"])) is None

        # Cash on delivery: the app turns the checkout into an unconfirmed order
        cod = checkout.create_checkout(lines=[(certified_product, 1)], email="lan@example.vn", address=ADDRESS)
        checkout.set_delivery_method(checkout_id=cod["id"], delivery_method_id=cod["shippingMethods"][0]["id"])
        unpaid = checkout.complete_checkout(checkout_id=cod["id"], payment=checkout.PaymentMethod.CASH_ON_DELIVERY)
        assert unpaid["number"] and unpaid["status"] in ("UNCONFIRMED", "UNFULFILLED")

        # A checkout prepared before the revocation
        pending = checkout.create_checkout(lines=[(certified_product, 1)], email="lan@example.vn", address=ADDRESS)
        checkout.set_delivery_method(checkout_id=pending["id"], delivery_method_id=pending["shippingMethods"][0]["id"])

        # Revoke: unpublished and unpurchasable in every channel within 5 seconds (real worker, real Saleor)
        started = time.monotonic()
        revoke_certificate(certified_product)
        gone = wait_until(lambda: not live_somewhere(instance, mapping.saleor_product_id), timeout=5.0, interval=0.1)
        figures["revoke → unpublished"] = time.monotonic() - started
        assert gone, f"still live after 5 s: {channel_listings(instance, mapping.saleor_product_id)}"

        # The prepared checkout can no longer be completed: refused by the app, and by Saleor itself
        with pytest.raises(checkout.CheckoutRefused) as refused:
            checkout.complete_checkout(checkout_id=pending["id"], payment=checkout.PaymentMethod.DUMMY)
        assert refused.value.code == "PRODUCT_UNAVAILABLE"
        storefront = SaleorClient(api_url)
        with pytest.raises(SaleorMutationError):
            storefront.mutate(documents.CHECKOUT_COMPLETE, {"id": pending["id"]}, auth=False)
        with pytest.raises(checkout.CheckoutRefused):
            checkout.create_checkout(lines=[(certified_product, 1)], email="lan@example.vn", address=ADDRESS)

        # Someone publishes it again from Saleor's dashboard: the signed PRODUCT_UPDATED webhook unpublishes it
        staff = staff_client(api_url)
        started = time.monotonic()
        staff.mutate(
            documents.PRODUCT_CHANNEL_LISTING_UPDATE,
            {
                "id": mapping.saleor_product_id,
                "input": {"updateChannels": [{"channelId": c["id"], **services.PUBLISHED} for c in instance.channels]},
            },
        )
        assert live_somewhere(instance, mapping.saleor_product_id)
        gone = wait_until(lambda: not live_somewhere(instance, mapping.saleor_product_id), timeout=30, interval=0.1)
        figures["dashboard publish → unpublished again"] = time.monotonic() - started
        assert gone, "the product published from the dashboard stayed published"
    finally:
        print("\nlive Saleor figures: " + ", ".join(f"{k}: {v:.2f}s" for k, v in figures.items()))
        staff = staff_client(api_url)
        delete_leftovers(staff)
