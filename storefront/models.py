"""What the store sells of a certified product: price and stock, kept on our side and pushed to Saleor."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

CURRENCY = "VND"


class ProductListing(models.Model):
    """The store's offer for one registry product. Whether it may be sold is still the listing rule's call."""

    product = models.OneToOneField("catalog.Product", on_delete=models.CASCADE, related_name="store_listing")
    price = models.DecimalField(
        _("price (VND)"), max_digits=14, decimal_places=0, validators=[MinValueValidator(Decimal("0"))]
    )
    stock = models.PositiveIntegerField(_("stock"), default=0)
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    featured = models.BooleanField(_("featured on the home page"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("store listing")
        verbose_name_plural = _("store listings")

    def __str__(self):
        return f"{self.product} — {self.price} {CURRENCY}"
