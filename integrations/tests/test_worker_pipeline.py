import time

import pytest
from django.utils import timezone

from integrations.marketplaces.tests.platforms import OPTIONS
from integrations.models import ListingState
from ocop.outbox.models import OutboxDelivery
from ocop.outbox.tasks import drain_outbox
from tests.worker import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

KINDS = ["shopee", "lazada", "tiktok", "tiki"]


@pytest.fixture(autouse=True)
def reference_rows(transactional_db):
    """Another transactional test may have flushed the rows the migrations load: load them again (idempotent)."""
    from django.apps import apps

    from catalog import reference_data

    reference_data.load(apps)
    apps.get_app_config("catalog").ensure_roles()


def test_revocation_delists_everywhere_through_a_real_worker_even_after_a_crash(
    celery_worker_process, platform, make_destination, offer_for, product, certify, revoke
):
    servers = {kind: platform(kind) for kind in KINDS}
    for kind, server in servers.items():
        make_destination(kind, server.url, options=OPTIONS[kind])
    sku = offer_for(product).sku
    shopee = servers["shopee"]
    shopee.hang_path = "/api/v2/product/add_item"  # Shopee creates the listing, its answer is slow

    certify(product)
    assert shopee.arrived.wait(30), "the worker never pushed to Shopee"
    celery_worker_process.kill()  # crash while the answer is on its way: the listing id is lost
    shopee.release.set()
    # Time passes: the dead worker's leases run out (60 s) and beat drains again (every few seconds).
    OutboxDelivery.objects.filter(status="pending").update(leased_until=None, next_attempt_at=timezone.now())
    celery_worker_process.start()
    drain_outbox.delay()

    published = wait_until(lambda: all(s.listed() == {sku: True} for s in servers.values()), timeout=30)
    assert published, {kind: s.listed() for kind, s in servers.items()}
    assert len(shopee.items) == 1 and len(shopee.calls("/api/v2/product/add_item")) == 1

    started = time.monotonic()
    revoke(product)
    delisted = wait_until(lambda: all(s.listed() == {sku: False} for s in servers.values()), timeout=30)
    print(f"delisted at 4 destinations {time.monotonic() - started:.2f} s after the revocation committed")

    assert delisted, {kind: s.listed() for kind, s in servers.items()}
    assert all(len(s.items) == 1 for s in servers.values())
    assert all(s.errors == [] for s in servers.values())
    assert wait_until(lambda: not ListingState.objects.filter(listed=True).exists())
    assert (
        not OutboxDelivery.objects.filter(status=OutboxDelivery.Status.DEAD)
        .exclude(subscriber="integrations.sales_point_webhook")
        .exists()
    )
