"""Gift combos on the marketplaces: published as a bundle where the platform sells one at a price of its own,
else skipped with the reason logged. A combo goes out only while every item in it may be sold (the listing
rule, through ``GiftCombo.objects.visible``), at the combo's stated price."""

import dataclasses
import logging
import uuid
from decimal import Decimal

from storefront.models import GiftCombo

from .adapters import adapter_for

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Bundle:
    slug: str
    name: str
    price: Decimal
    items: tuple[tuple[str, int], ...]  # (SKU, quantity)


@dataclasses.dataclass(frozen=True)
class ComboPush:
    slug: str
    outcome: str  # pushed, skipped, not_offered
    reason: str = ""
    external_id: str = ""


def bundle_of(combo: GiftCombo) -> Bundle | None:
    """The combo as a bundle, or None when it may not be offered (an item unlistable or without a store offer)."""
    if not GiftCombo.objects.visible().filter(pk=combo.pk).exists():
        return None
    items = []
    for item in combo.items.select_related("product__store_listing"):
        listing = getattr(item.product, "store_listing", None)
        if listing is None:
            return None
        items.append((listing.sku, item.quantity))
    price = combo.sale_price()
    return Bundle(combo.slug, combo.name_vi, price, tuple(items)) if price is not None else None


def push_combos(destination, *, adapter=None) -> list[ComboPush]:
    """Offer every active combo at ``destination`` where its platform has bundles; log why not elsewhere."""
    adapter = adapter or adapter_for(destination)
    results = []
    for combo in GiftCombo.objects.filter(active=True).prefetch_related("items"):
        bundle = bundle_of(combo)
        if bundle is None:
            results.append(ComboPush(combo.slug, "not_offered", "an item may not be sold"))
            continue
        if adapter.bundles_unsupported:
            logger.info("Combo %s not pushed to %s: %s", combo.slug, destination.name, adapter.bundles_unsupported)
            results.append(ComboPush(combo.slug, "skipped", adapter.bundles_unsupported))
            continue
        external_id = adapter.push_bundle(bundle, request_id=str(uuid.uuid4()))
        results.append(ComboPush(combo.slug, "pushed", external_id=external_id))
    return results
