"""Endpoints Saleor calls: the app manifest, the token exchange and the webhooks. Thin: parse, check, call
one service. Webhooks are authenticated by their JWS signature and their signed envelope (``webhooks``), the
token exchange by asking Saleor whose token it is (``install``)."""

import json
import logging

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ocop.throttle import throttled

from . import install, payment_webhooks, webhooks
from . import manifest as app_manifest
from .manifest import APP_ID, APP_VERSION, PERMISSIONS, WEBHOOKS

__all__ = [
    "APP_ID",
    "APP_VERSION",
    "PERMISSIONS",
    "WEBHOOKS",
    "app",
    "manifest",
    "payment_webhook",
    "register",
    "webhook",
]

logger = logging.getLogger(__name__)


@require_GET
def manifest(request):
    return JsonResponse(app_manifest.manifest())


@xframe_options_exempt
@require_GET
def app(request):
    return HttpResponse(_("OCOP Đắk Lắk: the store's certification gate is active."), content_type="text/plain")


@csrf_exempt
@require_POST
@throttled("saleor_app.register")
def register(request):
    """Saleor POSTs ``{"auth_token": ...}`` here while installing. Not signed: see ``install``. A token that may
    become ours only by an explicit acceptance is kept and answered 202 (Saleor needs a 2xx to finish)."""
    try:
        token = json.loads(request.body).get("auth_token", "")
    except (ValueError, AttributeError):
        return JsonResponse({"success": False}, status=400)
    try:
        receipt = install.receive_token(
            api_url=request.headers.get("Saleor-Api-Url", ""),
            domain=request.headers.get("Saleor-Domain", ""),
            auth_token=token,
            received_from=request.META.get("REMOTE_ADDR"),
        )
    except install.InstallRefused as exc:
        logger.warning("Saleor app install refused from %s: %s", request.META.get("REMOTE_ADDR"), exc)
        return JsonResponse({"success": False, "error": {"message": "Install refused"}}, status=403)
    if receipt.outcome == "pending":
        return JsonResponse({"success": True, "pending": True}, status=202)
    return JsonResponse({"success": True})


@csrf_exempt
@require_POST
def webhook(request):
    try:
        webhooks.receive(
            api_url=request.headers.get("Saleor-Api-Url", ""),
            raw_body=request.body,  # the exact bytes: a re-serialised body does not verify
            signature=request.headers.get("Saleor-Signature", ""),
            header_event=request.headers.get("Saleor-Event", ""),
        )
    except webhooks.Refused as exc:
        logger.warning("Saleor webhook from %s rejected: %s", request.META.get("REMOTE_ADDR"), exc.reason)
        return HttpResponse(status=exc.status)
    return HttpResponse(status=200)


@csrf_exempt
@require_POST
def payment_webhook(request):
    """Saleor's synchronous payment webhooks: the JSON answer is what Saleor records for the transaction."""
    try:
        answer = payment_webhooks.receive(
            api_url=request.headers.get("Saleor-Api-Url", ""),
            raw_body=request.body,
            signature=request.headers.get("Saleor-Signature", ""),
        )
    except webhooks.Refused as exc:
        logger.warning("Saleor payment webhook from %s rejected: %s", request.META.get("REMOTE_ADDR"), exc.reason)
        return JsonResponse({"error": "refused"}, status=exc.status)
    return JsonResponse(answer)
