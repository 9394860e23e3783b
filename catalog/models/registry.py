"""The OCOP certification registry: producers, products, evaluations and certification decisions."""

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.append_only import AppendOnlyModel
from ocop.files.photos import PublicPhotoStorage
from ocop.files.private import RandomName

from .querysets import MIN_CERTIFIED_STARS, ProductQuerySet, RuleSetQuerySet, listable_q, local_today
from .validators import validate_gtin, validate_registration_number

#: A certificate is valid for this many months from its date of issue.
CERTIFICATE_VALIDITY_MONTHS = 36


class Level(models.TextChoices):
    """Levels of government that pre-assess, evaluate or certify."""

    COMMUNE = "commune", _("Commune")
    DISTRICT = "district", _("District")
    PROVINCE = "province", _("Province")
    CENTRAL = "central", _("Central")


class RuleSet(models.Model):
    """A decision that sets the criteria and who evaluates and certifies, from its effective date.

    Adding a future decision is adding a row (with its levels and star bands), not code.
    """

    code = models.CharField(_("decision"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    effective_from = models.DateField(_("in force from"), unique=True)
    max_score_a = models.DecimalField(_("part A maximum"), max_digits=5, decimal_places=2)
    max_score_b = models.DecimalField(_("part B maximum"), max_digits=5, decimal_places=2)
    max_score_c = models.DecimalField(_("part C maximum"), max_digits=5, decimal_places=2)
    notes = models.TextField(_("notes"), blank=True)

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        ordering = ["effective_from"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")

    def __str__(self):
        return f"{self.code} ({self.effective_from:%d/%m/%Y})"

    def stars_for_total(self, total: Decimal) -> int:
        band = self.star_bands.filter(min_total__lte=total).order_by("-min_total").first()
        return band.stars if band else 1

    def level_rule(self, level: str):
        return self.level_rules.filter(level=level).first()

    def certifying_level_for(self, stars: int):
        return self.level_rules.filter(certifies_min_stars__lte=stars, certifies_max_stars__gte=stars).first()


class StarBand(models.Model):
    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="star_bands")
    stars = models.PositiveSmallIntegerField(_("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    min_total = models.DecimalField(_("minimum total"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["rule_set", "min_total"]
        constraints = [models.UniqueConstraint(fields=["rule_set", "stars"], name="starband_unique_stars")]
        verbose_name = _("star band")
        verbose_name_plural = _("star bands")

    def __str__(self):
        return f"{self.stars}★ ≥ {self.min_total}"


class LevelRule(models.Model):
    """What one level does under a rule set: pre-assess, evaluate, certify a star range, forward."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="level_rules")
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    sequence = models.PositiveSmallIntegerField(_("order"))
    evaluates = models.BooleanField(_("council scores dossiers"), default=False)
    certifies_min_stars = models.PositiveSmallIntegerField(_("certifies from (stars)"), null=True, blank=True)
    certifies_max_stars = models.PositiveSmallIntegerField(_("certifies up to (stars)"), null=True, blank=True)
    forward_min_total = models.DecimalField(
        _("minimum total to reach this level"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("A dossier scored at the previous level is forwarded here when its total reaches this."),
    )
    authority = models.CharField(_("certifying authority"), max_length=255, blank=True)

    class Meta:
        ordering = ["rule_set", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "level"], name="levelrule_unique_level"),
            models.UniqueConstraint(fields=["rule_set", "sequence"], name="levelrule_unique_sequence"),
        ]
        verbose_name = _("level rule")
        verbose_name_plural = _("level rules")

    def __str__(self):
        return f"{self.rule_set.code}: {self.get_level_display()}"

    def certifies(self, stars: int) -> bool:
        return (
            self.certifies_min_stars is not None
            and self.certifies_max_stars is not None
            and self.certifies_min_stars <= stars <= self.certifies_max_stars
        )

    def next_rule(self):
        return self.rule_set.level_rules.filter(sequence__gt=self.sequence).order_by("sequence").first()


class Commune(models.Model):
    """A commune-level unit (xã/phường/thị trấn). ``district`` is kept for units before 07/2025."""

    code = models.CharField(_("code"), max_length=16, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=128)
    district = models.CharField(_("district (before 07/2025)"), max_length=128, blank=True)
    province = models.CharField(_("province"), max_length=128, default="Đắk Lắk")

    class Meta:
        ordering = ["province", "district", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "district", "name"], name="commune_unique_name"),
        ]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self):
        return ", ".join(part for part in (self.name, self.district, self.province) if part)


class ProductGroup(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)

    class Meta:
        ordering = ["code"]
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")

    def __str__(self):
        return f"{self.code}. {self.name_vi}"


class ProductSubGroup(models.Model):
    group = models.ForeignKey(ProductGroup, on_delete=models.PROTECT, related_name="subgroups")
    code = models.CharField(_("code"), max_length=8, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)

    class Meta:
        ordering = ["code"]
        verbose_name = _("product sub-group")
        verbose_name_plural = _("product sub-groups")

    def __str__(self):
        return f"{self.code} {self.name_vi}"


class Producer(models.Model):
    """An OCOP producer (chủ thể OCOP)."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        COOPERATIVE = "cooperative", _("Cooperative")
        COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group")
        HOUSEHOLD = "household", _("Registered household business")

    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    registration_number = models.CharField(
        _("business/tax registration number"),
        max_length=32,
        unique=True,
        validators=[validate_registration_number],
    )
    representative = models.CharField(_("representative"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address_line = models.CharField(_("street address"), max_length=255, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="producers", verbose_name=_("commune"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        permissions = [("view_all_records", _("Can see the records of every commune and producer"))]
        verbose_name = _("producer")
        verbose_name_plural = _("producers")

    def __str__(self):
        return self.name

    @property
    def address(self) -> str:
        return ", ".join(part for part in (self.address_line, str(self.commune)) if part)


class Product(models.Model):
    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="products")
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    group = models.ForeignKey(ProductGroup, on_delete=models.PROTECT, related_name="products")
    subgroup = models.ForeignKey(
        ProductSubGroup, on_delete=models.PROTECT, related_name="products", null=True, blank=True
    )
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    story_vi = models.TextField(_("product story (Vietnamese)"), blank=True)
    story_en = models.TextField(_("product story (English)"), blank=True)
    #: Public: a random name, and re-encoded without EXIF/GPS whatever way it is saved (ocop.files.photos).
    image = models.ImageField(_("image"), upload_to=RandomName("products"), storage=PublicPhotoStorage(), blank=True)
    gtin = models.CharField(
        _("GTIN"), max_length=14, blank=True, validators=[validate_gtin], help_text=_("Stored as GTIN-14.")
    )
    packaging = models.CharField(_("packaging"), max_length=255, blank=True)
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The listing rule's inputs, kept by catalog.services from the current certificate.
    current_certificate = models.ForeignKey(
        "Certificate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    certified_stars = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    certified_until = models.DateField(null=True, blank=True, editable=False)
    certificate_revoked = models.BooleanField(default=False, editable=False)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name_vi"]
        constraints = [
            models.UniqueConstraint(
                fields=["gtin"], condition=~models.Q(gtin=""), name="product_unique_gtin_when_set"
            ),
            models.UniqueConstraint(fields=["producer", "name_vi"], name="product_unique_name_per_producer"),
        ]
        indexes = [
            models.Index(
                fields=["certified_until", "certified_stars"],
                condition=models.Q(certificate_revoked=False),
                name="product_listable_idx",
            ),
        ]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self):
        return self.name_vi

    def is_listable(self, today: datetime.date | None = None) -> bool:
        """Python form of ``listable_q``; a test checks that both agree on every case."""
        today = today or local_today()
        return (
            self.certified_stars is not None
            and self.certified_stars >= MIN_CERTIFIED_STARS
            and self.certified_until is not None
            and self.certified_until >= today
            and not self.certificate_revoked
        )

    @staticmethod
    def listable_q(today: datetime.date | None = None):
        return listable_q(today)


class PreAssessment(models.Model):
    """The commune's pre-assessment of a dossier against the four local criteria."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="pre_assessments")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="pre_assessments")
    assessed_on = models.DateField(_("assessed on"))
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+", editable=False)
    local_raw_materials = models.BooleanField(_("product/raw materials of local origin"))
    local_labour = models.BooleanField(_("uses local labour"))
    local_idea = models.BooleanField(_("product idea of local origin"))
    local_identity = models.BooleanField(_("carries local identity or knowledge"))
    passed = models.BooleanField(_("passed"), editable=False)
    notes = models.TextField(_("notes"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    CRITERIA = ("local_raw_materials", "local_labour", "local_idea", "local_identity")

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("commune pre-assessment")
        verbose_name_plural = _("commune pre-assessments")

    def __str__(self):
        return f"{self.product} — {self.assessed_on:%d/%m/%Y}"


class Evaluation(models.Model):
    """A council's scoring of a product (parts A/B/C) at one level."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="evaluations")
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="evaluations", editable=False)
    level = models.CharField(_("evaluating level"), max_length=16, choices=Level.choices)
    evaluated_on = models.DateField(_("evaluated on"))
    council = models.CharField(_("council"), max_length=255, blank=True)
    score_a = models.DecimalField(_("part A score"), max_digits=5, decimal_places=2)
    score_b = models.DecimalField(_("part B score"), max_digits=5, decimal_places=2)
    score_c = models.DecimalField(_("part C score"), max_digits=5, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2, editable=False)
    stars = models.PositiveSmallIntegerField(_("stars"), editable=False)
    forwarded_to = models.CharField(
        _("forwarded to"), max_length=16, choices=Level.choices, blank=True, editable=False
    )
    notes = models.TextField(_("notes"), blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-evaluated_on", "-pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self):
        return f"{self.product} — {self.total} ({self.stars}★, {self.get_level_display()})"


class CertificationDecision(models.Model):
    """A decision of a People's Committee or the Ministry: certifying products, or revoking certificates."""

    class Kind(models.TextChoices):
        CERTIFICATION = "certification", _("Certification")
        REVOCATION = "revocation", _("Revocation")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CERTIFICATION)
    number = models.CharField(_("decision number"), max_length=64, unique=True)
    signed_on = models.DateField(_("date signed"))
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="decisions", editable=False)
    authority_level = models.CharField(_("issuing level"), max_length=16, choices=Level.choices)
    authority_name = models.CharField(_("issuing authority"), max_length=255)
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.number} ({self.signed_on:%d/%m/%Y})"


def certificate_valid_until(issued_on: datetime.date) -> datetime.date:
    """Last day a certificate issued on ``issued_on`` is valid: 36 months from issue, exclusive."""
    return issued_on + relativedelta(months=CERTIFICATE_VALIDITY_MONTHS) - datetime.timedelta(days=1)


class Certificate(models.Model):
    """One product's OCOP certificate, granted by a certification decision."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        SUPERSEDED = "superseded", _("Superseded")
        REVOKED = "revoked", _("Revoked")

    decision = models.ForeignKey(CertificationDecision, on_delete=models.PROTECT, related_name="certificates")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="certificates")
    stars = models.PositiveSmallIntegerField(_("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until (last day)"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supersedes"
    )
    revocation = models.ForeignKey(
        CertificationDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revoked_certificates",
        limit_choices_to={"kind": CertificationDecision.Kind.REVOCATION},
    )

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "product"], name="certificate_unique_product_per_decision"),
            models.UniqueConstraint(
                fields=["product"], condition=models.Q(status="active"), name="certificate_one_active_per_product"
            ),
        ]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return f"{self.product} {self.stars}★ — {self.decision.number}"

    def state_on(self, today: datetime.date | None = None) -> str:
        """The status as it stands on ``today``: an active certificate past its date is expired."""
        today = today or local_today()
        if self.status == self.Status.ACTIVE and self.valid_until < today:
            return self.Status.EXPIRED
        return self.status


class AuditLogEntry(AppendOnlyModel):
    """Append-only record of a change to the registry. The database refuses UPDATE and DELETE."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, null=True, blank=True, db_constraint=False
    )
    actor_label = models.CharField(_("actor"), max_length=255, blank=True)
    action = models.CharField(_("action"), max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.DO_NOTHING, db_constraint=False)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit trail")
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"



class Membership(models.Model):
    """Ties a user to what they act for: a commune (commune officer) or a producer (producer account)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ocop_membership")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, null=True, blank=True, related_name="officers")
    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, null=True, blank=True, related_name="accounts")

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} → {self.commune or self.producer}"
