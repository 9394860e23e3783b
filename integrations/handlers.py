"""What the registry's and the store's events mean for the marketplaces and the sales points: the outbox
handlers (registered in ``apps.py``) and the one change that concerns both parts, an offer's price or stock."""

from django.db import transaction

from integrations.marketplaces import services as marketplaces
from integrations.models import Assortment, DestinationDelivery
from integrations.salespoints import services as salespoints


def on_certificate_status_changed(event) -> None:
    marketplaces.plan_deliveries(product_ids=[int(event.payload["product_id"])], cause=f"event:{event.pk}")


def on_certificate_status_changed_for_points(event) -> None:
    salespoints.product_status_changed(product_id=int(event.payload["product_id"]))


def on_destination_sync(event) -> None:
    marketplaces.run_delivery(event.payload["delivery_id"])


def on_sales_point_changed(event) -> None:
    salespoints.push_sales_point_webhook(point_id=int(event.payload["point_id"]), delivery_id=str(event.pk))


def on_listing_change_applied(event) -> None:
    """A producer's listing change went live: new price or stock to marketplaces and sales points, new content to
    the marketplaces' copies. Idempotent: the deliveries' causes are the change's id."""
    payload = event.payload
    product_ids = [int(payload["product_id"])]
    cause = f"listing-change:{payload['change_id']}"
    if payload.get("offer_changed"):
        offers_changed(product_ids=product_ids, cause=f"{cause}:offer")
    if payload.get("content_changed"):
        marketplaces.plan_deliveries(product_ids=product_ids, cause=f"{cause}:content")


def offers_changed(*, product_ids, cause: str) -> list[DestinationDelivery]:
    """Price or stock changed: update them where the products are listed and tell the points offering them."""
    with transaction.atomic():
        point_ids = set(Assortment.objects.filter(product_id__in=product_ids).values_list("point_id", flat=True))
        for point_id in sorted(point_ids):
            salespoints.point_changed(point_id)
        return marketplaces.plan_deliveries(
            product_ids=product_ids, cause=cause, action=DestinationDelivery.Action.STOCK_PRICE
        )
