"""Revocation proposals: proposed from a report or an inspection, reviewed; an approved one revokes through the
registry's own service."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog import audit
from catalog import services as registry
from catalog.models import Certificate, Product

from .. import permissions
from ..error_codes import OversightErrorCode
from ..models import (
    Inspection,
    Report,
    RevocationProposal,
)
from ..uploads import clean_text
from .rules import refuse_unless

logger = logging.getLogger(__name__)


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
    refuse_unless(bool(permissions.may_triage(actor) and actor.has_perm("oversight.add_revocationproposal")))
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
    refuse_unless(permissions.may_review(actor))
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
