"""State changes of the sales points: creation, status, API tokens, assortments, sales reports, operator notices,
and the signed webhook telling a point what it offers.

Everything that must reach another system is recorded on the outbox in the caller's transaction; the handlers
(``integrations.handlers``) run in Celery workers, re-read the database and are safe to run twice.
"""

import hashlib
import json
import logging

import httpx
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from catalog import audit
from catalog.applications.notices import MAIL_LANGUAGE
from catalog.models import Product
from integrations import events, notices, stocking
from integrations.models import (
    Assortment,
    OperatorNotice,
    SalesPoint,
    SalesPointStatusChange,
    SalesReport,
)
from integrations.offers import build_offer, offer_queryset
from integrations.salespoints import webhooks
from ocop.messaging import mail
from ocop.outbox import services as outbox

logger = logging.getLogger(__name__)

WEBHOOK_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


def create_sales_point(
    *,
    code: str,
    name: str,
    kind: str,
    actor,
    address: str = "",
    latitude=None,
    longitude=None,
    webhook_url: str = "",
    webhook_secret: str = "",
    status: str = SalesPoint.Status.APPROVED,
    operator=None,
    licence_number: str = "",
    licence_date=None,
    licence_issuer: str = "",
) -> tuple[SalesPoint, str]:
    """Create a point; returns it with its API token (shown once: only the hash is kept).

    A point entered with its approval decision is ``approved``; a proposal is ``status=PROPOSED``.
    """
    point = SalesPoint(
        code=code,
        name=name,
        kind_id=getattr(kind, "code", kind),  # a LocationKind or its code
        address=address,
        latitude=latitude,
        longitude=longitude,
        webhook_url=webhook_url,
        status=status,
        operator=operator,
        licence_number=licence_number,
        licence_date=licence_date,
        licence_issuer=licence_issuer,
    )
    point.set_webhook_secret(webhook_secret)
    token = point.issue_api_token()
    point.full_clean()
    with transaction.atomic():
        point.save()
        SalesPointStatusChange.objects.create(
            point=point, from_status="", to_status=status, reason="", actor=_user_or_none(actor)
        )
        audit.log(actor=actor, action="sales_point.created", instance=point)
    return point, token


def _user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


#: Which status may follow which; a closed point stays closed.
STATUS_TRANSITIONS = {
    SalesPoint.Status.PROPOSED: {SalesPoint.Status.APPROVED, SalesPoint.Status.CLOSED},
    SalesPoint.Status.APPROVED: {SalesPoint.Status.SUSPENDED, SalesPoint.Status.CLOSED},
    SalesPoint.Status.SUSPENDED: {SalesPoint.Status.APPROVED, SalesPoint.Status.CLOSED},
    SalesPoint.Status.CLOSED: set(),
}


@transaction.atomic
def change_status(*, point: SalesPoint, to_status: str, reason: str, actor) -> SalesPointStatusChange:
    """Move a point to another status, appending who/when/from/to/why to its history."""
    locked = SalesPoint.objects.select_for_update().get(pk=point.pk)
    from_status = locked.status
    if to_status not in STATUS_TRANSITIONS.get(from_status, set()):
        raise ValidationError(
            _("A %(from)s point cannot become %(to)s."),
            code="invalid_transition",
            params={"from": SalesPoint.Status(from_status).label, "to": SalesPoint.Status(to_status).label},
        )
    if to_status in (SalesPoint.Status.SUSPENDED, SalesPoint.Status.CLOSED) and not reason.strip():
        raise ValidationError(_("Give the reason for suspending or closing the point."), code="reason_required")
    if to_status == SalesPoint.Status.APPROVED and not locked.licence_number:
        raise ValidationError(
            _("Record the approval decision (number, date, issuer) before approving."), code="licence_required"
        )
    locked.status = to_status
    locked.save(update_fields=["status"])
    point.status = to_status
    change = SalesPointStatusChange.objects.create(
        point=locked, from_status=from_status, to_status=to_status, reason=reason.strip(), actor=_user_or_none(actor)
    )
    audit.log(
        actor=actor,
        action="sales_point.status_changed",
        instance=locked,
        before={"status": from_status},
        after={"status": to_status, "reason": reason.strip()},
    )
    point_changed(locked.pk)
    return change


