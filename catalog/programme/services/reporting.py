"""Reporting periods: opened for the communes, prefilled, answered, reminded."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalog import audit
from catalog.applications.models import Application
from catalog.applications.notices import notify
from catalog.models import Commune, Producer, Product

from .. import notices
from ..models import CommuneReport, PotentialProduct, ReportingPeriod

#: Topic of the outbox event recorded when what the public sees of an event changes.
from .rules import (
    commune_of,
    day,
    office_only,
    refuse_unless,
)


def communes_to_report() -> list[Commune]:
    """Communes with an officer or an OCOP producer: those the office asks by default."""
    return list(
        Commune.objects.filter(officers__isnull=False).distinct()
        | Commune.objects.filter(producers__isnull=False).distinct()
    )


@transaction.atomic
def open_period(*, period: ReportingPeriod, communes=None, actor) -> ReportingPeriod:
    """The office opens a reporting period (or an ad hoc request) and tells the communes' officers."""
    office_only(actor)
    period.created_by = actor
    period.full_clean()
    if period.deadline < period.starts_on:
        raise ValidationError(
            {"deadline": ValidationError(_("The deadline is before the period begins."), code="invalid")}
        )
    period.save()
    communes = list(communes) if communes else communes_to_report()
    period.communes.set(communes)
    audit.log(actor=actor, action="period.opened", instance=period)
    officers = get_user_model().objects.filter(is_active=True, ocop_membership__commune__in=communes)
    notify(
        officers,
        key=notices.PERIOD_OPENED,
        link=reverse("programme:period", args=[period.pk]),
        params={
            "title": period.title,
            "starts": day(period.starts_on),
            "ends": day(period.ends_on),
            "deadline": day(period.deadline),
        },
    )
    return period


def prefill(period: ReportingPeriod, commune: Commune) -> dict:
    """The figures of the commune's report as the registry holds them for the period."""
    from catalog.reports import first_certified_between

    in_commune = Product.objects.filter(producer__commune=commune)
    return {
        "producers": Producer.objects.filter(commune=commune, products__in=in_commune.listable(period.ends_on))
        .distinct()
        .count(),
        "certified_products": in_commune.listable(period.ends_on).count(),
        "new_products": first_certified_between(period.starts_on, period.ends_on)
        .filter(producer__commune=commune)
        .count(),
        "potential_products": PotentialProduct.objects.filter(
            commune=commune, recorded_on__range=(period.starts_on, period.ends_on)
        ).count(),
        "applications": Application.objects.filter(
            producer__commune=commune, submitted_at__date__range=(period.starts_on, period.ends_on)
        ).count(),
    }


@transaction.atomic
def submit_report(*, period: ReportingPeriod, commune: Commune, values: dict, actor) -> CommuneReport:
    """A commune officer answers the period for their commune (again, to correct it, until the office closes)."""
    refuse_unless(
        commune_of(actor) is not None and commune_of(actor).pk == commune.pk,
        _("Only the commune's officer may answer for it."),
    )
    refuse_unless(period.communes.filter(pk=commune.pk).exists(), _("Your commune is not asked for this report."))
    report, created = CommuneReport.objects.select_for_update().get_or_create(
        period=period, commune=commune, defaults={**values, "submitted_by": actor}
    )
    if not created:
        for name, value in values.items():
            setattr(report, name, value)
        report.submitted_by = actor
        report.save()
    audit.log(actor=actor, action="commune_report.submitted", instance=report)
    return report


def missing_reports(period: ReportingPeriod):
    """The communes asked that have not answered yet."""
    return period.communes.exclude(programme_reports__period=period).order_by("name")


@transaction.atomic
def remind(*, period: ReportingPeriod, actor) -> int:
    """Remind the officers of communes that have not answered; returns how many were reminded."""
    office_only(actor)
    officers = get_user_model().objects.filter(is_active=True, ocop_membership__commune__in=missing_reports(period))
    sent = notify(
        officers,
        key=notices.PERIOD_REMINDER,
        link=reverse("programme:period", args=[period.pk]),
        params={"title": period.title, "deadline": day(period.deadline)},
    )
    return len(sent)
