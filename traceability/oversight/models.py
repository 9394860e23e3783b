"""Oversight after certification: consumer reports, producer inspections and revocation proposals."""

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import Certificate, CertificationDecision, Level, Producer, Product
from catalog.querysets import local_today
from ocop.append_only import AppendOnlyModel
from ocop.files.private import RandomName, private_storage
from traceability.models import Item, Lot

from .inspection_base import InspectionCriterion, InspectionVisit

#: Report photos and inspection evidence are private files, in these folders of the private store.
REPORT_PHOTOS_FOLDER = "oversight/reports"
EVIDENCE_FOLDER = "oversight/evidence"


# --- Consumer reports ---------------------------------------------------------------------------------


class Report(models.Model):
    """A consumer's report of a problem, from the scan page or the product page."""

    class Kind(models.TextChoices):
        COUNTERFEIT = "counterfeit", _("Suspected counterfeit")
        QUALITY = "quality", _("Quality problem")
        LABELLING = "labelling", _("Labelling problem")
        UNKNOWN_CODE = "unknown_code", _("The code says “unknown”")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        INVESTIGATING = "investigating", _("Investigating")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")

    class Source(models.TextChoices):
        SCAN = "scan", _("Scan page")
        PRODUCT = "product", _("Product page")
        DIRECT = "direct", _("Report form")

    #: The challenge's nonce: the same form sent twice is stored once.
    submission_key = models.CharField(max_length=64, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("what happened"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    source = models.CharField(_("sent from"), max_length=16, choices=Source.choices, default=Source.DIRECT)
    code = models.CharField(_("code scanned or typed"), max_length=64, blank=True)
    scanned_path = models.CharField(_("address scanned"), max_length=255, blank=True)
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="consumer_reports"
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, null=True, blank=True, related_name="consumer_reports")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, null=True, blank=True, related_name="consumer_reports")
    photo = models.FileField(
        _("photo"), storage=private_storage, upload_to=RandomName(REPORT_PHOTOS_FOLDER), blank=True
    )
    photo_type = models.CharField(max_length=32, blank=True, editable=False)
    contact_email = models.EmailField(_("email"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=32, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    #: Keyed hash of the sender's address, to see abuse patterns without keeping the address.
    sender_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["product", "status", "kind"])]
        permissions = [
            ("triage_report", _("Can triage consumer reports")),
            ("view_reporter_contact", _("Can see reporters' contact details")),
        ]
        verbose_name = _("consumer report")
        verbose_name_plural = _("consumer reports")

    def __str__(self):
        return f"{self.reference} — {self.get_kind_display()}"

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_email or self.contact_phone)


