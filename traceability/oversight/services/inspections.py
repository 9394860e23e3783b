"""Inspections after certification: recorded against the checklist, evidence, corrections, follow-up."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog import audit
from catalog.models import Producer
from catalog.querysets import local_today

from .. import permissions
from ..models import (
    ChecklistItem,
    Correction,
    Inspection,
    InspectionCheck,
    InspectionEvidence,
    Report,
)
from ..uploads import CheckedFile, clean_text
from .rules import refuse_unless

logger = logging.getLogger(__name__)


@transaction.atomic
def record_inspection(
    *,
    producer: Producer,
    kind: str,
    inspected_on: datetime.date,
    team: str,
    outcome: str,
    checks: dict[str, tuple[str, str]],
    findings: str = "",
    products=(),
    report: Report | None = None,
    actor,
) -> Inspection:
    """Record an inspection with its checklist results (``checks``: item code → (result, note))."""
    refuse_unless(permissions.may_record_inspections(actor))
    errors = {}
    if inspected_on > local_today():
        errors["inspected_on"] = ValidationError(_("The date is in the future."), code="future_date")
    if not clean_text(team):
        errors["team"] = ValidationError(_("Name the inspection team."), code="required")
    products = list(products)
    if any(p.producer_id != producer.pk for p in products):
        errors["products"] = ValidationError(_("Choose products of this producer."), code="invalid")
    items = {item.code: item for item in ChecklistItem.objects.filter(active=True)}
    missing = sorted(set(items) - set(checks))
    if missing:
        errors["checks"] = ValidationError(
            _("Answer every checklist point (missing: %(codes)s)."),
            code="required",
            params={"codes": ", ".join(missing)},
        )
    if errors:
        raise ValidationError(errors)
    inspection = Inspection.objects.create(
        producer=producer,
        kind=kind,
        inspected_on=inspected_on,
        team=clean_text(team),
        findings=clean_text(findings),
        outcome=outcome,
        report_that_led_here=report,
        created_by=actor,
    )
    inspection.products.set(products)
    InspectionCheck.objects.bulk_create(
        InspectionCheck(inspection=inspection, item=items[code], result=result, note=clean_text(note)[:500])
        for code, (result, note) in checks.items()
        if code in items
    )
    audit.log(actor=actor, action="inspection.recorded", instance=inspection)
    return inspection


@transaction.atomic
def add_evidence(
    *, inspection: Inspection, upload, checked: CheckedFile, description: str = "", actor
) -> InspectionEvidence:
    refuse_unless(permissions.may_record_inspections(actor))
    upload.name = f"evidence{checked.extension}"
    evidence = InspectionEvidence(
        inspection=inspection,
        original_name=checked.original_name,
        content_type=checked.content_type,
        description=clean_text(description)[:255],
        uploaded_by=actor,
    )
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    audit.log(actor=actor, action="inspection.evidence_added", instance=evidence)
    return evidence


@transaction.atomic
def require_correction(*, inspection: Inspection, description: str, due_on: datetime.date, actor) -> Correction:
    refuse_unless(permissions.may_record_inspections(actor))
    description = clean_text(description)
    if not description:
        raise ValidationError({"description": ValidationError(_("Describe the correction."), code="required")})
    if due_on < inspection.inspected_on:
        raise ValidationError({"due_on": ValidationError(_("The deadline is before the inspection."), code="invalid")})
    correction = Correction.objects.create(inspection=inspection, description=description, due_on=due_on)
    audit.log(actor=actor, action="correction.required", instance=correction)
    return correction


@transaction.atomic
def record_follow_up(
    *, correction: Correction, follow_up: str, completed_on: datetime.date | None, actor
) -> Correction:
    refuse_unless(permissions.may_record_inspections(actor))
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    if completed_on is not None and completed_on > local_today():
        raise ValidationError({"completed_on": ValidationError(_("The date is in the future."), code="future_date")})
    before = audit.snapshot(correction)
    note = clean_text(follow_up)
    if note:
        stamp = timezone.localdate().strftime("%d/%m/%Y")
        correction.follow_up = f"{correction.follow_up}\n{stamp}: {note}".strip()
    correction.completed_on = completed_on
    correction.save(update_fields=["follow_up", "completed_on"])
    audit.log(actor=actor, action="correction.followed_up", instance=correction, before=before)
    return correction
