"""The outbox's two tables: events written in the transaction of the change, and one delivery per subscriber.

The tables keep the names they had when the outbox was part of the registry (``catalog_outbox*``): the move to
this app changed only Django's state, no data.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEvent(models.Model):
    """An event written in the same transaction as the change that caused it, delivered after commit.

    Each subscriber registered for the topic gets its own ``OutboxDelivery`` with retries.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    topic = models.CharField(max_length=64, db_index=True)
    key = models.CharField(max_length=64, db_index=True)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "catalog_outboxevent"  # created by the registry before the outbox had an app of its own
        ordering = ["created_at"]
        verbose_name = _("outbox event")
        verbose_name_plural = _("outbox events")

    def __str__(self):
        return f"{self.topic} {self.key}"


class OutboxDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Delivered")
        DEAD = "dead", _("Failed (dead letter)")

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    leased_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "catalog_outboxdelivery"
        ordering = ["next_attempt_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "subscriber"], name="outboxdelivery_unique_subscriber"),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"), name="outbox_due_idx"),
        ]
        verbose_name = _("outbox delivery")
        verbose_name_plural = _("outbox deliveries")

    def __str__(self):
        return f"{self.event} → {self.subscriber} ({self.status})"
