"""The producer's side of an application: create it, add documents, submit, respond to a request."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog import audit
from catalog import services as registry
from catalog.applications import keys
from catalog.applications.error_codes import ApplicationErrorCode as Code
from catalog.applications.models import (
    DOCUMENTS_FOLDER,
    Application,
    ApplicationDocument,
    DocumentKind,
)
from catalog.applications.validators import check_document_file
from catalog.models import Producer, Product, RuleSet
from catalog.querysets import local_today
from ocop.files.private import random_name

from .notifying import _plain, _status_label
from .roles import producer_of
from .workflow import (
    Status,
    check_producer_account,
    lock,
    move,
    record_step,
    refuse_unless,
)


def _check_self_assessment(rule_set: RuleSet, self_assessment: dict) -> dict:
    values = {name: bool(self_assessment.get(name, False)) for name in Application.CRITERIA}
    maxima = {
        "self_score_a": rule_set.max_score_a,
        "self_score_b": rule_set.max_score_b,
        "self_score_c": rule_set.max_score_c,
    }
    errors = {}
    for field, maximum in maxima.items():
        value = Decimal(str(self_assessment.get(field) or 0))
        if not Decimal(0) <= value <= maximum:
            errors[field] = ValidationError(
                _("The score must be between 0 and %(max)s under %(rule_set)s."),
                code=Code.SCORE_OUT_OF_RANGE.value,
                params={"max": _plain(maximum), "rule_set": rule_set.code},
            )
        values[field] = value
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def create_application(
    *,
    producer: Producer,
    actor,
    product: Product | None = None,
    new_product: dict | None = None,
    self_assessment: dict | None = None,
    applied_on: datetime.date | None = None,
    previous: Application | None = None,
) -> Application:
    """Open a draft application for an existing product of the producer, or for a new product sheet."""
    refuse_unless(
        producer_of(actor) is not None and producer_of(actor).pk == producer.pk,
        _("Only an account of %(producer)s may do this.") % {"producer": producer.name},
    )
    applied_on = applied_on or local_today()
    rule_set = registry.rule_set_for(applied_on)
    values = _check_self_assessment(rule_set, self_assessment or {})
    if product is None and not new_product:
        raise ValidationError(
            {"product": ValidationError(_("Choose a product or describe a new one."), code=Code.REQUIRED.value)}
        )
    if product is not None and product.producer_id != producer.pk:
        raise ValidationError(
            {"product": ValidationError(_("This product belongs to another producer."), code=Code.NOT_ALLOWED.value)}
        )
    if product is None:
        product = Product(producer=producer, **new_product)
        product.full_clean()
        product.save()
        audit.log(actor=actor, action="product.created", instance=product)
    open_one = (
        Application.objects.filter(product=product).exclude(status__in=Application.CLOSED).first()
        if product is not None
        else None
    )
    if open_one is not None:
        raise ValidationError(
            {
                "product": ValidationError(
                    _("Application #%(id)s for this product is still open (%(status)s): continue that one."),
                    code=Code.ALREADY_OPEN.value,
                    params={"id": open_one.pk, "status": _status_label(open_one.status)},
                )
            }
        )
    if previous is not None and previous.producer_id != producer.pk:
        previous = None
    application = Application.objects.create(
        producer=producer,
        product=product,
        rule_set=rule_set,
        applied_on=applied_on,
        previous=previous,
        created_by=actor,
        **values,
    )
    record_step(application, actor=actor, action="created", from_status="", from_level="")
    return application


def missing_document_kinds(application: Application):
    present = application.documents.values_list("kind_id", flat=True)
    return DocumentKind.objects.filter(required=True, active=True).exclude(pk__in=present)


def add_document(*, application: Application, kind: DocumentKind, upload, actor) -> ApplicationDocument:
    """Store one dossier file. If anything fails, neither the row nor the file remains; other documents stay."""
    checked = check_document_file(upload)
    storage = ApplicationDocument.file.field.storage
    name = random_name(DOCUMENTS_FOLDER, checked.original_name)
    stored_name = None
    try:
        with transaction.atomic():
            application = lock(application)
            check_producer_account(actor, application)
            if application.status not in (Status.DRAFT, Status.DOCUMENTS_REQUESTED):
                raise ValidationError(
                    _("Documents can be added to a draft or when documents are requested (now: %(status)s)."),
                    code=Code.OUT_OF_TURN.value,
                    params={"status": _status_label(application.status)},
                )
            if not kind.active:
                raise ValidationError(_("This kind of document is no longer accepted."), code=Code.INVALID.value)
            upload.seek(0)
            stored_name = storage.save(name, upload, max_length=255)
            document = ApplicationDocument.objects.create(
                application=application,
                kind=kind,
                file=stored_name,
                original_name=checked.original_name,
                content_type=checked.content_type,
                size=checked.size,
                uploaded_by=actor,
            )
            record_step(
                application,
                actor=actor,
                action="document.added",
                from_status=application.status,
                from_level=application.current_level,
                step=(keys.DOCUMENT_ADDED, {"kind": kind.names, "file": checked.original_name}),
            )
    except BaseException:
        # A half-written file or one whose row was rolled back must not stay behind.
        leftover = stored_name or name
        if storage.exists(leftover):
            storage.delete(leftover)
        raise
    return document


@transaction.atomic
def submit_application(*, application: Application, actor, comment: str = "") -> Application:
    application = lock(application)
    check_producer_account(actor, application)
    if application.status != Status.DRAFT:
        raise ValidationError(
            _("Only a draft can be submitted (now: %(status)s)."),
            code=Code.OUT_OF_TURN.value,
            params={"status": _status_label(application.status)},
        )
    missing = list(missing_document_kinds(application))
    if missing:
        raise ValidationError(
            _("The dossier is missing required documents: %(kinds)s."),
            code=Code.MISSING_DOCUMENTS.value,
            params={"kinds": "; ".join(kind.local_name for kind in missing)},
        )
    first = application.rule_set.level_rules.order_by("sequence").first()
    application.submitted_at = timezone.now()
    return move(
        application, status=Status.SUBMITTED, level=first.level, actor=actor, action="submitted", comment=comment
    )


@transaction.atomic
def respond_to_request(*, application: Application, actor, comment: str = "") -> Application:
    application = lock(application)
    check_producer_account(actor, application)
    if application.status != Status.DOCUMENTS_REQUESTED:
        raise ValidationError(_("No documents are requested for this application."), code=Code.OUT_OF_TURN.value)
    requested_at = application.steps.filter(action="documents.requested").order_by("-at").values("at")[:1]
    has_new_documents = application.documents.filter(uploaded_at__gte=requested_at).exists()
    if not has_new_documents and not comment.strip():
        raise ValidationError(_("Upload the requested documents or explain in a comment."), code=Code.REQUIRED.value)
    resume = application.resume_status or Status.SUBMITTED
    application.resume_status = ""
    application.requested_documents = ""
    return move(application, status=resume, actor=actor, action="documents.provided", comment=comment)
