"""Certification and revocation decisions, expiries, and the listing columns every change refreshes (with
the status event the store, the marketplaces and the sales points follow)."""

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ocop.outbox import services as outbox

from .. import audit, events
from ..error_codes import CatalogErrorCode
from ..models import (
    Certificate,
    CertificationDecision,
    Evaluation,
    Level,
    Product,
    RuleSet,
)
from ..querysets import MIN_CERTIFIED_STARS, local_today
from .rules import level_label, refuse_future, rule_set_for


@dataclasses.dataclass(frozen=True)
class Award:
    """One product certified by a decision, and the council evaluation it rests on.

    Without ``evaluation`` the product's latest unused evaluation at the certifying level (on or before the
    signing day) is taken; a decision recorded as history rests on none.
    """

    product: Product
    stars: int
    evaluation: Evaluation | None = None


def _evaluation_for(award: Award, authority_level: str, signed_on: datetime.date, number: str) -> Evaluation:
    """The council's total this award rests on: the product's, at the level that may award those stars."""
    used = Certificate.objects.filter(evaluation__isnull=False).values("evaluation")
    evaluation = award.evaluation or (
        Evaluation.objects.filter(product=award.product, level=authority_level, evaluated_on__lte=signed_on)
        .exclude(pk__in=used)
        .order_by("-evaluated_on", "-pk")
        .first()
    )
    if evaluation is None:
        raise ValidationError(
            _("%(product)s has no evaluation by the %(level)s council for decision %(number)s to rest on."),
            code=CatalogErrorCode.EVALUATION_REQUIRED.value,
            params={"product": award.product, "level": level_label(authority_level), "number": number},
        )
    if (
        evaluation.product_id != award.product.pk
        or evaluation.level != authority_level
        or evaluation.evaluated_on > signed_on
        or evaluation.stars < award.stars
    ):
        raise ValidationError(
            _("The evaluation of %(product)s (%(scored)s★, %(level)s council) does not support %(stars)s★."),
            code=CatalogErrorCode.STARS_NOT_SUPPORTED_BY_EVALUATION.value,
            params={
                "product": award.product,
                "scored": evaluation.stars,
                "stars": award.stars,
                "level": level_label(evaluation.level),
            },
        )
    return evaluation


def _check_decision_header(
    *, number: str, signed_on: datetime.date, authority_level: str, authority_name: str
) -> RuleSet:
    errors = {}
    if not number.strip():
        errors["number"] = ValidationError(_("A decision number is required."), code="required")
    elif CertificationDecision.objects.filter(number=number.strip()).exists():
        errors["number"] = ValidationError(
            _("Decision %(number)s is already in the registry."),
            code=CatalogErrorCode.DUPLICATE_DECISION.value,
            params={"number": number},
        )
    if not authority_name.strip():
        errors["authority_name"] = ValidationError(_("The issuing authority is required."), code="required")
    if authority_level not in Level.values:
        errors["authority_level"] = ValidationError(_("Unknown level."), code=CatalogErrorCode.INVALID.value)
    if errors:
        raise ValidationError(errors)
    refuse_future(signed_on, "signed_on")
    return rule_set_for(signed_on)


def _check_authority_may_certify(rule_set: RuleSet, authority_level: str, stars: int) -> None:
    if stars < MIN_CERTIFIED_STARS:
        raise ValidationError(
            {
                "stars": ValidationError(
                    _("%(stars)s★ is not an OCOP certification: only 3★ and above can be certified."),
                    code=CatalogErrorCode.STARS_NOT_CERTIFIABLE.value,
                    params={"stars": stars},
                )
            }
        )
    level_rule = rule_set.level_rule(authority_level)
    if level_rule is None or not level_rule.certifies(stars):
        allowed = rule_set.certifying_level_for(stars)
        raise ValidationError(
            {
                "authority_level": ValidationError(
                    _(
                        "Under %(rule_set)s the %(level)s level may not certify %(stars)s★; "
                        "that is for the %(allowed)s level."
                    ),
                    code=CatalogErrorCode.AUTHORITY_NOT_ALLOWED.value,
                    params={
                        "rule_set": rule_set.code,
                        "level": level_label(authority_level),
                        "stars": stars,
                        "allowed": level_label(allowed.level) if allowed else "—",
                    },
                )
            }
        )


