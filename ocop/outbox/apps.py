from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """The transactional outbox every package records its events on (``services.record``)."""

    name = "ocop.outbox"
    label = "outbox"
    verbose_name = _("Outbox")

    def ready(self):
        from ocop.messaging import mail

        from . import services

        # E-mail to people always travels through the outbox (queued in the transaction of its cause).
        services.subscribe(mail.SEND_MAIL, mail.SMTP_SUBSCRIBER, mail.deliver)
