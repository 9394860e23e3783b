"""Business filters of the integrations."""

import datetime

from integrations.models import SalesPoint


def sales_points_stocking(product):
    """Active sales points whose assortment includes ``product`` (only listable products are ever kept)."""
    return (
        SalesPoint.objects.filter(status=SalesPoint.Status.APPROVED, assortment__product=product)
        .distinct()
        .order_by("name")
    )


#: The audit actions with which ``services`` takes a product out of a point's assortment.
ASSORTMENT_DEPARTURES = ("assortment.removed", "assortment.removed_unlistable")


def _departures(point_ids, product_ids=None):
    """(point id, product id, when) of products taken out of assortments, oldest first.

    Read from the audit trail that ``services.remove_product`` and ``product_status_changed`` write: the
    assortment row itself is deleted.
    """
    from django.contrib.contenttypes.models import ContentType

    from catalog.models import AuditLogEntry
    from integrations.models import Assortment

    entries = AuditLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Assortment),
        action__in=ASSORTMENT_DEPARTURES,
        after__point__in=sorted(point_ids),
    )
    if product_ids is not None:
        entries = entries.filter(after__product__in=sorted(product_ids))
    return entries.order_by("at").values_list("after__point", "after__product", "at")


def offered(pairs) -> dict[tuple[int, int], datetime.date | None]:
    """For (point id, product id) pairs: None while the product is in the point's assortment, the (local) day it
    last left it if it has left, and no entry if it was never offered there (so that a month's sales of a
    product revoked since can still be reported, and nothing else)."""
    from django.utils import timezone

    from integrations.models import Assortment

    pairs = set(pairs)
    if not pairs:
        return {}
    point_ids, product_ids = {p for p, _x in pairs}, {x for _p, x in pairs}
    result: dict[tuple[int, int], datetime.date | None] = {}
    for point_id, product_id, at in _departures(point_ids, product_ids):
        if (point_id, product_id) in pairs:
            result[(point_id, product_id)] = timezone.localdate(at)
    current = Assortment.objects.filter(point_id__in=point_ids, product_id__in=product_ids)
    for key in current.values_list("point_id", "product_id"):
        if key in pairs:
            result[key] = None
    return result


def offered_ever(point) -> set[int]:
    """Ids of the products in ``point``'s assortment or that were in it once."""
    current = set(point.assortment.values_list("product_id", flat=True))
    return current | {product_id for _point, product_id, _at in _departures([point.pk])}
