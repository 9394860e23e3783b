"""Outbox subscribers of the Saleor app. They run in Celery (``ocop.outbox.tasks.drain_outbox``), outside any
transaction; an exception makes the outbox retry the delivery with backoff."""

from ocop.outbox.models import OutboxEvent

from . import services

GATE_SUBSCRIBER = "saleor-gate"
CHECK_SUBSCRIBER = "saleor-product-check"
LISTING_CHANGE_SUBSCRIBER = "saleor-listing-change"
SALEOR_PRODUCT_CHECK = services.SALEOR_PRODUCT_CHECK


def on_certificate_status_changed(event: OutboxEvent) -> None:
    """A product's listability may have changed: publish or unpublish it in every Saleor instance."""
    services.sync_product_everywhere(event.payload["product_id"])


def on_saleor_product_check(event: OutboxEvent) -> None:
    payload = event.payload
    services.enforce_gate(
        instance_id=payload["instance_id"],
        saleor_product_id=payload["saleor_product_id"],
        product_id=payload.get("product_id"),
    )
