"""Keeping the search index in step with the registry and the store.

- Certificate changes arrive through catalog's outbox (``CERTIFICATE_STATUS_CHANGED``): the handler
  re-indexes the product at once; a failure is retried by the outbox.
- Product and store-listing edits are queued after commit to ``storefront.tasks.index_products``.
- ``storefront.tasks.rebuild_search_index`` (beat) and ``manage.py reindex_storefront_search``
  rebuild everything, repairing whatever an edit path missed.
"""

import logging

from django.db import transaction

from catalog import events
from ocop.outbox import services as outbox

from . import get_backend

logger = logging.getLogger(__name__)

SUBSCRIBER = "storefront.search"


def on_certificate_status_changed(event) -> None:
    get_backend().index_products([event.payload["product_id"]])


def queue_reindex(product_id: int) -> None:
    def _send():
        from ..tasks import index_products

        try:
            index_products.delay([product_id])
        except Exception:  # the broker being down must not fail the edit: the periodic rebuild repairs
            logger.warning("Could not queue re-indexing of product %s", product_id, exc_info=True)

    transaction.on_commit(_send)


def _product_saved(sender, instance, **kwargs):
    queue_reindex(instance.pk)


def _listing_saved(sender, instance, **kwargs):
    queue_reindex(instance.product_id)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from catalog.models import Product

    from ..models import ProductListing

    outbox.subscribe(events.CERTIFICATE_STATUS_CHANGED, SUBSCRIBER, on_certificate_status_changed)
    post_save.connect(_product_saved, sender=Product, dispatch_uid="storefront.search.product_saved")
    post_save.connect(_listing_saved, sender=ProductListing, dispatch_uid="storefront.search.listing_saved")
    post_delete.connect(_listing_saved, sender=ProductListing, dispatch_uid="storefront.search.listing_deleted")
