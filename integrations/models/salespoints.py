"""OCOP display-and-sale points: their operators, status history, assortments, inspections against the
Department's criteria (on the shared inspection bases), notices to operators and monthly sales reports."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from integrations.crypto import decrypt_text, encrypt_text, hash_token
from ocop.append_only import AppendOnlyModel
from ocop.files.private import RandomName, private_storage
from ocop.files.uploads import sniffed_mime
from traceability.oversight.inspection_base import InspectionCriterion, InspectionVisit


class OperatorOrganisation(models.Model):
    """The organisation that runs one or more sales points, with its contacts."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    contact_person = models.CharField(_("contact person"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sales-point operator")
        verbose_name_plural = _("sales-point operators")

    def __str__(self):
        return self.name


class PointOperatorMembership(models.Model):
    """Ties a user account to the operator organisation it acts for (and so to that operator's points)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="point_operator_memberships"
    )
    organisation = models.ForeignKey(OperatorOrganisation, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="pointoperator_unique_user")]
        verbose_name = _("operator account")
        verbose_name_plural = _("operator accounts")

    def __str__(self):
        return f"{self.user} → {self.organisation}"


class LocationKind(models.Model):
    """A kind of place where a display-and-sale point may stand (Decision 950/QĐ-BCT, 18/04/2023), kept as data.

    The list of Decision 950 is loaded by migration 0007; the Department may add or retire kinds in the admin.
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    basis = models.CharField(_("basis"), max_length=255, blank=True, help_text=_("Where the kind is listed."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("sales-point location kind")
        verbose_name_plural = _("sales-point location kinds")

    def __str__(self):
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


class SalesPoint(models.Model):
    """An OCOP display-and-sale point (Decision 950/QĐ-BCT), licensed and supervised by the Department."""

    class Kind:
        """Codes of some location kinds (``LocationKind`` rows), for code and tests."""

        AIRPORT = "airport"
        BUS_STATION = "bus_station"
        RAILWAY_STATION = "railway_station"
        PORT = "port"
        TOURIST_SITE = "tourist_site"
        SHOWROOM = "showroom"
        SUPERMARKET_CORNER = "supermarket_corner"

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    #: Statuses in which a point sells and receives its assortment.
    OPEN_STATUSES = (Status.APPROVED,)

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.ForeignKey(
        LocationKind,
        to_field="code",
        db_column="kind",
        on_delete=models.PROTECT,
        related_name="points",
        verbose_name=_("type"),
        limit_choices_to={"active": True},
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=Status.choices,
        default=Status.PROPOSED,
        editable=False,
        help_text=_("Changed through the status service, which keeps a history."),
    )
    operator = models.ForeignKey(
        "OperatorOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="points",
        verbose_name=_("operator"),
    )
    licence_number = models.CharField(_("approval decision number"), max_length=64, blank=True)
    licence_date = models.DateField(_("approval decision date"), null=True, blank=True)
    licence_issuer = models.CharField(_("approval issued by"), max_length=255, blank=True)
    webhook_url = models.URLField(_("webhook URL"), blank=True)
    webhook_secret_encrypted = models.TextField(editable=False, blank=True)
    api_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    products = models.ManyToManyField("catalog.Product", through="Assortment", related_name="sales_points")

    class Meta:
        ordering = ["name"]
        permissions = [
            ("view_all_points", _("Can see and manage every sales point")),
            ("report_sales", _("Can report stock and sales of a sales point")),
        ]
        verbose_name = _("sales point")
        verbose_name_plural = _("sales points")

    def __str__(self):
        return self.name

    @property
    def webhook_secret(self) -> str:
        return decrypt_text(self.webhook_secret_encrypted)

    def set_webhook_secret(self, value: str) -> None:
        self.webhook_secret_encrypted = encrypt_text(value)

    def issue_api_token(self) -> str:
        """Give the point a new token; only its hash is kept, so the caller shows it once."""
        token = secrets.token_urlsafe(32)
        self.api_token_hash = hash_token(token)
        return token


class Assortment(models.Model):
    """A product a sales point offers. Assign through ``integrations.salespoints.services.assign_product`` only."""

    point = models.ForeignKey(SalesPoint, on_delete=models.CASCADE, related_name="assortment")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="assortments")
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["point", "product"], name="assortment_unique_product")]
        verbose_name = _("assortment item")
        verbose_name_plural = _("assortment")

    def __str__(self):
        return f"{self.product} @ {self.point}"


class SalesPointStatusChange(AppendOnlyModel):
    """Append-only history of a point's status: who, when, from → to, why. Written by ``services.change_status``."""

    point = models.ForeignKey(SalesPoint, on_delete=models.CASCADE, related_name="status_history")
    from_status = models.CharField(_("from"), max_length=16, choices=SalesPoint.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=SalesPoint.Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)
        verbose_name = _("status change")
        verbose_name_plural = _("status history")

    @property
    def shown_reason(self) -> str:
        """The reason given; the first line of a point's history says it was registered, in the reader's
        language (rows from before stored the word itself)."""
        return self.reason if self.from_status else str(_("Registered"))

    def __str__(self):
        return f"{self.point}: {self.from_status or '—'} → {self.to_status}"


