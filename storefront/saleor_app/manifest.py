"""What our App is to Saleor: its identifier, the permissions it needs and the webhooks it subscribes to."""

from django.urls import reverse

from ocop.links import public_url

from . import documents as doc
from . import payment_documents as pay

APP_ID = "vn.ocop-daklak.store"
APP_VERSION = "1.0.0"
APP_NAME = "OCOP Đắk Lắk"
#: Every one is needed (setup, sync, orders, cash on delivery): a token without all of them is refused.
PERMISSIONS = [
    "MANAGE_PRODUCTS",
    "MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES",
    "MANAGE_ORDERS",
    "MANAGE_CHECKOUTS",
    "HANDLE_CHECKOUTS",
    "HANDLE_PAYMENTS",  # our App is the payment gateway (VietQR, VNPay): transactionEventReport
]
#: (webhook name, async event, subscription query). The handlers are chosen by the ``__typename`` in the signed
#: body (``webhooks.EVENTS``), never by the event name Saleor puts in an unsigned header.
WEBHOOKS = [
    ("product-created", "PRODUCT_CREATED", doc.PRODUCT_CREATED_SUBSCRIPTION),
    ("product-updated", "PRODUCT_UPDATED", doc.PRODUCT_UPDATED_SUBSCRIPTION),
    ("product-deleted", "PRODUCT_DELETED", doc.PRODUCT_DELETED_SUBSCRIPTION),
    ("order-fully-paid", "ORDER_FULLY_PAID", doc.ORDER_FULLY_PAID_SUBSCRIPTION),
    ("order-cancelled", "ORDER_CANCELLED", doc.ORDER_CANCELLED_SUBSCRIPTION),
]

#: Synchronous payment webhooks: Saleor waits for our answer (``payment_webhooks``), at their own endpoint.
PAYMENT_WEBHOOKS = [
    (
        "payment-gateway-initialize",
        "PAYMENT_GATEWAY_INITIALIZE_SESSION",
        pay.PAYMENT_GATEWAY_INITIALIZE_SESSION_SUBSCRIPTION,
    ),
    ("transaction-initialize", "TRANSACTION_INITIALIZE_SESSION", pay.TRANSACTION_INITIALIZE_SESSION_SUBSCRIPTION),
    ("transaction-process", "TRANSACTION_PROCESS_SESSION", pay.TRANSACTION_PROCESS_SESSION_SUBSCRIPTION),
    ("transaction-refund", "TRANSACTION_REFUND_REQUESTED", pay.TRANSACTION_REFUND_REQUESTED_SUBSCRIPTION),
    ("transaction-cancel", "TRANSACTION_CANCELATION_REQUESTED", pay.TRANSACTION_CANCELATION_REQUESTED_SUBSCRIPTION),
]


def absolute(name: str) -> str:
    return public_url(reverse(name))


def manifest() -> dict:
    target = absolute("saleor_app:webhook")
    payment_target = absolute("saleor_app:payment_webhook")
    return {
        "id": APP_ID,
        "version": APP_VERSION,
        "name": APP_NAME,
        "about": "Sells only products with a valid OCOP certificate; unpublishes them when it lapses.",
        "permissions": PERMISSIONS,
        "appUrl": absolute("saleor_app:app"),
        "tokenTargetUrl": absolute("saleor_app:register"),
        "author": APP_NAME,
        "webhooks": [
            {"name": name, "asyncEvents": [event], "query": query, "targetUrl": target, "isActive": True}
            for name, event, query in WEBHOOKS
        ]
        + [
            {"name": name, "syncEvents": [event], "query": query, "targetUrl": payment_target, "isActive": True}
            for name, event, query in PAYMENT_WEBHOOKS
        ],
    }
