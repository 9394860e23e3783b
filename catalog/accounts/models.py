"""Ties between accounts and producers, and the one-time codes that make them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Producer


class ProducerTie(models.Model):
    """An account acting for a producer: how it came to (never on public data alone), since when, and whether it
    still does. Suspending keeps the row (who and when) and removes the account's membership of the producer."""

    class Via(models.TextChoices):
        INVITATION = "invitation", _("invitation from the OCOP office")
        CODE = "code", _("one-time code sent to the contact on record")
        OFFICE = "office", _("request approved by the OCOP office")
        EXISTING = "existing", _("account opened before ties were recorded")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="producer_ties", verbose_name=_("account")
    )
    producer = models.ForeignKey(
        Producer, on_delete=models.CASCADE, related_name="account_ties", verbose_name=_("producer")
    )
    via = models.CharField(_("tied through"), max_length=16, choices=Via.choices)
    tied_at = models.DateTimeField(_("tied at"), default=timezone.now)
    tied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tied by"),
    )
    active = models.BooleanField(_("active"), default=True)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suspended by"),
    )

    class Meta:
        ordering = ["-tied_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(active=True), name="producertie_one_active_per_user"),
        ]
        permissions = [
            ("suspend_producertie", _("Can suspend an account's tie to a producer")),
            ("approve_probation_work", _("Can approve serials and label sheets asked for by a young account")),
        ]
        verbose_name = _("account tie to a producer")
        verbose_name_plural = _("account ties to producers")

    def __str__(self):
        return f"{self.user} → {self.producer} ({self.via})"


class TieCode(models.Model):
    """A request to tie a new account to a producer, proven by a one-time code sent to the producer's phone or
    e-mail ON RECORD. Only a keyed hash of the code is stored; the code itself exists only in the message."""

    class Channel(models.TextChoices):
        SMS = "sms", _("text message to the phone on record")
        EMAIL = "email", _("e-mail to the address on record")

    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="+", verbose_name=_("producer"))
    channel = models.CharField(_("sent by"), max_length=8, choices=Channel.choices)
    sent_to = models.CharField(_("sent to (masked)"), max_length=64, blank=True)
    language = models.CharField(max_length=8, default="vi")
    # The account to open once the code is proven: the password only as Django's password hash.
    username = models.CharField(_("user name"), max_length=150)
    email = models.EmailField(_("email"))
    password = models.CharField(max_length=128)
    code_hash = models.CharField(max_length=64, blank=True)
    sends = models.PositiveSmallIntegerField(_("codes sent"), default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["producer", "locked_at"])]
        verbose_name = _("one-time code request")
        verbose_name_plural = _("one-time code requests")

    def __str__(self):
        return f"{self.producer} — {self.username} ({self.channel})"

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.locked_at is None
