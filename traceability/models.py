"""Traceability: production lots, serialised items, scans and supply-chain (EPCIS) events."""

import hashlib

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.files.private import RandomName, private_storage

#: GS1 AI (10) batch/lot: up to 20 characters of GS1 character set 82; we keep a URI-safe subset.
validate_lot_number = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,19}$",
    _("Use 1 to 20 letters, digits, dots, hyphens or underscores."),
    code="invalid_lot_number",
)


class Lot(models.Model):
    """A production batch of a product."""

    #: The path to the producer whose row this is: catalog.permissions.scope gives a producer account only its
    #: own rows, a commune officer those of their commune (the same attribute on every model below).
    scoped_through_producer = "product__producer"

    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="lots")
    number = models.CharField(_("lot number"), max_length=20, validators=[validate_lot_number])
    produced_on = models.DateField(_("production date"))
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    origin_commune = models.ForeignKey(
        "catalog.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("raw-material origin"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-produced_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["product", "number"], name="lot_unique_number_per_product")]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")

    def __str__(self):
        return f"{self.product} — {self.number}"


class Item(models.Model):
    """One physical unit, identified by an unguessable serial."""

    scoped_through_producer = "lot__product__producer"

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="items")
    serial = models.CharField(_("serial"), max_length=20, unique=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self):
        return self.serial


class LotJob(models.Model):
    """Background work on a lot (a Celery task does it and records its progress here)."""

    scoped_through_producer = "lot__product__producer"

    class Status(models.TextChoices):
        # Asked for by a young account: nothing runs until the OCOP office approves (traceability.approvals).
        HELD = "held", _("Waiting for the OCOP office's approval")
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    #: What ``error`` holds when the OCOP office refused the job (shown in the reader's language).
    REFUSED_BY_OFFICE = "refused_by_office"

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def shown_error(self) -> str:
        """Why the job failed: the office's refusal in the reader's language, or the error as recorded."""
        return str(_("Refused by the OCOP office.")) if self.error == self.REFUSED_BY_OFFICE else self.error


class IssuanceJob(LotJob):
    """A request to issue serials for a lot; the task works in batches and records progress."""

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="issuance_jobs")
    requested = models.PositiveIntegerField(_("requested"), validators=[MinValueValidator(1)])
    issued = models.PositiveIntegerField(_("issued"), default=0)

    class Meta(LotJob.Meta):
        verbose_name = _("serial issuance job")
        verbose_name_plural = _("serial issuance jobs")

    def __str__(self):
        return f"{self.lot}: {self.issued}/{self.requested} ({self.status})"


class LabelSheetJob(LotJob):
    """A PDF label sheet for a lot: a private file (it lists every serial of the lot), deleted after the retention
    period (``TRACEABILITY_LABEL_SHEET_RETENTION_DAYS``); the row stays and says when its file was deleted."""

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="label_jobs")
    labels = models.PositiveIntegerField(_("labels"), default=0)
    file = models.FileField(_("file"), storage=private_storage, upload_to=RandomName("labels"), blank=True)
    file_deleted_at = models.DateTimeField(_("file deleted at"), null=True, blank=True, editable=False)

    class Meta(LotJob.Meta):
        verbose_name = _("label sheet job")
        verbose_name_plural = _("label sheet jobs")

    def __str__(self):
        return f"{self.lot}: {self.status}"

    @property
    def retention_note(self) -> str:
        """Why the file is gone, in the reader's language (rendered when shown, never stored as a sentence)."""
        if self.file_deleted_at is None:
            return ""
        return _(
            "This label sheet was deleted on %(date)s: label sheets list every serial of a lot, so they are kept "
            "only %(days)s days. Ask for a new one."
        ) % {
            "date": timezone.localtime(self.file_deleted_at).strftime("%d/%m/%Y"),
            "days": settings.TRACEABILITY_LABEL_SHEET_RETENTION_DAYS,
        }


class ScanEvent(models.Model):
    """One scan of a code, logged after the page was served (see ``services.ingest_scans``)."""

    scoped_through_producer = "item__lot__product__producer"

    scanned_at = models.DateTimeField(_("scanned at"), db_index=True)
    item = models.ForeignKey(Item, on_delete=models.CASCADE, null=True, blank=True, related_name="scans")
    serial = models.CharField(_("scanned code"), max_length=64)
    sales_point_code = models.CharField(_("sales point"), max_length=64, blank=True)
    #: Coarse (about 0.1°, ~11 km) and only with the visitor's consent.
    latitude = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    longitude = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=255, blank=True)
    #: Ties a later consented location to this scan.
    ref = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta:
        ordering = ["-scanned_at", "-pk"]
        indexes = [models.Index(fields=["item", "scanned_at"])]
        verbose_name = _("scan")
        verbose_name_plural = _("scans")

    def __str__(self):
        return f"{self.serial} @ {self.scanned_at:%Y-%m-%d %H:%M}"


