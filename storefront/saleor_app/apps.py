from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SaleorAppConfig(AppConfig):
    name = "storefront.saleor_app"
    label = "saleor_app"
    verbose_name = _("Saleor app")

    def ready(self):
        from catalog import events
        from ocop import encryption
        from ocop.outbox import services as outbox

        from . import handlers
        from .encryption import KEYRING

        # Columns `manage.py reencrypt_secrets` moves to the current key after a rotation.
        for model in ("saleor_app.SaleorInstance", "saleor_app.PendingInstall"):
            encryption.register(model, "token_encrypted", KEYRING)

        # The gate: every change of a product's listability reaches Saleor through the outbox.
        outbox.subscribe(
            events.CERTIFICATE_STATUS_CHANGED,
            handlers.GATE_SUBSCRIBER,
            handlers.on_certificate_status_changed,
        )
        # A producer's approved listing change (content, price, stock): the same sync brings Saleor in line.
        from storefront.events import LISTING_CHANGE_APPLIED

        outbox.subscribe(
            LISTING_CHANGE_APPLIED, handlers.LISTING_CHANGE_SUBSCRIBER, handlers.on_certificate_status_changed
        )
        # A product published in Saleor's dashboard while not listable: unpublished again by the same path.
        outbox.subscribe(handlers.SALEOR_PRODUCT_CHECK, handlers.CHECK_SUBSCRIBER, handlers.on_saleor_product_check)
        # Asynchronous payment outcomes (a transfer arrived, an IPN, an expiry) reported to Saleor.
        from storefront.payments.services import TRANSACTION_EVENT

        from . import payment_webhooks

        outbox.subscribe(
            TRANSACTION_EVENT, payment_webhooks.TRANSACTION_EVENT_SUBSCRIBER, payment_webhooks.on_transaction_event
        )
