"""Marketplaces we push listings to (Shopee, Lazada, TikTok Shop, Tiki): the destinations with their
credentials, what is listed where, and each delivery with its attempts. Deliveries ride on the outbox."""

import json
import os
import uuid

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from integrations.crypto import decrypt_json, encrypt_json


class Destination(models.Model):
    """One shop on one marketplace, with its credentials and its endpoint configuration."""

    class Kind(models.TextChoices):
        SHOPEE = "shopee", "Shopee Open Platform v2"
        LAZADA = "lazada", "Lazada Open Platform"
        TIKTOK = "tiktok", "TikTok Shop"
        TIKI = "tiki", "Tiki"

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=128, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    base_url = models.URLField(_("API base URL"), help_text=_("e.g. https://partner.shopeemobile.com"))
    auth_url = models.URLField(
        _("token endpoint base URL"), blank=True, help_text=_("Only when tokens are refreshed at another host.")
    )
    options = models.JSONField(
        _("options"),
        default=dict,
        blank=True,
        help_text=_("Platform data that is not code: category ids, API version, unconfirmed endpoint paths."),
    )
    credentials_env = models.CharField(
        _("credentials environment variable"),
        max_length=64,
        blank=True,
        help_text=_("Name of an environment variable holding the credentials as JSON; overrides the stored ones."),
    )
    credentials_encrypted = models.TextField(editable=False, blank=True)
    tokens_encrypted = models.TextField(editable=False, blank=True)
    rate_per_second = models.FloatField(_("requests per second"), default=5.0, validators=[MinValueValidator(0.01)])
    burst = models.PositiveIntegerField(_("burst"), default=5, validators=[MinValueValidator(1)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("destination")
        verbose_name_plural = _("destinations")

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def credentials(self) -> dict:
        """Static credentials (keys, ids) merged with the current tokens (which refresh on their own)."""
        stored = decrypt_json(self.credentials_encrypted)
        if self.credentials_env:
            stored.update(json.loads(os.environ.get(self.credentials_env) or "{}"))
        stored.update(decrypt_json(self.tokens_encrypted))
        return stored

    def set_credentials(self, values: dict) -> None:
        self.credentials_encrypted = encrypt_json(values)

    def set_tokens(self, values: dict) -> None:
        self.tokens_encrypted = encrypt_json(values)


class ListingState(models.Model):
    """What is listed where: one row per destination and product."""

    destination = models.ForeignKey(Destination, on_delete=models.CASCADE, related_name="listings")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="destination_listings")
    external_id = models.CharField(_("external id"), max_length=64, blank=True)
    listed = models.BooleanField(_("listed"), default=False)
    last_synced_at = models.DateTimeField(_("last sync"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["destination", "product"], name="listingstate_unique_product"),
        ]
        verbose_name = _("listing state")
        verbose_name_plural = _("listing states")

    def __str__(self):
        return f"{self.product} @ {self.destination}"


class DestinationDelivery(models.Model):
    """One job "bring this product's listing at this destination up to date", carried by the outbox."""

    class Action(models.TextChoices):
        SYNC = "sync", _("Publish or delist as the listing rule says")
        STOCK_PRICE = "stock_price", _("Update stock and price where listed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    destination = models.ForeignKey(Destination, on_delete=models.CASCADE, related_name="deliveries")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("action"), max_length=16, choices=Action.choices, default=Action.SYNC)
    #: The event that caused it (a certificate change, a resync); with the destination, the idempotency key.
    cause = models.CharField(_("cause"), max_length=64)
    outbox_event = models.OneToOneField(
        "outbox.OutboxEvent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    result = models.CharField(_("result"), max_length=128, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["cause", "destination", "product"], name="destdelivery_unique_cause"),
        ]
        verbose_name = _("destination delivery")
        verbose_name_plural = _("destination deliveries")

    def __str__(self):
        return f"{self.get_action_display()}: {self.product_id} → {self.destination}"

    @property
    def request_id(self) -> str:
        """Stable across retries: the platform (and our logs) can recognise a repeated request."""
        return str(self.id)

    @property
    def outbox_delivery(self):
        if self.outbox_event_id is None:
            return None
        return self.outbox_event.deliveries.first()


class DeliveryAttempt(models.Model):
    """One try of a delivery, with what the destination answered."""

    class Outcome(models.TextChoices):
        OK = "ok", _("Delivered")
        RETRY = "retry", _("Will retry")
        DEAD = "dead", _("Failed for good")

    delivery = models.ForeignKey(DestinationDelivery, on_delete=models.CASCADE, related_name="attempts")
    started_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    operations = models.TextField(_("operations"), blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["started_at"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M:%S} {self.get_outcome_display()}"
