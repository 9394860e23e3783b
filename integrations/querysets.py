"""Business filters of the integrations."""

from .models import SalesPoint


def sales_points_stocking(product):
    """Active sales points whose assortment includes ``product`` (only listable products are ever kept)."""
    return (
        SalesPoint.objects.filter(status=SalesPoint.Status.APPROVED, assortment__product=product)
        .distinct()
        .order_by("name")
    )
