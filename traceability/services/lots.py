"""Lots and their serials: creating a lot, issuing serials in the background (in batches, collisions
retried) and recording their commissioning as an EPCIS event."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog import audit
from traceability import approvals, epcis, quotas
from traceability.error_codes import TraceabilityErrorCode as Code
from traceability.identifiers import item_uri, new_serial
from traceability.models import EpcisEvent, EpcisEventItem, IssuanceJob, Item, Lot

from .scans import _setting

logger = logging.getLogger(__name__)

#: Most serials one request may ask for.
MAX_ISSUANCE = 1_000_000


@transaction.atomic
def create_lot(
    *,
    product,
    number: str,
    produced_on: datetime.date,
    expires_on=None,
    quantity: int = 0,
    origin_commune=None,
    notes: str = "",
    actor,
) -> Lot:
    lot = Lot(
        product=product,
        number=number.strip(),
        produced_on=produced_on,
        expires_on=expires_on,
        quantity=quantity,
        origin_commune=origin_commune,
        notes=notes,
    )
    lot.full_clean()
    if expires_on and expires_on < produced_on:
        raise ValidationError({"expires_on": ValidationError(_("Expiry is before production."), code="invalid")})
    lot.save()
    audit.log(actor=actor, action="lot.created", instance=lot)
    return lot


@transaction.atomic
def start_issuance(*, lot: Lot, count: int, actor) -> IssuanceJob:
    """Record a request for ``count`` serials; a Celery task issues them after commit."""
    if not 1 <= count <= MAX_ISSUANCE:
        raise ValidationError(
            _("Ask for between 1 and %(max)s serials."), code=Code.TOO_MANY.value, params={"max": MAX_ISSUANCE}
        )
    quotas.check_issuance(lot, count)
    held = approvals.needs_approval(actor, serials=count)
    job = IssuanceJob.objects.create(
        lot=lot,
        requested=count,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        status=IssuanceJob.Status.HELD if held else IssuanceJob.Status.PENDING,
    )
    audit.log(actor=actor, action="issuance.requested", instance=job)
    if held:
        approvals.hold(job)
    else:
        transaction.on_commit(lambda: _queue("issue_serials", job.pk))
    return job


def _queue(task_name: str, *args) -> None:
    from traceability import tasks

    try:
        getattr(tasks, task_name).delay(*args)
    except Exception:
        logger.exception("Could not queue %s%r", task_name, args)


def run_issuance(job_id: int, *, batch_size: int | None = None) -> IssuanceJob:
    """Issue the serials of a job in batches; each batch commits with the job's progress. Safe to rerun."""
    batch_size = batch_size or _setting("TRACEABILITY_ISSUANCE_BATCH", 5000)
    job = IssuanceJob.objects.select_related("lot__product").get(pk=job_id)
    if job.status in (IssuanceJob.Status.DONE, IssuanceJob.Status.FAILED, IssuanceJob.Status.HELD):
        return job
    IssuanceJob.objects.filter(pk=job_id).update(status=IssuanceJob.Status.RUNNING)
    lot = job.lot
    try:
        while True:
            with transaction.atomic():
                job = IssuanceJob.objects.select_for_update().get(pk=job_id)
                remaining = job.requested - job.issued
                if remaining <= 0:
                    break
                size = min(batch_size, remaining)
                items = _insert_serials(lot, size)
                _record_commissioning(lot, items)
                job.issued += size
                job.save(update_fields=["issued"])
        IssuanceJob.objects.filter(pk=job_id).update(status=IssuanceJob.Status.DONE, finished_at=timezone.now())
    except Exception as exc:
        logger.exception("Issuance job %s failed", job_id)
        IssuanceJob.objects.filter(pk=job_id).update(
            status=IssuanceJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}", finished_at=timezone.now()
        )
    return IssuanceJob.objects.get(pk=job_id)


def _insert_serials(lot: Lot, size: int) -> list[Item]:
    for _attempt in range(3):
        items = [Item(lot=lot, serial=new_serial()) for _ in range(size)]
        try:
            with transaction.atomic():
                return Item.objects.bulk_create(items)
        except IntegrityError:  # 80-bit collision: astronomically rare; draw again
            logger.warning("Serial collision while issuing for lot %s; retrying", lot.pk)
    raise RuntimeError("Could not draw unique serials")


def _record_commissioning(lot: Lot, items: list[Item]) -> EpcisEvent:
    now = timezone.now()
    gtin, number, expires = lot.product.gtin, lot.number, lot.expires_on
    epcs = [item_uri(gtin=gtin, lot=number, serial=item.serial, expires_on=expires) for item in items]
    data = epcis.commissioning_event(epcs=epcs, lot=lot, producer_id=lot.product.producer_id, at=now)
    event = EpcisEvent.objects.create(
        event_id=data["eventID"],
        action="ADD",
        biz_step=EpcisEvent.BizStep.COMMISSIONING,
        event_time=now,
        biz_location=data["bizLocation"]["id"],
        lot=lot,
        document=data,
        recorded_by="platform",
    )
    EpcisEventItem.objects.bulk_create(EpcisEventItem(event=event, item=item) for item in items)
    return event
