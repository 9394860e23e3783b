"""The sales points' notices to their operators, as message keys (see ``catalog.applications.notices``): each kind
has a subject (``<key>.subject``) and a text, rendered in the reader's language."""

from django.utils.translation import gettext_lazy as _

from catalog.applications.notices import define
from integrations.models import StockListEntry

OCOP_CLAIM_REMOVED = define(
    "salespoints.ocop_claim_removed",
    _(
        "%(product)s no longer holds a valid OCOP certificate. %(point)s may keep selling it as a product on the "
        "Department's list (%(lists)s), but without the OCOP mark or stars: replace its shelf label."
    ),
    lists=StockListEntry.List.choices,
)
define("salespoints.ocop_claim_removed.subject", _("%(product)s is no longer an OCOP product"))
REMOVED = define(
    "salespoints.removed",
    _(
        "%(product)s no longer holds a valid OCOP certificate, so it was removed from the assortment of %(point)s. "
        "Take it off the shelves and stop selling it as an OCOP product."
    ),
)
define("salespoints.removed.subject", _("%(product)s was removed from %(point)s"))
