"""A producer's own lots, serials and label sheets (the producers' portal): every query starts from the
producer's rows (catalog's scoping rule), new producers' large requests wait for the office's approval."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Sum, When
from django.utils.translation import gettext_lazy as _

from catalog.permissions import of_producer
from catalog.querysets import local_today
from traceability.error_codes import TraceabilityErrorCode as Code
from traceability.models import IssuanceJob, Item, LabelSheetJob, Lot

from .label_sheets import start_label_sheet
from .lots import create_lot, start_issuance

#: Most serials one request may ask for.


def producer_lots(producer):
    """The lots of ``producer``'s own products (catalog's scoping rule): every portal query starts here."""
    return of_producer(Lot.objects.all(), producer)


def producer_items(producer):
    return of_producer(Item.objects.all(), producer)


@transaction.atomic
def create_producer_lot(
    *,
    producer,
    product,
    number: str,
    produced_on: datetime.date,
    expires_on=None,
    quantity: int,
    origin_commune=None,
    notes: str = "",
    actor,
) -> Lot:
    """A lot created by a producer account: its own product, produced by today, at least one unit."""
    if product.producer_id != producer.pk:
        raise ValidationError({"product": ValidationError(_("Choose one of your own products."), code=Code.INVALID)})
    if produced_on > local_today():
        raise ValidationError(
            {"produced_on": ValidationError(_("The production date cannot be in the future."), code=Code.INVALID)}
        )
    if quantity < 1:
        raise ValidationError({"quantity": ValidationError(_("A lot has at least one unit."), code=Code.INVALID)})
    if Lot.objects.filter(product=product, number__iexact=number.strip()).exists():
        raise ValidationError(
            {"number": ValidationError(_("This product already has a lot with this number."), code=Code.INVALID)}
        )
    return create_lot(
        product=product,
        number=number,
        produced_on=produced_on,
        expires_on=expires_on,
        quantity=quantity,
        origin_commune=origin_commune,
        notes=notes,
        actor=actor,
    )


def serials_taken(lot: Lot) -> int:
    """Serials issued or still to be issued for ``lot`` (a failed job counts what it issued)."""
    total = lot.issuance_jobs.aggregate(
        n=Sum(
            Case(
                When(status=IssuanceJob.Status.FAILED, then=F("issued")),
                default=F("requested"),
            )
        )
    )["n"]
    return total or 0


@transaction.atomic
def start_producer_issuance(*, lot: Lot, count: int, actor) -> IssuanceJob:
    """A producer asks for serials: never more than the lot's quantity, counting earlier requests."""
    lot = Lot.objects.select_for_update().get(pk=lot.pk)
    taken = serials_taken(lot)
    if count < 1 or taken + count > lot.quantity:
        raise ValidationError(
            _(
                "This lot has %(quantity)s units and %(taken)s serials are already issued or requested: "
                "ask for 1 to %(left)s."
            ),
            code=Code.TOO_MANY.value,
            params={"quantity": lot.quantity, "taken": taken, "left": max(lot.quantity - taken, 0)},
        )
    return start_issuance(lot=lot, count=count, actor=actor)


@transaction.atomic
def start_producer_label_sheet(*, lot: Lot, actor) -> LabelSheetJob:
    """A label sheet for a producer's lot; one at a time per lot."""
    lot = Lot.objects.select_for_update().get(pk=lot.pk)
    busy = (LabelSheetJob.Status.HELD, LabelSheetJob.Status.PENDING, LabelSheetJob.Status.RUNNING)
    if lot.label_jobs.filter(status__in=busy).exists():
        raise ValidationError(_("A label sheet for this lot is already being prepared."), code=Code.JOB_RUNNING.value)
    if lot.issuance_jobs.filter(status__in=(IssuanceJob.Status.PENDING, IssuanceJob.Status.RUNNING)).exists():
        raise ValidationError(
            _("Wait until the serials are issued, then ask for the labels."), code=Code.JOB_RUNNING.value
        )
    return start_label_sheet(lot=lot, actor=actor)
