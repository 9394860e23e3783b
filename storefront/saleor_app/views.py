"""Endpoints Saleor calls: the app manifest, the token exchange and the webhooks. Thin: parse, check, call
one service. Webhooks are authenticated by their JWS signature, the token exchange by calling Saleor back."""

import json
import logging

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ocop.links import public_url

from . import documents as doc
from . import services, signatures
from .client import normalize_api_url
from .models import SaleorInstance

logger = logging.getLogger(__name__)

APP_ID = "vn.ocop-daklak.store"
APP_VERSION = "1.0.0"
PERMISSIONS = [
    "MANAGE_PRODUCTS",
    "MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES",
    "MANAGE_ORDERS",
    "MANAGE_CHECKOUTS",
    "HANDLE_CHECKOUTS",
]
WEBHOOKS = [
    ("product-created", "PRODUCT_CREATED", doc.PRODUCT_CREATED_SUBSCRIPTION),
    ("product-updated", "PRODUCT_UPDATED", doc.PRODUCT_UPDATED_SUBSCRIPTION),
    ("product-deleted", "PRODUCT_DELETED", doc.PRODUCT_DELETED_SUBSCRIPTION),
    ("order-fully-paid", "ORDER_FULLY_PAID", doc.ORDER_FULLY_PAID_SUBSCRIPTION),
    ("order-cancelled", "ORDER_CANCELLED", doc.ORDER_CANCELLED_SUBSCRIPTION),
]


def _absolute(name: str) -> str:
    return public_url(reverse(name))


@require_GET
def manifest(request):
    target = _absolute("saleor_app:webhook")
    return JsonResponse(
        {
            "id": APP_ID,
            "version": APP_VERSION,
            "name": "OCOP Đắk Lắk",
            "about": "Sells only products with a valid OCOP certificate; unpublishes them when it lapses.",
            "permissions": PERMISSIONS,
            "appUrl": _absolute("saleor_app:app"),
            "tokenTargetUrl": _absolute("saleor_app:register"),
            "author": "OCOP Đắk Lắk",
            "webhooks": [
                {"name": name, "asyncEvents": [event], "query": query, "targetUrl": target, "isActive": True}
                for name, event, query in WEBHOOKS
            ],
        }
    )


@xframe_options_exempt
@require_GET
def app(request):
    return HttpResponse(_("OCOP Đắk Lắk: the store's certification gate is active."), content_type="text/plain")


@csrf_exempt
@require_POST
def register(request):
    """Saleor POSTs ``{"auth_token": ...}`` here while installing. Not signed: see ``services.install``."""
    try:
        token = json.loads(request.body).get("auth_token", "")
    except (ValueError, AttributeError):
        return JsonResponse({"success": False}, status=400)
    try:
        services.install(
            api_url=request.headers.get("Saleor-Api-Url", ""),
            domain=request.headers.get("Saleor-Domain", ""),
            auth_token=token,
        )
    except services.InstallRefused as exc:
        logger.warning("Saleor app install refused from %s: %s", request.META.get("REMOTE_ADDR"), exc)
        return JsonResponse({"success": False, "error": {"message": "Install refused"}}, status=403)
    return JsonResponse({"success": True})


@csrf_exempt
@require_POST
def webhook(request):
    raw = request.body  # the exact bytes: a re-serialised body does not verify
    event = request.headers.get("Saleor-Event", "").lower()
    api_url = request.headers.get("Saleor-Api-Url", "")
    instance = (
        SaleorInstance.objects.filter(api_url=normalize_api_url(api_url), is_active=True).first() if api_url else None
    )
    if instance is None:
        logger.warning(
            "Saleor webhook %r rejected: unknown instance %r from %s",
            event,
            api_url,
            request.META.get("REMOTE_ADDR"),
        )
        return HttpResponse(status=401)
    try:
        signatures.verify(instance, raw, request.headers.get("Saleor-Signature", ""))
    except signatures.InvalidSignature as exc:
        logger.warning("Saleor webhook %r from %s rejected: %s", event, instance.api_url, exc)
        return HttpResponse(status=401)
    try:
        payload = json.loads(raw)
    except ValueError:
        return HttpResponse(status=400)
    if event in ("product_created", "product_updated", "product_deleted"):
        services.handle_product_webhook(instance=instance, event=event, payload=payload)
    elif event in ("order_fully_paid", "order_cancelled"):
        services.record_order(instance=instance, event=event, payload=payload)
    else:
        logger.info("Saleor webhook %r ignored", event)
    return HttpResponse(status=200)
