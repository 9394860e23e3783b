"""The programme around the products (seed plan, sections III.5 and V–VII).

Events and trade promotion (fairs, exhibitions, festivals) with the producers taking part; the partner
directory and tour links; the pipeline of potential products that communes scout; reporting periods that
communes answer. Every row that belongs to a producer or a commune names its path to it
(``scoped_through_producer`` / ``scoped_through_commune``), so ``catalog.permissions`` scopes it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# --- Partners and tours ------------------------------------------------------------------------------------


class Partner(models.Model):
    """A member of the Đắk Lắk OCOP ecosystem the office keeps in its directory."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        DISTRIBUTOR = "distributor", _("Distributor")
        TOUR_OPERATOR = "tour_operator", _("Tour operator")
        EXPERT = "expert", _("Expert")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255, unique=True)
    contact_person = models.CharField(_("contact person"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    products = models.ManyToManyField(
        "catalog.Product", blank=True, related_name="partners", verbose_name=_("products")
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name


class TourRoute(models.Model):
    """A tour operator's route that visits producers, shown on those producers' products."""

    operator = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        related_name="tours",
        limit_choices_to={"kind": Partner.Kind.TOUR_OPERATOR},
        verbose_name=_("tour operator"),
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("booking page"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    producers = models.ManyToManyField("catalog.Producer", through="TourStop", related_name="tours")

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("tour route")
        verbose_name_plural = _("tour routes")

    def __str__(self):
        return self.name_vi


class TourStop(models.Model):
    tour = models.ForeignKey(TourRoute, on_delete=models.CASCADE, related_name="stops")
    producer = models.ForeignKey(
        "catalog.Producer", on_delete=models.CASCADE, related_name="tour_stops", verbose_name=_("producer")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["tour", "order"]
        constraints = [models.UniqueConstraint(fields=["tour", "producer"], name="tourstop_unique_producer")]
        verbose_name = _("tour stop")
        verbose_name_plural = _("tour stops")

    def __str__(self):
        return f"{self.tour} — {self.producer}"


# --- Events ------------------------------------------------------------------------------------------------


class Event(models.Model):
    """A fair, exhibition, OCOP week, festival or tourism event the office announces."""

    class Kind(models.TextChoices):
        FAIR = "fair", _("Trade fair")
        EXHIBITION = "exhibition", _("Exhibition")
        OCOP_WEEK = "ocop_week", _("OCOP week")
        FESTIVAL = "festival", _("Festival")
        TOURISM = "tourism", _("Tourism event")

    class Level(models.TextChoices):
        PROVINCIAL = "provincial", _("Provincial")
        REGIONAL = "regional", _("Regional")
        NATIONAL = "national", _("National")
        INTERNATIONAL = "international", _("International")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Announced, applications open")
        SELECTED = "selected", _("Participants selected")
        CANCELLED = "cancelled", _("Cancelled")

    #: Statuses in which the public sees the event.
    PUBLIC = (Status.OPEN, Status.SELECTED)

    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.PROVINCIAL)
    organiser = models.CharField(_("organiser"), max_length=255)
    place = models.CharField(_("place"), max_length=255)
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
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    applications_close_on = models.DateField(_("applications close on"), null=True, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False)
    partners = models.ManyToManyField(Partner, blank=True, related_name="events", verbose_name=_("partners"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="event_ends_after_start"
            ),
        ]
        permissions = [("manage_programme", _("Can run the OCOP programme: events, partners, reporting periods"))]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return f"{self.name_vi} ({self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y})"

    def name_in(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name_vi

    def description_in(self, language: str) -> str:
        return self.description_en if language == "en" and self.description_en else self.description_vi

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC


class Participation(models.Model):
    """A producer's application to take part in an event, the office's selection, the booth and the report."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied, waiting for the office")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    scoped_through_producer = "producer"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations", verbose_name=_("event"))
    producer = models.ForeignKey(
        "catalog.Producer", on_delete=models.PROTECT, related_name="event_participations", verbose_name=_("producer")
    )
    products = models.ManyToManyField(
        "catalog.Product", related_name="event_participations", verbose_name=_("products shown")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.APPLIED, editable=False
    )
    booth = models.CharField(_("booth"), max_length=32, blank=True)
    note = models.TextField(_("note from the producer"), blank=True)
    office_note = models.TextField(_("note from the office"), blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    #: The post-event report: trade contacts made (sales are ``EventSale`` rows).
    contacts = models.PositiveIntegerField(_("trade contacts made"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["event", "booth", "producer__name"]
        constraints = [models.UniqueConstraint(fields=["event", "producer"], name="participation_one_per_producer")]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self):
        return f"{self.producer} @ {self.event.name_vi}"


class EventSale(models.Model):
    """What a participant sold of one product at an event, as reported after it."""

    scoped_through_producer = "participation__producer"

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="sales")
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="event_sales", verbose_name=_("product")
    )
    quantity = models.PositiveIntegerField(_("quantity sold"))
    revenue = models.DecimalField(
        _("revenue (VND)"), max_digits=14, decimal_places=0, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["participation", "product"]
        constraints = [models.UniqueConstraint(fields=["participation", "product"], name="eventsale_one_per_product")]
        verbose_name = _("event sale")
        verbose_name_plural = _("event sales")

    def __str__(self):
        return f"{self.product}: {self.quantity}"


# --- The pipeline of potential products --------------------------------------------------------------------


class PotentialProduct(models.Model):
    """A product idea a commune officer found in the commune and guides into the programme.

    Its stage past "potential" is read from the application it is linked to (``querysets.with_stage``), never
    stored twice: applied → evaluated → certified follow the application as it moves.
    """

    class Stage(models.TextChoices):
        POTENTIAL = "potential", _("Potential")
        APPLIED = "applied", _("Applied")
        EVALUATED = "evaluated", _("Evaluated")
        CERTIFIED = "certified", _("Certified")
        DROPPED = "dropped", _("Dropped")

    scoped_through_commune = "commune"
    scoped_through_producer = "producer"

    commune = models.ForeignKey(
        "catalog.Commune", on_delete=models.PROTECT, related_name="potential_products", verbose_name=_("commune")
    )
    producer = models.ForeignKey(
        "catalog.Producer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="potential_products",
        verbose_name=_("producer in the registry"),
    )
    holder = models.CharField(_("producer or household"), max_length=255)
    idea = models.CharField(_("product idea"), max_length=255)
    group = models.ForeignKey(
        "catalog.ProductGroup", on_delete=models.PROTECT, related_name="+", verbose_name=_("product group")
    )
    raw_materials = models.TextField(_("raw materials"), blank=True)
    guidance = models.TextField(_("guidance given"), blank=True)
    dropped = models.BooleanField(_("dropped"), default=False)
    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="potential_product",
        verbose_name=_("application"),
    )
    recorded_on = models.DateField(_("recorded on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        verbose_name = _("potential product")
        verbose_name_plural = _("potential products")

    def __str__(self):
        return f"{self.idea} — {self.holder}"


# --- Reporting periods -------------------------------------------------------------------------------------


class ReportingPeriod(models.Model):
    """A period communes report on (monthly, quarterly, yearly), or an ad hoc request of the office."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")
        AD_HOC = "ad_hoc", _("Ad hoc request")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    deadline = models.DateField(_("deadline"))
    request = models.TextField(_("what the office asks"), blank=True)
    communes = models.ManyToManyField(
        "catalog.Commune", related_name="reporting_periods", verbose_name=_("communes asked to report")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-ends_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="reportingperiod_ends_after_start"
            ),
        ]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")

    def __str__(self):
        return self.title


class CommuneReport(models.Model):
    """A commune's answer to a reporting period: figures prefilled from the registry, then confirmed."""

    scoped_through_commune = "commune"

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reports")
    commune = models.ForeignKey(
        "catalog.Commune", on_delete=models.PROTECT, related_name="programme_reports", verbose_name=_("commune")
    )
    producers = models.PositiveIntegerField(_("OCOP producers"))
    certified_products = models.PositiveIntegerField(_("certified products (3★ or more)"))
    new_products = models.PositiveIntegerField(_("products certified for the first time in the period"))
    potential_products = models.PositiveIntegerField(_("potential products recorded in the period"))
    applications = models.PositiveIntegerField(_("applications submitted in the period"))
    trainings = models.PositiveIntegerField(_("training sessions held"), default=0)
    trainees = models.PositiveIntegerField(_("people trained"), default=0)
    activities = models.TextField(_("activities in the period"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now=True)

    class Meta:
        ordering = ["period", "commune__name"]
        constraints = [models.UniqueConstraint(fields=["period", "commune"], name="communereport_one_per_commune")]
        verbose_name = _("commune report")
        verbose_name_plural = _("commune reports")

    def __str__(self):
        return f"{self.commune.name} — {self.period}"
