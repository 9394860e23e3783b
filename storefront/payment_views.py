"""The storefront's online payment pages: the VietQR page that waits for the transfer, and VNPay's return.
Thin: the payment itself is the payment App's (``storefront.payments``) and Saleor's business."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import get_language

from ocop.client import client_address

from . import checkout as checkout_service
from .cart import Cart
from .payments import config as payment_config
from .payments import messages as payment_messages
from .payments import services as payment_services
from .payments.models import PaymentAttempt
from .payments.providers import vietqr, vnpay

PAYMENT_SESSION = "storefront_payment"
#: Seconds between two looks at a VietQR payment while the shopper waits (the page reloads itself).
REFRESH_SECONDS = 4


def _client_ip(request) -> str:
    return client_address(request)


def _refused(request, context, key: str, **params):
    context["refusal"] = payment_messages.describe(key, **params)
    return render(request, "storefront/checkout_payment.html", context)


def start_online_payment(request, context, checkout_id: str, method: str):
    """Open the payment in Saleor; VietQR → our waiting page, VNPay → VNPay's payment page."""
    try:
        step = checkout_service.start_online_payment(
            checkout_id, method, ip_address=_client_ip(request), locale=get_language() or "vi"
        )
    except checkout_service.CheckoutRefused as exc:
        context["refusal"] = str(exc)
        return render(request, "storefront/checkout_payment.html", context)
    if step.failed:
        return _refused(request, context, step.outcome or "failed")
    request.session[PAYMENT_SESSION] = {"transaction": step.transaction_id, "checkout": checkout_id, "method": method}
    if method == checkout_service.VNPAY:
        url = step.data.get("redirectUrl") or ""
        if not url.startswith(settings.VNPAY_PAYMENT_URL + "?"):
            return _refused(request, context, "failed")
        return redirect(url)
    return redirect("storefront:checkout_pay")


def _finish(request, checkout_id: str, attempt: PaymentAttempt, method: str):
    """The payment is through: place the order in Saleor and show the confirmation."""
    order = checkout_service.complete_paid_order(checkout_id)
    gross = (order.get("total") or {}).get("gross") or {}
    request.session["storefront_last_order"] = {
        "number": str(order["number"]),
        "email": order.get("userEmail") or attempt.email,
        "status": order.get("status", ""),
        "total": str(gross.get("amount", "")),
        "payment": str(checkout_service.PAYMENT_LABELS[method]),
    }
    request.session.pop(PAYMENT_SESSION, None)
    request.session.pop("storefront_checkout", None)
    Cart(request.session).clear()
    return redirect("storefront:order_confirmation")


def checkout_pay(request):
    """The VietQR page: the code to scan, then (reloading itself) the outcome once the transfer is seen."""
    state = request.session.get(PAYMENT_SESSION) or {}
    attempt = PaymentAttempt.objects.filter(saleor_transaction_id=state.get("transaction") or "-").first()
    if attempt is None:
        return redirect("storefront:checkout_payment")
    context = {"attempt": attempt, "refresh": REFRESH_SECONDS}
    try:
        if attempt.status == PaymentAttempt.Status.PAID:
            checkout_service.process_online_payment(attempt.saleor_transaction_id)
            return _finish(request, state["checkout"], attempt, attempt.method)
    except checkout_service.CheckoutRefused as exc:
        context["waiting_message"] = str(exc)
    if attempt.status in payment_services.OPEN:
        data = payment_services.session_data(attempt)
        context.update(
            qr_svg=vietqr.svg(data["qr"]),
            data=data,
            message=payment_messages.describe(attempt.outcome, outstanding=_vnd(attempt.outstanding))
            if attempt.outcome == "partial"
            else "",
        )
    elif attempt.status != PaymentAttempt.Status.PAID:
        context["refusal"] = payment_messages.describe(attempt.outcome or "failed")
    return render(request, "storefront/checkout_pay.html", context)


def vnpay_return(request):
    """VNPay sends the shopper back here with the signed result: bring it into Saleor, then place the order."""
    params = request.GET.dict()
    vnpay_config = payment_config.vnpay_config()
    attempt = PaymentAttempt.objects.filter(reference=params.get("vnp_TxnRef", "")[:32], method="vnpay").first()
    context = {"attempt": attempt}
    if vnpay_config is None or attempt is None:
        context["refusal"] = payment_messages.describe("failed")
        return render(request, "storefront/checkout_pay.html", context, status=400)
    try:
        vnpay.verify(params, vnpay_config.hash_secret)
    except vnpay.InvalidSignature:
        context["refusal"] = payment_messages.describe("failed")
        return render(request, "storefront/checkout_pay.html", context, status=400)
    try:
        step = checkout_service.process_online_payment(attempt.saleor_transaction_id, data={"vnpay": params})
        attempt.refresh_from_db()
        if step.result == "CHARGE_SUCCESS" and attempt.status == PaymentAttempt.Status.PAID:
            return _finish(request, attempt.saleor_checkout_id, attempt, attempt.method)
    except checkout_service.CheckoutRefused as exc:
        context["refusal"] = str(exc)
        return render(request, "storefront/checkout_pay.html", context)
    context["refusal"] = payment_messages.describe(attempt.outcome or "failed")
    return render(request, "storefront/checkout_pay.html", context)


def _vnd(amount) -> str:
    from .templatetags.storefront import vnd

    return vnd(amount)
