"""Operations of oversight. Each owns its transaction and its history record; refusals are ``ValidationError``s.

The revocation itself is never done here: an approved proposal calls ``catalog.services.revoke_certificates``,
which records the decision, changes the listing columns and emits ``certificate.status_changed`` through the
registry's outbox, so the product is delisted everywhere by the registry's own path.
"""

import datetime
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog import audit
from catalog import services as registry
from catalog.models import Certificate, Producer, Product
from catalog.querysets import local_today
from ocop.messaging import mail
from traceability.identifiers import normalise_serial, parse_item_uri
from traceability.models import Item

from . import permissions
from .error_codes import OversightErrorCode
from .models import (
    ChecklistItem,
    Correction,
    Inspection,
    InspectionCheck,
    InspectionEvidence,
    Report,
    ReportEvent,
    RevocationProposal,
)
from .uploads import CheckedFile, clean_text

logger = logging.getLogger(__name__)

MAX_REPORT_TEXT = 5000
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"

# --- Consumer reports ---------------------------------------------------------------------------------


def resolve_code(*, code: str = "", scanned_path: str = ""):
    """What a scanned or typed code names: (product, lot, item), each possibly None.

    A real serial on the wrong product or lot (a copied code) names no item; its GTIN still names the product
    it pretends to be, which is the product a counterfeit report is about.
    """
    key = parse_item_uri(scanned_path) if scanned_path else None
    serial = key.serial if key else normalise_serial(code)
    gtin = key.gtin if key else ""
    lot_number = key.lot if key else ""
    item = None
    if serial and len(serial) <= 20:
        item = Item.objects.select_related("lot__product").filter(serial=serial).first()
    if (
        item is not None
        and gtin
        and (item.lot.product.gtin.zfill(14) != gtin.zfill(14) or (lot_number and item.lot.number != lot_number))
    ):
        item = None
    if item is not None:
        return item.lot.product, item.lot, item
    if gtin:
        return Product.objects.filter(gtin=gtin.zfill(14)).first(), None, None
    return None, None, None


def _new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def submit_report(
    *,
    kind: str,
    text: str,
    language: str,
    submission_key: str,
    code: str = "",
    scanned_path: str = "",
    product: Product | None = None,
    photo=None,
    photo_check: CheckedFile | None = None,
    contact_email: str = "",
    contact_phone: str = "",
    sender: str = "",
) -> tuple[Report, bool]:
    """Store a consumer's report once: the same submission key returns the report already stored.

    Returns (report, created). A photo that cannot be written to storage does not lose the report: it is
    stored without it and the history says so.
    """
    existing = Report.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing, False
    text = clean_text(text)[:MAX_REPORT_TEXT]
    if kind not in Report.Kind.values or not text:
        raise ValidationError(_("A report needs a type and a description."), code=OversightErrorCode.INVALID.value)
    code = clean_text(code)[:64]
    scanned_path = clean_text(scanned_path)[:255]
    resolved_product, lot, item = (
        resolve_code(code=code, scanned_path=scanned_path) if code or scanned_path else (None, None, None)
    )
    if code or scanned_path:
        source = Report.Source.SCAN
    elif product is not None:
        source = Report.Source.PRODUCT
    else:
        source = Report.Source.DIRECT
    report = Report(
        submission_key=submission_key[:64],
        kind=kind,
        text=text,
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        source=source,
        code=code,
        scanned_path=scanned_path,
        product=resolved_product or product,
        lot=lot,
        item=item,
        contact_email=contact_email[:254],
        contact_phone=contact_phone[:32],
        sender_hash=sender,
    )
    photo_lost = False
    if photo is not None and photo_check is not None:
        try:
            photo.name = f"photo{photo_check.extension}"
            report.photo.save(photo.name, photo, save=False)
            report.photo_type = photo_check.content_type
        except OSError:
            logger.exception("A report photo could not be stored; the report is kept without it")
            report.photo = ""
            photo_lost = True
    for _attempt in range(5):
        report.reference = _new_reference()
        try:
            with transaction.atomic():
                report.save()
                ReportEvent.objects.create(report=report, action=ReportEvent.Action.RECEIVED, to_status=report.status)
                if photo_lost:
                    ReportEvent.objects.create(report=report, action=ReportEvent.Action.PHOTO_LOST)
            return report, True
        except IntegrityError:
            report.pk = None
            existing = Report.objects.filter(submission_key=submission_key).first()
            if existing is not None:  # the same form sent twice at once
                if report.photo:
                    report.photo.delete(save=False)
                return existing, False
    raise RuntimeError("Could not allocate a report reference")


