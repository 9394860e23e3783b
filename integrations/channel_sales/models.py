"""Marketplace orders as pulled from each platform through its adapter (``integrations.marketplaces.adapters``).

Store orders (``storefront.saleor_app.SaleorOrder``), sales-point reports (``integrations.SalesReport``) and event
sales (``catalog.programme.EventSale``) are recorded where they arrive; ``channel_sales.sales`` reads all four.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MarketplaceOrder(models.Model):
    destination = models.ForeignKey(
        "integrations.Destination", on_delete=models.PROTECT, related_name="orders", verbose_name=_("marketplace")
    )
    external_id = models.CharField(_("order number"), max_length=64)
    status = models.CharField(_("status on the marketplace"), max_length=64, blank=True)
    cancelled = models.BooleanField(_("cancelled or unpaid"), default=False)
    ordered_at = models.DateTimeField(_("ordered at"))
    pulled_at = models.DateTimeField(_("last pulled"), auto_now=True)

    class Meta:
        ordering = ["-ordered_at"]
        constraints = [
            models.UniqueConstraint(fields=["destination", "external_id"], name="marketplaceorder_unique_number"),
        ]
        verbose_name = _("marketplace order")
        verbose_name_plural = _("marketplace orders")

    def __str__(self):
        return f"{self.destination.name} #{self.external_id}"


class MarketplaceOrderLine(models.Model):
    scoped_through_producer = "product__producer"

    order = models.ForeignKey(MarketplaceOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="marketplace_order_lines",
        verbose_name=_("product"),
    )
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price (VND)"), max_digits=14, decimal_places=0)

    class Meta:
        verbose_name = _("marketplace order line")
        verbose_name_plural = _("marketplace order lines")

    def __str__(self):
        return f"{self.quantity} × {self.sku}"
