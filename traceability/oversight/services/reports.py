"""Consumer reports: a code resolved, a report received (with its limits), triaged, assigned, noted and answered."""

import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.models import Product
from ocop.messaging import mail
from traceability.identifiers import normalise_serial, parse_item_uri
from traceability.models import Item

from .. import permissions
from ..error_codes import OversightErrorCode
from ..models import (
    Report,
    ReportEvent,
)
from ..uploads import CheckedFile, clean_text
from .rules import (
    MAX_REPORT_TEXT,
    REFERENCE_ALPHABET,
    refuse_unless,
)

logger = logging.getLogger(__name__)


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


def _lock_report(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
def change_status(*, report: Report, status: str, note: str = "", actor) -> Report:
    refuse_unless(permissions.may_triage(actor))
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
    refuse_unless(permissions.may_triage(actor))
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
    refuse_unless(permissions.may_triage(actor))
    text = clean_text(text)
    if not text:
        raise ValidationError(_("Write the note."), code=OversightErrorCode.REQUIRED.value)
    return ReportEvent.objects.create(report=report, actor=actor, action=ReportEvent.Action.NOTE, text=text)


@transaction.atomic
def answer_reporter(*, report: Report, text: str, actor) -> ReportEvent:
    """Record the answer; when the reporter left an email, it is sent after the transaction commits."""
    refuse_unless(permissions.may_triage(actor))
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
