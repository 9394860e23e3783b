"""Topics the storefront puts on catalog's outbox (the outbox itself lives in ``ocop.outbox.services``)."""

import dataclasses

#: An approved (or stock-only) listing change went live: payload ``ListingChangeApplied``.
LISTING_CHANGE_APPLIED = "storefront.listing_change_applied"


@dataclasses.dataclass(frozen=True)
class ListingChangeApplied:
    product_id: int
    change_id: int
    #: Price or stock changed: marketplaces and sales points must be told.
    offer_changed: bool
    #: Description, story or image changed: the listings' content must be refreshed.
    content_changed: bool

    @property
    def cause(self) -> str:
        return f"listing-change:{self.change_id}"
