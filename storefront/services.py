"""State changes of the storefront: producers' listing changes and the OCOP office's review of them.

A change goes live only through ``approve_change`` (or, for stock alone, at once): one transaction applies it
to the product and its store listing, records ``LISTING_CHANGE_APPLIED`` on catalog's outbox (marketplaces,
sales points and Saleor follow from there) and notifies the producer; the search index is re-queued after
commit by the product/listing save hooks of ``storefront.search.index``.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog import audit
from catalog.applications.services import notify_producer
from catalog.models import Product
from ocop.outbox import services as outbox

from . import events, notices
from .models import ListingChange, ProductListing

#: What a producer may propose about its product (reviewed by the OCOP office); ``brand``: the brand or trademark
#: (nhãn hiệu) Circular 02/2024/TT-BKHCN asks the label and the traceability page to carry.
CONTENT_FIELDS = ("brand", "description_vi", "description_en", "story_vi", "story_en")
OFFER_FIELDS = ("price", "stock")
Status = ListingChange.Status


def _refuse(message, code="invalid", field=None, **params):
    error = ValidationError(message, code=code, params=params or None)
    raise ValidationError({field: error}) if field else error


def live_values(product: Product, listing: ProductListing | None) -> dict:
    values = {name: getattr(product, name) for name in CONTENT_FIELDS}
    values["image"] = product.image.name or ""
    values["price"] = str(listing.price) if listing else None
    values["stock"] = listing.stock if listing else None
    return values


def proposed_fields(change: ListingChange) -> list[str]:
    names = [name for name in CONTENT_FIELDS + OFFER_FIELDS if getattr(change, name) is not None]
    return names + (["image"] if change.image else [])


def default_sku(product: Product) -> str:
    return f"OCOP-DL-{product.pk:05d}"


def producer_changes(producer):
    return ListingChange.objects.filter(product__producer=producer)


@transaction.atomic
def propose_change(*, producer, product: Product, actor, image=None, **values) -> ListingChange:
    """Record what the producer wants changed (only what differs from the live listing).

    Stock alone goes live at once, as on the marketplaces: it is a fact about the warehouse, not a claim to
    consumers, and a stale count oversells. Everything else, prices included, waits for the OCOP office.
    """
    if product.producer_id != producer.pk:
        _refuse(_("Choose one of your own products."), field="product")
    product = Product.objects.select_for_update().get(pk=product.pk)
    listing = ProductListing.objects.filter(product=product).first()
    live = live_values(product, listing)
    proposed = {}
    for name in CONTENT_FIELDS:
        value = values.get(name)
        if value is not None and value.strip() != (live[name] or "").strip():
            proposed[name] = value.strip()
    price, stock = values.get("price"), values.get("stock")
    if price is not None and (listing is None or Decimal(price) != listing.price):
        proposed["price"] = Decimal(price)
    if stock is not None and (listing is None or stock != listing.stock):
        proposed["stock"] = stock
    if not proposed and not image:
        _refuse(_("Nothing differs from the live listing."), code="nothing_changed")
    if "stock" in proposed and listing is None and "price" not in proposed:
        _refuse(_("Set a price first: the store needs one to list the product."), code="price_required", field="price")
    if ListingChange.objects.filter(product=product, status=Status.PENDING).exists():
        _refuse(_("A change of this product is already waiting for review."), code="pending")
    change = ListingChange(product=product, proposed_by=actor, live_before=live, **proposed)
    if image:
        change.image = image
    change.full_clean(exclude=["product", "proposed_by", "reviewer"])
    change.save()
    audit.log(actor=actor, action="listing_change.proposed", instance=change)
    if set(proposed) == {"stock"} and not image:
        _apply(change, reviewer=None, comment="")  # shown as "Stock updates go live without review."
    return change


@transaction.atomic
def approve_change(*, change: ListingChange, actor, comment: str = "") -> ListingChange:
    change = _lock_pending(change)
    _apply(change, reviewer=actor, comment=comment)
    notify_producer(
        change.product.producer,
        key=notices.CHANGE_APPROVED,
        params={"product": change.product.names},
        link=reverse("listings:mine"),
    )
    return change


@transaction.atomic
def reject_change(*, change: ListingChange, actor, comment: str) -> ListingChange:
    if not (comment or "").strip():
        _refuse(_("Tell the producer why the change is rejected."), code="comment_required", field="comment")
    change = _lock_pending(change)
    change.status, change.reviewer, change.reviewed_at = Status.REJECTED, actor, timezone.now()
    change.comment = comment.strip()
    change.save(update_fields=["status", "reviewer", "reviewed_at", "comment"])
    audit.log(actor=actor, action="listing_change.rejected", instance=change)
    notify_producer(
        change.product.producer,
        key=notices.CHANGE_REJECTED,
        params={"product": change.product.names, "comment": change.comment},
        link=reverse("listings:mine"),
    )
    return change


def _lock_pending(change: ListingChange) -> ListingChange:
    change = ListingChange.objects.select_for_update().select_related("product__producer").get(pk=change.pk)
    if change.status != Status.PENDING:
        _refuse(_("This change was already reviewed."), code="already_reviewed")
    return change


def _apply(change: ListingChange, *, reviewer, comment: str) -> None:
    """Make the change live (inside the caller's transaction) and record what must follow."""
    product = Product.objects.select_for_update().get(pk=change.product_id)
    content = [name for name in CONTENT_FIELDS if getattr(change, name) is not None]
    before = audit.snapshot(product)
    for name in content:
        setattr(product, name, getattr(change, name))
    if change.image:
        # Published as a copy re-encoded without metadata (EXIF, GPS) under a new random public name; the proposed
        # file stays private with the change.
        with change.image.open("rb") as proposed:
            product.image.save(change.image.name, File(proposed), save=False)
        content.append("image")
    if content:
        product.save(update_fields=[*content, "updated_at"])
        audit.log(actor=reviewer, action="product.content_changed", instance=product, before=before)
    offer_changed = change.price is not None or change.stock is not None
    if offer_changed:
        listing = ProductListing.objects.select_for_update().filter(product=product).first()
        if listing is None:
            listing = ProductListing(product=product, sku=default_sku(product), price=change.price)
        if change.price is not None:
            listing.price = change.price
        if change.stock is not None:
            listing.stock = change.stock
        listing.save()
    change.status, change.reviewer, change.reviewed_at = Status.APPROVED, reviewer, timezone.now()
    change.comment = comment
    change.save(update_fields=["status", "reviewer", "reviewed_at", "comment"])
    audit.log(actor=reviewer, action="listing_change.approved", instance=change)
    outbox.record(
        events.LISTING_CHANGE_APPLIED,
        key=product.pk,
        payload=events.ListingChangeApplied(
            product_id=product.pk,
            change_id=change.pk,
            offer_changed=offer_changed,
            content_changed=bool(content),
        ),
    )
