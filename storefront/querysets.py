"""Business filters of the storefront, built on catalog's listing rule."""

from django.db import models

from catalog.models import Product


class GiftComboQuerySet(models.QuerySet):
    def visible(self, today=None):
        """Active combos whose every product is listable (and that have at least one product)."""
        return (
            self.filter(active=True, items__isnull=False)
            .exclude(items__product__in=Product.objects.not_listable(today))
            .distinct()
        )
