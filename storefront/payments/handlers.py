"""Outbox subscribers of the payments (run by Celery after commit; an exception makes the outbox retry)."""

from decimal import Decimal

from ocop.outbox.models import OutboxEvent

from . import services

REFUND_SUBSCRIBER = "payments-refund"


def on_refund_requested(event: OutboxEvent) -> None:
    """A payment that must go back at once (revoked product, late VNPay payment): refund through the provider."""
    services.refund(event.payload["attempt_id"], Decimal(event.payload["amount"]), by="auto")
