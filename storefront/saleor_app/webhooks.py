"""Receiving Saleor's webhooks: who sent the delivery (signature), what it is and for whom (the signed envelope),
whether it was already processed (replay), then one handler.

Saleor signs the body only (a detached JWS over the raw bytes; no header is covered), so everything acted on comes
from the body, which our subscriptions make carry ``__typename issuedAt version recipient { id }``
(``documents.EVENT_ENVELOPE``):

- the event is the body's ``__typename``, never the unsigned ``Saleor-Event`` header (a header that disagrees is
  logged and ignored);
- ``recipient.id`` must be our registered App: Saleor signs every app's deliveries with the same key, so a body
  issued for another app of the same Saleor verifies too;
- ``issuedAt`` must be inside the replay window.

Replays. Saleor retries a delivery that failed (5xx or no answer) with the very same body: 5 retries, 10 s
doubling, the last about 310 s after the first attempt, later when its queue is busy; it does not retry a 4xx.
Hence:

- a delivery is accepted while its ``issuedAt`` is at most ``SALEOR_WEBHOOK_MAX_AGE`` old (900 s by default:
  Saleor's whole retry schedule, its queueing and some clock skew) and at most ``CLOCK_SKEW`` ahead;
- inside the window each processed delivery is remembered by the SHA-256 of its body (``WebhookDelivery``),
  written in the same transaction as its effect. The same body again (a replay, or Saleor retrying because our
  answer was lost) is answered 200 without effect, so Saleor stops retrying; a delivery whose processing failed
  left no row, so Saleor's retry of it is processed;
- an older delivery is refused (400) whether or not it was processed: its row may have been pruned. What it
  carried is not lost: the reconciliation (``SALEOR_RECONCILE_INTERVAL``) repairs products from Saleor's state.
"""

import datetime
import hashlib
import json
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import services, signatures
from .client import normalize_api_url
from .models import SaleorInstance, WebhookDelivery

logger = logging.getLogger(__name__)

#: How far in the future an ``issuedAt`` may be (clocks of two servers).
CLOCK_SKEW = datetime.timedelta(seconds=120)

#: The event types of our subscriptions (the ``__typename`` in the signed body) → handler and event name.
EVENTS = {
    "ProductCreated": ("product_created", services.handle_product_webhook),
    "ProductUpdated": ("product_updated", services.handle_product_webhook),
    "ProductDeleted": ("product_deleted", services.handle_product_webhook),
    "OrderFullyPaid": ("order_fully_paid", services.record_order),
    "OrderCancelled": ("order_cancelled", services.record_order),
}


class Refused(Exception):
    """The delivery is not acted on; ``status`` is the HTTP answer (401 unauthenticated, 403 not for us,
    400 not acceptable: Saleor does not retry a 4xx)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def max_age() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.SALEOR_WEBHOOK_MAX_AGE)


def receive(*, api_url: str, raw_body: bytes, signature: str, header_event: str = "") -> str:
    """Authenticate and process one delivery. Returns ``processed``, ``duplicate`` (processed before: no effect)
    or ``ignored`` (an event we do not handle); raises ``Refused``."""
    instance, payload, issued_at = authenticate(api_url=api_url, raw_body=raw_body, signature=signature)
    typename = payload["__typename"]
    if header_event and header_event.lower() != EVENTS.get(typename, (typename,))[0]:
        logger.warning("Saleor-Event header %r disagrees with the signed %s: handled as signed", header_event, typename)
    if typename not in EVENTS:
        logger.info("Saleor webhook %s ignored", typename)
        return "ignored"
    event, handler = EVENTS[typename]
    digest = hashlib.sha256(raw_body).hexdigest()
    with transaction.atomic():
        try:
            with transaction.atomic():
                WebhookDelivery.objects.create(instance=instance, digest=digest, event=event, issued_at=issued_at)
        except IntegrityError:  # a concurrent copy waits on the unique index until the first one commits
            logger.info("Saleor webhook %s issued at %s already processed: no effect", typename, issued_at)
            return "duplicate"
        handler(instance=instance, event=event, payload=payload)
    return "processed"


def authenticate(*, api_url: str, raw_body: bytes, signature: str) -> tuple[SaleorInstance, dict, datetime.datetime]:
    """Who sent the delivery and whether it is for us, now: the instance, the signed body and its ``issuedAt``.
    Raises ``Refused``. Shared by the asynchronous webhooks and the synchronous payment webhooks."""
    instance = (
        SaleorInstance.objects.filter(api_url=normalize_api_url(api_url), is_active=True).first() if api_url else None
    )
    if instance is None:
        raise Refused(401, f"unknown instance {api_url!r}")
    try:
        signatures.verify(instance, raw_body, signature)
    except signatures.InvalidSignature as exc:
        raise Refused(401, f"bad signature from {instance.api_url}: {exc}") from exc
    try:
        payload = json.loads(raw_body)
    except ValueError as exc:
        raise Refused(400, "the body is not JSON") from exc
    if not isinstance(payload, dict) or not payload.get("__typename"):
        raise Refused(400, "no __typename in the signed body (a subscription older than our manifest?)")
    typename = payload["__typename"]
    recipient = (payload.get("recipient") or {}).get("id")
    if not instance.app_id or recipient != instance.app_id:
        raise Refused(403, f"{typename} issued for app {recipient!r}, not for our app {instance.app_id!r}")
    return instance, payload, _issued_at(payload)


def _issued_at(payload: dict) -> datetime.datetime:
    raw = payload.get("issuedAt")
    try:
        issued_at = datetime.datetime.fromisoformat(raw)
    except (TypeError, ValueError) as exc:
        raise Refused(400, f"issuedAt {raw!r} is not a date and time") from exc
    if timezone.is_naive(issued_at):
        raise Refused(400, f"issuedAt {raw!r} has no time zone")
    now = timezone.now()
    if not now - max_age() <= issued_at <= now + CLOCK_SKEW:
        raise Refused(400, f"issuedAt {raw} is outside the replay window ({max_age()} back, {CLOCK_SKEW} ahead)")
    return issued_at


def prune_deliveries() -> int:
    """Forget processed deliveries older than the window: they would be refused as stale anyway."""
    deleted, _ = WebhookDelivery.objects.filter(issued_at__lt=timezone.now() - max_age()).delete()
    return deleted
