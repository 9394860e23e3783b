"""Endpoints the providers call: the bank-statement service's webhook and VNPay's IPN. Thin: verify, call one
service, answer in the provider's terms. Both are signed (HMAC); anything unsigned or malformed gets a 4xx
(or VNPay's own code) and changes nothing."""

import logging

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import config, services
from .providers import bank_statement, vnpay

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024


@csrf_exempt
@require_POST
def bank_statement_webhook(request):
    provider = config.bank_statement_provider()
    if provider is None:
        return HttpResponse(status=404)
    if len(request.body) > MAX_BODY:
        return JsonResponse({"success": False, "message": "body too large"}, status=413)
    try:
        transfers = provider.transfers(dict(request.headers), request.body)
    except bank_statement.InvalidNotification as exc:
        logger.warning("Bank-statement notification from %s refused: %s", request.META.get("REMOTE_ADDR"), exc)
        return JsonResponse({"success": False, "message": "invalid notification"}, status=401)
    for transfer in transfers:
        services.apply_transfer(provider.name, transfer)
    return JsonResponse({"success": True})


@csrf_exempt
@require_GET
def vnpay_ipn(request):
    """VNPay's server-to-server result (GET with signed query parameters); answered with VNPay's codes."""
    vnpay_config = config.vnpay_config()
    if vnpay_config is None:
        return HttpResponse(status=404)
    try:
        result = vnpay.result(request.GET.dict(), vnpay_config.hash_secret)
    except vnpay.InvalidSignature:
        logger.warning("VNPay IPN with a bad signature from %s", request.META.get("REMOTE_ADDR"))
        return JsonResponse(vnpay.IPN_INVALID_SIGNATURE)
    try:
        _notification, answer = services.apply_vnpay(result, source="ipn")
    except Exception:
        logger.exception("VNPay IPN for %s failed", result.reference)
        return JsonResponse(vnpay.IPN_UNKNOWN_ERROR)  # VNPay retries
    return JsonResponse(answer)
