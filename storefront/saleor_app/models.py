"""What the Saleor app keeps: installed Saleor instances, the product mapping, orders and sync reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import encryption


class EncryptedAppToken(models.Model):
    """An app token Saleor gave us, stored encrypted (``SALEOR_APP_ENCRYPTION_KEY``)."""

    token_encrypted = models.TextField(editable=False)

    class Meta:
        abstract = True

    @property
    def token(self) -> str:
        return encryption.decrypt(self.token_encrypted)

    @token.setter
    def token(self, value: str) -> None:
        self.token_encrypted = encryption.encrypt(value)


class SaleorInstance(EncryptedAppToken):
    """One Saleor server that installed the app. Its app token is stored encrypted.

    ``app_id`` pins the App the operator registered: webhooks must be addressed to it and a token of another
    App never replaces this one (see ``install``).
    """

    api_url = models.URLField(_("API URL"), unique=True)
    domain = models.CharField(_("domain"), max_length=255, blank=True)
    app_id = models.CharField(_("app id in Saleor"), max_length=64, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    #: Ids of what the app set up in Saleor: channels, warehouse, category, attributes, product type.
    setup = models.JSONField(_("setup"), default=dict, blank=True, editable=False)
    #: The last JWKS fetched from the instance, used to verify webhook signatures.
    jwks = models.JSONField(default=dict, blank=True, editable=False)
    jwks_fetched_at = models.DateTimeField(null=True, blank=True, editable=False)
    installed_at = models.DateTimeField(_("installed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Saleor instance")
        verbose_name_plural = _("Saleor instances")

    def __str__(self):
        return self.api_url

    @property
    def channels(self) -> list[dict]:
        return self.setup.get("channels", [])


class PendingInstall(EncryptedAppToken):
    """An app token POSTed to the install endpoint that is not the app's token: the first install, or a second
    install of our App. It replaces nothing until it is accepted, by staff (admin action) or by
    ``saleor_app_register``, which checks the App with Saleor's staff API."""

    api_url = models.URLField(_("API URL"))
    domain = models.CharField(_("domain"), max_length=255, blank=True)
    app_id = models.CharField(_("app id in Saleor"), max_length=64)
    app_identifier = models.CharField(_("app identifier"), max_length=255)
    app_name = models.CharField(_("app name"), max_length=255, blank=True)
    permissions = models.JSONField(_("permissions"), default=list)
    received_from = models.GenericIPAddressField(_("received from"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["api_url", "app_id"], name="pendinginstall_unique_app"),
        ]
        permissions = [("accept_pendinginstall", _("Can accept a pending Saleor app install"))]
        verbose_name = _("pending Saleor app install")
        verbose_name_plural = _("pending Saleor app installs")

    def __str__(self):
        return f"{self.app_id} @ {self.api_url}"


class WebhookDelivery(models.Model):
    """A webhook delivery that was processed, kept while its ``issuedAt`` is inside the replay window: the same
    delivery posted again (a replay, or Saleor retrying after our answer was lost) is then answered without
    effect. Older rows are pruned (``tasks.prune_webhook_deliveries``): such deliveries are refused as stale."""

    instance = models.ForeignKey(SaleorInstance, on_delete=models.CASCADE, related_name="deliveries")
    digest = models.CharField(_("SHA-256 of the signed body"), max_length=64)
    event = models.CharField(_("event"), max_length=64)
    issued_at = models.DateTimeField(_("issued at"), db_index=True)
    processed_at = models.DateTimeField(_("processed at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["instance", "digest"], name="webhookdelivery_unique_digest"),
        ]
        verbose_name = _("processed Saleor webhook")
        verbose_name_plural = _("processed Saleor webhooks")

    def __str__(self):
        return f"{self.event} {self.issued_at:%Y-%m-%d %H:%M:%S}"


class SaleorProduct(models.Model):
    """A registry product as it exists in one Saleor instance."""

    instance = models.ForeignKey(SaleorInstance, on_delete=models.CASCADE, related_name="products")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="saleor_products")
    saleor_product_id = models.CharField(_("Saleor product id"), max_length=128)
    saleor_variant_id = models.CharField(_("Saleor variant id"), max_length=128, blank=True)
    published = models.BooleanField(_("published"), default=False)
    synced_at = models.DateTimeField(_("last synced"), null=True, blank=True)
    unpublished_at = models.DateTimeField(_("last unpublished"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["instance", "product"], name="saleorproduct_unique_product"),
            models.UniqueConstraint(fields=["instance", "saleor_product_id"], name="saleorproduct_unique_saleor_id"),
        ]
        indexes = [models.Index(fields=["instance", "saleor_variant_id"])]
        verbose_name = _("product in Saleor")
        verbose_name_plural = _("products in Saleor")

    def __str__(self):
        return f"{self.product} → {self.saleor_product_id}"


class SaleorOrder(models.Model):
    class Status(models.TextChoices):
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    instance = models.ForeignKey(SaleorInstance, on_delete=models.PROTECT, related_name="orders")
    saleor_id = models.CharField(_("Saleor order id"), max_length=128)
    number = models.CharField(_("order number"), max_length=32)
    email = models.EmailField(_("customer email"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    payload = models.JSONField(_("last webhook payload"), default=dict, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["instance", "saleor_id"], name="saleororder_unique_saleor_id"),
        ]
        indexes = [models.Index(fields=["email", "number"])]
        verbose_name = _("store order")
        verbose_name_plural = _("store orders")

    def __str__(self):
        return f"#{self.number} ({self.get_status_display()})"


class SaleorOrderLine(models.Model):
    order = models.ForeignKey(SaleorOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="saleor_order_lines"
    )
    saleor_variant_id = models.CharField(max_length=128, blank=True)
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    #: The lot the goods came from, for traceability; filled once lots are assigned (no FK yet).
    lot_number = models.CharField(_("lot number"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("store order line")
        verbose_name_plural = _("store order lines")

    def __str__(self):
        return f"{self.quantity} × {self.sku or self.saleor_variant_id}"


class SyncReport(models.Model):
    """What a full sync or a reconciliation run found and repaired."""

    class Kind(models.TextChoices):
        FULL_SYNC = "full_sync", _("Full sync")
        RECONCILE = "reconcile", _("Reconciliation")

    instance = models.ForeignKey(SaleorInstance, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    checked = models.PositiveIntegerField(_("products checked"), default=0)
    #: One entry per repair: {"action": "unpublished"|"published"|"created", "product_id", ...}
    fixes = models.JSONField(_("repairs"), default=list)
    errors = models.JSONField(_("errors"), default=list)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("Saleor sync report")
        verbose_name_plural = _("Saleor sync reports")

    def __str__(self):
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}: {len(self.fixes)}"
