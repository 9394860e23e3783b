"""Events: saved, announced, cancelled; producers apply and withdraw, the office selects, participants report sales."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog import audit
from catalog.accounts.services import producer_accounts
from catalog.applications.notices import notify
from catalog.applications.services import producer_of
from catalog.models import Producer, Product
from catalog.querysets import local_today

from .. import notices
from ..models import Event, EventSale, Participation

#: Topic of the outbox event recorded when what the public sees of an event changes.
from .rules import (
    day,
    event_changed,
    office_only,
    office_users,
    refuse_unless,
)


@transaction.atomic
def save_event(*, event: Event, actor) -> Event:
    """Create or edit an event (the office). A cancelled event cannot be edited."""
    office_only(actor)
    if event.pk and Event.objects.select_for_update().get(pk=event.pk).status == Event.Status.CANCELLED:
        raise ValidationError(_("This event is cancelled."), code="cancelled")
    creating = event.pk is None
    if creating:
        event.created_by = actor
    event.full_clean()
    event.save()
    audit.log(actor=actor, action="event.created" if creating else "event.changed", instance=event)
    if event.is_public:
        event_changed(event)
    return event


@transaction.atomic
def announce_event(*, event: Event, actor, today: datetime.date | None = None) -> Event:
    """Open a draft event to applications and tell every producer with a certified product."""
    office_only(actor)
    event = Event.objects.select_for_update().get(pk=event.pk)
    today = today or local_today()
    refuse_unless(event.status == Event.Status.DRAFT, _("Only a draft event can be announced."))
    refuse_unless(event.ends_on >= today, _("This event is already over."))
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
            "starts": day(event.starts_on),
            "ends": day(event.ends_on),
            "closes": day(event.applications_close_on or event.starts_on),
        },
    )
    event_changed(event)
    return event


@transaction.atomic
def cancel_event(*, event: Event, actor) -> Event:
    office_only(actor)
    event = Event.objects.select_for_update().get(pk=event.pk)
    was_public = event.is_public
    event.status = Event.Status.CANCELLED
    event.save(update_fields=["status", "updated_at"])
    audit.log(actor=actor, action="event.cancelled", instance=event)
    if was_public:
        event_changed(event)
    return event


@transaction.atomic
def apply_to_event(
    *, event: Event, actor, products, note: str = "", today: datetime.date | None = None
) -> Participation:
    """A producer account applies to take part, showing some of its certified products."""
    producer = producer_of(actor)
    refuse_unless(producer is not None, _("Only a producer account may apply."))
    today = today or local_today()
    event = Event.objects.select_for_update().get(pk=event.pk)
    closes = event.applications_close_on or event.ends_on
    refuse_unless(event.status == Event.Status.OPEN and closes >= today, _("Applications to this event are closed."))
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
        office_users(),
        key=notices.APPLIED_FOR_OFFICE,
        link=reverse("programme:event", args=[event.pk]),
        params={"producer": producer.name, "event": event.name_vi},
    )
    return participation


@transaction.atomic
def withdraw(*, participation: Participation, actor) -> Participation:
    producer = producer_of(actor)
    refuse_unless(
        producer is not None and producer.pk == participation.producer_id,
        _("Only an account of the producer may do this."),
    )
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    refuse_unless(
        participation.status in (Participation.Status.APPLIED, Participation.Status.SELECTED)
        and participation.event.starts_on > local_today(),
        _("This participation can no longer be withdrawn."),
    )
    was_selected = participation.status == Participation.Status.SELECTED
    participation.status = Participation.Status.WITHDRAWN
    participation.save(update_fields=["status"])
    audit.log(actor=actor, action="participation.withdrawn", instance=participation)
    if was_selected:
        event_changed(participation.event)
    return participation


@transaction.atomic
def decide(*, participation: Participation, actor, selected: bool, booth: str = "", note: str = "") -> Participation:
    """The office selects a producer (with a booth number) or turns it down; the producer is told."""
    office_only(actor)
    participation = (
        Participation.objects.select_for_update().select_related("event", "producer").get(pk=participation.pk)
    )
    event = participation.event
    refuse_unless(event.status in Event.PUBLIC, _("Participants are chosen only for an announced event."))
    refuse_unless(
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
                "starts": day(event.starts_on),
                "ends": day(event.ends_on),
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
    event_changed(event)
    return participation


@transaction.atomic
def close_selection(*, event: Event, actor) -> Event:
    """Close applications: the event shows its final list of participants."""
    office_only(actor)
    event = Event.objects.select_for_update().get(pk=event.pk)
    refuse_unless(event.status == Event.Status.OPEN, _("Only an event open to applications can be closed."))
    event.status = Event.Status.SELECTED
    event.save(update_fields=["status", "updated_at"])
    audit.log(actor=actor, action="event.selection_closed", instance=event)
    event_changed(event)
    return event


def report_sales(
    *, participation: Participation, rows, contacts, actor, today: datetime.date | None = None
) -> list[EventSale]:
    """The participant's post-event report: every line written, or none (``EventSalesInvalid``).

    A new report of the same event replaces the previous one whole.
    """
    from ..event_sales import EventSalesInvalid, Issue, check_lines

    producer = producer_of(actor)
    refuse_unless(
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
