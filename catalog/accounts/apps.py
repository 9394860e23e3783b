from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "catalog.accounts"
    label = "accounts"
    verbose_name = _("Producer accounts")

    def ready(self):
        from ocop.outbox import services as outbox

        from . import (
            notices,  # noqa: F401 - defines the notice keys
            services,
        )
        from .permissions import ensure_roles

        outbox.subscribe(services.SEND_TIE_CODE, services.CODE_SUBSCRIBER, services.deliver_code)
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="accounts.ensure_roles")
