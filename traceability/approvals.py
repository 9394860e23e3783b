"""The OCOP office's approval of what a young account asks for: label sheets, and serials past a threshold.

An account younger than ``ACCOUNTS_PROBATION_DAYS`` (``catalog.accounts``) that asks for a label sheet, or for
serials that bring what it asked for since it started acting for its producer above
``TRACEABILITY_APPROVAL_SERIALS``, gets its job created as HELD: nothing is issued or printed until the office
approves it from its page; a refusal closes the job. ``services.start_issuance`` and ``start_label_sheet`` ask
``needs_approval``, so every way in (the producers' portal, the staff API) goes through it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog import audit
from catalog.accounts import services as accounts
from catalog.accounts.permissions import APPROVE_PROBATION_WORK
from catalog.applications.notices import notify

from .error_codes import TraceabilityErrorCode as Code
from .models import IssuanceJob, LabelSheetJob, LotJob
from .notices import APPROVED, HELD_FOR_OFFICE, REFUSED

KINDS = {"serials": IssuanceJob, "labels": LabelSheetJob}


def may_approve(user) -> bool:
    return bool(getattr(user, "is_active", False) and user.has_perm(APPROVE_PROBATION_WORK))


def serials_asked_since(actor, since) -> int:
    """Serials ``actor`` asked for since ``since``, refused requests left out."""
    total = (
        IssuanceJob.objects.filter(created_by=actor, created_at__gte=since)
        .exclude(status=LotJob.Status.FAILED, issued=0)
        .aggregate(n=Sum("requested"))["n"]
    )
    return total or 0


def needs_approval(actor, *, serials: int | None = None) -> bool:
    """Whether a job ``actor`` asks for must wait for the office: a label sheet (``serials`` None), or serials
    beyond the threshold counted over the account's probation. The system and the office's staff never wait."""
    if not accounts.on_probation(actor) or may_approve(actor):
        return False
    if serials is None:
        return True
    asked = serials_asked_since(actor, accounts.account_since(actor))
    return asked + serials > settings.TRACEABILITY_APPROVAL_SERIALS


def _what(job: LotJob) -> dict:
    """The notice parameters naming a job (its kind is a key, translated when the notice is shown)."""
    lot = job.lot
    serials = isinstance(job, IssuanceJob)
    return {
        "what": "serials" if serials else "labels",
        "count": job.requested if serials else lot.items.count(),
        "lot": lot.number,
        "product": lot.product.name_vi,
        "producer": lot.product.producer.name,
    }


def hold(job: LotJob) -> None:
    """Tell the office a job waits for it (in the transaction that created the job)."""
    params = {**_what(job), "username": job.created_by.get_username() if job.created_by else ""}
    notify(accounts.office_users(), key=HELD_FOR_OFFICE, params=params, link=reverse("traceability:approvals"))


def held_jobs():
    """Every job waiting for the office, oldest first: (kind, job) pairs."""
    jobs = [
        (kind, job)
        for kind, model in KINDS.items()
        for job in model.objects.filter(status=LotJob.Status.HELD).select_related(
            "lot__product__producer", "created_by"
        )
    ]
    return sorted(jobs, key=lambda pair: pair[1].created_at)


def _decide(*, kind: str, job_id: int, actor, approve: bool) -> LotJob:
    if not may_approve(actor):
        raise ValidationError(_("Only the OCOP office may approve this."), code=Code.INVALID.value)
    model = KINDS[kind]
    job = (
        model.objects.select_for_update(of=("self",))
        .select_related("lot__product__producer", "created_by")
        .get(pk=job_id)
    )
    if job.status != LotJob.Status.HELD:
        raise ValidationError(_("This request has already been decided."), code=Code.JOB_RUNNING.value)
    if approve:
        job.status = LotJob.Status.PENDING
        job.save(update_fields=["status"])
        from .services.lots import _queue

        task = "issue_serials" if kind == "serials" else "build_label_sheet"
        transaction.on_commit(lambda: _queue(task, job.pk))
    else:
        job.status = LotJob.Status.FAILED
        job.error = LotJob.REFUSED_BY_OFFICE
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
    audit.log(
        actor=actor, action=f"{kind}.{'approved' if approve else 'refused'}", instance=job, after={"status": job.status}
    )
    if job.created_by is not None:
        notify(
            [job.created_by],
            key=APPROVED if approve else REFUSED,
            params=_what(job),
            link=reverse("producer_lots:detail", args=[job.lot_id]),
        )
    return job


@transaction.atomic
def approve(*, kind: str, job_id: int, actor) -> LotJob:
    return _decide(kind=kind, job_id=job_id, actor=actor, approve=True)


@transaction.atomic
def refuse(*, kind: str, job_id: int, actor) -> LotJob:
    return _decide(kind=kind, job_id=job_id, actor=actor, approve=False)
