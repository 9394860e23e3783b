"""Topics this package puts on catalog's outbox (the outbox itself lives in ``ocop.outbox.services``)."""

#: One destination delivery is due: payload ``{"delivery_id": "<uuid>"}``.
DESTINATION_SYNC = "integrations.destination_sync"
#: A sales point's assortment (or what it shows of it) changed: payload ``{"point_id": <id>}``.
SALES_POINT_CHANGED = "integrations.sales_point_changed"

#: Subscriber names (also the ``OutboxDelivery.subscriber`` values staff see).
FAN_OUT_TO_DESTINATIONS = "integrations.destinations"
PUSH_TO_DESTINATION = "integrations.push"
UPDATE_SALES_POINTS = "integrations.sales_points"
PUSH_SALES_POINT_WEBHOOK = "integrations.sales_point_webhook"
#: A producer's approved listing change → marketplaces and sales points (topic of ``storefront.events``).
APPLY_LISTING_CHANGE = "integrations.listing_change"