class SerialFlag(models.Model):
    """A serial that looks copied: scanned far apart within a short time, or far more than its lot's peers."""

    scoped_through_producer = "item__lot__product__producer"

    class Reason(models.TextChoices):
        FAR_APART = "far_apart", _("Scanned at far-apart places within a short time")
        OVER_SCANNED = "over_scanned", _("Scanned far more often than its lot's other items")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    flagged_at = models.DateTimeField(_("flagged at"), auto_now_add=True)
    reviewed = models.BooleanField(_("reviewed"), default=False)

    class Meta:
        ordering = ["-flagged_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["item", "reason"], name="serialflag_unique_reason")]
        verbose_name = _("flagged serial")
        verbose_name_plural = _("flagged serials")

    def __str__(self):
        return f"{self.item} — {self.get_reason_display()}"


class EpcisEvent(models.Model):
    """An EPCIS 2.0 event (JSON-LD document kept as captured) with the fields we query on."""

    scoped_through_producer = "lot__product__producer"

    class BizStep(models.TextChoices):
        COMMISSIONING = "commissioning", _("Commissioning")
        SHIPPING = "shipping", _("Shipping")
        RECEIVING = "receiving", _("Receiving")
        RETAIL_SELLING = "retail_selling", _("Retail selling")

    event_id = models.CharField(_("event ID"), max_length=255, unique=True)
    event_type = models.CharField(_("type"), max_length=32, default="ObjectEvent")
    action = models.CharField(_("action"), max_length=8)
    biz_step = models.CharField(_("business step"), max_length=32, choices=BizStep.choices)
    event_time = models.DateTimeField(_("event time"), db_index=True)
    biz_location = models.CharField(_("business location"), max_length=255, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    destination = models.CharField(_("destination"), max_length=255, blank=True)
    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="epcis_events")
    items = models.ManyToManyField(Item, through="EpcisEventItem", related_name="epcis_events")
    document = models.JSONField(_("document"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.CharField(_("recorded by"), max_length=255, blank=True)

    class Meta:
        ordering = ["event_time", "pk"]
        # Who may see an event (``visibility``) is decided by the places it names.
        indexes = [
            models.Index(fields=["biz_location"], name="epcisevent_biz_location_idx"),
            models.Index(fields=["destination"], name="epcisevent_destination_idx"),
            models.Index(fields=["source"], name="epcisevent_source_idx"),
        ]
        verbose_name = _("EPCIS event")
        verbose_name_plural = _("EPCIS events")

    def __str__(self):
        return f"{self.biz_step} {self.event_time:%Y-%m-%d %H:%M}"


class EpcisEventItem(models.Model):
    event = models.ForeignKey(EpcisEvent, on_delete=models.CASCADE)
    item = models.ForeignKey(Item, on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "item"], name="epciseventitem_unique")]
        indexes = [models.Index(fields=["item", "event"])]

    def __str__(self):
        return f"{self.event_id} → {self.item_id}"


class CaptureToken(models.Model):
    """A machine credential for the EPCIS endpoints, bound to the one party it acts for: a sales point (its
    till) or a producer. It reads and writes only events of items that passed through that party
    (``traceability.visibility``). Only the key's hash is stored: the key is shown once, when issued."""

    name = models.CharField(_("name"), max_length=128)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    producer = models.ForeignKey(
        "catalog.Producer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="capture_tokens",
        verbose_name=_("producer"),
    )
    #: The ``integrations.SalesPoint`` it acts for, by id: traceability does not depend on integrations, it asks
    #: ``sales_points.directory()``. Ids are never reused, so a renamed or deleted point never passes its
    #: rights to another one.
    sales_point_id = models.PositiveIntegerField(_("sales point"), null=True, blank=True, db_index=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(producer__isnull=False, sales_point_id__isnull=True)
                | models.Q(producer__isnull=True, sales_point_id__isnull=False),
                name="capturetoken_one_party",
            ),
        ]
        verbose_name = _("EPCIS access token")
        verbose_name_plural = _("EPCIS access tokens")

    def __str__(self):
        return self.name

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