def _lock_products(product_ids) -> dict[int, Product]:
    return {p.pk: p for p in Product.objects.select_for_update().filter(pk__in=product_ids).order_by("pk")}


def _record_decision(
    kind, *, number: str, signed_on, rule_set, authority_level, authority_name: str, actor, reason: str = "", **extra
) -> CertificationDecision:
    return CertificationDecision.objects.create(
        **extra,
        kind=kind,
        number=number.strip(),
        signed_on=signed_on,
        rule_set=rule_set,
        authority_level=authority_level,
        authority_name=authority_name.strip(),
        reason=reason.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def issue_certification(
    *,
    number: str,
    signed_on: datetime.date,
    authority_level: str,
    authority_name: str,
    awards: list[Award],
    actor,
    stated_valid_until: datetime.date | None = None,
    history: bool = False,
) -> CertificationDecision:
    """Record a certification decision and the certificates it grants.

    Each certificate rests on the council evaluation of its product at the certifying level (``Award``),
    except in a decision recorded as ``history`` (imported from past years' records, marked as such).
    Its last valid day is ``stated_valid_until`` when the decision states one, else the rule set's period
    counted from the signing day (``RuleSet.valid_until``: Civil Code 2015, Art. 147–148).
    A new certificate supersedes the product's current one (an upgrade or a re-evaluation). A decision
    older than the current certificate is kept as history: its certificate is recorded as superseded.
    """
    rule_set = _check_decision_header(
        number=number, signed_on=signed_on, authority_level=authority_level, authority_name=authority_name
    )
    if not awards:
        raise ValidationError(_("A certification decision must list at least one product."), code="required")
    if stated_valid_until is not None and stated_valid_until < signed_on:
        raise ValidationError(
            {
                "stated_valid_until": ValidationError(
                    _("The decision cannot end its validity before the day it is signed."),
                    code=CatalogErrorCode.INVALID.value,
                )
            }
        )
    seen = set()
    evaluations = {}
    for award in awards:
        if award.product.pk in seen:
            raise ValidationError(
                _("%(product)s appears twice in decision %(number)s."),
                code=CatalogErrorCode.DUPLICATE_PRODUCT_IN_DECISION.value,
                params={"product": award.product, "number": number},
            )
        seen.add(award.product.pk)
        _check_authority_may_certify(rule_set, authority_level, award.stars)
        if not history:
            evaluations[award.product.pk] = _evaluation_for(award, authority_level, signed_on, number)

    products = _lock_products(seen)
    decision = _record_decision(
        CertificationDecision.Kind.CERTIFICATION,
        number=number,
        signed_on=signed_on,
        rule_set=rule_set,
        authority_level=authority_level,
        authority_name=authority_name,
        actor=actor,
        stated_valid_until=stated_valid_until,
        history=history,
    )
    audit.log(actor=actor, action="decision.recorded_as_history" if history else "decision.issued", instance=decision)
    valid_until = decision.valid_until
    for award in awards:
        product = products[award.product.pk]
        current = Certificate.objects.filter(product=product, status=Certificate.Status.ACTIVE).first()
        certificate = Certificate(
            decision=decision,
            product=product,
            stars=award.stars,
            evaluation=evaluations.get(product.pk),
            issued_on=signed_on,
            valid_until=valid_until,
        )
        if current is not None and current.issued_on > signed_on:
            certificate.status = Certificate.Status.SUPERSEDED
            certificate.superseded_by = current
            certificate.save()
            audit.log(actor=actor, action="certificate.recorded_as_superseded", instance=certificate)
            continue
        if current is not None:
            before = audit.snapshot(current)
            current.status = Certificate.Status.SUPERSEDED
            current.save(update_fields=["status"])  # frees the one-active-per-product slot
        certificate.save()
        if current is not None:
            current.superseded_by = certificate
            current.save(update_fields=["superseded_by"])
            audit.log(actor=actor, action="certificate.superseded", instance=current, before=before)
        audit.log(actor=actor, action="certificate.issued", instance=certificate)
        _refresh_listing(product, reason="certified")
    return decision


@transaction.atomic
def revoke_certificates(
    *,
    number: str,
    signed_on: datetime.date,
    authority_level: str,
    authority_name: str,
    reason: str,
    certificates: list[Certificate],
    actor,
) -> CertificationDecision:
    """Record a revocation decision. The products stop being listable at once and the event is emitted."""
    rule_set = _check_decision_header(
        number=number, signed_on=signed_on, authority_level=authority_level, authority_name=authority_name
    )
    if not reason.strip():
        raise ValidationError({"reason": ValidationError(_("A revocation needs a reason."), code="required")})
    if not certificates:
        raise ValidationError(_("A revocation decision must list at least one certificate."), code="required")
    products = _lock_products({c.product_id for c in certificates})
    locked = list(Certificate.objects.select_for_update().filter(pk__in=[c.pk for c in certificates]).order_by("pk"))
    for certificate in locked:
        if certificate.status != Certificate.Status.ACTIVE:
            raise ValidationError(
                _("Certificate %(certificate)s is %(status)s and cannot be revoked."),
                code=CatalogErrorCode.NOT_REVOCABLE.value,
                params={"certificate": certificate, "status": certificate.get_status_display()},
            )
        _check_authority_may_certify(rule_set, authority_level, certificate.stars)
    decision = _record_decision(
        CertificationDecision.Kind.REVOCATION,
        number=number,
        signed_on=signed_on,
        rule_set=rule_set,
        authority_level=authority_level,
        authority_name=authority_name,
        reason=reason,
        actor=actor,
    )
    audit.log(actor=actor, action="decision.issued", instance=decision)
    for certificate in locked:
        before = audit.snapshot(certificate)
        certificate.status = Certificate.Status.REVOKED
        certificate.revocation = decision
        certificate.save(update_fields=["status", "revocation"])
        audit.log(actor=actor, action="certificate.revoked", instance=certificate, before=before)
        _refresh_listing(products[certificate.product_id], reason="revoked")
    return decision


def record_expiries(today: datetime.date | None = None) -> int:
    """Mark certificates past their last valid day as expired and emit the event. Safe to run twice.

    Listability never waits for this: the listing rule compares dates itself.
    """
    today = today or local_today()
    expired = 0
    due = Certificate.objects.filter(status=Certificate.Status.ACTIVE, valid_until__lt=today).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        with transaction.atomic():
            certificate = (
                Certificate.objects.select_for_update()
                .filter(pk=pk, status=Certificate.Status.ACTIVE, valid_until__lt=today)
                .first()
            )
            if certificate is None:
                continue
            product = _lock_products([certificate.product_id])[certificate.product_id]
            before = audit.snapshot(certificate)
            certificate.status = Certificate.Status.EXPIRED
            certificate.save(update_fields=["status"])
            audit.log(actor=None, action="certificate.expired", instance=certificate, before=before)
            _refresh_listing(product, reason="expired", today=today)
            expired += 1
    return expired


def _refresh_listing(product: Product, *, reason: str, today: datetime.date | None = None) -> None:
    """Copy the current certificate into the product's listing columns and emit the status event."""
    current = (
        Certificate.objects.filter(product=product, status=Certificate.Status.ACTIVE).first()
        or Certificate.objects.filter(product=product)
        .exclude(status=Certificate.Status.SUPERSEDED)
        .select_related("decision")
        .order_by("-issued_on", "-pk")
        .first()
    )
    product.current_certificate = current
    product.certified_stars = current.stars if current else None
    product.certified_until = current.valid_until if current else None
    product.certificate_revoked = bool(current and current.status == Certificate.Status.REVOKED)
    product.save(update_fields=["current_certificate", "certified_stars", "certified_until", "certificate_revoked"])
    outbox.record(
        events.CERTIFICATE_STATUS_CHANGED,
        key=product.pk,
        payload=events.CertificateStatusChanged(
            product_id=product.pk,
            certificate_id=current.pk if current else None,
            status=reason,
            listable=product.is_listable(today),
            stars=product.certified_stars,
            valid_until=product.certified_until.isoformat() if product.certified_until else None,
            decision_number=current.decision.number if current else None,
        ),
    )
