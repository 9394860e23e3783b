"""The Department's lists of products a sales point may stock besides OCOP products (Decision 950/QĐ-BCT).

Adding and removing entries goes through here: each change is in the audit trail, and removing a product that
is not an OCOP product takes it out of every assortment at once (``services.product_status_changed``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from catalog import audit
from catalog.models import Product
from catalog.querysets import local_today

from .models import StockListEntry
from .salespoints import services
from .salespoints.permissions import manages_all_points


def _check_department(actor) -> None:
    if not (manages_all_points(actor) and actor.has_perm("integrations.add_stocklistentry")):
        raise ValidationError(_("Only the Department of Industry and Trade keeps these lists."), code="not_allowed")


@transaction.atomic
def add_to_list(
    *, product: Product, list_code: str, actor, reference: str = "", listed_on: datetime.date | None = None
) -> StockListEntry:
    _check_department(actor)
    if list_code not in StockListEntry.List.values:
        raise ValidationError(_("Unknown list."), code="invalid")
    entry, created = StockListEntry.objects.get_or_create(
        list=list_code,
        product=product,
        removed_on__isnull=True,
        defaults={"reference": reference.strip(), "listed_on": listed_on or local_today(), "added_by": actor},
    )
    if created:
        audit.log(actor=actor, action="stock_list.added", instance=entry)
    return entry


@transaction.atomic
def remove_from_list(*, entry: StockListEntry, actor, on: datetime.date | None = None) -> list[int]:
    """End an entry; a product that may then no longer be stocked leaves every assortment (returns the points)."""
    _check_department(actor)
    entry = StockListEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.removed_on is not None:
        return []
    before = audit.snapshot(entry)
    entry.removed_on = on or local_today()
    entry.save(update_fields=["removed_on"])
    audit.log(actor=actor, action="stock_list.removed", instance=entry, before=before)
    return services.product_status_changed(product_id=entry.product_id)
