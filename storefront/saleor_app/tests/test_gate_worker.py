"""The gate end to end with a real Celery worker: a revocation reaches Saleor within 5 seconds."""

import time

import pytest

from ocop.outbox.models import OutboxDelivery
from storefront.saleor_app import handlers
from tests.worker import wait_until

pytestmark = pytest.mark.worker

UNPUBLISHED = {"isPublished": False, "isAvailableForPurchase": False, "visibleInListings": False}


@pytest.fixture
def worker_sees_fake_saleor(monkeypatch, fake_saleor):
    """The worker process inherits this environment: point it at the fake (a real HTTP server here)."""
    monkeypatch.setenv("SALEOR_API_URL", fake_saleor.url)
    return fake_saleor


def unpublished_everywhere(fake, saleor_product_id) -> bool:
    listings = fake.products[saleor_product_id]["channelListings"]
    return len(listings) == 3 and all(
        all(listing[k] is v for k, v in UNPUBLISHED.items()) for listing in listings.values()
    )


@pytest.mark.django_db(transaction=True)
def test_a_revocation_unpublishes_in_every_saleor_channel_within_5_seconds(
    worker_sees_fake_saleor, celery_worker_process, saleor_configured, synced_product, revoke_certificate
):
    from ocop.celery import app

    fake = worker_sees_fake_saleor
    # Given the product is published in Saleor, also in a channel added from the dashboard
    usd = next(cid for cid, c in fake.channels.items() if c["currencyCode"] == "USD")
    fake.products[synced_product.saleor_product_id]["channelListings"][usd] = {
        "isPublished": True,
        "isAvailableForPurchase": True,
        "visibleInListings": True,
        "availableForPurchaseAt": None,
        "publishedAt": None,
    }
    assert wait_until(lambda: app.control.ping(timeout=0.5), timeout=30), "the worker did not start"

    # When the certificate is revoked (the worker drains the outbox)
    started = time.monotonic()
    revoke_certificate(synced_product.product)

    # Then the fake Saleor received the unpublish for every channel within 5 seconds
    done = wait_until(lambda: unpublished_everywhere(fake, synced_product.saleor_product_id), timeout=5.0)
    elapsed = time.monotonic() - started
    assert done, f"not unpublished everywhere after {elapsed:.2f}s: {fake.products[synced_product.saleor_product_id]}"
    print(f"\nrevocation → unpublished in {len(fake.channels)} channels: {elapsed * 1000:.0f} ms")
    delivery = OutboxDelivery.objects.get(subscriber=handlers.GATE_SUBSCRIBER, event__payload__status="revoked")
    assert wait_until(lambda: OutboxDelivery.objects.get(pk=delivery.pk).status == OutboxDelivery.Status.DONE)