def rotate_api_token(*, point: SalesPoint, actor) -> str:
    token = point.issue_api_token()
    with transaction.atomic():
        point.save(update_fields=["api_token_hash"])
        audit.log(actor=actor, action="sales_point.token_rotated", instance=point)
    return token


def point_changed(point_id: int) -> None:
    outbox.record(events.SALES_POINT_CHANGED, key=point_id, payload={"point_id": point_id})


@transaction.atomic
def assign_product(*, point: SalesPoint, product: Product, actor) -> Assortment:
    """Add a product to a point's assortment: an OCOP product (listable) or one on a Department list (950)."""
    # Lock the product as revocation does, so the check cannot race a revocation.
    locked = Product.objects.select_for_update().get(pk=product.pk)
    if point.status == SalesPoint.Status.CLOSED:
        raise ValidationError(
            _("%(point)s is closed: it cannot offer products."), code="point_closed", params={"point": point}
        )
    if not stocking.basis_of(locked).allowed:
        raise ValidationError(stocking.NOT_STOCKABLE, code="not_stockable", params={"product": locked})
    item, created = Assortment.objects.get_or_create(point=point, product=locked, defaults={"added_by": actor})
    if created:
        audit.log(actor=actor, action="assortment.added", instance=item)
        point_changed(point.pk)
    return item


@transaction.atomic
def remove_product(*, point: SalesPoint, product: Product, actor) -> None:
    item = Assortment.objects.filter(point=point, product=product).first()
    if item is not None:
        audit.log(actor=actor, action="assortment.removed", instance=item)
        item.delete()
        point_changed(point.pk)


@transaction.atomic
def product_status_changed(*, product_id: int) -> list[int]:
    """A product's certificate or listing changed: tell its points, which show the OCOP claim only while it is
    listable; drop it from every assortment when it may no longer be stocked at all (not on a Department list).
    """
    product = Product.objects.select_for_update().get(pk=product_id)
    point_ids = sorted(Assortment.objects.filter(product=product).values_list("point_id", flat=True))
    basis = stocking.basis_of(product)
    if not basis.ocop and basis.allowed and point_ids:
        audit.log(
            actor=None,
            action="assortment.ocop_claim_removed",
            instance=product,
            after={"points": point_ids, "lists": list(basis.lists)},
        )
        for point in SalesPoint.objects.filter(pk__in=point_ids, operator__isnull=False):
            notify_operator(
                point=point,
                product=product,
                key=notices.OCOP_CLAIM_REMOVED,
                params={"product": product.names, "point": point.name, "lists": list(basis.lists)},
            )
    if not basis.allowed:
        items = list(Assortment.objects.filter(product=product).select_related("point__operator").order_by("pk"))
        for item in items:
            audit.log(actor=None, action="assortment.removed_unlistable", instance=item)
        Assortment.objects.filter(product=product).delete()
        for item in items:
            if item.point.operator_id is None:
                continue
            notify_operator(
                point=item.point,
                product=product,
                key=notices.REMOVED,
                params={"product": product.names, "point": item.point.name},
            )
    for point_id in point_ids:
        point_changed(point_id)
    return point_ids


# Stock and sales reports --------------------------------------------------------------------------------
def record_sales(*, rows, points, source: str, actor, today=None) -> list[SalesReport]:
    """Check every line, then write them all in one transaction, or nothing (``SalesReportInvalid``).

    ``rows``: (row number, {point, product, month, quantity_sold, revenue, closing_stock}); ``points``: the points
    ``actor`` may report for. A line for a (point, product, month) already reported replaces that report.
    """
    from .sales_reports import SalesReportInvalid, check_lines

    lines, issues = check_lines(rows, points=points, today=today)
    if issues:
        raise SalesReportInvalid(issues)
    reports = []
    with transaction.atomic():
        for line in lines:
            report, _created = SalesReport.objects.update_or_create(
                point=line.point,
                product=line.product,
                month=line.month,
                defaults={
                    "quantity_sold": line.quantity_sold,
                    "revenue": line.revenue,
                    "closing_stock": line.closing_stock,
                    "source": source,
                    "reported_by": _user_or_none(actor),
                },
            )
            reports.append(report)
        if reports:
            audit.log(
                actor=actor,
                action=f"sales_report.{source}",
                instance=reports[0].point,
                before=None,
                after={"lines": len(reports), "source": source},
            )
    return reports


