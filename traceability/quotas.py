"""Per-producer quotas on bulk work (issue #14): what one producer may queue, so that a few huge requests cannot
keep the bulk workers busy for everyone (the outbox and delisting have a queue of their own: ``ocop.settings``
``CELERY_TASK_ROUTES``).

- ``TRACEABILITY_QUOTA_SERIALS_PER_DAY``: serials a producer's lots may be asked for in one day (Asia/Ho_Chi_Minh),
  refused requests and failed jobs not counted;
- ``TRACEABILITY_QUOTA_PENDING_JOBS``: issuance and label-sheet jobs of a producer waiting or running at once;
- ``TRACEABILITY_QUOTA_LABEL_SHEET``: labels on one sheet (every serial of the lot).

Each refusal is a ``ValidationError`` with its own code and a message saying what is allowed and what to do.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from catalog.querysets import local_today

from .error_codes import TraceabilityErrorCode as Code
from .models import IssuanceJob, LabelSheetJob, LotJob

WAITING = (LotJob.Status.HELD, LotJob.Status.PENDING, LotJob.Status.RUNNING)


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def _start_of_today() -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(local_today(), datetime.time.min))


def check_pending_jobs(producer) -> None:
    """Refuse when the producer has ``TRACEABILITY_QUOTA_PENDING_JOBS`` jobs waiting or running. Called inside the
    transaction that creates the job: the producer's row is locked until it commits, so two requests at once are
    counted one after the other."""
    type(producer).objects.select_for_update().filter(pk=producer.pk).first()
    quota = settings.TRACEABILITY_QUOTA_PENDING_JOBS
    waiting = sum(
        model.objects.filter(lot__product__producer=producer, status__in=WAITING).count()
        for model in (IssuanceJob, LabelSheetJob)
    )
    if waiting >= quota:
        raise ValidationError(
            _(
                "%(count)s jobs of this producer are already waiting or running (at most %(quota)s at once): wait "
                "until one is done."
            ),
            code=Code.QUOTA_PENDING_JOBS.value,
            params={"count": _n(waiting), "quota": _n(quota)},
        )


def check_issuance(lot, count: int) -> None:
    """Refuse ``count`` more serials for ``lot`` when its producer's daily quota or pending-job quota is used up."""
    producer = lot.product.producer
    check_pending_jobs(producer)
    quota = settings.TRACEABILITY_QUOTA_SERIALS_PER_DAY
    asked = (
        IssuanceJob.objects.filter(lot__product__producer=producer, created_at__gte=_start_of_today())
        .exclude(status=LotJob.Status.FAILED)
        .aggregate(total=Sum("requested"))["total"]
        or 0
    )
    if asked + count > quota:
        raise ValidationError(
            _(
                "A producer may ask for %(quota)s serials a day; %(asked)s were asked for today. Ask for at most "
                "%(left)s now, or the rest tomorrow."
            ),
            code=Code.QUOTA_SERIALS_PER_DAY.value,
            params={"quota": _n(quota), "asked": _n(asked), "left": _n(max(quota - asked, 0))},
        )


def check_label_sheet(lot) -> None:
    check_pending_jobs(lot.product.producer)
    quota = settings.TRACEABILITY_QUOTA_LABEL_SHEET
    count = lot.items.count()
    if count > quota:
        raise ValidationError(
            _(
                "A label sheet holds at most %(quota)s labels and this lot has %(count)s serials: ask the OCOP "
                "office for the labels of a lot this large."
            ),
            code=Code.LABEL_SHEET_TOO_LARGE.value,
            params={"quota": _n(quota), "count": _n(count)},
        )
