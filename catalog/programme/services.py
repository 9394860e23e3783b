"""Operations of the programme: each owns its transaction, checks who may act, logs to the audit trail and
tells the people concerned (notices in their language, e-mail after commit).

A refusal is a ``ValidationError`` with a translated message; a refused operation changes nothing. Changes that
the public pages show (an event announced, a participant selected) are recorded on the outbox, which is also
what versions the cached parts of the scan page.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog import audit
from catalog.accounts.services import producer_accounts
from catalog.applications.models import Application
from catalog.applications.notices import notify
from catalog.applications.services import producer_of
from catalog.models import Commune, Producer, Product
from catalog.permissions import can_access, membership_of
from catalog.querysets import local_today
from ocop.outbox import services as outbox

from . import notices
from .models import CommuneReport, Event, EventSale, Participation, PotentialProduct, ReportingPeriod
from .permissions import manages_programme

#: Topic of the outbox event recorded when what the public sees of an event changes.
EVENT_CHANGED = "programme.event_changed"


def _refuse_unless(allowed: bool, message) -> None:
    if not allowed:
        raise ValidationError(message, code="not_allowed")


def _office_only(actor) -> None:
    _refuse_unless(manages_programme(actor), _("Only the OCOP office may do this."))


def _day(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def _event_changed(event: Event) -> None:
    outbox.record(EVENT_CHANGED, event.pk, {"event_id": event.pk, "status": event.status})


def _office_users():
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__permissions__codename="manage_programme",
            groups__permissions__content_type__app_label="programme",
        )
        .distinct()
    )


# --- Events ------------------------------------------------------------------------------------------------


@transaction.atomic
def save_event(*, event: Event, actor) -> Event:
    """Create or edit an event (the office). A cancelled event cannot be edited."""
    _office_only(actor)
    if event.pk and Event.objects.select_for_update().get(pk=event.pk).status == Event.Status.CANCELLED:
        raise ValidationError(_("This event is cancelled."), code="cancelled")
    creating = event.pk is None
    if creating:
        event.created_by = actor
    event.full_clean()
    event.save()
    audit.log(actor=actor, action="event.created" if creating else "event.changed", instance=event)
    if event.is_public:
        _event_changed(event)
    return event


@transaction.atomic
def announce_event(*, event: Event, actor, today: datetime.date | None = None) -> Event:
    """Open a draft event to applications and tell every producer with a certified product."""
    _office_only(actor)
    event = Event.objects.select_for_update().get(pk=event.pk)
    today = today or local_today()
    _refuse_unless(event.status == Event.Status.DRAFT, _("Only a draft event can be announced."))
    _refuse_unless(event.ends_on >= today, _("This event is already over."))
    event.status = Event.Status.OPEN
    event.save(update_fields=["status", "updated_at"])
    audit.log(actor=actor, action="event.announced", instance=event)
    producers = Producer.objects.filter(pk__in=Product.objects.listable(today).values("producer_id"))
    users = get_user_model().objects.filter(is_active=True, ocop_membership__producer__in=producers)
    notify(
        users,
        key=notices.EVENT_ANNOUNCED,
        link=reverse("programme_portal:event", args=[event.pk]),
        params={
            "event": event.name_vi,
            "place": event.place,
            "starts": _day(event.starts_on),
            "ends": _day(event.ends_on),
            "closes": _day(event.applications_close_on or event.starts_on),
        },
    )
    _event_changed(event)
    return event


@transaction.atomic
def cancel_event(*, event: Event, actor) -> Event:
    _office_only(actor)
    event = Event.objects.select_for_update().get(pk=event.pk)
    was_public = event.is_public
    event.status = Event.Status.CANCELLED
    event.save(update_fields=["status", "updated_at"])
    audit.log(actor=actor, action="event.cancelled", instance=event)
    if was_public:
        _event_changed(event)
    return event


@transaction.atomic
def apply_to_event(
    *, event: Event, actor, products, note: str = "", today: datetime.date | None = None
) -> Participation:
    """A producer account applies to take part, showing some of its certified products."""
    producer = producer_of(actor)
    _refuse_unless(producer is not None, _("Only a producer account may apply."))
    today = today or local_today()
    event = Event.objects.select_for_update().get(pk=event.pk)
    closes = event.applications_close_on or event.ends_on
    _refuse_unless(event.status == Event.Status.OPEN and closes >= today, _("Applications to this event are closed."))
    products = list(products)
    if not products:
        raise ValidationError({"products": ValidationError(_("Choose at least one product to show."), code="required")})
    allowed = set(Product.objects.listable(today).filter(producer=producer).values_list("pk", flat=True))
    if any(product.pk not in allowed for product in products):
        raise ValidationError(
            {
                "products": ValidationError(
                    _("Show only your own products with a valid OCOP certificate."), code="not_allowed"
                )
            }
        )
    participation = Participation.objects.filter(event=event, producer=producer).first()
    if participation is not None and participation.status != Participation.Status.WITHDRAWN:
        raise ValidationError(_("You have already applied to this event."), code="already_applied")
    if participation is None:
        participation = Participation(event=event, producer=producer)
    participation.status = Participation.Status.APPLIED
    participation.note = note
    participation.applied_by = actor
    participation.save()
    participation.products.set(products)
    audit.log(actor=actor, action="participation.applied", instance=participation)
    notify(
        _office_users(),
        key=notices.APPLIED_FOR_OFFICE,
        link=reverse("programme:event", args=[event.pk]),
        params={"producer": producer.name, "event": event.name_vi},
    )
    return participation


@transaction.atomic
def withdraw(*, participation: Participation, actor) -> Participation:
    producer = producer_of(actor)
    _refuse_unless(
        producer is not None and producer.pk == participation.producer_id,
        _("Only an account of the producer may do this."),
    )
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    _refuse_unless(
        participation.status in (Participation.Status.APPLIED, Participation.Status.SELECTED)
        and participation.event.starts_on > local_today(),
        _("This participation can no longer be withdrawn."),
    )
    was_selected = participation.status == Participation.Status.SELECTED
    participation.status = Participation.Status.WITHDRAWN
    participation.save(update_fields=["status"])
    audit.log(actor=actor, action="participation.withdrawn", instance=participation)
    if was_selected:
        _event_changed(participation.event)
    return participation


@transaction.atomic
def decide(*, participation: Participation, actor, selected: bool, booth: str = "", note: str = "") -> Participation:
    """The office selects a producer (with a booth number) or turns it down; the producer is told."""
    _office_only(actor)
    participation = (
        Participation.objects.select_for_update().select_related("event", "producer").get(pk=participation.pk)
    )
    event = participation.event
    _refuse_unless(event.status in Event.PUBLIC, _("Participants are chosen only for an announced event."))
    _refuse_unless(
        participation.status
        in (Participation.Status.APPLIED, Participation.Status.SELECTED, Participation.Status.NOT_SELECTED),
        _("This producer has withdrawn."),
    )
    booth = booth.strip()
    if selected:
        if not booth:
            raise ValidationError({"booth": ValidationError(_("Give the booth number."), code="required")})
        taken = (
            Participation.objects.filter(event=event, booth__iexact=booth, status=Participation.Status.SELECTED)
            .exclude(pk=participation.pk)
            .first()
        )
        if taken is not None:
            raise ValidationError(
                {
                    "booth": ValidationError(
                        _("Booth %(booth)s is already given to %(producer)s."),
                        code="taken",
                        params={"booth": booth, "producer": taken.producer.name},
                    )
                }
            )
    participation.status = Participation.Status.SELECTED if selected else Participation.Status.NOT_SELECTED
    participation.booth = booth if selected else ""
    participation.office_note = note
    participation.decided_by = actor
    participation.decided_at = timezone.now()
    participation.save()
    audit.log(
        actor=actor,
        action="participation.selected" if selected else "participation.not_selected",
        instance=participation,
    )
    link = reverse("programme_portal:event", args=[event.pk])
    if selected:
        notify(
            producer_accounts(participation.producer),
            key=notices.SELECTED,
            link=link,
            params={
                "event": event.name_vi,
                "starts": _day(event.starts_on),
                "ends": _day(event.ends_on),
                "place": event.place,
                "booth": booth,
            },
        )
    else:
        notify(
            producer_accounts(participation.producer),
            key=notices.NOT_SELECTED,
            link=link,
            params={"event": event.name_vi, "note": note},
        )
    _event_changed(event)
    return participation


@transaction.atomic
def close_selection(*, event: Event, actor) -> Event:
    """Close applications: the event shows its final list of participants."""
    _office_only(actor)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _refuse_unless(event.status == Event.Status.OPEN, _("Only an event open to applications can be closed."))
    event.status = Event.Status.SELECTED
    event.save(update_fields=["status", "updated_at"])
    audit.log(actor=actor, action="event.selection_closed", instance=event)
    _event_changed(event)
    return event


def report_sales(
    *, participation: Participation, rows, contacts, actor, today: datetime.date | None = None
) -> list[EventSale]:
    """The participant's post-event report: every line written, or none (``EventSalesInvalid``).

    A new report of the same event replaces the previous one whole.
    """
    from .event_sales import EventSalesInvalid, Issue, check_lines

    producer = producer_of(actor)
    _refuse_unless(
        producer is not None and producer.pk == participation.producer_id,
        _("Only an account of the producer may do this."),
    )
    today = today or local_today()
    participation = Participation.objects.select_related("event").get(pk=participation.pk)
    if participation.status != Participation.Status.SELECTED or participation.event.starts_on > today:
        raise EventSalesInvalid(
            [Issue(_("Sales can be reported only by a selected participant, once the event has begun."))]
        )
    lines, issues = check_lines(rows, participation=participation)
    if contacts is not None and (not isinstance(contacts, int) or contacts < 0):
        issues.append(Issue(_("Write the number of contacts as a whole number of 0 or more.")))
    if issues:
        raise EventSalesInvalid(issues)
    with transaction.atomic():
        participation = Participation.objects.select_for_update().get(pk=participation.pk)
        participation.sales.all().delete()
        sales = EventSale.objects.bulk_create(
            EventSale(participation=participation, product=line.product, quantity=line.quantity, revenue=line.revenue)
            for line in lines
        )
        participation.contacts = contacts
        participation.reported_at = timezone.now()
        participation.save(update_fields=["contacts", "reported_at"])
        audit.log(
            actor=actor,
            action="participation.sales_reported",
            instance=participation,
            after={"lines": len(sales), "contacts": contacts},
        )
    return sales


# --- The pipeline ------------------------------------------------------------------------------------------


def _commune_of(actor) -> Commune | None:
    membership = membership_of(actor)
    return membership.commune if membership and membership.commune_id and actor.is_active else None


@transaction.atomic
def record_potential_product(*, potential: PotentialProduct, actor) -> PotentialProduct:
    """A commune officer records (or edits) a potential product of their own commune."""
    commune = _commune_of(actor)
    _refuse_unless(commune is not None or manages_programme(actor), _("Only a commune officer may do this."))
    if commune is not None:
        _refuse_unless(
            potential.pk is None or potential.commune_id == commune.pk,
            _("This potential product belongs to another commune."),
        )
        potential.commune = commune
    if potential.producer_id and potential.producer.commune_id != potential.commune_id:
        raise ValidationError(
            {"producer": ValidationError(_("This producer is registered in another commune."), code="not_allowed")}
        )
    creating = potential.pk is None
    if creating:
        potential.recorded_by = actor
        potential.recorded_on = potential.recorded_on or local_today()
    potential.full_clean()
    potential.save()
    audit.log(actor=actor, action="potential.recorded" if creating else "potential.changed", instance=potential)
    return potential


@transaction.atomic
def link_application(*, potential: PotentialProduct, application: Application, actor) -> PotentialProduct:
    """The potential product has become an application in the producers' portal: link the two.

    The application must be one the actor may see (the one rule) and of a producer of the potential product's
    commune; from then on its stage follows the application.
    """
    potential = PotentialProduct.objects.select_for_update().get(pk=potential.pk)
    _refuse_unless(
        can_access(actor, potential) and (manages_programme(actor) or _commune_of(actor) is not None),
        _("Only the commune's officer may do this."),
    )
    _refuse_unless(
        can_access(actor, application) if _commune_of(actor) else True, _("This application is not in your commune.")
    )
    if application.producer.commune_id != potential.commune_id:
        raise ValidationError(
            {"application": ValidationError(_("This application is from another commune."), code="not_allowed")}
        )
    if PotentialProduct.objects.filter(application=application).exclude(pk=potential.pk).exists():
        raise ValidationError(
            {
                "application": ValidationError(
                    _("This application already follows another potential product."), code="taken"
                )
            }
        )
    before = audit.snapshot(potential)
    potential.application = application
    potential.producer = application.producer
    potential.dropped = False
    try:
        with transaction.atomic():
            potential.save(update_fields=["application", "producer", "dropped"])
    except IntegrityError as exc:
        raise ValidationError(_("This application already follows another potential product."), code="taken") from exc
    audit.log(actor=actor, action="potential.linked", instance=potential, before=before)
    return potential


# --- Reporting periods -------------------------------------------------------------------------------------


def communes_to_report() -> list[Commune]:
    """Communes with an officer or an OCOP producer: those the office asks by default."""
    return list(
        Commune.objects.filter(officers__isnull=False).distinct()
        | Commune.objects.filter(producers__isnull=False).distinct()
    )


@transaction.atomic
def open_period(*, period: ReportingPeriod, communes=None, actor) -> ReportingPeriod:
    """The office opens a reporting period (or an ad hoc request) and tells the communes' officers."""
    _office_only(actor)
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
            "starts": _day(period.starts_on),
            "ends": _day(period.ends_on),
            "deadline": _day(period.deadline),
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
    _refuse_unless(
        _commune_of(actor) is not None and _commune_of(actor).pk == commune.pk,
        _("Only the commune's officer may answer for it."),
    )
    _refuse_unless(period.communes.filter(pk=commune.pk).exists(), _("Your commune is not asked for this report."))
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
    _office_only(actor)
    officers = get_user_model().objects.filter(is_active=True, ocop_membership__commune__in=missing_reports(period))
    sent = notify(
        officers,
        key=notices.PERIOD_REMINDER,
        link=reverse("programme:period", args=[period.pk]),
        params={"title": period.title, "deadline": _day(period.deadline)},
    )
    return len(sent)