# Operator notices ---------------------------------------------------------------------------------------
def notify_operator(*, point: SalesPoint, key: str, params: dict, product=None) -> OperatorNotice | None:
    """An in-app notice (message key + parameters) to the point's operator, and its email queued on the outbox:
    both in the caller's transaction, so the email leaves only if the change commits (and surely leaves if it
    does). The e-mail is in Vietnamese, whoever made the change; the portal shows the reader's language."""
    if point.operator_id is None:
        return None
    notice = OperatorNotice.objects.create(
        organisation_id=point.operator_id, point=point, product=product, key=key, params=params
    )
    with translation.override(MAIL_LANGUAGE):
        subject, body = f"OCOP Đắk Lắk: {notice.title}", notice.message
    mail.queue(
        to=operator_recipients(notice.organisation), subject=subject, body=body, key=f"operator-notice-{notice.pk}"
    )
    return notice


def operator_recipients(organisation) -> list[str]:
    users = get_user_model().objects.filter(is_active=True, point_operator_memberships__organisation=organisation)
    return sorted({organisation.email} | {user.email for user in users} - {""})


@transaction.atomic
def mark_notices_read(*, notices, actor) -> int:
    return notices.filter(read_at__isnull=True).update(read_at=timezone.now())


def assortment_document(point: SalesPoint) -> bytes:
    """What a point's till shows: the products it may stock with price and stock (stable JSON bytes).

    Only OCOP products (listable) carry ``ocop: true``, their stars, certificate and validity; a product stocked
    because it is on a Department list carries ``ocop: false`` and the lists (``basis``), never stars.
    """
    products = list(offer_queryset(stocking.stockable(Product.objects.filter(assortments__point=point))).order_by("pk"))
    bases = stocking.bases(products)
    items = []
    for product in products:
        offer = build_offer(product)
        basis = bases[product.pk]
        items.append(
            {
                "id": product.pk,
                "sku": offer.sku if offer else None,
                "name": product.name_vi,
                "name_en": product.name_en,
                "producer": product.producer.name,
                "price": offer.price_vnd if offer else None,
                "currency": "VND",
                "stock": offer.stock if offer else 0,
                "ocop": basis.ocop,
                "ocop_stars": basis.ocop_stars,
                "basis": ([stocking.OCOP] if basis.ocop else []) + list(basis.lists),
                "certificate": (offer.certificate_number if offer else "") if basis.ocop else "",
                "certified_until": product.certified_until.isoformat() if basis.ocop else None,
                "gtin": product.gtin or None,
                "link": offer.link if offer else None,
            }
        )
    body = {"point": point.code, "status": point.status, "products": items}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def push_sales_point_webhook(*, point_id: int, delivery_id: str) -> str:
    point = SalesPoint.objects.filter(pk=point_id).first()
    if point is None or not point.webhook_url or point.status != SalesPoint.Status.APPROVED:
        return "no webhook"
    body = assortment_document(point)
    headers = webhooks.signed_headers(point.webhook_secret, body, delivery_id=delivery_id)
    headers["ETag"] = etag_of(body)
    try:
        response = httpx.post(point.webhook_url, content=body, headers=headers, timeout=WEBHOOK_TIMEOUT)
    except httpx.TransportError as exc:
        raise ConnectionError(f"{type(exc).__name__}: {exc}") from exc
    if response.status_code == 429 or response.status_code >= 500:
        raise ConnectionError(f"HTTP {response.status_code}: {response.text[:300]}")
    if response.status_code >= 400:
        raise outbox.PermanentDeliveryError(f"HTTP {response.status_code}: {response.text[:300]}")
    return "delivered"
