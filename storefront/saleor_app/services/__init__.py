"""Operations of the Saleor app, one module per part (the install: ``install``; receiving webhooks: ``webhooks``):
``setup`` of an instance, ``catalog_sync`` and the gate, ``reconciliation``, and what comes back from Saleor
(``incoming``: product changes and orders).

Whether a product may be sold is always ``Product.objects.sellable()`` (catalog's listing rule plus a store listing
with a price). Nothing here calls Saleor inside an open transaction.
"""

from .catalog_sync import full_sync, is_sellable, publish, sync_product, sync_product_everywhere, unpublish
from .incoming import enforce_gate, handle_product_webhook, record_order
from .reconciliation import reconcile
from .setup import (
    ATTRIBUTES,
    EXTERNAL_REFERENCE_PREFIX,
    PRODUCT_TYPE_SLUG,
    PUBLISHED,
    SALEOR_PRODUCT_CHECK,
    UNPUBLISHED,
    SetupError,
    client_for,
    configured_api_url,
    ensure_setup,
    ensure_webhooks,
)

__all__ = [
    "ATTRIBUTES",
    "EXTERNAL_REFERENCE_PREFIX",
    "PRODUCT_TYPE_SLUG",
    "PUBLISHED",
    "SALEOR_PRODUCT_CHECK",
    "UNPUBLISHED",
    "SetupError",
    "client_for",
    "configured_api_url",
    "enforce_gate",
    "ensure_setup",
    "ensure_webhooks",
    "full_sync",
    "handle_product_webhook",
    "is_sellable",
    "publish",
    "reconcile",
    "record_order",
    "sync_product",
    "sync_product_everywhere",
    "unpublish",
]
