"""What the payments App keeps: one ``PaymentAttempt`` per Saleor transaction we were asked to open, and every
provider notification received (``ProviderNotification``), unique per provider and provider id: a notification
delivered twice is recognised and has no second effect. Every change of an attempt is also written to the
append-only audit trail (``catalog.audit``)."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    VIETQR = "vietqr", _("Bank transfer (VietQR)")
    VNPAY = "vnpay", _("VNPay")


class PaymentAttempt(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for payment")
        PARTIALLY_PAID = "partially_paid", _("Partially paid")
        PAID = "paid", _("Paid")
        REFUND_PENDING = "refund_pending", _("Refund pending")
        REFUNDED = "refunded", _("Refunded")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Failed")

    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    #: Our reference: the VietQR transfer's purpose, VNPay's vnp_TxnRef. Letters and digits only.
    reference = models.CharField(_("reference"), max_length=32, unique=True)
    saleor_api_url = models.URLField(_("Saleor API URL"))
    saleor_transaction_id = models.CharField(_("Saleor transaction"), max_length=255, unique=True)
    saleor_checkout_id = models.CharField(_("Saleor checkout"), max_length=255, db_index=True)
    #: Saleor's idempotency key of the transactionInitialize call that opened this attempt.
    idempotency_key = models.CharField(_("idempotency key"), max_length=512)
    email = models.EmailField(_("customer email"), blank=True)
    #: The registry products the checkout holds, re-checked against the listing rule when the money arrives.
    product_ids = models.JSONField(default=list)
    amount = models.DecimalField(_("amount (VND)"), max_digits=14, decimal_places=0)
    received = models.DecimalField(_("received (VND)"), max_digits=14, decimal_places=0, default=Decimal(0))
    #: Money received that must go back to the payer (surplus, late transfer, revoked product).
    refund_due = models.DecimalField(_("refund due (VND)"), max_digits=14, decimal_places=0, default=Decimal(0))
    #: The part of ``refund_due`` that Saleor counts as charged (a refund Saleor asked for, a partial payment that
    #: expired): paying it back is reported to Saleor. A surplus or a late transfer was never charged there.
    refund_due_charged = models.DecimalField(max_digits=14, decimal_places=0, default=Decimal(0))
    refunded = models.DecimalField(_("refunded (VND)"), max_digits=14, decimal_places=0, default=Decimal(0))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    #: Why the attempt ended the way it did, as a message key (``messages.OUTCOMES``), never a sentence.
    outcome = models.CharField(_("outcome"), max_length=32, blank=True)
    provider_transaction_no = models.CharField(_("provider transaction no."), max_length=64, blank=True)
    #: VNPay's vnp_CreateDate of the payment request (querydr and refund name the payment by it).
    provider_created = models.CharField(max_length=14, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["saleor_checkout_id", "idempotency_key"], name="paymentattempt_unique_idempotency"
            ),
            models.CheckConstraint(condition=models.Q(received__gte=0), name="paymentattempt_received_positive"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]
        verbose_name = _("payment attempt")
        verbose_name_plural = _("payment attempts")

    def __str__(self):
        return f"{self.reference} ({self.get_status_display()})"

    @property
    def outstanding(self) -> Decimal:
        return max(self.amount - self.received, Decimal(0))


class ProviderNotification(models.Model):
    """A notification from a provider (a bank transfer, a VNPay IPN or return, a querydr answer), kept with what
    it did. ``(provider, external_id)`` is unique: a second delivery of the same notification does nothing."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("Applied")
        SURPLUS = "surplus", _("Applied, surplus to refund")
        LATE = "late", _("Late: to refund")
        REVOKED = "revoked", _("Product revoked meanwhile: refunded")
        FAILED = "failed", _("Payment failed")
        UNMATCHED = "unmatched", _("No matching order")
        AMOUNT_MISMATCH = "amount_mismatch", _("Amount does not match")

    provider = models.CharField(_("provider"), max_length=32)
    external_id = models.CharField(_("provider id"), max_length=128)
    attempt = models.ForeignKey(
        PaymentAttempt, on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    amount = models.DecimalField(_("amount (VND)"), max_digits=14, decimal_places=0, null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    payload = models.JSONField(_("payload"), default=dict)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "external_id"], name="providernotification_unique"),
        ]
        verbose_name = _("provider notification")
        verbose_name_plural = _("provider notifications")

    def __str__(self):
        return f"{self.provider} {self.external_id}: {self.get_outcome_display()}"