class PointCriterion(InspectionCriterion):
    """One criterion a display-and-sale point is inspected against (kept as data, see migration 0003)."""

    title_vi = models.CharField(_("criterion (Vietnamese)"), max_length=255)
    title_en = models.CharField(_("criterion (English)"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta(InspectionCriterion.Meta):
        verbose_name = _("sales-point criterion")
        verbose_name_plural = _("sales-point criteria")

    def __str__(self):
        return f"{self.code}. {self.title_vi}"


class Inspection(InspectionVisit):
    point = models.ForeignKey(
        SalesPoint, on_delete=models.CASCADE, related_name="inspections", verbose_name=_("sales point")
    )
    inspector = models.CharField(_("inspector"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )

    def __str__(self):
        return f"{self.point} — {self.inspected_on:%d/%m/%Y}"

    @property
    def passed(self) -> bool:
        """Passed when no criterion failed (criteria noted without a verdict do not fail it)."""
        return not any(f.result == InspectionFinding.Result.FAIL for f in self.findings.all())


class InspectionFinding(models.Model):
    class Result(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")
        NOTE = "note", _("Note only")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    criterion = models.ForeignKey(
        PointCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    result = models.CharField(_("result"), max_length=8, choices=Result.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["criterion__order", "criterion__code"]
        constraints = [models.UniqueConstraint(fields=["inspection", "criterion"], name="finding_one_per_criterion")]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self):
        return f"{self.criterion.code}: {self.get_result_display()}"


MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}


def validate_photo(file) -> None:
    """A JPEG, PNG or WebP picture (by its content, not its name) of at most 5 MB."""
    from django.core.exceptions import ValidationError

    if file.size > MAX_PHOTO_BYTES:
        raise ValidationError(_("The photo is larger than 5 MB."), code="too_large")
    if sniffed_mime(file) not in PHOTO_TYPES:
        raise ValidationError(_("Upload a JPEG, PNG or WebP photo."), code="not_an_image")


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    #: Private: the Department and the point's operator see it, through ``portal.inspection_photo``.
    image = models.ImageField(
        _("photo"), storage=private_storage, upload_to=RandomName("point-inspections"), validators=[validate_photo]
    )
    caption = models.CharField(_("caption"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or self.image.name


class FollowUpAction(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.TextField(_("required action"))
    deadline = models.DateField(_("deadline"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self):
        return self.action[:80]


class OperatorNotice(models.Model):
    """An in-app notice to a point's operator (e.g. a product left its assortment); emailed through the outbox."""

    organisation = models.ForeignKey(OperatorOrganisation, on_delete=models.CASCADE, related_name="notices")
    point = models.ForeignKey(SalesPoint, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    #: A notice is a message ``key`` with ``params`` (``integrations.notices``); older ones carry a frozen
    #: ``subject`` and ``text``.
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    text = models.TextField(_("text"), blank=True)
    key = models.CharField(_("message key"), max_length=64, blank=True)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("operator notice")
        verbose_name_plural = _("operator notices")

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        """The subject in the reader's language."""
        from catalog.applications.notices import render

        return render(f"{self.key}.subject", self.params, self.subject) if self.key else self.subject

    @property
    def message(self) -> str:
        """The text in the reader's language."""
        from catalog.applications.notices import render

        return render(self.key, self.params, self.text) if self.key else self.text


class SalesReport(models.Model):
    """Stock and sales of one product at one point in one month, as the point's operator reported them."""

    class Source(models.TextChoices):
        FORM = "form", _("Form")
        UPLOAD = "upload", _("Spreadsheet")
        API = "api", _("API")

    point = models.ForeignKey(
        SalesPoint, on_delete=models.CASCADE, related_name="sales_reports", verbose_name=_("sales point")
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="point_sales_reports", verbose_name=_("product")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    quantity_sold = models.PositiveIntegerField(_("quantity sold"))
    revenue = models.DecimalField(
        _("revenue (VND)"), max_digits=14, decimal_places=0, validators=[MinValueValidator(0)]
    )
    closing_stock = models.PositiveIntegerField(_("stock at month end"))
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.FORM)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), auto_now=True)

    class Meta:
        ordering = ["-month", "point", "product"]
        constraints = [
            models.UniqueConstraint(fields=["point", "product", "month"], name="salesreport_one_per_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="salesreport_month_first_day"),
        ]
        verbose_name = _("sales report")
        verbose_name_plural = _("sales reports")

    def __str__(self):
        return f"{self.point} — {self.product} — {self.month:%m/%Y}"


class StockListEntry(models.Model):
    """A product on one of the lists the Department keeps of what a sales point may stock besides OCOP products.

    Decision 950/QĐ-BCT: a point sells OCOP products rated 3★ or more, and also the province's key products,
    typical rural industrial or agricultural products and local specialities. Only OCOP products carry the
    OCOP mark and stars (``integrations.stocking``). An entry ends when ``removed_on`` is set.
    """

    class List(models.TextChoices):
        KEY_PRODUCT = "key_product", _("Key product of the province")
        RURAL_INDUSTRIAL = "rural_industrial", _("Typical rural industrial product")
        RURAL_AGRICULTURAL = "rural_agricultural", _("Typical rural agricultural product")
        LOCAL_SPECIALITY = "local_speciality", _("Local speciality or product with local potential")

    list = models.CharField(_("list"), max_length=32, choices=List.choices)
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="stock_list_entries", verbose_name=_("product")
    )
    reference = models.CharField(_("listing decision or reference"), max_length=255, blank=True)
    listed_on = models.DateField(_("listed on"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["list", "product__name_vi"]
        constraints = [
            models.UniqueConstraint(
                fields=["list", "product"],
                condition=models.Q(removed_on__isnull=True),
                name="stocklist_one_current_entry",
            ),
        ]
        indexes = [
            models.Index(fields=["product"], condition=models.Q(removed_on__isnull=True), name="stocklist_current_idx")
        ]
        verbose_name = _("Department list entry")
        verbose_name_plural = _("Department lists (key, typical rural, local speciality products)")

    def __str__(self):
        return f"{self.get_list_display()}: {self.product}"
