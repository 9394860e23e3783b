from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "storefront.payments"
    label = "payments"
    verbose_name = _("Online payments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ocop.outbox import services as events

        from . import handlers, services

        events.subscribe(services.REFUND_REQUESTED, handlers.REFUND_SUBSCRIBER, handlers.on_refund_requested)
