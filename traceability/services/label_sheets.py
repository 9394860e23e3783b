"""Label sheets: a PDF of every serial of a lot, built in the background, kept for a retention period and then
deleted (the job row stays, saying when and why)."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog import audit
from traceability import approvals, quotas
from traceability.error_codes import TraceabilityErrorCode as Code
from traceability.models import LabelSheetJob, Lot

from . import lots

logger = logging.getLogger(__name__)


@transaction.atomic
def start_label_sheet(*, lot: Lot, actor) -> LabelSheetJob:
    if not lot.items.exists():
        raise ValidationError(_("This lot has no serials yet."), code=Code.NO_ITEMS.value)
    quotas.check_label_sheet(lot)
    held = approvals.needs_approval(actor)
    job = LabelSheetJob.objects.create(
        lot=lot,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        status=LabelSheetJob.Status.HELD if held else LabelSheetJob.Status.PENDING,
    )
    audit.log(actor=actor, action="label_sheet.requested", instance=job)
    if held:
        approvals.hold(job)
    else:
        transaction.on_commit(lambda: lots._queue("build_label_sheet", job.pk))
    return job


def run_label_sheet(job_id: int) -> LabelSheetJob:
    import tempfile

    from django.core.files.base import File

    from traceability.labels import render_lot_labels

    job = LabelSheetJob.objects.select_related("lot__product").get(pk=job_id)
    if job.status in (LabelSheetJob.Status.DONE, LabelSheetJob.Status.HELD):
        return job
    LabelSheetJob.objects.filter(pk=job_id).update(status=LabelSheetJob.Status.RUNNING)
    try:
        with tempfile.TemporaryFile() as handle:
            count = render_lot_labels(job.lot, handle)
            handle.seek(0)
            job.file.save("labels.pdf", File(handle), save=False)  # a random name in the private store
        LabelSheetJob.objects.filter(pk=job_id).update(
            status=LabelSheetJob.Status.DONE, labels=count, file=job.file.name, finished_at=timezone.now()
        )
    except Exception as exc:
        logger.exception("Label sheet %s failed", job_id)
        if job.file:  # written, but the job does not point at it: no sheet of serials is left behind
            job.file.storage.delete(job.file.name)
        LabelSheetJob.objects.filter(pk=job_id).update(
            status=LabelSheetJob.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            file="",
            finished_at=timezone.now(),
        )
    return LabelSheetJob.objects.get(pk=job_id)


def expire_label_sheets(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of label sheets made more than ``TRACEABILITY_LABEL_SHEET_RETENTION_DAYS`` ago; each job
    row is kept with the time its file was deleted. Safe to run twice or in parallel; returns how many went."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.TRACEABILITY_LABEL_SHEET_RETENTION_DAYS)
    due = (
        LabelSheetJob.objects.filter(finished_at__lt=cutoff, file_deleted_at__isnull=True)
        .exclude(file="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    deleted = 0
    for job_id in list(due[:10_000]):
        with transaction.atomic():
            job = (
                LabelSheetJob.objects.select_for_update(skip_locked=True)
                .filter(pk=job_id, file_deleted_at__isnull=True)
                .exclude(file="")
                .first()
            )
            if job is None:
                continue
            # The file first: if the update below is lost, the next run finds the row again and deleting a
            # missing file is a no-op, so a row never claims a deletion whose file is still there.
            job.file.storage.delete(job.file.name)
            LabelSheetJob.objects.filter(pk=job.pk).update(file="", file_deleted_at=now)
            job.file, job.file_deleted_at = "", now
            audit.log(actor=None, action="label_sheet.file_deleted", instance=job)
        deleted += 1
    return deleted
