"""The transactional outbox: events recorded with the change that causes them, delivered after commit.

A service records an event with ``record(...)`` inside its own transaction; a Celery task drains due
deliveries after commit (fast path through ``on_commit``, safety net through beat). Subscribers are
registered by other packages at start-up with ``subscribe(topic, name, handler)`` and must be
idempotent on the event id: a delivery can be repeated after a crash. Each package names its topics in
its own ``events`` module (e.g. ``catalog.events``).
"""

import dataclasses
import datetime
import logging
from collections.abc import Callable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import OutboxDelivery, OutboxEvent

logger = logging.getLogger(__name__)

#: How long a claimed delivery stays with one worker before another may take it over.
LEASE = datetime.timedelta(seconds=60)
MAX_BACKOFF = datetime.timedelta(hours=1)
FIRST_BACKOFF = datetime.timedelta(seconds=2)
MAX_ATTEMPTS = 12


class PermanentDeliveryError(Exception):
    """Raised by a handler when retrying cannot help (e.g. a 4xx answer): the delivery goes dead at once."""


Handler = Callable[[OutboxEvent], None]
_subscribers: dict[str, dict[str, Handler]] = {}
_projections: dict[str, dict[str, Handler]] = {}


def project(topic: str, name: str, handler: Handler) -> None:
    """Register a handler run inside the transaction that records the event.

    For data derived from the registry that must change atomically with it (a sales point's assortment
    shrinking with the revocation). A projection only writes to this database, never calls out; what
    must reach another system it records as an event of its own.
    """
    _projections.setdefault(topic, {})[name] = handler


def subscribe(topic: str, name: str, handler: Handler) -> None:
    _subscribers.setdefault(topic, {})[name] = handler


def unsubscribe(topic: str, name: str) -> None:
    _subscribers.get(topic, {}).pop(name, None)


def subscribers(topic: str) -> dict[str, Handler]:
    return dict(_subscribers.get(topic, {}))


def record(topic: str, key: str | int, payload) -> OutboxEvent:
    """Write an event and one delivery per subscriber, and run the projections; inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("events.record must run inside the transaction of the change it reports")
    if dataclasses.is_dataclass(payload):
        payload = dataclasses.asdict(payload)
    event = OutboxEvent.objects.create(topic=topic, key=str(key), payload=payload)
    now = timezone.now()
    OutboxDelivery.objects.bulk_create(
        OutboxDelivery(event=event, subscriber=name, next_attempt_at=now) for name in subscribers(topic)
    )
    for handler in list(_projections.get(topic, {}).values()):
        handler(event)
    _kick_drain_after_commit()
    return event


def _kick_drain_after_commit() -> None:
    """One drain per commit, however many events the transaction recorded (beat drains what this misses)."""
    connection = transaction.get_connection()
    if not any(callback is _kick_drain for _, callback, _ in connection.run_on_commit):
        transaction.on_commit(_kick_drain)


def _kick_drain():
    from .tasks import drain_outbox

    try:
        drain_outbox.delay()
    except Exception:  # the broker being down must not fail the request: beat drains later
        logger.warning("Could not queue the outbox drain; the periodic drain will deliver", exc_info=True)


def _claim() -> OutboxDelivery | None:
    """Lease the next due delivery (with its event), or None. One at a time: drains running side by side (one per
    worker process) then share the work, instead of one leasing a batch the others wait behind, and no lease can
    run out while its batch is still being delivered."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            OutboxDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("event")
            # A delivery never tried is due at once: the web process stamped it with its own clock, and a worker
            # on another host (or a second behind) must not leave a revocation waiting for the next periodic drain.
            .filter(Q(attempts=0) | Q(next_attempt_at__lte=now), status=OutboxDelivery.Status.PENDING)
            .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if delivery is not None:
            OutboxDelivery.objects.filter(pk=delivery.pk).update(leased_until=now + LEASE)
    return delivery


def backoff(attempts: int) -> datetime.timedelta:
    return min(FIRST_BACKOFF * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def deliver(delivery: OutboxDelivery) -> bool:
    """Run one delivery outside any transaction; record the outcome. Returns True when delivered."""
    handler = subscribers(delivery.event.topic).get(delivery.subscriber)
    delivery.attempts += 1
    delivery.leased_until = None
    now = timezone.now()
    try:
        if handler is None:
            raise PermanentDeliveryError(f"No subscriber named {delivery.subscriber!r} is registered")
        handler(delivery.event)
    except PermanentDeliveryError as exc:
        delivery.status = OutboxDelivery.Status.DEAD
        delivery.last_error = str(exc)
    except Exception as exc:
        logger.warning("Outbox delivery %s to %s failed", delivery.event_id, delivery.subscriber, exc_info=True)
        delivery.last_error = f"{type(exc).__name__}: {exc}"
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = OutboxDelivery.Status.DEAD
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
    else:
        delivery.status = OutboxDelivery.Status.DONE
        delivery.delivered_at = now
        delivery.last_error = ""
    delivery.save(update_fields=["attempts", "leased_until", "status", "last_error", "next_attempt_at", "delivered_at"])
    return delivery.status == OutboxDelivery.Status.DONE


def drain(limit: int = 5000) -> int:
    """Deliver what is due, up to ``limit`` deliveries. Safe to run concurrently and twice. Returns how many were
    delivered."""
    delivered = 0
    for _ in range(limit):
        delivery = _claim()
        if delivery is None:
            break
        delivered += deliver(delivery)
    return delivered


def retry(delivery: OutboxDelivery) -> None:
    """Put a dead delivery back in the queue (the staff's retry button)."""
    OutboxDelivery.objects.filter(pk=delivery.pk).update(
        status=OutboxDelivery.Status.PENDING, next_attempt_at=timezone.now(), leased_until=None, attempts=0
    )
    _kick_drain_after_commit()
