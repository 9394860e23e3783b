"""The rule sets in force on each date (Decisions 1048/2019, 148/QĐ-TTg 2023, 1489/QĐ-TTg 2025), kept as data:
star bands by score and which level may certify which stars."""

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.querysets import RuleSetQuerySet


class Level(models.TextChoices):
    """Levels of government that pre-assess, evaluate or certify."""

    COMMUNE = "commune", _("Commune")
    DISTRICT = "district", _("District")
    PROVINCE = "province", _("Province")
    CENTRAL = "central", _("Central")


class ValidityCounting(models.TextChoices):
    """How a certificate's period of validity is counted from the day its decision is signed."""

    #: Civil Code 2015, Art. 147: the first day is not counted, the period starts the next day; Art. 148: a period
    #: in months ends at the end of the corresponding day of its last month, or of that month's last day if it has
    #: no such day. Signed 05/12/2023, 36 months → valid through 05/12/2026; signed 29/02/2024 → 28/02/2027.
    CIVIL_CODE = "civil_code_2015", _("From the day after signing (Civil Code 2015, Art. 147–148)")
    #: The day of signing is the first day: the period ends the day before the corresponding day.
    SIGNING_DAY_INCLUDED = "signing_day_included", _("The day of signing counts as the first day")


class RuleSet(models.Model):
    """A decision that sets the criteria and who evaluates and certifies, from its effective date.

    Adding a future decision is adding a row (with its levels and star bands), not code; so is how long its
    certificates are valid and how that period is counted.
    """

    code = models.CharField(_("decision"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    effective_from = models.DateField(_("in force from"), unique=True)
    max_score_a = models.DecimalField(_("part A maximum"), max_digits=5, decimal_places=2)
    max_score_b = models.DecimalField(_("part B maximum"), max_digits=5, decimal_places=2)
    max_score_c = models.DecimalField(_("part C maximum"), max_digits=5, decimal_places=2)
    validity_months = models.PositiveSmallIntegerField(
        _("certificate validity (months)"), default=36, validators=[MinValueValidator(1)]
    )
    validity_counting = models.CharField(
        _("validity counted"), max_length=32, choices=ValidityCounting.choices, default=ValidityCounting.CIVIL_CODE
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        ordering = ["effective_from"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")

    def __str__(self):
        return f"{self.code} ({self.effective_from:%d/%m/%Y})"

    def valid_until(self, signed_on: datetime.date) -> datetime.date:
        """Last day a certificate of a decision signed on ``signed_on`` is valid (the period ends at its end)."""
        return validity_end(signed_on, self.validity_months, self.validity_counting)

    def stars_for_total(self, total: Decimal) -> int:
        band = self.star_bands.filter(min_total__lte=total).order_by("-min_total").first()
        return band.stars if band else 1

    def level_rule(self, level: str):
        return self.level_rules.filter(level=level).first()

    def certifying_level_for(self, stars: int):
        return self.level_rules.filter(certifies_min_stars__lte=stars, certifies_max_stars__gte=stars).first()


def validity_end(signed_on: datetime.date, months: int, counting: str) -> datetime.date:
    """Last valid day of a period of ``months`` months counted from ``signed_on`` (see ``ValidityCounting``).

    ``relativedelta`` lands on the corresponding day of the last month, or on that month's last day when the
    month has no such day (29/02 → 28/02, 31/08 → 30/09 + … → the month end), which is Art. 148's rule.
    """
    end = signed_on + relativedelta(months=months)
    if counting == ValidityCounting.SIGNING_DAY_INCLUDED:
        end -= datetime.timedelta(days=1)
    return end


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