#: Status changes staff may make; closing (confirmed/dismissed) can be reopened for investigation.
TRANSITIONS = {
    Report.Status.NEW: {Report.Status.INVESTIGATING, Report.Status.DISMISSED},
    Report.Status.INVESTIGATING: {Report.Status.CONFIRMED, Report.Status.DISMISSED},
    Report.Status.CONFIRMED: {Report.Status.INVESTIGATING},
    Report.Status.DISMISSED: {Report.Status.INVESTIGATING},
}


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _lock_report(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
def change_status(*, report: Report, status: str, note: str = "", actor) -> Report:
    _refuse_unless(permissions.may_triage(actor))
    report = _lock_report(report)
    if status not in TRANSITIONS.get(report.status, set()):
        raise ValidationError(
            _("A report that is %(current)s cannot become %(new)s."),
            code=OversightErrorCode.INVALID_TRANSITION.value,
            params={"current": report.get_status_display(), "new": dict(Report.Status.choices).get(status, status)},
        )
    previous = report.status
    report.status = status
    report.save(update_fields=["status"])
    ReportEvent.objects.create(
        report=report,
        actor=actor,
        action=ReportEvent.Action.STATUS,
        from_status=previous,
        to_status=status,
        text=clean_text(note),
    )
    return report


@transaction.atomic
def assign(*, report: Report, assignee, actor) -> Report:
    _refuse_unless(permissions.may_triage(actor))
    if assignee is not None and not permissions.may_triage(assignee):
        raise ValidationError(
            _("%(user)s does not triage reports."),
            code=OversightErrorCode.NOT_TRIAGE_STAFF.value,
            params={"user": assignee.get_username()},
        )
    report = _lock_report(report)
    report.assigned_to = assignee
    report.save(update_fields=["assigned_to"])
    ReportEvent.objects.create(report=report, actor=actor, action=ReportEvent.Action.ASSIGNED, assigned_to=assignee)
    return report


@transaction.atomic
def add_note(*, report: Report, text: str, actor) -> ReportEvent:
    _refuse_unless(permissions.may_triage(actor))
    text = clean_text(text)
    if not text:
        raise ValidationError(_("Write the note."), code=OversightErrorCode.REQUIRED.value)
    return ReportEvent.objects.create(report=report, actor=actor, action=ReportEvent.Action.NOTE, text=text)


@transaction.atomic
def answer_reporter(*, report: Report, text: str, actor) -> ReportEvent:
    """Record the answer; when the reporter left an email, it is sent after the transaction commits."""
    _refuse_unless(permissions.may_triage(actor))
    text = clean_text(text)
    if not text:
        raise ValidationError(_("Write the answer."), code=OversightErrorCode.REQUIRED.value)
    if not report.has_contact:
        raise ValidationError(_("The reporter left no contact details."), code=OversightErrorCode.NO_CONTACT.value)
    event = ReportEvent.objects.create(
        report=report,
        actor=actor,
        action=ReportEvent.Action.ANSWERED,
        text=text,
        emailed_to=report.contact_email,
    )
    if report.contact_email:
        with translation.override(report.language):
            subject = gettext("OCOP Đắk Lắk: answer to your report %(reference)s") % {"reference": report.reference}
        mail.queue(to=[report.contact_email], subject=subject, body=text, key=report.reference)
    return event


# --- Inspections --------------------------------------------------------------------------------------


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
    _refuse_unless(permissions.may_record_inspections(actor))
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
    _refuse_unless(permissions.may_record_inspections(actor))
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
    _refuse_unless(permissions.may_record_inspections(actor))
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
    _refuse_unless(permissions.may_record_inspections(actor))
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


# --- Revocation ---------------------------------------------------------------------------------------


@transaction.atomic
def propose_revocation(
    *,
    product: Product,
    reason: str,
    report: Report | None = None,
    inspection: Inspection | None = None,
    decision_number: str = "",
    signed_on: datetime.date | None = None,
    authority_level: str = "",
    authority_name: str = "",
    actor,
) -> RevocationProposal:
    """Start a revocation on the ground of a confirmed report or a failed inspection of the product."""
    _refuse_unless(bool(permissions.may_triage(actor) and actor.has_perm("oversight.add_revocationproposal")))
    if (report is None) == (inspection is None):
        raise ValidationError(_("A proposal rests on one report or one inspection."), code="invalid")
    if report is not None:
        if report.status != Report.Status.CONFIRMED or report.product_id != product.pk:
            raise ValidationError(
                _("Only a confirmed report about this product can start a revocation."),
                code=OversightErrorCode.GROUND_NOT_ESTABLISHED.value,
            )
        cause = RevocationProposal.Cause.CONFIRMED_REPORT
    else:
        if inspection.outcome != Inspection.Outcome.FAILED or inspection.producer_id != product.producer_id:
            raise ValidationError(
                _("Only a failed inspection of this product's producer can start a revocation."),
                code=OversightErrorCode.GROUND_NOT_ESTABLISHED.value,
            )
        cause = RevocationProposal.Cause.FAILED_INSPECTION
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": ValidationError(_("A revocation needs a reason."), code="required")})
    certificate = Certificate.objects.filter(product=product, status=Certificate.Status.ACTIVE).first()
    if certificate is None:
        raise ValidationError(
            _("%(product)s holds no active certificate to revoke."),
            code=OversightErrorCode.NO_CERTIFICATE.value,
            params={"product": product},
        )
    if RevocationProposal.objects.filter(certificate=certificate, status=RevocationProposal.Status.PROPOSED).exists():
        raise ValidationError(
            _("A revocation of this certificate is already waiting for review."),
            code=OversightErrorCode.ALREADY_PROPOSED.value,
        )
    proposal = RevocationProposal.objects.create(
        product=product,
        certificate=certificate,
        cause=cause,
        report=report,
        inspection=inspection,
        reason=reason,
        proposed_by=actor,
        decision_number=clean_text(decision_number)[:64],
        signed_on=signed_on,
        authority_level=authority_level,
        authority_name=clean_text(authority_name)[:255],
    )
    audit.log(actor=actor, action="revocation.proposed", instance=proposal)
    return proposal


@transaction.atomic
def review_proposal(
    *,
    proposal: RevocationProposal,
    approve: bool,
    note: str = "",
    number: str = "",
    signed_on: datetime.date | None = None,
    authority_level: str = "",
    authority_name: str = "",
    actor,
) -> RevocationProposal:
    """Approve (the registry records the revocation decision and delists the product) or reject a proposal."""
    _refuse_unless(permissions.may_review(actor))
    proposal = RevocationProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != RevocationProposal.Status.PROPOSED:
        raise ValidationError(_("This proposal has already been reviewed."), code=OversightErrorCode.REVIEWED.value)
    before = audit.snapshot(proposal)
    if approve:
        number = clean_text(number or proposal.decision_number)
        signed_on = signed_on or proposal.signed_on
        authority_level = authority_level or proposal.authority_level
        authority_name = clean_text(authority_name or proposal.authority_name)
        if signed_on is None:
            raise ValidationError({"signed_on": ValidationError(_("Give the date signed."), code="required")})
        proposal.decision = registry.revoke_certificates(
            number=number,
            signed_on=signed_on,
            authority_level=authority_level,
            authority_name=authority_name,
            reason=proposal.reason,
            certificates=[proposal.certificate],
            actor=actor,
        )
        proposal.decision_number, proposal.signed_on = proposal.decision.number, signed_on
        proposal.authority_level, proposal.authority_name = authority_level, proposal.decision.authority_name
        proposal.status = RevocationProposal.Status.APPROVED
    else:
        if not clean_text(note):
            raise ValidationError({"note": ValidationError(_("Say why the proposal is rejected."), code="required")})
        proposal.status = RevocationProposal.Status.REJECTED
    proposal.review_note = clean_text(note)
    proposal.reviewed_by = actor
    proposal.reviewed_at = timezone.now()
    proposal.save()
    audit.log(actor=actor, action=f"revocation.{proposal.status}", instance=proposal, before=before)
    return proposal
