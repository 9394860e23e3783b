"""Producers and their products (with the listing rule's columns), and the accounts' ties to a commune or a producer."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.querysets import MIN_CERTIFIED_STARS, ProductQuerySet, listable_q, local_today
from catalog.validators import validate_gtin, validate_registration_number
from ocop.files.photos import PublicPhotoStorage
from ocop.files.private import RandomName

from .reference import Commune, NamedInTwoLanguages, ProductGroup, ProductSubGroup


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
    former_address = models.CharField(
        _("address before 07/2025"),
        max_length=512,
        blank=True,
        help_text=_("As recorded before the communes were merged and the districts abolished (01/07/2025)."),
    )
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

    @property
    def shown_former_address(self) -> str:
        """The old address, when it differs from the current one (else empty: nothing to show)."""
        return self.former_address if self.former_address and self.former_address != self.address else ""


class Product(NamedInTwoLanguages, models.Model):
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
    #: The brand or trademark (nhãn hiệu) the product is sold under: Circular 02/2024/TT-BKHCN asks the label
    #: and the traceability information to carry it.
    brand = models.CharField(
        _("brand or trademark"),
        max_length=255,
        blank=True,
        help_text=_("The brand or trademark (nhãn hiệu) printed on the package."),
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
            models.UniqueConstraint(fields=["gtin"], condition=~models.Q(gtin=""), name="product_unique_gtin_when_set"),
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