class ReportEvent(AppendOnlyModel):
    """Append-only history of a report: received, status changes, assignments, answers, notes."""

    class Action(models.TextChoices):
        RECEIVED = "received", _("Received")
        STATUS = "status", _("Status changed")
        ASSIGNED = "assigned", _("Assigned")
        ANSWERED = "answered", _("Answered the reporter")
        NOTE = "note", _("Note")
        PHOTO_LOST = "photo_lost", _("Photo could not be stored")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    # The history outlives accounts: no database constraint, so deleting a user never rewrites it.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    from_status = models.CharField(max_length=16, choices=Report.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Report.Status.choices, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    text = models.TextField(_("text"), blank=True)
    emailed_to = models.EmailField(_("emailed to"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("report history entry")
        verbose_name_plural = _("report history")

    def __str__(self):
        return f"{self.report_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


# --- Inspections --------------------------------------------------------------------------------------


class InspectionPlan(models.Model):
    """How many planned inspections the province intends in a year (the figure inspections are measured against)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=[MinValueValidator(2000)])
    planned_inspections = models.PositiveIntegerField(_("planned inspections"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")

    def __str__(self):
        return f"{self.year}: {self.planned_inspections}"


class ChecklistItem(InspectionCriterion):
    """One point an inspection checks; the checklist is data, grouped by area."""

    class Area(models.TextChoices):
        PRODUCTION = "production", _("Production conditions")
        QUALITY = "quality", _("Product quality")
        LABELLING = "labelling", _("Labelling")
        OCOP_MARK = "ocop_mark", _("Use of the OCOP mark")

    area = models.CharField(_("area"), max_length=16, choices=Area.choices)
    text_vi = models.CharField(_("text (Vietnamese)"), max_length=255)
    text_en = models.CharField(_("text (English)"), max_length=255)

    class Meta(InspectionCriterion.Meta):
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self):
        return f"{self.code} {self.text_vi}"

    def text(self, language: str) -> str:
        return self.text_en if language == "en" and self.text_en else self.text_vi


class InspectionQuerySet(models.QuerySet):
    def for_product(self, product: Product):
        """Inspections of the product's producer that name this product or no product (producer-wide)."""
        return (
            self.filter(producer_id=product.producer_id)
            .filter(models.Q(products=product) | models.Q(products__isnull=True))
            .distinct()
        )


class Inspection(InspectionVisit):
    #: The inspected producer: catalog.permissions.scope shows an inspection to that producer's accounts and to
    #: the officers of its commune.
    scoped_through_producer = "producer"

    class Kind(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNPLANNED = "unplanned", _("Unplanned")

    class Outcome(models.TextChoices):
        PASSED = "passed", _("Passed")
        CORRECTIONS = "corrections", _("Passed with corrections required")
        FAILED = "failed", _("Failed")

    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="inspections")
    products = models.ManyToManyField(Product, blank=True, related_name="inspections", verbose_name=_("products"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    team = models.TextField(_("team"), help_text=_("Names and units of the inspectors, one per line."))
    findings = models.TextField(_("findings"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    report_that_led_here = models.ForeignKey(
        Report,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("prompted by report"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = InspectionQuerySet.as_manager()

    def __str__(self):
        return f"{self.producer} — {self.inspected_on:%d/%m/%Y}"


class InspectionCheck(models.Model):
    class Result(models.TextChoices):
        PASS = "pass", _("Meets the requirement")
        FAIL = "fail", _("Does not meet it")
        NOT_APPLICABLE = "n/a", _("Not applicable")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="checks")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=8, choices=Result.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["item__order", "item__code"]
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="inspectioncheck_unique_item")]
        verbose_name = _("checklist result")
        verbose_name_plural = _("checklist results")

    def __str__(self):
        return f"{self.item.code}: {self.result}"


class InspectionEvidence(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), storage=private_storage, upload_to=RandomName(EVIDENCE_FOLDER))
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    description = models.CharField(_("description"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.original_name


class CorrectionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(completed_on__isnull=True)

    def overdue(self, today: datetime.date | None = None):
        """Not completed and past the deadline: computed from the dates, no job marks them."""
        return self.open().filter(due_on__lt=today or local_today())


class Correction(models.Model):
    """A correction the producer must make by a deadline, and its follow-up."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="corrections")
    description = models.TextField(_("required correction"))
    due_on = models.DateField(_("deadline"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["due_on"], condition=models.Q(completed_on__isnull=True), name="correction_open_due_idx"
            )
        ]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self):
        return f"{self.description[:60]} ({self.due_on:%d/%m/%Y})"

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Python form of ``CorrectionQuerySet.overdue``."""
        return self.completed_on is None and self.due_on < (today or local_today())


# --- Revocation ---------------------------------------------------------------------------------------


class RevocationProposal(models.Model):
    """A proposal to revoke a product's certificate, its review, and the decision it led to."""

    class Cause(models.TextChoices):
        FAILED_INSPECTION = "failed_inspection", _("Failed inspection")
        CONFIRMED_REPORT = "confirmed_report", _("Confirmed consumer report")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for review")
        APPROVED = "approved", _("Approved: certificate revoked")
        REJECTED = "rejected", _("Rejected")

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="revocation_proposals")
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="revocation_proposals")
    cause = models.CharField(_("cause"), max_length=32, choices=Cause.choices)
    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, null=True, blank=True, related_name="revocation_proposals"
    )
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, null=True, blank=True, related_name="revocation_proposals"
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    # The decision drafted with the proposal; the reviewer confirms or corrects it.
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    signed_on = models.DateField(_("date signed"), null=True, blank=True)
    authority_level = models.CharField(_("issuing level"), max_length=16, choices=Level.choices, blank=True)
    authority_name = models.CharField(_("issuing authority"), max_length=255, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    decision = models.ForeignKey(
        CertificationDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate"], condition=models.Q(status="proposed"), name="proposal_one_open_per_certificate"
            ),
            models.CheckConstraint(
                condition=models.Q(report__isnull=False) | models.Q(inspection__isnull=False),
                name="proposal_has_a_ground",
            ),
        ]
        verbose_name = _("revocation proposal")
        verbose_name_plural = _("revocation proposals")

    def __str__(self):
        return f"{self.product} — {self.get_cause_display()} ({self.get_status_display()})"
