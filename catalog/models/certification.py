"""The way to a certificate: commune pre-assessments, council evaluations, certification and revocation
decisions, and the certificates they grant (valid 36 months from issue)."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.querysets import local_today

from .reference import Commune
from .registry import Product
from .rules import Level, RuleSet


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
    forwarded_to = models.CharField(_("forwarded to"), max_length=16, choices=Level.choices, blank=True, editable=False)
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
    stated_valid_until = models.DateField(
        _("valid until, as stated in the decision"),
        null=True,
        blank=True,
        help_text=_("Only when the decision states an end date; otherwise the rule set's period applies."),
    )
    history = models.BooleanField(
        _("recorded as history"),
        default=False,
        help_text=_("Imported from the records of past years, without the evaluation it rested on."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.number} ({self.signed_on:%d/%m/%Y})"

    @property
    def valid_until(self) -> datetime.date | None:
        """Last valid day of the certificates this decision grants: the date it states, else the rule set's."""
        if self.kind != self.Kind.CERTIFICATION:
            return None
        return self.stated_valid_until or self.rule_set.valid_until(self.signed_on)


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
