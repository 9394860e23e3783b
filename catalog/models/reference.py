"""Reference data the registry names: communes and the product groups and subgroups of the OCOP programme."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def in_reader_language(vi: str, en: str) -> str:
    """The English name on an English page when there is one, else the Vietnamese name."""
    return en if en and (get_language() or "").startswith("en") else vi


class NamedInTwoLanguages:
    """Reference data named in Vietnamese (``vi_name_field``) and in English (``name_en``): pages show the
    reader's language, stored messages keep both (``names``)."""

    vi_name_field = "name_vi"

    @property
    def names(self) -> dict:
        vi = getattr(self, self.vi_name_field)
        return {"vi": vi, "en": self.name_en or vi}

    @property
    def local_name(self) -> str:
        return in_reader_language(getattr(self, self.vi_name_field), self.name_en)


class Commune(models.Model):
    """A commune-level unit (xã/phường/đặc khu) as it is since 01/07/2025 (no district level).

    A row with a ``district`` is a unit from before 07/2025, kept for history; producers registered there are
    moved to the commune that took it over (``catalog.addresses``), their old address kept.
    """

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


class ProductGroup(NamedInTwoLanguages, models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)

    class Meta:
        ordering = ["code"]
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")

    def __str__(self):
        return f"{self.code}. {self.local_name}"


class ProductSubGroup(NamedInTwoLanguages, models.Model):
    group = models.ForeignKey(ProductGroup, on_delete=models.PROTECT, related_name="subgroups")
    code = models.CharField(_("code"), max_length=8, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)

    class Meta:
        ordering = ["code"]
        verbose_name = _("product sub-group")
        verbose_name_plural = _("product sub-groups")

    def __str__(self):
        return f"{self.code} {self.local_name}"
