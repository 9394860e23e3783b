"""Marketplace listings: planning one delivery per (destination, product), running it through the platform's
adapter, a full resync and a staff retry. Deliveries are recorded on the outbox in the caller's transaction; the
worker re-reads the database and is safe to run twice."""

import contextlib
import hashlib
import uuid

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog import audit
from catalog.models import Product
from integrations import events
from integrations.marketplaces.adapters import Rejected, adapter_for
from integrations.models import (
    DeliveryAttempt,
    Destination,
    DestinationDelivery,
    ListingState,
)
from integrations.offers import build_offer, offer_queryset
from ocop.outbox import services as outbox


def plan_deliveries(
    *, product_ids, cause: str, action: str = DestinationDelivery.Action.SYNC, destinations=None
) -> list[DestinationDelivery]:
    """One delivery per (enabled destination, product), recorded on the outbox. Idempotent on ``cause``."""
    planned = []
    with transaction.atomic():
        targets = list(destinations if destinations is not None else Destination.objects.filter(enabled=True))
        for destination in targets:
            for product_id in sorted(set(product_ids)):
                delivery, created = DestinationDelivery.objects.get_or_create(
                    cause=cause, destination=destination, product_id=product_id, defaults={"action": action}
                )
                if created:
                    delivery.outbox_event = outbox.record(
                        events.DESTINATION_SYNC, key=str(delivery.pk), payload={"delivery_id": str(delivery.pk)}
                    )
                    delivery.save(update_fields=["outbox_event"])
                planned.append(delivery)
    return planned


def full_resync(*, destination: Destination, actor) -> list[DestinationDelivery]:
    """Bring every listing at ``destination`` in line with the listing rule (publish, update or delist)."""
    with transaction.atomic():
        listable = set(Product.objects.sellable().values_list("pk", flat=True))
        listed = set(destination.listings.filter(listed=True).values_list("product_id", flat=True))
        audit.log(actor=actor, action="destination.resync", instance=destination)
        planned = plan_deliveries(
            product_ids=listable | listed, cause=f"resync:{uuid.uuid4()}", destinations=[destination]
        )
    from . import combos  # gift combos: bundles where the platform has them, else a logged reason

    combos.push_combos(destination)
    return planned


def _update_state(state: ListingState, **fields) -> None:
    for name, value in fields.items():
        setattr(state, name, value)
    state.save(update_fields=list(fields))


def _bring_in_line(delivery: DestinationDelivery, adapter) -> str:
    product = offer_queryset(Product.objects).get(pk=delivery.product_id)
    state, _created = ListingState.objects.get_or_create(destination=delivery.destination, product=product)
    offer = build_offer(product)
    request_id = delivery.request_id
    # Decided now, from the row as it is now, whatever the cause said: a late retry cannot undo a later change.
    wanted = offer is not None and product.is_listable()

    if wanted and delivery.action == DestinationDelivery.Action.STOCK_PRICE:
        if not (state.listed and state.external_id):
            return "not listed"
        adapter.update_stock_price(state.external_id, offer, request_id=request_id)
        _update_state(state, last_synced_at=timezone.now(), last_error="")
        return "stock and price updated"

    if wanted:
        external_id = state.external_id or adapter.find_listing(offer)
        if external_id:
            _update_state(state, external_id=external_id)
            adapter.update_listing(external_id, offer, request_id=request_id)
            result = "updated"
        else:
            external_id = adapter.create_listing(offer, request_id=request_id)
            _update_state(state, external_id=external_id)  # at once: a crash after this never duplicates
            result = "published"
        _update_state(state, listed=True, last_synced_at=timezone.now(), last_error="")
        # A revocation may have committed while we were publishing: never leave the product listed.
        if Product.objects.listable().filter(pk=product.pk).exists():
            return result
        result = f"{result}, then delisted (no longer listable)"
    else:
        external_id = state.external_id or (adapter.find_listing(offer) if offer is not None else None)
        if not external_id:
            _update_state(state, listed=False, last_synced_at=timezone.now(), last_error="")
            return "nothing to delist"
        _update_state(state, external_id=external_id)
        result = "delisted"
    adapter.delist(external_id, offer, request_id=request_id)
    _update_state(state, listed=False, last_synced_at=timezone.now(), last_error="")
    return result


class Busy(Exception):
    """Another worker is syncing the same listing; the outbox tries again shortly."""


@contextlib.contextmanager
def _listing_lock(destination_id: int, product_id: int):
    """One sync at a time per (destination, product), across workers: two concurrent "create"s would duplicate.

    A session-level advisory lock, held outside any transaction while the platform is called; PostgreSQL
    releases it by itself if the worker dies.
    """
    digest = hashlib.sha256(f"integrations.listing:{destination_id}:{product_id}".encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        if not cursor.fetchone()[0]:
            raise Busy(f"listing of product {product_id} at destination {destination_id} is being synced")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def run_delivery(delivery_id, *, adapter=None) -> str:
    """Run one destination delivery (called by the outbox). Raises to make the outbox retry or dead-letter."""
    delivery = DestinationDelivery.objects.select_related("destination").get(pk=delivery_id)
    with _listing_lock(delivery.destination_id, delivery.product_id):
        return _run_delivery(delivery, adapter)


def _run_delivery(delivery: DestinationDelivery, adapter) -> str:
    delivery.refresh_from_db(fields=["completed_at", "result"])
    if delivery.completed_at is not None:
        return delivery.result
    if not delivery.destination.enabled:
        result = "skipped: destination disabled"
    else:
        adapter = adapter or adapter_for(delivery.destination)
        try:
            result = _bring_in_line(delivery, adapter)
        except Exception as exc:
            permanent = isinstance(exc, Rejected)
            error = str(exc) if permanent else f"{type(exc).__name__}: {exc}"
            DeliveryAttempt.objects.create(
                delivery=delivery,
                outcome=DeliveryAttempt.Outcome.DEAD if permanent else DeliveryAttempt.Outcome.RETRY,
                operations="\n".join(adapter.operations),
                error=error,
            )
            DestinationDelivery.objects.filter(pk=delivery.pk).update(last_error=error)
            ListingState.objects.filter(destination=delivery.destination, product_id=delivery.product_id).update(
                last_error=error
            )
            if permanent:
                raise outbox.PermanentDeliveryError(error) from exc
            raise
        DeliveryAttempt.objects.create(
            delivery=delivery, outcome=DeliveryAttempt.Outcome.OK, operations="\n".join(adapter.operations)
        )
    DestinationDelivery.objects.filter(pk=delivery.pk).update(result=result, last_error="", completed_at=timezone.now())
    return result


def retry_delivery(*, delivery: DestinationDelivery, actor) -> None:
    """The staff's retry button for a dead letter."""
    outbox_delivery = delivery.outbox_delivery
    if outbox_delivery is None or outbox_delivery.status != outbox_delivery.Status.DEAD:
        raise ValidationError(_("Only a failed delivery can be retried."), code="not_dead")
    with transaction.atomic():
        audit.log(actor=actor, action="destination_delivery.retried", instance=delivery)
        outbox.retry(outbox_delivery)
