"""What every OCOP inspection shares, whether of a producer (``oversight.Inspection``) or of a display-and-sale
point (``integrations.Inspection``): a dated visit checked against criteria kept as data.

Abstract models only (no table of their own); each kind keeps its own tables. What differs stays with each kind:
what is inspected, the verdict (an outcome for a producer; pass/fail per criterion for a point), the files (private
evidence; photos), and the follow-up (corrections with a follow-up note; required actions).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionCriterion(models.Model):
    """One criterion inspections check, kept as data: a stable code, an order on the form, retired but never deleted."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ["order", "code"]


class InspectionVisit(models.Model):
    """One inspection on one date; the newest first."""

    inspected_on = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-inspected_on", "-pk"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
